//! `POST call/{name}` and `GET call/{name}?input=…`.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{body, csrf, media};
use crate::call::Answer;
use crate::function::Kind;
use crate::runtime::Runtime;
use crate::{Error, Request};

/// `POST call/{name}` for a name that is not a route of its own (unknown,
/// or not UTF-8): the same answer as for any call.
pub(super) async fn post(
    name: Result<Path<String>, PathRejection>,
    State(runtime): State<Arc<Runtime>>,
    req: axum::extract::Request,
) -> Response {
    match name {
        Ok(Path(name)) => post_named(&name, runtime, req).await,
        Err(rejection) => super::bad_path(&rejection).into_response(),
    }
}

/// `POST call/NAME`: each registered function has its route, so the name
/// comes with the route and no path parameter is extracted.
pub(super) async fn post_named(name: &str, runtime: Arc<Runtime>, req: axum::extract::Request) -> Response {
    if let Err(e) = super::uri::check(req.uri(), runtime.http.limits.uri_bytes) {
        return e.into_response();
    }
    if runtime.functions.get(name).is_some_and(|h| h.info().upload.is_some()) {
        return post_upload(name, runtime, req).await;
    }
    let (parts, body) = req.into_parts();
    let limit = runtime.http.limits.body_bytes;
    let result = async {
        media::require_json(&parts.headers)?;
        let bytes = body::read(&parts.headers, body, limit).await?;
        let request = prepare(parts, runtime).await?;
        let input = body::utf8(&bytes)?;
        crate::call::open(&request, name, input).await
    }
    .await;
    answer(result, None)
}

/// `POST call/NAME` of a function that takes files: multipart only, CSRF
/// and the identity settled before the body is touched, no JSON body
/// limit (the upload argument's own limits apply while it streams).
async fn post_upload(name: &str, runtime: Arc<Runtime>, req: axum::extract::Request) -> Response {
    let (parts, body) = req.into_parts();
    let args_limit = runtime.http.limits.body_bytes;
    let result = async {
        let boundary = crate::upload::boundary(&parts.headers)?;
        let request = prepare(parts, runtime).await?;
        crate::call::open_upload(&request, name, body, boundary, args_limit).await
    }
    .await;
    answer(result, None)
}

/// `GET call/{name}` for a name that is not a route of its own.
pub(super) async fn get(
    name: Result<Path<String>, PathRejection>,
    State(runtime): State<Arc<Runtime>>,
    req: axum::extract::Request,
) -> Response {
    match name {
        Ok(Path(name)) => get_named(&name, runtime, req).await,
        Err(rejection) => super::bad_path(&rejection).into_response(),
    }
}

/// `GET call/NAME?input=…` (queries only).
pub(super) async fn get_named(name: &str, runtime: Arc<Runtime>, req: axum::extract::Request) -> Response {
    if let Err(e) = super::uri::check(req.uri(), runtime.http.limits.uri_bytes) {
        return e.into_response();
    }
    let (parts, _) = req.into_parts();
    let set_cookie = csrf::csrf_cookie_header(&parts.headers);
    let result = async {
        match runtime.functions.kind(name) {
            None => return Err(Error::not_found(format!("no function named `{name}`"))),
            Some(Kind::Mutation) => {
                return Err(Error::method_not_allowed(format!("`{name}` is not a query: use POST")));
            }
            Some(Kind::Query) => {}
        }
        let input = query_input(parts.uri.query())?;
        let request = Request::from_parts(parts, runtime).await?;
        crate::call::open(&request, name, &input).await
    }
    .await;
    answer(result, set_cookie)
}

/// Applies CSRF to an unsafe request and builds the request (identity).
/// A refusal is lifted only by an `Authorization` that authenticates on its
/// own: the request is then identified without its cookies (and without a
/// session layer's session), so it runs as the `Authorization`'s identity
/// alone. One that identifies nobody leaves the refusal standing.
pub(super) async fn prepare(parts: Parts, runtime: Arc<Runtime>) -> Result<Request, Error> {
    let refused = match csrf::check(&parts, &runtime.http.origins) {
        Ok(()) => return Request::from_parts(parts, runtime).await,
        Err(refused) => refused,
    };
    if !parts.headers.contains_key(header::AUTHORIZATION) || runtime.authenticator.is_none() {
        return Err(refused);
    }
    let request = Request::from_parts(without_cookies(parts), runtime).await?;
    if request.identity().is_some() { Ok(request) } else { Err(refused) }
}

/// The request as its `Authorization` alone would have it: no `Cookie`
/// header, no session a session layer made from one.
fn without_cookies(mut parts: Parts) -> Parts {
    parts.headers.remove(header::COOKIE);
    #[cfg(feature = "sessions")]
    parts.extensions.remove::<tower_sessions::Session>();
    parts
}

/// The `input` query parameter, URL-decoded; absent means `{}`.
fn query_input(query: Option<&str>) -> Result<String, Error> {
    let Some(query) = query else { return Ok("{}".to_owned()) };
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key == "input" {
            let value = value.replace('+', " ");
            return percent_encoding::percent_decode_str(&value)
                .decode_utf8()
                .map(|s| s.into_owned())
                .map_err(|_| Error::bad_request("`input` is not UTF-8"));
        }
    }
    Ok("{}".to_owned())
}

/// A call's answer: [`respond`] for a whole output, the NDJSON body
/// (`application/x-ndjson`) for a stream.
fn answer(result: Result<Answer, Error>, set_cookie: Option<HeaderValue>) -> Response {
    match result {
        Ok(Answer::Whole(envelope)) => respond(Ok(envelope), set_cookie),
        Ok(Answer::Stream(lines)) => {
            let mut r = Response::new(Body::new(lines));
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(NDJSON));
            if let Some(cookie) = set_cookie {
                r.headers_mut().append(header::SET_COOKIE, cookie);
            }
            r
        }
        Err(e) => respond(Err(e), set_cookie),
    }
}

/// The content type of a streamed output.
const NDJSON: &str = "application/x-ndjson";

pub(super) fn respond(result: Result<Vec<u8>, Error>, set_cookie: Option<HeaderValue>) -> Response {
    let mut response = match result {
        Ok(body) => {
            let mut r = Response::new(Body::from(body));
            *r.status_mut() = StatusCode::OK;
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            r
        }
        Err(e) => e.into_response(),
    };
    if let Some(cookie) = set_cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::query_input;

    #[test]
    fn input_decoding() {
        assert_eq!(query_input(None).unwrap(), "{}");
        assert_eq!(query_input(Some("x=1")).unwrap(), "{}");
        assert_eq!(query_input(Some("input=%7B%22a%22%3A%201%7D")).unwrap(), r#"{"a": 1}"#);
        assert_eq!(query_input(Some("v=2&input=%7B%22t%22%3A%22a+b%22%7D")).unwrap(), r#"{"t":"a b"}"#);
        assert_eq!(query_input(Some("input=%FF")).unwrap_err().code(), "BAD_REQUEST");
    }
}
