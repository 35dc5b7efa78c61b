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

/// How long SQLite openers retry a database another opener holds locked.
const SQLITE_BUSY_FOR: std::time::Duration = std::time::Duration::from_secs(5);

/// Applies every migration the database has not seen yet.
pub(crate) async fn run(db: &Db) -> Result<()> {
    match db {
        Db::Sqlite(pool) => {
            // A new connection switches the file to WAL, which needs the
            // database to itself; SQLite answers "database is locked" at once
            // (its busy timeout does not cover that switch) while another
            // opener does the same, so the first steps are retried.
            let started = std::time::Instant::now();
            let mut pause = std::time::Duration::from_millis(5);
            loop {
                match sqlite(pool).await {
                    Err(e) if is_busy(&e) && started.elapsed() < SQLITE_BUSY_FOR => {
                        tokio::time::sleep(pause).await;
                        pause = (pause * 2).min(std::time::Duration::from_millis(100));
                    }
                    other => return other.map_err(db_error),
                }
            }
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

/// SQLITE_BUSY (5) and its extended codes.
fn is_busy(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| c & 0xff == 5)
}

/// One attempt at SQLite's migrations, in one `BEGIN IMMEDIATE` transaction.
async fn sqlite(pool: &sqlx::SqlitePool) -> std::result::Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query(CREATE_TABLE).execute(&mut *tx).await?;
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM mizan_migrations").fetch_all(&mut *tx).await?;
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        sqlx::raw_sql(m.sqlite).execute(&mut *tx).await?;
        sqlx::query(RECORD).bind(m.version).bind(m.name).execute(&mut *tx).await?;
    }
    tx.commit().await
}
