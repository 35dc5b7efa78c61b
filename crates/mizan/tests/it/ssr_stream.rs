//! Streamed pages, against real Bun workers: a page with something
//! pending under `<Suspense>` sends its shell first (chunked) and the
//! boundary when it arrives, React's inline scripts carrying the page's CSP
//! nonce; a worker that dies after the shell ends the document with
//! `#mizan-error` and is not retried; a failure outside any boundary is a
//! 500 `INTERNAL`; a page with nothing pending is sent whole.
//!
//! Needs `npm install` at the repository root. Run:
//! `cargo test -p mizan --all-features --test it ssr_stream::`.

use crate::support::ssr as ssr_support;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use futures_util::StreamExt;
use mizan::{App, PageHeaders, Request};
use serde_json::json;
use tower::ServiceExt as _;

async fn page(req: Request, Path((mode, bare)): Path<(String, String)>) -> Response {
    mizan::render(&req, "Streams.tsx", json!({ "mode": mode, "bare": bare == "bare" })).await
}

fn router() -> axum::Router {
    let app = App::new()
        .ssr(ssr_support::ssr())
        .page_headers(PageHeaders::new().content_security_policy(PageHeaders::STRICT_CSP));
    app.mount("/api/mizan", axum::Router::new().route("/page/{mode}/{bare}", get(page))).expect("app builds")
}

/// The response's status, headers, and its body's pieces with when each came.
async fn fetch(router: &axum::Router, uri: &str) -> (u16, axum::http::HeaderMap, Vec<(Duration, String)>) {
    let started = Instant::now();
    let req = axum::http::Request::get(uri).body(Body::empty()).expect("request");
    let res = router.clone().oneshot(req).await.expect("infallible");
    let (parts, body) = res.into_parts();
    let mut stream = body.into_data_stream();
    let mut pieces = Vec::new();
    while let Some(piece) = stream.next().await {
        let bytes = piece.expect("a piece");
        pieces.push((started.elapsed(), String::from_utf8(bytes.to_vec()).expect("UTF-8")));
    }
    (parts.status.as_u16(), parts.headers, pieces)
}

fn nonce_of(headers: &axum::http::HeaderMap) -> String {
    let csp = headers["content-security-policy"].to_str().expect("ASCII");
    let from = csp.find("'nonce-").expect("a nonce") + "'nonce-".len();
    csp[from..from + csp[from..].find('\'').expect("its end")].to_owned()
}

#[tokio::test]
async fn a_pending_boundary_streams_after_the_shell_with_the_nonce() {
    let router = router();
    let (status, headers, pieces) = fetch(&router, "/page/late/boundary").await;
    assert_eq!(status, 200);
    assert!(!headers.contains_key("content-length"), "streamed");
    let first = &pieces[0];
    assert!(first.1.contains("<h1>shell</h1>") && first.1.contains("waiting"), "the shell first: {first:?}");
    assert!(!first.1.contains(">late<"), "{first:?}");
    let late = pieces.iter().find(|p| p.1.contains(">late<")).expect("the boundary");
    assert!(
        late.0 >= first.0 + Duration::from_millis(100),
        "the boundary later: {:?} vs {:?}",
        late.0,
        first.0
    );
    let page: String = pieces.iter().map(|p| p.1.as_str()).collect();
    let nonce = nonce_of(&headers);
    let root_end = page.find("</div>\n").expect("the root's end");
    assert!(!page[..root_end].contains("<script"), "nothing but React's page in the root");
    let scripts: Vec<&str> =
        page.match_indices("<script").map(|(i, _)| &page[i..i + page[i..].find('>').unwrap()]).collect();
    assert!(scripts.len() >= 4, "{scripts:?}");
    for script in scripts {
        assert!(script.contains(&format!("nonce=\"{nonce}\"")), "{script} carries the page's nonce");
    }
    assert!(page.ends_with("</html>\n"));
}

#[tokio::test]
async fn nothing_pending_under_a_boundary_is_sent_whole() {
    let router = router();
    let (status, headers, pieces) = fetch(&router, "/page/late/bare").await;
    assert_eq!(status, 200);
    assert!(headers.contains_key("content-length"), "whole");
    let page: String = pieces.iter().map(|p| p.1.as_str()).collect();
    assert!(page.contains("<p id=\"late\">late</p>"), "{page}");
}

#[tokio::test]
async fn a_worker_dying_after_the_shell_ends_the_document_with_the_error_marker() {
    let router = router();
    let (status, _, pieces) = fetch(&router, "/page/exit/boundary").await;
    assert_eq!(status, 200, "the shell went out: the status stays");
    let page: String = pieces.iter().map(|p| p.1.as_str()).collect();
    assert!(page.contains("<h1>shell</h1>"), "{page}");
    let marker = page.find("id=\"mizan-error\"").expect("the error marker");
    let envelope = &page[marker..];
    let envelope = &envelope[envelope.find('>').unwrap() + 1..envelope.find("</script>").unwrap()];
    let envelope: serde_json::Value = serde_json::from_str(envelope).expect("an envelope");
    assert_eq!(envelope["error"]["code"], "INTERNAL", "{envelope}");
    assert_eq!(envelope["error"]["message"], "internal error", "no details on the wire: {envelope}");
    assert!(envelope["error"]["request_id"].is_string(), "the request id to quote: {envelope}");
    assert!(!page.contains("id=\"mizan-props\""), "not hydrated: {page}");
    assert!(page.ends_with("</html>\n"), "{page}");
    // Not retried: the next page renders on a fresh worker, once.
    let (status, _, pieces) = fetch(&router, "/page/late/bare").await;
    assert_eq!(status, 200, "{pieces:?}");
}

#[tokio::test]
async fn a_failure_outside_any_boundary_is_a_500() {
    let router = router();
    let (status, headers, _) = fetch(&router, "/page/reject/bare").await;
    assert_eq!(status, 500);
    assert_eq!(headers["x-mizan-error"], "INTERNAL");
}

#[tokio::test]
async fn a_failure_inside_a_boundary_is_left_to_the_browsers_error_boundary() {
    let router = router();
    let (status, _, pieces) = fetch(&router, "/page/reject/boundary").await;
    assert_eq!(status, 200);
    let page: String = pieces.iter().map(|p| p.1.as_str()).collect();
    assert!(page.contains("<h1>shell</h1>") && page.contains("waiting"), "{page}");
    // React marks the boundary for the browser to render, where the
    // nearest error boundary takes the error.
    assert!(page.contains("$RX") || page.contains("<!--$!-->"), "{page}");
    assert!(!page.contains("id=\"mizan-error\""), "the page itself is fine: {page}");
    assert!(page.contains("id=\"mizan-props\"") && page.ends_with("</html>\n"), "{page}");
}
