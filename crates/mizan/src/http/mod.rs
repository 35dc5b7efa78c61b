//! The HTTP face of wire protocol v1: `call/{name}`, `batch`, `manifest`.

mod batch;
mod body;
mod call;
mod cors;
mod csrf;
mod dispatch;

use std::sync::Arc;

use axum::Router;
use axum::routing::{any, get, post};

use crate::Error;
use crate::app::Shared;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let mut router = Router::new()
        .route("/call/{name}", post(call::post).get(call::get).fallback(method_not_allowed))
        .route("/batch", post(batch::post).fallback(method_not_allowed));
    if shared.serve_manifest.unwrap_or(shared.dev) {
        router = router.route("/manifest", get(manifest));
    }
    router.fallback(any(not_found)).layer(cors::layer(&shared.trusted_origins)).layer(axum::Extension(shared))
}

async fn not_found() -> Error {
    Error::not_found("no such endpoint")
}

async fn method_not_allowed() -> Error {
    Error::method_not_allowed("method not allowed")
}

async fn manifest(axum::Extension(shared): axum::Extension<Arc<Shared>>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match crate::manifest::build(&shared) {
        Ok(m) => axum::Json(m).into_response(),
        Err(e) => Error::internal(e.to_string()).into_response(),
    }
}
