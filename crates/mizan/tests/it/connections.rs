//! `mizan::serve` over real sockets: the header, body and keep-alive
//! timeouts, the connection and WebSocket caps, the peer address, response
//! compression (streamed too) and the drain.

#![allow(clippy::unwrap_used)]

use std::io::Read as _;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::routing::get;
use futures_util::StreamExt;
use mizan::{App, ServeConfig};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

use crate::support::chat;
use crate::support::ws::{close_frame, connect, recv, send};

#[derive(serde::Serialize, schemars::JsonSchema)]
struct Said {
    message: String,
}

/// Echo text back.
#[mizan::client]
async fn echo(_req: &mizan::Request, text: String) -> mizan::Result<Said> {
    Ok(Said { message: text })
}

/// The chat app of the channel tests, with `echo`.
fn chat_app() -> App {
    chat::chat_app().register(echo)
}

/// A server run by `mizan::serve_with_shutdown`, stopped by [`Server::stop`].
struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<()>,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
    fn ws(&self) -> String {
        format!("ws://{}/api/mizan/ws", self.addr)
    }
    /// Sends the shutdown signal.
    fn signal(&mut self) {
        let _ = self.stop.take().unwrap().send(());
    }
}

async fn start(app: App, views: axum::Router, config: ServeConfig) -> Server {
    let router = app.mount("/api/mizan", views).expect("the app builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let done = tokio::spawn(mizan::serve_with_shutdown(listener, router, config, async move {
        let _ = stopped.await;
    }));
    Server { addr, stop: Some(stop), done }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Everything the server sends until it closes (10 s at most).
async fn read_to_close(stream: &mut TcpStream) -> (String, Instant) {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => panic!("the server did not close within 10 s; got {:?}", String::from_utf8_lossy(&out)),
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&out).into_owned(), Instant::now()),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
        }
    }
}

/// The JSON body of a raw HTTP/1.1 response (after the blank line).
fn body_json(response: &str) -> Value {
    let (_, body) = response.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no body in {response:?}"));
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:?}"))
}

const ECHO: &str = r#"{"text":"hi"}"#;

fn echo_head(len: usize) -> String {
    format!(
        "POST /api/mizan/call/echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {len}\r\n\r\n"
    )
}

#[tokio::test]
async fn half_sent_headers_get_408_within_the_header_timeout() {
    let config = ServeConfig {
        header_read_timeout: ms(300),
        keep_alive_timeout: Duration::from_secs(30),
        ..ServeConfig::default()
    };
    let s = start(chat_app(), axum::Router::new(), config).await;
    let mut c = TcpStream::connect(s.addr).await.unwrap();
    let sent = Instant::now();
    c.write_all(b"POST /api/mizan/call/echo HTTP/1.1\r\nhost: x\r\n").await.unwrap();
    // Bytes that keep coming do not extend the header timeout.
    for _ in 0..2 {
        tokio::time::sleep(ms(100)).await;
        c.write_all(b"x-slow: 1\r\n").await.unwrap();
    }
    let (response, closed) = read_to_close(&mut c).await;
    let took = closed - sent;
    assert!(response.starts_with("HTTP/1.1 408 "), "{response:?}");
    assert!(response.contains("content-type: application/json"), "{response:?}");
    assert_eq!(body_json(&response)["error"]["code"], "REQUEST_TIMEOUT");
    assert!(took >= ms(300) && took < Duration::from_secs(5), "closed after {took:?}");

    // A connection that sends nothing has no request to answer: the
    // keep-alive timer (here 30 s) applies, not the header timer.
    let mut quiet = TcpStream::connect(s.addr).await.unwrap();
    let mut byte = [0u8; 1];
    assert!(tokio::time::timeout(ms(800), quiet.read(&mut byte)).await.is_err(), "closed before any byte");
}

