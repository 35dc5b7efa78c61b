//! Cookie-session identities through tower-sessions (feature `sessions`).
//!
//! Layer the app with a `tower_sessions::SessionManagerLayer`, use
//! [`SessionAuth`] as the authenticator, and call [`login`] / [`logout`]
//! from server functions. The session store (memory, Redis, SQL) is the
//! application's choice.
//!
//! ```
//! use mizan::{App, Identity, Request, Role};
//!
//! #[mizan::client]
//! async fn sign_in(req: &Request, name: String) -> mizan::Result<()> {
//!     mizan::session::login(req, &Identity::new(name, Role::User)).await
//! }
//!
//! let app = App::new().authenticator(mizan::session::SessionAuth).register(sign_in);
//! let store = tower_sessions::MemoryStore::default();
//! let router: axum::Router = app
//!     .mount("/api/mizan", axum::Router::new())
//!     .unwrap()
//!     .layer(tower_sessions::SessionManagerLayer::new(store));
//! # let _ = router;
//! ```

use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::auth::{Authenticator, BoxFuture, Identity, Role};
use crate::{Error, Request, Result};

const KEY: &str = "mizan.identity";

#[derive(Serialize, Deserialize)]
struct Stored {
    id: String,
    role: u8,
}

fn role_to_u8(role: Role) -> u8 {
    match role {
        Role::User => 0,
        Role::Staff => 1,
        Role::Superuser => 2,
    }
}

fn role_from_u8(n: u8) -> Option<Role> {
    match n {
        0 => Some(Role::User),
        1 => Some(Role::Staff),
        2 => Some(Role::Superuser),
        _ => None,
    }
}

fn session_of(extensions: &axum::http::Extensions) -> Result<&Session> {
    extensions.get::<Session>().ok_or_else(|| {
        Error::internal("no session: layer the router with tower_sessions::SessionManagerLayer")
    })
}

fn store_error(e: tower_sessions::session::Error) -> Error {
    Error::unavailable(format!("the session store failed: {e}"))
}

/// The identity saved by [`login`] in the request's session.
pub struct SessionAuth;

impl Authenticator for SessionAuth {
    fn may_identify(&self, parts: &Parts) -> bool {
        parts.extensions.get::<Session>().is_some()
    }

    fn identify<'a>(&'a self, parts: &'a Parts) -> BoxFuture<'a, Result<Option<Identity>>> {
        Box::pin(async move {
            let Some(session) = parts.extensions.get::<Session>() else { return Ok(None) };
            let stored: Option<Stored> = session.get(KEY).await.map_err(store_error)?;
            Ok(stored.and_then(|s| role_from_u8(s.role).map(|role| Identity::new(s.id, role))))
        })
    }
}

impl Request {
    /// The request's tower-sessions session, when the router is layered with one.
    pub fn session(&self) -> Option<&Session> {
        self.extensions().get::<Session>()
    }
}

/// Saves `identity` in the session (with a new session id, against fixation).
pub async fn login(req: &Request, identity: &Identity) -> Result<()> {
    let session = session_of(req.extensions())?;
    session.cycle_id().await.map_err(store_error)?;
    let stored = Stored { id: identity.id().to_owned(), role: role_to_u8(identity.role()) };
    session.insert(KEY, stored).await.map_err(store_error)
}

/// Ends the session.
pub async fn logout(req: &Request) -> Result<()> {
    session_of(req.extensions())?.flush().await.map_err(store_error)
}
