//! WebSocket frames and close codes.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use futures_util::SinkExt;
use mizan::{Channel, ChannelLimits};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use super::app::{Chat, Line, Room, app, serve};
use super::doc;
use super::repo::{read, shipped_rust, sources};
use crate::support::ws::{
    close_frame as close_of, connect_with as connect, raw_frame, recv as next, send as put, send_bytes,
};

/// The `t` values the library's source writes into frames.
fn frame_types_in_source() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, text) in sources("crates/mizan/src", "rs") {
        let code = shipped_rust(&text);
        for pattern in ["\"t\":\"", "\"t\": \""] {
            let mut rest = code.as_str();
            while let Some(at) = rest.find(pattern) {
                rest = &rest[at + pattern.len()..];
                let name: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                out.insert(name);
            }
        }
    }
    out
}

#[tokio::test]
async fn websocket_frames_are_as_documented() {
    let client_rows = doc::table("ws-client-frames");
    let server_rows = doc::table("ws-server-frames");
    let server_keys: BTreeMap<String, BTreeSet<String>> =
        server_rows.iter().map(|row| (doc::frame_type(&row[0]), doc::keys(&row[0]))).collect();
    let s = serve(app(ChannelLimits::default())).await;

    // Every documented client frame is one the server knows; others are not.
    let mut ws = connect(&s.ws, &[]).await;
    for row in &client_rows {
        let t = doc::frame_type(&row[0]);
        put(&mut ws, json!({ "t": t })).await;
        let f = next(&mut ws).await;
        let unknown = f["error"]["message"].as_str().is_some_and(|m| m.contains("unknown frame type"));
        assert!(!unknown, "the documented client frame `{t}` is unknown to the server: {f}");
    }
    put(&mut ws, json!({"t": "dance"})).await;
    let f = next(&mut ws).await;
    assert!(f["error"]["message"].as_str().unwrap().contains("unknown frame type"), "{f}");

    // Every server frame but `gap` (it needs a Redis outage: channel_redis.rs),
    // with exactly its documented keys.
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut note = |f: &Value| {
        let keys: BTreeSet<String> = f.as_object().unwrap().keys().cloned().collect();
        seen.insert(f["t"].as_str().unwrap().to_owned(), keys);
    };
    let mut a = connect(&s.ws, &[]).await;
    put(&mut a, json!({"t": "auth", "token": "user"})).await;
    note(&next(&mut a).await);
    put(&mut a, json!({"t": "sub", "id": 1, "ch": "chat", "params": {"room": "r"}})).await;
    let ok = next(&mut a).await;
    assert_eq!(ok, json!({"t": "ok", "id": 1}));
    note(&ok);
    let mut b = connect(&s.ws, &[]).await;
    put(&mut b, json!({"t": "sub", "id": 5, "ch": "chat", "params": {"room": "r"}})).await;
    assert_eq!(next(&mut b).await, json!({"t": "ok", "id": 5}));
    put(&mut a, json!({"t": "send", "id": 1, "data": {"text": "me:hi"}})).await;
    // The others get the broadcast under their own ids; the sender only the reply.
    let to_b = next(&mut b).await;
    assert_eq!(to_b, json!({"t": "msg", "id": 5, "data": {"text": "me:hi"}}));
    note(&to_b);
    assert_eq!(next(&mut a).await, json!({"t": "msg", "id": 1, "data": {"text": "me:hi"}}));
    put(&mut a, json!({"t": "sub", "id": 2, "ch": "nope"})).await;
    let err = next(&mut a).await;
    assert_eq!(
        (&err["t"], &err["id"], &err["error"]["code"]),
        (&json!("err"), &json!(2), &json!("NOT_FOUND"))
    );
    note(&err);
    put(&mut a, json!({"t": "ping"})).await;
    note(&next(&mut a).await);
    put(&mut b, json!({"t": "unsub", "id": 5})).await;
    let closed = next(&mut b).await;
    assert_eq!(closed, json!({"t": "closed", "id": 5}));
    note(&closed);

    for (t, keys) in &seen {
        assert_eq!(server_keys.get(t), Some(keys), "the server's `{t}` frame and its documented keys");
    }
    let unseen: BTreeSet<&String> = server_keys.keys().filter(|t| !seen.contains_key(*t)).collect();
    assert_eq!(unseen, BTreeSet::from([&"gap".to_owned()]), "documented frames the test did not see");
    assert_eq!(
        frame_types_in_source(),
        server_keys.keys().cloned().collect(),
        "the frame types crates/mizan/src writes, and the documented ones"
    );
}

/// The library's `u16` constants in the range of WebSocket close codes
/// (1000–4999): the codes it closes sockets with.
fn close_codes_in_source() -> BTreeSet<u16> {
    let mut out = BTreeSet::new();
    for (_, text) in sources("crates/mizan/src", "rs") {
        for line in shipped_rust(&text).lines() {
            let Some((_, value)) = line.split_once(": u16 = ") else { continue };
            let Ok(value) = value.trim_end_matches(';').trim().parse::<u16>() else { continue };
            if (1000..5000).contains(&value) {
                out.insert(value);
            }
        }
    }
    out
}