#[tokio::test]
async fn a_stalled_body_gets_408_and_a_close() {
    let config = ServeConfig { body_timeout: ms(300), ..ServeConfig::default() };
    let s = start(chat_app(), axum::Router::new(), config).await;
    let mut c = TcpStream::connect(s.addr).await.unwrap();
    c.write_all(echo_head(100).as_bytes()).await.unwrap();
    c.write_all(br#"{"text":"#).await.unwrap();
    let sent = Instant::now();
    let (response, closed) = read_to_close(&mut c).await;
    let took = closed - sent;
    assert!(response.starts_with("HTTP/1.1 408 "), "{response:?}");
    assert!(response.contains("connection: close"), "{response:?}");
    let body = body_json(&response);
    assert_eq!(body["error"]["code"], "REQUEST_TIMEOUT", "{body}");
    assert!(took >= ms(300) && took < Duration::from_secs(5), "answered after {took:?}");
}

#[tokio::test]
async fn a_slow_body_that_keeps_coming_is_not_cut() {
    let config = ServeConfig { body_timeout: ms(300), ..ServeConfig::default() };
    let s = start(chat_app(), axum::Router::new(), config).await;
    let mut c = TcpStream::connect(s.addr).await.unwrap();
    let body = r#"{"text":"slow but steady"}"#;
    c.write_all(echo_head(body.len()).as_bytes()).await.unwrap();
    let started = Instant::now();
    // One byte every 100 ms: 2.6 s in all, nine body timeouts' worth.
    for b in body.bytes() {
        c.write_all(&[b]).await.unwrap();
        tokio::time::sleep(ms(100)).await;
    }
    assert!(started.elapsed() > ms(900));
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), c.read(&mut buf)).await.unwrap().unwrap();
    let response = String::from_utf8_lossy(&buf[..n]).into_owned();
    assert!(response.starts_with("HTTP/1.1 200 "), "{response:?}");
    assert_eq!(body_json(&response), json!({"data": {"message": "slow but steady"}}));
}

#[tokio::test]
async fn a_silent_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let config = ServeConfig {
        keep_alive_timeout: ms(400),
        header_read_timeout: Duration::from_secs(30),
        ..ServeConfig::default()
    };
    let s = start(chat_app(), axum::Router::new(), config).await;
    let mut c = TcpStream::connect(s.addr).await.unwrap();
    // Two requests on the connection, each well inside the idle timeout.
    for _ in 0..2 {
        c.write_all(format!("{}{ECHO}", echo_head(ECHO.len())).as_bytes()).await.unwrap();
        let mut buf = vec![0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(5), c.read(&mut buf)).await.unwrap().unwrap();
        assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200 "));
        tokio::time::sleep(ms(200)).await;
    }
    let idle_from = Instant::now();
    let (rest, closed) = read_to_close(&mut c).await;
    let idle = closed - idle_from;
    assert_eq!(rest, "", "a silent close: no request, no answer");
    assert!(idle >= ms(150) && idle < Duration::from_secs(5), "closed after {idle:?} idle");
}

/// An established connection that sends nothing.
async fn idle_connection(addr: SocketAddr) -> TcpStream {
    TcpStream::connect(addr).await.unwrap()
}

#[tokio::test]
async fn past_the_connection_cap_new_connections_wait_for_a_slot() {
    let config = ServeConfig { max_connections: 2, ..ServeConfig::default() };
    let s = start(chat_app(), axum::Router::new(), config).await;
    let first = idle_connection(s.addr).await;
    let _second = idle_connection(s.addr).await;
    tokio::time::sleep(ms(200)).await;
    let url = s.url("/api/mizan/call/echo");
    let waiting = tokio::spawn(async move {
        reqwest::Client::new()
            .post(url)
            .header("content-type", "application/json")
            .body(ECHO)
            .timeout(Duration::from_secs(20))
            .send()
            .await
    });
    tokio::time::sleep(ms(700)).await;
    assert!(!waiting.is_finished(), "a third connection was served while two held the cap");
    drop(first);
    let answer = tokio::time::timeout(Duration::from_secs(10), waiting).await.unwrap().unwrap().unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.text().await.unwrap(), r#"{"data":{"message":"hi"}}"#);
}

