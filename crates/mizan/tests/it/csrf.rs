//! CSRF by exact origin over a real socket (with peer addresses): foreign
//! origins and Sec-Fetch-Site with or without cookies, scheme and port
//! mismatches, the public origin, trusted proxies against forged forwarded
//! headers, what an `Authorization` can and cannot lift, the WebSocket
//! upgrade's origin, and `415 UNSUPPORTED_MEDIA_TYPE` for bodies that are
//! not JSON.

use std::net::SocketAddr;

use mizan::{App, Request};
use serde_json::{Value, json};

use crate::support;

#[mizan::client]
async fn open(_req: &Request, n: u8) -> mizan::Result<u8> {
    Ok(n)
}

/// Who the call ran as.
#[mizan::client(auth = true)]
async fn whoami(req: &Request) -> mizan::Result<String> {
    Ok(req.identity().map(|i| i.id().to_owned()).unwrap_or_default())
}

/// The client address the request was given.
#[mizan::client]
async fn client_ip(req: &Request) -> mizan::Result<String> {
    Ok(req.client_ip().map(|ip| ip.to_string()).unwrap_or_default())
}

fn app() -> App {
    App::new()
        .authenticator(support::TestAuth)
        .register(open)
        .register(whoami)
        .register(client_ip)
        .trusted_origins(["https://trusted.example"])
}

/// A served app whose handlers see peer addresses (`ConnectInfo`), as `mizan::cli` serves.
struct Site {
    api: String,
    /// `http://127.0.0.1:PORT`
    origin: String,
    addr: SocketAddr,
}

async fn serve(app: App) -> Site {
    let served = support::serve_with_peers(app).await;
    Site { origin: format!("http://{}", served.addr), api: served.api, addr: served.addr }
}

