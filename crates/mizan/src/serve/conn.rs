//! One connection: hyper's HTTP/1.1 or h2c (the auto builder) over the
//! timed socket, and the service every request of it goes through: the peer
//! address and the drain as extensions, the timed body, the 408 for a
//! stalled body, the WebSocket slot for an upgrade.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::task::{Context, Poll, ready};

use axum::extract::ConnectInfo;
use axum::response::IntoResponse;
use axum::routing::future::RouteFuture;
use http::{HeaderValue, Request, Response, StatusCode, Version, header};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::ServeConfig;
use super::body::{Done, Flag, ServeBody, TimedBody};
use super::compress::{Accepted, Compressible};
use super::drain::Draining;
use super::io::TimedIo;
use super::state::ConnState;
use crate::Error;

/// What every connection of a server shares.
pub(super) struct Shared {
    pub(super) app: axum::Router,
    pub(super) compress: Compressible,
    pub(super) config: ServeConfig,
    pub(super) builder: hyper_util::server::conn::auto::Builder<TokioExecutor>,
    pub(super) websockets: Arc<Semaphore>,
    pub(super) draining: Draining,
}

impl Shared {
    pub(super) fn new(
        app: axum::Router,
        config: ServeConfig,
        websockets: Arc<Semaphore>,
        draining: Draining,
    ) -> Self {
        let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
        // mizan's own timers (`io.rs`) replace hyper's header timeout,
        // which closes without an answer and also cuts idle connections.
        builder.http1().timer(TokioTimer::new()).header_read_timeout(None);
        builder.http2().timer(TokioTimer::new());
        let compress = Compressible::new(config.compress_min_bytes);
        Self { app, compress, config, builder, websockets, draining }
    }
}

/// Serves one accepted connection; `permit` is its slot among the open
/// connections, given back when it ends (or is upgraded).
pub(super) async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    permit: OwnedSemaphorePermit,
    shared: Arc<Shared>,
) {
    let _ = stream.set_nodelay(true);
    let state = Arc::new(ConnState::default());
    let config = &shared.config;
    let io = TimedIo::new(stream, state.clone(), config.header_read_timeout, config.keep_alive_timeout);
    let service = ConnService { shared: shared.clone(), peer, state };
    let conn = shared.builder.serve_connection_with_upgrades(TokioIo::new(io), service);
    let mut conn = std::pin::pin!(conn);
    // The drain's watch is polled once (which leaves this task's waker with
    // it) and then only once the drain started: a watch poll on every wake
    // of the connection would cost hundreds of instructions per request.
    let probe = shared.draining.clone();
    let mut draining = shared.draining.clone();
    let mut drain = std::pin::pin!(draining.wait());
    let mut watching = false;
    let served = std::future::poll_fn(|cx| {
        if let Poll::Ready(served) = conn.as_mut().poll(cx) {
            return Poll::Ready(Some(served));
        }
        if !watching || probe.started() {
            watching = true;
            if drain.as_mut().poll(cx).is_ready() {
                return Poll::Ready(None);
            }
        }
        Poll::Pending
    })
    .await;
    let served = match served {
        Some(served) => served,
        None => {
            conn.as_mut().graceful_shutdown();
            conn.await
        }
    };
    if let Err(e) = served {
        tracing::debug!(%peer, "connection ended: {e}");
    }
    drop(permit);
}

/// The per-connection service in front of the app.
#[derive(Clone)]
struct ConnService {
    shared: Arc<Shared>,
    peer: SocketAddr,
    state: Arc<ConnState>,
}

impl hyper::service::Service<Request<Incoming>> for ConnService {
    type Response = Response<ServeBody>;
    type Error = Infallible;
    type Future = Answer;

    fn call(&self, req: Request<Incoming>) -> Answer {
        self.state.begin();
        let done = Done(self.state.clone());
        let (mut parts, incoming) = req.into_parts();
        parts.extensions.insert(ConnectInfo(self.peer));
        // Only an upgrade outlives its request: the WebSocket watches the
        // drain. A WebSocket's upgrade is a GET (HTTP/1) or a CONNECT
        // (HTTP/2), so other requests skip the header lookup.
        let method = &parts.method;
        if (method == http::Method::GET && parts.headers.contains_key(header::UPGRADE))
            || method == http::Method::CONNECT
        {
            parts.extensions.insert(self.shared.draining.clone());
        }
        let accepted = self.shared.compress.accepted(&parts.headers);
        let flag = if parts.version == Version::HTTP_2 {
            Flag::Own(Arc::new(AtomicBool::new(false)))
        } else {
            Flag::Conn(self.state.clone())
        };
        let body = TimedBody::new(incoming, self.shared.config.body_timeout, flag.clone());
        let req = Request::from_parts(parts, axum::body::Body::new(body));
        Answer {
            // A router is always ready: called at once, its future is the answer's.
            inner: tower::Service::call(&mut self.shared.app.clone(), req),
            done: Some(done),
            accepted,
            flag,
            shared: self.shared.clone(),
            state: self.state.clone(),
        }
    }
}

pin_project_lite::pin_project! {
    /// The app's answer to one request, with the server's amendments.
    struct Answer {
        #[pin]
        inner: RouteFuture<Infallible>,
        done: Option<Done>,
        accepted: Option<Accepted>,
        flag: Flag,
        shared: Arc<Shared>,
        state: Arc<ConnState>,
    }
}

impl Future for Answer {
    type Output = Result<Response<ServeBody>, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let Ok(response) = ready!(this.inner.poll(cx));
        let done = this.done.take().expect("an answer polled after it completed");
        if this.flag.take() {
            let error = Error::request_timeout(format!(
                "the request body sent nothing for {} ms",
                this.shared.config.body_timeout.as_millis()
            ));
            let mut own = error.into_response();
            own.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            return Poll::Ready(Ok(own.map(|b| ServeBody::new(b, done))));
        }
        if response.status() == StatusCode::SWITCHING_PROTOCOLS {
            match this.shared.websockets.clone().try_acquire_owned() {
                Ok(permit) => this.state.hold_websocket(permit),
                Err(_) => {
                    let error = Error::unavailable(format!(
                        "the server holds its limit of {} WebSockets",
                        this.shared.config.max_websockets
                    ));
                    return Poll::Ready(Ok(error.into_response().map(|b| ServeBody::new(b, done))));
                }
            }
        }
        let response = match this.accepted.take() {
            Some(accepted) => this.shared.compress.apply(response, accepted),
            None => response,
        };
        Poll::Ready(Ok(response.map(|b| ServeBody::new(b, done))))
    }
}
