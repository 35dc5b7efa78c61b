//! The `hello` binary's connections as its process sees them: SIGTERM
//! drains (an open WebSocket gets `1001`, a request in flight completes, the
//! process exits 0), and running out of file descriptors pauses accepting
//! without ending the server.

#![allow(clippy::unwrap_used)]

use std::process::Command;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

use crate::support::{BIN, Proc, listen};

const ECHO: &str = r#"{"text":"still here"}"#;

fn echo_head() -> String {
    format!(
        "POST /api/mizan/call/echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        ECHO.len()
    )
}

fn addr_of(url: &str) -> String {
    url.trim_start_matches("http://").to_owned()
}

#[tokio::test]
async fn sigterm_closes_websockets_with_1001_and_finishes_requests_in_flight() {
    let (child, url) = listen(&mut Command::new(BIN));
    let mut child = Proc(child);
    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("{}/api/mizan/ws", url.replace("http://", "ws://")))
            .await
            .unwrap();
    ws.send(Message::text(json!({"t": "ping"}).to_string())).await.unwrap();
    let pong = tokio::time::timeout(Duration::from_secs(10), ws.next()).await.unwrap().unwrap().unwrap();
    assert_eq!(pong.to_text().unwrap(), r#"{"t":"pong"}"#);

    // A call in flight: half its body sent when the signal comes.
    let mut slow = TcpStream::connect(addr_of(&url)).await.unwrap();
    slow.write_all(echo_head().as_bytes()).await.unwrap();
    slow.write_all(&ECHO.as_bytes()[..5]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let term = Command::new("kill").arg("-TERM").arg(child.0.id().to_string()).status().unwrap();
    assert!(term.success());

    let close = loop {
        match tokio::time::timeout(Duration::from_secs(10), ws.next()).await.expect("a close within 10 s") {
            Some(Ok(Message::Close(Some(frame)))) => break frame,
            Some(Ok(_)) => continue,
            other => panic!("the socket ended without a close frame: {other:?}"),
        }
    };
    assert_eq!((u16::from(close.code), close.reason.as_str()), (1001, "server shutting down"));

    slow.write_all(&ECHO.as_bytes()[5..]).await.unwrap();
    let mut response = String::new();
    tokio::time::timeout(Duration::from_secs(10), slow.read_to_string(&mut response)).await.unwrap().unwrap();
    assert!(response.starts_with("HTTP/1.1 200 "), "{response:?}");
    assert!(response.ends_with(r#"{"data":{"message":"still here"}}"#), "{response:?}");

    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "hello did not exit after draining");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
}

#[tokio::test]
async fn out_of_file_descriptors_the_server_pauses_and_recovers() {
    // 64 descriptors: what hello needs to start, and a few connections.
    let (child, url) = listen(Command::new("sh").args(["-c", "ulimit -n 64 && exec \"$0\"", BIN]));
    let _child = Proc(child);
    let addr = addr_of(&url);
    // More connections than the process can hold: accepts fail with EMFILE.
    let mut flood = Vec::new();
    for _ in 0..100 {
        flood.push(TcpStream::connect(&addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    drop(flood);
    // The accept loop lives: once descriptors are free, calls are served.
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let answer = client
            .post(format!("{url}/api/mizan/call/echo"))
            .header("content-type", "application/json")
            .body(ECHO)
            .timeout(Duration::from_secs(5))
            .send()
            .await;
        match answer {
            Ok(r) if r.status() == 200 => break,
            other => assert!(Instant::now() < deadline, "not served after the flood: {other:?}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
