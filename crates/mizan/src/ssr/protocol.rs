//! The SSR bridge wire format: NDJSON over the worker's stdin/stdout, with
//! the `html_bytes` framing for large results (`docs/protocol.md`, "SSR bridge").

use serde::Deserialize;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};

/// Longest protocol line, and largest `html_bytes` payload, accepted.
pub(crate) const MAX_FRAME: usize = 64 * 1024 * 1024;

/// One message read from a worker's stdout.
#[derive(Debug)]
pub(crate) enum Frame {
    /// A well-formed answer.
    Reply { id: u64, reply: Reply },
    /// Anything that is not the protocol (the offending text, shortened).
    Garbage(String),
    /// stdout closed (or failed).
    Eof,
}

/// What an answer carries.
#[derive(Debug)]
pub(crate) enum Reply {
    Html(String),
    Pong,
    Error { message: String, stack: String },
}

/// The request line for a render (with its trailing newline). `contexts`
/// (the page's `#mizan-contexts` object) is sent only when there are any.
pub(crate) fn render_line(id: u64, path: &str, props_json: &str, contexts_json: Option<&str>) -> String {
    let path = serde_json::Value::String(path.to_owned());
    match contexts_json {
        None => format!(
            "{{\"id\":{id},\"method\":\"render\",\"params\":{{\"path\":{path},\"props\":{props_json}}}}}\n"
        ),
        Some(contexts) => format!(
            "{{\"id\":{id},\"method\":\"render\",\"params\":{{\"path\":{path},\"props\":{props_json},\"contexts\":{contexts}}}}}\n"
        ),
    }
}

/// The request line for a ping.
pub(crate) fn ping_line(id: u64) -> String {
    format!("{{\"id\":{id},\"method\":\"ping\"}}\n")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    id: u64,
    #[serde(default)]
    result: Option<serde_json::Value>,
    #[serde(default)]
    error: Option<ErrorBody>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    stack: Option<String>,
}

fn shorten(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_end_matches(['\n', '\r']);
    if text.chars().count() > 200 {
        format!("{}…", text.chars().take(200).collect::<String>())
    } else {
        text.to_owned()
    }
}

/// Reads the next frame. Never returns an error: I/O failure is `Eof`,
/// anything unexpected is `Garbage` (after which the caller stops reading).
pub(crate) async fn read_frame<R: AsyncBufRead + Unpin>(reader: &mut R) -> Frame {
    let mut line = Vec::new();
    let limit = (MAX_FRAME + 1) as u64;
    match (&mut *reader).take(limit).read_until(b'\n', &mut line).await {
        Ok(0) | Err(_) => return Frame::Eof,
        Ok(_) => {}
    }
    if line.last() != Some(&b'\n') {
        return if line.len() > MAX_FRAME {
            Frame::Garbage(format!("a line longer than {MAX_FRAME} bytes: {}", shorten(&line)))
        } else {
            // stdout closed in the middle of a line.
            Frame::Garbage(shorten(&line))
        };
    }
    let Ok(parsed) = serde_json::from_slice::<Line>(&line) else {
        return Frame::Garbage(shorten(&line));
    };
    let id = parsed.id;
    match (parsed.result, parsed.error) {
        (Some(result), None) => {
            if result.as_str() == Some("pong") {
                return Frame::Reply { id, reply: Reply::Pong };
            }
            if let Some(html) = result.get("html").and_then(|h| h.as_str()) {
                return Frame::Reply { id, reply: Reply::Html(html.to_owned()) };
            }
            if let Some(n) = result.get("html_bytes").and_then(|n| n.as_u64()) {
                return read_html_bytes(reader, id, n, &line).await;
            }
            Frame::Garbage(shorten(&line))
        }
        (None, Some(err)) => Frame::Reply {
            id,
            reply: Reply::Error {
                message: err.message.unwrap_or_else(|| "(no message)".to_owned()),
                stack: err.stack.unwrap_or_default(),
            },
        },
        _ => Frame::Garbage(shorten(&line)),
    }
}

