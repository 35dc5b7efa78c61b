//! Every identity against every auth level, custom checks, auth before
//! validation, and CSRF both ways, over a real socket.

use crate::support;

use mizan::{App, Error, Request};
use serde_json::{Value, json};

#[mizan::client]
async fn open(_req: &Request, n: u8) -> mizan::Result<u8> {
    Ok(n)
}
#[mizan::client(auth = true)]
async fn members(_req: &Request, n: u8) -> mizan::Result<u8> {
    Ok(n)
}
#[mizan::client(auth = "staff")]
async fn staff_only(_req: &Request, n: u8) -> mizan::Result<u8> {
    Ok(n)
}
#[mizan::client(auth = "superuser")]
async fn root_only(_req: &Request, n: u8) -> mizan::Result<u8> {
    Ok(n)
}

/// Only alice, the user, passes; anonymous callers are unauthenticated.
async fn is_alice(req: &Request) -> mizan::Result<()> {
    match req.identity() {
        None => Err(Error::unauthenticated("sign in")),
        Some(id) if id.id() == "alice" => Ok(()),
        Some(_) => Err(Error::forbidden("alice only")),
    }
}

#[mizan::client(auth = is_alice)]
async fn alice_only(_req: &Request, n: u8) -> mizan::Result<u8> {
    Ok(n)
}

fn app() -> App {
    App::new()
        .authenticator(support::TestAuth)
        .register(open)
        .register(members)
        .register(staff_only)
        .register(root_only)
        .register(alice_only)
        .trusted_origins(["https://trusted.example"])
}

