//! Identities, auth levels and the trait that turns a request into an identity.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::http::request::Parts;

use crate::{Error, Request, Result};

/// The role an identity holds. Ordered: `User < Staff < Superuser`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Any authenticated user.
    User,
    /// Staff; passes `staff` checks.
    Staff,
    /// Superuser; passes `staff` and `superuser` checks.
    Superuser,
}

/// Who is calling: an id, a role, and optionally the application's own user value.
///
/// ```
/// use mizan::{Identity, Role};
/// #[derive(Debug)]
/// struct User { email: String }
/// let id = Identity::new("42", Role::Staff).with_data(User { email: "a@b.c".into() });
/// assert!(id.is_staff() && !id.is_superuser());
/// assert_eq!(id.data::<User>().map(|u| u.email.as_str()), Some("a@b.c"));
/// ```
#[derive(Clone)]
pub struct Identity {
    id: String,
    role: Role,
    data: Option<Arc<dyn Any + Send + Sync>>,
}

impl Identity {
    /// An identity with an id and a role.
    pub fn new(id: impl Into<String>, role: Role) -> Self {
        Self { id: id.into(), role, data: None }
    }
    /// Attaches the application's own user value, read back with [`Identity::data`].
    pub fn with_data<T: Any + Send + Sync>(mut self, data: T) -> Self {
        self.data = Some(Arc::new(data));
        self
    }
    /// The identity's id.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The identity's role.
    pub fn role(&self) -> Role {
        self.role
    }
    /// Whether the role is staff or above.
    pub fn is_staff(&self) -> bool {
        self.role >= Role::Staff
    }
    /// Whether the role is superuser.
    pub fn is_superuser(&self) -> bool {
        self.role == Role::Superuser
    }
    /// The application's user value, if one of type `T` was attached.
    pub fn data<T: Any>(&self) -> Option<&T> {
        self.data.as_deref().and_then(|d| (d as &dyn Any).downcast_ref())
    }
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity").field("id", &self.id).field("role", &self.role).finish_non_exhaustive()
    }
}

/// How the identity travelled, which decides whether CSRF applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// Sent by the browser on its own (a cookie): CSRF checks apply.
    Cookie,
    /// Sent explicitly (an `Authorization` header or a WebSocket `auth` frame).
    Bearer,
}

/// A boxed future, as returned by [`Authenticator`] and custom checks.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Supplies the identity behind a request. The application implements it:
/// a session cookie lookup, a bearer token check, or both.
///
/// ```
/// use mizan::{Authenticator, BoxFuture, Identity, Role};
/// use axum::http::request::Parts;
///
/// struct Tokens;
/// impl Authenticator for Tokens {
///     fn identify<'a>(&'a self, parts: &'a Parts) -> BoxFuture<'a, mizan::Result<Option<Identity>>> {
///         Box::pin(async move {
///             let token = parts.headers.get("authorization").and_then(|v| v.to_str().ok());
///             Ok(match token {
///                 Some("Bearer root") => Some(Identity::new("root", Role::Superuser)),
///                 _ => None,
///             })
///         })
///     }
///     fn identify_token<'a>(&'a self, token: &'a str) -> BoxFuture<'a, mizan::Result<Option<Identity>>> {
///         Box::pin(async move { Ok((token == "root").then(|| Identity::new("root", Role::Superuser))) })
///     }
/// }
/// ```
pub trait Authenticator: Send + Sync + 'static {
    /// The identity carried by an HTTP request or WebSocket upgrade, if any.
    /// An error (for example a database outage) fails the request with it.
    fn identify<'a>(&'a self, parts: &'a Parts) -> BoxFuture<'a, Result<Option<Identity>>>;

    /// A quick look at the request before any future is built: `false` when
    /// it carries nothing this authenticator could recognise (no token
    /// header, no session), so [`identify`](Self::identify) is not called
    /// and the request is anonymous as far as this authenticator goes. The
    /// default, `true`, always asks `identify`; override it when the answer
    /// is cheap to know, to keep anonymous traffic from paying for a boxed
    /// future per request.
    fn may_identify(&self, parts: &Parts) -> bool {
        let _ = parts;
        true
    }

    /// The identity for a bearer token sent in a WebSocket `auth` frame.
    /// The default accepts none.
    fn identify_token<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<Option<Identity>>> {
        let _ = token;
        Box::pin(async { Ok(None) })
    }
}

