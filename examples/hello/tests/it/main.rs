//! The example's integration tests, one binary: the `hello` binary run as
//! a user would, one module per subject, and the test kit they share
//! (`support`). Run: `cargo test -p hello --test it`.

mod support;

mod upload;

mod accounts;
mod chat;
mod cli;
mod contract;
mod drain;
mod health;
mod lists;
mod logins;
mod openapi;
mod origin;
mod pages;
