//! Every refusal under the mount prefix is the error object: request
//! targets past mizan's limit and hyper's, paths that are not UTF-8,
//! unknown routes, wrong methods, bad query strings. Real servers, real
//! sockets; hyper's own limit is measured with raw HTTP/1.1 requests.

use mizan::{App, Limits, Request};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support;

/// Adds two numbers.
#[mizan::client(query)]
async fn add(_req: &Request, a: i64, b: i64) -> mizan::Result<i64> {
    Ok(a + b)
}

/// Echo text back.
#[mizan::client]
async fn echo(_req: &Request, text: String) -> mizan::Result<String> {
    Ok(text)
}

fn app() -> App {
    App::new().register(add).register(echo).serve_manifest(true)
}

/// One HTTP answer: status, content type and body.
#[derive(Debug)]
struct Answer {
    status: u16,
    content_type: Option<String>,
    /// The `allow` header (HTTP answers only).
    allow: Option<String>,
    body: String,
}

impl Answer {
    /// The body as JSON, which every refusal under the prefix is.
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }

    /// Asserts the answer is the error object with `status` and `code`.
    #[track_caller]
    fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{self:?}");
        assert_eq!(self.content_type.as_deref(), Some("application/json"), "{self:?}");
        let error = &self.json()["error"];
        assert_eq!(error["code"], code, "{self:?}");
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "{self:?}");
    }
}

async fn send(req: reqwest::RequestBuilder) -> Answer {
    let r = req.send().await.expect("request");
    let status = r.status().as_u16();
    let header = |name: &str| r.headers().get(name).map(|v| v.to_str().expect("ascii header").to_owned());
    let (content_type, allow) = (header("content-type"), header("allow"));
    Answer { status, content_type, allow, body: r.text().await.expect("body") }
}

/// `GET target` over a raw socket, so that nothing between the test and the
/// server (URL parsing, a client's own limits) touches the request line.
async fn raw_get(addr: std::net::SocketAddr, target: &str) -> Answer {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!("GET {target} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.expect("write the request");
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).await.expect("read the answer");
    let text = String::from_utf8(bytes).expect("a UTF-8 answer");
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no head: {text:?}"));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {head:?}"));
    let content_type = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().to_owned());
    Answer { status, content_type, allow: None, body: body.to_owned() }
}

/// `/api/mizan/call/add?input={"a":1,"b":2}&pad=xxx…`, exactly `len` bytes.
fn add_target(len: usize) -> String {
    let head = "/api/mizan/call/add?input=%7B%22a%22%3A1%2C%22b%22%3A2%7D&pad=";
    assert!(len >= head.len(), "a target of {len} bytes cannot hold the call");
    format!("{head}{}", "x".repeat(len - head.len()))
}

#[tokio::test]
async fn request_targets_past_the_limit_are_uri_too_long() {
    let s = support::serve(app()).await;
    let limit = Limits::default().uri_bytes;
    assert_eq!(limit, 8 * 1024);
    let at = send(reqwest::Client::new().get(s.site(&add_target(limit)))).await;
    assert_eq!((at.status, at.json()), (200, json!({"data": 3})), "a target of exactly the limit is read");
    let past = send(reqwest::Client::new().get(s.site(&add_target(limit + 1)))).await;
    past.assert_error(414, "URI_TOO_LONG");
    assert!(past.json()["error"]["message"].as_str().unwrap_or("").contains(&limit.to_string()), "{past:?}");

    // Every endpoint under the prefix, before anything else about the request.
    let pad = "x".repeat(limit);
    let post = reqwest::Client::new()
        .post(s.site(&format!("/api/mizan/call/echo?{pad}")))
        .header("content-type", "application/json")
        .body("not json");
    send(post).await.assert_error(414, "URI_TOO_LONG");
    send(
        reqwest::Client::new()
            .post(s.site(&format!("/api/mizan/batch?{pad}")))
            .header("content-type", "application/json")
            .body("[]"),
    )
    .await
    .assert_error(414, "URI_TOO_LONG");
    send(reqwest::Client::new().get(s.site(&format!("/api/mizan/nowhere/{pad}"))))
        .await
        .assert_error(414, "URI_TOO_LONG");
    send(reqwest::Client::new().get(s.site(&format!("/api/mizan/manifest?{pad}"))))
        .await
        .assert_error(414, "URI_TOO_LONG");
}

#[tokio::test]
async fn the_uri_limit_is_configurable() {
    let limits = Limits { uri_bytes: 100, ..Limits::default() };
    let s = support::serve(app().limits(limits)).await;
    let at = send(reqwest::Client::new().get(s.site(&add_target(100)))).await;
    assert_eq!((at.status, at.json()), (200, json!({"data": 3})));
    send(reqwest::Client::new().get(s.site(&add_target(101)))).await.assert_error(414, "URI_TOO_LONG");
}

