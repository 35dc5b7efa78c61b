//! Server-side rendering through a pool of persistent Bun workers.
//!
//! A view calls [`render`] with a component name and its props; the name is
//! resolved against the configured dirs ([`Ssr::dirs`]), a worker imports
//! the component and renders it with React's `renderToString`, and the
//! result becomes a full page that hydrates in the browser with the same
//! component and props.
//!
//! ```no_run
//! use axum::response::Response;
//! use serde_json::json;
//!
//! async fn hello(req: mizan::Request) -> Response {
//!     mizan::render(&req, "components/Hello.tsx", json!({ "name": "World" })).await
//! }
//! ```
//!
//! The worker speaks newline-delimited JSON over its stdin/stdout (see
//! `docs/protocol.md`, "SSR bridge"); it ships in the `@mizan/ssr` npm package.
//! Workers that crash, hang past the deadline or write to stdout outside the
//! protocol are replaced; renders queued behind them are retried once on
//! another worker; the render that was running fails with a clear error.
//!
//! The files: `config` (the [`Ssr`] settings), `pool` ([`SsrPool`], the
//! public handle), `render` (the view functions), `dispatch` (picking a
//! worker, retries, replacement), `worker` (one Bun process), `job` (what
//! passes between them), `protocol` (the NDJSON bridge), `stderr` (a
//! worker's console), `locate` (finding Bun and `@mizan/ssr`), `resolve`
//! (component names → paths), `page` (the page HTML), `failure` (render
//! failures and error pages), `headers` ([`PageHeaders`], a page's security
//! headers and CSP nonce), `assets` (browser bundles), `dev` (dev-mode
//! reload), `stats` ([`SsrStats`]).

// `crate::Error` is 128 bytes; boxing it is the error module's call, not ours.
#![allow(clippy::result_large_err)]

mod assets;
mod config;
mod dev;
mod dispatch;
mod failure;
mod headers;
mod job;
mod locate;
mod page;
mod pool;
mod protocol;
mod render;
mod resolve;
mod stats;
mod stderr;
mod worker;

pub(crate) use assets::assets_router;
pub use config::Ssr;
pub use headers::PageHeaders;
pub use pool::SsrPool;
/// The worker-line decoder, for the fuzz target (`crate::__fuzz`).
#[cfg(feature = "fuzzing")]
pub(crate) use protocol::{Frame, read_frame};
pub use render::{render, render_with_contexts};
pub use stats::SsrStats;
