//! What the pool asks a worker to do, and what comes back: the messages
//! between the dispatcher, a worker's link and the caller.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use super::rendered::{RenderCalls, RenderEvent, Rendered};
use crate::Error;

/// A render as the dispatcher keeps it across attempts.
pub(crate) struct RenderJob {
    /// The component's name, for messages.
    pub(crate) name: String,
    /// The request's `params` (path, props, contexts), serialized once.
    pub(crate) params: Arc<str>,
    /// Answers the render's calls.
    pub(crate) calls: Option<Arc<dyn RenderCalls>>,
    /// Where chunks go as they come; without it they are kept and put
    /// before the final HTML.
    pub(crate) chunks: Option<mpsc::UnboundedSender<RenderEvent>>,
}

/// What a caller asks a worker to do.
#[derive(Clone)]
pub(crate) enum JobKind {
    Render(Arc<RenderJob>),
    Ping,
}

impl JobKind {
    /// What the job is doing, for messages: `rendering Hello.tsx`.
    pub(crate) fn what(&self) -> String {
        match self {
            JobKind::Render(r) => format!("rendering {}", r.name),
            JobKind::Ping => "answering a ping".to_owned(),
        }
    }
}

/// One attempt of a job, sent to one worker.
pub(crate) struct Job {
    pub(crate) kind: JobKind,
    /// When the render's deadline passes (calls it makes stop there).
    pub(crate) deadline: tokio::time::Instant,
    pub(crate) reply: oneshot::Sender<Outcome>,
}

/// What a caller gets back for an attempt.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// The job ran: its answer, or why it failed.
    Done(Result<Answer, Failure>),
    /// The attempt is void: send the job again.
    Requeue(Requeue),
}

/// Why an attempt is void.
#[derive(Debug, Clone)]
pub(crate) enum Requeue {
    /// It never reached the worker, or the worker was retired before it
    /// could run it: it costs the job nothing.
    Unsent,
    /// It was in flight on a worker that died or stopped answering along
    /// with other renders: it may be the one to blame. `first` when it was
    /// the first of them sent (the one a synchronous hang or crash points
    /// to), so it is retried after the others.
    Suspect { why: Suspicion, first: bool },
}

/// What happened to the worker a render was in flight on.
#[derive(Debug, Clone)]
pub(crate) enum Suspicion {
    /// It exited or closed its stdout (why, in words).
    Crashed(String),
    /// It wrote this to stdout, outside the protocol.
    Protocol(String),
    /// Its event loop stopped answering pings.
    Stuck,
}

impl Suspicion {
    /// The error of the render found to blame, `what` saying what it was doing.
    pub(crate) fn error(&self, what: &str) -> Error {
        match self {
            Suspicion::Crashed(why) => {
                Error::internal(format!("the SSR worker crashed while {what}: {why}; it is being replaced"))
            }
            Suspicion::Protocol(text) => Error::internal(format!(
                "the SSR worker wrote something that is not the protocol while {what}: {text:?}; \
                 it is being replaced (components must not write to stdout)"
            )),
            Suspicion::Stuck => Error::timeout(format!(
                "{what}: the SSR worker stopped answering (a render that never returns); it was killed and replaced"
            )),
        }
    }
}

/// A successful job.
#[derive(Debug)]
pub(crate) enum Answer {
    Html(Rendered),
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
