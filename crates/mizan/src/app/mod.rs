//! The application builder: every registration method of [`App`] lives in
//! this module. Building is pure (nothing starts); freezing the builder
//! (`freeze.rs`) makes the runtime every request sees.

mod extension;
mod freeze;
mod startup;

use std::any::Any;
use std::sync::{Arc, OnceLock};

use crate::auth::Authenticator;
use crate::call::{Functions, Handler, erase};
use crate::channel::{Channel, ChannelLayer, ChannelLimits, Channels};
use crate::forms::{Described, Form};
use crate::function::ServerFn;
use crate::http::{Limits, TrustedProxies};
use crate::limits::{Limiter, RateStore};
use crate::names::check_wire_name;
use crate::runtime::{Runtime, StateMap};
use crate::{Broadcaster, PageHeaders, Ssr};

pub use extension::{Command, Extension};
pub use startup::StartupError;

/// A mizan application: register functions, forms, channels and
/// extensions, then build the router.
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
    functions: Functions,
    forms: Vec<Arc<Described>>,
    pages: crate::pages::Pages,
    channels: Channels,
    authenticator: Option<Arc<dyn Authenticator>>,
    state: StateMap,
    limits: Limits,
    trusted_origins: Vec<String>,
    origin: Option<String>,
    trusted_proxies: Option<TrustedProxies>,
    page_headers: Option<PageHeaders>,
    serve_manifest: Option<bool>,
    dev: bool,
    ssr: Option<Ssr>,
    extensions: Vec<Arc<dyn Extension>>,
    health_path: Option<String>,
    no_health: bool,
    limiter: Arc<Limiter>,
    commands: Vec<Command>,
    errors: Vec<String>,
    frozen: OnceLock<Arc<Runtime>>,
}

impl App {
    /// An empty app.
    pub fn new() -> Self {
        Self::default()
    }

    fn building(&mut self) -> &mut Self {
        assert!(self.frozen.get().is_none(), "mizan::App was changed after its router was built");
        self
    }

    // ---- functions ------------------------------------------------------

    /// Registers a `#[mizan::client]` function under its Rust name.
    pub fn register<F: ServerFn>(self, f: F) -> Self {
        let name = f.info().name;
        self.register_as(name, f)
    }

    /// Registers a function under an explicit name (`[a-z][a-z0-9_]*`,
    /// dot-separated segments allowed: `accounts.login`).
    pub fn register_as<F: ServerFn>(mut self, name: &str, f: F) -> Self {
        self.add(name, erase(name, f));
        self
    }

    fn add(&mut self, name: &str, handler: Arc<dyn Handler>) {
        if let Err(e) = check_wire_name(name) {
            self.errors.push(e);
            return;
        }
        if self.functions.contains(name) {
            self.errors.push(format!("`{name}` is registered twice"));
            return;
        }
        self.building().functions.insert(name, handler);
    }

    // ---- pages ----------------------------------------------------------

    /// Serves the typed page `f` (a `#[mizan::page]` function) at `route`
    /// (`/todos/`, `/users/{id}/`; parameters read with
    /// [`Request::path_param`](crate::Request::path_param)) and lists it in
    /// the manifest's `pages` (name, route, component, auth, props schema).
    /// [`App::mount`] merges its route into the views. The page's auth
    /// level is checked first; a refusal is the HTML error page (with
    /// `x-mizan-error`), or the error object for a visit.
    ///
    /// A malformed route, two pages at one route, or one name twice is a
    /// start-up error (see [`App::check`]).
    pub fn page<F: crate::PageFn>(mut self, route: &str, f: F) -> Self {
        if let Err(e) = self.building().pages.add(route, f) {
            self.errors.push(e);
        }
        self
    }

    // ---- forms ----------------------------------------------------------

