//! Global contexts: `mizan::render` runs them in-process for the request
//! and embeds their envelopes in `#mizan-contexts` (escaped), the component
//! renders with them, a failing one never breaks the page, they stay
//! callable over HTTP, and global contexts that need arguments are refused
//! at start-up.
//!
//! Needs `npm install` at the repository root. Run:
//! `cargo test -p mizan --all-features --test it contexts::`.

use crate::support;
use crate::support::ssr as ssr_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::response::Response;
use axum::routing::get;
use mizan::{App, Identity, Request, Role};
use serde_json::{Map, Value, json};
use tower::ServiceExt as _;

/// Who is signed in (their id), or null.
#[mizan::client(query, context = "global")]
async fn current_user(req: &Request) -> mizan::Result<Option<String>> {
    Ok(req.identity().map(|i| i.id().to_owned()))
}

/// Needs an identity: anonymous pages get its UNAUTHENTICATED error.
#[mizan::client(query, context = "global", auth = true)]
async fn account(req: &Request) -> mizan::Result<String> {
    Ok(format!("account of {}", req.identity().map(Identity::id).unwrap_or_default()))
}

/// Text that would end a script tag if it were not escaped; an argument
/// with a default is fine for a global context.
#[mizan::client(query, context = "global")]
async fn motto(_req: &Request, #[serde(default)] shout: bool) -> mizan::Result<String> {
    let text = "</script><script>alert(1)</script><!-- & \u{2028}\u{2029}";
    Ok(if shout { text.to_uppercase() } else { text.to_owned() })
}

/// Fails with an internal error whose message must not reach the page.
#[mizan::client(query, context = "global")]
async fn broken(_req: &Request) -> mizan::Result<u32> {
    Err(mizan::Error::internal("the database password is hunter2"))
}

/// Panics.
#[mizan::client(query, context = "global")]
async fn panics(_req: &Request) -> mizan::Result<u32> {
    panic!("context exploded")
}

/// A number.
#[mizan::client(query, context = "global")]
async fn counted(_req: &Request) -> mizan::Result<usize> {
    Ok(42)
}

static GIVEN_RUNS: AtomicUsize = AtomicUsize::new(0);

/// Counts how often it runs (registered only by the test of given values).
#[mizan::client(query, context = "global")]
async fn given_or_run(_req: &Request) -> mizan::Result<usize> {
    Ok(GIVEN_RUNS.fetch_add(1, Ordering::SeqCst) + 1)
}

/// A local context: fetched by its provider, never embedded.
#[mizan::client(query, context = "local")]
async fn greet(_req: &Request, name: String) -> mizan::Result<String> {
    Ok(format!("Hello, {name}!"))
}

/// Not a context at all.
#[mizan::client(query)]
async fn plain(_req: &Request) -> mizan::Result<u32> {
    Ok(1)
}

/// Sleeps past any test deadline.
#[mizan::client(query, context = "global")]
async fn sleepy(_req: &Request) -> mizan::Result<u32> {
    tokio::time::sleep(Duration::from_secs(30)).await;
    Ok(1)
}

const NAMES: [&str; 8] =
    ["current_user", "account", "motto", "broken", "panics", "counted", "greet", "plain"];

fn app() -> App {
    App::new()
        .authenticator(support::TestAuth)
        .register(current_user)
        .register(account)
        .register(motto)
        .register(broken)
        .register(panics)
        .register(counted)
        .register(greet)
        .register(plain)
        .ssr(ssr_support::ssr())
}

async fn page(req: Request) -> Response {
    mizan::render(&req, "Contexts.tsx", json!({ "names": NAMES })).await
}

async fn page_with_given(req: Request) -> Response {
    let mut given = Map::new();
    given.insert("given_or_run".into(), json!(-7));
    let names = json!({ "names": ["given_or_run", "current_user"] });
    mizan::render_with_contexts(&req, "Contexts.tsx", names, &given).await
}

