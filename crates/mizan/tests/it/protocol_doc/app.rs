//! An app that can answer every documented code, served on a real socket.

use axum::http::request::Parts;
use axum::routing::get;
use mizan::{
    App, Authenticator, BoxFuture, Channel, ChannelLimits, Identity, Inbound, Limits, Request, Role,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::support::Served;

/// Bearer tokens (HTTP `Authorization`, WebSocket `auth`): `user`, `staff`.
struct Tokens;

fn identity_for(token: &str) -> Option<Identity> {
    match token {
        "user" => Some(Identity::new("ada", Role::User)),
        "staff" => Some(Identity::new("bob", Role::Staff)),
        _ => None,
    }
}

impl Authenticator for Tokens {
    fn identify<'a>(&'a self, parts: &'a Parts) -> BoxFuture<'a, mizan::Result<Option<Identity>>> {
        Box::pin(async move {
            let bearer = parts
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "));
            Ok(bearer.and_then(identity_for))
        })
    }
    fn identify_token<'a>(&'a self, token: &'a str) -> BoxFuture<'a, mizan::Result<Option<Identity>>> {
        Box::pin(async move { Ok(identity_for(token)) })
    }
}

/// Echo text of at most 5 characters.
#[mizan::client]
async fn echo(_req: &Request, #[garde(length(chars, max = 5))] text: String) -> mizan::Result<String> {
    Ok(text)
}

/// Needs an identity.
#[mizan::client(auth = true)]
async fn mine(_req: &Request) -> mizan::Result<()> {
    Ok(())
}

/// Needs staff.
#[mizan::client(auth = "staff")]
async fn staff_only(_req: &Request) -> mizan::Result<()> {
    Ok(())
}

/// Panics.
#[mizan::client]
async fn boom(_req: &Request) -> mizan::Result<()> {
    panic!("the secret is hunter2")
}

/// `from` down to 0, streamed.
#[mizan::client(query)]
async fn countdown(_req: &Request, from: u32) -> mizan::Result<mizan::Stream<u32>> {
    Ok(mizan::Stream::iter((0..=from).rev()))
}

/// One number, then a failure of its own.
#[mizan::client]
async fn run_dry(_req: &Request) -> mizan::Result<mizan::Stream<u32>> {
    let (tx, stream) = mizan::Stream::channel(1);
    tokio::spawn(async move {
        if tx.send(1).await.is_ok() {
            let dry = mizan::Error::new(axum::http::StatusCode::CONFLICT, "RAN_DRY", "no more numbers");
            tx.fail(dry).await;
        }
    });
    Ok(stream)
}

/// A global context embedded in every page.
#[mizan::client(context = "global")]
pub(crate) async fn motto(_req: &Request) -> mizan::Result<String> {
    Ok("a</script><!--b".to_owned())
}

#[derive(Debug, Deserialize, schemars::JsonSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct Room {
    #[garde(length(chars, min = 1, max = 20))]
    pub(crate) room: String,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub(crate) struct Line {
    pub(crate) text: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct Say {
    #[garde(length(chars, min = 1, max = 20))]
    pub(crate) text: String,
}

/// Rooms: a `send` goes to the others; one starting with `me:` is also
/// answered to the sender alone.
pub(crate) struct Chat;

impl Channel for Chat {
    type Params = Room;
    type Message = Line;
    type ClientMessage = Say;
    fn group(params: &Room) -> String {
        params.room.clone()
    }
    async fn receive(&self, cx: Inbound<'_, Self>, msg: Say) -> mizan::Result<()> {
        let line = Line { text: msg.text };
        cx.broadcast(&line).await?;
        if line.text.starts_with("me:") {
            cx.reply(&line)?;
        }
        Ok(())
    }
}

pub(crate) fn app(channel_limits: ChannelLimits) -> App {
    App::new()
        .authenticator(Tokens)
        .register(echo)
        .register(mine)
        .register(staff_only)
        .register(boom)
        .register(countdown)
        .register(run_dry)
        .channel(Chat)
        .limits(Limits { body_bytes: 1024, batch_len: 2, ..Limits::default() })
        .channel_limits(channel_limits)
}

fn page(name: &'static str, props: Value) -> axum::routing::MethodRouter {
    get(move |req: Request| {
        let props = props.clone();
        async move { mizan::render(&req, name, props).await }
    })
}

fn views() -> axum::Router {
    axum::Router::new()
        .route("/hello/", page("Hello.tsx", json!({ "name": "</script><!--&\u{2028}" })))
        .route("/throws/", page("Throws.tsx", json!({})))
        .route("/hang/", page("Hang.tsx", json!({})))
}

/// Serves `app` with its pages: `/hello/`, `/throws/` and `/hang/`.
pub(crate) async fn serve(app: App) -> Served {
    crate::support::serve_with(app, views()).await
}

/// Serves `app` with its pages through `mizan::serve` with `config`, until
/// the test ends; returns the address.
pub(crate) async fn serve_with_config(app: App, config: mizan::ServeConfig) -> std::net::SocketAddr {
    let router = app.mount("/api/mizan", views()).expect("the app builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(mizan::serve_with_shutdown(listener, router, config, std::future::pending()));
    addr
}

/// Serves `app` through `mizan::serve` until `stop` resolves.
pub(crate) async fn serve_until(
    app: App,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::net::SocketAddr {
    let router = app.mount("/api/mizan", views()).expect("the app builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(mizan::serve_with_shutdown(listener, router, mizan::ServeConfig::default(), stop));
    addr
}

/// An answer: status, `x-mizan-error`, headers and body text.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: String,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    /// The code of an error envelope.
    pub(crate) fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no error code: {}", self.body))
            .to_owned()
    }
}

pub(crate) async fn send(req: reqwest::RequestBuilder) -> Answer {
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    Answer { status, headers, body: res.text().await.expect("body") }
}

pub(crate) fn http() -> reqwest::Client {
    reqwest::Client::new()
}
