//! An in-process client for an application's own tests: requests go
//! through the same router `mizan::cli` serves (every layer, the call
//! pipeline, the extensions, the views), with no socket and no port.
//!
//! ```
//! use mizan::{App, Request};
//! use mizan::test::TestClient;
//! use serde_json::json;
//!
//! #[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
//! struct Output { message: String }
//!
//! /// Echo text back.
//! #[mizan::client]
//! async fn echo(_req: &Request, #[garde(length(chars, min = 1))] text: String) -> mizan::Result<Output> {
//!     Ok(Output { message: text })
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let client = TestClient::new(&App::new().register(echo)).unwrap();
//! let out: Output = client.call("echo", json!({"text": "hi"})).await.unwrap();
//! assert_eq!(out.message, "hi");
//!
//! let refused = client.call::<Output>("echo", json!({"text": ""})).await.unwrap_err();
//! assert_eq!((refused.status(), refused.code()), (422, "VALIDATION"));
//! assert!(refused.fields().contains_key("text"));
//! # }
//! ```
//!
//! The client acts as the site's own frontend in a browser: every request
//! carries `sec-fetch-site: same-origin` (set another value with
//! [`TestClient::header`] to test a cross-site caller), cookies the app
//! sets are kept and sent back (so a login holds for the calls after it),
//! an unsafe call echoes the `mizan_csrf` cookie in `x-mizan-csrf` as the
//! TypeScript client does, and each request comes from `127.0.0.1` (per
//! address rate limits count it).

mod response;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Mutex;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, header};
use serde::de::DeserializeOwned;
use tower::ServiceExt;

pub use response::{TestError, TestResponse};

use crate::{App, StartupError};

/// An app served in-process, for tests. One client is one browser (one
/// cookie jar): make another for a second user.
pub struct TestClient {
    router: axum::Router,
    prefix: String,
    headers: HeaderMap,
    cookies: Mutex<BTreeMap<String, String>>,
    peer: SocketAddr,
}

impl std::fmt::Debug for TestClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestClient").field("prefix", &self.prefix).finish_non_exhaustive()
    }
}

impl TestClient {
    /// `app`'s API mounted at [`cli::PREFIX`](crate::cli::PREFIX)
    /// (`/api/mizan`), as `mizan::cli` serves it, with no views.
    pub fn new(app: &App) -> Result<Self, StartupError> {
        Self::with_views(app, axum::Router::new())
    }

    /// `app` mounted at `/api/mizan` in `views`, as `mizan::cli::run(app, views)` serves it.
    pub fn with_views(app: &App, views: axum::Router) -> Result<Self, StartupError> {
        Ok(Self::from_router(app.mount(crate::cli::PREFIX, views)?, crate::cli::PREFIX))
    }

    /// A router made by [`App::mount`] under `prefix`.
    pub fn from_router(router: axum::Router, prefix: &str) -> Self {
        Self {
            router,
            prefix: prefix.trim_end_matches('/').to_owned(),
            headers: HeaderMap::new(),
            cookies: Mutex::default(),
            peer: SocketAddr::from(([127, 0, 0, 1], 0)),
        }
    }

