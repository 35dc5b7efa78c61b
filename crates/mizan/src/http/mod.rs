//! The HTTP face of wire protocol v1: `call/{name}`, `batch`, `manifest`.

mod batch;
mod body;
mod call;
mod cors;
mod csrf;
mod dispatch;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::{any, get, post};

pub(crate) use csrf::csrf_cookie_header;
pub(crate) use dispatch::run as run_function;

use crate::Error;
use crate::app::Shared;

/// The API router with its routes under `prefix` (`""` to nest it yourself).
/// Routes carry the full path so a mounted app costs no nesting layer; state
/// is the frozen app, reached with a cheap `Arc` clone.
pub(crate) fn router(shared: Arc<Shared>, prefix: &str) -> Router {
    let at = |path: &str| format!("{prefix}{path}");
    let mut router: Router<Arc<Shared>> = Router::new()
        .route(&at("/call/{name}"), post(call::post).get(call::get).fallback(method_not_allowed))
        .route(&at("/batch"), post(batch::post).fallback(method_not_allowed))
        .route(&at("/ws"), get(crate::channel::ws::upgrade))
        .route(&at("/{*rest}"), any(not_found));
    if shared.serve_manifest.unwrap_or(shared.dev) {
        router = router.route(&at("/manifest"), get(manifest));
    }
    let mut router = router.with_state(shared.clone());
    if let Some(pool) = &shared.ssr {
        let assets = crate::ssr::assets_router(pool.clone());
        router = if prefix.is_empty() { router.merge(assets) } else { router.nest(prefix, assets) };
    }
    if !shared.trusted_origins.is_empty() {
        router = router.layer(cors::layer(&shared.trusted_origins));
    }
    router
}

async fn not_found() -> Error {
    Error::not_found("no such endpoint")
}

async fn method_not_allowed() -> Error {
    Error::method_not_allowed("method not allowed")
}

async fn manifest(State(shared): State<Arc<Shared>>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match crate::manifest::build(&shared) {
        Ok(m) => axum::Json(m).into_response(),
        Err(e) => Error::internal(e.to_string()).into_response(),
    }
}
