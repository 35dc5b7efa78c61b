//! The streaming benchmark's servers (bench/stream/run.sh): `stream_server
//! mizan` serves a mizan query `numbers(count)` returning
//! `mizan::Stream<u32>` through `mizan::serve`, as apps are served;
//! `stream_server bare` serves the same NDJSON (`{"data":n}` per line, then
//! `{"end":true}`) from a bare axum handler on `axum::serve`, each line
//! serialized with serde_json as a handler would write it, one body chunk
//! per line; `stream_server gathered` is that handler with the lines ready
//! together gathered into one chunk (`ready_chunks`), as mizan's body does.

use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::http::header;
use axum::response::Response;
use axum::routing::get;
use futures_util::StreamExt;
use mizan::{App, Request, Stream};
use serde::{Deserialize, Serialize};

/// `count` numbers, 0 to `count - 1`.
#[mizan::client(query)]
async fn numbers(_req: &Request, count: u32) -> mizan::Result<Stream<u32>> {
    Ok(Stream::iter(0..count))
}

/// `?input={"count":N}`, as the mizan route takes it.
#[derive(Deserialize)]
struct Input {
    input: String,
}

#[derive(Deserialize)]
struct Count {
    count: u32,
}

/// One line: `{"data": n}`.
#[derive(Serialize)]
struct Line {
    data: u32,
}

/// One line, serialized.
fn line(n: u32) -> Vec<u8> {
    let mut line = serde_json::to_vec(&Line { data: n }).unwrap_or_default();
    line.push(b'\n');
    line
}

fn count(q: &Input) -> u32 {
    serde_json::from_str::<Count>(&q.input).map_or(0, |c| c.count)
}

fn ndjson(body: Body) -> Response {
    let mut response = Response::new(body);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/x-ndjson"));
    response
}

const END: &[u8] = b"{\"end\":true}\n";

/// The bare handler: the same lines, one body chunk each.
async fn bare(Query(q): Query<Input>) -> Response {
    let lines = futures_util::stream::iter(0..count(&q)).map(|n| Ok::<_, Infallible>(Bytes::from(line(n))));
    let end = futures_util::stream::once(async { Ok(Bytes::from_static(END)) });
    ndjson(Body::from_stream(lines.chain(end)))
}

/// The bare handler with the lines ready together in one chunk.
async fn gathered(Query(q): Query<Input>) -> Response {
    let lines = futures_util::stream::iter(0..count(&q)).ready_chunks(1024).map(|ns| {
        let mut chunk = Vec::with_capacity(ns.len() * 16);
        for n in ns {
            chunk.extend_from_slice(&line(n));
        }
        Ok::<_, Infallible>(Bytes::from(chunk))
    });
    let end = futures_util::stream::once(async { Ok(Bytes::from_static(END)) });
    ndjson(Body::from_stream(lines.chain(end)))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let addr = std::env::var("MIZAN_ADDR").unwrap_or_else(|_| "127.0.0.1:8003".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    match mode.as_str() {
        "mizan" => {
            let router = App::new()
                .register(numbers)
                .mount("/api/mizan", axum::Router::new())
                .map_err(std::io::Error::other)?;
            mizan::serve(listener, router, mizan::ServeConfig::default()).await;
        }
        "bare" => {
            axum::serve(listener, axum::Router::new().route("/api/mizan/call/numbers", get(bare))).await?
        }
        "gathered" => {
            axum::serve(listener, axum::Router::new().route("/api/mizan/call/numbers", get(gathered)))
                .await?;
        }
        other => {
            return Err(std::io::Error::other(format!(
                "usage: stream_server mizan|bare|gathered (got {other:?})"
            )));
        }
    }
    Ok(())
}
