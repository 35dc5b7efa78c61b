//! `ServeConfig`: the timeouts, caps and compression of [`serve`](super::serve).

use std::time::Duration;

/// How [`serve`](crate::serve) treats connections. Every field has a
/// default (`ServeConfig::default()`); `docs/protocol.md`, "HTTP serving",
/// lists them.
///
/// ```
/// use std::time::Duration;
/// let config = mizan::ServeConfig { max_connections: 4096, ..mizan::ServeConfig::default() };
/// assert_eq!(config.header_read_timeout, Duration::from_secs(30));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeConfig {
    /// From a request's first byte to the end of its headers. Past it the
    /// client gets `408 REQUEST_TIMEOUT` and the connection is closed.
    pub header_read_timeout: Duration,
    /// How long a kept-alive connection may sit with no request before it
    /// is closed (silently: there is no request to answer).
    pub keep_alive_timeout: Duration,
    /// The longest silence between two pieces of a request body: a slow
    /// upload that keeps sending is never cut, a stalled one gets
    /// `408 REQUEST_TIMEOUT` (the handler's body read fails) and is closed.
    pub body_timeout: Duration,
    /// Open HTTP connections at most. Past it the server stops accepting
    /// until one closes: new connections wait in the listen backlog.
    pub max_connections: usize,
    /// WebSockets at most, counted apart from `max_connections` (an
    /// upgraded connection leaves the HTTP count). An upgrade past it is
    /// answered `503 UNAVAILABLE`.
    pub max_websockets: usize,
    /// After the shutdown signal: how long requests in flight and closing
    /// WebSockets have to finish before the rest are cut.
    pub drain_timeout: Duration,
    /// Responses of at least this many bytes (or of unknown length, such as
    /// streams) are compressed with brotli or gzip when the request's
    /// `Accept-Encoding` allows it; `None` turns compression off.
    pub compress_min_bytes: Option<u64>,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(30),
            keep_alive_timeout: Duration::from_secs(60),
            body_timeout: Duration::from_secs(30),
            max_connections: 1024,
            max_websockets: 10_000,
            drain_timeout: Duration::from_secs(10),
            compress_min_bytes: Some(1024),
        }
    }
}

impl ServeConfig {
    /// The caps as semaphore sizes: at least one, at most what a semaphore
    /// (and `acquire_many`) can count.
    pub(super) fn caps(&self) -> (u32, u32) {
        let cap = |n: usize| n.clamp(1, u32::MAX as usize) as u32;
        (cap(self.max_connections), cap(self.max_websockets))
    }
}
