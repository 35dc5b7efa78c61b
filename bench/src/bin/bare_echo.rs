//! Baseline for the HTTP benchmark: a bare axum handler doing the same serde
//! work as mizan's `echo` (parse `{"text"}`, answer `{"data":{"message"}}`).

use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    text: String,
}

#[derive(Serialize)]
struct Output {
    message: String,
}

#[derive(Serialize)]
struct Envelope {
    data: Output,
}

async fn echo(Json(input): Json<Input>) -> Json<Envelope> {
    Json(Envelope { data: Output { message: input.text } })
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::var("MIZAN_ADDR").unwrap_or_else(|_| "127.0.0.1:8001".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, Router::new().route("/api/mizan/call/echo", post(echo))).await
}
