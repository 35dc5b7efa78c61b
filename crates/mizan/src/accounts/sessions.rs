//! The cookie session [`App::accounts`](crate::App::accounts) layers the app
//! with: tower-sessions, cookie `mizan_session`, HttpOnly, SameSite=Lax,
//! Secure unless turned off, expiring after two weeks without use.

use std::sync::Arc;

use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration;
use tower_sessions::{Expiry, MemoryStore, SessionManagerLayer, SessionStore};

use super::Accounts;

/// The session cookie's name.
pub const COOKIE: &str = "mizan_session";

type Layering = Arc<dyn Fn(axum::Router, bool) -> axum::Router + Send + Sync>;

/// How the accounts' sessions are kept.
#[derive(Clone)]
pub(crate) struct SessionConfig {
    /// Layers a router with the session manager; `None`: the application
    /// layers its own.
    layering: Option<Layering>,
    secure: bool,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self { layering: Some(layering(MemoryStore::default())), secure: true }
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
    /// Keeps sessions in `store` (any tower-sessions store: Redis, SQL)
    /// instead of the default in-process `MemoryStore`, which forgets every
    /// login on restart and is not shared between processes.
    pub fn session_store<S: SessionStore + Clone>(mut self, store: S) -> Self {
        Arc::make_mut(&mut self.inner).sessions.layering = Some(layering(store));
        self
    }

    /// Leaves the session layer to the application (it layers the router
    /// with its own `tower_sessions::SessionManagerLayer`).
    pub fn without_session_layer(mut self) -> Self {
        Arc::make_mut(&mut self.inner).sessions.layering = None;
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
        match &config.layering {
            Some(layer) => layer(router, config.secure),
            None => router,
        }
    }
}
