//! Runs one named function: lookup, panic isolation, error logging.

use std::any::Any;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;

use super::reply::Answer;
use crate::{Error, Request, Result};

/// Calls `name` with raw JSON `input`. A panic becomes `INTERNAL` with the
/// request id, logged; the server keeps serving. A stream function is
/// refused (`BAD_REQUEST`) without running: only [`open`] answers one.
pub(crate) async fn run(req: &Request, name: &str, input: &str) -> Result<Vec<u8>> {
    let Some(handler) = req.functions().get(name) else {
        return Err(Error::not_found(format!("no function named `{name}`")));
    };
    if handler.streams() {
        return Err(streamed(name));
    }
    if handler.info().upload.is_some() {
        return Err(crate::upload::takes_files(name));
    }
    let result = AssertUnwindSafe(handler.invoke(req, input)).catch_unwind().await;
    let result = result.unwrap_or_else(|panic| Err(panicked(name, &*panic)));
    result.map_err(|e| finish(req, name, e))
}

/// [`run`] for an HTTP call, which may stream: the envelope, or the NDJSON
/// body of a stream whose first item is read (a panic or a failure until
/// then is the call's error).
pub(crate) async fn open(req: &Request, name: &str, input: &str) -> Result<Answer> {
    let Some(handler) = req.functions().get(name) else {
        return Err(Error::not_found(format!("no function named `{name}`")));
    };
    let result = AssertUnwindSafe(handler.open(req, input)).catch_unwind().await;
    let result = result.unwrap_or_else(|panic| Err(panicked(name, &*panic)));
    result.map_err(|e| finish(req, name, e))
}

/// [`open`] for an upload call: `body` is the multipart body, read only
/// once the function's auth level and rate limit have let the caller in.
pub(crate) async fn open_upload(
    req: &Request,
    name: &str,
    body: axum::body::Body,
    boundary: String,
    args_limit: usize,
) -> Result<Answer> {
    let Some(handler) = req.functions().get(name) else {
        return Err(Error::not_found(format!("no function named `{name}`")));
    };
    let result = AssertUnwindSafe(handler.open_upload(req, body, boundary, args_limit)).catch_unwind().await;
    let result = result.unwrap_or_else(|panic| Err(panicked(name, &*panic)));
    result.map_err(|e| finish(req, name, e))
}

/// The refusal of a stream function where only a whole output can go (a
/// batch item, a context, a call from a render).
pub(crate) fn streamed(name: &str) -> Error {
    Error::bad_request(format!(
        "`{name}` streams its output: it is called on its own (`call/{name}`), never in a batch"
    ))
}

fn panicked(name: &str, panic: &(dyn Any + Send)) -> Error {
    Error::internal(format!("function `{name}` panicked: {}", panic_message(panic)))
}

/// The text of a panic's payload.
pub(crate) fn panic_message(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic payload".to_owned())
}

/// Logs internal errors under the request's id and attaches it.
fn finish(req: &Request, name: &str, e: Error) -> Error {
    if e.is_internal() {
        let id = req.request_id();
        tracing::error!(request_id = %id, function = %name, "{}", e.message());
        e.with_request_id(id)
    } else {
        e
    }
}
