//! The accept loop: one slot among the open connections before each
//! accept (so past the cap, accepting pauses and new connections wait in
//! the listen backlog), and errors that never end the loop.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::conn::{self, Shared};

/// How long accepting pauses after an error that is not one connection's
/// (out of file descriptors, say): long enough not to spin, short enough
/// that a freed descriptor is used soon.
const ERROR_PAUSE: Duration = Duration::from_millis(50);

/// Accepts until `signal`; returns the connections' tasks (dropping the
/// listener, so new connections are refused from then on).
pub(super) async fn run(
    listener: TcpListener,
    shared: Arc<Shared>,
    slots: Arc<Semaphore>,
    signal: impl Future<Output = ()>,
) -> JoinSet<()> {
    let mut signal = std::pin::pin!(signal);
    let mut conns = JoinSet::new();
    loop {
        let permit = tokio::select! {
            biased;
            () = &mut signal => break,
            permit = slots.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let accepted = tokio::select! {
            biased;
            () = &mut signal => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) if one_connection(&e) => continue,
            Err(e) => {
                tracing::warn!("accepting a connection failed (pausing {ERROR_PAUSE:?}): {e}");
                tokio::select! {
                    biased;
                    () = &mut signal => break,
                    () = tokio::time::sleep(ERROR_PAUSE) => continue,
                }
            }
        };
        while conns.try_join_next().is_some() {}
        conns.spawn(conn::serve(stream, peer, permit, shared.clone()));
    }
    conns
}

/// Errors about the one connection being accepted, not the listener.
fn one_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    )
}
