//! The HTTP face of wire protocol v1 (`docs/protocol.md`): `call/{name}`,
//! `batch`, `ws`, `manifest`, and the SSR assets, all under the mount prefix.

mod batch;
mod body;
mod call;
mod cors;
mod csrf;
mod limits;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};

pub(crate) use csrf::csrf_cookie_header;
pub use limits::Limits;

use crate::runtime::Runtime;
use crate::{Error, Request};

/// The API router with its routes under `prefix` (`""` to nest it yourself).
/// Routes carry the full path so a mounted app costs no nesting layer; state
/// is the runtime, reached with a cheap `Arc` clone.
pub(crate) fn router(runtime: Arc<Runtime>, prefix: &str) -> Router {
    let at = |path: &str| format!("{prefix}{path}");
    let mut router: Router<Arc<Runtime>> = Router::new()
        .route(&at("/call/{name}"), post(call::post).get(call::get).fallback(method_not_allowed))
        .route(&at("/batch"), post(batch::post).fallback(method_not_allowed))
        .route(&at("/ws"), get(ws))
        .route(&at("/{*rest}"), any(not_found));
    if runtime.http.manifest.is_some() {
        router = router.route(&at("/manifest"), get(manifest));
    }
    let mut router = router.with_state(runtime.clone());
    if let Some(pool) = &runtime.ssr {
        let assets = crate::ssr::assets_router(pool.clone());
        router = if prefix.is_empty() { router.merge(assets) } else { router.nest(prefix, assets) };
    }
    if !runtime.http.trusted_origins.is_empty() {
        router = router.layer(cors::layer(&runtime.http.trusted_origins));
    }
    router
}

async fn not_found() -> Error {
    Error::not_found("no such endpoint")
}

async fn method_not_allowed() -> Error {
    Error::method_not_allowed("method not allowed")
}

/// `GET ws`: the channels' endpoint, with the request made after the
/// Origin check.
async fn ws(
    State(runtime): State<Arc<Runtime>>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
    parts: Parts,
) -> Response {
    let channels = runtime.channels.clone();
    let trusted = runtime.http.trusted_origins.clone();
    crate::channel::ws::upgrade(channels, &trusted, upgrade, parts, |parts| {
        Request::from_parts(parts, runtime)
    })
    .await
}

/// `GET manifest`, as built at start-up.
async fn manifest(State(runtime): State<Arc<Runtime>>) -> Response {
    match &runtime.http.manifest {
        Some(bytes) => {
            let mut res = axum::body::Body::from(bytes.clone()).into_response();
            res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            res
        }
        None => Error::not_found("no such endpoint").into_response(),
    }
}
