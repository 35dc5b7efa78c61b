//! The channel benchmark's servers, one binary, two modes:
//!
//! - `channels_server mizan`: a mizan app with one channel, `bench`
//!   (`{ room }` params, the room is the group), served as usual at
//!   `/api/mizan/ws`.
//! - `channels_server bare`: the baseline, a bare axum WebSocket handler on
//!   a `tokio::sync::broadcast` channel, answering the same `sub` frame with
//!   the same `ok` and sending each message as it is.
//!
//! Both serve `POST /publish?n=N&room=R`, which broadcasts N messages
//! `{"seq":i,"ts":NANOS,"text":…}` (`ts`: wall-clock nanoseconds at publish),
//! yielding between them (or pausing `every_us` microseconds), and answers
//! when all are handed to the layer.
//! `$MIZAN_ADDR` chooses the address; one `listening on` line is printed.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::Query;
use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::routing::{get, post};
use futures_util::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

/// One benchmark message.
#[derive(Serialize, schemars::JsonSchema)]
struct Tick {
    seq: u32,
    ts: u64,
    text: &'static str,
}

const TEXT: &str = "the quick brown fox jumps over the lazy dog";

fn now_nanos() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0)
}

#[derive(Deserialize)]
struct Publish {
    n: u32,
    /// Pause between broadcasts (0: a burst, yielding only).
    #[serde(default)]
    every_us: u64,
    #[serde(default)]
    room: Option<String>,
}

/// `{ room }`.
#[derive(Deserialize, schemars::JsonSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
struct Room {
    #[garde(length(chars, min = 1, max = 40))]
    room: String,
}

struct BenchChannel;

impl mizan::Channel for BenchChannel {
    type Params = Room;
    type Message = Tick;
    type ClientMessage = mizan::NoMessage;
    fn group(params: &Room) -> String {
        params.room.clone()
    }
}

async fn pace(every_us: u64) {
    if every_us == 0 {
        tokio::task::yield_now().await;
    } else {
        tokio::time::sleep(std::time::Duration::from_micros(every_us)).await;
    }
}

fn mizan_router() -> Router {
    let app = mizan::App::new().channel(BenchChannel);
    let to = app.broadcaster();
    let publish = post(move |Query(p): Query<Publish>| {
        let to = to.clone();
        async move {
            let room = p.room.unwrap_or_else(|| "all".to_owned());
            for seq in 0..p.n {
                let tick = Tick { seq, ts: now_nanos(), text: TEXT };
                if let Err(e) = to.send_to_group::<BenchChannel>(&room, &tick).await {
                    return e.to_string();
                }
                pace(p.every_us).await;
            }
            "ok".to_owned()
        }
    });
    let views = Router::new().route("/publish", publish);
    match app.mount("/api/mizan", views) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}

fn bare_router() -> Router {
    let (tx, _) = broadcast::channel::<Utf8Bytes>(4096);
    let sub_tx = tx.clone();
    let ws = get(move |ws: WebSocketUpgrade| {
        let tx = sub_tx.clone();
        async move { ws.on_upgrade(move |socket| bare_socket(socket, tx)) }
    });
    let publish = post(move |Query(p): Query<Publish>| {
        let tx = tx.clone();
        async move {
            for seq in 0..p.n {
                let tick = Tick { seq, ts: now_nanos(), text: TEXT };
                let text = serde_json::to_string(&tick).unwrap_or_default();
                let _ = tx.send(text.into());
                pace(p.every_us).await;
            }
            "ok".to_owned()
        }
    });
    Router::new().route("/api/mizan/ws", ws).route("/publish", publish)
}

/// The baseline socket: one task; `sub` subscribes to the broadcast and is
/// answered `ok`; every broadcast is forwarded as is, what is ready at once
/// written with one flush.
async fn bare_socket(socket: WebSocket, tx: broadcast::Sender<Utf8Bytes>) {
    let (mut sink, mut stream) = socket.split();
    let mut rx: Option<broadcast::Receiver<Utf8Bytes>> = None;
    loop {
        tokio::select! {
            frame = stream.next() => match frame {
                Some(Ok(Message::Text(t))) if t.as_str().contains("\"sub\"") => {
                    rx = Some(tx.subscribe());
                    if sink.send(Message::text(r#"{"t":"ok","id":1}"#)).await.is_err() {
                        return;
                    }
                }
                Some(Ok(_)) => {}
                _ => return,
            },
            msg = async { match rx.as_mut() { Some(rx) => rx.recv().await, None => std::future::pending().await } } => {
                match msg {
                    // Write what is ready with one flush, as mizan does.
                    Ok(text) => {
                        let mut next = Some(text);
                        while let Some(text) = next.take() {
                            if sink.feed(Message::Text(text)).await.is_err() {
                                return;
                            }
                            next = rx.as_mut().and_then(|rx| rx.try_recv().ok());
                        }
                        if sink.flush().await.is_err() {
                            return;
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => return,
                }
            }
        }
    }
}

#[tokio::main]
async fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let router = match mode.as_str() {
        "mizan" => mizan_router(),
        "bare" => bare_router(),
        _ => {
            eprintln!("usage: channels_server mizan|bare   (address from $MIZAN_ADDR)");
            std::process::exit(2);
        }
    };
    let addr = std::env::var("MIZAN_ADDR").unwrap_or_else(|_| "127.0.0.1:8002".to_owned());
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    if let Ok(local) = listener.local_addr() {
        println!("listening on http://{local}");
        let _ = std::io::stdout().flush();
    }
    if let Err(e) = axum::serve(listener, router).await {
        eprintln!("server error: {e}");
    }
}
