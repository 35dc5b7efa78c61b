//! `docs/protocol.md` kept true: every table and block it marks
//! `<!-- checked: NAME -->` is read here and compared with what the code
//! does, on real servers, real WebSockets and real Bun workers, and with the
//! TypeScript client's own tables. A change on either side fails a test
//! until the other says the same.
//!
//! Its app, authenticator and channel live in this directory; servers,
//! WebSocket clients and the SSR fixtures come from the test kit
//! (`support`). Needs `npm install` at the repository root (Bun, React,
//! `@mizan/ssr`). Run:
//! `cargo test -p mizan --all-features --test it protocol_doc::`.

#![allow(clippy::unwrap_used)]

mod app;
mod bridge;
pub(crate) mod doc;
mod errors;
#[cfg(feature = "accounts")]
mod health;
mod limits;
mod page;
mod repo;
mod streams;
mod websocket;
