//! Freezing the builder into the [`Runtime`], and the routers built on it.

use std::sync::Arc;

use super::{App, StartupError};
use crate::Manifest;
use crate::runtime::{HttpConfig, Runtime};

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
            let config = match prefix {
                Some(prefix) => config.mount_prefix(prefix),
                None => config,
            };
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
                trusted_origins: Arc::from(self.trusted_origins.clone()),
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
    pub fn mount(&self, prefix: &str, views: axum::Router) -> Result<axum::Router, StartupError> {
        let manifest = self.manifest()?;
        let prefix = prefix.trim_end_matches('/');
        let runtime = self.frozen_at(Some(prefix), Some(&manifest));
        let api = crate::http::router(runtime.clone(), prefix, false);
        // The extension reaches the views only: API handlers get the runtime as state.
        Ok(self.layered(views.layer(axum::Extension(runtime)).merge(api)))
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
