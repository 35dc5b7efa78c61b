//! The application builder: functions, identity, state, limits; and the
//! frozen, shared form every request sees.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::auth::Authenticator;
use crate::function::ServerFn;
use crate::handler::{Handler, erase};
use crate::names::{TsNames, check_wire_name};

/// Limits on what a client may send. All have defaults; all are configurable.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body in bytes (default 1 MiB).
    pub body_bytes: usize,
    /// Most items in one batch (default 50).
    pub batch_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { body_bytes: 1024 * 1024, batch_len: 50 }
    }
}

/// Typed application state, looked up by type.
#[derive(Clone, Default)]
pub(crate) struct StateMap(HashMap<TypeId, Arc<dyn Any + Send + Sync>>);

impl StateMap {
    pub(crate) fn get<T: Any>(&self) -> Option<&T> {
        self.0.get(&TypeId::of::<T>()).and_then(|v| (&**v as &dyn Any).downcast_ref())
    }
}

/// Everything a request needs, frozen once the app is built.
#[derive(Clone, Default)]
pub(crate) struct Shared {
    pub(crate) fns: HashMap<String, Arc<dyn Handler>>,
    /// Registration order, for the manifest.
    pub(crate) order: Vec<String>,
    pub(crate) authenticator: Option<Arc<dyn Authenticator>>,
    pub(crate) state: StateMap,
    pub(crate) limits: Limits,
    pub(crate) trusted_origins: Vec<String>,
    pub(crate) serve_manifest: Option<bool>,
    pub(crate) dev: bool,
    /// The SSR configuration, turned into a pool when the app is frozen.
    pub(crate) ssr_config: Option<crate::ssr::Ssr>,
    /// The SSR pool (lazy: no worker starts before the first render).
    pub(crate) ssr: Option<Arc<crate::ssr::SsrPool>>,
    /// Channels, their limits and the broadcast hub (`crate::channel`).
    pub(crate) channels: crate::channel::Channels,
    /// Forms in registration order, for the manifest (`crate::forms`).
    pub(crate) forms: Vec<Arc<crate::forms::Described>>,
}

/// A mizan application: register functions, then build the router.
///
/// ```
/// use mizan::{App, Request};
///
/// #[derive(serde::Serialize, schemars::JsonSchema)]
/// struct Output { message: String }
///
/// /// Echo text back.
/// #[mizan::client]
/// async fn echo(_req: &Request, text: String) -> mizan::Result<Output> {
///     Ok(Output { message: text })
/// }
///
/// let app = App::new().register(echo);
/// let router: axum::Router = axum::Router::new().nest("/api/mizan", app.router());
/// # let _ = router;
/// ```
#[derive(Default)]
pub struct App {
    shared: Shared,
    ts_names: TsNames,
    errors: Vec<String>,
    frozen: OnceLock<Arc<Shared>>,
}

/// Registration problems found while building an [`App`]: duplicate names,
/// invalid names, TypeScript collisions, schema name clashes.
#[derive(Debug, Clone)]
pub struct StartupError(pub Vec<String>);

