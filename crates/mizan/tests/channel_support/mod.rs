//! Channel test kit: a chat app, a real server on a free loopback port,
//! WebSocket clients, and Redis servers for the Redis layer tests.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::request::Parts;
use futures_util::{SinkExt, StreamExt};
use mizan::{App, Authenticator, BoxFuture, Channel, Error, Identity, Inbound, NoMessage, Request, Role};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// `{ room }`: rooms `staff` (staff only) and `private` (any identity).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct Room {
    #[garde(length(chars, min = 1, max = 40))]
    pub room: String,
}

/// A chat line.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Line {
    pub user: Option<String>,
    pub text: String,
}

/// What a client may say.
#[derive(Debug, Deserialize, schemars::JsonSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub struct Say {
    #[garde(length(chars, min = 1, max = 200))]
    pub text: String,
}

/// The chat: clients say lines; the others in the room receive them; a
/// line starting with `me:` is also answered to its sender alone.
pub struct ChatChannel;

impl Channel for ChatChannel {
    const DOC: Option<&'static str> = Some("Chat lines of one room.");
    type Params = Room;
    type Message = Line;
    type ClientMessage = Say;

    fn group(params: &Room) -> String {
        params.room.clone()
    }

    async fn authorize(&self, req: &Request, params: &Room) -> mizan::Result<()> {
        let need = match params.room.as_str() {
            "staff" => Role::Staff,
            "private" => Role::User,
            _ => return Ok(()),
        };
        match req.identity() {
            None => Err(Error::unauthenticated("sign in to join this room")),
            Some(id) if id.role() >= need => Ok(()),
            Some(_) => Err(Error::forbidden("staff only")),
        }
    }

    async fn receive(&self, cx: Inbound<'_, Self>, msg: Say) -> mizan::Result<()> {
        let user = cx.request().identity().map(|i| i.id().to_owned());
        let line = Line { user, text: msg.text };
        cx.broadcast(&line).await?;
        if line.text.starts_with("me:") {
            cx.reply(&line)?;
        }
        Ok(())
    }
}

/// Server-only ticks: clients cannot send.
pub struct TickerChannel;

#[derive(Debug, Deserialize, schemars::JsonSchema, garde::Validate)]
pub struct NoParams {}

impl Channel for TickerChannel {
    const NAME: Option<&'static str> = Some("ticks");
    type Params = NoParams;
    type Message = u64;
    type ClientMessage = NoMessage;
    fn group(_: &NoParams) -> String {
        String::new()
    }
}

/// Broadcasts a line to a room, as any server function may.
#[mizan::client]
pub async fn say(req: &Request, room: String, text: String) -> mizan::Result<()> {
    ChatChannel::broadcast(req.channels(), &Room { room }, &Line { user: None, text }).await
}

/// Tokens `alice` (user), `bob` (staff); cookie `sid=<token>`; token `boom` fails.
pub struct TestAuth;

pub fn identity_for(token: &str) -> Option<Identity> {
    match token {
        "alice" => Some(Identity::new("alice", Role::User)),
        "bob" => Some(Identity::new("bob", Role::Staff)),
        _ => None,
    }
}

impl Authenticator for TestAuth {
    fn identify<'a>(&'a self, parts: &'a Parts) -> BoxFuture<'a, mizan::Result<Option<Identity>>> {
        Box::pin(async move {
            let cookie = parts
                .headers
                .get("cookie")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(';').find_map(|p| p.trim().strip_prefix("sid=")));
            Ok(cookie.and_then(identity_for))
        })
    }
    fn identify_token<'a>(&'a self, token: &'a str) -> BoxFuture<'a, mizan::Result<Option<Identity>>> {
        Box::pin(async move {
            if token == "boom" {
                return Err(Error::unavailable("the session store is down"));
            }
            Ok(identity_for(token))
        })
    }
}

pub fn chat_app() -> App {
    App::new().authenticator(TestAuth).channel(ChatChannel).channel(TickerChannel).register(say)
}

/// A served app: its base URL and WebSocket URL.
pub struct Served {
    pub addr: SocketAddr,
    pub http: String,
    pub ws: String,
}

pub async fn serve(app: App) -> Served {
    let router = app.mount("/api/mizan", axum::Router::new()).expect("app builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serve");
    });
    Served { addr, http: format!("http://{addr}/api/mizan"), ws: format!("ws://{addr}/api/mizan/ws") }
}

pub async fn connect(url: &str) -> Ws {
    connect_with(url, &[]).await
}

pub async fn connect_with(url: &str, headers: &[(&str, &str)]) -> Ws {
    let mut req = url.into_client_request().unwrap();
    for (k, v) in headers {
        req.headers_mut()
            .insert(axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.parse().unwrap());
    }
    let (ws, _) = tokio_tungstenite::connect_async(req).await.expect("websocket connects");
    ws
}

