//! A page's in-render calls, against real Bun workers: `mizan::render`
//! answers the calls the page's query hooks make on the server by running
//! the queries in-process through the call pipeline, with the page
//! request's identity, auth and rate limits, under the render's deadline.
//! The component renders with the data (or the error), the page carries
//! what it read in `#mizan-queries`, the same query with the same
//! arguments is one call, and a mutation is refused.
//!
//! Needs `npm install` at the repository root. Run:
//! `cargo test -p mizan --all-features --test it ssr_page_calls::`.

use crate::support;
use crate::support::ssr as ssr_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use mizan::{App, Request};
use serde_json::{Value, json};
use tower::ServiceExt as _;

/// Who asks (their id), or null.
#[mizan::client(query)]
async fn whoami(req: &Request) -> mizan::Result<Option<String>> {
    Ok(req.identity().map(|i| i.id().to_owned()))
}

/// Needs an identity.
#[mizan::client(query, auth = true)]
async fn secret(_req: &Request) -> mizan::Result<String> {
    Ok("the secret".to_owned())
}

/// Fails with a handler's error.
#[mizan::client(query)]
async fn missing(_req: &Request) -> mizan::Result<u32> {
    Err(mizan::Error::not_found("no such thing"))
}

static COUNTED: AtomicUsize = AtomicUsize::new(0);

/// Counts its runs; answers `n` doubled.
#[mizan::client(query)]
async fn counted(_req: &Request, n: u32) -> mizan::Result<u32> {
    COUNTED.fetch_add(1, Ordering::SeqCst);
    Ok(n * 2)
}

static BUMPS: AtomicUsize = AtomicUsize::new(0);

/// A mutation: a page load must never run it.
#[mizan::client]
async fn bump(_req: &Request) -> mizan::Result<usize> {
    Ok(BUMPS.fetch_add(1, Ordering::SeqCst) + 1)
}

/// Sleeps past the test's render deadline.
#[mizan::client(query)]
async fn sleepy(_req: &Request) -> mizan::Result<u32> {
    tokio::time::sleep(Duration::from_secs(30)).await;
    Ok(1)
}

/// Twice a minute per client.
#[mizan::client(query, rate = "2/min")]
async fn limited(_req: &Request) -> mizan::Result<u32> {
    Ok(7)
}

/// What each page reads.
fn reads(scenario: &str) -> Value {
    let read = |fn_: &str, args: Value| json!({ "fn": fn_, "args": args });
    json!({ "reads": match scenario {
        "identity" => vec![read("whoami", json!({}))],
        "auth" => vec![read("secret", json!({})), read("whoami", json!({}))],
        "error" => vec![read("missing", json!({}))],
        "dedup" => vec![
            read("counted", json!({ "n": 1 })),
            read("counted", json!({ "n": 1 })),
            read("counted", json!({ "n": 2 })),
        ],
        "mutation" => vec![read("bump", json!({}))],
        "unknown" => vec![read("nope", json!({}))],
        "sleepy" => vec![read("sleepy", json!({}))],
        "limited" => vec![read("limited", json!({})), read("whoami", json!({}))],
        other => panic!("no scenario {other}"),
    }})
}

async fn page(req: Request, Path(scenario): Path<String>) -> Response {
    mizan::render(&req, "Queries.tsx", reads(&scenario)).await
}

fn router() -> axum::Router {
    let app = App::new()
        .authenticator(support::TestAuth)
        .register(whoami)
        .register(secret)
        .register(missing)
        .register(counted)
        .register(bump)
        .register(sleepy)
        .register(limited)
        .ssr(ssr_support::ssr().deadline(Duration::from_millis(1500)));
    app.mount("/api/mizan", axum::Router::new().route("/page/{scenario}", get(page))).expect("app builds")
}

async fn get_page(router: &axum::Router, scenario: &str, token: Option<&str>) -> (u16, String) {
    let mut req = axum::http::Request::get(format!("/page/{scenario}"));
    if let Some(token) = token {
        req = req.header("authorization", format!("Bearer {token}"));
    }
    let res = router.clone().oneshot(req.body(Body::empty()).expect("request")).await.expect("infallible");
    let status = res.status().as_u16();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.expect("body");
    (status, String::from_utf8(bytes.to_vec()).expect("utf-8"))
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start:?} not in {text}")) + start.len();
    let len = text[from..].find(end).unwrap_or_else(|| panic!("{end:?} not after {start:?}"));
    &text[from..from + len]
}

/// What `Queries.tsx` rendered for read `n` of `fn_`.
fn item<'a>(page: &'a str, fn_: &str, n: usize) -> &'a str {
    between(page, &format!("<li id=\"{fn_}-{n}\">"), "</li>")
}

