//! `GET /healthz`: whether the services the app uses answer, for load
//! balancers and orchestrators. Public (no auth, no CSRF: it changes
//! nothing), never starts the lazy SSR pool, and answered from a result at
//! most [`FRESH`] old, so a flood of probes costs one round of checks per
//! second, not one per request.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::Extension;
use crate::runtime::Runtime;

/// The default path of the health check.
pub(crate) const PATH: &str = "/healthz";

/// How long one round of checks answers every probe.
const FRESH: Duration = Duration::from_secs(1);

/// How long one service's check may take before it counts as down.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// A service's state in the health check's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Health {
    /// It answers.
    Up,
    /// It is configured and does not answer: the check answers 503.
    Down,
    /// Configured, not started yet (the SSR pool before its first render).
    Idle,
    /// The app does not use it.
    None,
}

/// One round of checks, kept for [`FRESH`].
struct Answer {
    at: Instant,
    status: StatusCode,
    body: axum::body::Bytes,
}

/// What the health route holds: the runtime, the extensions, the last answer.
pub(crate) struct Checks {
    runtime: Arc<Runtime>,
    extensions: Vec<Arc<dyn Extension>>,
    last: tokio::sync::Mutex<Option<Answer>>,
}

impl Checks {
    pub(crate) fn new(runtime: Arc<Runtime>, extensions: Vec<Arc<dyn Extension>>) -> Arc<Self> {
        Arc::new(Self { runtime, extensions, last: tokio::sync::Mutex::new(None) })
    }

    /// The route: `GET path` answering the checks.
    pub(crate) fn router(self: Arc<Self>, path: &str) -> axum::Router {
        axum::Router::new().route(path, axum::routing::get(move || async move { self.answer().await }))
    }

    async fn answer(&self) -> Response {
        // One round at a time: probes that arrive while it runs wait for it.
        let mut last = self.last.lock().await;
        let fresh = last.as_ref().is_some_and(|a| a.at.elapsed() < FRESH);
        if !fresh {
            *last = Some(self.check().await);
        }
        let answer = last.as_ref().expect("set above");
        let mut response = (answer.status, answer.body.clone()).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }

    async fn check(&self) -> Answer {
        let rt = &self.runtime;
        let ssr = rt.ssr.as_ref().map_or(Health::None, |pool| pool.health());
        let (limits, channels) =
            tokio::join!(timed(rt.limiter.redis_answers()), timed(rt.channels.hub().redis_answers()));
        let redis = match (limits, channels) {
            (None, None) => Health::None,
            (a, b) if a != Some(false) && b != Some(false) => Health::Up,
            _ => Health::Down,
        };
        let mut services = serde_json::Map::new();
        services.insert("ssr".into(), json(ssr));
        services.insert("db".into(), json(Health::None));
        services.insert("redis".into(), json(redis));
        let reported = futures_util::future::join_all(self.extensions.iter().map(|e| e.health())).await;
        for (name, health) in reported.into_iter().flatten() {
            services.insert(name.to_owned(), json(health));
        }
        let down = services.values().any(|v| v == "down");
        let status = if down { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::OK };
        if down {
            tracing::warn!(target: "mizan::health", services = %serde_json::Value::Object(services.clone()),
                "health check: a service is down");
        }
        let body = serde_json::to_vec(&services).unwrap_or_default().into();
        Answer { at: Instant::now(), status, body }
    }
}

fn json(health: Health) -> serde_json::Value {
    serde_json::to_value(health).unwrap_or_default()
}

/// `check`'s answer, or down when it takes longer than [`CHECK_TIMEOUT`].
async fn timed(check: impl std::future::Future<Output = Option<bool>>) -> Option<bool> {
    tokio::time::timeout(CHECK_TIMEOUT, check).await.unwrap_or(Some(false))
}

/// [`Health::Up`] when `check` finishes with `true` within the timeout,
/// else [`Health::Down`]: for extensions' own checks.
#[cfg_attr(not(feature = "accounts"), allow(dead_code))]
pub(crate) async fn within_timeout(check: impl std::future::Future<Output = bool>) -> Health {
    match tokio::time::timeout(CHECK_TIMEOUT, check).await {
        Ok(true) => Health::Up,
        _ => Health::Down,
    }
}
