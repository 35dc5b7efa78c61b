//! What a [`TestClient`](super::TestClient) request gives back: the whole
//! response, and the error object of a refused call.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A response, read whole.
#[derive(Debug, Clone)]
pub struct TestResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl TestResponse {
    pub(super) async fn read(res: axum::response::Response) -> Self {
        let (parts, body) = res.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
        Self { status: parts.status, headers: parts.headers, body }
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Header `name` as text, if present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    ///
    /// # Panics
    /// When it is not JSON (the message shows the status and the body).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("the {} response is not JSON ({e}): {}", self.status, self.text()))
    }

    /// A call's answer: `data` decoded as `T`, or the error object.
    pub(super) fn data<T: DeserializeOwned>(&self) -> Result<T, TestError> {
        let mut body = self.json();
        if let Some(error) = body.get_mut("error") {
            return Err(TestError::new(self.status(), error.take()));
        }
        let data = body.get_mut("data").map(Value::take).unwrap_or_else(|| {
            panic!("a {} answer with neither `data` nor `error`: {}", self.status, self.text())
        });
        decode(data, self.status())
    }

    /// A batch's answer: each item's `data` or error, or the batch's own error.
    pub(super) fn batch_items(&self) -> Result<Vec<Result<Value, TestError>>, TestError> {
        let body = self.json();
        let Value::Array(items) = body else {
            let error = body.get("error").cloned().unwrap_or(body);
            return Err(TestError::new(self.status(), error));
        };
        Ok(items
            .into_iter()
            .map(|mut item| match item.get_mut("error") {
                Some(error) => {
                    // Every error item carries its own status.
                    let status = error
                        .get("status")
                        .and_then(Value::as_u64)
                        .and_then(|s| u16::try_from(s).ok())
                        .unwrap_or(self.status());
                    Err(TestError::new(status, error.take()))
                }
                None => Ok(item.get_mut("data").map(Value::take).unwrap_or(Value::Null)),
            })
            .collect())
    }
}

fn decode<T: DeserializeOwned>(data: Value, status: u16) -> Result<T, TestError> {
    serde_json::from_value(data.clone()).map_err(|e| {
        TestError::new(
            status,
            serde_json::json!({
                "code": "BAD_RESPONSE",
                "message": format!("the data does not decode as the requested type: {e}"),
                "data": data,
            }),
        )
    })
}

/// An error object the app answered (`{"code", "message", "fields"?, …}`)
/// with its status. `BAD_RESPONSE` (as in the TypeScript client) when the
/// `data` did not decode as the type the test asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct TestError {
    status: u16,
    error: Value,
}

impl TestError {
    fn new(status: u16, error: Value) -> Self {
        Self { status, error }
    }

    /// The HTTP status (inside a batch, the item's `status`).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The wire code (`VALIDATION`, `FORBIDDEN`, a handler's own).
    pub fn code(&self) -> &str {
        self.error.get("code").and_then(Value::as_str).unwrap_or_default()
    }

    /// The message.
    pub fn message(&self) -> &str {
        self.error.get("message").and_then(Value::as_str).unwrap_or_default()
    }

    /// Field errors by wire path (`""` for the whole input).
    pub fn fields(&self) -> BTreeMap<String, Vec<String>> {
        self.error.get("fields").and_then(|f| serde_json::from_value(f.clone()).ok()).unwrap_or_default()
    }

    /// The error's `data`, if any.
    pub fn data(&self) -> Option<&Value> {
        self.error.get("data")
    }

    /// The whole error object.
    pub fn wire(&self) -> &Value {
        &self.error
    }
}

impl std::fmt::Display for TestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code(), self.message())
    }
}

impl std::error::Error for TestError {}
