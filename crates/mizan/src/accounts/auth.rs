//! Logging a session in and out, and the [`Authenticator`] that maps the
//! session back to the stored user on every request.

use axum::http::request::Parts;

use super::{Accounts, User, password};
use crate::auth::{Authenticator, BoxFuture, Identity};
use crate::session::{SessionAuth, login, logout};
use crate::{Error, Id64, Request, Result};

/// Where the session keeps the fingerprint of the password it was opened with.
const FINGERPRINT: &str = "mizan.accounts.fingerprint";

impl Accounts {
    /// Checks the credentials and logs the request's session in as that
    /// user (with a new session id, against fixation). Bad credentials are
    /// `UNAUTHENTICATED` (401), whichever part was wrong. Past the
    /// [`login_limits`](Accounts::login_limits) for the username or the
    /// client's address, the answer is `RATE_LIMITED` (429) with
    /// a `retry-after`, before any password is checked.
    pub async fn login(&self, req: &Request, username: &str, password: &str) -> Result<User> {
        let address = crate::limits::client_address(req);
        let attempt = self.inner.throttle.attempt(req.limiter(), username, address).await?;
        let stored = match self.authenticate_stored(username, password).await {
            Ok(stored) => {
                attempt.refund().await;
                stored
            }
            // A wrong guess stays counted; anything else (a database that
            // is down, a full hash queue) was no guess.
            Err(e) if e.code() == mizan_manifest::codes::UNAUTHENTICATED.code => return Err(e),
            Err(e) => {
                attempt.refund().await;
                return Err(e);
            }
        };
        let mut user = stored.user;
        login(req, &Identity::new(user.id.to_string(), user.role())).await?;
        let session = req.session().ok_or_else(|| Error::internal("no session after login"))?;
        session
            .insert(FINGERPRINT, password::fingerprint(&stored.hash))
            .await
            .map_err(|e| Error::unavailable(format!("the session store failed: {e}")))?;
        user.last_login = Some(self.touch_last_login(user.id).await?);
        Ok(user)
    }

    /// Ends the request's session.
    pub async fn logout(&self, req: &Request) -> Result<()> {
        match req.session() {
            // Never stored: nothing to delete (tower-sessions would warn).
            Some(session) if session.id().is_none() => {
                session.clear().await;
                Ok(())
            }
            _ => logout(req).await,
        }
    }

    /// The authenticator for sessions logged in by [`Accounts::login`].
    /// Combine it with others as a tuple: `(BearerTokens, accounts.authenticator())`.
    pub fn authenticator(&self) -> AccountsAuth {
        AccountsAuth { accounts: self.clone() }
    }

    /// The identity of a session's stored user, if it is still valid.
    async fn identity_of(&self, parts: &Parts) -> Result<Option<Identity>> {
        let Some(session_identity) = SessionAuth.identify(parts).await? else { return Ok(None) };
        let Ok(id) = session_identity.id().parse::<i64>() else { return Ok(None) };
        let Some(stored) = self.stored_by_id(Id64(id)).await? else { return Ok(None) };
        let session = parts.extensions.get::<tower_sessions::Session>();
        let fingerprint = match session {
            Some(s) => s
                .get::<String>(FINGERPRINT)
                .await
                .map_err(|e| Error::unavailable(format!("the session store failed: {e}")))?,
            None => None,
        };
        if !stored.user.is_active || fingerprint.as_deref() != Some(password::fingerprint(&stored.hash)) {
            return Ok(None);
        }
        let user = stored.user;
        Ok(Some(Identity::new(user.id.to_string(), user.role()).with_data(user)))
    }
}

/// Identities of sessions logged in by [`Accounts::login`], read from the
/// stored user on every request: the role is the user's current one, and a
/// deactivated or deleted user, or one whose password changed since the
/// login, is anonymous. The identity carries the [`User`]
/// (`req.identity().and_then(|i| i.data::<User>())`).
#[derive(Clone, Debug)]
pub struct AccountsAuth {
    accounts: Accounts,
}

impl Authenticator for AccountsAuth {
    fn may_identify(&self, parts: &Parts) -> bool {
        // A request with no cookie skips the session layer: no session, no one logged in.
        parts.extensions.get::<tower_sessions::Session>().is_some()
    }

    fn identify<'a>(&'a self, parts: &'a Parts) -> BoxFuture<'a, Result<Option<Identity>>> {
        // No session (a request with no cookie skips the session layer): no
        // one is logged in. Answered without building the database lookup's
        // future, which is several KB to allocate and move per request.
        if parts.extensions.get::<tower_sessions::Session>().is_none() {
            return Box::pin(std::future::ready(Ok(None)));
        }
        Box::pin(self.accounts.identity_of(parts))
    }
}
