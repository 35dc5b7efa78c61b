//! A streamed output as its NDJSON response body: one `{"data": item}` line
//! per item, then `{"end": true}` or `{"error": {…}}`.
//!
//! The body reads the handler's stream only when the connection polls it
//! for more (so a slow client slows the stream down), and gathers what is
//! ready at once into one frame, up to [`FRAME_BYTES`]: a fast stream is
//! written in large pieces, a slow one item by item as each comes (a
//! compressing layer flushes whenever the body waits). Dropping the body
//! (the client went away) drops the handler's stream.

use std::convert::Infallible;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use http_body::{Body, Frame};

use super::dispatch::panic_message;
use crate::{Error, Result};

/// A stream's items, each already its `{"data": …}` envelope.
pub(crate) type Items = BoxStream<'static, Result<Vec<u8>>>;

/// Bytes gathered into one frame at most, when items are ready faster
/// than the connection writes them.
const FRAME_BYTES: usize = 16 * 1024;

/// The last line of a stream that ended well.
const END: &[u8] = b"{\"end\":true}\n";

/// The NDJSON body of one streamed call.
pub(crate) struct Lines {
    /// `None` once the last line is written.
    items: Option<Items>,
    /// Lines read and not yet sent (the first item, read before answering).
    pending: Vec<u8>,
    /// For the log of a failure after the first item.
    name: Arc<str>,
    request_id: String,
}

impl Lines {
    /// Reads the first item, so that a stream failing at once answers the
    /// usual status and error (`Err`), then gives the body that sends it and
    /// the rest.
    pub(crate) async fn open(mut items: Items, name: &str, request_id: &str) -> Result<Self> {
        let mut pending = Vec::with_capacity(256);
        let items = match items.next().await {
            Some(Ok(first)) => {
                pending.extend_from_slice(&first);
                pending.push(b'\n');
                Some(items)
            }
            Some(Err(e)) => return Err(e),
            None => {
                pending.extend_from_slice(END);
                None
            }
        };
        Ok(Self { items, pending, name: name.into(), request_id: request_id.to_owned() })
    }

    /// The last line for `error`; an `INTERNAL` is logged under the request
    /// id, which the line carries.
    fn error_line(&self, error: Error) -> Vec<u8> {
        let error = if error.is_internal() {
            tracing::error!(request_id = %self.request_id, function = %self.name, "{}", error.message());
            error.with_request_id(self.request_id.clone())
        } else {
            error
        };
        let mut line = error.to_envelope().to_string().into_bytes();
        line.push(b'\n');
        line
    }
}

impl Body for Lines {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<std::result::Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        while this.pending.len() < FRAME_BYTES {
            let Some(items) = this.items.as_mut() else { break };
            let polled = AssertUnwindSafe(|| items.poll_next_unpin(cx));
            match std::panic::catch_unwind(polled) {
                Ok(Poll::Pending) => break,
                Ok(Poll::Ready(Some(Ok(line)))) => {
                    this.pending.extend_from_slice(&line);
                    this.pending.push(b'\n');
                }
                Ok(Poll::Ready(Some(Err(e)))) => {
                    this.items = None;
                    let line = this.error_line(e);
                    this.pending.extend_from_slice(&line);
                }
                Ok(Poll::Ready(None)) => {
                    this.items = None;
                    this.pending.extend_from_slice(END);
                }
                Err(panic) => {
                    this.items = None;
                    let message =
                        format!("the stream of `{}` panicked: {}", this.name, panic_message(&*panic));
                    let line = this.error_line(Error::internal(message));
                    this.pending.extend_from_slice(&line);
                }
            }
        }
        if this.pending.is_empty() {
            return if this.items.is_none() { Poll::Ready(None) } else { Poll::Pending };
        }
        let frame = std::mem::take(&mut this.pending);
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(frame)))))
    }

    fn is_end_stream(&self) -> bool {
        self.items.is_none() && self.pending.is_empty()
    }
}
