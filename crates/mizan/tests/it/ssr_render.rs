//! `mizan::render` inside an app: views that take `mizan::Request`, the
//! page, its bundle under `{prefix}/assets/`, error pages, and the rule that
//! building an app or its manifest starts no Bun.
//!
//! Needs `npm install` at the repository root. Run:
//! `cargo test -p mizan --all-features --test it ssr_render::`.

use crate::support::ssr as support;

use std::time::Duration;

use axum::body::Body;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use mizan::{App, Request};
use serde_json::json;
use tower::ServiceExt as _;

#[derive(serde::Deserialize)]
struct NameQuery {
    name: Option<String>,
}

async fn hello(req: Request, Query(q): Query<NameQuery>) -> Response {
    mizan::render(&req, "Hello.tsx", json!({ "name": q.name.unwrap_or_else(|| "World".into()) })).await
}

async fn throws(req: Request) -> Response {
    mizan::render(&req, "Throws.tsx", json!({ "reason": "view failed" })).await
}

async fn missing(req: Request) -> Response {
    mizan::render(&req, "Missing.tsx", json!({})).await
}

async fn hang(req: Request) -> Response {
    mizan::render(&req, "Hang.tsx", json!({})).await
}

fn views() -> axum::Router {
    axum::Router::new()
        .route("/hello/", get(hello))
        .route("/throws/", get(throws))
        .route("/missing/", get(missing))
        .route("/hang/", get(hang))
}

fn app(ssr: mizan::Ssr) -> axum::Router {
    App::new().ssr(ssr).mount("/api/mizan", views()).expect("app builds")
}

async fn get_page(router: &axum::Router, uri: &str) -> (u16, Option<String>, String) {
    let res =
        router.clone().oneshot(axum::http::Request::get(uri).body(Body::empty()).expect("request")).await;
    let res = res.expect("infallible");
    let status = res.status().as_u16();
    let code = res.headers().get("x-mizan-error").map(|v| v.to_str().unwrap_or_default().to_owned());
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.expect("body");
    (status, code, String::from_utf8(bytes.to_vec()).expect("utf-8"))
}

#[tokio::test]
async fn building_an_app_and_its_manifest_starts_no_bun() {
    // A Bun that leaves a mark when it is started.
    let dir = support::temp_project("lazy");
    let marker = dir.join("bun-was-started");
    let wrapper = dir.join("bun");
    let real = support::node_modules().join(".bin/bun");
    std::fs::write(
        &wrapper,
        format!("#!/bin/sh\ntouch '{}'\nexec '{}' \"$@\"\n", marker.display(), real.display()),
    )
    .expect("write wrapper");
    std::fs::set_permissions(&wrapper, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");

    let app = App::new().ssr(support::ssr().bun(&wrapper));
    app.manifest().expect("manifest");
    let router = app.mount("/api/mizan", views()).expect("router");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!marker.exists(), "Bun started before any render");

    let (status, _, _) = get_page(&router, "/hello/").await;
    assert_eq!(status, 200);
    assert!(marker.exists(), "the first render starts Bun");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_view_renders_a_full_page_with_its_bundle() {
    let router = app(support::ssr());
    let (status, _, page) = get_page(&router, "/hello/").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<div id=\"mizan-root\"><div>Hello, World!</div></div>"), "{page}");
    assert!(
        page.contains("<script type=\"application/json\" id=\"mizan-props\">{\"name\":\"World\"}</script>")
    );
    let src = page
        .split("<script type=\"module\" src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("bundle");
    assert!(src.starts_with("/api/mizan/assets/Hello-"), "{src}");
    let (status, _, js) = get_page(&router, src).await;
    assert_eq!(status, 200);
    assert!(js.contains("mizan-root"));
}

