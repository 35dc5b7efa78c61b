//! The accounts schema, created by embedded migrations when the store opens.
//!
//! mizan keeps its own bookkeeping table, `mizan_migrations`, rather than
//! sqlx's `_sqlx_migrations`: an application running its own sqlx
//! migrations on the same database would otherwise see mizan's versions as
//! "applied but missing" and refuse to start. Migrations run in one
//! transaction under a lock (`BEGIN IMMEDIATE` on SQLite, an advisory lock on
//! PostgreSQL), so several processes opening one database at once apply each
//! migration exactly once.

use sqlx::Connection;

use super::db::{Db, db_error};
use crate::Result;

/// One embedded migration: a version, a name, and its SQL per backend.
struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "users",
        sqlite: include_str!("migrations/sqlite/0001_users.sql"),
        postgres: include_str!("migrations/postgres/0001_users.sql"),
    },
    Migration {
        version: 2,
        name: "sessions",
        sqlite: include_str!("migrations/sqlite/0002_sessions.sql"),
        postgres: include_str!("migrations/postgres/0002_sessions.sql"),
    },
];

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS mizan_migrations (\
    version BIGINT PRIMARY KEY, name TEXT NOT NULL)";

const RECORD: &str = "INSERT INTO mizan_migrations (version, name) VALUES ($1, $2)";

/// An arbitrary constant naming mizan's migration lock on PostgreSQL.
const PG_LOCK_KEY: i64 = 0x6d69_7a61_6e00_0001;

/// Applies every migration the database has not seen yet.
pub(crate) async fn run(db: &Db) -> Result<()> {
    match db {
        Db::Sqlite(pool) => {
            let mut conn = pool.acquire().await.map_err(db_error)?;
            let mut tx = conn.begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
            sqlx::query(CREATE_TABLE).execute(&mut *tx).await.map_err(db_error)?;
            let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM mizan_migrations")
                .fetch_all(&mut *tx)
                .await
                .map_err(db_error)?;
            for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
                sqlx::raw_sql(m.sqlite).execute(&mut *tx).await.map_err(db_error)?;
                sqlx::query(RECORD).bind(m.version).bind(m.name).execute(&mut *tx).await.map_err(db_error)?;
            }
            tx.commit().await.map_err(db_error)
        }
        Db::Postgres(pool) => {
            let mut tx = pool.begin().await.map_err(db_error)?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(PG_LOCK_KEY)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            sqlx::query(CREATE_TABLE).execute(&mut *tx).await.map_err(db_error)?;
            let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM mizan_migrations")
                .fetch_all(&mut *tx)
                .await
                .map_err(db_error)?;
            for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
                sqlx::raw_sql(m.postgres).execute(&mut *tx).await.map_err(db_error)?;
                sqlx::query(RECORD).bind(m.version).bind(m.name).execute(&mut *tx).await.map_err(db_error)?;
            }
            tx.commit().await.map_err(db_error)
        }
    }
}