async fn read_html_bytes<R: AsyncBufRead + Unpin>(reader: &mut R, id: u64, n: u64, header: &[u8]) -> Frame {
    let Ok(n) = usize::try_from(n) else { return Frame::Garbage(shorten(header)) };
    if n > MAX_FRAME {
        return Frame::Garbage(format!("html_bytes {n} is past the limit of {MAX_FRAME}"));
    }
    let mut body = vec![0u8; n + 1];
    if reader.read_exact(&mut body).await.is_err() {
        return Frame::Eof;
    }
    if body.pop() != Some(b'\n') {
        return Frame::Garbage(format!("html_bytes {n} payload not followed by a newline"));
    }
    match String::from_utf8(body) {
        Ok(html) => Frame::Reply { id, reply: Reply::Html(html) },
        Err(_) => Frame::Garbage(format!("html_bytes {n} payload is not UTF-8")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn frames(input: &[u8]) -> Vec<Frame> {
        let mut r = tokio::io::BufReader::new(input);
        let mut out = Vec::new();
        loop {
            let f = read_frame(&mut r).await;
            let stop = matches!(f, Frame::Eof | Frame::Garbage(_));
            out.push(f);
            if stop {
                return out;
            }
        }
    }

    #[tokio::test]
    async fn parses_every_kind() {
        let input = "{\"id\":1,\"result\":\"pong\"}\n{\"id\":2,\"result\":{\"html\":\"<p>a</p>\"}}\n\
                     {\"id\":3,\"result\":{\"html_bytes\":4}}\nü\n\n\n{\"id\":4,\"error\":{\"message\":\"m\",\"stack\":\"s\"}}\n";
        let got = frames(input.as_bytes()).await;
        assert!(matches!(got[0], Frame::Reply { id: 1, reply: Reply::Pong }));
        assert!(matches!(&got[1], Frame::Reply { id: 2, reply: Reply::Html(h) } if h == "<p>a</p>"));
        assert!(matches!(&got[2], Frame::Reply { id: 3, reply: Reply::Html(h) } if h == "ü\n\n"));
        assert!(
            matches!(&got[3], Frame::Reply { id: 4, reply: Reply::Error { message, .. } } if message == "m")
        );
        assert!(matches!(got[4], Frame::Eof));
    }

    #[tokio::test]
    async fn garbage_is_reported() {
        for bad in [
            "hello\n",
            "{\"id\":1}\n",
            "{\"id\":1,\"result\":{\"nope\":1}}\n",
            "{\"id\":1,\"x\":2,\"result\":\"pong\"}\n",
            "{\"id\":1,\"result\":\"pong\"}",
        ] {
            let got = frames(bad.as_bytes()).await;
            assert!(matches!(got[0], Frame::Garbage(_)), "{bad:?} gave {got:?}");
        }
        let got = frames(b"{\"id\":1,\"result\":{\"html_bytes\":3}}\nabcd").await;
        assert!(matches!(got[0], Frame::Garbage(_)));
    }

    #[test]
    fn request_lines_are_single_lines() {
        let line = render_line(7, "/a\nb/\u{2028}.tsx", "{\"x\":\"\\n\"}", None);
        assert_eq!(line.matches('\n').count(), 1);
        let v: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
        assert_eq!(v["params"]["path"], "/a\nb/\u{2028}.tsx");
        assert_eq!(v["params"]["props"]["x"], "\n");
        assert!(v["params"].get("contexts").is_none(), "no contexts, no key: {line}");
    }

    #[test]
    fn render_lines_carry_the_contexts() {
        let line = render_line(8, "/a.tsx", "{}", Some("{\"current_user\":{\"data\":\"a\\nb\"}}"));
        assert_eq!(line.matches('\n').count(), 1);
        let v: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
        assert_eq!(v["params"]["contexts"]["current_user"]["data"], "a\nb");
        assert_eq!(v["params"]["props"], serde_json::json!({}));
    }
}
