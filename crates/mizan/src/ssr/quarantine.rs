//! Quarantine: where suspects are sent again. A suspect is a render that
//! was in flight, with others, on a worker that died or stopped answering:
//! any of them may be to blame. Each suspect runs alone on a quarantine
//! worker (a Bun process of its own, outside the workers that serve the
//! other renders), so the one to blame fails by itself and takes nothing
//! else down. A quarantine worker stuck on its suspect gives its lane back
//! at once (it is left with its suspect until the deadline), so the other
//! suspects go on; the suspect a synchronous hang or crash points to (the
//! first one sent) waits until the others have a lane.

use std::sync::Arc;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

use super::link::Link;
use crate::Error;

/// How long an idle quarantine worker is kept for the next suspect.
const IDLE: Duration = Duration::from_secs(10);

/// A quarantine worker as the dispatcher holds it.
#[derive(Clone)]
pub(crate) struct Isolated {
    pub(crate) link: Arc<Link>,
    pub(crate) retire: Arc<watch::Sender<bool>>,
}

/// The quarantine lanes and the idle quarantine workers.
pub(crate) struct Quarantine {
    lanes: Arc<Semaphore>,
    idle: Mutex<Vec<Isolated>>,
    /// Suspects waiting for a lane that are not the first of their worker.
    waiting: watch::Sender<usize>,
}

/// A lane held for one suspect, on one quarantine worker.
pub(crate) struct Lane {
    pub(crate) worker: Isolated,
    permit: Option<OwnedSemaphorePermit>,
}

impl Lane {
    /// Gives the lane back while the suspect still runs (its worker is stuck on it).
    pub(crate) fn release(&mut self) {
        self.permit = None;
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Counts a waiting suspect while it lives.
struct Waiting<'a>(&'a watch::Sender<usize>);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n = n.saturating_sub(1));
    }
}

impl Quarantine {
    /// `lanes` suspects at once, at least one.
    pub(crate) fn new(lanes: usize) -> Self {
        Self {
            lanes: Arc::new(Semaphore::new(lanes.max(1))),
            idle: Mutex::new(Vec::new()),
            waiting: watch::Sender::new(0),
        }
    }

    /// A lane for a suspect, on an idle quarantine worker or one `spawn`
    /// starts; `first` waits until no other suspect waits. Fails with
    /// `TIMEOUT` at `until`.
    pub(crate) async fn lane<F>(
        &self,
        first: bool,
        until: tokio::time::Instant,
        spawn: F,
    ) -> Result<Lane, Error>
    where
        F: std::future::Future<Output = Result<Isolated, Error>>,
    {
        let late = || Error::timeout("the render passed its deadline waiting to be retried alone");
        let _waiting = if first {
            // The other suspects of its worker are handed back at the same
            // moment: let them queue first.
            tokio::time::sleep(Duration::from_millis(20)).await;
            let mut rx = self.waiting.subscribe();
            // Past the deadline the render fails at once anyway; a lane is not worth waiting for then.
            let _ = tokio::time::timeout_at(until, rx.wait_for(|n| *n == 0)).await;
            None
        } else {
            self.waiting.send_modify(|n| *n += 1);
            Some(Waiting(&self.waiting))
        };
        let permit = tokio::time::timeout_at(until, self.lanes.clone().acquire_owned())
            .await
            .map_err(|_| late())?
            .map_err(|_| Error::unavailable("the SSR pool has been shut down"))?;
        drop(_waiting);
        let idle = {
            let mut idle = lock(&self.idle);
            idle.retain(|w| w.link.in_service());
            idle.pop()
        };
        let worker = match idle {
            Some(w) => w,
            None => tokio::time::timeout_at(until, spawn).await.map_err(|_| late())??,
        };
        Ok(Lane { worker, permit: Some(permit) })
    }

    /// The suspect is done: its worker, still healthy, waits for the next
    /// one (and retires after a while without any).
    pub(crate) fn give_back(self: &Arc<Self>, lane: Lane) {
        let Lane { worker, permit } = lane;
        if !worker.link.in_service() {
            return;
        }
        let served = worker.link.served();
        lock(&self.idle).push(worker.clone());
        drop(permit);
        let me = Arc::downgrade(self);
        tokio::spawn(async move {
            tokio::time::sleep(IDLE).await;
            let Some(me) = me.upgrade() else { return };
            let mut idle = lock(&me.idle);
            if let Some(i) = idle.iter().position(|w| Arc::ptr_eq(&w.link, &worker.link))
                && worker.link.served() == served
            {
                idle.swap_remove(i);
                worker.retire.send_replace(true);
            }
        });
    }

    /// Retires every idle quarantine worker (dev restart, shutdown).
    pub(crate) fn retire_idle(&self) {
        for w in lock(&self.idle).drain(..) {
            w.retire.send_replace(true);
        }
    }

    /// Closes the lanes: suspects waiting for one fail with `UNAVAILABLE`.
    pub(crate) fn close(&self) {
        self.lanes.close();
        self.retire_idle();
    }
}
