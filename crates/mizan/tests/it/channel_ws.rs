//! The WebSocket protocol over real sockets, with the in-memory layer.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use futures_util::SinkExt;
use mizan::{App, Channel, ChannelLimits};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use crate::support::chat::*;
use crate::support::serve;
use crate::support::ws::*;

#[tokio::test]
async fn ping_pong_and_bad_frames_keep_the_socket() {
    let s = serve(chat_app()).await;
    let mut ws = connect(&s.ws).await;
    send(&mut ws, json!({"t": "ping"})).await;
    assert_eq!(recv(&mut ws).await, json!({"t": "pong"}));

    for bad in ["nope", "[1,2]", r#"{"t":"sub","id":"x","ch":"chat"}"#, r#"{"id":1}"#, "{"] {
        send_raw(&mut ws, bad).await;
        let f = recv(&mut ws).await;
        assert_eq!(
            (&f["t"], &f["id"], &f["error"]["code"]),
            (&json!("err"), &json!(null), &json!("BAD_REQUEST")),
            "{bad}"
        );
    }
    send(&mut ws, json!({"t": "dance"})).await;
    let f = recv(&mut ws).await;
    assert_eq!(f["error"]["code"], "BAD_REQUEST");
    assert!(f["error"]["message"].as_str().unwrap().contains("dance"));
    send(&mut ws, json!({"t": "sub", "ch": "chat", "params": {"room": "a"}})).await;
    assert_eq!(recv(&mut ws).await["id"], json!(null));
    ws.send(Message::binary(vec![1, 2, 3])).await.unwrap();
    assert_eq!(recv(&mut ws).await["error"]["code"], "BAD_REQUEST");
    // Still alive and usable.
    sub(&mut ws, 1, "chat", json!({"room": "a"})).await;
    assert_quiet(&mut ws).await;
}

#[tokio::test]
async fn sub_msg_unsub_closed() {
    let app = chat_app();
    let to = app.broadcaster();
    let s = serve(app).await;
    let mut ws = connect(&s.ws).await;
    sub(&mut ws, 7, "chat", json!({"room": "lobby"})).await;
    sub(&mut ws, 8, "chat", json!({"room": "other"})).await;
    assert_eq!(to.local_subscribers::<ChatChannel>("lobby"), 1);

    ChatChannel::broadcast(&to, &room("lobby"), &line("hello")).await.unwrap();
    assert_eq!(recv(&mut ws).await, json!({"t": "msg", "id": 7, "data": {"user": null, "text": "hello"}}));
    to.send::<ChatChannel>(&room("other"), &line("there")).await.unwrap();
    assert_eq!(recv(&mut ws).await, json!({"t": "msg", "id": 8, "data": {"user": null, "text": "there"}}));

    send(&mut ws, json!({"t": "unsub", "id": 7})).await;
    assert_eq!(recv(&mut ws).await, json!({"t": "closed", "id": 7}));
    assert_eq!(to.local_subscribers::<ChatChannel>("lobby"), 0);
    ChatChannel::broadcast(&to, &room("lobby"), &line("gone")).await.unwrap();
    assert_quiet(&mut ws).await;
    // Unsubscribing an unknown id is answered too (idempotent).
    send(&mut ws, json!({"t": "unsub", "id": 99})).await;
    assert_eq!(recv(&mut ws).await, json!({"t": "closed", "id": 99}));
    // The id may be reused once closed.
    sub(&mut ws, 7, "chat", json!({"room": "lobby"})).await;
}

