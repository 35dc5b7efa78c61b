//! mizan-codegen's integration tests, one binary: one module per subject,
//! and the test kit they share (`support`: paths and the kitchen-sink
//! fixture). Run: `cargo test -p mizan-codegen --test it`.

mod support;

mod channels;
mod contexts;
mod errors;
mod files;
mod fixture;
mod forms;
mod generics;
mod pages;
mod parity;
mod query_options;
mod react_free;
mod refusals;
mod tsc;
mod typed;
