//! The channel benchmark's clients (a separate process from the server).
//!
//! `channels_client burst WS_URL PUBLISH_URL CLIENTS MESSAGES [EVERY_US]`:
//! opens CLIENTS sockets subscribed to room `all`, asks the server to publish
//! MESSAGES messages (back to back, or EVERY_US microseconds apart), and
//! waits until every socket has them all. Prints one line:
//! deliveries per second (CLIENTS × MESSAGES over the time from the publish
//! request to the last delivery) and publish→receive latency percentiles
//! (the server stamps each message with the wall clock when it publishes).
//!
//! `channels_client idle WS_URL CLIENTS`: opens CLIENTS subscribed sockets
//! (rooms `r0`…`r99`), prints `ready`, and holds them until stdin closes.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

fn now_nanos() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0)
}

fn die(msg: impl std::fmt::Display) -> ! {
    eprintln!("channels_client: {msg}");
    std::process::exit(1);
}

async fn subscribed(url: &str, room: &str) -> Ws {
    let (mut ws, _) =
        tokio_tungstenite::connect_async(url).await.unwrap_or_else(|e| die(format!("connect: {e}")));
    let sub = format!(r#"{{"t":"sub","id":1,"ch":"bench","params":{{"room":"{room}"}}}}"#);
    ws.send(Message::text(sub)).await.unwrap_or_else(|e| die(format!("send: {e}")));
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) if t.as_str().contains(r#""t":"ok""#) => return ws,
            Some(Ok(Message::Text(t))) => die(format!("unexpected answer to sub: {}", t.as_str())),
            Some(Ok(_)) => continue,
            other => die(format!("socket ended while subscribing: {other:?}")),
        }
    }
}

/// The `ts` stamped into a message, found without parsing the whole frame.
fn stamp(text: &str) -> Option<u64> {
    let at = text.find(r#""ts":"#)? + 5;
    let digits = text[at..].bytes().take_while(u8::is_ascii_digit).count();
    text[at..at + digits].parse().ok()
}

/// `POST path` over a plain HTTP/1.1 connection; returns the body.
async fn post(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap_or_else(|| die("publish URL must be http://"));
    let (host, path) =
        rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap_or((rest, "/".to_owned()));
    let mut s = tokio::net::TcpStream::connect(host).await.unwrap_or_else(|e| die(format!("publish: {e}")));
    let req =
        format!("POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap_or_else(|e| die(format!("publish: {e}")));
    let mut out = String::new();
    let _ = s.read_to_string(&mut out).await;
    out.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or(out)
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn burst(url: &str, publish: &str, clients: usize, messages: usize, every_us: u64) {
    let mut sockets = Vec::with_capacity(clients);
    for _ in 0..clients {
        sockets.push(subscribed(url, "all").await);
    }
    let mut tasks = Vec::with_capacity(clients);
    for mut ws in sockets {
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(messages);
            let mut last = Instant::now();
            while latencies.len() < messages {
                match tokio::time::timeout(Duration::from_secs(30), ws.next()).await {
                    Ok(Some(Ok(Message::Text(t)))) => {
                        let now = now_nanos();
                        last = Instant::now();
                        if let Some(ts) = stamp(t.as_str()) {
                            latencies.push(now.saturating_sub(ts));
                        }
                    }
                    Ok(Some(Ok(_))) => {}
                    other => die(format!("a socket stopped after {} messages: {other:?}", latencies.len())),
                }
            }
            let _ = ws.close(None).await;
            (latencies, last)
        }));
    }
    let started = Instant::now();
    let answer = post(&format!("{publish}?n={messages}&room=all&every_us={every_us}")).await;
    let published = started.elapsed();
    if answer.trim() != "ok" {
        die(format!("publish answered {answer:?}"));
    }
    let mut all = Vec::with_capacity(clients * messages);
    let mut last = started;
    for t in tasks {
        let (lat, at) = t.await.unwrap_or_else(|e| die(e));
        all.extend(lat);
        last = last.max(at);
    }
    let secs = (last - started).as_secs_f64();
    all.sort_unstable();
    let n = all.len();
    println!(
        "deliveries={n} seconds={secs:.4} publish_s={:.4} deliveries_per_s={:.0} p50_us={} p99_us={} max_us={}",
        published.as_secs_f64(),
        n as f64 / secs,
        percentile(&all, 0.50) / 1000,
        percentile(&all, 0.99) / 1000,
        all.last().copied().unwrap_or(0) / 1000,
    );
}

async fn idle(url: &str, clients: usize) {
    let mut sockets = Vec::with_capacity(clients);
    for i in 0..clients {
        sockets.push(subscribed(url, &format!("r{}", i % 100)).await);
    }
    println!("ready {clients}");
    // Keep the sockets (unread: they are idle) until stdin closes.
    let _ = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {}
    })
    .await;
    drop(sockets);
}

fn arg<T: std::str::FromStr>(args: &[String], i: usize, what: &str) -> T {
    args.get(i).and_then(|a| a.parse().ok()).unwrap_or_else(|| die(format!("missing or bad {what}")))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("burst") => {
            let url: String = arg(&args, 1, "WS_URL");
            let publish: String = arg(&args, 2, "PUBLISH_URL");
            let every_us = if args.len() > 5 { arg(&args, 5, "EVERY_US") } else { 0 };
            burst(&url, &publish, arg(&args, 3, "CLIENTS"), arg(&args, 4, "MESSAGES"), every_us).await;
        }
        Some("idle") => {
            let url: String = arg(&args, 1, "WS_URL");
            idle(&url, arg(&args, 2, "CLIENTS")).await;
        }
        _ => die(
            "usage: channels_client burst WS_URL PUBLISH_URL CLIENTS MESSAGES [EVERY_US] | idle WS_URL CLIENTS",
        ),
    }
}
