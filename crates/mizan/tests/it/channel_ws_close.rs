//! How the server closes a socket: protocol violations written as raw
//! frames (1002, 1007), the idle timeout counted both ways (4002), and slow
//! consumers (4001, or a dropped connection when nothing is read at all).

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use mizan::{App, ChannelLimits};
use serde_json::json;

use crate::support::chat::*;
use crate::support::serve;
use crate::support::ws::*;

const MASK: Option<[u8; 4]> = Some([0x37, 0xfa, 0x21, 0x3d]);

fn limited(limits: ChannelLimits) -> App {
    chat_app().channel_limits(limits)
}

/// Sends `bytes` on a live, subscribed socket; expects the close frame
/// `code`, the connection's end, and the socket gone from its group.
async fn violation_closes(what: &str, bytes: &[u8], code: u16, reason: &str) {
    let app = chat_app();
    let to = app.broadcaster();
    let s = serve(app).await;
    let mut ws = connect(&s.ws).await;
    sub(&mut ws, 1, "chat", json!({"room": "v"})).await;
    assert_eq!(to.local_subscribers::<ChatChannel>("v"), 1);
    send_bytes(&mut ws, bytes).await;
    let got = close_frame(&mut ws, Duration::from_secs(5)).await;
    assert_eq!(got, (code, reason.to_owned()), "{what}");
    assert_ends(&mut ws, Duration::from_secs(5)).await;
    assert_eq!(to.local_subscribers::<ChatChannel>("v"), 0, "{what}: the socket left its group");
}

#[tokio::test]
async fn protocol_violations_close_1002() {
    let ping = br#"{"t":"ping"}"#;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("a reserved data opcode (0x3)", raw_frame(0x83, MASK, b"")),
        ("a reserved control opcode (0xB)", raw_frame(0x8b, MASK, b"")),
        ("an unmasked client frame", raw_frame(0x81, None, ping)),
        ("RSV1 without an extension", raw_frame(0xc1, MASK, ping)),
        ("RSV3 without an extension", raw_frame(0x91, MASK, ping)),
        ("a fragmented ping", raw_frame(0x09, MASK, b"x")),
        ("a ping past 125 bytes", raw_frame(0x89, MASK, &[b'p'; 126])),
        ("a continuation with nothing to continue", raw_frame(0x80, MASK, ping)),
        ("a new text frame inside a fragmented one", {
            let mut b = raw_frame(0x01, MASK, b"{\"t\":");
            b.extend(raw_frame(0x81, MASK, ping));
            b
        }),
        ("a close frame with a one-byte payload", raw_frame(0x88, MASK, &[3])),
    ];
    for (what, bytes) in cases {
        violation_closes(what, &bytes, 1002, "protocol error").await;
    }
}

#[tokio::test]
async fn invalid_utf8_closes_1007() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("a text frame that is not UTF-8", raw_frame(0x81, MASK, b"{\"t\":\"\xff\xfe\"}")),
        ("a fragmented text message broken across its frames", {
            let mut b = raw_frame(0x01, MASK, b"{\"t\":\"\xe2");
            b.extend(raw_frame(0x80, MASK, b"(\"}"));
            b
        }),
        ("a close frame whose reason is not UTF-8", raw_frame(0x88, MASK, b"\x03\xe8\xc3\x28")),
    ];
    for (what, bytes) in cases {
        violation_closes(what, &bytes, 1007, "invalid UTF-8").await;
    }
    // A binary frame is no violation: it gets an `err` frame and the socket lives.
    let s = serve(chat_app()).await;
    let mut ws = connect(&s.ws).await;
    send_bytes(&mut ws, &raw_frame(0x82, MASK, b"\xff\xfe")).await;
    assert_eq!(recv(&mut ws).await["error"]["code"], "BAD_REQUEST");
    assert_quiet(&mut ws).await;
}

