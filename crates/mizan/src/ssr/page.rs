//! The HTML page around a render, and the error pages.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::config::Ssr;
use crate::Error;

/// JSON made safe inside `<script type="application/json">`: `<`, `>`, `&`,
/// U+2028 and U+2029 become `\u` escapes, so no value can close the tag, open a
/// comment or break a line in old parsers. (These characters only occur
/// inside JSON strings, where the escapes mean the same.)
pub(crate) fn escape_json_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    let mut last = 0;
    for (i, c) in json.char_indices() {
        let escaped = match c {
            '<' => "\\u003c",
            '>' => "\\u003e",
            '&' => "\\u0026",
            '\u{2028}' => "\\u2028",
            '\u{2029}' => "\\u2029",
            _ => continue,
        };
        out.push_str(&json[last..i]);
        out.push_str(escaped);
        last = i + c.len_utf8();
    }
    out.push_str(&json[last..]);
    out
}

/// Text made safe for HTML content and attribute values.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The parts of a page.
pub(crate) struct PageParts<'a> {
    pub(crate) html: &'a str,
    pub(crate) props_json: &'a str,
    pub(crate) contexts_json: &'a str,
    pub(crate) script_url: &'a str,
}

/// A full HTML document: the rendered component alone inside
/// `#mizan-root`, then the props, the contexts and the bundle.
pub(crate) fn build_page(cfg: &Ssr, parts: &PageParts<'_>) -> String {
    let mut page = String::with_capacity(parts.html.len() + parts.props_json.len() + 512);
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n",
        lang = escape_html(&cfg.lang),
        title = escape_html(&cfg.title),
    );
    if !cfg.head.is_empty() {
        page.push_str(&cfg.head);
        page.push('\n');
    }
    page.push_str("</head>\n<body>\n<div id=\"mizan-root\">");
    page.push_str(parts.html);
    page.push_str("</div>\n<script type=\"application/json\" id=\"mizan-props\">");
    page.push_str(&escape_json_for_script(parts.props_json));
    page.push_str("</script>\n<script type=\"application/json\" id=\"mizan-contexts\">");
    page.push_str(&escape_json_for_script(parts.contexts_json));
    page.push_str("</script>\n");
    let _ = writeln!(page, "<script type=\"module\" src=\"{}\"></script>", escape_html(parts.script_url));
    page.push_str("</body>\n</html>\n");
    page
}

/// `File.tsx:line:col` of the first stack frame in the component dirs
/// (outside `node_modules`), shown relative to its dir.
pub(crate) fn locate(stack: &str, dirs: &[PathBuf]) -> Option<String> {
    for line in stack.lines() {
        let line = line.trim();
        let Some(frame) = line.strip_prefix("at ") else { continue };
        // `at fn (path:l:c)` or `at path:l:c`
        let loc = match (frame.rfind('('), frame.ends_with(')')) {
            (Some(open), true) => &frame[open + 1..frame.len() - 1],
            _ => frame,
        };
        let loc = loc.strip_prefix("file://").unwrap_or(loc);
        let mut parts = loc.rsplitn(3, ':');
        let (Some(col), Some(lineno), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if col.parse::<u32>().is_err() || lineno.parse::<u32>().is_err() || path.contains("/node_modules/") {
            continue;
        }
        let path = Path::new(path);
        if let Some(rel) = dirs.iter().find_map(|d| path.strip_prefix(d).ok()) {
            return Some(format!("{}:{lineno}:{col}", rel.display()));
        }
    }
    None
}

/// What went wrong in a render, for the error page and the log.
#[derive(Debug, Clone)]
pub(crate) struct RenderFailure {
    pub(crate) error: Error,
    /// The component's own error: message, location, stack.
    pub(crate) thrown: Option<Thrown>,
}

/// A component's exception.
#[derive(Debug, Clone)]
pub(crate) struct Thrown {
    pub(crate) component: String,
    pub(crate) message: String,
    pub(crate) location: Option<String>,
    pub(crate) stack: String,
}

fn status_line(status: StatusCode) -> String {
    format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or("Error"))
}

fn html_response(status: StatusCode, code: &str, body: String) -> Response {
    let mut res = (status, body).into_response();
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(code) {
        headers.insert("x-mizan-error", v);
    }
    res
}

/// The error page: in dev mode the message, the component's
/// `File.tsx:line:col` and its stack; in production a plain page for the
/// status (with the request id, when known).
pub(crate) fn error_page(failure: &RenderFailure, dev: bool, request_id: Option<&str>) -> Response {
    let status = failure.error.status();
    let code = failure.error.code().to_owned();
    let title = status_line(status);
    let mut body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n\
         <style>body{{font-family:system-ui,sans-serif;margin:2rem;}}pre{{background:#f6f6f6;padding:1rem;overflow:auto;}}\
         .where{{font-family:monospace;}}</style>\n</head>\n<body>\n<h1>{t}</h1>\n",
        t = escape_html(&title)
    );
    if dev {
        match &failure.thrown {
            Some(t) => {
                let _ = write!(
                    body,
                    "<p>Rendering <code>{c}</code> failed.</p>\n<h2 class=\"message\">{m}</h2>\n",
                    c = escape_html(&t.component),
                    m = escape_html(&t.message)
                );
                if let Some(loc) = &t.location {
                    let _ = writeln!(body, "<p class=\"where\">at {}</p>", escape_html(loc));
                }
                let _ = writeln!(body, "<pre class=\"stack\">{}</pre>", escape_html(&t.stack));
            }
            None => {
                let _ = writeln!(
                    body,
                    "<p><code>{}</code></p>\n<pre class=\"message\">{}</pre>",
                    escape_html(&code),
                    escape_html(failure.error.message())
                );
            }
        }
        body.push_str("<p><small>This page shows details because mizan runs in dev mode.</small></p>\n");
    }
    if let Some(id) = request_id {
        let _ = writeln!(body, "<p><small>request id: {}</small></p>", escape_html(id));
    }
    body.push_str("</body>\n</html>\n");
    html_response(status, &code, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_tag() {
        let json = serde_json::json!({"x": "</script><!-- \u{2028}\u{2029} & >"}).to_string();
        let safe = escape_json_for_script(&json);
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!safe.contains(bad), "{bad:?} left in {safe}");
        }
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back["x"], "</script><!-- \u{2028}\u{2029} & >");
    }

    #[test]
    fn locates_the_component_frame() {
        let dirs = vec![PathBuf::from("/app/frontend")];
        let stack = "Error: boom\n    at helper (/app/node_modules/x/index.js:1:2)\n    \
                     at Throws (/app/frontend/components/Throws.tsx:2:13)\n    at render (/x/worker.ts:9:9)";
        assert_eq!(locate(stack, &dirs).as_deref(), Some("components/Throws.tsx:2:13"));
        assert_eq!(locate("at /app/frontend/A.tsx:3:4", &dirs).as_deref(), Some("A.tsx:3:4"));
        assert_eq!(locate("Error: x", &dirs), None);
    }
}