/// Two authenticators in turn: the first identity found wins.
///
/// ```
/// # use mizan::{Authenticator, BoxFuture, Identity};
/// # struct Tokens; struct Cookies;
/// # impl Authenticator for Tokens { fn identify<'a>(&'a self, _: &'a axum::http::request::Parts) -> BoxFuture<'a, mizan::Result<Option<Identity>>> { Box::pin(async { Ok(None) }) } }
/// # impl Authenticator for Cookies { fn identify<'a>(&'a self, _: &'a axum::http::request::Parts) -> BoxFuture<'a, mizan::Result<Option<Identity>>> { Box::pin(async { Ok(None) }) } }
/// let app = mizan::App::new().authenticator((Tokens, Cookies));
/// # let _ = app;
/// ```
impl<A: Authenticator, B: Authenticator> Authenticator for (A, B) {
    fn identify<'a>(&'a self, parts: &'a Parts) -> BoxFuture<'a, Result<Option<Identity>>> {
        if !self.0.may_identify(parts) {
            return self.1.identify(parts);
        }
        if !self.1.may_identify(parts) {
            return self.0.identify(parts);
        }
        let mut first = self.0.identify(parts);
        // Most authenticators answer without waiting (a header or a session
        // already loaded): poll the first once, and when it has no identity
        // hand back the second's future as it is, with no third box around
        // the two. A future may be polled again with another waker, so a
        // pending first is simply awaited below.
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match first.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(Ok(None)) => self.1.identify(parts),
            std::task::Poll::Ready(found) => Box::pin(std::future::ready(found)),
            std::task::Poll::Pending => Box::pin(async move {
                match first.await? {
                    Some(identity) => Ok(Some(identity)),
                    None => self.1.identify(parts).await,
                }
            }),
        }
    }

    fn may_identify(&self, parts: &Parts) -> bool {
        self.0.may_identify(parts) || self.1.may_identify(parts)
    }

    fn identify_token<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<Option<Identity>>> {
        Box::pin(async move {
            match self.0.identify_token(token).await? {
                Some(identity) => Ok(Some(identity)),
                None => self.1.identify_token(token).await,
            }
        })
    }
}

/// A custom auth check: `async fn(&Request) -> mizan::Result<()>`.
pub type CheckFn = for<'a> fn(&'a Request) -> BoxFuture<'a, Result<()>>;

/// The auth level a function requires.
#[derive(Clone, Copy)]
pub enum Auth {
    /// Anyone (the default).
    Public,
    /// Any identity.
    Authenticated,
    /// Staff or superuser.
    Staff,
    /// Superuser only.
    Superuser,
    /// A custom check, with its path for the manifest.
    Custom(&'static str, CheckFn),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Custom(path, _) => write!(f, "Custom({path})"),
            other => f.write_str(other.wire_name()),
        }
    }
}

impl Auth {
    /// The manifest's name for the level (`mizan_manifest::Auth::wire_name`).
    pub fn wire_name(&self) -> &'static str {
        mizan_manifest::Auth::from(self).wire_name()
    }

    /// The manifest value: a string, or `{"custom": path}`.
    pub fn to_manifest(&self) -> serde_json::Value {
        serde_json::to_value(mizan_manifest::Auth::from(self)).unwrap_or_default()
    }

    /// Checks the request's identity against the level.
    pub async fn check(&self, req: &Request) -> Result<()> {
        let need = match self {
            Self::Public => return Ok(()),
            Self::Custom(_, check) => return check(req).await,
            Self::Authenticated => Role::User,
            Self::Staff => Role::Staff,
            Self::Superuser => Role::Superuser,
        };
        match req.identity() {
            None => Err(Error::unauthenticated("authentication required")),
            Some(id) if id.role() >= need => Ok(()),
            Some(_) => Err(Error::forbidden(format!("requires {}", self.wire_name()))),
        }
    }
}
