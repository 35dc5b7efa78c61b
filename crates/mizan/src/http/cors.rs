//! CORS, answered for configured trusted origins only.

use axum::http::{HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

pub(super) fn layer(trusted: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = trusted.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            axum::http::header::CONTENT_TYPE,
            axum::http::header::AUTHORIZATION,
            HeaderName::from_static("x-mizan-csrf"),
        ])
        .allow_credentials(true)
}
