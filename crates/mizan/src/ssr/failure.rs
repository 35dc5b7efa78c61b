//! A render that failed: what went wrong, where in the component, the error
//! page shown for it and the log line written for it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::headers::{PageHeaders, nonce_attr};
use super::page::escape_html;
use crate::Error;

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

impl RenderFailure {
    /// A failure around the component (not its own exception).
    pub(crate) fn plain(error: Error) -> Self {
        Self { error, thrown: None }
    }

    /// The component `name` threw `message`; `dirs` (canonical) place the
    /// stack's first frame in the component's own files.
    pub(crate) fn threw(name: &str, message: String, stack: String, dirs: &[PathBuf]) -> Self {
        let location = component_location(&stack, dirs);
        let at = location.as_deref().map(|l| format!(" at {l}")).unwrap_or_default();
        Self {
            error: Error::internal(format!("{name} threw: {message}{at}")),
            thrown: Some(Thrown { component: name.to_owned(), message, location, stack }),
        }
    }

    /// Logs the failure of rendering `name`.
    pub(crate) fn log(&self, name: &str, request_id: Option<&str>) {
        let e = &self.error;
        match &self.thrown {
            Some(t) => tracing::error!(
                target: "mizan::ssr",
                component = name,
                request_id,
                location = t.location.as_deref(),
                "rendering {name} failed: {}\n{}",
                t.message,
                t.stack
            ),
            None => tracing::error!(
                target: "mizan::ssr",
                component = name,
                request_id,
                code = e.code(),
                "rendering {name} failed: {}",
                e.message()
            ),
        }
    }
}

/// `File.tsx:line:col` of the first stack frame in the component dirs
/// (outside `node_modules`), shown relative to its dir.
fn component_location(stack: &str, dirs: &[PathBuf]) -> Option<String> {
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
pub(crate) fn error_page(
    failure: &RenderFailure,
    dev: bool,
    request_id: Option<&str>,
    page_headers: &PageHeaders,
) -> Response {
    let nonce = page_headers.nonce();
    let status = failure.error.status();
    let code = failure.error.code().to_owned();
    let title = status_line(status);
    let mut body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n\
         <style{n}>body{{font-family:system-ui,sans-serif;margin:2rem;}}pre{{background:#f6f6f6;padding:1rem;overflow:auto;}}\
         .where{{font-family:monospace;}}</style>\n</head>\n<body>\n<h1>{t}</h1>\n",
        t = escape_html(&title),
        n = nonce_attr(nonce.as_deref()),
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
    let mut res = html_response(status, &code, body);
    page_headers.apply(res.headers_mut(), nonce.as_deref());
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_the_component_frame() {
        let dirs = vec![PathBuf::from("/app/frontend")];
        let stack = "Error: boom\n    at helper (/app/node_modules/x/index.js:1:2)\n    \
                     at Throws (/app/frontend/components/Throws.tsx:2:13)\n    at render (/x/worker.ts:9:9)";
        assert_eq!(component_location(stack, &dirs).as_deref(), Some("components/Throws.tsx:2:13"));
        assert_eq!(component_location("at /app/frontend/A.tsx:3:4", &dirs).as_deref(), Some("A.tsx:3:4"));
        assert_eq!(component_location("Error: x", &dirs), None);
    }
}
