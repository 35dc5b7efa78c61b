//! One socket's outgoing side: a queue bounded in bytes, and the task that
//! writes it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message};
use futures_util::{Sink, SinkExt};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::frame::Out;

/// Close code: outgoing queue past its byte bound.
pub(crate) const SLOW_CONSUMER: u16 = 4001;
/// Close code: nothing received and nothing sent for the idle timeout.
pub(crate) const IDLE_TIMEOUT: u16 = 4002;
/// Close code: the server is shutting down.
pub(crate) const GOING_AWAY: u16 = 1001;
/// Close code: the client broke the WebSocket framing (a reserved opcode or
/// RSV bit, an unmasked frame, a fragmented control frame, …).
pub(crate) const PROTOCOL_ERROR: u16 = 1002;
/// Close code: a text message that is not UTF-8.
pub(crate) const INVALID_UTF8: u16 = 1007;
/// Close code: origin refused (policy violation).
pub(crate) const ORIGIN_REFUSED: u16 = 1008;
/// Close code: frame too large.
pub(crate) const TOO_LARGE: u16 = 1009;

/// How a socket stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The peer is gone or closed first: write nothing more.
    Quiet,
    /// Send a close frame with this code and reason, then stop.
    Close(u16, &'static str),
}

/// The sending half every subscription of a socket shares.
pub(crate) struct ConnOut {
    tx: mpsc::UnboundedSender<Out>,
    queued: AtomicUsize,
    limit: usize,
    stop: watch::Sender<Option<Stop>>,
    /// When the socket was opened: `written` counts from it.
    opened: Instant,
    /// Milliseconds from `opened` to the end of the last write to the socket.
    written: AtomicU64,
}

/// Frames written per flush at most, so one socket cannot hog its writer.
const BATCH_BYTES: usize = 64 * 1024;

impl ConnOut {
    pub(crate) fn new(limit: usize) -> (Arc<Self>, mpsc::UnboundedReceiver<Out>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let (stop, _) = watch::channel(None);
        let conn = Self {
            tx,
            queued: AtomicUsize::new(0),
            limit,
            stop,
            opened: Instant::now(),
            written: AtomicU64::new(0),
        };
        (Arc::new(conn), rx)
    }

    /// When frames were last written to the socket (its opening if never).
    pub(crate) fn last_written(&self) -> Instant {
        self.opened + Duration::from_millis(self.written.load(Ordering::Relaxed))
    }

    fn note_written(&self) {
        let ms = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.written.fetch_max(ms, Ordering::Relaxed);
    }

    /// Queues a frame. Past the byte bound the socket is closed with 4001
    /// and the frame dropped; a closing socket drops every frame.
    pub(crate) fn push(&self, out: Out) -> bool {
        if self.stop.borrow().is_some() {
            return false;
        }
        let n = out.wire_len();
        let before = self.queued.fetch_add(n, Ordering::Relaxed);
        if before > 0 && before + n > self.limit {
            self.queued.fetch_sub(n, Ordering::Relaxed);
            self.stop(Stop::Close(SLOW_CONSUMER, "slow consumer"));
            return false;
        }
        self.tx.send(out).is_ok()
    }

    /// Starts closing the socket (the first call wins).
    pub(crate) fn stop(&self, how: Stop) {
        self.stop.send_if_modified(|s| {
            if s.is_none() {
                *s = Some(how);
                true
            } else {
                false
            }
        });
    }

    pub(crate) fn stopping(&self) -> watch::Receiver<Option<Stop>> {
        self.stop.subscribe()
    }
}

/// Writes queued frames, batching what is ready into one flush, until the
/// socket stops; then sends the close frame, if any, within `grace`.
pub(crate) async fn write_loop<S>(
    mut sink: S,
    mut rx: mpsc::UnboundedReceiver<Out>,
    conn: Arc<ConnOut>,
    grace: Duration,
) where
    S: Sink<Message, Error = axum::Error> + Unpin,
{
    let mut stop = conn.stopping();
    loop {
        let first = tokio::select! {
            biased;
            _ = stop.changed() => break,
            out = rx.recv() => match out {
                Some(out) => out,
                None => break,
            },
        };
        let write = async {
            let mut next = Some(first);
            let mut bytes = 0;
            while let Some(out) = next.take() {
                let n = out.wire_len();
                bytes += n;
                conn.queued.fetch_sub(n, Ordering::Relaxed);
                sink.feed(Message::Text(out.render().into())).await?;
                if bytes < BATCH_BYTES {
                    next = rx.try_recv().ok();
                }
            }
            sink.flush().await
        };
        tokio::select! {
            biased;
            _ = stop.changed() => break,
            written = write => match written {
                Ok(()) => conn.note_written(),
                Err(_) => {
                    conn.stop(Stop::Quiet);
                    break;
                }
            },
        }
    }
    drop(rx);
    let how = *stop.borrow();
    if let Some(Stop::Close(code, reason)) = how {
        let close = Message::Close(Some(CloseFrame { code, reason: reason.into() }));
        let _ = tokio::time::timeout(grace, sink.send(close)).await;
    }
}
