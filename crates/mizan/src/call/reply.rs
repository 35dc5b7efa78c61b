//! What a function's output becomes ([`Reply`]), and what the pipeline
//! answers with ([`Answer`]).

use super::lines::{Items, Lines};

/// An output, serialized: the whole envelope, or a stream of item envelopes.
pub enum Reply {
    /// `{"data": …}`.
    Whole(Vec<u8>),
    /// One `{"data": item}` per item, read as the client takes them.
    Items(Items),
}

/// What a call answers: the whole envelope (`application/json`), or the
/// NDJSON body of a stream whose first item is read.
pub(crate) enum Answer {
    /// `{"data": …}`.
    Whole(Vec<u8>),
    /// The item lines, then the end or error line.
    Stream(Lines),
}
