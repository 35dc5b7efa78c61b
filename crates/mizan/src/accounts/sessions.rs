//! The cookie session the accounts extension ([`App::extend`](crate::App::extend)) layers the app
//! with: tower-sessions, cookie `mizan_session`, HttpOnly, SameSite=Lax,
//! Secure unless turned off, expiring after two weeks without use, records
//! in the accounts database unless another store is chosen.

use std::sync::Arc;

use std::convert::Infallible;
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration;

use futures_util::future::Either;
use tower::util::Oneshot;
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};

use super::Accounts;

/// The session cookie's name.
pub const COOKIE: &str = "mizan_session";

type Layering = Arc<dyn Fn(axum::Router, bool) -> axum::Router + Send + Sync>;

/// How the accounts' sessions are kept.
#[derive(Clone)]
pub(crate) struct SessionConfig {
    store: Store,
    secure: bool,
}

/// Where session records live.
#[derive(Clone)]
enum Store {
    /// `mizan_sessions` in the accounts database.
    Database,
    /// The application's store.
    Custom(Layering),
    /// The application layers its own session manager.
    None,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self { store: Store::Database, secure: true }
    }
}

fn layering<S: SessionStore + Clone>(store: S) -> Layering {
    Arc::new(move |router: axum::Router, secure: bool| {
        router.layer(WhereNeeded {
            sessions: SessionManagerLayer::new(store.clone())
                .with_name(COOKIE)
                .with_http_only(true)
                .with_same_site(SameSite::Lax)
                .with_secure(secure)
                .with_expiry(Expiry::OnInactivity(Duration::weeks(2))),
        })
    })
}

/// Sends a request through the session layer only when it can have or
/// start a session: it carries a cookie, or it calls an `accounts.*`
/// function or a batch (which may hold `accounts.login`). A request with no
/// cookie at all has no session to load; skipping the layer for it keeps
/// cookie-less API traffic (bearer tokens, public calls) at full speed
/// (bench/http: hello's echo went from 0.72 of bare axum with the layer on every request).
/// It wraps each route (axum's `Router::layer`), so the choice costs no
/// second router.
///
/// An app function of its own that logs in through
/// [`Accounts::login`](super::Accounts::login) is served with a session when
/// the browser sends any cookie (pages set the CSRF cookie); called with no
/// cookie at all it answers `INTERNAL` ("no session layer").
#[derive(Clone)]
struct WhereNeeded<St: SessionStore + Clone> {
    sessions: SessionManagerLayer<St>,
}

impl<S: Clone, St: SessionStore + Clone> tower::Layer<S> for WhereNeeded<St> {
    type Service = Switch<S, St>;

    fn layer(&self, inner: S) -> Self::Service {
        Switch { sessions: Arc::new(self.sessions.clone()), inner }
    }
}

/// A route, put behind the session manager only for the requests that need
/// it: the others are served by the route directly, with nothing cloned.
#[derive(Clone)]
struct Switch<S, St: SessionStore + Clone> {
    /// Shared: axum clones the route, and so this, for every request.
    sessions: Arc<SessionManagerLayer<St>>,
    inner: S,
}

fn needs_session(req: &axum::extract::Request) -> bool {
    if req.headers().contains_key(axum::http::header::COOKIE) {
        return true;
    }
    // The last segment names the call (`call/accounts.login`) or the batch;
    // one reverse byte search, not a substring search of the whole path.
    let path = req.uri().path().as_bytes();
    let last = path.iter().rposition(|&b| b == b'/').map_or(path, |slash| &path[slash + 1..]);
    last == b"batch" || last.starts_with(b"accounts.")
}

type Res = axum::response::Response;
type Managed<S, St> = <SessionManagerLayer<St> as tower::Layer<S>>::Service;

impl<S, St> tower::Service<axum::extract::Request> for Switch<S, St>
where
    S: tower::Service<axum::extract::Request, Response = Res, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
    St: SessionStore + Clone,
    Managed<S, St>: tower::Service<axum::extract::Request, Response = Res, Error = Infallible>,
{
    type Response = Res;
    type Error = Infallible;
    type Future = Either<Oneshot<Managed<S, St>, axum::extract::Request>, S::Future>;

    fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> {
        // axum's routes are always ready (axum clones this service for
        // every request it calls).
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: axum::extract::Request) -> Self::Future {
        if needs_session(&req) {
            let managed = tower::Layer::layer(&*self.sessions, self.inner.clone());
            Either::Left(tower::ServiceExt::oneshot(managed, req))
        } else {
            Either::Right(self.inner.call(req))
        }
    }
}

impl Accounts {
    /// Keeps sessions in `store` (any tower-sessions store: Redis, a
    /// cache in front of the database) instead of the accounts database.
    pub fn session_store<S: SessionStore + Clone>(mut self, store: S) -> Self {
        Arc::make_mut(&mut self.inner).sessions.store = Store::Custom(layering(store));
        self
    }

    /// Leaves the session layer to the application (it layers the router
    /// with its own `tower_sessions::SessionManagerLayer`).
    pub fn without_session_layer(mut self) -> Self {
        Arc::make_mut(&mut self.inner).sessions.store = Store::None;
        self
    }

    /// Whether the session cookie is `Secure` (sent over HTTPS only; the
    /// default). Turn it off only for plain-HTTP development servers.
    pub fn secure_cookies(mut self, secure: bool) -> Self {
        Arc::make_mut(&mut self.inner).sessions.secure = secure;
        self
    }

    /// Layers `router` with the accounts' session manager, if configured.
    pub(crate) fn layer_sessions(&self, router: axum::Router) -> axum::Router {
        let config = &self.inner.sessions;
        match &config.store {
            Store::Database => layering(self.session_records())(router, config.secure),
            Store::Custom(layer) => layer(router, config.secure),
            Store::None => router,
        }
    }
}
