//! Server-side rendering through a pool of persistent Bun workers.
//!
//! A view calls [`render`] with a component name and its props; the name is
//! resolved against the configured dirs ([`Ssr::dirs`]), a worker imports
//! the component and renders it with React's `renderToString`, and the
//! result becomes a full page that hydrates in the browser with the same
//! component and props.
//!
//! ```no_run
//! use axum::response::Response;
//! use serde_json::json;
//!
//! async fn hello(req: mizan::Request) -> Response {
//!     mizan::render(&req, "components/Hello.tsx", json!({ "name": "World" })).await
//! }
//! ```
//!
//! The worker speaks newline-delimited JSON over its stdin/stdout (see
//! `docs/protocol.md`, "SSR bridge"); it ships in the `@mizan/ssr` npm package.
//! Workers that crash, hang past the deadline or write to stdout outside the
//! protocol are replaced; renders queued behind them are retried once on
//! another worker; the render that was running fails with a clear error.

// `crate::Error` is 128 bytes; boxing it is the error module's call, not ours.
#![allow(clippy::result_large_err)]

mod assets;
mod config;
mod locate;
mod page;
mod pool;
mod protocol;
mod resolve;
mod stderr;
mod worker;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub use config::Ssr;

use page::{PageParts, RenderFailure, Thrown};
use worker::{Answer, Failure, JobKind};

use crate::{Error, Request, Result};

/// A pool of Bun workers rendering React components, with the page and
/// bundle machinery around it. Made by the app from its [`Ssr`]
/// configuration; usable directly (tests, other frameworks).
///
/// Nothing starts until the first render (or [`warm_up`](Self::warm_up)).
pub struct SsrPool {
    core: Arc<pool::Core>,
    bundles: assets::Bundles,
    /// Dev mode: the dirs' fingerprint the current workers were started with.
    dev_seen: Mutex<Option<u64>>,
    /// Production: names already resolved (and checked) to their paths.
    resolved: Mutex<HashMap<String, resolve::Resolved>>,
    mount_prefix: Mutex<String>,
}

/// Counters over a pool's life.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SsrStats {
    /// Workers started (that answered their first ping).
    pub started: u64,
    /// Workers that exited or closed stdout unasked.
    pub crashed: u64,
    /// Workers killed because a render passed the deadline.
    pub timed_out: u64,
    /// Workers replaced for writing outside the protocol.
    pub protocol_errors: u64,
    /// Workers replaced after serving their quota of renders.
    pub recycled: u64,
    /// Workers retired by a dev-mode restart or shutdown.
    pub retired: u64,
    /// Workers that failed to start.
    pub start_failures: u64,
    /// Renders answered by a worker (with HTML or the component's error).
    pub renders: u64,
    /// Renders sent again after the worker they were queued on died.
    pub retries: u64,
    /// Live workers now.
    pub live: usize,
    /// Jobs in flight (running or queued) now.
    pub in_flight: usize,
}

impl std::fmt::Debug for SsrPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsrPool")
            .field("config", &self.core.cfg)
            .field("started", &self.core.is_started())
            .finish()
    }
}

