//! The HTML page around a render: the component's HTML in the root
//! element, its props and the page's contexts as JSON scripts, the bundle.
//!
//! The element ids are shared with the browser and the SSR worker, which
//! take them from `packages/client/src/page.ts`; a test below holds the two
//! definitions equal.

use std::fmt::Write as _;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::config::Ssr;
use super::head::Head;
use super::headers::{PageHeaders, nonce_attr};
use crate::{Error, Result};

/// Id of the element the rendered component's HTML lives in.
pub(crate) const ROOT_ID: &str = "mizan-root";
/// Id of the JSON script holding the component's props.
pub(crate) const PROPS_ID: &str = "mizan-props";
/// Id of the JSON script holding the page's global contexts.
pub(crate) const CONTEXTS_ID: &str = "mizan-contexts";
/// Id of the JSON script holding the queries the render read.
pub(crate) const QUERIES_ID: &str = "mizan-queries";
/// Id of the JSON script naming the page: `{"component","url","version"}`.
pub(crate) const PAGE_ID: &str = "mizan-page";
/// Id of the JSON script ending a streamed page whose render failed after
/// its shell was sent (the error's envelope).
pub(crate) const ERROR_ID: &str = "mizan-error";

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

/// The parts of a page after its root element.
pub(crate) struct PageParts<'a> {
    pub(crate) props_json: &'a str,
    pub(crate) contexts_json: &'a str,
    /// The render's queries (TanStack Query's dehydrated state), if it read any.
    pub(crate) queries_json: Option<&'a str>,
    /// The page's name, `{"component","url","version"}` ([`page_json`]).
    pub(crate) page_json: &'a str,
    pub(crate) script_url: &'a str,
    /// The Content-Security-Policy nonce the page's scripts carry.
    pub(crate) nonce: Option<&'a str>,
}

/// A full HTML document: the rendered component alone inside
/// `#mizan-root`, then the props, the contexts, the queries and the bundle.
pub(crate) fn build_page(cfg: &Ssr, head: &Head, html: &str, parts: &PageParts<'_>) -> String {
    let mut page = String::with_capacity(html.len() + parts.props_json.len() + 512);
    page.push_str(&page_start(cfg, head));
    page.push_str(html);
    page.push_str(ROOT_END);
    push_page_end(&mut page, parts);
    page
}

/// A page up to and including the root element's start tag: the title
/// (the page's own, else the configuration's), the page's meta tags, the
/// configuration's head.
pub(crate) fn page_start(cfg: &Ssr, head: &Head) -> String {
    let mut page = String::with_capacity(256 + cfg.head.len());
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n",
        lang = escape_html(&cfg.lang),
        title = escape_html(head.title.as_deref().unwrap_or(&cfg.title)),
    );
    page.push_str(&head.meta_html());
    if !cfg.head.is_empty() {
        page.push_str(&cfg.head);
        page.push('\n');
    }
    let _ = write!(page, "</head>\n<body>\n<div id=\"{ROOT_ID}\">");
    page
}

/// The root element's end tag.
pub(crate) const ROOT_END: &str = "</div>\n";

/// What follows the root element (and a streamed page's late segments):
/// the props, the contexts, the queries, the bundle, the document's end.
pub(crate) fn push_page_end(page: &mut String, parts: &PageParts<'_>) {
    let nonce = nonce_attr(parts.nonce);
    let _ = write!(page, "<script type=\"application/json\" id=\"{PROPS_ID}\"{nonce}>");
    page.push_str(&escape_json_for_script(parts.props_json));
    let _ = write!(page, "</script>\n<script type=\"application/json\" id=\"{CONTEXTS_ID}\"{nonce}>");
    page.push_str(&escape_json_for_script(parts.contexts_json));
    page.push_str("</script>\n");
    if let Some(queries) = parts.queries_json {
        let _ = write!(page, "<script type=\"application/json\" id=\"{QUERIES_ID}\"{nonce}>");
        page.push_str(&escape_json_for_script(queries));
        page.push_str("</script>\n");
    }
    let _ = write!(page, "<script type=\"application/json\" id=\"{PAGE_ID}\"{nonce}>");
    page.push_str(&escape_json_for_script(parts.page_json));
    page.push_str("</script>\n");
    push_script(page, parts.script_url, parts.nonce);
}

