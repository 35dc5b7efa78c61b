//! Dispatch over the workers: lazy start, one supervisor task per worker
//! slot, the worker with the fewest renders in flight picked for each
//! attempt (ties spread in turn), a render's deadline, suspects retried
//! alone in quarantine, replacement (with backoff only when workers cannot
//! start), restarts and shutdown.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use super::config::Ssr;
use super::job::{Answer, Failure, Job, JobKind, Outcome, Requeue, Suspicion};
use super::link::{Env, Hold, Link};
use super::locate::Launch;
use super::quarantine::{Isolated, Lane, Quarantine};
use super::stats::{Counters, SsrStats};
use super::worker::{self, Lingering, Watch};
use crate::Error;

/// Consecutive start failures of every slot after which the pool counts as down.
const DOWN_AFTER: u32 = 3;
/// Longest wait between restarts of a failing worker.
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// First wait before restarting a failed worker.
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
/// Times a render may be handed back unsent (its worker retired) before it gives up.
const MAX_HANDOFFS: u32 = 16;

/// A live worker as the dispatcher sees it.
#[derive(Clone)]
struct Handle {
    serial: u64,
    link: Arc<Link>,
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
    running: bool,
    tasks: Vec<JoinHandle<()>>,
}

/// The worker slots and their supervisors: state shared by the pool handle
/// and its supervisor tasks.
pub(crate) struct Dispatcher {
    pub(crate) cfg: Ssr,
    slots: Mutex<Vec<Slot>>,
    launch: Mutex<Option<Arc<Launch>>>,
    started: Mutex<Started>,
    /// Workers finishing after they left service (draining, stuck, dying).
    tails: Mutex<Vec<JoinHandle<()>>>,
    /// Bumped whenever the set of live workers changes.
    changed: watch::Sender<u64>,
    shutdown: watch::Sender<bool>,
    env: Arc<Env>,
    serials: AtomicU64,
    /// Where the search for the least busy worker starts, turning.
    rotor: AtomicUsize,
    counters: Arc<Counters>,
    watch: Watch,
    lingering: Lingering,
    quarantine: Arc<Quarantine>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Dispatcher {
    /// A dispatcher for `cfg`: its slots empty, nothing started.
    pub(crate) fn new(cfg: Ssr) -> Arc<Self> {
        let n = cfg.worker_count();
        let counters = Arc::new(Counters::default());
        let watch = Watch {
            stuck_after: cfg.stuck_after,
            max_growth: cfg.max_memory_growth,
            max_age: cfg.max_age,
            deadline: cfg.deadline,
        };
        Arc::new(Self {
            slots: Mutex::new((0..n).map(|_| Slot::default()).collect()),
            launch: Mutex::new(None),
            started: Mutex::new(Started::default()),
            tails: Mutex::new(Vec::new()),
            changed: watch::Sender::new(0),
            shutdown: watch::Sender::new(false),
            env: Arc::new(Env::new(counters.clone(), cfg.recycle_after)),
            serials: AtomicU64::new(1),
            rotor: AtomicUsize::new(0),
            counters,
            watch,
            // Each slot and each lane may leave one stuck process behind.
            lingering: Lingering::new(2 * n.max(2)),
            quarantine: Arc::new(Quarantine::new(n.max(2))),
            cfg,
        })
    }

    fn notify(&self) {
        self.changed.send_modify(|n| *n = n.wrapping_add(1));
    }

    fn is_shut_down(&self) -> bool {
        *self.shutdown.borrow()
    }

    /// Bun and the worker script, resolved once. Starts nothing.
    pub(crate) fn launch(&self) -> Result<Arc<Launch>, Error> {
        let mut launch = lock(&self.launch);
        if let Some(l) = &*launch {
            return Ok(l.clone());
        }
        let l = Arc::new(Launch::resolve(&self.cfg).map_err(Error::unavailable)?);
        *launch = Some(l.clone());
        Ok(l)
    }

    /// Starts the supervisor tasks once.
    pub(crate) fn ensure_started(self: &Arc<Self>) -> Result<Arc<Launch>, Error> {
        if self.is_shut_down() {
            return Err(Error::unavailable("the SSR pool has been shut down"));
        }
        let launch = self.launch()?;
        let mut started = lock(&self.started);
        if started.running {
            return Ok(launch);
        }
        let n = lock(&self.slots).len();
        tracing::debug!(target: "mizan::ssr", workers = n, bun = %launch.bun.display(), "starting the SSR pool");
        for idx in 0..n {
            started.tasks.push(tokio::spawn(slot_task(self.clone(), launch.clone(), idx)));
        }
        started.running = true;
        Ok(launch)
    }

    /// Whether the supervisors have been started.
    pub(crate) fn is_started(&self) -> bool {
        lock(&self.started).running
    }

    fn track(&self, task: JoinHandle<()>) {
        let mut tails = lock(&self.tails);
        tails.retain(|t| !t.is_finished());
        tails.push(task);
    }

    /// The live worker with the fewest renders in flight (and room for
    /// another), the search starting from a turning slot so ties spread.
    /// While none is live it waits up to the start-up time (then
    /// `UNAVAILABLE`); while all are full, the render's deadline starts and
    /// it waits up to that (then `TIMEOUT`).
    async fn pick(
        self: &Arc<Self>,
        deadline: &mut Option<tokio::time::Instant>,
        what: &str,
    ) -> Result<Hold, Error> {
        self.ensure_started()?;
        let mut changed = self.changed.subscribe();
        let starting = tokio::time::Instant::now() + self.cfg.deadline.max(self.cfg.startup_timeout);
        let max = self.cfg.max_in_flight;
        loop {
            if self.is_shut_down() {
                return Err(Error::unavailable("the SSR pool has been shut down"));
            }
            let room = self.env.capacity.notified();
            tokio::pin!(room);
            room.as_mut().enable();
            let full = {
                let slots = lock(&self.slots);
                let n = slots.len();
                let from = self.rotor.fetch_add(1, Ordering::Relaxed);
                let mut best: Option<(usize, &Handle)> = None;
                let mut live = false;
                for k in 0..n {
                    let Some(h) = &slots[(from + k) % n].worker else { continue };
                    if !h.link.in_service() {
                        continue;
                    }
                    live = true;
                    let load = h.link.in_flight();
                    if load < max && best.is_none_or(|(b, _)| load < b) {
                        best = Some((load, h));
                    }
                }
                if let Some((_, h)) = best {
                    // Counted before the slots are unlocked.
                    return Ok(h.link.hold());
                }
                if !live && slots.iter().all(|s| s.start_failures >= DOWN_AFTER) {
                    let why = slots.iter().rev().find_map(|s| s.last_error.clone()).unwrap_or_default();
                    return Err(Error::unavailable(format!("the SSR pool is down: {why}")));
                }
                live
            };
            if full && deadline.is_none() {
                *deadline = Some(tokio::time::Instant::now() + self.cfg.deadline);
            }
            let until = deadline.unwrap_or(starting);
            self.env.waiting.fetch_add(1, Ordering::SeqCst);
            let woke = tokio::select! {
                r = changed.changed() => r.is_ok(),
                () = &mut room => true,
                () = tokio::time::sleep_until(until) => false,
            };
            self.env.waiting.fetch_sub(1, Ordering::SeqCst);
            if !woke {
                return Err(match deadline {
                    Some(_) => Error::timeout(format!(
                        "{what}: waited for a worker past the {:?} deadline",
                        self.cfg.deadline
                    )),
                    None => Error::unavailable(format!(
                        "no SSR worker became available within {:?}",
                        self.cfg.deadline.max(self.cfg.startup_timeout)
                    )),
                });
            }
        }
    }

    /// Starts a quarantine worker, supervised until it ends (it is never replaced).
    async fn spawn_isolated(self: &Arc<Self>) -> Result<Isolated, Error> {
        let launch = self.ensure_started()?;
        let mut w = worker::spawn(&launch, &self.env, self.cfg.startup_timeout, &self.watch)
            .await
            .map_err(Error::unavailable)?;
        self.counters.started.fetch_add(1, Ordering::Relaxed);
        self.counters.quarantine_started.fetch_add(1, Ordering::Relaxed);
        let (retire_tx, mut retire_rx) = watch::channel(false);
        let isolated = Isolated { link: w.link.clone(), retire: Arc::new(retire_tx) };
        let me = self.clone();
        self.track(tokio::spawn(async move {
            let ending = worker::supervise(&mut w, &mut retire_rx, &me.watch).await;
            w.link.stop_taking();
            worker::finish(w, ending, &me.env, &me.lingering, &me.watch).await;
        }));
        if self.is_shut_down() {
            isolated.retire.send_replace(true);
        }
        Ok(isolated)
    }

    /// Runs a job: on the least busy worker; again at no cost when its
    /// worker went before it ran; as a suspect, alone in quarantine, when it
    /// was in flight with others on a worker that died or stopped
    /// answering. Suspected twice, or past its deadline, it fails.
    pub(crate) async fn submit(self: &Arc<Self>, kind: JobKind) -> Result<Answer, Failure> {
        let what = kind.what();
        let mut deadline = None;
        let mut suspect: Option<bool> = None;
        let mut handoffs = 0;
        loop {
            let mut lane: Option<Lane> = None;
            let mut held = None;
            let link = match suspect {
                None => {
                    let hold = self.pick(&mut deadline, &what).await.map_err(Failure::Error)?;
                    let link = hold.link().clone();
                    held = Some(hold);
                    link
                }
                Some(first) => {
                    let until =
                        *deadline.get_or_insert_with(|| tokio::time::Instant::now() + self.cfg.deadline);
                    let got = self
                        .quarantine
                        .lane(first, until, self.spawn_isolated())
                        .await
                        .map_err(Failure::Error)?;
                    let link = got.worker.link.clone();
                    lane = Some(got);
                    link
                }
            };
            let until = *deadline.get_or_insert_with(|| tokio::time::Instant::now() + self.cfg.deadline);
            let (tx, rx) = oneshot::channel();
            let started = link.start(Job { kind: kind.clone(), deadline: until, reply: tx });
            // The started render counts itself now (or nothing was started).
            drop(held);
            let Ok(id) = started else {
                // It is going away; it will be unpublished.
                tokio::task::yield_now().await;
                continue;
            };
            let outcome = match &mut lane {
                None => tokio::time::timeout_at(until, rx).await,
                Some(lane) => {
                    let mut rx = rx;
                    tokio::select! {
                        r = tokio::time::timeout_at(until, &mut rx) => r,
                        () = link.until_out_of_service() => {
                            // Stuck on this suspect: the next suspect takes the lane.
                            lane.release();
                            tokio::time::timeout_at(until, rx).await
                        }
                    }
                }
            };
            match outcome {
                Err(_) => {
                    link.abandon(id);
                    self.counters.timeouts.fetch_add(1, Ordering::Relaxed);
                    return Err(Failure::Error(Error::timeout(format!(
                        "{what} took longer than the {:?} deadline",
                        self.cfg.deadline
                    ))));
                }
                Ok(Ok(Outcome::Done(result))) => {
                    if let Some(lane) = lane {
                        self.quarantine.give_back(lane);
                    }
                    return result;
                }
                Ok(Ok(Outcome::Requeue(Requeue::Unsent))) => {
                    handoffs += 1;
                    if handoffs > MAX_HANDOFFS {
                        return Err(Failure::Error(Error::unavailable("the SSR pool kept retiring workers")));
                    }
                }
                Ok(Ok(Outcome::Requeue(Requeue::Suspect { why, first }))) => {
                    if suspect.is_some() {
                        return Err(Failure::Error(twice(&why, &what)));
                    }
                    self.counters.retries.fetch_add(1, Ordering::Relaxed);
                    suspect = Some(first);
                }
                Ok(Err(_)) => {
                    return Err(Failure::Error(Error::internal("the SSR worker dropped the render")));
                }
            }
        }
    }

    /// Retires every live worker (they finish what they have); supervisors
    /// start fresh ones.
    pub(crate) fn restart(&self) {
        let mut slots = lock(&self.slots);
        for slot in slots.iter_mut() {
            if let Some(h) = slot.worker.take() {
                h.link.stop_taking();
                h.retire.send_replace(true);
            }
        }
        drop(slots);
        self.quarantine.retire_idle();
        self.notify();
    }

    /// Stops everything: no new renders, workers finish the ones they have.
    pub(crate) fn begin_shutdown(&self) {
        self.shutdown.send_replace(true);
        self.quarantine.close();
        self.restart();
    }

    /// Stops everything and waits (up to 10 s) for the workers to end.
    pub(crate) async fn shutdown(&self) {
        self.begin_shutdown();
        let all = async {
            let tasks = std::mem::take(&mut lock(&self.started).tasks);
            futures_util::future::join_all(tasks).await;
            let tails = std::mem::take(&mut *lock(&self.tails));
            futures_util::future::join_all(tails).await;
        };
        if tokio::time::timeout(Duration::from_secs(10), all).await.is_err() {
            tracing::warn!(target: "mizan::ssr", "SSR workers did not stop within 10 s");
        }
    }

    /// Process ids of the live workers (quarantine ones aside).
    pub(crate) fn worker_pids(&self) -> Vec<u32> {
        lock(&self.slots).iter().filter_map(|s| s.worker.as_ref().map(|h| h.link.pid)).collect()
    }

    /// Renders in flight over the live workers.
    pub(crate) fn in_flight(&self) -> usize {
        lock(&self.slots).iter().filter_map(|s| s.worker.as_ref()).map(|h| h.link.in_flight()).sum()
    }

    /// The counters, and the live workers and renders in flight now.
    pub(crate) fn stats(&self) -> SsrStats {
        self.counters.snapshot(self.worker_pids().len(), self.in_flight())
    }
}

/// The error of a render suspected a second time.
fn twice(why: &Suspicion, what: &str) -> Error {
    let err = why.error(what);
    let message = format!("{} (the second worker lost with this render in flight; giving up)", err.message());
    match why {
        Suspicion::Stuck => Error::timeout(message),
        _ => Error::internal(message),
    }
}

fn backoff(failures: u32) -> Duration {
    let factor = 1u32 << failures.saturating_sub(1).min(10);
    (FIRST_BACKOFF * factor).min(MAX_BACKOFF)
}

/// Keeps one worker slot filled: start, supervise, replace at once when the
/// worker leaves service (the old one finishes on its own); backoff only
/// after workers that fail to start or die with nothing to do.
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
            r = worker::spawn(&launch, &core.env, core.cfg.startup_timeout, &core.watch) => r,
            () = worker::until_true(&mut shutdown) => break,
        };
        let mut w = match spawned {
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
        let (retire_tx, mut retire_rx) = watch::channel(false);
        let serial = core.serials.fetch_add(1, Ordering::Relaxed);
        let handle = Handle { serial, link: w.link.clone(), retire: Arc::new(retire_tx) };
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

        let ending = worker::supervise(&mut w, &mut retire_rx, &core.watch).await;
        w.link.stop_taking();
        {
            let mut slots = lock(&core.slots);
            if slots[idx].worker.as_ref().is_some_and(|h| h.serial == serial) {
                slots[idx].worker = None;
            }
        }
        core.notify();
        let idle_death = matches!(ending, worker::Ending::Crashed(_) | worker::Ending::Protocol(_))
            && w.link.served() == 0
            && w.link.renders().0 == 0;
        failures = if idle_death { failures + 1 } else { 0 };
        let me = core.clone();
        core.track(tokio::spawn(async move {
            worker::finish(w, ending, &me.env, &me.lingering, &me.watch).await;
            drop(retire_keep);
        }));
    }
}
