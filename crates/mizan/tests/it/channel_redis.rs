//! The Redis channel layer: two apps (each with its own Redis connections,
//! as two processes would have) sharing groups, and Redis restarting under
//! them. Uses `$REDIS_URL` (default redis://127.0.0.1:6379), or a
//! redis-server of its own when none answers there; the restart test always
//! starts its own.

#![cfg(feature = "redis")]
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use mizan::{App, ChannelLayer};
use serde_json::json;

use crate::support::chat::*;
use crate::support::redis::*;
use crate::support::serve;
use crate::support::ws::*;

fn redis_app(url: &str, prefix: &str) -> App {
    chat_app().channel_layer(ChannelLayer::redis(url).prefix(prefix))
}

#[tokio::test]
async fn two_apps_share_groups_through_redis() {
    let redis = SharedRedis::get();
    let prefix = unique_prefix();
    let one = redis_app(&redis.url(), &prefix);
    let two = redis_app(&redis.url(), &prefix);
    let (to_one, to_two) = (one.broadcaster(), two.broadcaster());
    let (s1, s2) = (serve(one).await, serve(two).await);

    let mut a = connect(&s1.ws).await;
    send(&mut a, json!({"t": "auth", "token": "alice"})).await;
    assert_eq!(recv(&mut a).await["t"], "auth_ok");
    let mut b = connect(&s2.ws).await;
    sub(&mut a, 1, "chat", json!({"room": "x"})).await;
    sub(&mut b, 2, "chat", json!({"room": "x"})).await;
    sub(&mut b, 3, "chat", json!({"room": "y"})).await;

    // A broadcast on one process reaches subscribers on both, once each.
    to_two.send::<ChatChannel>(&room("x"), &line("from two")).await.unwrap();
    assert_eq!(recv(&mut a).await, json!({"t": "msg", "id": 1, "data": {"user": null, "text": "from two"}}));
    assert_eq!(recv(&mut b).await, json!({"t": "msg", "id": 2, "data": {"user": null, "text": "from two"}}));
    to_one.send::<ChatChannel>(&room("y"), &line("to y")).await.unwrap();
    assert_eq!(recv(&mut b).await["id"], 3);
    assert_quiet(&mut a).await;

    // A client's send crosses processes, and does not come back to it.
    send(&mut a, json!({"t": "send", "id": 1, "data": {"text": "hi b"}})).await;
    assert_eq!(recv(&mut b).await, json!({"t": "msg", "id": 2, "data": {"user": "alice", "text": "hi b"}}));
    assert_quiet(&mut a).await;
    assert_quiet(&mut b).await;

    // Unsubscribed groups stop arriving.
    send(&mut b, json!({"t": "unsub", "id": 2})).await;
    assert_eq!(recv(&mut b).await, json!({"t": "closed", "id": 2}));
    to_one.send::<ChatChannel>(&room("x"), &line("only a")).await.unwrap();
    assert_eq!(recv(&mut a).await["data"]["text"], "only a");
    assert_quiet(&mut b).await;
}

#[tokio::test]
async fn first_message_after_ok_is_never_lost_across_processes() {
    let redis = SharedRedis::get();
    let prefix = unique_prefix();
    let one = redis_app(&redis.url(), &prefix);
    let two = redis_app(&redis.url(), &prefix);
    let to_two = two.broadcaster();
    let s1 = serve(one).await;
    let _s2 = serve(two).await;
    let mut ws = connect(&s1.ws).await;
    for id in 0..30u64 {
        let name = format!("fresh{id}");
        sub(&mut ws, id, "chat", json!({"room": name})).await;
        to_two.send::<ChatChannel>(&room(&name), &line("first")).await.unwrap();
        assert_eq!(
            recv(&mut ws).await,
            json!({"t": "msg", "id": id, "data": {"user": null, "text": "first"}})
        );
    }
}

#[tokio::test]
async fn redis_restarting_fails_broadcasts_then_restores_subscriptions_with_a_gap() {
    let mut redis = OwnRedis::start();
    let prefix = unique_prefix();
    let app = redis_app(&redis.url(), &prefix);
    let to = app.broadcaster();
    let s = serve(app).await;
    let mut ws = connect(&s.ws).await;
    sub(&mut ws, 1, "chat", json!({"room": "r"})).await;
    sub(&mut ws, 2, "chat", json!({"room": "q"})).await;
    to.send::<ChatChannel>(&room("r"), &line("before")).await.unwrap();
    assert_eq!(recv(&mut ws).await["data"]["text"], "before");

    redis.kill();
    // Broadcasts fail with UNAVAILABLE while Redis is away (at once, or once
    // the layer has noticed).
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let err = loop {
        match to.send::<ChatChannel>(&room("r"), &line("lost")).await {
            Err(e) => break e,
            Ok(()) => {
                assert!(std::time::Instant::now() < deadline, "broadcasts kept succeeding without Redis");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    assert_eq!(err.code(), "UNAVAILABLE", "{err}");
    assert_eq!(err.status().as_u16(), 503);
    assert!(err.message().contains("Redis"), "{err}");
    // So does a server function that broadcasts.
    let res = reqwest::Client::new()
        .post(format!("{}/call/say", s.api))
        .json(&json!({"room": "r", "text": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "UNAVAILABLE");
    // New subscriptions are refused for their id; the socket lives on.
    send(&mut ws, json!({"t": "sub", "id": 3, "ch": "chat", "params": {"room": "new"}})).await;
    let f = recv(&mut ws).await;
    assert_eq!((&f["t"], &f["id"], &f["error"]["code"]), (&json!("err"), &json!(3), &json!("UNAVAILABLE")));

    redis.restart();
    // Both live subscriptions are restored and told messages may be lost.
    let mut gaps = vec![recv_gap(&mut ws).await, recv_gap(&mut ws).await];
    gaps.sort_unstable();
    assert_eq!(gaps, vec![1, 2]);
    to.send::<ChatChannel>(&room("r"), &line("after")).await.unwrap();
    assert_eq!(recv(&mut ws).await, json!({"t": "msg", "id": 1, "data": {"user": null, "text": "after"}}));
    to.send::<ChatChannel>(&room("q"), &line("after q")).await.unwrap();
    assert_eq!(recv(&mut ws).await["id"], 2);
    sub(&mut ws, 3, "chat", json!({"room": "new"})).await;
}

async fn recv_gap(ws: &mut Ws) -> u64 {
    let f = recv_within(ws, Duration::from_secs(15)).await.expect("a gap frame after Redis returned");
    assert_eq!(f["t"], "gap", "{f}");
    f["id"].as_u64().unwrap()
}

#[tokio::test]
async fn an_unreachable_redis_is_unavailable_not_a_hang() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let app = redis_app(&format!("redis://127.0.0.1:{port}"), "x:");
    // Building the app, its manifest and router touches no Redis.
    assert!(app.manifest().is_ok());
    let to = app.broadcaster();
    let s = serve(app).await;
    let started = std::time::Instant::now();
    let err = to.send::<ChatChannel>(&room("r"), &line("x")).await.unwrap_err();
    assert_eq!(err.code(), "UNAVAILABLE");
    assert!(started.elapsed() < Duration::from_secs(5));
    let mut ws = connect(&s.ws).await;
    send(&mut ws, json!({"t": "sub", "id": 1, "ch": "chat", "params": {"room": "r"}})).await;
    assert_eq!(recv(&mut ws).await["error"]["code"], "UNAVAILABLE");
    assert_quiet(&mut ws).await;
}
