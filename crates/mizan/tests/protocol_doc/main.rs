//! `docs/protocol.md` kept true: every table and block it marks
//! `<!-- checked: NAME -->` is read here and compared with what the code
//! does, on real servers, real WebSockets and real Bun workers, and with the
//! TypeScript client's own tables. A change on either side fails a test
//! until the other says the same.
//!
//! Self-contained: its app, authenticator, channel and helpers live in this
//! directory. Needs `npm install` at the repository root (Bun, React,
//! `@mizan/ssr`). Run: `cargo test -p mizan --test protocol_doc`.

#![allow(clippy::unwrap_used)]

mod app;
mod bridge;
mod doc;
mod errors;
mod limits;
mod page;
mod repo;
mod socket;
mod websocket;
