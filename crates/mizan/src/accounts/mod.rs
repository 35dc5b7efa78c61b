//! User accounts in SQLite or PostgreSQL through sqlx, logged in with cookie
//! sessions (feature `accounts`).
//!
//! [`Accounts`] is the store: a `mizan_users` table (id, username unique in
//! any letter case, Argon2id password hash, staff and superuser flags, active
//! flag, creation and last-login times) created by embedded migrations the
//! first time the store is used. Plugged into an app with
//! [`App::extend`](crate::App::extend), it serves it to the frontend as `accounts.login`, `accounts.logout` and
//! `accounts.me` (and `accounts.register` when registration is open), and
//! layers the app with the cookie session they log in, whose records live in
//! the same database (`mizan_sessions`, so logins survive restarts and are
//! shared between processes; [`Accounts::session_store`] picks another);
//! [`Accounts::authenticator`] turns that session back into an [`Identity`]
//! on every request, from the stored user, so a role change takes effect on
//! the next request and a deactivated or deleted user is anonymous again.
//!
//! Where the users live: `$DATABASE_URL` when set (`postgres://…`,
//! `sqlite://path?mode=rwc`, `sqlite::memory:`), otherwise the embedded
//! default, the SQLite file `mizan.sqlite3` in the working directory
//! ([`DEFAULT_URL`]). Opening is lazy: building the app does no I/O, so
//! `manifest` and `generate` never touch the database; `serve` connects and
//! migrates before it listens, and fails at once if it cannot.
//!
//! ```
//! # async fn demo() -> mizan::Result<()> {
//! use mizan::accounts::Accounts;
//! use mizan::{App, Role};
//!
//! let accounts = Accounts::lazy("sqlite::memory:")?;
//! let app = App::new().authenticator(accounts.authenticator()).extend(accounts.clone());
//! let ada = accounts.create_user("ada", "correct horse battery", Role::Staff).await?;
//! assert_eq!(accounts.authenticate("ADA", "correct horse battery").await?.id, ada.id);
//! assert_eq!(accounts.authenticate("ada", "wrong").await.unwrap_err().code(), "UNAUTHENTICATED");
//! # let _ = app; Ok(()) }
//! # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
//! ```
//!
//! PostgreSQL connections use TLS (rustls) as libpq's `sslmode` says, with
//! nothing to turn on: the default `prefer` encrypts when the server offers
//! it, `?sslmode=require` refuses a plain connection, and
//! `?sslmode=verify-full&sslrootcert=/path/ca.pem` also checks the server's
//! certificate and host name (`verify-ca` checks the certificate only).
//! Without `sslrootcert`, certificates are checked against the system's
//! roots.

mod auth;
mod cli;
pub(crate) mod db;
mod extension;
mod functions;
mod migrate;
mod password;
mod rules;
mod session_store;
mod sessions;
mod store;
mod throttle;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::Serialize;

pub use auth::AccountsAuth;
pub use rules::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, USERNAME_MAX_CHARS};
pub use session_store::AccountsSessionStore;
pub use sessions::COOKIE as SESSION_COOKIE;
pub use throttle::LoginLimits;

use crate::{Id64, Result, Role};
use db::{Db, with_pool};

/// The database used when `$DATABASE_URL` is not set: `mizan.sqlite3` in
/// the working directory, created on first use.
pub const DEFAULT_URL: &str = "sqlite://mizan.sqlite3?mode=rwc";

/// A stored user, as the frontend sees it (`accounts.me`, `accounts.login`).
/// The password hash is never part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(rename = "AccountsUser")]
pub struct User {
    /// The user's id (a decimal string on the wire).
    pub id: Id64,
    /// The username, in the letter case it was created with.
    pub username: String,
    /// Whether the user passes `staff` checks.
    pub is_staff: bool,
    /// Whether the user passes `staff` and `superuser` checks.
    pub is_superuser: bool,
    /// Whether the user may log in (server-side only).
    #[serde(skip)]
    pub is_active: bool,
    /// When the user was created (server-side only).
    #[serde(skip)]
    pub created_at: DateTime<Utc>,
    /// The last successful login through [`Accounts::login`] (server-side only).
    #[serde(skip)]
    pub last_login: Option<DateTime<Utc>>,
}

impl User {
    /// The auth role the user's flags give.
    pub fn role(&self) -> Role {
        if self.is_superuser {
            Role::Superuser
        } else if self.is_staff {
            Role::Staff
        } else {
            Role::User
        }
    }
}