#[test]
fn a_uri_limit_above_hypers_is_a_startup_error() {
    assert_eq!(Limits::MAX_URI_BYTES, 65_534);
    let ok = app().limits(Limits { uri_bytes: Limits::MAX_URI_BYTES, ..Limits::default() });
    assert!(ok.check().is_ok());
    let over = app().limits(Limits { uri_bytes: Limits::MAX_URI_BYTES + 1, ..Limits::default() });
    let message = over.check().expect_err("refused").to_string();
    assert!(message.contains("Limits::uri_bytes is 65535"), "{message}");
    assert!(message.contains("at most Limits::MAX_URI_BYTES"), "{message}");
}

/// hyper refuses a request target past 65,534 bytes itself, with an empty
/// `414`: mizan's limit must stay below it (the start-up check), and up to
/// it mizan answers. Measured here on both sides of both limits.
#[tokio::test]
async fn hypers_own_limit_is_max_uri_bytes() {
    let max = Limits::MAX_URI_BYTES;
    // mizan at its default limit: its error object right up to hyper's limit.
    let s = support::serve(app()).await;
    raw_get(s.addr, &add_target(max)).await.assert_error(414, "URI_TOO_LONG");
    let hyper = raw_get(s.addr, &add_target(max + 1)).await;
    assert_eq!((hyper.status, hyper.body.as_str()), (414, ""), "hyper's own refusal: {hyper:?}");

    // mizan's limit at its largest: the call is read right up to hyper's limit.
    let widest = app().limits(Limits { uri_bytes: max, ..Limits::default() });
    let s = support::serve(widest).await;
    let at = raw_get(s.addr, &add_target(max)).await;
    assert_eq!((at.status, at.json()), (200, json!({"data": 3})), "{:?}", at.content_type);
    let hyper = raw_get(s.addr, &add_target(max + 1)).await;
    assert_eq!((hyper.status, hyper.body.as_str()), (414, ""), "hyper's own refusal: {hyper:?}");
}

/// The other requests hyper refuses before mizan sees them (the table in
/// docs/protocol.md): a head past its read buffer, a request line it cannot
/// parse. Both with an empty body.
#[tokio::test]
async fn what_hyper_refuses_itself() {
    let s = support::serve(app()).await;
    // hyper's default read buffer is 417,792 bytes; it checks the limit
    // between reads, so the exact point depends on how the bytes arrive.
    let head_buffer = 8192 + 4096 * 100;
    let past_buffer = raw_get(s.addr, &add_target(head_buffer * 3 / 2)).await;
    assert_eq!((past_buffer.status, past_buffer.body.as_str()), (431, ""), "{past_buffer:?}");
    let within_buffer = raw_get(s.addr, &add_target(head_buffer * 3 / 4)).await;
    assert_eq!((within_buffer.status, within_buffer.body.as_str()), (414, ""), "{within_buffer:?}");
    let control = raw_get(s.addr, "/api/mizan/call/a\u{1}b").await;
    assert_eq!((control.status, control.body.as_str()), (400, ""), "{control:?}");
}

