//! Response compression: tower-http's brotli and gzip, for bodies of at
//! least `compress_min_bytes` (or of unknown length), never for images,
//! gRPC or event streams.

use axum::Router;
use tower::Layer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::{Compression, CompressionLayer};

/// What is compressed: `None` is nothing.
#[derive(Clone)]
pub(super) struct Compressible(Option<SizeAbove>);

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

/// The app's service, compressing as configured.
pub(super) type Compressed = Compression<Router, Compressible>;

pub(super) fn layer(router: Router, min_bytes: Option<u64>) -> Compressed {
    // `SizeAbove` compresses bodies strictly above its bound.
    let size = min_bytes.map(|n| SizeAbove::new(n.saturating_sub(1)));
    CompressionLayer::new().gzip(true).br(true).compress_when(Compressible(size)).layer(router)
}