async fn slow_page(req: Request) -> Response {
    mizan::render(&req, "Awaits.tsx", json!({ "ms": 500, "label": "slow" })).await
}

async fn fast_page(req: Request) -> Response {
    mizan::render(&req, "Awaits.tsx", json!({ "ms": 20, "label": "fast" })).await
}

fn router() -> axum::Router {
    let views = axum::Router::new()
        .route("/page/", get(page))
        .route("/slow/", get(slow_page))
        .route("/fast/", get(fast_page));
    app().mount("/api/mizan", views).expect("app builds")
}

async fn send(router: &axum::Router, req: axum::http::Request<Body>) -> (u16, String) {
    let res = router.clone().oneshot(req).await.expect("infallible");
    let status = res.status().as_u16();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.expect("body");
    (status, String::from_utf8(bytes.to_vec()).expect("utf-8"))
}

async fn get_page(router: &axum::Router, uri: &str, token: Option<&str>) -> (u16, String) {
    let mut req = axum::http::Request::get(uri);
    if let Some(token) = token {
        req = req.header("authorization", format!("Bearer {token}"));
    }
    send(router, req.body(Body::empty()).expect("request")).await
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start:?} not in {text}")) + start.len();
    let len = text[from..].find(end).unwrap_or_else(|| panic!("{end:?} not after {start:?}"));
    &text[from..from + len]
}

const CONTEXTS_OPEN: &str = "<script type=\"application/json\" id=\"mizan-contexts\">";

fn contexts_of(page: &str) -> Map<String, Value> {
    let raw = between(page, CONTEXTS_OPEN, "</script>");
    match serde_json::from_str(raw).expect("contexts are JSON") {
        Value::Object(map) => map,
        other => panic!("contexts are not an object: {other}"),
    }
}

fn item<'a>(page: &'a str, name: &str) -> &'a str {
    between(page, &format!("<li id=\"{name}\">"), "</li>")
}

#[tokio::test]
async fn render_embeds_every_global_context_and_the_component_sees_them() {
    let router = router();
    let (status, anonymous) = get_page(&router, "/page/", None).await;
    assert_eq!(status, 200, "{anonymous}");
    let contexts = contexts_of(&anonymous);
    let mut keys: Vec<&str> = contexts.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["account", "broken", "counted", "current_user", "motto", "panics"],
        "only global contexts"
    );
    assert_eq!(contexts["current_user"], json!({ "data": null }));
    assert_eq!(contexts["account"]["error"]["code"], "UNAUTHENTICATED");
    // The server render read the same values through the client runtime.
    assert_eq!(item(&anonymous, "current_user"), "data:null");
    assert_eq!(item(&anonymous, "account"), "error:UNAUTHENTICATED");
    assert_eq!(item(&anonymous, "greet"), "absent");
    assert_eq!(item(&anonymous, "plain"), "absent");

    let (status, signed_in) = get_page(&router, "/page/", Some("alice")).await;
    assert_eq!(status, 200, "{signed_in}");
    let contexts = contexts_of(&signed_in);
    assert_eq!(contexts["current_user"], json!({ "data": "alice" }), "the request's own identity");
    assert_eq!(contexts["account"], json!({ "data": "account of alice" }));
    assert_eq!(item(&signed_in, "current_user"), "data:alice");
    assert_eq!(item(&signed_in, "account"), "data:account of alice");
}

#[tokio::test]
async fn failing_contexts_do_not_break_the_page_nor_leak_details() {
    let router = router();
    let (status, page) = get_page(&router, "/page/", None).await;
    assert_eq!(status, 200, "a failing context still gives the page: {page}");
    let contexts = contexts_of(&page);
    for name in ["broken", "panics"] {
        let error = &contexts[name]["error"];
        assert_eq!(error["code"], "INTERNAL", "{name}: {error}");
        assert_eq!(error["message"], "internal error", "{name}: {error}");
        assert!(error["request_id"].as_str().is_some_and(|id| id.len() == 32), "{name}: {error}");
        assert!(contexts[name].get("data").is_none());
        assert_eq!(item(&page, name), "error:INTERNAL");
    }
    assert!(!page.contains("hunter2"), "an internal message reached the page");
    assert!(!page.contains("exploded"), "a panic message reached the page");
    // The other contexts are unaffected.
    assert_eq!(contexts["current_user"], json!({ "data": null }));
}

