//! What a render gives back and what it may ask for: [`Rendered`] (the
//! HTML and what the worker put beside it), [`RenderEvent`] (a streamed
//! render's chunks, then its end), [`RenderCalls`] (the host's answers to
//! the calls a render makes) and [`RenderOptions`].

use std::fmt;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use serde_json::value::RawValue;
use tokio::sync::mpsc;

use crate::Result;

/// A render's result: its HTML, and what else the worker put beside it,
/// kept as the raw JSON the worker sent.
#[derive(Debug, Default, Clone)]
#[non_exhaustive]
pub struct Rendered {
    /// The HTML React rendered (for a render read whole, a streamed
    /// render's chunks and then the rest).
    pub html: String,
    /// The `head` the render reported (title and meta), if any.
    pub head: Option<Box<RawValue>>,
    /// The `queries` the render reported (what it read), if any.
    pub queries: Option<Box<RawValue>>,
}

/// Runs the functions a render asks the host for (the bridge's `call`
/// frames): given the function's wire name and its arguments (a JSON
/// object), the envelope `GET call/{name}` would answer (`{"data": …}` or
/// `{"error": {…}}`). Runs under the render's deadline: past it the render
/// gets a `TIMEOUT` envelope instead.
pub trait RenderCalls: Send + Sync + 'static {
    /// The envelope for calling `name` with `args`.
    fn call(&self, name: &str, args: &RawValue) -> BoxFuture<'static, Box<RawValue>>;
}

/// How to render, beyond the component and its props.
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct RenderOptions {
    /// The page's global contexts (`#mizan-contexts`), handed to the page's
    /// `MizanRoot` for the render.
    pub contexts: serde_json::Map<String, serde_json::Value>,
    /// Answers the render's calls; without it every call answers an
    /// `UNAVAILABLE` envelope.
    pub calls: Option<Arc<dyn RenderCalls>>,
}

impl fmt::Debug for RenderOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RenderOptions")
            .field("contexts", &self.contexts)
            .field("calls", &self.calls.as_ref().map(|_| "…"))
            .finish()
    }
}

impl RenderOptions {
    /// No contexts, no calls.
    pub fn new() -> Self {
        Self::default()
    }

    /// Renders with these global contexts.
    pub fn contexts(mut self, contexts: serde_json::Map<String, serde_json::Value>) -> Self {
        self.contexts = contexts;
        self
    }

    /// Answers the render's calls with `calls`.
    pub fn calls(mut self, calls: Arc<dyn RenderCalls>) -> Self {
        self.calls = Some(calls);
        self
    }
}

/// What a streamed render sends, in order: its chunks as the worker sends
/// them, then one `Done`.
#[derive(Debug)]
pub enum RenderEvent {
    /// Part of the page's HTML, ahead of the rest.
    Chunk(String),
    /// The end: the rest of the HTML (and what the worker put beside it),
    /// or why the render failed. A render that fails after a chunk was
    /// delivered is never retried.
    Done(Result<Rendered>),
}

/// The events of one streamed render ([`SsrPool::render_events`](super::SsrPool::render_events)).
#[derive(Debug)]
pub struct RenderEvents {
    pub(crate) rx: mpsc::UnboundedReceiver<RenderEvent>,
}

impl RenderEvents {
    /// The next event; `None` after `Done`.
    pub async fn next(&mut self) -> Option<RenderEvent> {
        self.rx.recv().await
    }
}