impl SsrPool {
    /// A pool for `cfg`. Starts nothing: workers start on the first render.
    pub fn new(cfg: Ssr) -> Arc<Self> {
        let prefix = cfg.mount_prefix.clone();
        Arc::new(Self {
            core: pool::Core::new(cfg),
            bundles: assets::Bundles::default(),
            dev_seen: Mutex::new(None),
            resolved: Mutex::new(HashMap::new()),
            mount_prefix: Mutex::new(prefix),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Ssr {
        &self.core.cfg
    }

    /// Whether dev mode is on.
    pub fn is_dev(&self) -> bool {
        self.core.cfg.is_dev()
    }

    /// Whether the workers have been started.
    pub fn is_started(&self) -> bool {
        self.core.is_started()
    }

    /// Sets the prefix the app is mounted under (pages load their bundle
    /// from `{prefix}/assets/`).
    pub fn set_mount_prefix(&self, prefix: &str) {
        *self.mount_prefix.lock().unwrap_or_else(|e| e.into_inner()) = prefix.to_owned();
    }

    /// The prefix pages load their bundle under.
    pub fn mount_prefix(&self) -> String {
        self.mount_prefix.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Starts the workers now and waits until one answers a ping.
    pub async fn warm_up(&self) -> Result<()> {
        self.ping().await.map(|_| ())
    }

    /// Round trip of a ping through the pool (starting it if needed).
    pub async fn ping(&self) -> Result<Duration> {
        let started = Instant::now();
        match self.core.submit(|| JobKind::Ping).await {
            Ok(Answer::Pong) => Ok(started.elapsed()),
            Ok(Answer::Html(_)) => Err(Error::internal("the SSR worker answered a ping with HTML")),
            Err(Failure::Error(e)) => Err(e),
            Err(Failure::Threw { message, .. }) => {
                Err(Error::internal(format!("the SSR worker failed a ping: {message}")))
            }
        }
    }

    /// Renders a component to its HTML alone (no page, no bundle).
    pub async fn render_html(&self, name: &str, props: &serde_json::Value) -> Result<String> {
        self.render_component(name, props).await.map_err(|f| f.error)
    }

    /// Renders the full page for a component: the HTML in `#mizan-root`,
    /// the props and `contexts` as JSON scripts, and the browser bundle
    /// loaded from `{mount_prefix}/assets/`. The worker renders with the
    /// same `contexts` (the generated context hooks read them), embedded
    /// as given: [`global_contexts`](crate::global_contexts) makes them for
    /// a request.
    pub async fn render_page(
        &self,
        name: &str,
        props: &serde_json::Value,
        contexts: &serde_json::Map<String, serde_json::Value>,
        mount_prefix: &str,
    ) -> Result<String> {
        self.page(name, props, contexts, mount_prefix).await.map_err(|f| f.error)
    }

    /// [`render_page`](Self::render_page) as a response: the page, or an
    /// error page (dev mode: the component's message, `File.tsx:line:col`
    /// and stack; production: a plain page for the status). Failures are
    /// logged.
    pub async fn render_response(
        &self,
        name: &str,
        props: &serde_json::Value,
        contexts: &serde_json::Map<String, serde_json::Value>,
        mount_prefix: &str,
        request_id: Option<&str>,
    ) -> Response {
        match self.page(name, props, contexts, mount_prefix).await {
            Ok(page) => html_ok(page),
            Err(failure) => {
                log_failure(name, &failure, request_id);
                page::error_page(&failure, self.is_dev(), request_id)
            }
        }
    }

    /// The error page for an error that happened around a render (dev mode
    /// shows its message).
    pub fn error_response(&self, error: Error, request_id: Option<&str>) -> Response {
        page::error_page(&RenderFailure { error, thrown: None }, self.is_dev(), request_id)
    }

    /// Counters, and the live workers now.
    pub fn stats(&self) -> SsrStats {
        let c = &self.core.counters;
        let load = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed);
        SsrStats {
            started: load(&c.started),
            crashed: load(&c.crashed),
            timed_out: load(&c.timed_out),
            protocol_errors: load(&c.protocol_errors),
            recycled: load(&c.recycled),
            retired: load(&c.retired),
            start_failures: load(&c.start_failures),
            renders: load(&c.renders),
            retries: load(&c.retries),
            live: self.core.worker_pids().len(),
            in_flight: self.core.in_flight(),
        }
    }

    /// Process ids of the live workers.
    pub fn worker_pids(&self) -> Vec<u32> {
        self.core.worker_pids()
    }

    /// Restarts every worker (what dev mode does when a file changes).
    pub fn restart(&self) {
        self.core.restart();
    }

    /// Stops the pool: workers finish the render they are running, then
    /// their stdin is closed (they exit) or, past a grace period, they are
    /// killed. Later renders fail with `UNAVAILABLE`.
    pub async fn shutdown(&self) {
        self.core.shutdown().await;
    }

    /// The router serving browser bundles at `/assets/{*file}`; nest it
    /// under the mount prefix.
    pub fn assets_router(self: &Arc<Self>) -> axum::Router {
        assets_router(self.clone())
    }

    async fn render_component(&self, name: &str, props: &serde_json::Value) -> Result<String, RenderFailure> {
        let resolved = self.resolve(name).map_err(plain)?;
        self.version_of(&resolved.path).await; // dev mode: restarts the pool on a change
        let props_json: Arc<str> = props_json(props).map_err(plain)?.into();
        self.render_resolved(name, &resolved, &props_json, None).await
    }

    async fn render_resolved(
        &self,
        name: &str,
        resolved: &resolve::Resolved,
        props_json: &Arc<str>,
        contexts_json: Option<&Arc<str>>,
    ) -> Result<String, RenderFailure> {
        let path = resolved.path.to_string_lossy().into_owned();
        let answer = self
            .core
            .submit(|| JobKind::Render {
                name: name.to_owned(),
                path: path.clone(),
                props_json: props_json.clone(),
                contexts_json: contexts_json.cloned(),
            })
            .await;
        match answer {
            Ok(Answer::Html(html)) => Ok(html),
            Ok(Answer::Pong) => Err(plain(Error::internal("the SSR worker answered a render with a pong"))),
            Err(Failure::Error(e)) => Err(plain(e)),
            Err(Failure::Threw { message, stack }) => {
                let dirs = resolve::canonical_dirs(&self.core.cfg.dirs);
                let location = page::locate(&stack, &dirs);
                let at = location.as_deref().map(|l| format!(" at {l}")).unwrap_or_default();
                Err(RenderFailure {
                    error: Error::internal(format!("{name} threw: {message}{at}")),
                    thrown: Some(Thrown { component: name.to_owned(), message, location, stack }),
                })
            }
        }
    }

    async fn page(
        &self,
        name: &str,
        props: &serde_json::Value,
        contexts: &serde_json::Map<String, serde_json::Value>,
        mount_prefix: &str,
    ) -> Result<String, RenderFailure> {
        let resolved = self.resolve(name).map_err(plain)?;
        let launch = self.core.ensure_started().map_err(plain)?;
        let version = self.version_of(&resolved.path).await;
        let props_json: Arc<str> = props_json(props).map_err(plain)?.into();
        let contexts_json: Arc<str> = serde_json::to_string(contexts)
            .map_err(|e| plain(Error::internal(format!("contexts are not serializable: {e}"))))?
            .into();
        // The worker renders with the contexts too (none: the line stays as before).
        let worker_contexts = (!contexts.is_empty()).then_some(&contexts_json);
        // The render and the bundle (built on first use) side by side.
        let (html, bundle) = tokio::join!(
            self.render_resolved(name, &resolved, &props_json, worker_contexts),
            self.bundles.bundle_for(&self.core.cfg, &launch, &resolved.path, version)
        );
        let html = html?;
        let bundle = bundle.map_err(plain)?;
        let script_url = format!("{}/assets/{bundle}", mount_prefix.trim_end_matches('/'));
        Ok(page::build_page(
            &self.core.cfg,
            &PageParts {
                html: &html,
                props_json: &props_json,
                contexts_json: &contexts_json,
                script_url: &script_url,
            },
        ))
    }

    /// Resolves a name against the dirs; in production the answer is kept
    /// (the canonical path it gives was checked once and stays inside).
    fn resolve(&self, name: &str) -> Result<resolve::Resolved> {
        if self.is_dev() {
            return resolve::resolve(&self.core.cfg.dirs, name);
        }
        if let Some(found) = self.resolved.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
            return Ok(found.clone());
        }
        let found = resolve::resolve(&self.core.cfg.dirs, name)?;
        let mut cache = self.resolved.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() < 10_000 {
            cache.insert(name.to_owned(), found.clone());
        }
        Ok(found)
    }

    /// A bundle a page asks for that this process has not built: the page
    /// was served by an earlier run of the server (a restart, another
    /// replica). Its name carries the component's stem and the bundle key,
    /// so the component is found again in the dirs and, if it has not
    /// changed since, built and served; otherwise `None` (404).
    async fn rebuild_bundle(&self, file: &str) -> Option<axum::body::Bytes> {
        let (stem, key) = assets::parse_bundle_name(file)?;
        let launch = self.core.ensure_started().ok()?;
        let dirs = self.core.cfg.dirs.clone();
        let stem = stem.to_owned();
        let dev = self.is_dev();
        let found = tokio::task::spawn_blocking(move || {
            let version = dev.then(|| fingerprint(&dirs));
            assets::components_named(&dirs, &stem).into_iter().find_map(|name| {
                let resolved = resolve::resolve(&dirs, &name).ok()?;
                let version = version.unwrap_or_else(|| assets::mtime_key(&resolved.path));
                (assets::bundle_key(&resolved.path, version, &launch) == key).then_some((resolved, version))
            })
        })
        .await
        .ok()??;
        let (resolved, version) = found;
        let launch = self.core.ensure_started().ok()?;
        let built = self.bundles.bundle_for(&self.core.cfg, &launch, &resolved.path, version).await.ok()?;
        self.bundles.file(&built)
    }

    /// A version for the component: its mtime; in dev mode a fingerprint of
    /// every file in the dirs, and a change restarts the pool.
    async fn version_of(&self, path: &Path) -> u64 {
        if !self.is_dev() {
            return assets::mtime_key(path);
        }
        let dirs = self.core.cfg.dirs.clone();
        let fingerprint = tokio::task::spawn_blocking(move || fingerprint(&dirs)).await.unwrap_or(0);
        let mut seen = self.dev_seen.lock().unwrap_or_else(|e| e.into_inner());
        match *seen {
            Some(old) if old != fingerprint => {
                tracing::info!(target: "mizan::ssr", "component files changed; restarting the SSR workers");
                *seen = Some(fingerprint);
                drop(seen);
                self.core.restart();
            }
            Some(_) => {}
            None => *seen = Some(fingerprint),
        }
        fingerprint
    }
}

impl Drop for SsrPool {
    fn drop(&mut self) {
        self.core.begin_shutdown();
    }
}

/// Props as JSON: an object (null means `{}`).
fn props_json(props: &serde_json::Value) -> Result<String> {
    match props {
        serde_json::Value::Null => Ok("{}".to_owned()),
        serde_json::Value::Object(_) => serde_json::to_string(props)
            .map_err(|e| Error::internal(format!("props are not serializable: {e}"))),
        other => Err(Error::internal(format!(
            "props must be a JSON object (React props), not {}",
            match other {
                serde_json::Value::Array(_) => "an array",
                serde_json::Value::String(_) => "a string",
                serde_json::Value::Number(_) => "a number",
                _ => "a boolean",
            }
        ))),
    }
}

/// Paths, sizes and mtimes of every file under the dirs (skipping
/// `node_modules` and dot directories), hashed.
fn fingerprint(dirs: &[PathBuf]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    let mut stack: Vec<PathBuf> = dirs.to_vec();
    let mut count = 0usize;
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                if name != "node_modules" && !name.to_string_lossy().starts_with('.') {
                    stack.push(entry.path());
                }
                continue;
            }
            count += 1;
            if count > 20_000 {
                break;
            }
            entry.path().hash(&mut h);
            meta.len().hash(&mut h);
            assets::mtime_key(&entry.path()).hash(&mut h);
        }
    }
    h.finish()
}