/// The bundle's script and the document's end.
fn push_script(page: &mut String, script_url: &str, nonce: Option<&str>) {
    let nonce = nonce_attr(nonce);
    let _ = writeln!(page, "<script type=\"module\" src=\"{}\"{nonce}></script>", escape_html(script_url));
    page.push_str("</body>\n</html>\n");
}

/// The end of a streamed page whose render failed after its shell was
/// sent: the error's envelope in `#mizan-error` (the browser entry reports
/// it and does not hydrate), the bundle, the document's end.
pub(crate) fn failed_page_end(envelope: &str, script_url: Option<&str>, nonce: Option<&str>) -> String {
    let mut end = String::with_capacity(envelope.len() + 256);
    let attr = nonce_attr(nonce);
    let _ = write!(end, "<script type=\"application/json\" id=\"{ERROR_ID}\"{attr}>");
    end.push_str(&escape_json_for_script(envelope));
    end.push_str("</script>\n");
    match script_url {
        Some(url) => push_script(&mut end, url, nonce),
        None => end.push_str("</body>\n</html>\n"),
    }
    end
}

/// The page as a response: 200, HTML, `no-cache`, the page headers (the
/// policy with the page's `nonce`).
pub(crate) fn page_response(page: String, page_headers: &PageHeaders, nonce: Option<&str>) -> Response {
    let mut res = page.into_response();
    let headers = res.headers_mut();
    page_headers.apply(headers, nonce);
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

/// The page's name as JSON: the component as given to the view, the
/// request's path and query (`null` for a page rendered outside a
/// request), the asset version, and, only when the page has layouts,
/// `layouts` (outermost first).
pub(crate) fn page_json(component: &str, url: Option<&str>, version: &str, layouts: &[String]) -> String {
    let mut page = serde_json::json!({ "component": component, "url": url, "version": version });
    if !layouts.is_empty()
        && let Some(object) = page.as_object_mut()
    {
        object.insert("layouts".to_owned(), serde_json::json!(layouts));
    }
    page.to_string()
}

/// Props as JSON: an object (null means `{}`).
pub(crate) fn props_json(props: &serde_json::Value) -> Result<String> {
    match props {
        serde_json::Value::Null => Ok("{}".to_owned()),
        serde_json::Value::Object(_) => serde_json::to_string(props)
            .map_err(|e| Error::internal(format!("props are not serializable: {e}"))),
        other => Err(not_an_object(match other {
            serde_json::Value::Array(_) => "an array",
            serde_json::Value::String(_) => "a string",
            serde_json::Value::Number(_) => "a number",
            _ => "a boolean",
        })),
    }
}

/// Props serialized once, straight from the view's value: an object is
/// kept as it is, `null` becomes `{}`, anything else is refused as
/// [`props_json`] refuses it (told apart by its first byte).
pub(crate) fn props_object(json: String) -> Result<String> {
    match json.as_bytes().first() {
        Some(b'{') => Ok(json),
        Some(b'n') => Ok("{}".to_owned()),
        Some(b'[') => Err(not_an_object("an array")),
        Some(b'"') => Err(not_an_object("a string")),
        Some(b't' | b'f') => Err(not_an_object("a boolean")),
        _ => Err(not_an_object("a number")),
    }
}

fn not_an_object(what: &str) -> Error {
    Error::internal(format!("props must be a JSON object (React props), not {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialized_props_must_be_an_object() {
        use serde_json::json;
        for v in [
            json!({"a": [1, "x"]}),
            json!(null),
            json!([1]),
            json!("s"),
            json!(true),
            json!(false),
            json!(-1.5),
            json!(3),
        ] {
            let once =
                props_object(serde_json::to_string(&v).expect("json")).map_err(|e| e.message().to_owned());
            let twice = props_json(&v).map_err(|e| e.message().to_owned());
            assert_eq!(once, twice, "{v}");
        }
    }

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

    /// The repository root (the crate is `crates/mizan`).
    fn repo() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the repository")
    }

    /// `export const NAME = "value";` lines of a TypeScript file.
    fn ts_string_consts(ts: &str) -> std::collections::BTreeMap<String, String> {
        ts.lines()
            .filter_map(|line| {
                let rest = line.trim().strip_prefix("export const ")?;
                let (name, value) = rest.split_once(" = ")?;
                let value = value.trim_end_matches(';').strip_prefix('"')?.strip_suffix('"')?;
                Some((name.to_owned(), value.to_owned()))
            })
            .collect()
    }

    #[test]
    fn page_ids_are_the_typescript_ones() {
        let path = repo().join("packages/client/src/page.ts");
        let ts = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ts_ids: std::collections::BTreeMap<String, String> =
            ts_string_consts(&ts).into_iter().filter(|(name, _)| name.ends_with("_ID")).collect();
        let rust_ids: std::collections::BTreeMap<String, String> = [
            ("ROOT_ID", ROOT_ID),
            ("PROPS_ID", PROPS_ID),
            ("CONTEXTS_ID", CONTEXTS_ID),
            ("QUERIES_ID", QUERIES_ID),
            ("PAGE_ID", PAGE_ID),
            ("ERROR_ID", ERROR_ID),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
        assert_eq!(ts_ids, rust_ids, "the page ids in ssr/page.rs and {} differ", path.display());
    }

    /// Files under `dir` (recursively) with one of `exts`.
    fn files(dir: &std::path::Path, exts: &[&str]) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.contains(&e)) {
                    out.push(path);
                }
            }
        }
        out
    }

    /// Code lines (not comments) of `text` spelling one of `names` as a
    /// string literal.
    fn spelled(text: &str, names: &[&str]) -> Vec<String> {
        text.lines()
            .filter(|line| {
                let line = line.trim_start();
                !(line.starts_with("//") || line.starts_with("/*") || line.starts_with('*'))
            })
            .filter(|line| {
                names
                    .iter()
                    .any(|name| ['"', '\'', '`'].iter().any(|q| line.contains(&format!("{q}{name}{q}"))))
            })
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn page_ids_are_spelled_once() {
        let ts_names = [ROOT_ID, PROPS_ID, CONTEXTS_ID, QUERIES_ID, PAGE_ID, ERROR_ID];
        let root = repo();
        let source = root.join("packages/client/src/page.ts").canonicalize().expect("page.ts");
        let mut ts_files = files(&root.join("packages/client/src"), &["ts", "tsx"]);
        ts_files.extend(files(&root.join("packages/ssr/src"), &["ts", "tsx"]));
        let mut found_source = false;
        for file in ts_files {
            let text = std::fs::read_to_string(&file).expect("read");
            let hits = spelled(&text, &ts_names);
            if file.canonicalize().expect("canonical") == source {
                found_source = true;
                assert_eq!(hits.len(), ts_names.len(), "page.ts defines each name once: {hits:?}");
            } else {
                assert!(
                    hits.is_empty(),
                    "{} spells a page name instead of importing it: {hits:?}",
                    file.display()
                );
            }
        }
        assert!(found_source, "packages/client/src/page.ts was not scanned");
        let this = std::path::Path::new(file!()).file_name().expect("name");
        for file in files(&root.join("crates/mizan/src"), &["rs"]) {
            let text = std::fs::read_to_string(&file).expect("read");
            let hits = spelled(&text, &ts_names);
            if file.ends_with(std::path::Path::new("ssr").join(this)) {
                continue;
            }
            assert!(
                hits.is_empty(),
                "{} spells a page id instead of using ssr/page.rs: {hits:?}",
                file.display()
            );
        }
    }
}
