//! Dispatch over the workers: lazy start, one supervisor task per worker
//! slot, the worker with the fewest jobs in flight picked for each job, the
//! one retry for a job queued on a worker that died, replacement with
//! backoff, restarts and shutdown.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

use super::config::Ssr;
use super::job::{Answer, Failure, Job, JobKind, Outcome};
use super::locate::Launch;
use super::stats::{Counters, SsrStats};
use super::worker::{self, DriveCtx};
use crate::Error;

/// Consecutive start failures of every slot after which the pool counts as down.
const DOWN_AFTER: u32 = 3;
/// Longest wait between restarts of a failing worker.
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// First wait before restarting a failed worker.
const FIRST_BACKOFF: Duration = Duration::from_millis(100);

/// A live worker as the dispatcher sees it.
#[derive(Clone)]
struct Handle {
    serial: u64,
    pid: u32,
    tx: mpsc::UnboundedSender<Job>,
    in_flight: Arc<AtomicUsize>,
    retire: Arc<watch::Sender<bool>>,
}

#[derive(Default)]
struct Slot {
    worker: Option<Handle>,
    /// Consecutive failures to start.
    start_failures: u32,
    last_error: Option<String>,
}

#[derive(Default)]
struct Started {
    launch: Option<Arc<Launch>>,
    tasks: Vec<JoinHandle<()>>,
}

