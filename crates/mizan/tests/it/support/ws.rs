//! WebSocket clients speaking mizan's frames.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// A client socket.
pub(crate) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Connects to `url`.
pub(crate) async fn connect(url: &str) -> Ws {
    connect_with(url, &[]).await
}

/// Connects to `url`, sending `headers` with the upgrade request.
pub(crate) async fn connect_with(url: &str, headers: &[(&str, &str)]) -> Ws {
    let mut req = url.into_client_request().expect("a WebSocket URL");
    for (k, v) in headers {
        let name = axum::http::HeaderName::from_bytes(k.as_bytes()).expect("a header name");
        req.headers_mut().insert(name, v.parse().expect("a header value"));
    }
    let (ws, _) = tokio_tungstenite::connect_async(req).await.expect("websocket connects");
    ws
}

/// Sends a JSON frame.
pub(crate) async fn send(ws: &mut Ws, frame: Value) {
    ws.send(Message::text(frame.to_string())).await.expect("send");
}

/// Sends a text frame as it is.
pub(crate) async fn send_raw(ws: &mut Ws, text: &str) {
    ws.send(Message::text(text.to_owned())).await.expect("send");
}

/// The next JSON frame (5 s at most).
pub(crate) async fn recv(ws: &mut Ws) -> Value {
    recv_within(ws, Duration::from_secs(5)).await.expect("a frame within 5 s")
}

/// The next JSON frame, or `None` when none comes `within`.
pub(crate) async fn recv_within(ws: &mut Ws, within: Duration) -> Option<Value> {
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
pub(crate) async fn assert_quiet(ws: &mut Ws) {
    send(ws, json!({"t": "ping"})).await;
    let f = recv(ws).await;
    assert_eq!(f, json!({"t": "pong"}), "expected no frame before the pong");
}

/// Subscribes and waits for `ok`.
pub(crate) async fn sub(ws: &mut Ws, id: u64, ch: &str, params: Value) {
    send(ws, json!({"t": "sub", "id": id, "ch": ch, "params": params})).await;
    let f = recv(ws).await;
    assert_eq!(f, json!({"t": "ok", "id": id}), "subscribing {id} to {ch} {params}");
}

/// Reads until the close frame; returns its code.
pub(crate) async fn close_code(ws: &mut Ws, within: Duration) -> u16 {
    close_frame(ws, within).await.0
}

/// Reads until the close frame; returns its code and reason.
pub(crate) async fn close_frame(ws: &mut Ws, within: Duration) -> (u16, String) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => panic!("no close frame within {within:?}"),
            Ok(Some(Ok(Message::Close(Some(c))))) => return (c.code.into(), c.reason.to_string()),
            Ok(Some(Ok(Message::Close(None)))) => panic!("close frame without a code"),
            Ok(Some(Ok(_))) => continue,
            Ok(Some(Err(e))) => panic!("socket error before the close frame: {e}"),
            Ok(None) => panic!("socket ended without a close frame"),
        }
    }
}

/// One WebSocket frame built by hand: `head` is its first byte (FIN, RSV
/// bits, opcode) and the payload is masked with `mask` when given, as a
/// client must.
pub(crate) fn raw_frame(head: u8, mask: Option<[u8; 4]>, payload: &[u8]) -> Vec<u8> {
    let masked = if mask.is_some() { 0x80 } else { 0 };
    let mut out = vec![head];
    match payload.len() {
        n @ 0..=125 => out.push(masked | n as u8),
        n @ 126..=0xffff => {
            out.push(masked | 126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(masked | 127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    match mask {
        Some(key) => {
            out.extend_from_slice(&key);
            out.extend(payload.iter().enumerate().map(|(i, b)| b ^ key[i % 4]));
        }
        None => out.extend_from_slice(payload),
    }
    out
}

/// Writes bytes straight to the socket's TCP stream, past the client's framing.
pub(crate) async fn send_bytes(ws: &mut Ws, bytes: &[u8]) {
    use tokio::io::AsyncWriteExt;
    let MaybeTlsStream::Plain(tcp) = ws.get_mut() else { panic!("a plain TCP socket") };
    tcp.write_all(bytes).await.expect("raw write");
    tcp.flush().await.expect("raw flush");
}

/// Reads until the connection ends; panics on a close frame or when it has
/// not ended `within`. Returns the number of text frames read before the end.
pub(crate) async fn read_to_end_without_close(ws: &mut Ws, within: Duration) -> usize {
    let deadline = tokio::time::Instant::now() + within;
    let mut texts = 0;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => panic!("the connection did not end within {within:?}"),
            Ok(Some(Ok(Message::Close(c)))) => panic!("a close frame came: {c:?}"),
            Ok(Some(Ok(Message::Text(_)))) => texts += 1,
            Ok(Some(Ok(_))) => continue,
            Ok(Some(Err(_)) | None) => return texts,
        }
    }
}

/// After a close frame, reads until the server ends the connection; panics
/// when it has not ended `within`.
pub(crate) async fn assert_ends(ws: &mut Ws, within: Duration) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => panic!("the connection did not end within {within:?}"),
            Ok(Some(Ok(_))) => continue,
            Ok(Some(Err(_)) | None) => return,
        }
    }
}
