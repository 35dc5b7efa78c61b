//! What the pool asks a worker to do, and what comes back: the messages
//! between the dispatcher and a worker's driver.

use std::sync::Arc;
use std::time::Instant;

use tokio::sync::oneshot;

use crate::Error;

/// What a caller asks a worker to do.
#[derive(Debug)]
pub(crate) enum JobKind {
    Render { name: String, path: String, props_json: Arc<str>, contexts_json: Option<Arc<str>> },
    Ping,
}

/// A request on its way to (or queued on) a worker.
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) kind: JobKind,
    pub(crate) enqueued: Instant,
    pub(crate) reply: oneshot::Sender<Outcome>,
}

/// What a caller gets back for a job.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// The job ran: its answer, or why it failed.
    Done(Result<Answer, Failure>),
    /// The job never started on this worker, which went away: send it
    /// elsewhere. `crashed` when the worker died (the caller retries once),
    /// not when it was retired (recycled, restarted in dev, shut down).
    Requeue { crashed: bool },
}

/// A successful job.
#[derive(Debug)]
pub(crate) enum Answer {
    Html(String),
    Pong,
}

/// A failed job.
#[derive(Debug, Clone)]
pub(crate) enum Failure {
    /// The component threw.
    Threw { message: String, stack: String },
    /// Anything else, as the error to return.
    Error(Error),
}
