//! The upload benchmark's servers (bench/upload/run.sh): `upload_server
//! mizan` serves a mizan function `hash(file)` taking one
//! `#[upload(max_bytes = 256 MiB)]` file through `mizan::serve`, as apps
//! are served; `upload_server bare` serves the same route from a bare axum
//! handler on `axum::serve` reading the same multipart body with multer
//! (the `args` part, then the file, the same size limits). Both SHA-256 the
//! file's bytes as they arrive and answer `{"data":{"size":…,"sha256":…}}`.

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use mizan::{App, Request, Upload};
use schemars::JsonSchema;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// 256 MiB: the file limit of both servers.
const MAX_BYTES: u64 = 268_435_456;
/// The `args` part's limit in the bare server (mizan's default JSON body
/// limit plays this role there).
const ARGS_BYTES: u64 = 1024 * 1024;

/// What was received.
#[derive(Serialize, JsonSchema)]
struct Hashed {
    /// Bytes received (a string: `u64` past 2^53 is not a JSON number).
    size: String,
    /// The lowercase hex SHA-256 of those bytes.
    sha256: String,
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Receives a file and answers its size and SHA-256, hashed as it arrives.
#[mizan::client]
async fn hash(_req: &Request, #[upload(max_bytes = 268_435_456)] file: Upload) -> mizan::Result<Hashed> {
    let mut file = file;
    let mut hasher = Sha256::new();
    while let Some(chunk) = file.chunk().await? {
        hasher.update(&chunk);
    }
    Ok(Hashed { size: file.bytes_read().to_string(), sha256: hex(&hasher.finalize()) })
}

fn refuse(status: StatusCode, message: String) -> Response {
    (status, axum::Json(serde_json::json!({ "error": { "message": message } }))).into_response()
}

/// The bare handler: the `args` part (a JSON object), then the `file`
/// part, hashed chunk by chunk.
async fn bare(headers: HeaderMap, body: Body) -> Response {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let boundary = match multer::parse_boundary(content_type) {
        Ok(b) => b,
        Err(e) => return refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE, e.to_string()),
    };
    let limits = multer::SizeLimit::new().per_field(MAX_BYTES).for_field("args", ARGS_BYTES);
    let constraints = multer::Constraints::new().size_limit(limits);
    let mut parts = multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
    let bad = |e: multer::Error| refuse(StatusCode::BAD_REQUEST, e.to_string());
    match parts.next_field().await {
        Ok(Some(field)) if field.name() == Some("args") => {
            let json = match field.bytes().await {
                Ok(json) => json,
                Err(e) => return bad(e),
            };
            if !serde_json::from_slice::<serde_json::Value>(&json).is_ok_and(|v| v.is_object()) {
                return refuse(StatusCode::BAD_REQUEST, "`args` is not a JSON object".to_owned());
            }
        }
        Ok(_) => return refuse(StatusCode::BAD_REQUEST, "the first part must be `args`".to_owned()),
        Err(e) => return bad(e),
    }
    let mut file = match parts.next_field().await {
        Ok(Some(field)) if field.name() == Some("file") => field,
        Ok(_) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, "a part `file` is required".to_owned()),
        Err(e) => return bad(e),
    };
    let (mut hasher, mut size) = (Sha256::new(), 0u64);
    loop {
        match file.chunk().await {
            Ok(Some(chunk)) => {
                size += chunk.len() as u64;
                hasher.update(&chunk);
            }
            Ok(None) => break,
            Err(e @ multer::Error::FieldSizeExceeded { .. }) => {
                return refuse(StatusCode::PAYLOAD_TOO_LARGE, e.to_string());
            }
            Err(e) => return bad(e),
        }
    }
    let out = Hashed { size: size.to_string(), sha256: hex(&hasher.finalize()) };
    axum::Json(serde_json::json!({ "data": out })).into_response()
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let addr = std::env::var("MIZAN_ADDR").unwrap_or_else(|_| "127.0.0.1:8004".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    match mode.as_str() {
        "mizan" => {
            let router = App::new()
                .register(hash)
                .mount("/api/mizan", axum::Router::new())
                .map_err(std::io::Error::other)?;
            mizan::serve(listener, router, mizan::ServeConfig::default()).await;
        }
        "bare" => {
            axum::serve(listener, axum::Router::new().route("/api/mizan/call/hash", post(bare))).await?
        }
        other => {
            return Err(std::io::Error::other(format!("usage: upload_server mizan|bare (got {other:?})")));
        }
    }
    Ok(())
}
