//! What one connection's parts share: the request count and the requests in
//! flight (the socket's timers read them), whether a body timed out, and the
//! WebSocket slot an upgraded connection holds.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use tokio::sync::OwnedSemaphorePermit;

/// One connection's shared state.
#[derive(Default)]
pub(super) struct ConnState {
    /// Requests started on the connection so far.
    requests: AtomicU64,
    /// Requests whose response has not been written to the end.
    in_flight: AtomicUsize,
    /// An HTTP/1 request body stalled past the body timeout (one request
    /// at a time: the connection's flag is the request's).
    body_timed_out: AtomicBool,
    /// The WebSocket slot, once the connection is upgraded: released when
    /// the socket (which owns this state through its I/O) is dropped.
    websocket: Mutex<Option<OwnedSemaphorePermit>>,
    /// The connection is a WebSocket now: its own idle timeout applies.
    upgraded: AtomicBool,
}

impl ConnState {
    /// A request starts (its head is read).
    pub(super) fn begin(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.in_flight.fetch_add(1, Ordering::Release);
    }

    /// A request's response is done (written, or dropped).
    pub(super) fn end(&self) {
        self.in_flight.fetch_sub(1, Ordering::Release);
    }

    /// Requests started so far, and whether any is in flight.
    pub(super) fn activity(&self) -> (u64, bool) {
        (self.requests.load(Ordering::Relaxed), self.in_flight.load(Ordering::Acquire) > 0)
    }

    pub(super) fn body_timed_out(&self) -> &AtomicBool {
        &self.body_timed_out
    }

    /// Keeps the WebSocket slot for as long as the connection's I/O lives.
    pub(super) fn hold_websocket(&self, permit: OwnedSemaphorePermit) {
        if let Ok(mut slot) = self.websocket.lock() {
            *slot = Some(permit);
        }
        self.upgraded.store(true, Ordering::Release);
    }

    pub(super) fn upgraded(&self) -> bool {
        self.upgraded.load(Ordering::Acquire)
    }
}
