//! Freezing the builder into the [`Runtime`], and the routers built on it.

use std::sync::Arc;

use super::{App, StartupError};
use crate::Manifest;
use crate::http::TrustedProxies;
use crate::runtime::{HttpConfig, Runtime};

/// The environment variable giving the public origin when the app sets none.
const ORIGIN_ENV: &str = "MIZAN_ORIGIN";

impl App {
    /// The runtime, made once from the builder.
    pub(crate) fn runtime(&self) -> Arc<Runtime> {
        self.frozen_at(None, None)
    }

    /// Freezes the app (once). Its SSR pool is made then, its pages loading
    /// bundles under `prefix` when given (else the [`Ssr`](crate::Ssr)'s
    /// own): [`App::mount`] gives its prefix, and the manifest its check
    /// already built.
    fn frozen_at(&self, prefix: Option<&str>, manifest: Option<&Manifest>) -> Arc<Runtime> {
        self.frozen.get_or_init(|| Arc::new(self.freeze(prefix, manifest))).clone()
    }

    fn freeze(&self, prefix: Option<&str>, manifest: Option<&Manifest>) -> Runtime {
        let ssr = self.ssr.clone().map(|config| {
            let config = if config.dev.is_none() && self.dev { config.dev(true) } else { config };
            let mut config = match prefix {
                Some(prefix) => config.mount_prefix(prefix),
                None => config,
            };
            if let Some(headers) = &self.page_headers {
                config.page_headers = headers.clone();
            }
            crate::ssr::SsrPool::new(config)
        });
        let manifest = if self.serve_manifest.unwrap_or(self.dev) {
            // Served as built at start-up, serialized once.
            let built = match manifest {
                Some(m) => Some(m.to_json()),
                None => self.manifest().ok().map(|m| m.to_json()),
            };
            built.and_then(|m| serde_json::to_vec(&m).ok()).map(axum::body::Bytes::from)
        } else {
            None
        };
        Runtime {
            functions: self.functions.clone(),
            authenticator: self.authenticator.clone(),
            state: self.state.clone(),
            http: HttpConfig {
                limits: self.limits.clone(),
                origins: crate::http::Origins {
                    public: self.public_origin().ok().flatten(),
                    trusted: Arc::from(self.trusted_origins.clone()),
                    proxies: self.proxies().unwrap_or_default(),
                },
                dev: self.dev,
                manifest,
            },
            channels: Arc::new(self.channels.clone()),
            limiter: self.limiter.clone(),
            ssr,
        }
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
        let manifest = self.manifest()?;
        Ok(self.layered(crate::http::router(self.frozen_at(None, Some(&manifest)), "", true)))
    }

    /// Nests the API router under `prefix` in `views` and lets the views
    /// extract [`Request`](crate::Request).
    ///
    /// Also serves the health check, `GET /healthz` (see
    /// [`App::health_path`], [`App::without_health`]): public, outside the
    /// extensions' layers, answering `200 {"ssr": …, "db": …, "redis": …}`
    /// with each service `up`, `down`, `idle` (the SSR pool before its
    /// first render: the check never starts it) or `none` (not used), and
    /// 503 when one is down. Views may not serve the same path (axum
    /// panics on the overlap).
    pub fn mount(&self, prefix: &str, views: axum::Router) -> Result<axum::Router, StartupError> {
        let manifest = self.manifest()?;
        let prefix = prefix.trim_end_matches('/');
        let runtime = self.frozen_at(Some(prefix), Some(&manifest));
        let api = crate::http::router(runtime.clone(), prefix, false);
        // The extension reaches the views only: API handlers get the runtime as state.
        let views = self.pages().router().merge(views);
        let router = self.layered(views.layer(axum::Extension(runtime.clone())).merge(api));
        Ok(match self.health_route() {
            Some(path) => {
                router.merge(crate::health::Checks::new(runtime, self.extensions.clone()).router(path))
            }
            None => router,
        })
    }

    /// The public origin, normalized: [`App::origin`], else `$MIZAN_ORIGIN`
    /// (when set and not empty), else none. A value that is not an origin
    /// is the error.
    pub(super) fn public_origin(&self) -> Result<Option<String>, String> {
        let (value, from) = match &self.origin {
            Some(o) => (o.clone(), "App::origin"),
            None => match std::env::var(ORIGIN_ENV) {
                Ok(v) if !v.trim().is_empty() => (v.trim().to_owned(), "$MIZAN_ORIGIN"),
                _ => return Ok(None),
            },
        };
        crate::http::normalize_origin(&value).map(Some).ok_or_else(|| {
            format!("{from} `{value}` is not an origin (scheme://host[:port], such as https://app.example)")
        })
    }

    /// The trusted proxies: [`App::trusted_proxies`], else
    /// `$MIZAN_TRUSTED_PROXIES`, else none.
    pub(super) fn proxies(&self) -> Result<TrustedProxies, String> {
        if let Some(p) = &self.trusted_proxies {
            return Ok(p.clone());
        }
        match std::env::var(crate::http::PROXIES_ENV) {
            Ok(list) => {
                TrustedProxies::parse_list(&list).map_err(|e| format!("${}: {e}", crate::http::PROXIES_ENV))
            }
            Err(_) => Ok(TrustedProxies::default()),
        }
    }

    /// The extensions' layers around the API and the views alike, in
    /// registration order (the first registered is innermost).
    fn layered(&self, router: axum::Router) -> axum::Router {
        self.extensions.iter().fold(router, |router, ext| ext.layer(router))
    }

    /// Stops the app's background services (the SSR pool, channel layers).
    /// Called by [`cli`](crate::cli) after a graceful shutdown.
    pub async fn shutdown(&self) {
        if let Some(pool) = self.frozen.get().and_then(|rt| rt.ssr.clone()) {
            pool.shutdown().await;
        }
        self.channels.shutdown();
        tracing::debug!("mizan app stopped");
    }
}
