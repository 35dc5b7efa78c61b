//! The view functions: [`render`] and [`render_with_contexts`] answer a
//! request with a page from the app's pool.

use axum::http::{HeaderMap, header};
use axum::response::Response;
use serde::Serialize;

use super::failure::{self, RenderFailure};
use super::head::{Head, PageMeta};
use super::visit;
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
/// The queries the component reads while it renders (generated query
/// hooks, local context providers) run in-process with this request's
/// identity, auth and rate limits, under the render deadline (a mutation is
/// refused with `METHOD_NOT_ALLOWED`); the page renders with their data and
/// carries them in `#mizan-queries`, so hydration fetches nothing. A page
/// with something pending under `<Suspense>` is streamed: the shell first,
/// each boundary as its data arrives; any other is sent whole.
///
/// The page names itself in `#mizan-page` (`{"component","url","version"}`,
/// the version being the pool's [asset version](super::SsrPool::asset_version)).
/// A page visit (`GET` with `x-mizan-visit: 1`) is answered with the page
/// object as JSON instead (component, props, contexts, the queries the
/// render read, head, url, version); a visit whose `x-mizan-version` is not
/// the server's is answered `409 STALE_VERSION` with `x-mizan-location`,
/// and a visit's errors are the error object (JSON) with their status.
/// Both answers carry `vary: x-mizan-visit`.
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
    render_page(req, name, props, contexts, Head::default(), Vec::new()).await
}

/// [`render`] inside layouts: `layouts` are components (named as for
/// `name`, resolved against the same dirs), outermost first; each is
/// rendered around the next, the innermost around the page, each given the
/// inner part as its `children`. The layouts are named in `#mizan-page`
/// (and a visit's page object) as `"layouts"`, and the page's bundle
/// hydrates them too. A typed page names its layouts in
/// `#[mizan::page(…, layout = "…")]` instead.
///
/// ```no_run
/// async fn counter(req: mizan::Request) -> axum::response::Response {
///     let props = serde_json::json!({ "start": 0 });
///     mizan::render_with_layouts(&req, "components/Counter.tsx", props, &["components/Layout.tsx"]).await
/// }
/// ```
pub async fn render_with_layouts(
    req: &Request,
    name: &str,
    props: impl Serialize,
    layouts: &[&str],
) -> Response {
    let layouts = layouts.iter().map(|l| (*l).to_owned()).collect();
    render_page(req, name, props, &serde_json::Map::new(), Head::default(), layouts).await
}

/// The request's path and query, as a page's `url`.
pub(crate) fn page_url(req: &Request) -> String {
    req.uri().path_and_query().map_or_else(|| req.uri().path().to_owned(), |pq| pq.as_str().to_owned())
}

/// A page for `req`: HTML, or the page object for a visit (`x-mizan-visit:
/// 1`), with `head` from Rust and `layouts` around it (outermost first);
/// `vary: x-mizan-visit` on either.
pub(crate) async fn render_page(
    req: &Request,
    name: &str,
    props: impl Serialize,
    contexts: &serde_json::Map<String, serde_json::Value>,
    head: Head,
    layouts: Vec<String>,
) -> Response {
    let visiting = visit::is_visit(req.headers());
    let mut response = page_or_visit(req, name, props, contexts, head, layouts, visiting).await;
    visit::vary(&mut response);
    response
}

async fn page_or_visit(
    req: &Request,
    name: &str,
    props: impl Serialize,
    contexts: &serde_json::Map<String, serde_json::Value>,
    head: Head,
    layouts: Vec<String>,
    visiting: bool,
) -> Response {
    let Some(pool) = req.ssr_pool() else {
        let error = Error::unavailable(
            "server-side rendering is not configured: add .ssr(Ssr::new().dirs([...])) to the App",
        );
        tracing::error!(target: "mizan::ssr", component = name, "{}", error.message());
        if visiting {
            return visit::error(error, req.request_id());
        }
        let headers = super::PageHeaders::default();
        return failure::error_page(
            &RenderFailure::plain(error),
            req.is_dev(),
            Some(req.request_id()),
            &headers,
        );
    };
    let url = page_url(req);
    let version = pool.asset_version();
    if visiting && let Some(refused) = visit::stale(req.headers(), &version, &url, req.request_id()) {
        return refused;
    }
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
            if visiting {
                return visit::error(error, req.request_id());
            }
            return pool.error_response(error, Some(req.request_id()));
        }
    };
    let contexts = crate::contexts::page_contexts(req, contexts).await;
    let calls: std::sync::Arc<dyn super::RenderCalls> = super::PageCalls::new(req);
    let mut response = if visiting {
        let visit = visit::Visit {
            pool,
            name,
            props_json: &props_json,
            contexts: &contexts,
            head: &head,
            layouts: &layouts,
            url: &url,
            version: &version,
            request_id: req.request_id(),
        };
        visit.answer(Some(calls)).await
    } else {
        let meta = PageMeta { url: Some(url), head, layouts };
        pool.render_response_json(name, &props_json, &contexts, Some(req.request_id()), Some(calls), &meta)
            .await
    };
    // The page is where a browser first meets the app: hand it the CSRF
    // double-submit token the client runtime echoes in `x-mizan-csrf`.
    if let Some(cookie) = crate::http::csrf_cookie_header(req.headers()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// A page's error before its render (its auth level refused, its function
/// failed): for a visit the error object (JSON, with its status), else the
/// HTML error page with `x-mizan-error`; `vary: x-mizan-visit` on either.
pub(crate) fn page_error(req: Option<&Request>, headers: &HeaderMap, error: Error) -> Response {
    let request_id = req.map(|r| r.request_id().to_owned());
    let mut response = if visit::is_visit(headers) {
        visit::error(error, request_id.as_deref().unwrap_or(""))
    } else {
        if error.is_internal() {
            tracing::error!(target: "mizan::ssr", request_id = request_id.as_deref(), "{}", error.message());
        }
        let dev = req.is_some_and(Request::is_dev);
        let page_headers = req.and_then(Request::ssr_pool).map(|p| p.config().page_headers.clone());
        failure::error_page(
            &RenderFailure::plain(error),
            dev,
            request_id.as_deref(),
            &page_headers.unwrap_or_default(),
        )
    };
    visit::vary(&mut response);
    response
}