    /// Every request carries header `name: value` (replacing the default
    /// `sec-fetch-site`, when that is the name).
    ///
    /// # Panics
    /// When `name` or `value` is not a valid header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("a header name");
        self.headers.insert(name, HeaderValue::from_str(value).expect("a header value"));
        self
    }

    /// Every request carries `Authorization: Bearer TOKEN`.
    pub fn bearer(self, token: &str) -> Self {
        self.header("authorization", &format!("Bearer {token}"))
    }

    /// Requests come from `addr` (what rate limits by address count).
    pub fn from_address(mut self, addr: SocketAddr) -> Self {
        self.peer = addr;
        self
    }

    /// The value of cookie `name` the app set, if any.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar().get(name).cloned()
    }

    /// Calls function `name` with `args` (`POST {prefix}/call/{name}`):
    /// the `data` decoded as `T`, or the error the app answered.
    pub async fn call<T: DeserializeOwned>(
        &self,
        name: &str,
        args: serde_json::Value,
    ) -> Result<T, TestError> {
        let body = serde_json::to_vec(&args).expect("JSON args");
        let res = self.send(Method::POST, &format!("{}/call/{name}", self.prefix), Some(body)).await;
        res.data()
    }

    /// Calls query `name` with `args` as a GET (`{prefix}/call/{name}?input=…`).
    pub async fn query<T: DeserializeOwned>(
        &self,
        name: &str,
        args: serde_json::Value,
    ) -> Result<T, TestError> {
        let input: String =
            percent_encoding::utf8_percent_encode(&args.to_string(), percent_encoding::NON_ALPHANUMERIC)
                .collect();
        let res = self.send(Method::GET, &format!("{}/call/{name}?input={input}", self.prefix), None).await;
        res.data()
    }

    /// Sends a batch (`POST {prefix}/batch`) of `(name, args)` items: each
    /// item's `data`, or its error.
    pub async fn batch(
        &self,
        items: &[(&str, serde_json::Value)],
    ) -> Result<Vec<Result<serde_json::Value, TestError>>, TestError> {
        let body: Vec<_> =
            items.iter().map(|(name, args)| serde_json::json!({"fn": name, "args": args})).collect();
        let res = self
            .send(
                Method::POST,
                &format!("{}/batch", self.prefix),
                Some(serde_json::to_vec(&body).expect("JSON")),
            )
            .await;
        res.batch_items()
    }

    /// `GET path` (from the site's root: a page, an asset, `/healthz`).
    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(Method::GET, path, None).await
    }

    /// Sends `method path` with an optional JSON body, with the client's
    /// headers and cookies.
    pub async fn send(&self, method: Method, path: &str, json: Option<Vec<u8>>) -> TestResponse {
        let mut req = axum::http::Request::builder().method(method.clone()).uri(path);
        if json.is_some() {
            req = req.header(header::CONTENT_TYPE, "application/json");
        }
        let req = req.body(json.map_or_else(Body::empty, Body::from)).expect("a request");
        self.request(req).await
    }

    /// Sends `req` as it is, plus the client's headers, cookies, CSRF token
    /// and peer address.
    pub async fn request(&self, mut req: axum::http::Request<Body>) -> TestResponse {
        let headers = req.headers_mut();
        headers.entry("sec-fetch-site").or_insert(HeaderValue::from_static("same-origin"));
        for (name, value) in &self.headers {
            headers.insert(name, value.clone());
        }
        let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        {
            let jar = self.jar();
            if !jar.is_empty() {
                let cookie = jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
                if let Ok(value) = HeaderValue::from_str(&cookie) {
                    req.headers_mut().insert(header::COOKIE, value);
                }
            }
            if unsafe_method
                && let Some(token) = jar.get("mizan_csrf").and_then(|t| HeaderValue::from_str(t).ok())
            {
                req.headers_mut().entry("x-mizan-csrf").or_insert(token);
            }
        }
        req.extensions_mut().insert(ConnectInfo(self.peer));
        let res = match self.router.clone().oneshot(req).await {
            Ok(res) => res,
            Err(never) => match never {},
        };
        let response = TestResponse::read(res).await;
        self.keep_cookies(response.headers());
        response
    }

    fn jar(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, String>> {
        self.cookies.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps the cookies a response set, forgets those it expired.
    fn keep_cookies(&self, headers: &HeaderMap) {
        let mut jar = self.jar();
        for set in headers.get_all(header::SET_COOKIE) {
            let Ok(set) = set.to_str() else { continue };
            let first = set.split(';').next().unwrap_or_default();
            let Some((name, value)) = first.split_once('=') else { continue };
            let expired = set.split(';').any(|attr| {
                let attr = attr.trim().to_ascii_lowercase();
                attr == "max-age=0" || attr.starts_with("expires=thu, 01 jan 1970")
            });
            if expired || value.is_empty() {
                jar.remove(name.trim());
            } else {
                jar.insert(name.trim().to_owned(), value.trim().to_owned());
            }
        }
    }
}
