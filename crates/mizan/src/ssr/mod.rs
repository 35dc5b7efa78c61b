//! Server-side rendering through a pool of persistent Bun workers.
//!
//! A view calls [`render`] with a component name and its props; the name is
//! resolved against the configured dirs ([`Ssr::dirs`]), a worker imports
//! the component and renders it with React's `renderToString`, and the
//! result becomes a full page that hydrates in the browser with the same
//! component and props. The queries the page's hooks read during the render
//! run in-process as the page's request and travel in the page
//! (`#mizan-queries`); a page with something pending under `<Suspense>`
//! streams, its shell first.
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
//! `docs/protocol.md`, "SSR bridge"), many renders in flight at once; it
//! ships in the `@mizan/ssr` npm package. A worker that crashes, stops
//! answering its heartbeat (a render that never returns) or writes to
//! stdout outside the protocol is replaced at once. A render that never
//! reached it is sent again; one alone on it is the one to blame and fails
//! (`INTERNAL` for a crash, `TIMEOUT` at its deadline for a hang); several
//! are suspects, each sent again alone on a quarantine worker, so a bad
//! component only ever fails itself.
//!
//! The files: `config` (the [`Ssr`] settings), `pool` ([`SsrPool`], the
//! public handle), `render` (the view functions), `rendered` (what a render
//! gives back and may ask for), `dispatch` (picking a worker, deadlines,
//! retries, replacement), `quarantine` (suspects run alone), `worker` (one
//! Bun process: start, heartbeat, ending), `link` (its multiplexed bridge:
//! requests in flight, the batched writer, the routing reader, calls),
//! `recycle` (memory and age), `job` (what passes between them), `protocol`
//! (the NDJSON lines), `stderr` (a worker's console), `locate` (finding Bun
//! and `@mizan/ssr`), `resolve` (component names → paths), `page` (the page
//! HTML), `calls` (a page's in-render calls through the call pipeline),
//! `stream` (a page whole or streamed), `failure` (render failures and error pages), `headers`
//! ([`PageHeaders`], a page's security headers and CSP nonce), `assets`
//! (browser bundles), `dev` (dev-mode reload), `stats` ([`SsrStats`]).

// `crate::Error` is 128 bytes; boxing it is the error module's call, not ours.
#![allow(clippy::result_large_err)]

mod assets;
mod calls;
mod config;
mod dev;
mod dispatch;
mod failure;
mod head;
mod headers;
mod job;
mod link;
mod locate;
mod page;
mod pool;
mod protocol;
mod quarantine;
mod recycle;
mod render;
mod rendered;
mod resolve;
mod stats;
mod stderr;
mod stream;
mod version;
mod visit;
mod worker;

pub(crate) use assets::assets_router;
pub(crate) use calls::PageCalls;
pub use config::Ssr;
pub(crate) use head::Head;
pub use headers::PageHeaders;
pub use pool::SsrPool;
/// The worker-line decoder, for the fuzz target (`crate::__fuzz`).
#[cfg(feature = "fuzzing")]
pub(crate) use protocol::{Frame, read_frame};
pub(crate) use render::{page_error, render_page};
pub use render::{render, render_with_contexts, render_with_layouts};
pub use rendered::{RenderCalls, RenderEvent, RenderEvents, RenderOptions, Rendered};
pub use stats::SsrStats;
pub(crate) use visit::vary as vary_on_visit;