#[tokio::test]
async fn websockets_have_their_own_cap() {
    let config = ServeConfig { max_connections: 2, max_websockets: 3, ..ServeConfig::default() };
    let s = start(chat_app(), axum::Router::new(), config).await;
    let mut sockets = Vec::new();
    for _ in 0..3 {
        let mut ws = connect(&s.ws()).await;
        send(&mut ws, json!({"t": "ping"})).await;
        assert_eq!(recv(&mut ws).await, json!({"t": "pong"}));
        sockets.push(ws);
    }
    // Three sockets open, past the two HTTP connections: HTTP is still served.
    let client = reqwest::Client::new();
    for _ in 0..3 {
        let r = client
            .post(s.url("/api/mizan/call/echo"))
            .header("content-type", "application/json")
            .body(ECHO)
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .expect("HTTP is served beside the WebSockets");
        assert_eq!(r.status(), 200);
    }
    // A fourth socket is past the WebSocket cap: 503 UNAVAILABLE.
    match tokio_tungstenite::connect_async(s.ws()).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 503);
            let body: Value = serde_json::from_slice(response.body().as_deref().unwrap_or_default()).unwrap();
            assert_eq!(body["error"]["code"], "UNAVAILABLE");
        }
        other => panic!("a fourth WebSocket past the cap of 3: {:?}", other.map(|_| ())),
    }
    // Closing one frees its slot.
    drop(sockets.pop());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match tokio_tungstenite::connect_async(s.ws()).await {
            Ok((mut ws, _)) => {
                send(&mut ws, json!({"t": "ping"})).await;
                assert_eq!(recv(&mut ws).await, json!({"t": "pong"}));
                break;
            }
            Err(e) => assert!(Instant::now() < deadline, "no slot 5 s after a socket closed: {e}"),
        }
        tokio::time::sleep(ms(50)).await;
    }
}

async fn peer(ConnectInfo(addr): ConnectInfo<SocketAddr>) -> String {
    addr.to_string()
}

#[tokio::test]
async fn handlers_get_the_peer_address() {
    let views = axum::Router::new().route("/peer", get(peer));
    let s = start(App::new(), views, ServeConfig::default()).await;
    let mut c = TcpStream::connect(s.addr).await.unwrap();
    let local = c.local_addr().unwrap();
    c.write_all(b"GET /peer HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").await.unwrap();
    let (response, _) = read_to_close(&mut c).await;
    assert!(response.starts_with("HTTP/1.1 200 "), "{response:?}");
    assert!(response.ends_with(&format!("\r\n\r\n{local}")), "{response:?}");
}

/// A JSON page of about 40 KB.
async fn big() -> axum::Json<Value> {
    let rows: Vec<Value> = (0..1000).map(|i| json!({"id": i, "name": format!("row number {i}")})).collect();
    axum::Json(json!({ "rows": rows }))
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096).read_to_end(&mut out).unwrap();
    out
}