#[tokio::test]
async fn subscription_errors_name_their_id() {
    let s = serve(chat_app()).await;
    let mut ws = connect(&s.ws).await;
    send(&mut ws, json!({"t": "sub", "id": 1, "ch": "nope", "params": {}})).await;
    let f = recv(&mut ws).await;
    assert_eq!((&f["t"], &f["id"], &f["error"]["code"]), (&json!("err"), &json!(1), &json!("NOT_FOUND")));

    send(&mut ws, json!({"t": "sub", "id": 2, "ch": "chat", "params": {"room": ""}})).await;
    let f = recv(&mut ws).await;
    assert_eq!((&f["id"], &f["error"]["code"]), (&json!(2), &json!("VALIDATION")));
    assert_eq!(f["error"]["issues"][0]["path"], json!(["room"]));
    assert_eq!(f["error"]["issues"][0]["code"], "too_small");

    send(&mut ws, json!({"t": "sub", "id": 3, "ch": "chat", "params": {"room": "a", "x": 1}})).await;
    let f = recv(&mut ws).await;
    assert_eq!(f["error"]["issues"][0]["code"], "unknown_key");

    send(&mut ws, json!({"t": "sub", "id": 4, "ch": "chat"})).await;
    let f = recv(&mut ws).await;
    assert_eq!(f["error"]["issues"][0]["code"], "required");

    sub(&mut ws, 5, "chat", json!({"room": "a"})).await;
    send(&mut ws, json!({"t": "sub", "id": 5, "ch": "chat", "params": {"room": "b"}})).await;
    let f = recv(&mut ws).await;
    assert_eq!((&f["id"], &f["error"]["code"]), (&json!(5), &json!("BAD_REQUEST")));
}

#[tokio::test]
async fn authorize_refusals_are_per_subscription() {
    let s = serve(chat_app()).await;

    let mut anon = connect(&s.ws).await;
    send(&mut anon, json!({"t": "sub", "id": 1, "ch": "chat", "params": {"room": "staff"}})).await;
    let f = recv(&mut anon).await;
    assert_eq!(
        (&f["t"], &f["id"], &f["error"]["code"]),
        (&json!("err"), &json!(1), &json!("UNAUTHENTICATED"))
    );
    // The socket lives on.
    sub(&mut anon, 2, "chat", json!({"room": "lobby"})).await;

    let mut user = connect(&s.ws).await;
    send(&mut user, json!({"t": "auth", "token": "alice"})).await;
    assert_eq!(recv(&mut user).await, json!({"t": "auth_ok"}));
    send(&mut user, json!({"t": "sub", "id": 1, "ch": "chat", "params": {"room": "staff"}})).await;
    let f = recv(&mut user).await;
    assert_eq!((&f["id"], &f["error"]["code"]), (&json!(1), &json!("FORBIDDEN")));
    sub(&mut user, 2, "chat", json!({"room": "private"})).await;

    let mut staff = connect(&s.ws).await;
    send(&mut staff, json!({"t": "auth", "token": "bob"})).await;
    assert_eq!(recv(&mut staff).await, json!({"t": "auth_ok"}));
    sub(&mut staff, 1, "chat", json!({"room": "staff"})).await;

    // A cookie identity works as over HTTP, without an auth frame.
    let mut cookie = connect_with(&s.ws, &[("cookie", "sid=bob")]).await;
    sub(&mut cookie, 1, "chat", json!({"room": "staff"})).await;
}

#[tokio::test]
async fn auth_frame_errors() {
    let s = serve(chat_app()).await;
    let mut ws = connect(&s.ws).await;
    send(&mut ws, json!({"t": "auth", "token": "mallory"})).await;
    let f = recv(&mut ws).await;
    assert_eq!(
        (&f["t"], &f["id"], &f["error"]["code"]),
        (&json!("err"), &json!(null), &json!("UNAUTHENTICATED"))
    );
    // Too late for another try: auth is the first frame only.
    send(&mut ws, json!({"t": "auth", "token": "alice"})).await;
    let f = recv(&mut ws).await;
    assert_eq!((&f["id"], &f["error"]["code"]), (&json!(null), &json!("BAD_REQUEST")));
    send(&mut ws, json!({"t": "sub", "id": 1, "ch": "chat", "params": {"room": "private"}})).await;
    assert_eq!(recv(&mut ws).await["error"]["code"], "UNAUTHENTICATED");

    let mut ws = connect(&s.ws).await;
    send(&mut ws, json!({"t": "auth", "token": "boom"})).await;
    let f = recv(&mut ws).await;
    assert_eq!((&f["id"], &f["error"]["code"]), (&json!(null), &json!("UNAVAILABLE")));

    let mut ws = connect(&s.ws).await;
    send(&mut ws, json!({"t": "auth"})).await;
    assert_eq!(recv(&mut ws).await["error"]["code"], "BAD_REQUEST");
}