/// The page's `#mizan-queries`, by query name: each query's state.
fn queries_of(page: &str) -> Vec<(String, Value, Value)> {
    let raw = between(page, "id=\"mizan-queries\">", "</script>");
    let state: Value = serde_json::from_str(raw).expect("queries are JSON");
    state["queries"]
        .as_array()
        .expect("a list of queries")
        .iter()
        .map(|q| {
            (
                q["queryKey"][1].as_str().expect("name").to_owned(),
                q["queryKey"][2].clone(),
                q["state"].clone(),
            )
        })
        .collect()
}

/// HTML text back to its characters.
fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[tokio::test]
async fn a_page_reads_its_queries_with_the_requests_identity() {
    let router = router();
    let (status, anonymous) = get_page(&router, "identity", None).await;
    assert_eq!(status, 200, "{anonymous}");
    assert_eq!(item(&anonymous, "whoami", 0), "data:null");
    let (status, alice) = get_page(&router, "identity", Some("alice")).await;
    assert_eq!(status, 200, "{alice}");
    assert_eq!(
        unescape(item(&alice, "whoami", 0)),
        "data:\"alice\"",
        "rendered with its data, never loading"
    );
    let queries = queries_of(&alice);
    assert_eq!(queries.len(), 1, "{queries:?}");
    assert_eq!(queries[0].0, "whoami");
    assert_eq!(queries[0].2["status"], "success");
    assert_eq!(queries[0].2["data"], "alice");
}

#[tokio::test]
async fn auth_is_checked_inside_a_render() {
    let router = router();
    let (status, page) = get_page(&router, "auth", None).await;
    assert_eq!(status, 200, "a refused query does not break the page: {page}");
    assert_eq!(item(&page, "secret", 0), "error:UNAUTHENTICATED");
    assert_eq!(item(&page, "whoami", 1), "data:null");
    let queries = queries_of(&page);
    let refused = queries.iter().find(|q| q.0 == "secret").expect("the refused query is in the page");
    assert_eq!(refused.2["status"], "error");
    assert_eq!(refused.2["error"]["error"]["code"], "UNAUTHENTICATED", "its error envelope: {refused:?}");
    let (_, signed_in) = get_page(&router, "auth", Some("alice")).await;
    assert_eq!(unescape(item(&signed_in, "secret", 0)), "data:\"the secret\"");
}

#[tokio::test]
async fn a_failed_query_renders_its_error_state() {
    let router = router();
    let (status, page) = get_page(&router, "error", None).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(item(&page, "missing", 0), "error:NOT_FOUND");
    let queries = queries_of(&page);
    assert_eq!(
        queries[0].2["error"],
        json!({ "error": { "code": "NOT_FOUND", "message": "no such thing" } })
    );
}

#[tokio::test]
async fn the_same_query_with_the_same_args_is_one_call() {
    let router = router();
    let before = COUNTED.load(Ordering::SeqCst);
    let (status, page) = get_page(&router, "dedup", None).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(item(&page, "counted", 0), "data:2");
    assert_eq!(item(&page, "counted", 1), "data:2");
    assert_eq!(item(&page, "counted", 2), "data:4");
    assert_eq!(COUNTED.load(Ordering::SeqCst) - before, 2, "one call per distinct arguments");
    let args: Vec<Value> = queries_of(&page).into_iter().map(|q| q.1).collect();
    assert_eq!(args, [json!({ "n": 1 }), json!({ "n": 2 })]);
}

#[tokio::test]
async fn a_render_never_runs_a_mutation() {
    let router = router();
    let before = BUMPS.load(Ordering::SeqCst);
    let (status, page) = get_page(&router, "mutation", None).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(item(&page, "bump", 0), "error:METHOD_NOT_ALLOWED");
    assert_eq!(BUMPS.load(Ordering::SeqCst), before, "the mutation did not run");
    let (_, unknown) = get_page(&router, "unknown", None).await;
    assert_eq!(item(&unknown, "nope", 0), "error:NOT_FOUND");
}

#[tokio::test]
async fn rate_limits_count_a_renders_calls() {
    let router = router();
    for _ in 0..2 {
        let (_, page) = get_page(&router, "limited", Some("bob")).await;
        assert_eq!(item(&page, "limited", 0), "data:7");
    }
    let (status, page) = get_page(&router, "limited", Some("bob")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(item(&page, "limited", 0), "error:RATE_LIMITED");
    assert_eq!(unescape(item(&page, "whoami", 1)), "data:\"bob\"");
}

#[tokio::test]
async fn a_call_past_the_render_deadline_fails_the_page_in_time() {
    let router = router();
    let started = Instant::now();
    let (status, page) = get_page(&router, "sleepy", None).await;
    let took = started.elapsed();
    assert_eq!(status, 504, "{page}");
    assert!(took < Duration::from_secs(4), "took {took:?}");
}
