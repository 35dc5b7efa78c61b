//! Streamed outputs: a function returning `mizan::Result<mizan::Stream<T>>`
//! answers `200` with `content-type: application/x-ndjson`, one line
//! `{"data": item}` per item as it comes, then a last line `{"end": true}`,
//! or `{"error": {…}}` when the stream fails after some items
//! (`docs/protocol.md`, "Streamed outputs").
//!
//! ```
//! use std::time::Duration;
//!
//! /// Counts down from `from` to 0, an item every 10 ms.
//! #[mizan::client(query)]
//! async fn countdown(_req: &mizan::Request, #[garde(range(max = 100))] from: u32)
//!     -> mizan::Result<mizan::Stream<u32>>
//! {
//!     let (tx, stream) = mizan::Stream::channel(1);
//!     tokio::spawn(async move {
//!         for n in (0..=from).rev() {
//!             // `Err` once the client went away: stop producing.
//!             if tx.send(n).await.is_err() {
//!                 return;
//!             }
//!             tokio::time::sleep(Duration::from_millis(10)).await;
//!         }
//!     });
//!     Ok(stream)
//! }
//!
//! let app = mizan::App::new().register(countdown);
//! let manifest = app.manifest().unwrap().to_json();
//! assert_eq!(manifest["functions"][0]["stream"], true);
//! assert_eq!(manifest["functions"][0]["output"]["format"], "uint32");
//! ```
//!
//! The server reads the first item before it answers, so a failure before
//! any item (a refused caller, a bad input, the stream's first item an
//! error) answers the usual status and error body. Items are then read only
//! as fast as the client takes them (the response body is polled by the
//! connection as it writes), and each is serialized through the same
//! NaN-refusing serializer as whole outputs. When the client goes away the
//! response body is dropped, and the handler's stream with it: a
//! [`Sender`] then reports [`Closed`].
//!
//! A stream function is never part of a batch (a batch naming one is
//! refused whole with `400 BAD_REQUEST`), nor a context.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::BoxStream;
use futures_util::{Stream as FuturesStream, StreamExt};
use tokio::sync::mpsc;

use crate::{Error, Result};

/// A streamed output of items `T`: what a `#[mizan::client]` function
/// returns (as `mizan::Result<mizan::Stream<T>>`) to answer NDJSON.
///
/// Build one from any `futures` stream of `mizan::Result<T>`
/// ([`Stream::new`]), from an iterator ([`Stream::iter`]), or as a channel
/// whose [`Sender`] a task feeds ([`Stream::channel`]). An `Err` item ends
/// the stream: it is the last line, `{"error": {…}}` (or, as the very first
/// item, the call's error answer).
pub struct Stream<T> {
    items: BoxStream<'static, Result<T>>,
}

impl<T> Stream<T> {
    /// A stream of what `items` yields, in order; it ends when `items` does,
    /// or at its first `Err`.
    ///
    /// ```
    /// use futures_util::StreamExt;
    ///
    /// let squares = futures_util::stream::iter(1..=3u32).map(|n| Ok(n * n));
    /// let stream: mizan::Stream<u32> = mizan::Stream::new(squares);
    /// # let _ = stream;
    /// ```
    pub fn new<S>(items: S) -> Self
    where
        S: FuturesStream<Item = Result<T>> + Send + 'static,
    {
        Self { items: items.boxed() }
    }

    /// A stream of the items of an iterator, each read when the client is
    /// ready for it (`Stream::iter(0..1_000_000)` holds no list).
    pub fn iter<I>(items: I) -> Self
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: Send + 'static,
        T: Send + 'static,
    {
        Self::new(futures_util::stream::iter(items.into_iter().map(Ok)))
    }

    /// A stream fed through a [`Sender`], with room for `capacity` items
    /// (at least one) not yet taken by the client: past it,
    /// [`Sender::send`] waits, so a producer runs only as fast as its
    /// client reads. The stream ends when every sender is dropped.
    ///
    /// ```
    /// # async fn run() {
    /// let (tx, stream) = mizan::Stream::<String>::channel(8);
    /// tokio::spawn(async move {
    ///     for line in ["a", "b"] {
    ///         if tx.send(line.to_owned()).await.is_err() {
    ///             return; // the client went away
    ///         }
    ///     }
    ///     tx.fail(mizan::Error::unavailable("the log closed")).await;
    /// });
    /// # let _ = stream;
    /// # }
    /// ```
    pub fn channel(capacity: usize) -> (Sender<T>, Self)
    where
        T: Send + 'static,
    {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let items = futures_util::stream::unfold(rx, |mut rx| async move {
            let item = rx.recv().await?;
            Some((item, rx))
        });
        (Sender(tx), Self::new(items))
    }
}

impl<T> FuturesStream for Stream<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.items.poll_next_unpin(cx)
    }
}

impl<T> fmt::Debug for Stream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Stream")
    }
}

/// The feeding end of a [`Stream::channel`]. Cloning it gives another
/// sender into the same stream; the stream ends once all are dropped.
pub struct Sender<T>(mpsc::Sender<Result<T>>);

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").field("closed", &self.is_closed()).finish()
    }
}

impl<T> Sender<T> {
    /// Sends the next item, waiting while the stream's buffer is full.
    /// [`Closed`] once the stream is gone (the client went away, or the
    /// response ended): the producer should stop.
    pub async fn send(&self, item: T) -> std::result::Result<(), Closed> {
        self.0.send(Ok(item)).await.map_err(|_| Closed)
    }

    /// Ends the stream with `error`, its last line `{"error": {…}}` (or,
    /// before any item, the call's error answer). Nothing happens when the
    /// stream is already gone.
    pub async fn fail(self, error: Error) {
        let _ = self.0.send(Err(error)).await;
    }

    /// Whether the stream is gone, so nothing sent would be read.
    pub fn is_closed(&self) -> bool {
        self.0.is_closed()
    }

    /// Resolves once the stream is gone: for a producer waiting on
    /// something else, to stop as soon as the client leaves
    /// (`tokio::select!` on it).
    pub async fn closed(&self) {
        self.0.closed().await;
    }
}

/// The stream a [`Sender`] fed is gone: its client went away, or the
/// response ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed;

impl fmt::Display for Closed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the stream's client is gone")
    }
}

impl std::error::Error for Closed {}
