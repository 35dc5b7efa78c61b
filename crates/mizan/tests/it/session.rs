//! Cookie-session identities with tower-sessions: log in, call as that
//! identity, CSRF on the cookie, log out.

use crate::support;

use mizan::{App, Identity, Request, Role};
use serde_json::{Value, json};

#[mizan::client]
async fn sign_in(req: &Request, name: String) -> mizan::Result<()> {
    let role = if name == "boss" { Role::Staff } else { Role::User };
    mizan::session::login(req, &Identity::new(name, role)).await
}

#[mizan::client]
async fn sign_out(req: &Request) -> mizan::Result<()> {
    mizan::session::logout(req).await
}

#[mizan::client(query, auth = true)]
async fn me(req: &Request) -> mizan::Result<String> {
    Ok(req.identity().map(|i| i.id().to_owned()).unwrap_or_default())
}

#[mizan::client(query, auth = "staff")]
async fn report(_req: &Request) -> mizan::Result<u8> {
    Ok(1)
}

async fn serve() -> String {
    let app = App::new()
        .authenticator(mizan::session::SessionAuth)
        .register(sign_in)
        .register(sign_out)
        .register(me)
        .register(report);
    let store = tower_sessions::MemoryStore::default();
    let router = app
        .mount("/api/mizan", axum::Router::new())
        .expect("app")
        .layer(tower_sessions::SessionManagerLayer::new(store).with_secure(false));
    let addr = support::server::listen(router).await;
    format!("http://{addr}/api/mizan")
}

#[tokio::test]
async fn session_cookies_carry_identities() {
    let base = serve().await;
    let origin = base.trim_end_matches("/api/mizan").to_owned();
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder().cookie_provider(jar.clone()).build().expect("client");
    let get = |name: &str| client.get(format!("{base}/call/{name}")).send();

    assert_eq!(get("me").await.expect("me").status().as_u16(), 401);

    // The query above set the mizan_csrf cookie, so a POST without origin
    // evidence is refused; the double-submit header lets it through.
    let r = client
        .post(format!("{base}/call/sign_in"))
        .header("content-type", "application/json")
        .body(r#"{"name":"ada"}"#)
        .send()
        .await
        .expect("login");
    assert_eq!(r.status().as_u16(), 403);
    let jar_token = {
        use reqwest::cookie::CookieStore;
        let url: reqwest::Url = base.parse().expect("url");
        let cookies = jar.cookies(&url).expect("cookies");
        let cookies = cookies.to_str().expect("ascii").to_owned();
        let token = cookies.split("; ").find_map(|c| c.strip_prefix("mizan_csrf=")).expect("the csrf cookie");
        token.to_owned()
    };
    let r = client
        .post(format!("{base}/call/sign_in"))
        .header("x-mizan-csrf", jar_token)
        .header("content-type", "application/json")
        .body(r#"{"name":"ada"}"#)
        .send()
        .await
        .expect("login");
    assert_eq!(r.status().as_u16(), 200);

    let r = get("me").await.expect("me");
    assert_eq!(r.json::<Value>().await.expect("json"), json!({"data": "ada"}));
    assert_eq!(get("report").await.expect("report").status().as_u16(), 403);

    // Now the browser holds a session cookie: a cross-site POST is refused,
    // a same-origin one passes.
    let r = client
        .post(format!("{base}/call/sign_out"))
        .header("origin", "https://evil.example")
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("cross-site");
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(get("me").await.expect("me").status().as_u16(), 200, "still signed in");
    let r = client
        .post(format!("{base}/call/sign_out"))
        .header("origin", &origin)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("logout");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(get("me").await.expect("me").status().as_u16(), 401);

    let r = client
        .post(format!("{base}/call/sign_in"))
        .header("origin", &origin)
        .header("content-type", "application/json")
        .body(r#"{"name":"boss"}"#)
        .send()
        .await
        .expect("login");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(get("report").await.expect("report").status().as_u16(), 200);
}
