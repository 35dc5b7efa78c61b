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

/// What the server logs while `f` runs on this thread (the test's runtime
/// is single-threaded, so the server's tasks log here too).
pub(crate) async fn logged<F: std::future::Future>(f: F) -> (F::Output, String) {
    #[derive(Clone, Default)]
    struct Buffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt().with_ansi(false).with_writer(move || writer.clone()).finish();
    let guard = tracing::subscriber::set_default(subscriber);
    let out = f.await;
    drop(guard);
    let text = String::from_utf8_lossy(&buffer.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned();
    (out, text)
}
