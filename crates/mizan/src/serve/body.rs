//! Request bodies under the body timeout, measured between pieces, and
//! response bodies that tell the connection when they are done.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;
use tokio::time::{Instant, Sleep};

use super::state::ConnState;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Where a stalled body is recorded, for the response to become a 408.
#[derive(Clone)]
pub(super) enum Flag {
    /// HTTP/1: one request at a time, the connection's flag.
    Conn(Arc<ConnState>),
    /// HTTP/2: requests share the connection, each has its own.
    Own(Arc<AtomicBool>),
}

impl Flag {
    fn cell(&self) -> &AtomicBool {
        match self {
            Flag::Conn(state) => state.body_timed_out(),
            Flag::Own(flag) => flag,
        }
    }

    /// Whether the body stalled (and clears it).
    pub(super) fn take(&self) -> bool {
        self.cell().swap(false, Ordering::AcqRel)
    }
}

/// The error a stalled body fails with.
#[derive(Debug)]
struct Stalled(Duration);

impl std::fmt::Display for Stalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the request body sent nothing for {} ms", self.0.as_millis())
    }
}

impl std::error::Error for Stalled {}

/// A request body whose every wait for the next piece is bounded.
pub(super) struct TimedBody {
    inner: Incoming,
    timeout: Duration,
    /// Made on the first wait: a body that is all there costs no timer.
    sleep: Option<Pin<Box<Sleep>>>,
    /// The timer runs for the current wait.
    armed: bool,
    flag: Flag,
}

impl TimedBody {
    pub(super) fn new(inner: Incoming, timeout: Duration, flag: Flag) -> Self {
        Self { inner, timeout, sleep: None, armed: false, flag }
    }
}

impl Body for TimedBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            this.armed = false;
            return Poll::Ready(frame.map(|f| f.map_err(BoxError::from)));
        }
        if !this.armed {
            let at = Instant::now() + this.timeout;
            match &mut this.sleep {
                Some(sleep) => sleep.as_mut().reset(at),
                None => this.sleep = Some(Box::pin(tokio::time::sleep_until(at))),
            }
            this.armed = true;
        }
        let fired = this.sleep.as_mut().is_some_and(|s| s.as_mut().poll(cx).is_ready());
        if !fired {
            return Poll::Pending;
        }
        this.flag.cell().store(true, Ordering::Release);
        Poll::Ready(Some(Err(Box::new(Stalled(this.timeout)))))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Ends the request in the connection's count when dropped.
pub(super) struct Done(pub(super) Arc<ConnState>);

impl Drop for Done {
    fn drop(&mut self) {
        self.0.end();
    }
}

/// A response body (the app's, or one of the server's own answers: 408,
/// 503), done once its last frame is out. One boxed body, so that the
/// response hyper moves around stays small.
pub(super) struct ServeBody {
    inner: axum::body::Body,
    done: Option<Done>,
}

impl ServeBody {
    pub(super) fn new(inner: axum::body::Body, done: Done) -> Self {
        Self { inner, done: Some(done) }
    }
}

impl Body for ServeBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx).map(|f| f.map(|f| f.map_err(Into::into)));
        if let Poll::Ready(None) = polled {
            self.done.take();
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
