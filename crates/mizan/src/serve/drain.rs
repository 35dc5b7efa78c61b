//! The drain: the shutdown signal, the watch every connection and
//! WebSocket follows, and the wait for them within the grace period.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, watch};

/// Whether the server is draining. Every request served by
/// [`serve`](super::serve) carries one in its extensions; the WebSocket
/// sessions watch it to close with 1001.
#[derive(Clone)]
pub(crate) struct Draining(watch::Receiver<bool>);

impl Draining {
    pub(super) fn channel() -> (watch::Sender<bool>, Self) {
        let (tx, rx) = watch::channel(false);
        (tx, Self(rx))
    }

    /// Whether the drain began after this one was made (one atomic load:
    /// a connection checks it on every wake).
    pub(super) fn started(&self) -> bool {
        self.0.has_changed().unwrap_or(false)
    }

    /// Resolves once the server drains (never when it is dropped first).
    pub(crate) async fn wait(&mut self) {
        if self.0.wait_for(|d| *d).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Waits for `wait`, or forever when there is no drain to follow (a router
/// served some other way).
pub(crate) async fn draining(wait: &mut Option<Draining>) {
    match wait {
        Some(d) => d.wait().await,
        None => std::future::pending().await,
    }
}

/// SIGINT or SIGTERM (Ctrl-C elsewhere): the signal [`serve`](super::serve)
/// drains on.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// Waits until every connection and WebSocket has given its slot back, or
/// `grace` passed; returns how many were still open then.
pub(super) async fn wait(
    http: &Arc<Semaphore>,
    http_cap: u32,
    ws: &Arc<Semaphore>,
    ws_cap: u32,
    grace: Duration,
) -> (usize, usize) {
    let all = async {
        let _http = http.acquire_many(http_cap).await;
        let _ws = ws.acquire_many(ws_cap).await;
    };
    if tokio::time::timeout(grace, all).await.is_ok() {
        return (0, 0);
    }
    (
        (http_cap as usize).saturating_sub(http.available_permits()),
        (ws_cap as usize).saturating_sub(ws.available_permits()),
    )
}