#[tokio::test]
async fn close_codes_are_as_documented() {
    let documented: BTreeMap<u16, String> = doc::table("ws-close-codes")
        .iter()
        .map(|row| (row[0].parse().unwrap(), doc::code(&row[1])))
        .collect();
    assert_eq!(
        close_codes_in_source(),
        documented.keys().copied().collect(),
        "the close codes crates/mizan/src defines"
    );
    let mut seen = BTreeMap::new();

    // 1008: an origin that is neither this host nor trusted.
    let s = serve(app(ChannelLimits::default()).trusted_origins(["https://trusted.example"])).await;
    let mut ws = connect(&s.ws, &[("origin", "https://elsewhere.example")]).await;
    let (code, reason) = close_of(&mut ws, Duration::from_secs(5)).await;
    seen.insert(code, reason);
    let mut ws = connect(&s.ws, &[("origin", "https://trusted.example")]).await;
    put(&mut ws, json!({"t": "ping"})).await;
    assert_eq!(next(&mut ws).await, json!({"t": "pong"}));

    // 1001: the server drains (served by `mizan::serve`, which was told to stop).
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let addr = super::app::serve_until(app(ChannelLimits::default()), async move {
        let _ = stopped.await;
    })
    .await;
    let mut ws = connect(&format!("ws://{addr}/api/mizan/ws"), &[]).await;
    put(&mut ws, json!({"t": "ping"})).await;
    assert_eq!(next(&mut ws).await, json!({"t": "pong"}));
    stop.send(()).unwrap();
    let (code, reason) = close_of(&mut ws, Duration::from_secs(5)).await;
    seen.insert(code, reason);

    // 1009: a message past `message_bytes`.
    let s = serve(app(ChannelLimits { message_bytes: 1024, ..ChannelLimits::default() })).await;
    let mut ws = connect(&s.ws, &[]).await;
    ws.send(Message::text("x".repeat(4096))).await.unwrap();
    let (code, reason) = close_of(&mut ws, Duration::from_secs(5)).await;
    seen.insert(code, reason);

    // 1002: a frame that breaks the WebSocket framing (a reserved opcode);
    // 1007: a text frame that is not UTF-8.
    let s = serve(app(ChannelLimits::default())).await;
    let mask = Some([1, 2, 3, 4]);
    for frame in [raw_frame(0x83, mask, b""), raw_frame(0x81, mask, b"\xff")] {
        let mut ws = connect(&s.ws, &[]).await;
        send_bytes(&mut ws, &frame).await;
        let (code, reason) = close_of(&mut ws, Duration::from_secs(5)).await;
        seen.insert(code, reason);
    }

    // 4002: nothing received and nothing sent for `idle_timeout`.
    let s =
        serve(app(ChannelLimits { idle_timeout: Duration::from_millis(300), ..ChannelLimits::default() }))
            .await;
    let mut ws = connect(&s.ws, &[]).await;
    let (code, reason) = close_of(&mut ws, Duration::from_secs(5)).await;
    seen.insert(code, reason);

    // 4001: a client that stops reading while broadcasts pile up.
    // (It reads again within the close timeout, so the close frame reaches it.)
    let app = app(ChannelLimits {
        queue_bytes: 16 * 1024,
        close_timeout: Duration::from_secs(60),
        ..ChannelLimits::default()
    });
    let to = app.broadcaster();
    let s = serve(app).await;
    let sock = tokio::net::TcpSocket::new_v4().unwrap();
    sock.set_recv_buffer_size(4096).unwrap();
    let stream = sock.connect(s.addr).await.unwrap();
    let (mut slow, _) =
        tokio_tungstenite::client_async(s.ws.as_str(), tokio_tungstenite::MaybeTlsStream::Plain(stream))
            .await
            .unwrap();
    put(&mut slow, json!({"t": "sub", "id": 1, "ch": "chat", "params": {"room": "flood"}})).await;
    assert_eq!(next(&mut slow).await, json!({"t": "ok", "id": 1}));
    let room = Room { room: "flood".to_owned() };
    let line = Line { text: "z".repeat(8 * 1024) };
    let mut sent = 0;
    while to.local_subscribers::<Chat>("flood") > 0 {
        assert!(sent < 20_000, "20 000 broadcasts of 8 KiB and the slow socket is still subscribed");
        Chat::broadcast(&to, &room, &line).await.unwrap();
        sent += 1;
        if sent % 64 == 0 {
            tokio::task::yield_now().await;
        }
    }
    let (code, reason) = close_of(&mut slow, Duration::from_secs(10)).await;
    seen.insert(code, reason);

    assert_eq!(seen, documented, "close codes and reasons the server sent");

    // The TypeScript client's own codes, and the one it treats as final.
    let socket = read("packages/client/src/channel/socket.ts");
    let mut client = BTreeSet::new();
    let mut rest = socket.as_str();
    while let Some(at) = rest.find("dropSocket(") {
        rest = &rest[at + "dropSocket(".len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            client.insert(digits.parse::<u16>().unwrap());
        }
    }
    let documented_client: BTreeSet<u16> =
        doc::table("ws-client-close-codes").iter().map(|row| row[0].parse().unwrap()).collect();
    assert_eq!(client, documented_client, "the codes socket.ts closes with");
    assert!(socket.contains("const ORIGIN_REFUSED = 1008;"), "socket.ts gives up on the server's 1008");
    assert_eq!(documented.get(&1008).map(String::as_str), Some("origin refused"));
}
