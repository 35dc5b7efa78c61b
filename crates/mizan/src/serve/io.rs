//! A connection's socket under two timers: the header-read timeout (from a
//! request's first byte to its head being parsed) and the keep-alive idle
//! timeout (no request at all). Both run where hyper waits for bytes, so
//! they cost nothing while bytes flow.
//!
//! A header timeout writes `408 REQUEST_TIMEOUT` itself (hyper has no
//! request to answer yet) and fails the read, which ends the connection; an
//! idle timeout reads as the peer's end, which hyper takes as a clean close.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{Instant, Sleep};

use super::state::ConnState;
use crate::Error;

/// Where the connection is, as the socket sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// No request in flight and none begun: the keep-alive timer runs.
    Idle,
    /// Bytes of a request head arrived, the request has not started: the
    /// header timer runs.
    Head,
    /// A request is in flight: no timer here (the body has its own).
    Busy,
    /// A timer fired: reads end.
    Done,
}

/// The socket with its timers.
pub(super) struct TimedIo {
    inner: TcpStream,
    state: Arc<ConnState>,
    header_timeout: Duration,
    idle_timeout: Duration,
    phase: Phase,
    /// When the phase began: read from the clock only once a read has to
    /// wait in it (right after it began, in the same poll), so a request
    /// whose bytes are all there costs no clock read and no timer work.
    since: Option<Instant>,
    /// The request count when the head began.
    seen: u64,
    /// HTTP/2 (its preface seen): frames come between requests, so only
    /// the idle timer applies.
    h2: bool,
    /// No byte read yet (the HTTP/2 preface comes first).
    fresh: bool,
    sleep: Pin<Box<Sleep>>,
    armed: Option<Instant>,
    /// The timer was polled since it was set (this task's waker is with
    /// it): until it fires, polling it again tells nothing new.
    waiting: bool,
    /// The 408 being written, and how much of it is out.
    reply: Option<(Vec<u8>, usize)>,
}

impl TimedIo {
    pub(super) fn new(inner: TcpStream, state: Arc<ConnState>, header: Duration, idle: Duration) -> Self {
        let now = Instant::now();
        Self {
            inner,
            state,
            header_timeout: header,
            idle_timeout: idle,
            phase: Phase::Idle,
            since: Some(now),
            seen: 0,
            h2: false,
            fresh: true,
            sleep: Box::pin(tokio::time::sleep_until(now + idle)),
            armed: Some(now + idle),
            waiting: false,
            reply: None,
        }
    }

    /// Brings the phase up to date with the requests the service saw.
    fn refresh(&mut self) {
        if self.phase == Phase::Done {
            return;
        }
        let (requests, busy) = self.state.activity();
        if busy {
            self.phase = Phase::Busy;
        } else if self.phase == Phase::Busy || (self.phase == Phase::Head && requests != self.seen) {
            self.phase = Phase::Idle;
            self.since = None;
        }
    }

    /// Bytes arrived: on an idle HTTP/1 connection they begin a head.
    fn on_bytes(&mut self, bytes: &[u8]) {
        if std::mem::replace(&mut self.fresh, false) && bytes.starts_with(b"PRI * HTTP/2") {
            self.h2 = true;
        }
        if self.phase != Phase::Idle {
            return;
        }
        self.since = None;
        if !self.h2 {
            self.phase = Phase::Head;
            self.seen = self.state.activity().0;
        }
    }

    fn deadline(&mut self) -> Option<Instant> {
        if self.state.upgraded() {
            return None;
        }
        let after = match self.phase {
            Phase::Idle => self.idle_timeout,
            Phase::Head => self.header_timeout,
            Phase::Busy | Phase::Done => return None,
        };
        Some(*self.since.get_or_insert_with(Instant::now) + after)
    }

    /// Polls the timer for the current phase; `true` when it fired.
    ///
    /// The timer is moved only when the deadline comes earlier than it is
    /// set for (a head begun on a kept-alive connection); a deadline that
    /// moves later (each request pushes the idle one) is checked when the
    /// timer fires, and the timer set again then. Requests that follow each
    /// other so cost no timer work.
    fn expired(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(at) = self.deadline() else { return false };
        loop {
            if self.armed.is_none_or(|armed| at < armed) {
                self.sleep.as_mut().reset(at);
                self.armed = Some(at);
                self.waiting = false;
            }
            // The connection is one task: the waker the timer holds is this one.
            if self.waiting && !self.sleep.is_elapsed() {
                return false;
            }
            if self.sleep.as_mut().poll(cx).is_pending() {
                self.waiting = true;
                return false;
            }
            if Instant::now() >= at {
                return true;
            }
            self.sleep.as_mut().reset(at);
            self.armed = Some(at);
            self.waiting = false;
        }
    }

    /// Writes what is left of the 408; ready once written (or unwritable).
    fn poll_reply(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let Some((bytes, at)) = &mut self.reply else { return Poll::Ready(()) };
        while *at < bytes.len() {
            match ready!(Pin::new(&mut self.inner).poll_write(cx, &bytes[*at..])) {
                Ok(0) | Err(_) => break,
                Ok(n) => *at += n,
            }
        }
        let _ = ready!(Pin::new(&mut self.inner).poll_flush(cx));
        self.reply = None;
        Poll::Ready(())
    }
}

/// The 408 written on a header timeout: the error object, and a close.
fn header_timeout_reply(after: Duration) -> Vec<u8> {
    let error = Error::request_timeout(format!(
        "the request's headers did not arrive within {} ms",
        after.as_millis()
    ));
    let body = serde_json::to_vec(&error.to_envelope()).unwrap_or_default();
    let mut out = format!(
        "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    out
}

impl AsyncRead for TimedIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.phase == Phase::Done {
            ready!(this.poll_reply(cx));
            return Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "connection timed out")));
        }
        this.refresh();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    let filled = &buf.filled()[before..];
                    this.on_bytes(filled);
                }
                return Poll::Ready(Ok(()));
            }
            Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
            Poll::Pending => {}
        }
        if !this.expired(cx) {
            return Poll::Pending;
        }
        match std::mem::replace(&mut this.phase, Phase::Done) {
            Phase::Head => {
                this.reply = Some((header_timeout_reply(this.header_timeout), 0));
                ready!(this.poll_reply(cx));
                Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "request headers timed out")))
            }
            // Idle: the peer's end, as hyper sees it: a clean close.
            _ => Poll::Ready(Ok(())),
        }
    }
}

impl AsyncWrite for TimedIo {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