#[tokio::test]
async fn large_bodies_are_compressed_small_ones_are_not() {
    let views = axum::Router::new().route("/big", get(big));
    let s = start(chat_app(), views, ServeConfig::default()).await;
    let client = reqwest::Client::new();
    let plain = client.get(s.url("/big")).send().await.unwrap().bytes().await.unwrap();
    assert!(plain.len() > 20_000);

    for (encoding, decode) in [("gzip", gunzip as fn(&[u8]) -> Vec<u8>), ("br", unbrotli)] {
        let r = client.get(s.url("/big")).header("accept-encoding", encoding).send().await.unwrap();
        assert_eq!(r.headers()["content-encoding"], encoding);
        let squeezed = r.bytes().await.unwrap();
        assert!(squeezed.len() * 4 < plain.len(), "{encoding}: {} of {} bytes", squeezed.len(), plain.len());
        assert_eq!(decode(&squeezed), plain.to_vec(), "{encoding} decodes to the page");
    }
    // The echo's few bytes go as they are.
    let r = client
        .post(s.url("/api/mizan/call/echo"))
        .header("content-type", "application/json")
        .header("accept-encoding", "br, gzip")
        .body(ECHO)
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("content-encoding").is_none());
    assert_eq!(r.text().await.unwrap(), r#"{"data":{"message":"hi"}}"#);

    // Off in the config: nothing is compressed.
    let views = axum::Router::new().route("/big", get(big));
    let off =
        start(chat_app(), views, ServeConfig { compress_min_bytes: None, ..ServeConfig::default() }).await;
    let r = client.get(off.url("/big")).header("accept-encoding", "gzip").send().await.unwrap();
    assert!(r.headers().get("content-encoding").is_none());
    assert_eq!(r.bytes().await.unwrap(), plain);
}

