//! What a client may send: the HTTP face's limits.

/// Limits on what a client may send. All have defaults; all are configurable
/// with [`App::limits`](crate::App::limits).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body in bytes (default 1 MiB).
    pub body_bytes: usize,
    /// Most items in one batch (default 50).
    pub batch_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { body_bytes: 1024 * 1024, batch_len: 50 }
    }
}
