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
        // `SizeAbove` compresses bodies strictly above its bound.
        Self(min_bytes.map(|n| SizeAbove::new(n.saturating_sub(1))))
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
