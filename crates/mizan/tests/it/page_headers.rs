//! The security headers on rendered pages and error pages, and the
//! Content-Security-Policy nonce mizan's own scripts carry.
//!
//! Needs `npm install` at the repository root (Bun renders the pages).

use crate::support::ssr as support;

use axum::body::Body;
use axum::response::Response;
use axum::routing::get;
use mizan::{App, PageHeaders, Request};
use serde_json::json;
use tower::ServiceExt as _;

async fn hello(req: Request) -> Response {
    mizan::render(&req, "Hello.tsx", json!({ "name": "World" })).await
}

async fn throws(req: Request) -> Response {
    mizan::render(&req, "Throws.tsx", json!({ "reason": "view failed" })).await
}

fn site(app: App) -> axum::Router {
    let views = axum::Router::new().route("/hello/", get(hello)).route("/throws/", get(throws));
    app.mount("/api/mizan", views).expect("app builds")
}

/// The response's headers and body.
async fn page(router: &axum::Router, uri: &str) -> (axum::http::HeaderMap, String) {
    let res =
        router.clone().oneshot(axum::http::Request::get(uri).body(Body::empty()).expect("request")).await;
    let res = res.expect("infallible");
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.expect("body");
    (headers, String::from_utf8(bytes.to_vec()).expect("utf-8"))
}

fn header<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|v| v.to_str().expect("ascii"))
}

#[tokio::test]
async fn pages_and_error_pages_carry_the_default_headers() {
    let router = site(App::new().ssr(support::ssr()));
    for uri in ["/hello/", "/throws/"] {
        let (h, body) = page(&router, uri).await;
        assert_eq!(header(&h, "x-content-type-options"), Some("nosniff"), "{uri}");
        assert_eq!(header(&h, "referrer-policy"), Some("strict-origin-when-cross-origin"), "{uri}");
        assert_eq!(header(&h, "x-frame-options"), Some("DENY"), "{uri}");
        assert_eq!(header(&h, "content-security-policy"), None, "{uri}");
        assert!(!body.contains("nonce="), "no policy, no nonce: {body}");
    }
    // Without SSR configured, the error page still has them.
    let bare = site(App::new());
    let (h, _) = page(&bare, "/hello/").await;
    assert_eq!(header(&h, "x-frame-options"), Some("DENY"));
    assert_eq!(header(&h, "x-content-type-options"), Some("nosniff"));
}

#[tokio::test]
async fn a_policy_gets_a_fresh_nonce_that_every_script_of_the_page_carries() {
    let headers =
        PageHeaders::new().frame_options(Some("SAMEORIGIN")).content_security_policy(PageHeaders::STRICT_CSP);
    let router = site(App::new().ssr(support::ssr()).page_headers(headers));
    let (h, body) = page(&router, "/hello/").await;
    assert_eq!(header(&h, "x-frame-options"), Some("SAMEORIGIN"));
    let csp = header(&h, "content-security-policy").expect("a policy");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy")
        .to_owned();
    assert!(nonce.len() >= 32 && nonce.chars().all(|c| c.is_ascii_alphanumeric()), "{nonce}");
    let scripts = body.matches("<script").count();
    assert_eq!(scripts, 4, "props, contexts, the page and the bundle: {body}");
    assert_eq!(body.matches(&format!("nonce=\"{nonce}\"")).count(), scripts, "{body}");
    // Another response, another nonce.
    let (h2, body2) = page(&router, "/hello/").await;
    assert_ne!(header(&h2, "content-security-policy"), Some(csp));
    assert!(!body2.contains(&nonce));
    // The error page's own style carries its nonce too.
    let (h, body) = page(&router, "/throws/").await;
    let csp = header(&h, "content-security-policy").expect("a policy on the error page");
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("nonce");
    assert!(body.contains(&format!("<style nonce=\"{nonce}\">")), "{body}");

    let framed = site(App::new().ssr(support::ssr()).page_headers(PageHeaders::new().frame_options(None)));
    let (h, _) = page(&framed, "/hello/").await;
    assert_eq!(header(&h, "x-frame-options"), None);
    assert_eq!(header(&h, "x-content-type-options"), Some("nosniff"));
}
