//! Response compression: tower-http's brotli and gzip, for bodies of at
//! least `compress_min_bytes` (or of unknown length), never for images,
//! gRPC or event streams.
//!
//! The common case costs nothing: a request without `Accept-Encoding` (or
//! asking for `identity` only) keeps the app's response as it is, and so
//! does a response the predicate would not compress (unless the request
//! may be refusing identity, which tower-http answers 406). Only what is
//! compressed goes through tower-http's service, after the app answered,
//! and its (large) encoder body is boxed then, so that responses moving
//! through hyper stay small.

use std::convert::Infallible;
use std::future::{Ready, ready};
use std::task::{Context, Poll};

use axum::body::Body;
use http::{HeaderMap, HeaderValue, Request, Response, header};
use tower::{Layer, Service};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};

/// What is compressed: `None` is nothing.
#[derive(Clone)]
pub(super) struct Compressible(Option<SizeAbove>);

impl Compressible {
    pub(super) fn new(min_bytes: Option<u64>) -> Self {
        // `SizeAbove` compresses bodies of at least its bound (its name
        // notwithstanding).
        Self(min_bytes.map(SizeAbove::new))
    }

    /// What a request accepts, when compression may apply to its response:
    /// `None` for no `Accept-Encoding` (or `identity` alone), the common
    /// case, which costs no allocation.
    pub(super) fn accepted(&self, headers: &HeaderMap) -> Option<Accepted> {
        self.0.as_ref()?;
        let values = headers.get_all(header::ACCEPT_ENCODING);
        let identity = |v: &HeaderValue| {
            let v = v.as_bytes();
            v == b"identity" || v.trim_ascii().eq_ignore_ascii_case(b"identity")
        };
        if values.iter().all(identity) {
            return None;
        }
        Some(Accepted(values.iter().cloned().collect()))
    }

    /// The app's `response`, compressed as the request `accepted`.
    pub(super) fn apply(&self, response: Response<Body>, accepted: Accepted) -> Response<Body> {
        // tower-http's own tests, beside this predicate: `Content-Encoding`
        // or `Content-Range` already there means no compression.
        let headers = response.headers();
        let would = self.should_compress(&response)
            && !headers.contains_key(header::CONTENT_ENCODING)
            && !headers.contains_key(header::CONTENT_RANGE);
        if !would && !accepted.may_refuse_identity() {
            return response;
        }
        let mut request = Request::new(());
        let headers = request.headers_mut();
        for value in accepted.0 {
            headers.append(header::ACCEPT_ENCODING, value);
        }
        let mut service = CompressionLayer::new()
            .gzip(true)
            .br(true)
            .compress_when(self.clone())
            .layer(Answered(Some(response)));
        let future = std::pin::pin!(service.call(request));
        let mut cx = Context::from_waker(std::task::Waker::noop());
        match future.poll(&mut cx) {
            Poll::Ready(Ok(response)) => response.map(Body::new),
            Poll::Pending => unreachable!("compressing an answered response is immediate"),
        }
    }
}

impl Predicate for Compressible {
    fn should_compress<B>(&self, response: &http::Response<B>) -> bool
    where
        B: http_body::Body,
    {
        let Some(size) = &self.0 else { return false };
        size.should_compress(response)
            && NotForContentType::GRPC.should_compress(response)
            && NotForContentType::IMAGES.should_compress(response)
            && NotForContentType::SSE.should_compress(response)
    }
}

/// A request's `Accept-Encoding` values.
pub(super) struct Accepted(Vec<HeaderValue>);

impl Accepted {
    /// Whether a `q=0` appears: tower-http answers `406` when identity is
    /// refused and nothing else is acceptable, whatever the response.
    fn may_refuse_identity(&self) -> bool {
        self.0.iter().any(|v| v.as_bytes().windows(3).any(|w| w.eq_ignore_ascii_case(b"q=0")))
    }
}

/// The service whose answer is already there: tower-http's compression
/// wraps it.
struct Answered(Option<Response<Body>>);

impl Service<Request<()>> for Answered {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = Ready<Result<Response<Body>, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: Request<()>) -> Self::Future {
        let response = self.0.take().unwrap_or_else(|| Response::new(Body::empty()));
        ready(Ok(response))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(values: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(header::ACCEPT_ENCODING, HeaderValue::from_static(v));
        }
        headers
    }

    fn response(len: usize) -> Response<Body> {
        let mut r = Response::new(Body::from(vec![b'a'; len]));
        r.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(len));
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        r
    }

    #[test]
    fn no_accept_encoding_or_identity_alone_skips_compression() {
        let on = Compressible::new(Some(1024));
        assert!(on.accepted(&request(&[])).is_none());
        assert!(on.accepted(&request(&["identity"])).is_none());
        assert!(on.accepted(&request(&[" Identity "])).is_none());
        assert!(on.accepted(&request(&["identity", "identity"])).is_none());
        assert!(on.accepted(&request(&["identity", "gzip"])).is_some());
        assert!(on.accepted(&request(&["gzip, br"])).is_some());
        assert!(on.accepted(&request(&["identity;q=0"])).is_some());
        assert!(Compressible::new(None).accepted(&request(&["gzip"])).is_none());
    }

    #[test]
    fn a_large_body_is_compressed_as_accepted() {
        let c = Compressible::new(Some(1024));
        let accepted = c.accepted(&request(&["gzip"])).unwrap();
        let r = c.apply(response(4096), accepted);
        assert_eq!(r.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(r.headers()[header::VARY], "accept-encoding");
        assert!(!r.headers().contains_key(header::CONTENT_LENGTH));
        let accepted = c.accepted(&request(&["br;q=1, gzip;q=0.5"])).unwrap();
        assert_eq!(c.apply(response(4096), accepted).headers()[header::CONTENT_ENCODING], "br");
    }

    #[test]
    fn a_small_body_or_an_encoded_one_is_left_alone() {
        let c = Compressible::new(Some(1024));
        let r = c.apply(response(1024), c.accepted(&request(&["gzip"])).unwrap());
        assert_eq!(r.headers()[header::CONTENT_ENCODING], "gzip", "the bound is compressed");
        let r = c.apply(response(1023), c.accepted(&request(&["gzip"])).unwrap());
        assert!(!r.headers().contains_key(header::CONTENT_ENCODING));
        assert!(!r.headers().contains_key(header::VARY));
        assert_eq!(r.headers()[header::CONTENT_LENGTH], "1023");
        let mut encoded = response(4096);
        encoded.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
        let r = c.apply(encoded, c.accepted(&request(&["gzip"])).unwrap());
        assert_eq!(r.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(r.headers()[header::CONTENT_LENGTH], "4096");
    }

    #[test]
    fn identity_refused_with_nothing_else_is_406_as_tower_http_answers() {
        let c = Compressible::new(Some(1024));
        let r = c.apply(response(10), c.accepted(&request(&["identity;q=0"])).unwrap());
        assert_eq!(r.status(), http::StatusCode::NOT_ACCEPTABLE);
        // `q=0.5` looks alike to the cheap test: it takes tower-http's way,
        // which leaves a small body alone.
        let r = c.apply(response(10), c.accepted(&request(&["gzip;q=0.5"])).unwrap());
        assert_eq!(r.status(), http::StatusCode::OK);
        assert!(!r.headers().contains_key(header::CONTENT_ENCODING));
    }
}