#[tokio::test]
async fn send_reaches_the_others_not_the_sender() {
    let s = serve(chat_app()).await;
    let mut a = connect(&s.ws).await;
    send(&mut a, json!({"t": "auth", "token": "alice"})).await;
    assert_eq!(recv(&mut a).await["t"], "auth_ok");
    let mut b = connect(&s.ws).await;
    sub(&mut a, 1, "chat", json!({"room": "r"})).await;
    sub(&mut b, 5, "chat", json!({"room": "r"})).await;
    // b's second subscription to the same room gets its own copy.
    sub(&mut b, 6, "chat", json!({"room": "r"})).await;

    send(&mut a, json!({"t": "send", "id": 1, "data": {"text": "hi"}})).await;
    let mut got = [recv(&mut b).await, recv(&mut b).await];
    got.sort_by_key(|f| f["id"].as_u64());
    assert_eq!(got[0], json!({"t": "msg", "id": 5, "data": {"user": "alice", "text": "hi"}}));
    assert_eq!(got[1]["id"], 6);
    assert_quiet(&mut a).await;

    // A reply goes to the sender alone.
    send(&mut a, json!({"t": "send", "id": 1, "data": {"text": "me: waves"}})).await;
    assert_eq!(
        recv(&mut a).await,
        json!({"t": "msg", "id": 1, "data": {"user": "alice", "text": "me: waves"}})
    );
    assert_quiet(&mut a).await;
    for _ in 0..2 {
        assert_eq!(recv(&mut b).await["data"]["text"], "me: waves");
    }
    // b's own send reaches a, and b's other subscription, but not itself.
    send(&mut b, json!({"t": "send", "id": 5, "data": {"text": "yo"}})).await;
    assert_eq!(recv(&mut a).await["data"]["text"], "yo");
    assert_eq!(recv(&mut b).await["id"], 6);
    assert_quiet(&mut b).await;

    // Invalid messages are refused for that id; the subscription stays live.
    send(&mut a, json!({"t": "send", "id": 1, "data": {"text": ""}})).await;
    let f = recv(&mut a).await;
    assert_eq!((&f["t"], &f["id"], &f["error"]["code"]), (&json!("err"), &json!(1), &json!("VALIDATION")));
    send(&mut a, json!({"t": "send", "id": 1, "data": "just a string"})).await;
    assert_eq!(recv(&mut a).await["error"]["code"], "VALIDATION");
    send(&mut a, json!({"t": "send", "id": 1})).await;
    assert_eq!(recv(&mut a).await["error"]["code"], "BAD_REQUEST");
    send(&mut a, json!({"t": "send", "id": 42, "data": {"text": "x"}})).await;
    let f = recv(&mut a).await;
    assert_eq!((&f["id"], &f["error"]["code"]), (&json!(42), &json!("BAD_REQUEST")));
    send(&mut b, json!({"t": "send", "id": 5, "data": {"text": "still here"}})).await;
    assert_eq!(recv(&mut a).await["data"]["text"], "still here");

    // A listen-only channel refuses sends.
    sub(&mut a, 2, "ticks", json!({})).await;
    send(&mut a, json!({"t": "send", "id": 2, "data": 1})).await;
    let f = recv(&mut a).await;
    assert_eq!((&f["id"], &f["error"]["code"]), (&json!(2), &json!("BAD_REQUEST")));
}

