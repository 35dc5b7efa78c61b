//! The one call pipeline: **auth → parse → validate → call → envelope**.
//!
//! Every way into application code goes through it: HTTP calls and batch
//! items, global contexts run for a page, the three functions of each form,
//! and channel subscriptions (whose [`Gate`] checks the channel's auth level
//! before its params are read). [`run`] adds the lookup by name, panic
//! isolation and the logging of `INTERNAL` errors under the request id.

mod dispatch;
mod envelope;
mod functions;
mod gate;
mod handler;

pub(crate) use dispatch::run;
pub(crate) use envelope::data;
pub(crate) use functions::Functions;
pub(crate) use gate::Gate;
pub(crate) use handler::{Handler, erase};