    /// Registers form `F`: `F::NAME.schema`, `F::NAME.validate` and
    /// `F::NAME.submit`, and its entry in the manifest's `forms` (see
    /// [`forms`](crate::forms)).
    ///
    /// A name outside `[a-z][a-z0-9_]*`, a form registered twice, or a name
    /// whose functions or generated TypeScript collide with others is a
    /// start-up error (see [`App::check`]).
    pub fn form<F: Form>(mut self) -> Self {
        if !crate::names::is_valid_channel_name(F::NAME) {
            self.errors.push(format!("form `{}`: names must match [a-z][a-z0-9_]* (no dots)", F::NAME));
            return self;
        }
        let (described, handlers) = crate::forms::erase::<F>();
        for (suffix, handler) in handlers {
            self.add(&format!("{}.{suffix}", F::NAME), handler);
        }
        if self.forms.iter().any(|f| f.name == F::NAME) {
            self.errors.push(format!("form `{}` is registered twice", F::NAME));
        } else {
            self.building().forms.push(described);
        }
        self
    }

    // ---- channels -------------------------------------------------------

    /// Registers a channel under its wire name (see [`Channel`]).
    pub fn channel<C: Channel>(mut self, channel: C) -> Self {
        if let Err(e) = self.building().channels.register(channel) {
            self.errors.push(e);
        }
        self
    }

    /// Replaces the WebSocket limits.
    pub fn channel_limits(mut self, limits: ChannelLimits) -> Self {
        self.building().channels.limits = limits;
        self
    }

    /// Chooses where channel groups live (default: [`ChannelLayer::memory`]).
    pub fn channel_layer(mut self, layer: ChannelLayer) -> Self {
        if let Err(e) = self.building().channels.configure(layer) {
            self.errors.push(e);
        }
        self
    }

    /// The broadcast handle, for views and background tasks. Server
    /// functions reach the same handle with
    /// [`Request::channels`](crate::Request::channels).
    pub fn broadcaster(&self) -> Broadcaster {
        self.channels.broadcaster.clone()
    }

    // ---- identity, state, limits, mode ----------------------------------

    /// Sets how identities come from requests.
    pub fn authenticator(mut self, auth: impl Authenticator) -> Self {
        self.building().authenticator = Some(Arc::new(auth));
        self
    }

    /// Adds typed state, read with [`Request::state`](crate::Request::state).
    pub fn state<T: Any + Send + Sync>(mut self, value: T) -> Self {
        self.building().state.insert(value);
        self
    }