#[tokio::test]
async fn a_streamed_response_is_compressed_chunk_by_chunk() {
    let (release, released) = oneshot::channel::<()>();
    let released = std::sync::Arc::new(std::sync::Mutex::new(Some(released)));
    let first = "first chunk ".repeat(100);
    let stream_first = first.clone();
    let views = axum::Router::new().route(
        "/stream",
        get(move || {
            let gate = released.lock().unwrap().take();
            let first = stream_first.clone();
            async move {
                let chunks = futures_util::stream::once(async move { Ok::<_, std::io::Error>(first) }).chain(
                    futures_util::stream::once(async move {
                        if let Some(gate) = gate {
                            let _ = gate.await;
                        }
                        Ok("second chunk".to_owned())
                    }),
                );
                axum::response::Response::builder()
                    .header("content-type", "application/x-ndjson")
                    .body(axum::body::Body::from_stream(chunks))
                    .unwrap()
            }
        }),
    );
    let s = start(App::new(), views, ServeConfig::default()).await;
    let r =
        reqwest::Client::new().get(s.url("/stream")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let mut body = r.bytes_stream();
    // The first chunk arrives, decodable, while the second is held back.
    let mut got = Vec::new();
    let mut decoder = flate2::write::GzDecoder::new(Vec::new());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while decoder.get_ref().len() < first.len() {
        let piece = tokio::time::timeout_at(deadline, body.next())
            .await
            .expect("the first chunk, compressed, before the second is sent")
            .unwrap()
            .unwrap();
        got.extend_from_slice(&piece);
        std::io::Write::write_all(&mut decoder, &piece).unwrap();
        std::io::Write::flush(&mut decoder).unwrap();
    }
    assert_eq!(decoder.get_ref().as_slice(), first.as_bytes());
    release.send(()).unwrap();
    while let Some(piece) = body.next().await {
        std::io::Write::write_all(&mut decoder, &piece.unwrap()).unwrap();
    }
    let all = decoder.finish().unwrap();
    assert_eq!(String::from_utf8(all).unwrap(), format!("{first}second chunk"));
}

#[tokio::test]
async fn the_drain_closes_websockets_with_1001_and_lets_requests_finish() {
    let config = ServeConfig { drain_timeout: Duration::from_secs(10), ..ServeConfig::default() };
    let mut s = start(chat_app(), axum::Router::new(), config).await;
    let mut ws = connect(&s.ws()).await;
    send(&mut ws, json!({"t": "ping"})).await;
    assert_eq!(recv(&mut ws).await, json!({"t": "pong"}));

    // A request in flight: its body still coming when the signal arrives.
    let mut slow = TcpStream::connect(s.addr).await.unwrap();
    slow.write_all(echo_head(ECHO.len()).as_bytes()).await.unwrap();
    slow.write_all(&ECHO.as_bytes()[..4]).await.unwrap();
    tokio::time::sleep(ms(200)).await;
    s.signal();

    assert_eq!(close_frame(&mut ws, Duration::from_secs(5)).await, (1001, "server shutting down".to_owned()));
    tokio::time::sleep(ms(200)).await;
    // No new connections once draining.
    let refused = reqwest::Client::new().get(s.url("/")).timeout(Duration::from_secs(2)).send().await;
    assert!(refused.is_err(), "a new connection was served while draining");
    // The request in flight finishes, and its connection closes after it.
    slow.write_all(&ECHO.as_bytes()[4..]).await.unwrap();
    let (response, _) = read_to_close(&mut slow).await;
    assert!(response.starts_with("HTTP/1.1 200 "), "{response:?}");
    assert_eq!(body_json(&response), json!({"data": {"message": "hi"}}));
    tokio::time::timeout(Duration::from_secs(5), &mut s.done)
        .await
        .expect("serve returns once drained")
        .unwrap();
}

#[tokio::test]
async fn the_drain_cuts_what_is_left_after_its_grace_period() {
    let config = ServeConfig {
        drain_timeout: ms(300),
        body_timeout: Duration::from_secs(30),
        ..ServeConfig::default()
    };
    let mut s = start(chat_app(), axum::Router::new(), config).await;
    let mut stuck = TcpStream::connect(s.addr).await.unwrap();
    stuck.write_all(echo_head(ECHO.len()).as_bytes()).await.unwrap();
    tokio::time::sleep(ms(200)).await;
    let signalled = Instant::now();
    s.signal();
    tokio::time::timeout(Duration::from_secs(5), &mut s.done)
        .await
        .expect("serve returns after the grace")
        .unwrap();
    let took = signalled.elapsed();
    assert!(took >= ms(300), "returned after {took:?}, before the grace period");
    let (rest, _) = read_to_close(&mut stuck).await;
    assert_eq!(rest, "", "the stuck request was cut");
}

#[test]
fn the_serving_table_is_the_default() {
    let ServeConfig {
        header_read_timeout,
        keep_alive_timeout,
        body_timeout,
        max_connections,
        max_websockets,
        drain_timeout,
        compress_min_bytes,
    } = ServeConfig::default();
    let want: std::collections::BTreeMap<String, u128> = [
        ("header_read_timeout", header_read_timeout.as_millis()),
        ("keep_alive_timeout", keep_alive_timeout.as_millis()),
        ("body_timeout", body_timeout.as_millis()),
        ("max_connections", max_connections as u128),
        ("max_websockets", max_websockets as u128),
        ("drain_timeout", drain_timeout.as_millis()),
        ("compress_min_bytes", u128::from(compress_min_bytes.unwrap())),
    ]
    .map(|(k, v)| (k.to_owned(), v))
    .into();
    let doc = crate::protocol_doc::doc::table("serve-config");
    let documented: std::collections::BTreeMap<String, u128> = doc
        .iter()
        .map(|row| (crate::protocol_doc::doc::code(&row[1]), crate::protocol_doc::doc::quantity(&row[2])))
        .collect();
    assert_eq!(documented, want);
}

#[tokio::test]
async fn h2c_is_served_with_the_peer_address() {
    let views = axum::Router::new().route("/peer", get(peer));
    let s = start(App::new(), views, ServeConfig::default()).await;
    let tcp = TcpStream::connect(s.addr).await.unwrap();
    let local = tcp.local_addr().unwrap();
    let (mut sender, conn) = hyper::client::conn::http2::handshake(
        hyper_util::rt::TokioExecutor::new(),
        hyper_util::rt::TokioIo::new(tcp),
    )
    .await
    .unwrap();
    tokio::spawn(conn);
    let req = http::Request::get(s.url("/peer")).body(http_body_util::Empty::<bytes::Bytes>::new()).unwrap();
    let res = sender.send_request(req).await.unwrap();
    assert_eq!(res.version(), http::Version::HTTP_2);
    assert_eq!(res.status(), 200);
    let body = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
    assert_eq!(body, local.to_string());
}