/// The accounts store. Cheap to clone; clones share one connection pool.
#[derive(Clone)]
pub struct Accounts {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    db: Db,
    url: String,
    ready: tokio::sync::OnceCell<()>,
    password_min_chars: usize,
    registration: bool,
    sessions: sessions::SessionConfig,
    hasher: password::Hasher,
    throttle: throttle::Throttle,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accounts").field("url", &self.inner.url).finish_non_exhaustive()
    }
}

impl Accounts {
    /// A store for `url` that connects on first use. Parses the URL now
    /// (an unsupported scheme is an error) but does no I/O. Call it inside
    /// a tokio runtime.
    pub fn lazy(url: &str) -> Result<Self> {
        Ok(Self {
            inner: Arc::new(Inner {
                db: Db::lazy(url)?,
                url: db::redact(url),
                ready: tokio::sync::OnceCell::new(),
                password_min_chars: PASSWORD_MIN_CHARS,
                registration: false,
                sessions: sessions::SessionConfig::default(),
                hasher: password::Hasher::default(),
                throttle: throttle::Throttle::new(LoginLimits::default()),
            }),
        })
    }

    /// A store for `$DATABASE_URL`, or [`DEFAULT_URL`] when it is not set;
    /// lazy like [`Accounts::lazy`].
    pub fn from_env() -> Result<Self> {
        match std::env::var("DATABASE_URL") {
            Ok(url) if !url.is_empty() => Self::lazy(&url),
            _ => Self::lazy(DEFAULT_URL),
        }
    }

    /// A store for `url`, connected and migrated now.
    pub async fn open(url: &str) -> Result<Self> {
        let accounts = Self::lazy(url)?;
        accounts.ready().await?;
        Ok(accounts)
    }

    /// Connects and applies pending migrations, if not done yet. Every
    /// method does this on first use; call it to fail early.
    pub async fn ready(&self) -> Result<()> {
        self.db().await.map(drop)
    }

    /// Whether the database answers a query now (opening and migrating it
    /// first if that was not done yet).
    pub(crate) async fn answers(&self) -> bool {
        let Ok(db) = self.db().await else { return false };
        with_pool!(db, |p| sqlx::query("SELECT 1").execute(p).await.is_ok())
    }

    /// The URL the store was opened with, without its password.
    pub fn url(&self) -> &str {
        &self.inner.url
    }

    /// The shortest password accepted by [`Accounts::create_user`] and
    /// [`Accounts::set_password`], in characters (default
    /// [`PASSWORD_MIN_CHARS`]).
    pub fn password_min_chars(mut self, chars: usize) -> Self {
        Arc::make_mut(&mut self.inner).password_min_chars = chars.max(1);
        self
    }

    /// Opens self-service sign-up: the extension ([`App::extend`](crate::App::extend))
    /// then also serves `accounts.register`. Closed by default.
    pub fn registration(mut self, open: bool) -> Self {
        Arc::make_mut(&mut self.inner).registration = open;
        self
    }

    /// How many password hashes (logins, new passwords) run at once
    /// (default 2, at least 1). Each takes ~19 MiB of memory, kept and
    /// reused by the next hash, and a core for tens of milliseconds.
    pub fn hash_concurrency(mut self, hashes: usize) -> Self {
        let queue = self.inner.hasher.queue();
        Arc::make_mut(&mut self.inner).hasher = password::Hasher::new(hashes, queue);
        self
    }

    /// How many password hashes may wait for a turn (default 32); past
    /// that, a login is refused at once with `RATE_LIMITED` (429) and a
    /// `retry-after` rather than queued.
    pub fn hash_queue(mut self, hashes: usize) -> Self {
        let concurrency = self.inner.hasher.concurrency();
        Arc::make_mut(&mut self.inner).hasher = password::Hasher::new(concurrency, hashes);
        self
    }

    /// The failed logins [`Accounts::login`] allows per username and per
    /// client address before it answers `RATE_LIMITED` (429) with a
    /// `retry-after` (default: 10 per username per 15 minutes, 50 per
    /// address per minute; see [`LoginLimits`] for what a flood on one
    /// username does to its owner). Counted in this process's memory.
    pub fn login_limits(mut self, limits: LoginLimits) -> Self {
        Arc::make_mut(&mut self.inner).throttle = throttle::Throttle::new(limits);
        self
    }

    /// Closes the connection pool.
    pub async fn close(&self) {
        self.inner.db.close().await;
    }

    /// The pool, once migrated.
    async fn db(&self) -> Result<&Db> {
        let inner = &self.inner;
        inner
            .ready
            .get_or_try_init(|| async {
                migrate::run(&inner.db).await.inspect_err(|e| {
                    tracing::error!(url = %inner.url, backend = inner.db.backend(), "accounts database: {e}");
                })
            })
            .await?;
        Ok(&inner.db)
    }
}
