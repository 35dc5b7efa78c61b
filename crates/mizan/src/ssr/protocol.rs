//! The SSR bridge wire format: NDJSON over the worker's stdin/stdout, with
//! the raw `html_bytes` / `chunk_bytes` framing for large texts
//! (`docs/protocol.md`, "SSR bridge").

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};

use super::rendered::Rendered;

/// Longest protocol line, and largest raw payload, accepted.
pub(crate) const MAX_FRAME: usize = 64 * 1024 * 1024;

/// One message read from a worker's stdout.
#[derive(Debug)]
pub(crate) enum Frame {
    /// A well-formed answer to request `id`.
    Reply { id: u64, reply: Reply },
    /// Part of render `id`'s HTML, ahead of its result.
    Chunk { id: u64, html: String },
    /// Render `render` asks the host to run `name` with `args`; answered
    /// under the call's own `id`.
    Call { id: String, render: u64, name: String, args: Box<RawValue> },
    /// Anything that is not the protocol (the offending text, shortened).
    Garbage(String),
    /// stdout closed (or failed).
    Eof,
}

/// What an answer carries.
#[derive(Debug)]
pub(crate) enum Reply {
    Html(Rendered),
    Pong,
    Error { message: String, stack: String },
}

/// Appends the request line `{"id":N,"method":M[,"params":P]}` and its newline.
pub(crate) fn push_request(out: &mut Vec<u8>, id: u64, method: &str, params: Option<&str>) {
    out.extend_from_slice(b"{\"id\":");
    out.extend_from_slice(id.to_string().as_bytes());
    out.extend_from_slice(b",\"method\":\"");
    out.extend_from_slice(method.as_bytes());
    out.push(b'"');
    if let Some(params) = params {
        out.extend_from_slice(b",\"params\":");
        out.extend_from_slice(params.as_bytes());
    }
    out.extend_from_slice(b"}\n");
}

/// Appends the answer to call `id`: `{"id":ID,"result":ENVELOPE}` and its newline.
pub(crate) fn push_call_result(out: &mut Vec<u8>, id: &str, envelope: &RawValue) {
    out.extend_from_slice(b"{\"id\":");
    // The id came from a parsed JSON string: written back the same way.
    out.extend_from_slice(serde_json::Value::from(id).to_string().as_bytes());
    out.extend_from_slice(b",\"result\":");
    out.extend_from_slice(envelope.get().as_bytes());
    out.extend_from_slice(b"}\n");
}

