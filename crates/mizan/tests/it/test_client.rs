//! `mizan::test::TestClient`: an app's own tests calling it in-process,
//! through the same router, layers and pipeline a server serves.

#![allow(clippy::unwrap_used)]

use mizan::test::TestClient;
use mizan::{App, Request};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::support::TestAuth;

#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema, PartialEq)]
struct Sum {
    total: i64,
}

/// Adds two numbers.
#[mizan::client(query)]
async fn add(_req: &Request, a: i64, #[garde(range(max = 100))] b: i64) -> mizan::Result<Sum> {
    Ok(Sum { total: a + b })
}

/// Who is calling.
#[mizan::client(auth = true)]
async fn who(req: &Request) -> mizan::Result<String> {
    Ok(req.identity().map(|i| i.id().to_owned()).unwrap_or_default())
}

/// Refused with a handler's own code and status.
#[mizan::client]
async fn taken(_req: &Request) -> mizan::Result<()> {
    Err(mizan::Error::new(axum::http::StatusCode::CONFLICT, "TAKEN", "already taken"))
}

fn app() -> App {
    App::new().authenticator(TestAuth).register(add).register(who).register(taken)
}

#[tokio::test]
async fn calls_queries_and_their_refusals() {
    let client = TestClient::new(&app()).unwrap();
    assert_eq!(client.call::<Sum>("add", json!({"a": 2, "b": 3})).await.unwrap(), Sum { total: 5 });
    assert_eq!(client.query::<Sum>("add", json!({"a": -2, "b": 100})).await.unwrap(), Sum { total: 98 });

    let e = client.call::<Sum>("add", json!({"a": 1, "b": 101})).await.unwrap_err();
    assert_eq!((e.status(), e.code()), (422, "VALIDATION"));
    assert!(e.fields().contains_key("b"), "{e}");

    let e = client.call::<String>("who", json!({})).await.unwrap_err();
    assert_eq!((e.status(), e.code()), (401, "UNAUTHENTICATED"));
    let e = client.call::<()>("taken", json!({})).await.unwrap_err();
    assert_eq!((e.status(), e.code(), e.message()), (409, "TAKEN", "already taken"));
    let e = client.call::<Sum>("nowhere", json!({})).await.unwrap_err();
    assert_eq!((e.status(), e.code()), (404, "NOT_FOUND"));

    // Data of another shape than asked for is BAD_RESPONSE, with the data kept.
    let e = client.call::<String>("add", json!({"a": 1, "b": 1})).await.unwrap_err();
    assert_eq!(e.code(), "BAD_RESPONSE");
    assert_eq!(e.data(), Some(&json!({"total": 2})));
}

#[tokio::test]
async fn a_bearer_identity_and_a_batch_with_each_items_status() {
    let client = TestClient::new(&app()).unwrap().bearer("alice");
    assert_eq!(client.call::<String>("who", json!({})).await.unwrap(), "alice");
    let items = client
        .batch(&[("add", json!({"a": 1, "b": 2})), ("add", json!({"a": 1, "b": 200})), ("who", json!({}))])
        .await
        .unwrap();
    assert_eq!(items[0], Ok(json!({"total": 3})));
    assert_eq!(items[1].as_ref().unwrap_err().code(), "VALIDATION");
    assert_eq!(items[2], Ok(json!("alice")));

    let refused = client.batch(&[("add", json!([]))]).await.unwrap_err();
    assert_eq!((refused.status(), refused.code()), (400, "BAD_REQUEST"));
}

#[tokio::test]
async fn cookies_are_kept_and_a_cross_site_caller_is_refused() {
    // TestAuth reads a session cookie `sid=<token>`: a view sets it, as a login would.
    let views = axum::Router::new().route(
        "/login/",
        axum::routing::post(|| async { ([("set-cookie", "sid=bob; Path=/; HttpOnly")], "ok") }),
    );
    let client = TestClient::with_views(&app(), views.clone()).unwrap();
    assert_eq!(client.send(axum::http::Method::POST, "/login/", None).await.status(), 200);
    assert_eq!(client.cookie("sid").as_deref(), Some("bob"));
    // Sent back: the cookie identity, and the same-origin evidence a browser gives.
    assert_eq!(client.call::<String>("who", json!({})).await.unwrap(), "bob");

    // The same cookie from another site is refused CSRF.
    let foreign = TestClient::with_views(&app(), views).unwrap().header("sec-fetch-site", "cross-site");
    foreign.send(axum::http::Method::POST, "/login/", None).await;
    let e = foreign.call::<String>("who", json!({})).await.unwrap_err();
    assert_eq!((e.status(), e.code()), (403, "CSRF"));
}

#[tokio::test]
async fn the_csrf_cookie_is_echoed_like_the_typescript_client_does() {
    let client = TestClient::new(&app()).unwrap().header("sec-fetch-site", "none");
    // A GET call hands out the double-submit cookie.
    client.query::<Sum>("add", json!({"a": 0, "b": 0})).await.unwrap();
    let token = client.cookie("mizan_csrf").expect("the CSRF cookie");
    assert_eq!(token.len(), 32);
    // With no same-origin evidence, the echoed token is what passes the
    // check: a wrong one in its place is refused.
    let res = client
        .send(axum::http::Method::POST, "/api/mizan/call/add", Some(br#"{"a":1,"b":1}"#.to_vec()))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text());
    let wrong = axum::http::Request::post("/api/mizan/call/add")
        .header("content-type", "application/json")
        .header("x-mizan-csrf", "0".repeat(32))
        .body(axum::body::Body::from(r#"{"a":1,"b":1}"#))
        .unwrap();
    let res = client.request(wrong).await;
    assert_eq!((res.status(), res.json()["error"]["code"].clone()), (403, json!("CSRF")));
}

#[tokio::test]
async fn pages_and_the_health_check_through_get() {
    let views = axum::Router::new().route("/hi/", axum::routing::get(|| async { "hello" }));
    let client = TestClient::with_views(&app(), views).unwrap();
    let page = client.get("/hi/").await;
    assert_eq!((page.status(), page.text().as_str()), (200, "hello"));
    let health = client.get("/healthz").await;
    assert_eq!(health.status(), 200);
    assert_eq!(health.json()["ssr"], "none");
    assert_eq!(health.header("content-type"), Some("application/json"));
}
