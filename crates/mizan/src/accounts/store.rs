//! Users in the database: create, look up, authenticate, change.

use chrono::{DateTime, Utc};

use super::db::{db_error, is_unique_violation, with_pool};
use super::password::Checked;
use super::{Accounts, User, rules};
use crate::{Error, Id64, Result, Role};

/// The columns every query reads, in [`Row`] order.
macro_rules! columns {
    () => {
        "id, username, password, is_staff, is_superuser, is_active, created_at, last_login"
    };
}

type Row = (i64, String, String, bool, bool, bool, DateTime<Utc>, Option<DateTime<Utc>>);

/// A user with its password hash, as stored. Never leaves mizan but as a
/// [`User`] (the hash is not part of it).
pub(crate) struct Stored {
    pub(crate) user: User,
    pub(crate) hash: String,
}

fn stored((id, username, hash, is_staff, is_superuser, is_active, created_at, last_login): Row) -> Stored {
    Stored {
        user: User { id: Id64(id), username, is_staff, is_superuser, is_active, created_at, last_login },
        hash,
    }
}

fn flags(role: Role) -> (bool, bool) {
    match role {
        Role::User => (false, false),
        Role::Staff => (true, false),
        Role::Superuser => (true, true),
    }
}

fn not_found(id: Id64) -> Error {
    Error::not_found(format!("no user with id {id}"))
}

impl Accounts {
    /// Creates an active user with `role`. Refuses an invalid username, a
    /// password outside the length rules, or a username taken in any letter
    /// case, each as `VALIDATION` (422) with field errors.
    pub async fn create_user(&self, username: &str, password: &str, role: Role) -> Result<User> {
        rules::check_new(username, password, self.inner.password_min_chars)?;
        let db = self.db().await?;
        let hash = self.inner.hasher.hash(password.to_owned()).await?;
        let (is_staff, is_superuser) = flags(role);
        let now = Utc::now();
        let sql = concat!(
            "INSERT INTO mizan_users (username, password, is_staff, is_superuser, is_active, created_at) ",
            "VALUES ($1, $2, $3, $4, TRUE, $5) RETURNING ",
            columns!()
        );
        let row: std::result::Result<Row, sqlx::Error> = with_pool!(db, |p| {
            sqlx::query_as(sql)
                .bind(username)
                .bind(&hash)
                .bind(is_staff)
                .bind(is_superuser)
                .bind(now)
                .fetch_one(p)
                .await
        });
        match row {
            Ok(row) => Ok(stored(row).user),
            Err(e) if is_unique_violation(&e) => Err(rules::taken()),
            Err(e) => Err(db_error(e)),
        }
    }

    /// The user with `username` (any letter case) whose password is
    /// `password`, if active. Every failure is the same `UNAUTHENTICATED`
    /// (401) and takes the same time: an unknown username is checked
    /// against a dummy hash, so the answer never tells which part was wrong.
    pub async fn authenticate(&self, username: &str, password: &str) -> Result<User> {
        Ok(self.authenticate_stored(username, password).await?.user)
    }

    pub(crate) async fn authenticate_stored(&self, username: &str, password: &str) -> Result<Stored> {
        let hasher = &self.inner.hasher;
        let found = self.stored_by_username(username).await?;
        let checked = match &found {
            Some(s) => hasher.verify(password.to_owned(), s.hash.clone()).await?,
            None => {
                hasher.verify_dummy(password.to_owned()).await?;
                Checked { matches: false, outdated: false }
            }
        };
        match found {
            Some(mut s) if checked.matches && s.user.is_active => {
                if checked.outdated {
                    s.hash = self.upgrade_hash(&s, password).await;
                }
                Ok(s)
            }
            _ => Err(Error::unauthenticated("invalid username or password")),
        }
    }

    /// Redoes a hash made with older Argon2 parameters, now that the
    /// password is known, and stores it; the old one when that fails (the
    /// login goes on: the upgrade is retried on the next one). The salt is
    /// kept, so the user's open sessions stay valid.
    async fn upgrade_hash(&self, stored: &Stored, password: &str) -> String {
        let upgraded = async {
            let hash = self.inner.hasher.rehash(password.to_owned(), stored.hash.clone()).await?;
            let sql = "UPDATE mizan_users SET password = $1 WHERE id = $2";
            self.update(stored.user.id, sql, Param::Text(hash.clone())).await?;
            Ok::<_, Error>(hash)
        };
        match upgraded.await {
            Ok(hash) => hash,
            Err(e) => {
                tracing::warn!(user = %stored.user.id, "could not upgrade a password hash: {e}");
                stored.hash.clone()
            }
        }
    }

