//! Runs one named function: lookup, panic isolation, error logging.

use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;

use crate::{Error, Request, Result};

/// Calls `name` with raw JSON `input`. A panic becomes `INTERNAL` with the
/// request id, logged; the server keeps serving.
pub(crate) async fn run(req: &Request, name: &str, input: &str) -> Result<Vec<u8>> {
    let Some(handler) = req.functions().get(name) else {
        return Err(Error::not_found(format!("no function named `{name}`")));
    };
    let result = AssertUnwindSafe(handler.invoke(req, input)).catch_unwind().await;
    let result = match result {
        Ok(r) => r,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string panic payload".to_owned());
            Err(Error::internal(format!("function `{name}` panicked: {msg}")))
        }
    };
    result.map_err(|e| finish(req, name, e))
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