fn plain(error: Error) -> RenderFailure {
    RenderFailure { error, thrown: None }
}

fn html_ok(page: String) -> Response {
    let mut res = page.into_response();
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

fn log_failure(name: &str, failure: &RenderFailure, request_id: Option<&str>) {
    let e = &failure.error;
    match &failure.thrown {
        Some(t) => tracing::error!(
            target: "mizan::ssr",
            component = name,
            request_id,
            location = t.location.as_deref(),
            "rendering {name} failed: {}\n{}",
            t.message,
            t.stack
        ),
        None => tracing::error!(
            target: "mizan::ssr",
            component = name,
            request_id,
            code = e.code(),
            "rendering {name} failed: {}",
            e.message()
        ),
    }
}

/// The router serving browser bundles at `/assets/{*file}`; the app nests
/// it under its mount prefix.
pub(crate) fn assets_router(pool: Arc<SsrPool>) -> axum::Router {
    async fn asset(State(pool): State<Arc<SsrPool>>, UrlPath(file): UrlPath<String>) -> Response {
        let bytes = match pool.bundles.file(&file) {
            Some(bytes) => Some(bytes),
            None => pool.rebuild_bundle(&file).await,
        };
        assets::serve(bytes, pool.is_dev())
    }
    axum::Router::new().route("/assets/{*file}", axum::routing::get(asset)).with_state(pool)
}

/// The pool an app configured with [`Ssr`], found through the request.
fn pool_of(req: &Request) -> Option<Arc<SsrPool>> {
    req.ssr_pool().cloned()
}

/// Renders `name` (resolved against the [`Ssr`] dirs) with `props` into a
/// full page that hydrates in the browser.
///
/// Every global context function (`#[mizan::client(context = "global")]`)
/// runs first, in-process with this request's identity; their results are
/// embedded in `#mizan-contexts` (see [`global_contexts`](crate::global_contexts))
/// and the component renders with them, so the generated hooks
/// (`useCurrentUser()`) have their value on the first render, on the server
/// and in the browser. A failing context is embedded as its error and
/// never fails the page.
///
/// Always answers: the page (200), or an HTML error page: 500 when the
/// component throws (dev mode shows the message and `File.tsx:line:col`),
/// 504 `TIMEOUT` past the render deadline, 503 `UNAVAILABLE` when the pool
/// is down, Bun is missing or the app has no [`Ssr`] configured. The error
/// code is also in the `x-mizan-error` header.
pub async fn render(req: &Request, name: &str, props: impl Serialize) -> Response {
    render_with_contexts(req, name, props, &serde_json::Map::new()).await
}

/// [`render`] with some context values given by the view: each is embedded
/// as `{"data": value}` under its name (in `<script type="application/json"
/// id="mizan-contexts">`), and a global context given here is not run (a
/// view that already loaded the user passes it instead of a second lookup).
/// The other global contexts run as in [`render`].
pub async fn render_with_contexts(
    req: &Request,
    name: &str,
    props: impl Serialize,
    contexts: &serde_json::Map<String, serde_json::Value>,
) -> Response {
    let Some(pool) = pool_of(req) else {
        let error = Error::unavailable(
            "server-side rendering is not configured: add .ssr(Ssr::new().dirs([...])) to the App",
        );
        tracing::error!(target: "mizan::ssr", component = name, "{}", error.message());
        let dev = req.is_dev();
        return page::error_page(&RenderFailure { error, thrown: None }, dev, Some(req.request_id()));
    };
    let props = match serde_json::to_value(props) {
        Ok(v) => v,
        Err(e) => {
            return pool.error_response(
                Error::internal(format!("props are not serializable: {e}")),
                Some(req.request_id()),
            );
        }
    };
    let contexts = crate::contexts::page_contexts(req, contexts).await;
    let prefix = pool.mount_prefix();
    let mut response = pool.render_response(name, &props, &contexts, &prefix, Some(req.request_id())).await;
    // The page is where a browser first meets the app: hand it the CSRF
    // double-submit token the client runtime echoes in `x-mizan-csrf`.
    if let Some(cookie) = crate::http::csrf_cookie_header(req.headers()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}