    /// The user with `id`, active or not.
    pub async fn find(&self, id: Id64) -> Result<Option<User>> {
        Ok(self.stored_by_id(id).await?.map(|s| s.user))
    }

    /// The user with `username` (any letter case), active or not.
    pub async fn find_by_username(&self, username: &str) -> Result<Option<User>> {
        Ok(self.stored_by_username(username).await?.map(|s| s.user))
    }

    /// Replaces a user's password (length rules apply). Sessions opened with
    /// the old password are anonymous from their next request.
    pub async fn set_password(&self, id: Id64, password: &str) -> Result<()> {
        rules::check_password(password, self.inner.password_min_chars)?;
        let hash = self.inner.hasher.hash(password.to_owned()).await?;
        self.update(id, "UPDATE mizan_users SET password = $1 WHERE id = $2", Param::Text(hash)).await
    }

    /// Sets a user's role; it takes effect on the user's next request.
    pub async fn set_role(&self, id: Id64, role: Role) -> Result<()> {
        let (is_staff, is_superuser) = flags(role);
        let db = self.db().await?;
        let done = with_pool!(db, |p| {
            sqlx::query("UPDATE mizan_users SET is_staff = $1, is_superuser = $2 WHERE id = $3")
                .bind(is_staff)
                .bind(is_superuser)
                .bind(id.0)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        });
        if done.map_err(db_error)? == 0 { Err(not_found(id)) } else { Ok(()) }
    }

    /// Activates or deactivates a user. A deactivated user cannot log in,
    /// and its open sessions are anonymous from their next request.
    pub async fn set_active(&self, id: Id64, active: bool) -> Result<()> {
        self.update(id, "UPDATE mizan_users SET is_active = $1 WHERE id = $2", Param::Bool(active)).await
    }

    /// Deletes a user; its open sessions are anonymous from their next request.
    pub async fn delete_user(&self, id: Id64) -> Result<()> {
        let db = self.db().await?;
        let done = with_pool!(db, |p| {
            sqlx::query("DELETE FROM mizan_users WHERE id = $1")
                .bind(id.0)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        });
        if done.map_err(db_error)? == 0 { Err(not_found(id)) } else { Ok(()) }
    }

    /// Records a successful login's time.
    pub(crate) async fn touch_last_login(&self, id: Id64) -> Result<DateTime<Utc>> {
        let now = Utc::now();
        self.update(id, "UPDATE mizan_users SET last_login = $1 WHERE id = $2", Param::Time(now)).await?;
        Ok(now)
    }

    pub(crate) async fn stored_by_id(&self, id: Id64) -> Result<Option<Stored>> {
        let db = self.db().await?;
        let sql = concat!("SELECT ", columns!(), " FROM mizan_users WHERE id = $1");
        let row: Option<Row> =
            with_pool!(db, |p| sqlx::query_as(sql).bind(id.0).fetch_optional(p).await).map_err(db_error)?;
        Ok(row.map(stored))
    }

    async fn stored_by_username(&self, username: &str) -> Result<Option<Stored>> {
        let db = self.db().await?;
        let sql = concat!("SELECT ", columns!(), " FROM mizan_users WHERE lower(username) = lower($1)");
        let row: Option<Row> = with_pool!(db, |p| sqlx::query_as(sql).bind(username).fetch_optional(p).await)
            .map_err(db_error)?;
        Ok(row.map(stored))
    }

    /// Runs an `UPDATE … SET x = $1 WHERE id = $2`.
    async fn update(&self, id: Id64, sql: &'static str, value: Param) -> Result<()> {
        let db = self.db().await?;
        let done = with_pool!(db, |p| {
            let q = sqlx::query(sql);
            let q = match value {
                Param::Text(v) => q.bind(v),
                Param::Bool(v) => q.bind(v),
                Param::Time(v) => q.bind(v),
            };
            q.bind(id.0).execute(p).await.map(|r| r.rows_affected())
        });
        if done.map_err(db_error)? == 0 { Err(not_found(id)) } else { Ok(()) }
    }
}

/// The one value an [`Accounts::update`] sets.
enum Param {
    Text(String),
    Bool(bool),
    Time(DateTime<Utc>),
}
