//! The cookie session [`App::accounts`](crate::App::accounts) layers the app
//! with: tower-sessions, cookie `mizan_session`, HttpOnly, SameSite=Lax,
//! Secure unless turned off, expiring after two weeks without use, records
//! in the accounts database unless another store is chosen.

use std::sync::Arc;

use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration;
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
        router.layer(
            SessionManagerLayer::new(store.clone())
                .with_name(COOKIE)
                .with_http_only(true)
                .with_same_site(SameSite::Lax)
                .with_secure(secure)
                .with_expiry(Expiry::OnInactivity(Duration::weeks(2))),
        )
    })
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