#[tokio::test]
async fn a_bundle_from_an_earlier_run_is_rebuilt_on_request() {
    // A page served by one run of the server (one app)...
    let first = app(support::ssr());
    let (_, _, page) = get_page(&first, "/hello/").await;
    let src = page
        .split("<script type=\"module\" src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("bundle")
        .to_owned();
    // ...asks the next run, which has rendered nothing yet, for its bundle.
    let restarted = app(support::ssr());
    let (status, _, js) = get_page(&restarted, &src).await;
    assert_eq!(status, 200, "{src}: {js}");
    assert!(js.contains("mizan-root"));

    // A name with a real stem but another key, or no component at all: 404.
    let key = src.trim_end_matches(".js").rsplit('-').next().expect("key");
    let other = u64::from_str_radix(key, 16).expect("hex key").wrapping_add(1);
    let wrong_key = format!("/api/mizan/assets/Hello-{other:016x}.js");
    for bad in
        [wrong_key.as_str(), "/api/mizan/assets/Nope-0123456789abcdef.js", "/api/mizan/assets/Hello.js"]
    {
        let fresh = app(support::ssr());
        let (status, _, _) = get_page(&fresh, bad).await;
        assert_eq!(status, 404, "{bad}");
    }
}

#[tokio::test]
async fn query_values_are_escaped() {
    let router = app(support::ssr());
    let (status, _, page) = get_page(&router, "/hello/?name=%3C%2Fscript%3E%3C%21--%E2%80%A8").await;
    assert_eq!(status, 200);
    assert!(page.contains("Hello, &lt;/script&gt;&lt;!--\u{2028}!"), "{page}");
    assert!(page.contains("{\"name\":\"\\u003c/script\\u003e\\u003c!--\\u2028\"}"), "{page}");
    // Props, contexts, the page's name (its url percent-encoded) and the bundle.
    assert_eq!(page.matches("</script>").count(), 4);
}

#[tokio::test]
async fn error_pages_by_mode() {
    let prod = app(support::ssr().dev(false));
    let (status, code, page) = get_page(&prod, "/throws/").await;
    assert_eq!((status, code.as_deref()), (500, Some("INTERNAL")));
    assert!(!page.contains("view failed") && !page.contains("Throws.tsx"), "{page}");
    let (status, _, page) = get_page(&prod, "/missing/").await;
    assert_eq!(status, 500);
    assert!(!page.contains("Missing.tsx"), "{page}");

    let dev = app(support::ssr().dev(true));
    let (status, _, page) = get_page(&dev, "/throws/").await;
    assert_eq!(status, 500);
    assert!(page.contains("boom: view failed") && page.contains("Throws.tsx:2:13"), "{page}");
    let (_, _, page) = get_page(&dev, "/missing/").await;
    assert!(page.contains("not found; searched"), "{page}");
}

#[tokio::test]
async fn a_hung_render_answers_504() {
    let router = app(support::ssr().deadline(Duration::from_millis(800)));
    let (status, code, _) = get_page(&router, "/hang/").await;
    assert_eq!((status, code.as_deref()), (504, Some("TIMEOUT")));
    let (status, _, _) = get_page(&router, "/hello/").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn without_ssr_configured_render_is_unavailable() {
    let router = App::new().mount("/api/mizan", views()).expect("app builds");
    let (status, code, _) = get_page(&router, "/hello/").await;
    assert_eq!((status, code.as_deref()), (503, Some("UNAVAILABLE")));
}

#[tokio::test]
async fn bun_missing_is_unavailable() {
    let router = app(support::ssr().bun("/nonexistent/bun"));
    let (status, code, _) = get_page(&router, "/hello/").await;
    assert_eq!((status, code.as_deref()), (503, Some("UNAVAILABLE")));
}

#[tokio::test]
async fn a_page_loads_its_bundle_from_where_the_app_is_mounted() {
    // The mount prefix wins over the one in the configuration.
    let ssr = support::ssr().mount_prefix("/not/here");
    let router = App::new().ssr(ssr).mount("/site/api/", views()).expect("app builds");
    let (status, _, page) = get_page(&router, "/hello/").await;
    assert_eq!(status, 200, "{page}");
    let src = page
        .split("<script type=\"module\" src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a bundle script");
    assert!(src.starts_with("/site/api/assets/Hello-"), "{src}");
    let (status, _, js) = get_page(&router, src).await;
    assert_eq!(status, 200);
    assert!(js.contains("mizan-root"));
}

#[tokio::test]
async fn without_ssr_configured_the_error_page_follows_the_apps_mode() {
    let why = "server-side rendering is not configured";
    let dev = App::new().dev(true).mount("/api/mizan", views()).expect("app builds");
    let (status, code, page) = get_page(&dev, "/hello/").await;
    assert_eq!((status, code.as_deref()), (503, Some("UNAVAILABLE")));
    assert!(page.contains(why) && page.contains("dev mode"), "{page}");
    let prod = App::new().dev(false).mount("/api/mizan", views()).expect("app builds");
    let (status, _, page) = get_page(&prod, "/hello/").await;
    assert_eq!(status, 503);
    assert!(!page.contains(why) && !page.contains("dev mode"), "{page}");
}
