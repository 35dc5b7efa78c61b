//! The running app: what every request sees once the builder is frozen.
//!
//! [`App`](crate::App) collects registrations; freezing it (on the first
//! `router`, `mount` or detached request) makes one `Runtime`, shared
//! behind an `Arc`. The runtime is split per concern, and each part of the
//! framework is handed only its own part: the socket endpoint gets
//! [`Channels`], the asset routes get the SSR pool, and application code
//! reaches the rest through [`Request`](crate::Request). Modules under
//! `channel/`, `forms/`, `ssr/` and `accounts/` never name this type (a
//! test enforces it).

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;

use crate::auth::Authenticator;
use crate::call::Functions;
use crate::channel::Channels;
use crate::http::Limits;
use crate::ssr::SsrPool;

/// The frozen app.
pub(crate) struct Runtime {
    /// Every registered function, for the call pipeline.
    pub(crate) functions: Functions,
    /// How identities come from requests.
    pub(crate) authenticator: Option<Arc<dyn Authenticator>>,
    /// Typed application state.
    pub(crate) state: StateMap,
    /// The HTTP face's settings.
    pub(crate) http: HttpConfig,
    /// Channels, their limits and the broadcast hub.
    pub(crate) channels: Arc<Channels>,
    /// Rate limits' counts (functions' rates, login limits).
    pub(crate) limiter: Arc<crate::limits::Limiter>,
    /// The SSR pool (lazy: no worker starts before the first render).
    pub(crate) ssr: Option<Arc<SsrPool>>,
}

/// What the HTTP layer needs beyond the functions.
pub(crate) struct HttpConfig {
    pub(crate) limits: Limits,
    /// The site's own origin and the trusted ones, for CSRF, WebSocket
    /// upgrades and CORS; the proxies whose forwarded headers are believed.
    pub(crate) origins: crate::http::Origins,
    /// Dev mode (more detail in error pages, the manifest served).
    pub(crate) dev: bool,
    /// The manifest JSON, when `GET manifest` is served.
    pub(crate) manifest: Option<axum::body::Bytes>,
}

/// Typed application state, looked up by type.
#[derive(Clone, Default)]
pub(crate) struct StateMap(HashMap<TypeId, Arc<dyn Any + Send + Sync>>);

impl StateMap {
    pub(crate) fn get<T: Any>(&self) -> Option<&T> {
        self.0.get(&TypeId::of::<T>()).and_then(|v| (&**v as &dyn Any).downcast_ref())
    }

    pub(crate) fn insert<T: Any + Send + Sync>(&mut self, value: T) {
        self.0.insert(TypeId::of::<T>(), Arc::new(value));
    }
}