#[tokio::test]
async fn server_functions_broadcast_through_the_request() {
    let s = serve(chat_app()).await;
    let mut ws = connect(&s.ws).await;
    sub(&mut ws, 3, "chat", json!({"room": "news"})).await;
    let res = reqwest::Client::new()
        .post(format!("{}/call/say", s.api))
        .json(&json!({"room": "news", "text": "extra"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(recv(&mut ws).await, json!({"t": "msg", "id": 3, "data": {"user": null, "text": "extra"}}));
}

#[tokio::test]
async fn first_message_after_ok_is_never_lost() {
    let app = chat_app();
    let to = app.broadcaster();
    let s = serve(app).await;
    let mut ws = connect(&s.ws).await;
    for id in 0..50u64 {
        let room = format!("r{id}");
        sub(&mut ws, id, "chat", json!({"room": room})).await;
        to.send::<ChatChannel>(&crate::support::chat::room(&room), &line("first")).await.unwrap();
        assert_eq!(
            recv(&mut ws).await,
            json!({"t": "msg", "id": id, "data": {"user": null, "text": "first"}})
        );
    }
}

#[tokio::test]
async fn origin_is_checked_on_upgrade() {
    let s = serve(chat_app().trusted_origins(["https://app.example"])).await;
    let mut evil = connect_with(&s.ws, &[("origin", "https://evil.example")]).await;
    assert_eq!(close_code(&mut evil, Duration::from_secs(5)).await, 1008);

    let same = format!("http://{}", s.addr);
    let mut ok = connect_with(&s.ws, &[("origin", &same)]).await;
    assert_quiet(&mut ok).await;
    let mut trusted = connect_with(&s.ws, &[("origin", "https://app.example")]).await;
    assert_quiet(&mut trusted).await;
}

#[tokio::test]
async fn a_plain_get_is_refused_with_a_protocol_error() {
    let s = serve(chat_app()).await;
    let res = reqwest::get(format!("{}/ws", s.api)).await.unwrap();
    assert_eq!(res.status(), 400);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "BAD_REQUEST");
}

fn limited(limits: ChannelLimits) -> App {
    chat_app().channel_limits(limits)
}

#[tokio::test]
async fn too_large_a_message_closes_1009() {
    let s = serve(limited(ChannelLimits { message_bytes: 1024, ..ChannelLimits::default() })).await;
    let mut ws = connect(&s.ws).await;
    // Just under the limit passes.
    let text = "x".repeat(900);
    sub(&mut ws, 1, "chat", json!({"room": "a"})).await;
    send(&mut ws, json!({"t": "send", "id": 1, "data": {"text": text}})).await;
    assert_eq!(recv(&mut ws).await["error"]["code"], "VALIDATION"); // > 200 chars, but read
    send_raw(&mut ws, &"y".repeat(4096)).await;
    assert_eq!(close_code(&mut ws, Duration::from_secs(5)).await, 1009);
}

#[tokio::test]
async fn subscriptions_per_socket_are_limited() {
    let s = serve(limited(ChannelLimits { subscriptions: 3, ..ChannelLimits::default() })).await;
    let mut ws = connect(&s.ws).await;
    for id in 1..=3 {
        sub(&mut ws, id, "chat", json!({"room": format!("r{id}")})).await;
    }
    send(&mut ws, json!({"t": "sub", "id": 4, "ch": "chat", "params": {"room": "r4"}})).await;
    let f = recv(&mut ws).await;
    assert_eq!((&f["t"], &f["id"], &f["error"]["code"]), (&json!("err"), &json!(4), &json!("RATE_LIMITED")));
    send(&mut ws, json!({"t": "unsub", "id": 1})).await;
    assert_eq!(recv(&mut ws).await["t"], "closed");
    sub(&mut ws, 4, "chat", json!({"room": "r4"})).await;
}

#[tokio::test]
async fn idle_sockets_close_4002() {
    let s = serve(limited(ChannelLimits {
        idle_timeout: Duration::from_millis(400),
        ..ChannelLimits::default()
    }))
    .await;
    let mut ws = connect(&s.ws).await;
    // Activity keeps it open past the timeout.
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_quiet(&mut ws).await;
    }
    let started = std::time::Instant::now();
    assert_eq!(close_code(&mut ws, Duration::from_secs(5)).await, 4002);
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_client_that_stops_reading_is_closed_4001() {
    // The close frame waits behind full buffers until the client reads
    // again: a long close timeout gives it the time, however loaded the machine.
    let app = limited(ChannelLimits {
        queue_bytes: 64 * 1024,
        close_timeout: Duration::from_secs(60),
        ..ChannelLimits::default()
    });
    let to = app.broadcaster();
    let s = serve(app).await;

    // A small receive buffer so the kernel does not absorb megabytes first.
    let sock = tokio::net::TcpSocket::new_v4().unwrap();
    sock.set_recv_buffer_size(4096).unwrap();
    let stream = sock.connect(s.addr).await.unwrap();
    let (mut slow, _) =
        tokio_tungstenite::client_async(s.ws.as_str(), tokio_tungstenite::MaybeTlsStream::Plain(stream))
            .await
            .unwrap();
    sub(&mut slow, 1, "chat", json!({"room": "flood"})).await;
    let mut fast = connect(&s.ws).await;
    sub(&mut fast, 1, "chat", json!({"room": "flood"})).await;

    // `slow` stops reading; 8 MB of broadcasts pile up behind it.
    let big = "z".repeat(8 * 1024);
    let mut fast_got = 0;
    for i in 0..1000 {
        to.send::<ChatChannel>(&room("flood"), &line(&big)).await.unwrap();
        if i % 50 == 49 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // The fast reader keeps up and is never closed.
        while let Some(f) = recv_within(&mut fast, Duration::from_millis(0)).await {
            assert_eq!(f["t"], "msg");
            fast_got += 1;
        }
    }
    while fast_got < 1000 {
        assert_eq!(recv(&mut fast).await["t"], "msg");
        fast_got += 1;
    }
    assert_eq!(to.local_subscribers::<ChatChannel>("flood"), 1, "the slow socket was dropped from its group");
    // Reading again, the slow client finds the close code after what was in flight.
    let code = close_code(&mut slow, Duration::from_secs(10)).await;
    assert_eq!(code, 4001);
}

#[tokio::test]
async fn manifest_lists_channels_with_schemas() {
    let m = chat_app().manifest().unwrap().to_json();
    let chat = &m["channels"][0];
    assert_eq!(chat["name"], "chat");
    assert_eq!(chat["doc"], "Chat lines of one room.");
    assert_eq!(chat["params"]["type"], "object");
    assert_eq!(chat["params"]["properties"]["room"]["maxLength"], 40);
    assert_eq!(chat["params"]["additionalProperties"], false);
    let server_ref = chat["server_message"]["$ref"].as_str().unwrap();
    assert_eq!(server_ref, "#/$defs/Line");
    assert!(m["output_defs"]["Line"].is_object());
    assert_eq!(chat["client_message"]["$ref"], "#/$defs/Say");
    assert_eq!(m["input_defs"]["Say"]["properties"]["text"]["minLength"], 1);
    let ticks = &m["channels"][1];
    assert_eq!(ticks["name"], "ticks");
    assert_eq!(ticks["client_message"], json!(null));
    assert_eq!(ticks["doc"], json!(null));
}

#[tokio::test]
async fn bad_channel_registrations_are_startup_errors() {
    let err = App::new().channel(ChatChannel).channel(ChatChannel).check().unwrap_err().to_string();
    assert!(err.contains("`chat` is registered twice"), "{err}");

    struct Bad;
    impl Channel for Bad {
        const NAME: Option<&'static str> = Some("Bad-Name");
        type Params = NoParams;
        type Message = u8;
        type ClientMessage = mizan::NoMessage;
        fn group(_: &NoParams) -> String {
            String::new()
        }
    }
    let err = App::new().channel(Bad).check().unwrap_err().to_string();
    assert!(err.contains("`Bad-Name` is not a valid channel name"), "{err}");

    /// Collides with the hook of channel `chat`.
    #[mizan::client]
    async fn use_chat_channel(_req: &mizan::Request) -> mizan::Result<()> {
        Ok(())
    }
    let err = App::new().channel(ChatChannel).register(use_chat_channel).check().unwrap_err().to_string();
    assert!(err.contains("useChatChannel"), "{err}");
    assert!(App::new().channel(ChatChannel).channel_layer(mizan::ChannelLayer::memory()).check().is_ok());
}
