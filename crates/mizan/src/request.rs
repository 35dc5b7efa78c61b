//! The request every server function, check and view receives.

use std::any::Any;
use std::sync::{Arc, OnceLock};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, Uri};

use crate::auth::{Credential, Identity};
use crate::runtime::Runtime;
use crate::{Error, Result};

/// What a server function, a custom check or a view knows about its request:
/// headers, the identity, typed application state and the request's
/// extensions (where a session layer such as tower-sessions puts its session).
///
/// It is also an axum extractor for the application's own views, once the
/// router is built by [`App::mount`](crate::App::mount) or
/// [`App::router`](crate::App::router).
pub struct Request {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    identity: Option<Identity>,
    credential: Option<Credential>,
    runtime: Arc<Runtime>,
    request_id: OnceLock<String>,
}

impl Request {
    /// Builds the request from owned parts, resolving the identity.
    pub(crate) async fn from_parts(parts: Parts, runtime: Arc<Runtime>) -> Result<Self> {
        let (identity, credential) = match &runtime.authenticator {
            Some(auth) if auth.may_identify(&parts) => {
                let identity = auth.identify(&parts).await?;
                let credential = identity.as_ref().map(|_| credential_of(&parts.headers));
                (identity, credential)
            }
            _ => (None, None),
        };
        Ok(Self {
            method: parts.method,
            uri: parts.uri,
            headers: parts.headers,
            extensions: parts.extensions,
            identity,
            credential,
            runtime,
            request_id: OnceLock::new(),
        })
    }

    /// A request outside HTTP (a test, a background task), with the given identity.
    pub fn detached(app: &crate::App, identity: Option<Identity>) -> Self {
        Self {
            method: Method::POST,
            uri: Uri::from_static("/"),
            headers: HeaderMap::new(),
            extensions: axum::http::Extensions::new(),
            credential: identity.as_ref().map(|_| Credential::Bearer),
            identity,
            runtime: app.runtime(),
            request_id: OnceLock::new(),
        }
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }
    /// The request URI.
    pub fn uri(&self) -> &Uri {
        &self.uri
    }
    /// The request headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
    /// The request's extensions (a session layer's session lives here).
    pub fn extensions(&self) -> &axum::http::Extensions {
        &self.extensions
    }
    /// The caller's identity, if the [`Authenticator`](crate::Authenticator) found one.
    pub fn identity(&self) -> Option<&Identity> {
        self.identity.as_ref()
    }
    /// How the identity travelled.
    pub fn credential(&self) -> Option<Credential> {
        self.credential
    }
    /// Application state registered with [`App::state`](crate::App::state).
    ///
    /// A missing type is a programming error reported as `INTERNAL`.
    pub fn state<T: Any + Send + Sync>(&self) -> Result<&T> {
        self.runtime.state.get::<T>().ok_or_else(|| {
            Error::internal(format!(
                "no state of type {} registered with App::state",
                std::any::type_name::<T>()
            ))
        })
    }
    /// This request's id, made on first use; errors and logs carry it.
    pub fn request_id(&self) -> &str {
        self.request_id.get_or_init(crate::token::random_hex)
    }

    /// The client's address: the peer's (the server must give
    /// `ConnectInfo<SocketAddr>`, as [`cli`](crate::cli) does), or, when the
    /// peer is a [trusted proxy](crate::App::trusted_proxies), the address
    /// its `X-Forwarded-For` names. `None` without peer addresses.
    pub fn client_ip(&self) -> Option<std::net::IpAddr> {
        crate::http::client_ip(&self.headers, &self.extensions, &self.runtime.http.origins.proxies)
    }

    /// The broadcast handle of the app's channels (see [`Channel`](crate::Channel)).
    pub fn channels(&self) -> &crate::Broadcaster {
        &self.runtime.channels.broadcaster
    }

    /// The app's functions, for the call pipeline.
    pub(crate) fn functions(&self) -> &crate::call::Functions {
        &self.runtime.functions
    }

    /// The app's rate limiter.
    pub(crate) fn limiter(&self) -> &Arc<crate::limits::Limiter> {
        &self.runtime.limiter
    }

    /// How the app identifies callers (a WebSocket `auth` frame uses it).
    pub(crate) fn authenticator(&self) -> Option<&Arc<dyn crate::Authenticator>> {
        self.runtime.authenticator.as_ref()
    }

    /// Whether the app runs in dev mode.
    pub(crate) fn is_dev(&self) -> bool {
        self.runtime.http.dev
    }

    /// The app's SSR pool, when it renders pages.
    pub(crate) fn ssr_pool(&self) -> Option<&Arc<crate::SsrPool>> {
        self.runtime.ssr.as_ref()
    }

    /// A copy of this request for the calls a page's render makes: the same
    /// method, URI, headers, extensions, identity and request id.
    pub(crate) fn for_render(&self) -> Request {
        let request_id = OnceLock::new();
        let _ = request_id.set(self.request_id().to_owned());
        Request {
            method: self.method.clone(),
            uri: self.uri.clone(),
            headers: self.headers.clone(),
            extensions: self.extensions.clone(),
            identity: self.identity.clone(),
            credential: self.credential,
            runtime: self.runtime.clone(),
            request_id,
        }
    }

    /// A path parameter of a page's route (`id` in `/users/{id}/`), for a
    /// request served by a page registered with [`App::page`](crate::App::page).
    pub fn path_param(&self, name: &str) -> Option<&str> {
        let params = self.extensions.get::<crate::pages::PathParams>()?;
        params.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Replaces the identity: a WebSocket `auth` frame's bearer token.
    pub(crate) fn set_identity(&mut self, identity: Option<Identity>, credential: Option<Credential>) {
        self.identity = identity;
        self.credential = credential;
    }
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("identity", &self.identity)
            .finish_non_exhaustive()
    }
}

fn credential_of(headers: &HeaderMap) -> Credential {
    if headers.contains_key(axum::http::header::AUTHORIZATION) {
        Credential::Bearer
    } else {
        Credential::Cookie
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Request {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self> {
        let runtime = parts.extensions.get::<Arc<Runtime>>().cloned().ok_or_else(|| {
            Error::internal(
                "mizan::Request used outside an app: build the router with App::mount or App::router",
            )
        })?;
        let owned = Parts::clone(parts);
        Request::from_parts(owned, runtime).await
    }
}
