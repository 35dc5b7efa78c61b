//! Two `hello` processes sharing chat rooms through Redis: a member on one
//! receives what is said on the other, and a Redis restart in the middle
//! fails broadcasts while it is down, then restores every subscription with
//! a `gap` frame. The test starts its own `redis-server` on a free port.

#![allow(clippy::unwrap_used)]

use std::process::Command;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::support::{BIN, Proc, free_port, listen, redis_server};

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Starts `hello` on a free port with Redis at `redis_url`; returns it and its base URL.
fn hello(redis_url: &str) -> (Proc, String) {
    let (child, url) = listen(Command::new(BIN).env("REDIS_URL", redis_url));
    (Proc(child), url)
}

async fn connect(base: &str) -> Ws {
    let url = format!("{}/api/mizan/ws", base.replace("http://", "ws://"));
    tokio_tungstenite::connect_async(url).await.expect("websocket").0
}

async fn send(ws: &mut Ws, frame: Value) {
    ws.send(Message::text(frame.to_string())).await.unwrap();
}

async fn recv(ws: &mut Ws) -> Value {
    loop {
        match tokio::time::timeout(Duration::from_secs(15), ws.next()).await.expect("a frame within 15 s") {
            Some(Ok(Message::Text(t))) => return serde_json::from_str(t.as_str()).unwrap(),
            Some(Ok(Message::Close(c))) => panic!("closed: {c:?}"),
            Some(Ok(_)) => continue,
            other => panic!("socket ended: {other:?}"),
        }
    }
}

async fn sub(ws: &mut Ws, id: u64, room: &str) {
    send(ws, json!({"t": "sub", "id": id, "ch": "chat", "params": {"room": room}})).await;
    assert_eq!(recv(ws).await, json!({"t": "ok", "id": id}));
}

async fn assert_quiet(ws: &mut Ws) {
    send(ws, json!({"t": "ping"})).await;
    assert_eq!(recv(ws).await, json!({"t": "pong"}));
}

async fn say(base: &str, room: &str, text: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base}/api/mizan/call/say"))
        .json(&json!({"room": room, "text": text}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn two_processes_share_rooms_through_redis_and_survive_its_restart() {
    let port = free_port();
    let redis_url = format!("redis://127.0.0.1:{port}");
    let mut redis = Some(redis_server(port));
    let (_one, base1) = hello(&redis_url);
    let (_two, base2) = hello(&redis_url);

    let mut a = connect(&base1).await;
    let mut b = connect(&base2).await;
    send(&mut b, json!({"t": "auth", "token": "hello-user-token"})).await;
    assert_eq!(recv(&mut b).await, json!({"t": "auth_ok"}));
    sub(&mut a, 1, "lobby").await;
    sub(&mut b, 9, "lobby").await;

    // Said on process two, heard on process one (and two).
    let r = say(&base2, "lobby", "hello from two").await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        recv(&mut a).await,
        json!({"t": "msg", "id": 1, "data": {"user": null, "text": "hello from two"}})
    );
    assert_eq!(recv(&mut b).await["data"]["text"], "hello from two");

    // A member's send crosses processes and does not come back to its sender.
    send(&mut b, json!({"t": "send", "id": 9, "data": {"text": "hi from b"}})).await;
    assert_eq!(
        recv(&mut a).await,
        json!({"t": "msg", "id": 1, "data": {"user": "ada", "text": "hi from b"}})
    );
    assert_quiet(&mut b).await;

    // Redis goes away: broadcasts fail with UNAVAILABLE.
    drop(redis.take());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let r = say(&base1, "lobby", "into the void").await;
        if r.status() == 503 {
            let body: Value = r.json().await.unwrap();
            assert_eq!(body["error"]["code"], "UNAVAILABLE");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "say kept succeeding without Redis");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Redis returns: both subscriptions are restored, with a gap frame.
    let _redis = redis_server(port);
    assert_eq!(recv(&mut a).await, json!({"t": "gap", "id": 1}));
    assert_eq!(recv(&mut b).await, json!({"t": "gap", "id": 9}));
    let r = say(&base1, "lobby", "back").await;
    assert_eq!(r.status(), 200);
    assert_eq!(recv(&mut a).await["data"]["text"], "back");
    assert_eq!(recv(&mut b).await, json!({"t": "msg", "id": 9, "data": {"user": null, "text": "back"}}));
}