/// POSTs JSON to `call/{name}` with `headers`: the status and the error code (or the data).
async fn post(site: &Site, name: &str, headers: &[(&str, &str)]) -> (u16, Value) {
    let body = if name == "open" { r#"{"n":1}"# } else { "{}" };
    let mut r = reqwest::Client::new()
        .post(format!("{}/call/{name}", site.api))
        .header("content-type", "application/json")
        .body(body);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let r = r.send().await.expect("send");
    let status = r.status().as_u16();
    let v: Value = r.json().await.expect("json");
    (status, if status == 200 { v["data"].clone() } else { v["error"]["code"].clone() })
}

const COOKIE: (&str, &str) = ("cookie", "sid=alice; mizan_csrf=t0k3n");

fn csrf() -> (u16, Value) {
    (403, json!("CSRF"))
}

#[tokio::test]
async fn a_foreign_origin_is_refused_with_or_without_cookies() {
    let site = serve(app()).await;
    for origin in ["https://evil.example", "null"] {
        assert_eq!(post(&site, "open", &[("origin", origin)]).await, csrf(), "{origin}");
        assert_eq!(post(&site, "open", &[COOKIE, ("origin", origin)]).await, csrf(), "{origin}");
    }
    // The same origin and a trusted one pass, cookie or not.
    assert_eq!(post(&site, "open", &[("origin", &site.origin)]).await, (200, json!(1)));
    assert_eq!(post(&site, "whoami", &[COOKIE, ("origin", &site.origin)]).await, (200, json!("alice")));
    assert_eq!(post(&site, "open", &[("origin", "https://trusted.example")]).await, (200, json!(1)));
    // No Origin and no cookie: nothing ambient to abuse.
    assert_eq!(post(&site, "open", &[]).await, (200, json!(1)));
}

#[tokio::test]
async fn sec_fetch_site_other_than_same_origin_is_refused() {
    let site = serve(app()).await;
    for fetch_site in ["cross-site", "same-site"] {
        assert_eq!(post(&site, "open", &[("sec-fetch-site", fetch_site)]).await, csrf(), "{fetch_site}");
        assert_eq!(post(&site, "open", &[COOKIE, ("sec-fetch-site", fetch_site)]).await, csrf());
    }
    assert_eq!(post(&site, "whoami", &[COOKIE, ("sec-fetch-site", "same-origin")]).await.0, 200);
    assert_eq!(post(&site, "open", &[("sec-fetch-site", "none")]).await.0, 200);
    // A cookie with `none` (typed in the address bar) still needs evidence: a POST never is.
    assert_eq!(post(&site, "open", &[COOKIE, ("sec-fetch-site", "none")]).await, csrf());
}

#[tokio::test]
async fn another_scheme_or_port_of_the_same_host_is_another_origin() {
    let site = serve(app()).await;
    let port = site.addr.port();
    let https = format!("https://127.0.0.1:{port}");
    let other_port = format!("http://127.0.0.1:{}", if port == 65535 { 1 } else { port + 1 });
    let no_port = "http://127.0.0.1".to_owned();
    for origin in [&https, &other_port, &no_port] {
        assert_eq!(post(&site, "open", &[("origin", origin)]).await, csrf(), "{origin}");
        assert_eq!(post(&site, "whoami", &[COOKIE, ("origin", origin)]).await, csrf(), "{origin}");
    }
    // The exact origin, spelled with its default-less port, passes.
    assert_eq!(post(&site, "open", &[("origin", &site.origin)]).await.0, 200);
}

#[tokio::test]
async fn the_public_origin_is_the_only_same_origin() {
    let site = serve(app().origin("https://app.example")).await;
    assert_eq!(post(&site, "whoami", &[COOKIE, ("origin", "https://app.example")]).await.0, 200);
    assert_eq!(post(&site, "whoami", &[COOKIE, ("origin", "https://app.example:443")]).await.0, 200);
    // The address the request was sent to is not the site's origin any more.
    assert_eq!(post(&site, "open", &[("origin", &site.origin)]).await, csrf());
    assert_eq!(post(&site, "open", &[("origin", "http://app.example")]).await, csrf());
}

#[tokio::test]
async fn forwarded_headers_are_believed_from_trusted_proxies_only() {
    let forwarded = [
        ("x-forwarded-proto", "https"),
        ("x-forwarded-host", "app.example"),
        ("x-forwarded-for", "203.0.113.9"),
        ("origin", "https://app.example"),
    ];
    // The test client is 127.0.0.1: trusted as a proxy here.
    let behind = serve(app().trusted_proxies(["127.0.0.0/8"])).await;
    assert_eq!(post(&behind, "whoami", &[&forwarded[..], &[COOKIE]].concat()).await, (200, json!("alice")));
    assert_eq!(post(&behind, "client_ip", &forwarded).await, (200, json!("203.0.113.9")));
    // Behind a trusted proxy the Host is the proxy's business: the origin it forwarded is the site's.
    assert_eq!(
        post(&behind, "open", &[("x-forwarded-host", "app.example"), ("origin", &behind.origin)]).await,
        csrf()
    );
    // A client forging the chain's start is not believed: the rightmost untrusted hop is the client.
    let chain = [("x-forwarded-for", "198.51.100.1, 203.0.113.9, 127.0.0.2")];
    assert_eq!(post(&behind, "client_ip", &chain).await, (200, json!("203.0.113.9")));

    // Not a trusted proxy: the same headers are forgeries.
    let direct = serve(app().trusted_proxies(["10.0.0.0/8"])).await;
    assert_eq!(post(&direct, "whoami", &[&forwarded[..], &[COOKIE]].concat()).await, csrf());
    assert_eq!(
        post(&direct, "client_ip", &[("x-forwarded-for", "203.0.113.9")]).await,
        (200, json!("127.0.0.1"))
    );
    let none = serve(app()).await;
    assert_eq!(post(&none, "open", &forwarded).await, csrf());
    assert_eq!(
        post(&none, "client_ip", &[("x-forwarded-for", "203.0.113.9")]).await,
        (200, json!("127.0.0.1"))
    );
}

#[tokio::test]
async fn only_an_authorization_that_authenticates_lifts_a_refusal() {
    let site = serve(app()).await;
    // A bogus Authorization switches nothing off: cookie and no Origin is refused.
    assert_eq!(post(&site, "whoami", &[COOKIE, ("authorization", "Bearer bogus")]).await, csrf());
    assert_eq!(post(&site, "whoami", &[COOKIE, ("authorization", "Basic Zm9vOmJhcg==")]).await, csrf());
    assert_eq!(
        post(&site, "open", &[("authorization", "Bearer bogus"), ("origin", "https://evil.example")]).await,
        csrf()
    );
    // A valid bearer token passes, from anywhere, and the call runs as the token alone:
    // the cookie beside it (alice's) is dropped.
    assert_eq!(
        post(&site, "whoami", &[("authorization", "Bearer bob"), ("origin", "https://evil.example")]).await,
        (200, json!("bob"))
    );
    assert_eq!(
        post(&site, "whoami", &[COOKIE, ("authorization", "Bearer bob"), ("sec-fetch-site", "cross-site")])
            .await,
        (200, json!("bob"))
    );
    assert_eq!(post(&site, "whoami", &[COOKIE, ("authorization", "Bearer bob")]).await, (200, json!("bob")));
    // The same in a batch.
    let batch = |auth: &'static str| {
        reqwest::Client::new()
            .post(format!("{}/batch", site.api))
            .header("content-type", "application/json")
            .header("cookie", "sid=alice")
            .header("authorization", auth)
            .body(r#"[{"fn":"whoami"}]"#)
            .send()
    };
    let r = batch("Bearer bogus").await.expect("send");
    assert_eq!(r.status().as_u16(), 403);
    let r = batch("Bearer root").await.expect("send");
    assert_eq!(r.json::<Value>().await.expect("json"), json!([{"data": "root"}]));
}

#[tokio::test]
async fn the_double_submit_token_vouches_for_a_cookie_without_origin_only() {
    let site = serve(app()).await;
    assert_eq!(post(&site, "whoami", &[COOKIE, ("x-mizan-csrf", "t0k3n")]).await, (200, json!("alice")));
    assert_eq!(post(&site, "whoami", &[COOKIE, ("x-mizan-csrf", "guess")]).await, csrf());
    assert_eq!(
        post(&site, "whoami", &[COOKIE, ("x-mizan-csrf", "t0k3n"), ("origin", "https://evil.example")]).await,
        csrf()
    );
}

#[tokio::test]
async fn bodies_that_are_not_json_are_415() {
    let site = serve(app()).await;
    let send = |path: &'static str, content_type: Option<&'static str>, body: &'static str| {
        let mut r = reqwest::Client::new().post(format!("{}/{path}", site.api)).body(body);
        if let Some(ct) = content_type {
            r = r.header("content-type", ct);
        }
        async move {
            let r = r.send().await.expect("send");
            let status = r.status().as_u16();
            let v: Value = r.json().await.expect("json");
            (status, v)
        }
    };
    for ct in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        for (path, body) in [("call/open", r#"{"n":1}"#), ("batch", r#"[{"fn":"open","args":{"n":1}}]"#)] {
            let (status, v) = send(path, ct, body).await;
            assert_eq!(
                (status, v["error"]["code"].as_str()),
                (415, Some("UNSUPPORTED_MEDIA_TYPE")),
                "{path} {ct:?}"
            );
        }
    }
    // A form's own functions are calls like any other.
    let (status, _) = send("call/open", Some("application/json; charset=utf-8"), r#"{"n":1}"#).await;
    assert_eq!(status, 200);
    let (status, v) = send("batch", Some("Application/JSON"), r#"[{"fn":"open","args":{"n":2}}]"#).await;
    assert_eq!((status, v), (200, json!([{"data": 2}])));
}

#[tokio::test]
async fn a_websocket_from_another_scheme_or_port_is_closed() {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    let site = serve(app()).await;
    let ws = format!("ws://{}/api/mizan/ws", site.addr);
    let port = site.addr.port();
    for origin in
        [format!("https://127.0.0.1:{port}"), format!("http://127.0.0.1:{}", port.wrapping_add(1).max(1))]
    {
        let mut socket = support::ws::connect_with(&ws, &[("origin", &origin)]).await;
        match socket.next().await {
            Some(Ok(Message::Close(Some(frame)))) => assert_eq!(u16::from(frame.code), 1008, "{origin}"),
            other => panic!("{origin}: expected a close frame, got {other:?}"),
        }
    }
    let mut ok = support::ws::connect_with(&ws, &[("origin", &site.origin)]).await;
    let frame = tokio::time::timeout(std::time::Duration::from_millis(300), ok.next()).await;
    assert!(!matches!(frame, Ok(Some(Ok(Message::Close(_))))), "the same origin stays open: {frame:?}");
}

#[test]
fn origins_and_proxies_that_cannot_be_are_startup_errors() {
    for (app, what) in [
        (App::new().origin("app.example"), "`app.example` is not an origin"),
        (App::new().origin("https://app.example/path"), "is not an origin"),
        (App::new().trusted_proxies(["10.0.0.0/8", "proxy.internal"]), "`proxy.internal`"),
        (App::new().trusted_origins(["null"]), "trusted origin `null`"),
        (
            App::new().page_headers(mizan::PageHeaders::new().frame_options(Some("DENY\r\n"))),
            "x-frame-options",
        ),
    ] {
        let e = app.check().expect_err(what).to_string();
        assert!(e.contains(what), "{e}");
    }
    assert!(
        App::new().origin("https://app.example:8443").trusted_proxies(["::1", "10.0.0.0/8"]).check().is_ok()
    );
}
