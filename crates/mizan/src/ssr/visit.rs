//! Page visits: a page's `GET` with `x-mizan-visit: 1` answered as the page
//! object (`{"component","props","contexts","queries","head","url","version"}`)
//! instead of HTML, so a client can change pages without a full load. The
//! page is rendered as for HTML (its queries run in-process) and the HTML
//! discarded. A client built with other assets (`x-mizan-version`) is sent
//! `409 STALE_VERSION` with `x-mizan-location`; a visit without the header
//! is never refused. Errors answer the error object, JSON, with its status.

use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::value::RawValue;

use super::head::Head;
use super::pool::SsrPool;
use super::rendered::RenderCalls;
use crate::Error;

/// The request header marking a visit.
pub(crate) const VISIT_HEADER: &str = "x-mizan-visit";
/// The request header carrying the client's asset version.
pub(crate) const VERSION_HEADER: &str = "x-mizan-version";
/// The response header of a `409 STALE_VERSION`: the URL to load in full.
pub(crate) const LOCATION_HEADER: &str = "x-mizan-location";

/// Whether the request is a page visit (`x-mizan-visit: 1`).
pub(crate) fn is_visit(headers: &HeaderMap) -> bool {
    headers.get(VISIT_HEADER).is_some_and(|v| v.as_bytes() == b"1")
}

/// `vary: x-mizan-visit` on a page's answer, HTML or JSON, so no cache
/// hands one for the other.
pub(crate) fn vary(res: &mut Response) {
    res.headers_mut().append(header::VARY, HeaderValue::from_static(VISIT_HEADER));
}

/// `409 STALE_VERSION` when the visit names an asset version other than
/// `version`; `None` when it names none or the same.
pub(crate) fn stale(headers: &HeaderMap, version: &str, url: &str, request_id: &str) -> Option<Response> {
    let theirs = headers.get(VERSION_HEADER)?;
    if theirs.as_bytes() == version.as_bytes() {
        return None;
    }
    let error = Error::stale_version(format!(
        "this page was built with assets {:?}; the server has {version:?}: load {url} in full",
        String::from_utf8_lossy(theirs.as_bytes())
    ))
    .with_request_id(request_id.to_owned());
    let mut res = error.into_response();
    if let Ok(location) = HeaderValue::from_str(url) {
        res.headers_mut().insert(LOCATION_HEADER, location);
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Some(res)
}

/// The error object for a visit: the error's JSON with its status.
pub(crate) fn error(error: Error, request_id: &str) -> Response {
    let error = if request_id.is_empty() { error } else { error.with_request_id(request_id.to_owned()) };
    let mut res = error.into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// What a visit's answer is made of beside the render.
pub(crate) struct Visit<'a> {
    pub(crate) pool: &'a Arc<SsrPool>,
    pub(crate) name: &'a str,
    pub(crate) props_json: &'a str,
    pub(crate) contexts: &'a serde_json::Map<String, serde_json::Value>,
    pub(crate) head: &'a Head,
    /// The layout components around the page, outermost first.
    pub(crate) layouts: &'a [String],
    pub(crate) url: &'a str,
    pub(crate) version: &'a str,
    pub(crate) request_id: &'a str,
}

impl Visit<'_> {
    /// Renders the page (its HTML discarded) and answers the page object.
    pub(crate) async fn answer(self, calls: Option<Arc<dyn RenderCalls>>) -> Response {
        let rendered = match self
            .pool
            .visit_render(self.name, self.layouts, self.props_json, self.contexts, calls)
            .await
        {
            Ok(rendered) => rendered,
            Err(failure) => {
                failure.log(self.name, Some(self.request_id));
                return error(failure.error, self.request_id);
            }
        };
        let head = self.head.with_reported(rendered.head.as_deref()).to_json(&self.pool.config().title);
        let props = match RawValue::from_string(self.props_json.to_owned()) {
            Ok(props) => props,
            Err(e) => return error(Error::internal(format!("props are not JSON: {e}")), self.request_id),
        };
        let mut body = serde_json::json!({
            "component": self.name,
            "props": props,
            "contexts": self.contexts,
            "queries": rendered.queries,
            "head": head,
            "url": self.url,
            "version": self.version,
        });
        // Only a page with layouts names them (others keep their object as it was).
        if !self.layouts.is_empty()
            && let Some(object) = body.as_object_mut()
        {
            object.insert("layouts".to_owned(), serde_json::json!(self.layouts));
        }
        let mut res = axum::Json(body).into_response();
        let headers = res.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        // The page's headers; a policy's nonce is a fresh one (the JSON runs no script).
        let page_headers = &self.pool.config().page_headers;
        page_headers.apply(headers, page_headers.nonce().as_deref());
        res
    }
}
