//! mizan's integration tests, one binary: one module per subject, and the
//! test kit they share (`support`).
//!
//! Run all: `cargo test -p mizan --all-features --test it`; one subject:
//! `cargo test -p mizan --all-features --test it http::` (a module's
//! name). Modules that need a cargo feature are left out without it.

mod support;

#[cfg(feature = "accounts")]
mod accounts;
mod architecture;
mod auth;
#[cfg(feature = "redis")]
mod channel_redis;
mod channel_ws;
mod channel_ws_close;
mod connections;
mod contexts;
mod csrf;
mod extension;
mod floats;
mod forms;
mod forms_upload;
mod generate;
mod generics;
mod guide_config;
mod guide_errors;
mod head;
mod health;
mod http;
// rustc's "other types implement this trait" lists depend on the crates in
// the graph: the expected compiler output is recorded with every feature on.
#[cfg(all(
    feature = "redis",
    feature = "sessions",
    feature = "accounts",
    feature = "chrono",
    feature = "time",
    feature = "uuid"
))]
mod output_checks;
mod page_headers;
mod parity;
mod protocol_doc;
mod rate_limits;
#[cfg(all(feature = "redis", feature = "accounts"))]
mod rate_limits_redis;
mod refusals;
mod self_contained;
#[cfg(feature = "sessions")]
mod session;
mod ssr_calls;
mod ssr_faults;
mod ssr_page_calls;
mod ssr_pool;
mod ssr_render;
mod ssr_stream;
mod startup;
mod streams;
mod test_client;
mod typed_errors;
mod uploads;
mod uploads_memory;
mod visits;