    /// Replaces the limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.building().limits = limits;
        self
    }

    /// Chooses where rate-limit counts live (default:
    /// [`RateStore::memory`], one process): functions' `rate`s and the
    /// accounts' login limits. [`RateStore::from_env`] shares them through
    /// Redis when `$REDIS_URL` is set. A store that cannot be made (a
    /// malformed URL) is a start-up error.
    pub fn rate_store(mut self, store: RateStore) -> Self {
        match Limiter::new(store) {
            Ok(limiter) => self.building().limiter = Arc::new(limiter),
            Err(e) => self.errors.push(e),
        }
        self
    }

    /// Origins (`https://app.example.com`) trusted for CSRF, WebSocket
    /// upgrades and CORS, compared by scheme, host and port. Nothing is
    /// trusted by default but the same origin. One that is not an HTTP(S)
    /// origin is a start-up error.
    pub fn trusted_origins<I, S>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut normalized = Vec::new();
        for origin in origins {
            let origin = origin.into();
            match crate::http::normalize_origin(&origin) {
                Some(o) => normalized.push(o),
                None => self.errors.push(format!(
                    "trusted origin `{origin}` is not an origin (scheme://host[:port], such as https://app.example)"
                )),
            }
        }
        self.building().trusted_origins = normalized;
        self
    }

    /// The site's public origin (`https://app.example`), what same-origin
    /// means for CSRF and WebSocket upgrades: a browser's `Origin` must be
    /// exactly it (scheme, host and port), whatever `Host` the request
    /// carries. Without it, `$MIZAN_ORIGIN` is used when set, else the
    /// origin the request was sent to (`http://` and its `Host`, or what a
    /// [trusted proxy](App::trusted_proxies) forwarded). A value that is not
    /// an origin is a start-up error.
    pub fn origin(mut self, origin: impl Into<String>) -> Self {
        self.building().origin = Some(origin.into());
        self
    }

    /// Proxies (`"10.0.0.0/8"`, `"192.168.1.7"`, `"::1"`) whose
    /// `X-Forwarded-For`, `X-Forwarded-Proto` and `X-Forwarded-Host` are
    /// believed: for the client address (the login limits use it, and
    /// [`Request::client_ip`](crate::Request::client_ip)) and the request's
    /// origin. Without it, `$MIZAN_TRUSTED_PROXIES` (comma-separated) is
    /// used when set; else no forwarded header is believed. An entry that
    /// is neither an address nor a CIDR range is a start-up error.
    pub fn trusted_proxies<I, S>(mut self, proxies: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        match TrustedProxies::parse(proxies) {
            Ok(p) => self.building().trusted_proxies = Some(p),
            Err(e) => self.errors.push(e),
        }
        self
    }

    /// The security headers of rendered pages (see [`PageHeaders`]): by
    /// default `nosniff`, `strict-origin-when-cross-origin`, `DENY` and no
    /// Content-Security-Policy.
    pub fn page_headers(mut self, headers: PageHeaders) -> Self {
        if let Some(problem) = headers.problem() {
            self.errors.push(problem);
        }
        self.building().page_headers = Some(headers);
        self
    }

    /// Whether `GET manifest` is served (default: only in dev mode).
    pub fn serve_manifest(mut self, on: bool) -> Self {
        self.building().serve_manifest = Some(on);
        self
    }

    /// Serves the health check at `path` instead of `/healthz` (see
    /// [`App::mount`]). A path that does not start with `/` is a start-up
    /// error.
    pub fn health_path(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        if !path.starts_with('/') {
            self.errors.push(format!("health path `{path}` must start with `/`"));
        }
        self.building().health_path = Some(path);
        self
    }

    /// Serves no health check (for an app whose views answer `/healthz`
    /// themselves).
    pub fn without_health(mut self) -> Self {
        self.building().no_health = true;
        self
    }

    /// The health check's path, unless it is off.
    pub(crate) fn health_route(&self) -> Option<&str> {
        if self.no_health { None } else { Some(self.health_path.as_deref().unwrap_or(crate::health::PATH)) }
    }

    /// Dev mode: more detail in error pages, the manifest served.
    /// [`cli`](crate::cli) turns it on for `MIZAN_ENV=dev`.
    pub fn dev(mut self, on: bool) -> Self {
        self.building().dev = on;
        self
    }

    /// Server-side rendering through a pool of Bun workers. Dev mode
    /// ([`App::dev`], or `MIZAN_ENV=dev` through [`cli`](crate::cli)) turns
    /// on the SSR dev mode unless [`Ssr::dev`](crate::Ssr::dev) says otherwise.
    pub fn ssr(mut self, config: Ssr) -> Self {
        self.building().ssr = Some(config);
        self
    }

    // ---- extensions -----------------------------------------------------

    /// Plugs in an [`Extension`]: it registers what it serves now, and its
    /// layer, start-up hook and commands join the app's.
    pub fn extend(self, extension: impl Extension) -> Self {
        let extension: Arc<dyn Extension> = Arc::new(extension);
        let mut app = extension.register(self);
        for command in extension.commands() {
            if extension::BUILT_IN.contains(&command.name()) {
                app.errors
                    .push(format!("an extension's command `{}` shadows a built-in one", command.name()));
            } else if app.commands.iter().any(|c| c.name() == command.name()) {
                app.errors.push(format!("the command `{}` is added twice", command.name()));
            } else {
                app.commands.push(command);
            }
        }
        app.building().extensions.push(extension);
        app
    }

    /// The command named `name` that an extension added.
    pub(crate) fn command(&self, name: &str) -> Option<&Command> {
        self.commands.iter().find(|c| c.name() == name)
    }

    /// The commands extensions added, in order.
    pub(crate) fn commands(&self) -> &[Command] {
        &self.commands
    }

    /// The extensions, in registration order.
    pub(crate) fn ssr_config(&self) -> Option<&Ssr> {
        self.ssr.as_ref()
    }

    pub(crate) fn pages(&self) -> &crate::pages::Pages {
        &self.pages
    }

    pub(crate) fn extensions(&self) -> &[Arc<dyn Extension>] {
        &self.extensions
    }
}