#[tokio::test]
async fn paths_that_are_not_utf8_are_bad_requests() {
    let s = support::serve(app()).await;
    let client = reqwest::Client::new();
    for name in ["%FF", "ad%FFd", "%C3%28", "%E2%82"] {
        let url = s.site(&format!("/api/mizan/call/{name}"));
        send(client.get(&url)).await.assert_error(400, "BAD_REQUEST");
        send(client.post(&url).header("content-type", "application/json").body("{}"))
            .await
            .assert_error(400, "BAD_REQUEST");
    }
    // Valid UTF-8 that names no function is NOT_FOUND, with the name decoded.
    let a = send(
        client.post(s.site("/api/mizan/call/%C3%A9")).header("content-type", "application/json").body("{}"),
    )
    .await;
    a.assert_error(404, "NOT_FOUND");
    assert!(a.json()["error"]["message"].as_str().unwrap_or("").contains('é'), "{a:?}");
    // Anywhere else under the prefix: no endpoint there.
    send(client.get(s.site("/api/mizan/%FF"))).await.assert_error(404, "NOT_FOUND");
    send(client.post(s.site("/api/mizan/%FF/call")).header("content-type", "application/json").body("{}"))
        .await
        .assert_error(404, "NOT_FOUND");
    // The server keeps serving.
    let ok = send(
        client
            .post(s.site("/api/mizan/call/echo"))
            .header("content-type", "application/json")
            .body(r#"{"text":"hi"}"#),
    )
    .await;
    assert_eq!((ok.status, ok.json()), (200, json!({"data": "hi"})));
}

#[tokio::test]
async fn bundle_paths_refuse_with_the_error_object() {
    // The SSR pool starts on the first render: none here, so no Bun runs.
    let s = support::serve(app().ssr(support::ssr::ssr())).await;
    let client = reqwest::Client::new();
    send(client.get(s.site("/api/mizan/assets/%FF.js"))).await.assert_error(400, "BAD_REQUEST");
    send(client.get(s.site("/api/mizan/assets/Nope-0000000000000000.js")))
        .await
        .assert_error(404, "NOT_FOUND");
    let a = send(client.post(s.site("/api/mizan/assets/Nope-0000000000000000.js"))).await;
    a.assert_error(405, "METHOD_NOT_ALLOWED");
    assert_eq!(a.allow.as_deref(), Some("GET,HEAD"), "{a:?}");
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods_are_the_error_object() {
    let s = support::serve(app()).await;
    let client = reqwest::Client::new();
    for path in [
        "/api/mizan",
        "/api/mizan/",
        "/api/mizan/nope",
        "/api/mizan/call",
        "/api/mizan/call/",
        "/api/mizan/a/b/c",
    ] {
        send(client.get(s.site(path))).await.assert_error(404, "NOT_FOUND");
        send(client.post(s.site(path)).header("content-type", "application/json").body("{}"))
            .await
            .assert_error(404, "NOT_FOUND");
    }
    // Each with the methods the endpoint serves in `allow`.
    let wrong = [
        (
            client.put(s.site("/api/mizan/call/echo")).header("content-type", "application/json").body("{}"),
            "POST,GET,HEAD",
        ),
        (client.delete(s.site("/api/mizan/call/echo")), "POST,GET,HEAD"),
        (
            client
                .patch(s.site("/api/mizan/call/echo"))
                .header("content-type", "application/json")
                .body("{}"),
            "POST,GET,HEAD",
        ),
        (client.get(s.site("/api/mizan/batch")), "POST"),
        (client.post(s.site("/api/mizan/ws")), "GET,HEAD"),
        (client.post(s.site("/api/mizan/manifest")), "GET,HEAD"),
    ];
    for (req, allow) in wrong {
        let a = send(req).await;
        a.assert_error(405, "METHOD_NOT_ALLOWED");
        assert_eq!(a.allow.as_deref(), Some(allow), "{a:?}");
    }
    // GET ws without an upgrade.
    send(client.get(s.site("/api/mizan/ws"))).await.assert_error(400, "BAD_REQUEST");
    // The views outside the prefix are the application's.
    assert_eq!(send(client.get(s.site("/elsewhere"))).await.status, 404);
}

#[tokio::test]
async fn a_nested_router_refuses_the_same_way() {
    let router = axum::Router::new().nest("/api", app().try_router().expect("app builds"));
    let addr = support::server::listen(router).await;
    let client = reqwest::Client::new();
    let site = |path: &str| format!("http://{addr}{path}");
    send(client.get(site("/api"))).await.assert_error(404, "NOT_FOUND");
    send(client.get(site("/api/x/y"))).await.assert_error(404, "NOT_FOUND");
    send(client.get(site("/api/call/%FF"))).await.assert_error(400, "BAD_REQUEST");
    send(client.get(site(&format!("/api/call/add?{}", "x".repeat(9000)))))
        .await
        .assert_error(414, "URI_TOO_LONG");
    let ok = send(client.get(site("/api/call/add?input=%7B%22a%22%3A1%2C%22b%22%3A2%7D"))).await;
    assert_eq!((ok.status, ok.json()), (200, json!({"data": 3})));
}

#[tokio::test]
async fn bad_query_inputs_are_bad_requests() {
    let s = support::serve(app()).await;
    let client = reqwest::Client::new();
    for input in ["%FF", "%7B", "%ZZ", "%5B1%5D", "1", "%7B%22a%22%3A1%2C%22b%22%3A2%7D%7B%7D"] {
        let url = s.site(&format!("/api/mizan/call/add?input={input}"));
        let a = send(client.get(&url)).await;
        assert_eq!(a.status, 400, "input={input}: {a:?}");
        a.assert_error(400, "BAD_REQUEST");
    }
    // A well-formed input with the wrong shape is VALIDATION, as over POST.
    let url = s.site("/api/mizan/call/add?input=%7B%22a%22%3A%22x%22%2C%22b%22%3A2%7D");
    send(client.get(&url)).await.assert_error(422, "VALIDATION");
}

#[tokio::test]
async fn an_app_mounted_at_the_root_leaves_the_root_to_the_views() {
    let views = axum::Router::new().route("/", axum::routing::get(|| async { "home" }));
    let addr = support::server::listen(app().mount("/", views).expect("app builds")).await;
    let home = send(reqwest::Client::new().get(format!("http://{addr}/"))).await;
    assert_eq!((home.status, home.body.as_str()), (200, "home"));
    // Every method at `/` is the views' (axum's own 405 here), not mizan's.
    let post = send(reqwest::Client::new().post(format!("http://{addr}/"))).await;
    assert_eq!((post.status, post.body.as_str()), (405, ""), "{post:?}");
    send(reqwest::Client::new().get(format!("http://{addr}/call/%FF")))
        .await
        .assert_error(400, "BAD_REQUEST");
    send(reqwest::Client::new().get(format!("http://{addr}/nowhere"))).await.assert_error(404, "NOT_FOUND");
}
