//! [`SsrStats`]: what a pool has done so far, and the counters behind it.

use std::sync::atomic::{AtomicU64, Ordering};

/// Counters over a pool's life.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SsrStats {
    /// Workers started (that answered their first ping).
    pub started: u64,
    /// Workers that exited or closed stdout unasked.
    pub crashed: u64,
    /// Workers killed because a render passed the deadline.
    pub timed_out: u64,
    /// Workers replaced for writing outside the protocol.
    pub protocol_errors: u64,
    /// Workers replaced after serving their quota of renders.
    pub recycled: u64,
    /// Workers retired by a dev-mode restart or shutdown.
    pub retired: u64,
    /// Workers that failed to start.
    pub start_failures: u64,
    /// Renders answered by a worker (with HTML or the component's error).
    pub renders: u64,
    /// Renders sent again after the worker they were queued on died.
    pub retries: u64,
    /// Live workers now.
    pub live: usize,
    /// Jobs in flight (running or queued) now.
    pub in_flight: usize,
}

/// Counters over the pool's life, bumped by the dispatcher and the workers.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) started: AtomicU64,
    pub(crate) crashed: AtomicU64,
    pub(crate) timed_out: AtomicU64,
    pub(crate) protocol_errors: AtomicU64,
    pub(crate) recycled: AtomicU64,
    pub(crate) retired: AtomicU64,
    pub(crate) start_failures: AtomicU64,
    pub(crate) renders: AtomicU64,
    pub(crate) retries: AtomicU64,
}

impl Counters {
    /// The counters now, with the live workers and jobs in flight.
    pub(crate) fn snapshot(&self, live: usize, in_flight: usize) -> SsrStats {
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        SsrStats {
            started: load(&self.started),
            crashed: load(&self.crashed),
            timed_out: load(&self.timed_out),
            protocol_errors: load(&self.protocol_errors),
            recycled: load(&self.recycled),
            retired: load(&self.retired),
            start_failures: load(&self.start_failures),
            renders: load(&self.renders),
            retries: load(&self.retries),
            live,
            in_flight,
        }
    }
}
