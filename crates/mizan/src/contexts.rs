//! Global contexts: functions marked `#[mizan::client(context = "global")]`
//! run in-process for every page [`render`](crate::render) serves, with that
//! request's identity, and their results travel in the page for hydration.
//!
//! The page's `<script type="application/json" id="mizan-contexts">` holds one
//! entry per global context, keyed by its wire name, and each entry is
//! exactly what `POST call/{name}` with `{}` would have answered for that
//! request: `{"data": …}` on success, `{"error": {"code", "message", …}}` on
//! failure. A failing context (an auth level the visitor lacks, a handler
//! error, a panic, a context past the render deadline) never breaks the
//! page: its error is embedded and the generated hook starts in that error
//! state. `INTERNAL` errors carry only their request id, as on the wire.
//!
//! Global contexts take no arguments (or only arguments with defaults): the
//! app refuses to start when `{}` is not an accepted input for one.

use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::call::Functions;
use crate::{Error, Request};

/// How long a global context may run when the app has no SSR deadline.
const DEFAULT_DEADLINE: Duration = Duration::from_secs(5);

/// Runs every global context of the app for `req`, concurrently, and
/// returns their results keyed by wire name, each as its wire envelope
/// (`{"data": …}` or `{"error": …}`).
///
/// [`render`](crate::render) calls this for every page; call it yourself to
/// build a page with [`SsrPool::render_page`](crate::SsrPool::render_page).
/// Each context runs at most the SSR render deadline (5 s without SSR); one
/// past it is embedded as a `TIMEOUT` error.
pub async fn global_contexts(req: &Request) -> Map<String, Value> {
    page_contexts(req, &Map::new()).await
}

/// The global contexts for a page, except those `given` (each given value
/// is embedded as `{"data": value}`; a given name need not be a global
/// context).
pub(crate) async fn page_contexts(req: &Request, given: &Map<String, Value>) -> Map<String, Value> {
    let deadline = req.ssr_pool().map_or(DEFAULT_DEADLINE, |pool| pool.config().deadline);
    let names: Vec<&str> = req
        .functions()
        .global_contexts()
        .map(|(name, _)| name)
        .filter(|name| !given.contains_key(*name))
        .collect();
    let results = futures_util::future::join_all(names.iter().map(|name| run_one(req, name, deadline))).await;
    let mut out = Map::with_capacity(names.len() + given.len());
    for (name, envelope) in names.into_iter().zip(results) {
        out.insert(name.to_owned(), envelope);
    }
    for (name, value) in given {
        out.insert(name.clone(), json!({ "data": value }));
    }
    out
}

/// One context's envelope: through the same pipeline as an HTTP call (auth,
/// validation, panic isolation, `INTERNAL` logged under the request id).
async fn run_one(req: &Request, name: &str, deadline: Duration) -> Value {
    let outcome = tokio::time::timeout(deadline, crate::call::run(req, name, "{}")).await;
    let error = match outcome {
        Ok(Ok(bytes)) => match serde_json::from_slice::<Value>(&bytes) {
            Ok(envelope) => return envelope,
            Err(e) => Error::internal(format!("global context `{name}` wrote unreadable JSON: {e}"))
                .with_request_id(req.request_id()),
        },
        Ok(Err(error)) => error,
        Err(_) => Error::timeout(format!("global context `{name}` did not answer within {deadline:?}")),
    };
    if !error.is_internal() {
        tracing::debug!(target: "mizan::contexts", context = name, code = error.code(), "{}", error.message());
    }
    error.to_envelope()
}

/// Start-up problems: a global context must accept `{}` as its input, and
/// no context streams its output (a page or a provider holds one value).
pub(crate) fn startup_errors(functions: &Functions) -> Vec<String> {
    let streams = functions.iter().filter(|(_, h)| h.info().context.is_some() && h.streams()).map(|(name, _)| {
        format!(
            "context `{name}` returns a `mizan::Stream`: a context is one value (for a page or a provider); \
             return the value, or drop `context`"
        )
    });
    let mut errors: Vec<String> = streams.collect();
    errors.extend(functions.global_contexts().filter_map(|(name, handler)| {
        let refused = handler.accepts_no_args().err()?;
        let at: Vec<String> = refused
            .fields()
            .iter()
            .map(|(path, messages)| match path.as_str() {
                "" => messages.join(", "),
                path => format!("`{path}`: {}", messages.join(", ")),
            })
            .collect();
        let why = if at.is_empty() { refused.message().to_owned() } else { at.join("; ") };
        Some(format!(
            "global context `{name}` runs for every page without arguments, but `{{}}` is refused ({why}); \
                 give its arguments defaults (#[serde(default)] or Option) or make it `context = \"local\"`"
        ))
    }));
    errors
}