impl std::fmt::Display for StartupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the mizan app is misconfigured:")?;
        for e in &self.0 {
            write!(f, "\n  - {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for StartupError {}

impl App {
    /// An empty app.
    pub fn new() -> Self {
        Self::default()
    }

    /// For `crate::channel`, which adds `App::channel` and friends.
    pub(crate) fn channels_mut(&mut self) -> (&mut crate::channel::Channels, &mut Vec<String>) {
        self.building();
        (&mut self.shared.channels, &mut self.errors)
    }

    pub(crate) fn channels_ref(&self) -> &crate::channel::Channels {
        &self.shared.channels
    }

    fn building(&mut self) -> &mut Shared {
        assert!(self.frozen.get().is_none(), "mizan::App was changed after its router was built");
        &mut self.shared
    }

    /// Registers a `#[mizan::client]` function under its Rust name.
    pub fn register<F: ServerFn>(self, f: F) -> Self {
        let name = f.info().name;
        self.register_as(name, f)
    }

    /// Registers a function under an explicit name.
    pub fn register_as<F: ServerFn>(mut self, name: &str, f: F) -> Self {
        self.add(name, erase(f));
        self
    }

    /// For `crate::forms`: a registration problem.
    pub(crate) fn push_error(&mut self, error: String) {
        self.errors.push(error);
    }

    /// For `crate::forms`: records a form for the manifest, once per name.
    pub(crate) fn add_form(&mut self, form: Arc<crate::forms::Described>) {
        if self.shared.forms.iter().any(|f| f.name == form.name) {
            self.errors.push(format!("form `{}` is registered twice", form.name));
            return;
        }
        self.building().forms.push(form);
    }

    pub(crate) fn add(&mut self, name: &str, handler: Arc<dyn Handler>) {
        if let Err(e) = check_wire_name(name) {
            self.errors.push(e);
            return;
        }
        if self.shared.fns.contains_key(name) {
            self.errors.push(format!("`{name}` is registered twice"));
            return;
        }
        if let Err(e) = self.ts_names.claim(name) {
            self.errors.push(e);
            return;
        }
        let shared = self.building();
        shared.order.push(name.to_owned());
        shared.fns.insert(name.to_owned(), handler);
    }

    /// Sets how identities come from requests.
    pub fn authenticator(mut self, auth: impl Authenticator) -> Self {
        self.building().authenticator = Some(Arc::new(auth));
        self
    }

    /// Adds typed state, read with [`Request::state`](crate::Request::state).
    pub fn state<T: Any + Send + Sync>(mut self, value: T) -> Self {
        self.building().state.0.insert(TypeId::of::<T>(), Arc::new(value));
        self
    }

    /// Replaces the limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.building().limits = limits;
        self
    }

    /// Origins (`https://app.example.com`) trusted for CSRF, WebSocket
    /// upgrades and CORS. Nothing is trusted by default but the same origin.
    pub fn trusted_origins<I, S>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.building().trusted_origins =
            origins.into_iter().map(|o| o.into().trim_end_matches('/').to_owned()).collect();
        self
    }

    /// Whether `GET manifest` is served (default: only in dev mode).
    pub fn serve_manifest(mut self, on: bool) -> Self {
        self.building().serve_manifest = Some(on);
        self
    }

    /// Dev mode: more detail in error pages, the manifest served.
    pub fn dev(mut self, on: bool) -> Self {
        self.building().dev = on;
        self
    }

    /// Server-side rendering through a pool of Bun workers. Dev mode
    /// ([`App::dev`], or `MIZAN_ENV=dev` through [`cli`](crate::cli)) turns
    /// on the SSR dev mode unless [`Ssr::dev`](crate::Ssr::dev) says otherwise.
    pub fn ssr(mut self, config: crate::ssr::Ssr) -> Self {
        self.building().ssr_config = Some(config);
        self
    }

    /// Problems found while registering, if any.
    pub fn check(&self) -> Result<(), StartupError> {
        self.manifest().map(drop)
    }

    /// The manifest JSON (version 1), once every registration check passes.
    /// Builds no services.
    pub fn manifest(&self) -> Result<serde_json::Value, StartupError> {
        let mut errors = self.errors.clone();
        errors.extend(crate::contexts::startup_errors(&self.shared));
        let manifest = match crate::manifest::build(&self.shared) {
            Err(e) => {
                errors.extend(e.0);
                None
            }
            // Names the generated TypeScript could not hold (a type named like
            // a hook, two types colliding after case conversion) are refused
            // here, at start-up, not later at `generate`. Schemas codegen
            // cannot map (an unbounded u64, say) stay the generator's refusal,
            // for backends that serve no TypeScript.
            Ok(manifest) => {
                if let Err(mizan_codegen::CodegenError::Name(e)) = mizan_codegen::generate(&manifest) {
                    errors.push(e);
                }
                Some(manifest)
            }
        };
        match manifest {
            Some(m) if errors.is_empty() => Ok(m),
            _ => Err(StartupError(errors)),
        }
    }

    pub(crate) fn shared(&self) -> Arc<Shared> {
        self.frozen_at(None)
    }

    /// Freezes the app (once); its SSR pool is made then, its pages loading
    /// bundles under `prefix` when given (else the [`Ssr`](crate::Ssr)'s own).
    fn frozen_at(&self, prefix: Option<&str>) -> Arc<Shared> {
        self.frozen
            .get_or_init(|| {
                let mut shared = self.shared.clone();
                if let Some(config) = shared.ssr_config.clone() {
                    let config = if config.dev.is_none() && shared.dev { config.dev(true) } else { config };
                    let config = match prefix {
                        Some(prefix) => config.mount_prefix(prefix),
                        None => config,
                    };
                    shared.ssr = Some(crate::ssr::SsrPool::new(config));
                }
                Arc::new(shared)
            })
            .clone()
    }

    /// The API router, to nest under a prefix such as `/api/mizan`.
    ///
    /// # Panics
    /// When registration found problems (see [`App::check`]); use
    /// [`App::try_router`] to handle them.
    pub fn router(&self) -> axum::Router {
        match self.try_router() {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        }
    }

    /// The API router, or the registration problems.
    pub fn try_router(&self) -> Result<axum::Router, StartupError> {
        self.check()?;
        Ok(self.outer_layers(crate::http::router(self.shared(), "")))
    }

    /// Nests the API router under `prefix` in `views` and lets the views
    /// extract [`Request`](crate::Request).
    pub fn mount(&self, prefix: &str, views: axum::Router) -> Result<axum::Router, StartupError> {
        self.check()?;
        let prefix = prefix.trim_end_matches('/');
        let api = crate::http::router(self.frozen_at(Some(prefix)), prefix);
        // The extension reaches the views only: API handlers get the app as state.
        Ok(self.outer_layers(views.layer(axum::Extension(self.shared())).merge(api)))
    }
}

impl App {
    /// Layers that wrap the API and the views alike (the accounts' session).
    fn outer_layers(&self, router: axum::Router) -> axum::Router {
        #[cfg(feature = "accounts")]
        let router = match self.shared.state.get::<crate::accounts::Accounts>() {
            Some(accounts) => accounts.layer_sessions(router),
            None => router,
        };
        router
    }

    /// Stops the app's background services (the SSR pool, channel layers).
    /// Called by [`cli`](crate::cli) after a graceful shutdown.
    pub async fn shutdown(&self) {
        if let Some(pool) = self.frozen.get().and_then(|s| s.ssr.clone()) {
            pool.shutdown().await;
        }
        self.shared.channels.shutdown();
        tracing::debug!("mizan app stopped");
    }
}
