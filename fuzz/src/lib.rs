//! What the HTTP targets share: broad's app (a function per argument type,
//! every garde rule) behind its real router, called in-process, and the
//! oracle every answer must pass.

use std::sync::LazyLock;

use axum::body::Body;
use serde_json::Value;
use tower::ServiceExt;

/// broad's router, a runtime to drive it, and its functions' names.
pub struct Server {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
    /// The wire names, in registration order.
    pub names: Vec<String>,
}

/// The one server of a fuzzing process.
pub static SERVER: LazyLock<Server> = LazyLock::new(|| {
    let app = broad::app();
    let names = app.manifest().expect("broad's manifest").functions.into_iter().map(|f| f.name).collect();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let router = runtime.block_on(async { app.router() });
    Server { runtime, router, names }
});

impl Server {
    /// POSTs `body` as JSON to `path`; the status and the parsed body,
    /// after checking the answer is the protocol's: a JSON body, an error
    /// object on every status but 200, never a 500 (a panic, or an input
    /// the contract admitted that serde or the handler then failed on).
    pub fn post(&self, path: &str, body: &[u8]) -> (u16, Value) {
        let request = http::Request::post(path)
            .header("content-type", "application/json")
            .body(Body::from(body.to_vec()))
            .expect("a request");
        let (status, bytes) = self.runtime.block_on(async {
            let response = self.router.clone().oneshot(request).await.expect("the router is infallible");
            let status = response.status().as_u16();
            (status, axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("the body"))
        });
        let text = String::from_utf8_lossy(&bytes);
        assert_ne!(status, 500, "500 for {:?}: {text}", String::from_utf8_lossy(body));
        let value: Value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{status} answered non-JSON ({e}): {text}"));
        if status != 200 {
            check_error(&value["error"], status);
        }
        (status, value)
    }
}

/// An error object: a wire code whose table status is `status` (or an
/// application's own code), and a message.
pub fn check_error(error: &Value, status: u16) {
    let code = error["code"].as_str().unwrap_or_else(|| panic!("no error code in {error}"));
    assert!(!code.is_empty() && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'), "code {code:?}");
    assert!(error["message"].is_string(), "no message in {error}");
    if let Some(known) = mizan_manifest::codes::lookup(code) {
        assert_eq!(known.status, status, "{code} answered with {status}");
    }
}
