//! Answering a typed page's request: the identity, the page's auth level,
//! the page function, then the page as [`render`](crate::render) serves
//! one (HTML, or the page object for a visit); a redirect as `303`.

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};

use super::page::Answer;
use super::{PageFn, PathParams};
use crate::Request;

/// The response to a page's `GET`.
pub(crate) async fn answer<F: PageFn>(f: &F, mut parts: Parts) -> Response {
    let params = match RawPathParams::from_request_parts(&mut parts, &()).await {
        Ok(raw) => raw.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect(),
        Err(_) => Vec::new(),
    };
    parts.extensions.insert(PathParams(params));
    let req = match Request::from_request_parts(&mut parts, &()).await {
        Ok(req) => req,
        Err(error) => return crate::ssr::page_error(None, &parts.headers, error),
    };
    let info = f.info();
    if let Err(error) = info.auth.check(&req).await {
        return crate::ssr::page_error(Some(&req), req.headers(), error);
    }
    let page = match f.call(req.for_render()).await {
        Ok(page) => page,
        Err(error) => return crate::ssr::page_error(Some(&req), req.headers(), error),
    };
    match page.answer {
        Answer::Render(props) => {
            let layouts = info.layouts.iter().map(|l| (*l).to_owned()).collect();
            crate::ssr::render_page(&req, info.component, props, &serde_json::Map::new(), page.head, layouts)
                .await
        }
        Answer::Redirect(location) => {
            let mut res = Redirect::to(&location).into_response();
            crate::ssr::vary_on_visit(&mut res);
            res
        }
    }
}
