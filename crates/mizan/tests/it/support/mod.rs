//! The test kit: real servers on free loopback ports, the test
//! authenticator, WebSocket clients, the chat app of the channel tests,
//! Redis servers for the Redis layer and the SSR helpers.

use std::path::{Path, PathBuf};

mod auth;
pub(crate) mod chat;
#[cfg(feature = "redis")]
pub(crate) mod redis;
pub(crate) mod server;
pub(crate) mod ssr;
pub(crate) mod ws;

pub(crate) use auth::TestAuth;
pub(crate) use server::{Served, serve, serve_with, serve_with_peers};

/// The repository's root directory.
pub(crate) fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}
