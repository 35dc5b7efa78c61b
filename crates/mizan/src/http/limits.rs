//! What a client may send: the HTTP face's limits.

/// Limits on what a client may send. All have defaults; all are configurable
/// with [`App::limits`](crate::App::limits).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body in bytes (default 1 MiB).
    pub body_bytes: usize,
    /// Most items in one batch (default 50).
    pub batch_len: usize,
    /// Longest request target under the mount prefix, path and query
    /// together, in bytes as sent (default 8 KiB; at most
    /// [`Limits::MAX_URI_BYTES`], checked at start-up).
    pub uri_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { body_bytes: 1024 * 1024, batch_len: 50, uri_bytes: 8 * 1024 }
    }
}

impl Limits {
    /// The largest [`Limits::uri_bytes`]: the longest request target (in
    /// bytes) hyper 1.x's HTTP/1 server reads, 65,534. hyper refuses a
    /// longer one itself, before any service sees it, with a `414` whose
    /// body is empty; below it, past `uri_bytes`, mizan answers its own
    /// `414 URI_TOO_LONG` error object.
    pub const MAX_URI_BYTES: usize = u16::MAX as usize - 1;

    /// The start-up problem with these limits, if any.
    pub(crate) fn problem(&self) -> Option<String> {
        (self.uri_bytes > Self::MAX_URI_BYTES).then(|| {
            format!(
                "Limits::uri_bytes is {}, above the {} bytes the HTTP server (hyper) reads in a \
                 request line: it would refuse longer requests itself, with an empty 414; set \
                 uri_bytes to at most Limits::MAX_URI_BYTES",
                self.uri_bytes,
                Self::MAX_URI_BYTES
            )
        })
    }
}
