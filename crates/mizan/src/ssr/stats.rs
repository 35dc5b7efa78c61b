//! [`SsrStats`]: what a pool has done so far, and the counters behind it.

use std::sync::atomic::{AtomicU64, Ordering};

use super::recycle::Recycle;

/// Counters over a pool's life.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SsrStats {
    /// Workers started (that answered their first ping), quarantine ones included.
    pub started: u64,
    /// Quarantine workers started (to run suspects alone).
    pub quarantine_started: u64,
    /// Workers that exited or closed stdout unasked.
    pub crashed: u64,
    /// Workers found stuck: their event loop did not answer the heartbeat.
    pub stuck: u64,
    /// Stuck workers killed when the one render they were left with passed its deadline.
    pub timed_out: u64,
    /// Workers replaced for writing outside the protocol.
    pub protocol_errors: u64,
    /// Workers recycled, for any reason (the three below).
    pub recycled: u64,
    /// Workers recycled because their resident memory grew past the bound.
    pub recycled_memory: u64,
    /// Workers recycled because they reached their age.
    pub recycled_age: u64,
    /// Workers recycled after answering their quota of renders.
    pub recycled_renders: u64,
    /// Workers retired by a dev-mode restart or shutdown.
    pub retired: u64,
    /// Workers that failed to start.
    pub start_failures: u64,
    /// Renders answered by a worker (with HTML or the component's error).
    pub renders: u64,
    /// Renders that failed `TIMEOUT` at their deadline.
    pub timeouts: u64,
    /// Renders sent again, alone in quarantine, after the worker they were
    /// in flight on (with others) died or stopped answering.
    pub retries: u64,
    /// Live workers now (quarantine ones aside).
    pub live: usize,
    /// Renders in flight on the live workers now.
    pub in_flight: usize,
}

/// Counters over the pool's life, bumped by the dispatcher and the workers.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) started: AtomicU64,
    pub(crate) quarantine_started: AtomicU64,
    pub(crate) crashed: AtomicU64,
    pub(crate) stuck: AtomicU64,
    pub(crate) timed_out: AtomicU64,
    pub(crate) protocol_errors: AtomicU64,
    recycled_memory: AtomicU64,
    recycled_age: AtomicU64,
    recycled_renders: AtomicU64,
    pub(crate) retired: AtomicU64,
    pub(crate) start_failures: AtomicU64,
    pub(crate) renders: AtomicU64,
    pub(crate) timeouts: AtomicU64,
    pub(crate) retries: AtomicU64,
}

impl Counters {
    /// Counts a worker recycled for `why`.
    pub(crate) fn recycled(&self, why: Recycle) {
        let counter = match why {
            Recycle::Memory => &self.recycled_memory,
            Recycle::Age => &self.recycled_age,
            Recycle::Renders => &self.recycled_renders,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The counters now, with the live workers and renders in flight.
    pub(crate) fn snapshot(&self, live: usize, in_flight: usize) -> SsrStats {
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let (memory, age, renders) =
            (load(&self.recycled_memory), load(&self.recycled_age), load(&self.recycled_renders));
        SsrStats {
            started: load(&self.started),
            quarantine_started: load(&self.quarantine_started),
            crashed: load(&self.crashed),
            stuck: load(&self.stuck),
            timed_out: load(&self.timed_out),
            protocol_errors: load(&self.protocol_errors),
            recycled: memory + age + renders,
            recycled_memory: memory,
            recycled_age: age,
            recycled_renders: renders,
            retired: load(&self.retired),
            start_failures: load(&self.start_failures),
            renders: load(&self.renders),
            timeouts: load(&self.timeouts),
            retries: load(&self.retries),
            live,
            in_flight,
        }
    }
}
