//! [`SsrPool`]: the public handle on the workers, with the page and bundle
//! machinery around them, from its lazy start to its shutdown.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::response::Response;
use serde_json::value::RawValue;

use super::assets::{self, Bundles};
use super::config::Ssr;
use super::dev::DevReload;
use super::dispatch::Dispatcher;
use super::failure::{self, RenderFailure};
use super::head::PageMeta;
use super::job::{Answer, Failure, JobKind, RenderJob};
use super::page::{self, PageParts};
use super::protocol;
use super::rendered::{RenderCalls, RenderEvent, RenderEvents, RenderOptions, Rendered};
use super::resolve::{self, ResolveCache};
use super::stats::SsrStats;
use super::stream;
use super::version::AssetVersion;
use crate::{Error, Result};

/// A pool of Bun workers rendering React components, with the page and
/// bundle machinery around it. Made by the app from its [`Ssr`]
/// configuration; usable directly (tests, other frameworks).
///
/// Nothing starts until the first render (or [`warm_up`](Self::warm_up)).
pub struct SsrPool {
    workers: Arc<Dispatcher>,
    bundles: Bundles,
    /// Dev mode: the dirs' fingerprint the current workers were started with.
    dev_reload: DevReload,
    /// Production: names already resolved (and checked) to their paths.
    resolved: ResolveCache,
    /// The asset version pages carry and visits are checked against.
    version: AssetVersion,
}

impl std::fmt::Debug for SsrPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsrPool")
            .field("config", self.config())
            .field("started", &self.workers.is_started())
            .finish()
    }
}