pub async fn send(ws: &mut Ws, frame: Value) {
    ws.send(Message::text(frame.to_string())).await.expect("send");
}

pub async fn send_raw(ws: &mut Ws, text: &str) {
    ws.send(Message::text(text.to_owned())).await.expect("send");
}

/// The next JSON frame (5 s at most).
pub async fn recv(ws: &mut Ws) -> Value {
    recv_within(ws, Duration::from_secs(5)).await.expect("a frame within 5 s")
}

pub async fn recv_within(ws: &mut Ws, within: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let next = tokio::time::timeout_at(deadline, ws.next()).await.ok()?;
        match next {
            Some(Ok(Message::Text(t))) => return Some(serde_json::from_str(t.as_str()).expect("JSON frame")),
            Some(Ok(Message::Close(c))) => panic!("socket closed: {c:?}"),
            Some(Ok(_)) => continue,
            Some(Err(e)) => panic!("socket error: {e}"),
            None => panic!("socket ended"),
        }
    }
}

/// Asserts nothing but `pong` comes before our ping is answered: nothing was
/// delivered in between.
pub async fn assert_quiet(ws: &mut Ws) {
    send(ws, json!({"t": "ping"})).await;
    let f = recv(ws).await;
    assert_eq!(f, json!({"t": "pong"}), "expected no frame before the pong");
}

/// Subscribes and waits for `ok`.
pub async fn sub(ws: &mut Ws, id: u64, ch: &str, params: Value) {
    send(ws, json!({"t": "sub", "id": id, "ch": ch, "params": params})).await;
    let f = recv(ws).await;
    assert_eq!(f, json!({"t": "ok", "id": id}), "subscribing {id} to {ch} {params}");
}

/// Reads until the close frame; returns its code.
pub async fn close_code(ws: &mut Ws, within: Duration) -> u16 {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => panic!("no close frame within {within:?}"),
            Ok(Some(Ok(Message::Close(Some(c))))) => return c.code.into(),
            Ok(Some(Ok(Message::Close(None)))) => panic!("close frame without a code"),
            Ok(Some(Ok(_))) => continue,
            Ok(Some(Err(e))) => panic!("socket error before the close frame: {e}"),
            Ok(None) => panic!("socket ended without a close frame"),
        }
    }
}

pub fn line(text: &str) -> Line {
    Line { user: None, text: text.to_owned() }
}

pub fn room(name: &str) -> Room {
    Room { room: name.to_owned() }
}

// ---- Redis ----

/// A Redis server this test started on a free port; killed on drop.
pub struct OwnRedis {
    pub port: u16,
    child: Option<std::process::Child>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

const HOW_TO_FIX: &str = "the Redis channel-layer tests need Redis: install it (`apt-get install redis-server`, \
     which provides the `redis-server` binary these tests start on free ports) or point $REDIS_URL at a running one";

impl OwnRedis {
    pub fn start() -> Self {
        let mut me = Self { port: free_port(), child: None };
        me.restart();
        me
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts (again) on the same port and waits until it answers.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "already running");
        let child = std::process::Command::new("redis-server")
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start redis-server ({e}): {HOW_TO_FIX}"));
        self.child = Some(child);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !redis_answers(&self.url()) {
            assert!(
                std::time::Instant::now() < deadline,
                "redis-server on port {} did not come up",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Whether a Redis at `url` (redis://host:port) answers PING.
pub fn redis_answers(url: &str) -> bool {
    use std::io::{Read, Write};
    let hostport = url.trim_start_matches("redis://").split('/').next().unwrap_or_default();
    let hostport = hostport.rsplit('@').next().unwrap_or(hostport);
    let Ok(addr) = std::net::ToSocketAddrs::to_socket_addrs(hostport).map(|mut a| a.next()) else {
        return false;
    };
    let Some(addr) = addr else { return false };
    let Ok(mut s) = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(500)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    if s.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut buf = [0u8; 7];
    s.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n"
}

/// `$REDIS_URL` (default redis://127.0.0.1:6379) when it answers; otherwise
/// a Redis of the test's own. Fails with how to fix it when neither works.
pub enum SharedRedis {
    External(String),
    Own(OwnRedis),
}

impl SharedRedis {
    pub fn get() -> Self {
        let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
        if redis_answers(&url) {
            return Self::External(url);
        }
        let which = std::process::Command::new("redis-server").arg("--version").output();
        if which.is_err() {
            panic!("no Redis answers at {url} and redis-server cannot be started: {HOW_TO_FIX}");
        }
        Self::Own(OwnRedis::start())
    }

    pub fn url(&self) -> String {
        match self {
            Self::External(u) => u.clone(),
            Self::Own(o) => o.url(),
        }
    }
}

/// A Redis key prefix no other test run shares.
pub fn unique_prefix() -> String {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("mizan-test:{}:{t}:{n}:", std::process::id())
}
