//! Reading a request body within the configured limit.

use axum::body::Body;
use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_LENGTH;

use crate::Error;

pub(super) async fn read(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, Error> {
    let declared =
        headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large(limit));
    }
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let text = e.to_string();
        if std::error::Error::source(&e).is_some_and(|s| s.to_string().contains("length limit"))
            || text.contains("length limit")
        {
            too_large(limit)
        } else {
            Error::bad_request(format!("reading the body failed: {text}"))
        }
    })
}

fn too_large(limit: usize) -> Error {
    Error::payload_too_large(format!("the body is larger than {limit} bytes"))
}

pub(super) fn utf8(bytes: &[u8]) -> Result<&str, Error> {
    std::str::from_utf8(bytes).map_err(|_| Error::bad_request("the body is not UTF-8"))
}