impl SsrPool {
    /// A pool for `cfg`. Starts nothing: workers start on the first render.
    /// Pages load their bundle from `cfg`'s [`mount_prefix`](Ssr::mount_prefix).
    pub fn new(cfg: Ssr) -> Arc<Self> {
        Arc::new(Self {
            workers: Dispatcher::new(cfg),
            bundles: Bundles::default(),
            dev_reload: DevReload::default(),
            resolved: ResolveCache::default(),
            version: AssetVersion::default(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Ssr {
        &self.workers.cfg
    }

    /// Whether dev mode is on.
    pub fn is_dev(&self) -> bool {
        self.config().is_dev()
    }

    /// Whether the workers have been started.
    pub fn is_started(&self) -> bool {
        self.workers.is_started()
    }

    /// The prefix pages load their bundle under (`{prefix}/assets/`): the
    /// configuration's [`mount_prefix`](Ssr::mount_prefix).
    pub fn mount_prefix(&self) -> &str {
        &self.config().mount_prefix
    }

    /// Starts the workers now and waits until one answers a ping.
    pub async fn warm_up(&self) -> Result<()> {
        self.ping().await.map(|_| ())
    }

    /// Round trip of a ping through the pool (starting it if needed).
    pub async fn ping(&self) -> Result<Duration> {
        let started = Instant::now();
        match self.workers.submit(JobKind::Ping).await {
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
        let props_json = page::props_json(props)?;
        let rendered = self.render_json(name, props_json.into(), RenderOptions::new(), None).await;
        rendered.map(|r| r.html).map_err(|f| f.error)
    }

    /// Renders a component with `options` (its contexts, who answers its
    /// calls) to its HTML and what the worker put beside it (`head`,
    /// `queries`), read whole: a streamed render's chunks come first in
    /// the HTML.
    pub async fn render_with(
        &self,
        name: &str,
        props: &serde_json::Value,
        options: RenderOptions,
    ) -> Result<Rendered> {
        let props_json = page::props_json(props)?;
        self.render_json(name, props_json.into(), options, None).await.map_err(|f| f.error)
    }

    /// [`render_with`](Self::render_with), streamed: the render's chunks
    /// as the worker sends them, then its end. A render that fails after a
    /// chunk was delivered is not retried.
    pub async fn render_events(
        self: &Arc<Self>,
        name: &str,
        props: &serde_json::Value,
        options: RenderOptions,
    ) -> Result<RenderEvents> {
        let props_json: Arc<str> = page::props_json(props)?.into();
        let resolved = self.resolve(name)?;
        self.version_of(&resolved.path).await; // dev mode: restarts the pool on a change
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let (pool, name) = (self.clone(), name.to_owned());
        tokio::spawn(async move {
            let done = pool.render_resolved(&name, &resolved, &props_json, options, Some(tx.clone())).await;
            let _ = tx.send(RenderEvent::Done(done.map_err(|f| f.error)));
        });
        Ok(RenderEvents { rx })
    }

    /// Renders the full page for a component: the HTML in `#mizan-root`,
    /// the props and `contexts` as JSON scripts, and the browser bundle
    /// loaded from `{mount_prefix}/assets/` (the configuration's
    /// [`mount_prefix`](Ssr::mount_prefix)). The worker renders with the
    /// same `contexts` (the generated context hooks read them), embedded
    /// as given: [`global_contexts`](crate::global_contexts) makes them for
    /// a request. The page carries no Content-Security-Policy nonce (its
    /// caller makes the response): [`render_response`](Self::render_response) does.
    pub async fn render_page(
        &self,
        name: &str,
        props: &serde_json::Value,
        contexts: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<String> {
        let props_json = page::props_json(props)?;
        self.page(name, &props_json, contexts, None).await.map_err(|f| f.error)
    }

    /// The asset version: `$MIZAN_ASSET_VERSION` when set, else a hash of
    /// the files the browser bundles are built from (the component dirs'
    /// files by relative path and content, and `@mizan/ssr`'s browser
    /// entry), so every process serving the same build reports the same
    /// one. Pages carry it in `#mizan-page`; a page visit whose
    /// `x-mizan-version` differs is answered `409 STALE_VERSION`. Computed
    /// once (in dev mode, on each call: components change there).
    pub fn asset_version(&self) -> String {
        let hydrate = self.workers.launch().ok().and_then(|l| l.hydrate.clone());
        self.version.get(&self.config().dirs, hydrate.as_deref(), self.is_dev())
    }

    /// [`render_page`](Self::render_page) as a response: the page, or an
    /// error page (dev mode: the component's message, `File.tsx:line:col`
    /// and stack; production: a plain page for the status). Failures are
    /// logged.
    pub async fn render_response(
        self: &Arc<Self>,
        name: &str,
        props: &serde_json::Value,
        contexts: &serde_json::Map<String, serde_json::Value>,
        request_id: Option<&str>,
    ) -> Response {
        match page::props_json(props) {
            Ok(props_json) => {
                let meta = PageMeta::default();
                self.render_response_json(name, &props_json, contexts, request_id, None, &meta).await
            }
            Err(error) => {
                let failure = RenderFailure::plain(error);
                failure.log(name, request_id);
                failure::error_page(&failure, self.is_dev(), request_id, &self.config().page_headers)
            }
        }
    }

    /// [`render_response`](Self::render_response) with the props already
    /// serialized (a JSON object), as the view functions have them, and
    /// `calls` answering the render's calls and `meta` the page's URL and
    /// head. A render that sends its shell
    /// ahead of the rest (something under `<Suspense>` waits for data) is
    /// answered as a streamed page; any other is sent whole.
    pub(crate) async fn render_response_json(
        self: &Arc<Self>,
        name: &str,
        props_json: &str,
        contexts: &serde_json::Map<String, serde_json::Value>,
        request_id: Option<&str>,
        calls: Option<Arc<dyn RenderCalls>>,
        meta: &PageMeta,
    ) -> Response {
        let headers = &self.config().page_headers;
        let nonce = headers.nonce();
        let fail = |failure: RenderFailure| {
            failure.log(name, request_id);
            failure::error_page(&failure, self.is_dev(), request_id, headers)
        };
        let prepared = match self.prepare(name, &meta.layouts, props_json, contexts, nonce.as_deref()).await {
            Ok(prepared) => prepared,
            Err(failure) => return fail(failure),
        };
        let started = stream::start(self, name, prepared.params, calls);
        let bundle = {
            let (pool, launch, path, version, layouts) =
                (self.clone(), prepared.launch, prepared.path, prepared.version, prepared.layouts);
            tokio::spawn(async move {
                pool.bundles.bundle_for(pool.config(), &launch, &path, &layouts, version).await
            })
        };
        let page = stream::PageEnd {
            pool: self.clone(),
            name: name.to_owned(),
            props_json: props_json.to_owned(),
            contexts_json: prepared.contexts_json,
            page_json: page::page_json(name, meta.url.as_deref(), &self.asset_version(), &meta.layouts),
            head: meta.head.clone(),
            nonce,
            request_id: request_id.map(str::to_owned),
            bundle,
        };
        stream::respond(started, page).await
    }

    /// The error page for an error that happened around a render (dev mode
    /// shows its message).
    pub fn error_response(&self, error: Error, request_id: Option<&str>) -> Response {
        failure::error_page(
            &RenderFailure::plain(error),
            self.is_dev(),
            request_id,
            &self.config().page_headers,
        )
    }

    /// The pool's state for a health check, starting nothing:
    /// [`Health::Idle`](crate::Health::Idle) before the first render (or
    /// while the first workers start), [`Health::Up`](crate::Health::Up)
    /// with a live worker, [`Health::Down`](crate::Health::Down) when Bun or
    /// the worker script cannot be found, or no worker is live and one
    /// failed to start.
    pub fn health(&self) -> crate::Health {
        if self.workers.launch().is_err() {
            return crate::Health::Down;
        }
        if !self.is_started() {
            return crate::Health::Idle;
        }
        let stats = self.stats();
        match (stats.live, stats.start_failures) {
            (0, 0) => crate::Health::Idle,
            (0, _) => crate::Health::Down,
            _ => crate::Health::Up,
        }
    }

    /// Counters, and the live workers now.
    pub fn stats(&self) -> SsrStats {
        self.workers.stats()
    }

    /// Process ids of the live workers.
    pub fn worker_pids(&self) -> Vec<u32> {
        self.workers.worker_pids()
    }

    /// Restarts every worker (what dev mode does when a file changes).
    pub fn restart(&self) {
        self.workers.restart();
    }

    /// Stops the pool: workers finish the render they are running, then
    /// their stdin is closed (they exit) or, past a grace period, they are
    /// killed. Later renders fail with `UNAVAILABLE`.
    pub async fn shutdown(&self) {
        self.workers.shutdown().await;
    }

    /// The router serving browser bundles at `/assets/{*file}`; nest it
    /// under the mount prefix.
    pub fn assets_router(self: &Arc<Self>) -> axum::Router {
        assets::assets_router(self.clone())
    }

    async fn render_json(
        &self,
        name: &str,
        props_json: Arc<str>,
        options: RenderOptions,
        events: Option<tokio::sync::mpsc::UnboundedSender<RenderEvent>>,
    ) -> Result<Rendered, RenderFailure> {
        let resolved = self.resolve(name).map_err(RenderFailure::plain)?;
        self.version_of(&resolved.path).await; // dev mode: restarts the pool on a change
        self.render_resolved(name, &resolved, &props_json, options, events).await
    }

    async fn render_resolved(
        &self,
        name: &str,
        resolved: &resolve::Resolved,
        props_json: &str,
        options: RenderOptions,
        events: Option<tokio::sync::mpsc::UnboundedSender<RenderEvent>>,
    ) -> Result<Rendered, RenderFailure> {
        let path = resolved.path.to_string_lossy();
        let contexts_json = if options.contexts.is_empty() {
            None
        } else {
            Some(serde_json::to_string(&options.contexts).map_err(|e| {
                RenderFailure::plain(Error::internal(format!("contexts are not serializable: {e}")))
            })?)
        };
        let params = protocol::render_params(&path, &[], props_json, contexts_json.as_deref(), None);
        self.run_render(name, params, options, events).await
    }

    /// Sends a render's `params` (built once, for every attempt) through the pool.
    pub(super) async fn run_render(
        &self,
        name: &str,
        params: String,
        options: RenderOptions,
        events: Option<tokio::sync::mpsc::UnboundedSender<RenderEvent>>,
    ) -> Result<Rendered, RenderFailure> {
        let job =
            RenderJob { name: name.to_owned(), params: params.into(), calls: options.calls, chunks: events };
        match self.workers.submit(JobKind::Render(Arc::new(job))).await {
            Ok(Answer::Html(rendered)) => Ok(rendered),
            Ok(Answer::Pong) => {
                Err(RenderFailure::plain(Error::internal("the SSR worker answered a render with a pong")))
            }
            Err(Failure::Error(e)) => Err(RenderFailure::plain(e)),
            Err(Failure::Threw { message, stack }) => {
                let dirs = resolve::canonical_dirs(&self.config().dirs);
                Err(RenderFailure::threw(name, message, stack, &dirs))
            }
        }
    }

    async fn page(
        &self,
        name: &str,
        props_json: &str,
        contexts: &serde_json::Map<String, serde_json::Value>,
        nonce: Option<&str>,
    ) -> Result<String, RenderFailure> {
        let prepared = self.prepare(name, &[], props_json, contexts, nonce).await?;
        // The render and the bundle (built on first use) side by side.
        let (rendered, bundle) = tokio::join!(
            self.run_render(name, prepared.params, RenderOptions::new(), None),
            self.bundles.bundle_for(self.config(), &prepared.launch, &prepared.path, &[], prepared.version)
        );
        let rendered = rendered?;
        let bundle = bundle.map_err(RenderFailure::plain)?;
        let script_url = self.script_url(&bundle);
        let page_json = page::page_json(name, None, &self.asset_version(), &[]);
        Ok(page::build_page(
            self.config(),
            &super::head::Head::default(),
            &rendered.html,
            &PageParts {
                props_json,
                contexts_json: &prepared.contexts_json,
                queries_json: rendered.queries.as_deref().map(RawValue::get),
                page_json: &page_json,
                script_url: &script_url,
                nonce,
            },
        ))
    }

    /// A page visit's render: the page rendered whole as the page's request
    /// (`calls` answering its queries), for what it read; the caller
    /// discards the HTML. Also the contexts' JSON as embedded.
    pub(crate) async fn visit_render(
        &self,
        name: &str,
        layouts: &[String],
        props_json: &str,
        contexts: &serde_json::Map<String, serde_json::Value>,
        calls: Option<Arc<dyn RenderCalls>>,
    ) -> Result<Rendered, RenderFailure> {
        let prepared = self.prepare(name, layouts, props_json, contexts, None).await?;
        let mut options = RenderOptions::new();
        options.calls = calls;
        self.run_render(name, prepared.params, options, None).await
    }

    /// What a page's render needs before it is sent: the component and its
    /// `layouts` resolved, the pool started, the render's params, the
    /// contexts' JSON.
    async fn prepare(
        &self,
        name: &str,
        layouts: &[String],
        props_json: &str,
        contexts: &serde_json::Map<String, serde_json::Value>,
        nonce: Option<&str>,
    ) -> Result<Prepared, RenderFailure> {
        let plain = RenderFailure::plain;
        let resolved = self.resolve(name).map_err(plain)?;
        let layouts = layouts
            .iter()
            .map(|layout| Ok((layout.clone(), self.resolve(layout)?.path)))
            .collect::<Result<Vec<_>>>()
            .map_err(plain)?;
        let launch = self.workers.ensure_started().map_err(plain)?;
        let version = self.version_of(&resolved.path).await;
        let contexts_json = serde_json::to_string(contexts)
            .map_err(|e| plain(Error::internal(format!("contexts are not serializable: {e}"))))?;
        // The worker renders with the contexts too (none: the line stays as before).
        let worker_contexts = (!contexts.is_empty()).then_some(contexts_json.as_str());
        let layout_paths: Vec<String> =
            layouts.iter().map(|(_, path)| path.to_string_lossy().into_owned()).collect();
        let params = protocol::render_params(
            &resolved.path.to_string_lossy(),
            &layout_paths,
            props_json,
            worker_contexts,
            nonce,
        );
        Ok(Prepared { params, launch, path: resolved.path, layouts, version, contexts_json })
    }

    /// The URL of a bundle file, under the mount prefix.
    pub(super) fn script_url(&self, bundle: &str) -> String {
        format!("{}/assets/{bundle}", self.mount_prefix().trim_end_matches('/'))
    }

    /// Resolves a name against the dirs (kept in production).
    fn resolve(&self, name: &str) -> Result<resolve::Resolved> {
        self.resolved.resolve(&self.config().dirs, name, self.is_dev())
    }

    /// A bundle file by name (`GET assets/{file}`). One this process has
    /// not built was named by an earlier run of the server (a restart,
    /// another replica): its name carries the component's stem and the
    /// bundle key, so the component is found again in the dirs and, if it
    /// has not changed since, built and served; otherwise `None` (404).
    pub(super) async fn asset(&self, file: &str) -> Option<Bytes> {
        if let Some(bytes) = self.bundles.file(file) {
            return Some(bytes);
        }
        let (stem, key) = assets::parse_bundle_name(file)?;
        // Building a bundle needs Bun, not the workers: nothing starts here.
        let launch = self.workers.launch().ok()?;
        let dirs = self.config().dirs.clone();
        let stem = stem.to_owned();
        let dev = self.is_dev();
        let found = {
            let launch = launch.clone();
            tokio::task::spawn_blocking(move || assets::bundled_component(&dirs, &stem, key, &launch, dev))
        }
        .await
        .ok()??;
        let (resolved, version) = found;
        let built =
            self.bundles.bundle_for(self.config(), &launch, &resolved.path, &[], version).await.ok()?;
        self.bundles.file(&built)
    }

    /// A version for the component: its mtime; in dev mode a fingerprint of
    /// every file in the dirs, and a change restarts the pool.
    async fn version_of(&self, path: &Path) -> u64 {
        if !self.is_dev() {
            return assets::mtime_key(path);
        }
        self.dev_reload.check(&self.config().dirs, || self.workers.restart()).await
    }
}

/// A page's render, ready to send.
struct Prepared {
    params: String,
    launch: Arc<super::locate::Launch>,
    path: std::path::PathBuf,
    /// The layouts around the page, by name and path, outermost first.
    layouts: Vec<(String, std::path::PathBuf)>,
    version: u64,
    contexts_json: String,
}

impl Drop for SsrPool {
    fn drop(&mut self) {
        self.workers.begin_shutdown();
    }
}
