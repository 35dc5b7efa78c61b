//! The HTML document the sidecar setup wraps a render in: byte for byte the
//! page `mizan::render` makes for the bench app (no title, `lang="en"`, empty
//! contexts, no nonce), and the same headers. `page.ts` is the Bun servers'
//! copy; run.sh compares the three setups' pages before it measures.

use axum::http::{HeaderName, HeaderValue, header};

/// The response headers of a page, as mizan sends them with the default
/// page headers (the CSRF cookie aside).
pub(crate) const HEADERS: [(HeaderName, HeaderValue); 5] = [
    (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
    (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    (header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin")),
    (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
];

/// The bundle URL a component's page loads: `$SSR_HTTP_SCRIPT_<NAME>` (run.sh
/// passes the bench app's, so that the documents are the same).
pub(crate) fn script_url(component: &str) -> Result<String, String> {
    let var = format!("SSR_HTTP_SCRIPT_{}", component.to_uppercase());
    std::env::var(&var).map_err(|_| format!("${var} is not set: the bundle URL of {component}'s page"))
}

/// JSON made safe inside `<script type="application/json">`, as mizan does it.
fn push_script_json(page: &mut String, json: &str) {
    for c in json.chars() {
        match c {
            '<' => page.push_str("\\u003c"),
            '>' => page.push_str("\\u003e"),
            '&' => page.push_str("\\u0026"),
            '\u{2028}' => page.push_str("\\u2028"),
            '\u{2029}' => page.push_str("\\u2029"),
            c => page.push(c),
        }
    }
}

/// The page around a render: `html` in the root, `props_json` in the props
/// script, empty contexts, the bundle `script` (already safe in an attribute).
pub(crate) fn document(html: &str, props_json: &str, script: &str) -> String {
    let mut page = String::with_capacity(html.len() + props_json.len() + 512);
    page.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title></title>\n\
         </head>\n<body>\n<div id=\"mizan-root\">",
    );
    page.push_str(html);
    page.push_str("</div>\n<script type=\"application/json\" id=\"mizan-props\">");
    push_script_json(&mut page, props_json);
    page.push_str("</script>\n<script type=\"application/json\" id=\"mizan-contexts\">{}</script>\n");
    page.push_str("<script type=\"module\" src=\"");
    page.push_str(script);
    page.push_str("\"></script>\n</body>\n</html>\n");
    page
}
