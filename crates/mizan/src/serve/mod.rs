//! HTTP serving: [`serve`] and [`serve_with_shutdown`] run a router on a
//! listener with the timeouts, caps, compression and drain of a
//! [`ServeConfig`] (`docs/protocol.md`, "HTTP serving").
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let app = mizan::App::new();
//! let router = app.mount("/api/mizan", axum::Router::new()).expect("the app builds");
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8000").await?;
//! mizan::serve(listener, router, mizan::ServeConfig::default()).await; // until SIGINT/SIGTERM
//! app.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Connections are HTTP/1.1 or h2c (HTTP/2 without TLS, told apart by its
//! preface), as hyper-util's auto builder serves them. Handlers get the
//! peer address as `axum::extract::ConnectInfo<SocketAddr>`.

mod accept;
mod body;
mod compress;
mod config;
mod conn;
mod drain;
mod io;
mod state;

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::Semaphore;

pub use config::ServeConfig;
pub use drain::shutdown_signal;
pub(crate) use drain::{Draining, draining};

/// Serves `router` on `listener` until SIGINT or SIGTERM, then drains:
/// see [`serve_with_shutdown`].
pub async fn serve(listener: TcpListener, router: axum::Router, config: ServeConfig) {
    serve_with_shutdown(listener, router, config, shutdown_signal()).await;
}

/// Serves `router` on `listener` until `signal` resolves, then drains: the
/// listener is closed, idle connections are closed, requests in flight
/// finish (their connections close after them), open WebSockets are closed
/// with 1001, and once all are done, or after `config.drain_timeout`, it
/// returns (cutting what is left).
pub async fn serve_with_shutdown(
    listener: TcpListener,
    router: axum::Router,
    config: ServeConfig,
    signal: impl Future<Output = ()>,
) {
    let (http_cap, ws_cap) = config.caps();
    let slots = Arc::new(Semaphore::new(http_cap as usize));
    let sockets = Arc::new(Semaphore::new(ws_cap as usize));
    let (drain, draining) = Draining::channel();
    let grace = config.drain_timeout;
    let shared = Arc::new(conn::Shared::new(router, config, sockets.clone(), draining));
    let conns = accept::run(listener, shared, slots.clone(), signal).await;
    tracing::info!("shutting down: draining connections");
    let _ = drain.send(true);
    let (open, websockets) = drain::wait(&slots, http_cap, &sockets, ws_cap, grace).await;
    if open + websockets > 0 {
        tracing::warn!(open, websockets, "the drain's grace period passed: cutting the rest");
    }
    drop(conns);
}
