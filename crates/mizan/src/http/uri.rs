//! The request target's limit: a path and query past `Limits::uri_bytes`
//! answer `414 URI_TOO_LONG` before anything else about the request is read.
//! The hot routes (`call/{name}`, `batch`) call [`check`] first thing; the
//! others sit behind [`layer`]. A router-wide layer would wrap every route
//! in one more boxed service, cloned per request: on hello's echo that was
//! about 2,200 instructions of 32,100 (`bench/http/instructions.sh`).

use axum::body::Body;
use axum::http::{Request, Uri};
use axum::response::{IntoResponse, Response};
use tower_http::validate_request::ValidateRequestHeaderLayer;

use crate::Error;

/// The layer refusing request targets longer than `max` bytes.
#[allow(clippy::result_large_err, reason = "tower-http's validator refuses with a whole Response")]
pub(super) fn layer(
    max: usize,
) -> ValidateRequestHeaderLayer<impl FnMut(&mut Request<Body>) -> Result<(), Response> + Clone> {
    ValidateRequestHeaderLayer::custom(move |req: &mut Request<Body>| {
        check(req.uri(), max).map_err(IntoResponse::into_response)
    })
}

/// `URI_TOO_LONG` when the request target is longer than `max` bytes.
pub(super) fn check(uri: &Uri, max: usize) -> Result<(), Error> {
    let len = target_len(uri);
    if len > max {
        return Err(Error::uri_too_long(format!(
            "the request target is {len} bytes, more than the {max} this server reads"
        )));
    }
    Ok(())
}

/// The length of the request target as the client sent it: the path and
/// query (origin form), with the scheme and authority in absolute form.
fn target_len(uri: &Uri) -> usize {
    let path = uri.path_and_query().map_or(0, |p| p.as_str().len());
    let authority = uri.authority().map_or(0, |a| a.as_str().len());
    let scheme = uri.scheme_str().map_or(0, |s| s.len() + "://".len());
    scheme + authority + path
}

#[cfg(test)]
mod tests {
    use super::target_len;

    #[test]
    fn the_target_is_measured_as_sent() {
        let uri: axum::http::Uri = "/api/mizan/call/add?input=%7B%7D".parse().expect("uri");
        assert_eq!(target_len(&uri), "/api/mizan/call/add?input=%7B%7D".len());
        let uri: axum::http::Uri = "http://example.com/a?b".parse().expect("uri");
        assert_eq!(target_len(&uri), "http://example.com/a?b".len());
    }
}