/// The worker slots and their supervisors: state shared by the pool handle
/// and its supervisor tasks.
pub(crate) struct Dispatcher {
    pub(crate) cfg: Ssr,
    slots: Mutex<Vec<Slot>>,
    started: Mutex<Started>,
    /// Bumped whenever the set of live workers changes.
    changed: watch::Sender<u64>,
    shutdown: watch::Sender<bool>,
    ids: Arc<AtomicU64>,
    serials: AtomicU64,
    counters: Arc<Counters>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Dispatcher {
    /// A dispatcher for `cfg`: its slots empty, nothing started.
    pub(crate) fn new(cfg: Ssr) -> Arc<Self> {
        let n = cfg.worker_count();
        Arc::new(Self {
            cfg,
            slots: Mutex::new((0..n).map(|_| Slot::default()).collect()),
            started: Mutex::new(Started::default()),
            changed: watch::Sender::new(0),
            shutdown: watch::Sender::new(false),
            ids: Arc::new(AtomicU64::new(1)),
            serials: AtomicU64::new(1),
            counters: Arc::new(Counters::default()),
        })
    }

    fn notify(&self) {
        self.changed.send_modify(|n| *n = n.wrapping_add(1));
    }

    fn is_shut_down(&self) -> bool {
        *self.shutdown.borrow()
    }

    /// Starts the supervisor tasks once; resolves Bun and the worker script.
    pub(crate) fn ensure_started(self: &Arc<Self>) -> Result<Arc<Launch>, Error> {
        if self.is_shut_down() {
            return Err(Error::unavailable("the SSR pool has been shut down"));
        }
        let mut started = lock(&self.started);
        if let Some(launch) = &started.launch {
            return Ok(launch.clone());
        }
        let launch = Arc::new(Launch::resolve(&self.cfg).map_err(Error::unavailable)?);
        let n = lock(&self.slots).len();
        tracing::debug!(target: "mizan::ssr", workers = n, bun = %launch.bun.display(), "starting the SSR pool");
        for idx in 0..n {
            started.tasks.push(tokio::spawn(slot_task(self.clone(), launch.clone(), idx)));
        }
        started.launch = Some(launch.clone());
        Ok(launch)
    }

    /// Whether the supervisors have been started.
    pub(crate) fn is_started(&self) -> bool {
        lock(&self.started).launch.is_some()
    }

    /// The live worker with the fewest jobs in flight, waiting (up to the
    /// deadline) while none is live.
    async fn pick(self: &Arc<Self>) -> Result<Handle, Error> {
        self.ensure_started()?;
        let mut changed = self.changed.subscribe();
        let wait = self.cfg.deadline.max(self.cfg.startup_timeout);
        let until = tokio::time::Instant::now() + wait;
        loop {
            if self.is_shut_down() {
                return Err(Error::unavailable("the SSR pool has been shut down"));
            }
            {
                let slots = lock(&self.slots);
                let best = slots
                    .iter()
                    .filter_map(|s| s.worker.as_ref())
                    .filter(|h| !h.tx.is_closed())
                    .min_by_key(|h| h.in_flight.load(Ordering::Relaxed));
                if let Some(h) = best {
                    return Ok(h.clone());
                }
                if slots.iter().all(|s| s.start_failures >= DOWN_AFTER) {
                    let why = slots.iter().rev().find_map(|s| s.last_error.clone()).unwrap_or_default();
                    return Err(Error::unavailable(format!("the SSR pool is down: {why}")));
                }
            }
            if tokio::time::timeout_at(until, changed.changed()).await.is_err() {
                return Err(Error::unavailable(format!("no SSR worker became available within {wait:?}")));
            }
        }
    }

    /// Runs a job on a worker: the one with the fewest in flight; a job
    /// queued on a worker that died is sent once more, elsewhere.
    pub(crate) async fn submit(self: &Arc<Self>, make: impl Fn() -> JobKind) -> Result<Answer, Failure> {
        let mut retried = false;
        let mut handoffs = 0;
        loop {
            let worker = self.pick().await.map_err(Failure::Error)?;
            let (tx, rx) = oneshot::channel();
            worker.in_flight.fetch_add(1, Ordering::Relaxed);
            if worker.tx.send(Job { kind: make(), enqueued: Instant::now(), reply: tx }).is_err() {
                // It is going away; it will be unpublished.
                worker.in_flight.fetch_sub(1, Ordering::Relaxed);
                tokio::task::yield_now().await;
                continue;
            }
            match rx.await {
                Ok(Outcome::Done(result)) => return result,
                Ok(Outcome::Requeue { crashed }) => {
                    if crashed {
                        if retried {
                            return Err(Failure::Error(Error::internal(
                                "the SSR worker died with this render queued, twice; giving up",
                            )));
                        }
                        retried = true;
                        self.counters.retries.fetch_add(1, Ordering::Relaxed);
                    } else {
                        handoffs += 1;
                        if handoffs > 16 {
                            return Err(Failure::Error(Error::unavailable(
                                "the SSR pool kept retiring workers",
                            )));
                        }
                    }
                }
                Err(_) => return Err(Failure::Error(Error::internal("the SSR worker dropped the render"))),
            }
        }
    }

    /// Retires every live worker; supervisors start fresh ones.
    pub(crate) fn restart(&self) {
        let mut slots = lock(&self.slots);
        for slot in slots.iter_mut() {
            if let Some(h) = slot.worker.take() {
                h.retire.send_replace(true);
            }
        }
        drop(slots);
        self.notify();
    }

    /// Stops everything: no new renders, workers finish their current one.
    pub(crate) fn begin_shutdown(&self) {
        self.shutdown.send_replace(true);
        self.restart();
    }

    /// Stops everything and waits (up to 10 s) for the supervisors to end.
    pub(crate) async fn shutdown(&self) {
        self.begin_shutdown();
        let tasks = std::mem::take(&mut lock(&self.started).tasks);
        let all = futures_util::future::join_all(tasks);
        if tokio::time::timeout(Duration::from_secs(10), all).await.is_err() {
            tracing::warn!(target: "mizan::ssr", "SSR workers did not stop within 10 s");
        }
    }

    /// Process ids of the live workers.
    pub(crate) fn worker_pids(&self) -> Vec<u32> {
        lock(&self.slots).iter().filter_map(|s| s.worker.as_ref().map(|h| h.pid)).collect()
    }

    /// Jobs in flight (running or queued) over the live workers.
    pub(crate) fn in_flight(&self) -> usize {
        lock(&self.slots)
            .iter()
            .filter_map(|s| s.worker.as_ref())
            .map(|h| h.in_flight.load(Ordering::Relaxed))
            .sum()
    }

    /// The counters, and the live workers and jobs in flight now.
    pub(crate) fn stats(&self) -> SsrStats {
        self.counters.snapshot(self.worker_pids().len(), self.in_flight())
    }
}

fn backoff(failures: u32) -> Duration {
    let factor = 1u32 << failures.saturating_sub(1).min(10);
    (FIRST_BACKOFF * factor).min(MAX_BACKOFF)
}

/// Keeps one worker slot filled: start, drive, replace (with backoff after failures).
async fn slot_task(core: Arc<Dispatcher>, launch: Arc<Launch>, idx: usize) {
    let mut shutdown = core.shutdown.subscribe();
    let mut failures = 0u32;
    loop {
        if core.is_shut_down() {
            break;
        }
        if failures > 0 {
            tokio::select! {
                () = tokio::time::sleep(backoff(failures)) => {}
                () = worker::until_true(&mut shutdown) => break,
            }
        }
        let spawned = tokio::select! {
            r = worker::spawn(&launch, &core.ids, core.cfg.startup_timeout) => r,
            () = worker::until_true(&mut shutdown) => break,
        };
        let w = match spawned {
            Ok(w) => w,
            Err(why) => {
                failures += 1;
                core.counters.start_failures.fetch_add(1, Ordering::Relaxed);
                tracing::error!(target: "mizan::ssr", slot = idx, "{why}");
                {
                    let mut slots = lock(&core.slots);
                    slots[idx].start_failures += 1;
                    slots[idx].last_error = Some(why);
                }
                core.notify();
                continue;
            }
        };
        core.counters.started.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::unbounded_channel();
        let (retire_tx, retire_rx) = watch::channel(false);
        let in_flight = Arc::new(AtomicUsize::new(0));
        let serial = core.serials.fetch_add(1, Ordering::Relaxed);
        let handle =
            Handle { serial, pid: w.pid, tx, in_flight: in_flight.clone(), retire: Arc::new(retire_tx) };
        // Kept here too, so the worker is not retired by the handle's removal alone.
        let retire_keep = handle.retire.clone();
        {
            let mut slots = lock(&core.slots);
            if core.is_shut_down() {
                retire_keep.send_replace(true);
            } else {
                slots[idx].worker = Some(handle);
            }
            slots[idx].start_failures = 0;
            slots[idx].last_error = None;
        }
        core.notify();
        tracing::debug!(target: "mizan::ssr", slot = idx, pid = w.pid, "SSR worker ready");

        let ctx = DriveCtx {
            deadline: core.cfg.deadline,
            recycle_after: core.cfg.recycle_after,
            in_flight,
            ids: core.ids.clone(),
            counters: core.counters.clone(),
        };
        let unpublish = || {
            let mut slots = lock(&core.slots);
            if slots[idx].worker.as_ref().is_some_and(|h| h.serial == serial) {
                slots[idx].worker = None;
            }
            drop(slots);
            core.notify();
        };
        let (ending, served) = worker::drive(w, rx, retire_rx, ctx, unpublish).await;
        drop(retire_keep);
        failures = if !ending.is_failure() {
            0
        } else if served > 0 {
            1
        } else {
            failures + 1
        };
    }
}