#[tokio::test]
async fn context_values_are_escaped_in_the_page() {
    let router = router();
    let (_, page) = get_page(&router, "/page/", None).await;
    let raw = between(&page, CONTEXTS_OPEN, "</script>");
    for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
        assert!(!raw.contains(bad), "{bad:?} left in the contexts script: {raw}");
    }
    let expected = "</script><script>alert(1)</script><!-- & \u{2028}\u{2029}";
    assert_eq!(contexts_of(&page)["motto"], json!({ "data": expected }));
    // The contexts, props and page scripts and one module script: nothing injected.
    assert_eq!(page.matches("<script").count(), 4, "{page}");
    // React escaped the same text in the HTML.
    assert!(
        item(&page, "motto").starts_with("data:&lt;/script&gt;&lt;script&gt;"),
        "{}",
        item(&page, "motto")
    );
}

#[tokio::test]
async fn values_given_by_the_view_replace_running_the_context() {
    let views = axum::Router::new().route("/given/", get(page_with_given)).route(
        "/plain/",
        get(|req: Request| async move {
            mizan::render(&req, "Contexts.tsx", json!({ "names": ["given_or_run"] })).await
        }),
    );
    let app = App::new().register(current_user).register(given_or_run).ssr(ssr_support::ssr());
    let router = app.mount("/api/mizan", views).expect("app builds");
    let (status, page) = get_page(&router, "/given/", None).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(contexts_of(&page)["given_or_run"], json!({ "data": -7 }), "embedded as an envelope");
    assert_eq!(item(&page, "given_or_run"), "data:-7", "the component rendered with it");
    assert_eq!(GIVEN_RUNS.load(Ordering::SeqCst), 0, "a given context is not run");
    assert_eq!(contexts_of(&page)["current_user"], json!({ "data": null }), "the others still run");
    let (_, page) = get_page(&router, "/plain/", None).await;
    assert_eq!(contexts_of(&page)["given_or_run"], json!({ "data": 1 }));
    assert_eq!(GIVEN_RUNS.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn global_contexts_stay_callable_over_http() {
    let router = router();
    let post = axum::http::Request::post("/api/mizan/call/current_user")
        .header("content-type", "application/json")
        .header("authorization", "Bearer bob")
        .body(Body::from("{}"))
        .expect("request");
    assert_eq!(send(&router, post).await, (200, "{\"data\":\"bob\"}".to_owned()));
    let get = axum::http::Request::get("/api/mizan/call/current_user").body(Body::empty()).expect("request");
    assert_eq!(send(&router, get).await, (200, "{\"data\":null}".to_owned()));
    let get = axum::http::Request::get("/api/mizan/call/account").body(Body::empty()).expect("request");
    assert_eq!(send(&router, get).await.0, 401);
    let shout = axum::http::Request::get(format!(
        "/api/mizan/call/motto?input={}",
        "%7B%22shout%22%3Atrue%7D" // {"shout":true}
    ))
    .body(Body::empty())
    .expect("request");
    let (status, body) = send(&router, shout).await;
    assert_eq!(status, 200);
    assert!(body.contains("\\u2028") || body.contains('\u{2028}'), "{body}");
    assert!(body.contains("</SCRIPT>"), "{body}");
}

#[tokio::test]
async fn global_contexts_runs_them_for_a_detached_request() {
    let app = app();
    let req = Request::detached(&app, Some(Identity::new("carol", Role::Staff)));
    let contexts = mizan::global_contexts(&req).await;
    assert_eq!(contexts["current_user"], json!({ "data": "carol" }));
    assert_eq!(contexts["account"], json!({ "data": "account of carol" }));
    assert!(!contexts.contains_key("greet") && !contexts.contains_key("plain"));
}

#[tokio::test]
async fn a_context_past_the_deadline_is_a_timeout_not_a_hang() {
    let app = App::new()
        .register(current_user)
        .register(sleepy)
        .ssr(ssr_support::ssr().deadline(Duration::from_millis(200)));
    let req = Request::detached(&app, None);
    let started = std::time::Instant::now();
    let contexts = mizan::global_contexts(&req).await;
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert_eq!(contexts["sleepy"]["error"]["code"], "TIMEOUT");
    assert_eq!(contexts["current_user"], json!({ "data": null }), "the others still answer");
}

/// Needs a name: cannot run for every page.
#[mizan::client(query, context = "global")]
async fn needs_args(_req: &Request, name: String, count: u32) -> mizan::Result<String> {
    Ok(name.repeat(count as usize))
}

/// Its default fails its own rule.
#[mizan::client(query, context = "global")]
async fn bad_default(
    _req: &Request,
    #[serde(default)]
    #[garde(length(chars, min = 1))]
    name: String,
) -> mizan::Result<String> {
    Ok(name)
}

#[test]
fn global_contexts_that_need_arguments_are_refused_at_start_up() {
    let err = App::new().register(needs_args).check().expect_err("refused");
    let text = err.to_string();
    assert!(text.contains("global context `needs_args`"), "{text}");
    assert!(text.contains("`name`: required"), "names the argument: {text}");
    assert!(text.contains("context = \"local\""), "says what to do: {text}");
    let err = App::new().register(bad_default).check().expect_err("refused");
    let text = err.to_string();
    assert!(text.contains("global context `bad_default`") && text.contains("`name`:"), "{text}");
    // The same functions are fine as ordinary functions or local contexts;
    // a global context whose arguments all have defaults is fine.
    App::new().register(motto).register(greet).register(current_user).check().expect("starts");
    // `generate` and `manifest` refuse it too (they share the check).
    assert!(App::new().register(needs_args).manifest().is_err());
}

/// Two users' renders in flight at once on the one worker: each waits on a
/// timer, the second sent answers first, and each page carries only its
/// own `current_user`, in its HTML and in its embedded contexts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_users_renders_interleaved_on_one_worker_each_see_their_own_user() {
    let router = router();
    // Warm the worker (the component imported, React loaded).
    let (status, _) = get_page(&router, "/fast/", None).await;
    assert_eq!(status, 200);
    for _ in 0..3 {
        let started = std::time::Instant::now();
        let slow = {
            let router = router.clone();
            tokio::spawn(async move {
                let page = get_page(&router, "/slow/", Some("alice")).await;
                (page, started.elapsed())
            })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        let fast = {
            let router = router.clone();
            tokio::spawn(async move {
                let page = get_page(&router, "/fast/", Some("bob")).await;
                (page, started.elapsed())
            })
        };
        let ((fast_status, fast_page), fast_done) = fast.await.expect("join");
        let ((slow_status, slow_page), slow_done) = slow.await.expect("join");
        assert_eq!((slow_status, fast_status), (200, 200));
        assert!(fast_done < slow_done, "the second render answered first: {fast_done:?} vs {slow_done:?}");
        let root = |page: &str| between(page, "<div id=\"mizan-root\">", "</div>\n").to_owned();
        assert_eq!(root(&slow_page), "<p id=\"who\">slow:&quot;alice&quot;</p>");
        assert_eq!(root(&fast_page), "<p id=\"who\">fast:&quot;bob&quot;</p>");
        assert_eq!(contexts_of(&slow_page)["current_user"], json!({ "data": "alice" }));
        assert_eq!(contexts_of(&fast_page)["current_user"], json!({ "data": "bob" }));
    }
}
