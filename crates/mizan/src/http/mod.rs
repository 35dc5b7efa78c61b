//! The HTTP face of wire protocol v1 (`docs/protocol.md`): `call/{name}`,
//! `batch`, `ws`, `manifest`, and the SSR assets, all under the mount prefix.

mod batch;
mod body;
mod call;
mod cors;
mod csrf;
mod forwarded;
mod limits;
mod media;
mod uri;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};

pub(crate) use csrf::{Origins, csrf_cookie_header};
pub(crate) use forwarded::{PROXIES_ENV, TrustedProxies, client_ip, normalize_origin};
pub use limits::Limits;

use crate::runtime::Runtime;
use crate::{Error, Request};

/// The API router with its routes under `prefix` (`""` to nest it yourself,
/// or to serve it at the site's root). Routes carry the full path so a
/// mounted app costs no nesting layer; state is the runtime, reached with a
/// cheap `Arc` clone. `nested`: the application nests the router under its
/// own prefix, so `/` is that prefix and mizan's.
pub(crate) fn router(runtime: Arc<Runtime>, prefix: &str, nested: bool) -> Router {
    let at = |path: &str| format!("{prefix}{path}");
    // The hot routes check the target's length themselves (`uri::check`);
    // the rest get the limit as a layer, below, which wraps only them.
    let mut hot: Router<Arc<Runtime>> = Router::new()
        .route(&at("/call/{name}"), post(call::post).get(call::get).fallback(hot_method_not_allowed))
        .route(&at("/batch"), post(batch::post).fallback(hot_method_not_allowed));
    // Each function its own route: the name comes with the route, with no
    // path parameter to extract and store per request. `call/{name}` above
    // answers the rest (unknown names, paths that are not UTF-8).
    for (name, _) in runtime.functions.iter() {
        let path = at(&format!("/call/{name}"));
        let for_post: Arc<str> = Arc::from(name);
        let for_get = for_post.clone();
        let route =
            post(move |State(runtime): State<Arc<Runtime>>, req: axum::extract::Request| async move {
                call::post_named(&for_post, runtime, req).await
            })
            .get(move |State(runtime): State<Arc<Runtime>>, req: axum::extract::Request| async move {
                call::get_named(&for_get, runtime, req).await
            })
            .fallback(hot_method_not_allowed);
        hot = hot.route(&path, route);
    }
    let mut router: Router<Arc<Runtime>> = Router::new()
        .route(&at("/ws"), get(ws).fallback(method_not_allowed))
        .route(&at("/{*rest}"), any(not_found));
    // The prefix itself (`/api/mizan` and `/api/mizan/`), which `{*rest}`
    // does not match; `/` when the application nests the router (served at
    // the site's root, `/` is the views').
    if !prefix.is_empty() {
        router = router.route(prefix, any(not_found)).route(&at("/"), any(not_found));
    } else if nested {
        router = router.route("/", any(not_found));
    }
    if runtime.http.manifest.is_some() {
        router = router.route(&at("/manifest"), get(manifest).fallback(method_not_allowed));
    }
    let mut router = router.with_state(runtime.clone());
    if let Some(pool) = &runtime.ssr {
        let assets = crate::ssr::assets_router(pool.clone());
        router = if prefix.is_empty() { router.merge(assets) } else { router.nest(prefix, assets) };
    }
    let mut router =
        router.layer(uri::layer(runtime.http.limits.uri_bytes)).merge(hot.with_state(runtime.clone()));
    if !runtime.http.origins.trusted.is_empty() {
        router = router.layer(cors::layer(&runtime.http.origins.trusted));
    }
    router
}

pub(crate) async fn not_found() -> Error {
    Error::not_found("no such endpoint")
}

pub(crate) async fn method_not_allowed() -> Error {
    Error::method_not_allowed("method not allowed")
}

/// A wrong method on a hot route, after the target's length.
async fn hot_method_not_allowed(State(runtime): State<Arc<Runtime>>, uri: axum::http::Uri) -> Error {
    match uri::check(&uri, runtime.http.limits.uri_bytes) {
        Err(e) => e,
        Ok(()) => Error::method_not_allowed("method not allowed"),
    }
}

/// A path parameter axum could not extract (percent-encoded bytes that are
/// not UTF-8, say) as `400 BAD_REQUEST`, not axum's plain-text answer.
pub(crate) fn bad_path(rejection: &PathRejection) -> Error {
    match rejection {
        PathRejection::FailedToDeserializePathParams(e)
            if matches!(e.kind(), ErrorKind::InvalidUtf8InPathParam { .. }) =>
        {
            Error::bad_request("the path is not UTF-8 once percent-decoded")
        }
        other => Error::bad_request(format!("the path cannot be read: {}", other.body_text())),
    }
}

/// `GET ws`: the channels' endpoint, with the request made after the
/// Origin check.
async fn ws(
    State(runtime): State<Arc<Runtime>>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
    parts: Parts,
) -> Response {
    let channels = runtime.channels.clone();
    let origins = runtime.http.origins.clone();
    crate::channel::ws::upgrade(channels, &origins, upgrade, parts, |parts| {
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