#[tokio::test]
async fn a_socket_that_only_receives_broadcasts_is_not_idle() {
    let idle = Duration::from_millis(400);
    let app = limited(ChannelLimits { idle_timeout: idle, ..ChannelLimits::default() });
    let to = app.broadcaster();
    let s = serve(app).await;
    let mut ws = connect(&s.ws).await;
    sub(&mut ws, 1, "chat", json!({"room": "news"})).await;

    // Four idle periods of broadcasts; the client never sends a frame.
    let sender = tokio::spawn(async move {
        for i in 0..16 {
            to.send::<ChatChannel>(&room("news"), &line(&format!("n{i}"))).await.unwrap();
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    for i in 0..16 {
        let f = recv(&mut ws).await;
        assert_eq!((&f["t"], &f["data"]["text"]), (&json!("msg"), &json!(format!("n{i}"))));
    }
    sender.await.unwrap();
    // Quiet both ways now: closed with 4002 an idle period after the last broadcast.
    let quiet_from = std::time::Instant::now();
    assert_eq!(close_frame(&mut ws, Duration::from_secs(5)).await, (4002, "idle timeout".to_owned()));
    assert!(quiet_from.elapsed() >= Duration::from_millis(250), "{:?}", quiet_from.elapsed());
}

/// A client socket whose kernel receive buffer is small, so a client that
/// does not read soon fills every buffer on the way.
async fn small_buffer_client(s: &crate::support::Served) -> Ws {
    let sock = tokio::net::TcpSocket::new_v4().unwrap();
    sock.set_recv_buffer_size(4096).unwrap();
    let stream = sock.connect(s.addr).await.unwrap();
    let (ws, _) =
        tokio_tungstenite::client_async(s.ws.as_str(), tokio_tungstenite::MaybeTlsStream::Plain(stream))
            .await
            .unwrap();
    ws
}

#[tokio::test]
async fn a_client_that_reads_slowly_is_told_4001() {
    let app = limited(ChannelLimits { queue_bytes: 64 * 1024, ..ChannelLimits::default() });
    let to = app.broadcaster();
    let s = serve(app).await;
    let mut slow = small_buffer_client(&s).await;
    sub(&mut slow, 1, "chat", json!({"room": "flood"})).await;

    // The client keeps reading, a frame every millisecond; broadcasts come faster.
    let reader = tokio::spawn(async move {
        let mut got = 0;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            use futures_util::StreamExt;
            let next = tokio::time::timeout_at(deadline, slow.next()).await.expect("a close within 30 s");
            match next {
                Some(Ok(tokio_tungstenite::tungstenite::Message::Text(_))) => got += 1,
                Some(Ok(tokio_tungstenite::tungstenite::Message::Close(Some(c)))) => {
                    return (u16::from(c.code), c.reason.to_string(), got);
                }
                other => panic!("expected frames then a close frame, got {other:?}"),
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    });
    let big = "z".repeat(8 * 1024);
    let mut sent = 0;
    while to.local_subscribers::<ChatChannel>("flood") > 0 {
        assert!(sent < 20_000, "20 000 broadcasts of 8 KiB and the slow socket is still subscribed");
        to.send::<ChatChannel>(&room("flood"), &line(&big)).await.unwrap();
        sent += 1;
        // Paced so the writer keeps up until the socket's buffers are full.
        if sent % 4 == 0 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    let (code, reason, got) = reader.await.unwrap();
    assert_eq!((code, reason.as_str()), (4001, "slow consumer"));
    assert!(got < sent, "the client read {got} of {sent} broadcasts: frames past the bound were dropped");
}

#[tokio::test]
async fn a_client_that_reads_nothing_is_dropped_after_the_close_timeout() {
    let app = limited(ChannelLimits {
        queue_bytes: 64 * 1024,
        close_timeout: Duration::from_millis(300),
        ..ChannelLimits::default()
    });
    let to = app.broadcaster();
    let s = serve(app).await;
    let mut stuck = small_buffer_client(&s).await;
    sub(&mut stuck, 1, "chat", json!({"room": "flood"})).await;
    let big = "z".repeat(8 * 1024);
    let mut sent = 0;
    while to.local_subscribers::<ChatChannel>("flood") > 0 {
        assert!(sent < 20_000, "20 000 broadcasts of 8 KiB and the stuck socket is still subscribed");
        to.send::<ChatChannel>(&room("flood"), &line(&big)).await.unwrap();
        sent += 1;
        // Paced so the writer keeps up until the socket's buffers are full.
        if sent % 4 == 0 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    // Every buffer on the way is full: the close frame cannot be written.
    // Well past the close timeout the client reads what was in flight and
    // finds the connection ended with no close frame.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let got = read_to_end_without_close(&mut stuck, Duration::from_secs(10)).await;
    assert!(got < sent, "{got} of {sent}");
}
