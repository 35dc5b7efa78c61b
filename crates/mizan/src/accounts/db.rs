//! The connection pool: SQLite or PostgreSQL, chosen by the URL's scheme.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

use crate::Error;

/// How long a query waits for a pooled connection before the call fails
/// with `UNAVAILABLE` (instead of hanging while the database is down).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// A pool of either backend. Queries are written once, with `$1`-style
/// parameters both drivers understand, and run through [`with_pool!`].
#[derive(Clone, Debug)]
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool of either backend.
macro_rules! with_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::accounts::db::Db::Sqlite($pool) => $body,
            $crate::accounts::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

impl Db {
    /// A pool that connects on first use: building it does no I/O, so an
    /// app that only prints its manifest never touches the database.
    pub(crate) fn lazy(url: &str) -> Result<Self, Error> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url).map_err(bad_url)?;
            let pool = PgPoolOptions::new().acquire_timeout(ACQUIRE_TIMEOUT).connect_lazy_with(options);
            Ok(Self::Postgres(pool))
        } else if url.starts_with("sqlite:") {
            let memory = url.contains(":memory:") || url.contains("mode=memory");
            let options = SqliteConnectOptions::from_str(url)
                .map_err(bad_url)?
                .busy_timeout(ACQUIRE_TIMEOUT)
                .foreign_keys(true);
            let pool = if memory {
                // Every connection to `:memory:` is its own database: keep
                // exactly one, forever.
                SqlitePoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .connect_lazy_with(options)
            } else {
                SqlitePoolOptions::new()
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .connect_lazy_with(options.journal_mode(SqliteJournalMode::Wal))
            };
            Ok(Self::Sqlite(pool))
        } else {
            Err(Error::internal(format!(
                "unsupported accounts database URL (use sqlite:… or postgres://…): {}",
                redact(url)
            )))
        }
    }

    /// The backend's name, for messages.
    pub(crate) fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// Closes every connection.
    pub(crate) async fn close(&self) {
        with_pool!(self, |p| p.close().await)
    }
}

fn bad_url(e: sqlx::Error) -> Error {
    Error::internal(format!("invalid accounts database URL: {e}"))
}

/// The URL without its password, for messages.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{}@{}", &url[..s + 3], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// A database failure as the wire sees it: an outage is `UNAVAILABLE`
/// (503); anything else is `INTERNAL` with the details logged, not sent.
pub(crate) fn db_error(e: sqlx::Error) -> Error {
    match &e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
            Error::unavailable("the accounts database is unavailable")
        }
        _ => Error::internal(format!("accounts database error: {e}")),
    }
}

/// Whether `e` is a unique-constraint violation (a taken username).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_password_in_messages() {
        assert_eq!(redact("postgres://u:secret@h:5432/db"), "postgres://u@h:5432/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }

    #[tokio::test]
    async fn unknown_schemes_are_refused_without_io() {
        let e = Db::lazy("mysql://u:pw@h/db").expect_err("refused");
        assert!(e.message().contains("unsupported") && !e.message().contains("pw"), "{e}");
        assert_eq!(Db::lazy("sqlite::memory:").expect("memory").backend(), "sqlite");
    }
}
