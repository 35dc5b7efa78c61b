//! [`AccountsSessionStore`]: tower-sessions records in the accounts
//! database (`mizan_sessions`), the default store of
//! the accounts extension ([`App::extend`](crate::App::extend)). Logins survive restarts and are
//! shared by every process serving one database.

use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use super::Accounts;
use super::db::with_pool;

/// Session records in the accounts database, each a JSON text with its
/// expiry in Unix seconds. Expired records are never loaded, and are
/// deleted whenever a new session is created.
#[derive(Clone, Debug)]
pub struct AccountsSessionStore {
    accounts: Accounts,
}

impl Accounts {
    /// The store that keeps sessions in this database.
    pub fn session_records(&self) -> AccountsSessionStore {
        AccountsSessionStore { accounts: self.clone() }
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl AccountsSessionStore {
    async fn db(&self) -> session_store::Result<&super::db::Db> {
        self.accounts.db().await.map_err(|e| backend(e.message()))
    }

    /// Inserts `record` unless its id exists; whether it was inserted.
    async fn insert_new(&self, record: &Record) -> session_store::Result<bool> {
        let json = serde_json::to_string(record).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let expires = record.expiry_date.unix_timestamp();
        let id = record.id.to_string();
        let db = self.db().await?;
        let inserted: Result<bool, sqlx::Error> = with_pool!(db, |p| {
            async {
            sqlx::query("DELETE FROM mizan_sessions WHERE expires_at <= $1").bind(now()).execute(p).await?;
            sqlx::query(
                "INSERT INTO mizan_sessions (id, record, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(json)
            .bind(expires)
            .execute(p)
            .await
            .map(|r| r.rows_affected() == 1)
        }
        .await
        });
        inserted.map_err(backend)
    }
}

impl SessionStore for AccountsSessionStore {
    fn create<'a, 'b, 'f>(
        &'a self,
        record: &'b mut Record,
    ) -> std::pin::Pin<Box<dyn Future<Output = session_store::Result<()>> + Send + 'f>>
    where
        'a: 'f,
        'b: 'f,
        Self: 'f,
    {
        Box::pin(async move {
            while !self.insert_new(record).await? {
                record.id = Id::default();
            }
            Ok(())
        })
    }

    fn save<'a, 'b, 'f>(
        &'a self,
        record: &'b Record,
    ) -> std::pin::Pin<Box<dyn Future<Output = session_store::Result<()>> + Send + 'f>>
    where
        'a: 'f,
        'b: 'f,
        Self: 'f,
    {
        Box::pin(async move {
            let json =
                serde_json::to_string(record).map_err(|e| session_store::Error::Encode(e.to_string()))?;
            let expires = record.expiry_date.unix_timestamp();
            let id = record.id.to_string();
            let db = self.db().await?;
            let saved = with_pool!(db, |p| {
                sqlx::query(
                    "INSERT INTO mizan_sessions (id, record, expires_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (id) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at",
                )
                .bind(id)
                .bind(json)
                .bind(expires)
                .execute(p)
                .await
                .map(drop)
            });
            saved.map_err(backend)
        })
    }

    fn load<'a, 'b, 'f>(
        &'a self,
        id: &'b Id,
    ) -> std::pin::Pin<Box<dyn Future<Output = session_store::Result<Option<Record>>> + Send + 'f>>
    where
        'a: 'f,
        'b: 'f,
        Self: 'f,
    {
        Box::pin(async move {
            let db = self.db().await?;
            let id = id.to_string();
            let json: Option<String> = with_pool!(db, |p| {
                sqlx::query_scalar("SELECT record FROM mizan_sessions WHERE id = $1 AND expires_at > $2")
                    .bind(id)
                    .bind(now())
                    .fetch_optional(p)
                    .await
            })
            .map_err(backend)?;
            json.map(|j| serde_json::from_str(&j).map_err(|e| session_store::Error::Decode(e.to_string())))
                .transpose()
        })
    }

    fn delete<'a, 'b, 'f>(
        &'a self,
        id: &'b Id,
    ) -> std::pin::Pin<Box<dyn Future<Output = session_store::Result<()>> + Send + 'f>>
    where
        'a: 'f,
        'b: 'f,
        Self: 'f,
    {
        Box::pin(async move {
            let db = self.db().await?;
            let id = id.to_string();
            with_pool!(db, |p| sqlx::query("DELETE FROM mizan_sessions WHERE id = $1")
                .bind(id)
                .execute(p)
                .await
                .map(drop))
            .map_err(backend)
        })
    }
}