async fn call(base: &str, name: &str, token: Option<&str>, body: &str) -> (u16, Value) {
    let mut r = reqwest::Client::new()
        .post(format!("{base}/call/{name}"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    let r = r.send().await.expect("send");
    let status = r.status().as_u16();
    (status, r.json().await.expect("json"))
}

#[tokio::test]
async fn every_identity_against_every_level() {
    let base = support::serve(app()).await.api;
    // Rows: anonymous, user, staff, superuser.
    let identities = [None, Some("alice"), Some("bob"), Some("root")];
    let expected: &[(&str, [u16; 4])] = &[
        ("open", [200, 200, 200, 200]),
        ("members", [401, 200, 200, 200]),
        ("staff_only", [401, 403, 200, 200]),
        ("root_only", [401, 403, 403, 200]),
        ("alice_only", [401, 200, 403, 403]),
    ];
    for (name, statuses) in expected {
        for (who, want) in identities.iter().zip(statuses) {
            let (status, body) = call(&base, name, *who, r#"{"n":7}"#).await;
            assert_eq!(status, *want, "{name} as {who:?}: {body}");
            let code = body["error"]["code"].as_str();
            match want {
                200 => assert_eq!(body, json!({"data": 7})),
                401 => assert_eq!(code, Some("UNAUTHENTICATED")),
                _ => assert_eq!(code, Some("FORBIDDEN")),
            }
        }
    }
    // An unknown token is no identity.
    assert_eq!(call(&base, "members", Some("mallory"), r#"{"n":1}"#).await.0, 401);
}

#[tokio::test]
async fn auth_is_checked_before_input_is_parsed() {
    let base = support::serve(app()).await.api;
    for body in [r#"{"n":"not a number"}"#, r#"{"zzz":1}"#, "{}"] {
        let (status, v) = call(&base, "staff_only", None, body).await;
        assert_eq!((status, v["error"]["code"].as_str()), (401, Some("UNAUTHENTICATED")), "{body}");
        let (status, _) = call(&base, "staff_only", Some("alice"), body).await;
        assert_eq!(status, 403, "{body}");
        let (status, _) = call(&base, "staff_only", Some("bob"), body).await;
        assert_eq!(status, 422, "{body}");
    }
}

async fn cookie_post(base: &str, headers: &[(&str, &str)], content_type: &str, body: &str) -> (u16, Value) {
    let mut r = reqwest::Client::new()
        .post(format!("{base}/call/members"))
        .header("cookie", "sid=alice; mizan_csrf=t0k3n")
        .header("content-type", content_type)
        .body(body.to_owned());
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let r = r.send().await.expect("send");
    let status = r.status().as_u16();
    (status, r.json().await.expect("json"))
}

#[tokio::test]
async fn csrf_refuses_cross_site_cookie_requests() {
    let base = support::serve(app()).await.api;
    let host = base.trim_start_matches("http://").split('/').next().unwrap_or_default().to_owned();
    let same = format!("http://{host}");
    let json_ct = "application/json";
    let ok = r#"{"n":1}"#;

    // A cross-site form post with the victim's cookie.
    let (status, v) = cookie_post(
        &base,
        &[("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")],
        "application/x-www-form-urlencoded",
        "n=1",
    )
    .await;
    // Refused before its origin is even looked at: a form's body is not JSON.
    assert_eq!((status, v["error"]["code"].as_str()), (415, Some("UNSUPPORTED_MEDIA_TYPE")));
    // Cross-site fetch, or no origin evidence at all.
    assert_eq!(cookie_post(&base, &[("origin", "https://evil.example")], json_ct, ok).await.0, 403);
    assert_eq!(cookie_post(&base, &[], json_ct, ok).await.0, 403);
    // The wrong double-submit token does not help.
    assert_eq!(
        cookie_post(&base, &[("origin", "https://evil.example"), ("x-mizan-csrf", "guess")], json_ct, ok)
            .await
            .0,
        403
    );

    // Same origin, a trusted origin, Sec-Fetch-Site, or the right token pass.
    assert_eq!(cookie_post(&base, &[("origin", &same)], json_ct, ok).await, (200, json!({"data": 1})));
    assert_eq!(cookie_post(&base, &[("origin", "https://trusted.example")], json_ct, ok).await.0, 200);
    assert_eq!(cookie_post(&base, &[("sec-fetch-site", "same-origin")], json_ct, ok).await.0, 200);
    assert_eq!(cookie_post(&base, &[("x-mizan-csrf", "t0k3n")], json_ct, ok).await.0, 200);
    // A bearer token that authenticates is not sent by the browser on its own:
    // it lifts the refusal (the call runs as the token's identity).
    assert_eq!(
        cookie_post(
            &base,
            &[("authorization", "Bearer alice"), ("origin", "https://evil.example")],
            json_ct,
            ok
        )
        .await
        .0,
        200
    );

    // Batches are protected the same way.
    let r = reqwest::Client::new()
        .post(format!("{base}/batch"))
        .header("cookie", "sid=alice")
        .header("origin", "https://evil.example")
        .header("content-type", "application/json")
        .body(r#"[{"fn":"members","args":{"n":1}}]"#)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 403);
}

#[tokio::test]
async fn queries_set_the_csrf_cookie() {
    #[mizan::client(query)]
    async fn ping(_req: &Request) -> mizan::Result<bool> {
        Ok(true)
    }
    let base = support::serve(App::new().register(ping)).await.api;
    let r = reqwest::get(format!("{base}/call/ping")).await.expect("get");
    let cookie = r.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cookie.starts_with("mizan_csrf=") && cookie.contains("SameSite=Lax"), "{cookie}");
    let again = reqwest::Client::new()
        .get(format!("{base}/call/ping"))
        .header("cookie", "mizan_csrf=abc")
        .send()
        .await
        .expect("get");
    assert!(again.headers().get("set-cookie").is_none());
}

/// Identifies `x-key: K` as user K and counts how often it was asked.
struct KeyAuth(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl mizan::Authenticator for KeyAuth {
    fn may_identify(&self, parts: &axum::http::request::Parts) -> bool {
        parts.headers.contains_key("x-key")
    }

    fn identify<'a>(
        &'a self,
        parts: &'a axum::http::request::Parts,
    ) -> mizan::BoxFuture<'a, mizan::Result<Option<mizan::Identity>>> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let key = parts.headers.get("x-key").and_then(|v| v.to_str().ok()).map(str::to_owned);
        Box::pin(async move { Ok(key.map(|k| mizan::Identity::new(k, mizan::Role::User))) })
    }
}

#[mizan::client]
async fn caller_id(req: &Request) -> mizan::Result<Option<String>> {
    Ok(req.identity().map(|i| i.id().to_owned()))
}

#[tokio::test]
async fn an_authenticator_that_cannot_identify_a_request_is_not_asked() {
    let asked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let app = App::new().authenticator((KeyAuth(asked.clone()), support::TestAuth)).register(caller_id);
    let s = support::serve(app).await;
    let ask = |headers: &'static [(&'static str, &'static str)]| {
        let mut r = reqwest::Client::new().post(format!("{}/call/caller_id", s.api)).json(&json!({}));
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        async move { r.send().await.expect("send").json::<Value>().await.expect("json") }
    };
    // Anonymous: the key authenticator says no at a glance and is never asked.
    assert_eq!(ask(&[]).await, json!({"data": null}));
    assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 0);
    // The second authenticator is still asked when the first cannot identify.
    assert_eq!(ask(&[("authorization", "Bearer alice")]).await, json!({"data": "alice"}));
    assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 0);
    // With its header, the key authenticator is asked, and wins.
    assert_eq!(ask(&[("x-key", "kay"), ("authorization", "Bearer alice")]).await, json!({"data": "kay"}));
    assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 1);
}
