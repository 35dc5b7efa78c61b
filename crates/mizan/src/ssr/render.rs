//! The view functions: [`render`] and [`render_with_contexts`] answer a
//! request with a page from the app's pool.

use axum::http::header;
use axum::response::Response;
use serde::Serialize;

use super::failure::{self, RenderFailure};
use crate::{Error, Request};

/// Renders `name` (resolved against the [`Ssr`](super::Ssr) dirs) with
/// `props` into a full page that hydrates in the browser.
///
/// Every global context function (`#[mizan::client(context = "global")]`)
/// runs first, in-process with this request's identity; their results are
/// embedded in `#mizan-contexts` (see [`global_contexts`](crate::global_contexts))
/// and the component renders with them, so the generated hooks
/// (`useCurrentUser()`) have their value on the first render, on the server
/// and in the browser. A failing context is embedded as its error and
/// never fails the page.
///
/// Always answers: the page (200), or an HTML error page: 500 when the
/// component throws (dev mode shows the message and `File.tsx:line:col`),
/// 504 `TIMEOUT` past the render deadline, 503 `UNAVAILABLE` when the pool
/// is down, Bun is missing or the app has no [`Ssr`](super::Ssr)
/// configured. The error code is also in the `x-mizan-error` header.
pub async fn render(req: &Request, name: &str, props: impl Serialize) -> Response {
    render_with_contexts(req, name, props, &serde_json::Map::new()).await
}

/// [`render`] with some context values given by the view: each is embedded
/// as `{"data": value}` under its name (in `<script type="application/json"
/// id="mizan-contexts">`), and a global context given here is not run (a
/// view that already loaded the user passes it instead of a second lookup).
/// The other global contexts run as in [`render`].
pub async fn render_with_contexts(
    req: &Request,
    name: &str,
    props: impl Serialize,
    contexts: &serde_json::Map<String, serde_json::Value>,
) -> Response {
    let Some(pool) = req.ssr_pool() else {
        let error = Error::unavailable(
            "server-side rendering is not configured: add .ssr(Ssr::new().dirs([...])) to the App",
        );
        tracing::error!(target: "mizan::ssr", component = name, "{}", error.message());
        let headers = super::PageHeaders::default();
        return failure::error_page(
            &RenderFailure::plain(error),
            req.is_dev(),
            Some(req.request_id()),
            &headers,
        );
    };
    // Serialized once: this JSON goes to the worker and into the page.
    let props_json = match crate::finite::to_string(&props)
        .map_err(|e| format!("the props of {name} are not serializable: {e}"))
        .and_then(|json| super::page::props_object(json).map_err(|e| e.message().to_owned()))
    {
        Ok(json) => json,
        Err(message) => {
            let error = Error::internal(message);
            tracing::error!(target: "mizan::ssr", request_id = %req.request_id(), component = name,
                "{}", error.message());
            return pool.error_response(error, Some(req.request_id()));
        }
    };
    let contexts = crate::contexts::page_contexts(req, contexts).await;
    let mut response = pool.render_response_json(name, &props_json, &contexts, Some(req.request_id())).await;
    // The page is where a browser first meets the app: hand it the CSRF
    // double-submit token the client runtime echoes in `x-mizan-csrf`.
    if let Some(cookie) = crate::http::csrf_cookie_header(req.headers()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}
