//! The one call pipeline: **auth → parse → validate → call → envelope**.
//!
//! Every way into application code goes through it: HTTP calls and batch
//! items, global contexts run for a page, the three functions of each form,
//! and channel subscriptions (whose [`Gate`] checks the channel's auth level
//! before its params are read). [`run`] adds the lookup by name, panic
//! isolation and the logging of `INTERNAL` errors under the request id;
//! [`open`] does the same for a call that may stream its output (HTTP
//! calls), whose answer is then the NDJSON body of [`Lines`].

mod check;
mod dispatch;
mod envelope;
mod functions;
mod gate;
mod handler;
mod lines;
mod reply;

pub(crate) use check::calls as output_checks;
pub(crate) use dispatch::{open, open_upload, run, streamed};
pub(crate) use envelope::data;
pub(crate) use functions::Functions;
pub(crate) use gate::Gate;
pub(crate) use handler::{Handler, erase};
pub(crate) use lines::Items;
pub(crate) use reply::{Answer, Reply};