/// A render's `params`, built once per render and sent with each attempt:
/// `{"path":…,"props":…}` with `"layouts"` (absolute paths, outermost
/// first) only when the page has layouts, `"contexts"` only when there are
/// any, and `"nonce"` (the CSP nonce React's inline scripts carry) when the
/// page has one.
pub(crate) fn render_params(
    path: &str,
    layouts: &[String],
    props_json: &str,
    contexts_json: Option<&str>,
    nonce: Option<&str>,
) -> String {
    let path = serde_json::Value::String(path.to_owned()).to_string();
    let mut out =
        String::with_capacity(path.len() + props_json.len() + contexts_json.map_or(0, str::len) + 32);
    out.push_str("{\"path\":");
    out.push_str(&path);
    if !layouts.is_empty() {
        out.push_str(",\"layouts\":");
        out.push_str(&serde_json::Value::from(layouts.to_vec()).to_string());
    }
    out.push_str(",\"props\":");
    out.push_str(props_json);
    if let Some(contexts) = contexts_json {
        out.push_str(",\"contexts\":");
        out.push_str(contexts);
    }
    if let Some(nonce) = nonce {
        out.push_str(",\"nonce\":");
        out.push_str(&serde_json::Value::String(nonce.to_owned()).to_string());
    }
    out.push('}');
    out
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    #[serde(borrow)]
    id: &'a RawValue,
    #[serde(default, borrow)]
    method: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    params: Option<&'a RawValue>,
    #[serde(default, borrow)]
    result: Option<&'a RawValue>,
    #[serde(default)]
    error: Option<ErrorBody>,
    #[serde(default)]
    chunk: Option<String>,
    #[serde(default)]
    chunk_bytes: Option<u64>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    stack: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResultBody {
    #[serde(default)]
    html: Option<String>,
    #[serde(default)]
    html_bytes: Option<u64>,
    #[serde(default)]
    head: Option<Box<RawValue>>,
    #[serde(default)]
    queries: Option<Box<RawValue>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CallParams {
    render: u64,
    #[serde(rename = "fn")]
    name: String,
    args: Box<RawValue>,
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
    let Ok(parsed) = serde_json::from_slice::<Line<'_>>(&line) else {
        return Frame::Garbage(shorten(&line));
    };
    match decode(parsed) {
        Decoded::Frame(frame) => frame,
        Decoded::Raw { id, bytes, rendered } => match read_raw(reader, bytes).await {
            Raw::Text(text) => match rendered {
                Some(mut rendered) => {
                    rendered.html = text;
                    Frame::Reply { id, reply: Reply::Html(rendered) }
                }
                None => Frame::Chunk { id, html: text },
            },
            Raw::Eof => Frame::Eof,
            Raw::Bad(why) => Frame::Garbage(why),
        },
        Decoded::Garbage => Frame::Garbage(shorten(&line)),
    }
}

enum Decoded {
    Frame(Frame),
    /// A header announcing `bytes` raw bytes: a result's HTML (`rendered`
    /// holds the rest of it) or a chunk.
    Raw {
        id: u64,
        bytes: u64,
        rendered: Option<Rendered>,
    },
    Garbage,
}

fn decode(line: Line<'_>) -> Decoded {
    let Line { id, method, params, result, error, chunk, chunk_bytes } = line;
    if let Some(method) = method {
        // The one request a worker makes: a call, under a string id.
        let (Ok(id), "call", Some(params), None, None, None, None) = (
            serde_json::from_str::<String>(id.get()),
            method.as_ref(),
            params,
            &result,
            &error,
            &chunk,
            chunk_bytes,
        ) else {
            return Decoded::Garbage;
        };
        return match serde_json::from_str::<CallParams>(params.get()) {
            Ok(p) => Decoded::Frame(Frame::Call { id, render: p.render, name: p.name, args: p.args }),
            Err(_) => Decoded::Garbage,
        };
    }
    let (Ok(id), None) = (id.get().parse::<u64>(), params) else { return Decoded::Garbage };
    match (result, error, chunk, chunk_bytes) {
        (Some(result), None, None, None) => {
            if result.get() == "\"pong\"" {
                return Decoded::Frame(Frame::Reply { id, reply: Reply::Pong });
            }
            let Ok(body) = serde_json::from_str::<ResultBody>(result.get()) else { return Decoded::Garbage };
            let rendered = Rendered { html: String::new(), head: body.head, queries: body.queries };
            match (body.html, body.html_bytes) {
                (Some(html), None) => {
                    Decoded::Frame(Frame::Reply { id, reply: Reply::Html(Rendered { html, ..rendered }) })
                }
                (None, Some(bytes)) => Decoded::Raw { id, bytes, rendered: Some(rendered) },
                _ => Decoded::Garbage,
            }
        }
        (None, Some(err), None, None) => Decoded::Frame(Frame::Reply {
            id,
            reply: Reply::Error {
                message: err.message.unwrap_or_else(|| "(no message)".to_owned()),
                stack: err.stack.unwrap_or_default(),
            },
        }),
        (None, None, Some(html), None) => Decoded::Frame(Frame::Chunk { id, html }),
        (None, None, None, Some(bytes)) => Decoded::Raw { id, bytes, rendered: None },
        _ => Decoded::Garbage,
    }
}

enum Raw {
    Text(String),
    Eof,
    Bad(String),
}

/// The `n` raw bytes after a header line, and their newline.
async fn read_raw<R: AsyncBufRead + Unpin>(reader: &mut R, n: u64) -> Raw {
    let Ok(n) = usize::try_from(n) else { return Raw::Bad(format!("a raw payload of {n} bytes")) };
    if n > MAX_FRAME {
        return Raw::Bad(format!("a raw payload of {n} bytes is past the limit of {MAX_FRAME}"));
    }
    let mut body = vec![0u8; n + 1];
    if reader.read_exact(&mut body).await.is_err() {
        return Raw::Eof;
    }
    if body.pop() != Some(b'\n') {
        return Raw::Bad(format!("a raw payload of {n} bytes not followed by a newline"));
    }
    match String::from_utf8(body) {
        Ok(text) => Raw::Text(text),
        Err(_) => Raw::Bad(format!("a raw payload of {n} bytes that is not UTF-8")),
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
                     {\"id\":3,\"result\":{\"html_bytes\":4}}\nü\n\n\n{\"id\":4,\"error\":{\"message\":\"m\",\"stack\":\"s\"}}\n\
                     {\"id\":5,\"chunk\":\"<h1>\"}\n{\"id\":5,\"chunk_bytes\":3}\nab\n\n\
                     {\"id\":\"c1\",\"method\":\"call\",\"params\":{\"render\":5,\"fn\":\"list_todos\",\"args\":{\"n\":[1]}}}\n\
                     {\"id\":5,\"result\":{\"html\":\"</h1>\",\"head\":{\"title\":\"T\"},\"queries\":[1, 2]}}\n\
                     {\"id\":6,\"result\":{\"html_bytes\":1,\"queries\":null}}\nx\n";
        let got = frames(input.as_bytes()).await;
        assert!(matches!(got[0], Frame::Reply { id: 1, reply: Reply::Pong }));
        assert!(
            matches!(&got[1], Frame::Reply { id: 2, reply: Reply::Html(r) } if r.html == "<p>a</p>" && r.head.is_none())
        );
        assert!(matches!(&got[2], Frame::Reply { id: 3, reply: Reply::Html(r) } if r.html == "ü\n\n"));
        assert!(
            matches!(&got[3], Frame::Reply { id: 4, reply: Reply::Error { message, .. } } if message == "m")
        );
        assert!(matches!(&got[4], Frame::Chunk { id: 5, html } if html == "<h1>"));
        assert!(matches!(&got[5], Frame::Chunk { id: 5, html } if html == "ab\n"));
        match &got[6] {
            Frame::Call { id, render: 5, name, args } => {
                assert_eq!((id.as_str(), name.as_str(), args.get()), ("c1", "list_todos", "{\"n\":[1]}"));
            }
            other => panic!("a call, not {other:?}"),
        }
        match &got[7] {
            Frame::Reply { id: 5, reply: Reply::Html(r) } => {
                assert_eq!(r.html, "</h1>");
                assert_eq!(r.head.as_deref().map(RawValue::get), Some("{\"title\":\"T\"}"));
                assert_eq!(r.queries.as_deref().map(RawValue::get), Some("[1, 2]"));
            }
            other => panic!("a result, not {other:?}"),
        }
        assert!(
            matches!(&got[8], Frame::Reply { id: 6, reply: Reply::Html(r) } if r.html == "x" && r.queries.is_none())
        );
        assert!(matches!(got[9], Frame::Eof));
    }

    #[tokio::test]
    async fn garbage_is_reported() {
        for bad in [
            "hello\n",
            "{\"id\":1}\n",
            "{\"id\":1,\"result\":{\"nope\":1}}\n",
            "{\"id\":1,\"x\":2,\"result\":\"pong\"}\n",
            "{\"id\":1,\"result\":\"pong\"}",
            "{\"id\":1,\"result\":{\"html\":\"a\",\"html_bytes\":1}}\n",
            "{\"id\":1,\"result\":{}}\n",
            "{\"id\":\"1\",\"result\":\"pong\"}\n",
            "{\"id\":-1,\"result\":\"pong\"}\n",
            "{\"id\":1,\"chunk\":\"a\",\"result\":\"pong\"}\n",
            "{\"id\":1,\"chunk\":\"a\",\"chunk_bytes\":1}\n",
            "{\"id\":1,\"chunk\":7}\n",
            "{\"id\":1,\"method\":\"call\",\"params\":{\"render\":1,\"fn\":\"f\",\"args\":{}}}\n",
            "{\"id\":\"c1\",\"method\":\"render\",\"params\":{\"render\":1,\"fn\":\"f\",\"args\":{}}}\n",
            "{\"id\":\"c1\",\"method\":\"call\",\"params\":{\"render\":1,\"fn\":\"f\"}}\n",
            "{\"id\":\"c1\",\"method\":\"call\",\"params\":{\"render\":1,\"fn\":\"f\",\"args\":{},\"x\":1}}\n",
            "{\"id\":\"c1\",\"method\":\"call\"}\n",
            "{\"id\":\"c1\",\"method\":\"call\",\"params\":{\"render\":1,\"fn\":\"f\",\"args\":{}},\"result\":1}\n",
            "{\"id\":1,\"params\":{},\"result\":\"pong\"}\n",
        ] {
            let got = frames(bad.as_bytes()).await;
            assert!(matches!(got[0], Frame::Garbage(_)), "{bad:?} gave {got:?}");
        }
        for bad in [
            &b"{\"id\":1,\"result\":{\"html_bytes\":3}}\nabcd"[..],
            b"{\"id\":1,\"chunk_bytes\":2}\n\xff\xfe\n",
        ] {
            let got = frames(bad).await;
            assert!(matches!(got[0], Frame::Garbage(_)), "{got:?}");
        }
    }

    #[test]
    fn request_lines_are_single_lines() {
        let params = render_params("/a\nb/\u{2028}.tsx", &[], "{\"x\":\"\\n\"}", None, None);
        let mut line = Vec::new();
        push_request(&mut line, 7, "render", Some(&params));
        push_request(&mut line, 8, "ping", None);
        let text = String::from_utf8(line).expect("UTF-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        let v: serde_json::Value = serde_json::from_str(lines[0]).expect("valid JSON");
        assert_eq!(v["id"], 7);
        assert_eq!(v["method"], "render");
        assert_eq!(v["params"]["path"], "/a\nb/\u{2028}.tsx");
        assert_eq!(v["params"]["props"]["x"], "\n");
        assert!(v["params"].get("contexts").is_none(), "no contexts, no key: {text}");
        assert_eq!(lines[1], "{\"id\":8,\"method\":\"ping\"}");
    }

    #[test]
    fn render_params_carry_layouts_only_when_there_are_some() {
        let layouts = ["/a/Outer.tsx".to_owned(), "/a/In\"ner.tsx".to_owned()];
        let v: serde_json::Value =
            serde_json::from_str(&render_params("/a.tsx", &layouts, "{}", None, None)).expect("JSON");
        assert_eq!(v["layouts"], serde_json::json!(["/a/Outer.tsx", "/a/In\"ner.tsx"]));
        let bare = render_params("/a.tsx", &[], "{}", None, None);
        assert_eq!(bare, "{\"path\":\"/a.tsx\",\"props\":{}}");
    }

    #[test]
    fn render_params_carry_the_contexts() {
        let params =
            render_params("/a.tsx", &[], "{}", Some("{\"current_user\":{\"data\":\"a\\nb\"}}"), Some("n1"));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&params).expect("JSON")["nonce"], "n1");
        let v: serde_json::Value = serde_json::from_str(&params).expect("valid JSON");
        assert_eq!(v["contexts"]["current_user"]["data"], "a\nb");
        assert_eq!(v["props"], serde_json::json!({}));
    }

    #[test]
    fn call_results_echo_the_call_id() {
        let envelope = RawValue::from_string("{\"data\":[1]}".to_owned()).expect("raw");
        let mut out = Vec::new();
        push_call_result(&mut out, "c\"7", &envelope);
        assert_eq!(String::from_utf8(out).expect("UTF-8"), "{\"id\":\"c\\\"7\",\"result\":{\"data\":[1]}}\n");
    }
}
