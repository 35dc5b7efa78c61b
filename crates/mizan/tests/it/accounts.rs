//! `mizan::accounts` against real databases: a fresh SQLite file, and a fresh
//! PostgreSQL database created (and dropped) per test on the server at
//! `$MIZAN_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`).
//! The PostgreSQL tests fail, never skip, when the server is unreachable.

use crate::support;

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::FutureExt;
use mizan::accounts::{Accounts, User};
use mizan::{App, Id64, Request, Role};
use reqwest::cookie::CookieStore;
use serde_json::{Value, json};

const PG_ADMIN_DEFAULT: &str = "postgres://postgres@127.0.0.1:5432/test";
const PASSWORD: &str = "correct horse battery";

// ---------------------------------------------------------------- databases

/// A fresh SQLite file in the temp dir (removed afterwards, with WAL files).
async fn with_sqlite<F, Fut>(test: F)
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = ()>,
{
    let path = std::env::temp_dir().join(format!("mizan-accounts-{}.sqlite3", uuid::Uuid::new_v4().simple()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let outcome = AssertUnwindSafe(test(url)).catch_unwind().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// A fresh PostgreSQL database, dropped afterwards. Panics (fails the test)
/// when the server cannot be reached.
async fn with_postgres<F, Fut>(test: F)
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = ()>,
{
    let admin_url = std::env::var("MIZAN_TEST_POSTGRES_URL").unwrap_or_else(|_| PG_ADMIN_DEFAULT.to_owned());
    let admin = sqlx::PgPool::connect(&admin_url).await.unwrap_or_else(|e| {
        panic!("PostgreSQL is required for this test and is unreachable at {admin_url}: {e}")
    });
    let name = format!("mizan_test_{}", uuid::Uuid::new_v4().simple());
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .expect("create the test database");
    let base = admin_url.rsplit_once('/').map(|(b, _)| b).expect("a database in the URL");
    let outcome = AssertUnwindSafe(test(format!("{base}/{name}"))).catch_unwind().await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
        .execute(&admin)
        .await
        .expect("drop the test database");
    admin.close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

// ---------------------------------------------------------------- the store

async fn store_rules(url: String) {
    let accounts = Accounts::open(&url).await.expect("open");
    let ada = accounts.create_user("Ada", PASSWORD, Role::User).await.expect("create");
    assert_eq!((ada.username.as_str(), ada.role(), ada.is_active), ("Ada", Role::User, true));
    assert!(ada.last_login.is_none());

    // A taken username, in any letter case: VALIDATION with a field error.
    let e = accounts.create_user("ADA", PASSWORD, Role::User).await.expect_err("duplicate");
    assert_eq!((e.status().as_u16(), e.code()), (422, "VALIDATION"));
    assert!(e.fields()["username"][0].contains("already exists"), "{e:?}");

    // Too short a password, and a username with a space: both fields at once.
    let e = accounts.create_user("bad name", "short", Role::User).await.expect_err("rules");
    assert_eq!((e.status().as_u16(), e.code()), (422, "VALIDATION"));
    assert!(e.fields()["password"][0].contains("at least 8"), "{e:?}");
    assert!(e.fields().contains_key("username"), "{e:?}");
    assert!(accounts.find_by_username("bad name").await.expect("find").is_none());

    // Authentication ignores the username's case; every failure looks alike.
    assert_eq!(accounts.authenticate("aDa", PASSWORD).await.expect("auth").id, ada.id);
    let wrong = accounts.authenticate("ada", "wrong password").await.expect_err("wrong");
    let unknown = accounts.authenticate("nobody", PASSWORD).await.expect_err("unknown");
    for e in [&wrong, &unknown] {
        assert_eq!((e.status().as_u16(), e.code()), (401, "UNAUTHENTICATED"));
    }
    assert_eq!(wrong.to_wire(), unknown.to_wire());

    // Password changes: the old one stops working.
    let e = accounts.set_password(ada.id, "short").await.expect_err("short");
    assert!(e.fields().contains_key("password"));
    accounts.set_password(ada.id, "a new long password").await.expect("set");
    assert!(accounts.authenticate("ada", PASSWORD).await.is_err());
    accounts.authenticate("ada", "a new long password").await.expect("new password");

    // Roles and activity.
    accounts.set_role(ada.id, Role::Superuser).await.expect("role");
    let found = accounts.find(ada.id).await.expect("find").expect("exists");
    assert_eq!((found.role(), found.is_staff, found.is_superuser), (Role::Superuser, true, true));
    accounts.set_active(ada.id, false).await.expect("deactivate");
    let e = accounts.authenticate("ada", "a new long password").await.expect_err("inactive");
    assert_eq!(e.to_wire(), unknown.to_wire(), "an inactive user is refused like any bad login");
    accounts.delete_user(ada.id).await.expect("delete");
    assert!(accounts.find(ada.id).await.expect("find").is_none());
    assert_eq!(accounts.set_role(ada.id, Role::User).await.expect_err("gone").code(), "NOT_FOUND");
    assert_eq!(accounts.delete_user(Id64(424242)).await.expect_err("gone").code(), "NOT_FOUND");

    // The username is free again; ids are not reused.
    let again = accounts.create_user("ada", PASSWORD, Role::Staff).await.expect("recreate");
    assert_ne!(again.id, ada.id);
    assert_eq!(again.role(), Role::Staff);
    accounts.close().await;

    // Reopening the same database applies no migration twice and keeps the users.
    let reopened = Accounts::open(&url).await.expect("reopen");
    assert!(reopened.find_by_username("ADA").await.expect("find").is_some());
    reopened.close().await;
}

/// Several processes' worth of stores opening one new database at once.
async fn concurrent_open(url: String) {
    let stores: Vec<Accounts> = (0..4).map(|_| Accounts::lazy(&url).expect("lazy")).collect();
    let results = futures_util::future::join_all(stores.iter().map(|s| s.ready())).await;
    for r in results {
        r.expect("every store migrates or sees the migration done");
    }
    stores[0].create_user("grace", PASSWORD, Role::User).await.expect("create");
    assert!(stores[3].find_by_username("grace").await.expect("find").is_some());
    for s in stores {
        s.close().await;
    }
}

/// The session records store: create (a taken id gets a new one), save,
/// load (never an expired record), delete.
async fn session_records(url: String) {
    use tower_sessions::SessionStore;
    use tower_sessions::cookie::time::{Duration, OffsetDateTime};
    use tower_sessions::session::{Id, Record};

    let accounts = Accounts::open(&url).await.expect("open");
    let store = accounts.session_records();
    let record = |id: Id, ttl: Duration| Record {
        id,
        data: [("k".to_owned(), json!({"n": 1}))].into_iter().collect(),
        expiry_date: OffsetDateTime::now_utc() + ttl,
    };
    let mut first = record(Id::default(), Duration::minutes(5));
    store.create(&mut first).await.expect("create");
    let loaded = store.load(&first.id).await.expect("load").expect("present");
    assert_eq!(loaded.data, first.data);
    assert_eq!(loaded.expiry_date.unix_timestamp(), first.expiry_date.unix_timestamp());

    let mut clash = record(first.id, Duration::minutes(5));
    store.create(&mut clash).await.expect("create");
    assert_ne!(clash.id, first.id, "a taken id is replaced, never overwritten");

    let mut changed = first.clone();
    changed.data.insert("k".into(), json!("changed"));
    store.save(&changed).await.expect("save");
    assert_eq!(store.load(&first.id).await.expect("load").expect("present").data["k"], "changed");

    let expired = record(Id::default(), Duration::seconds(-5));
    store.save(&expired).await.expect("save");
    assert!(store.load(&expired.id).await.expect("load").is_none(), "an expired record is never loaded");

    store.delete(&first.id).await.expect("delete");
    assert!(store.load(&first.id).await.expect("load").is_none());
    store.delete(&first.id).await.expect("deleting twice is fine");
    accounts.close().await;
}

#[tokio::test]
async fn sqlite_session_records() {
    with_sqlite(session_records).await;
}

#[tokio::test]
async fn postgres_session_records() {
    with_postgres(session_records).await;
}

#[tokio::test]
async fn sqlite_store() {
    with_sqlite(store_rules).await;
}

#[tokio::test]
async fn postgres_store() {
    with_postgres(store_rules).await;
}

#[tokio::test]
async fn sqlite_concurrent_migrations() {
    with_sqlite(concurrent_open).await;
}

#[tokio::test]
async fn postgres_concurrent_migrations() {
    with_postgres(concurrent_open).await;
}

/// The stored hash of `username`, read with sqlx directly.
async fn stored_hash(url: &str, username: &str) -> String {
    let sql = "SELECT password FROM mizan_users WHERE username = $1";
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("sqlite");
        let hash = sqlx::query_scalar(sql).bind(username).fetch_one(&pool).await.expect("select");
        pool.close().await;
        hash
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("postgres");
        let hash = sqlx::query_scalar(sql).bind(username).fetch_one(&pool).await.expect("select");
        pool.close().await;
        hash
    }
}

/// Replaces the stored hash of `username`.
async fn store_hash(url: &str, username: &str, hash: &str) {
    let sql = "UPDATE mizan_users SET password = $1 WHERE username = $2";
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("sqlite");
        sqlx::query(sql).bind(hash).bind(username).execute(&pool).await.expect("update");
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("postgres");
        sqlx::query(sql).bind(hash).bind(username).execute(&pool).await.expect("update");
        pool.close().await;
    }
}

/// A hash stored with weaker Argon2 parameters (argon2i, 1 MiB, 1 pass) is
/// redone with the current ones on the next successful login, keeping its
/// salt; a failed login leaves it alone.
async fn hashes_upgrade_on_login(url: String) {
    use argon2::password_hash::PasswordHasher;
    let accounts = Accounts::open(&url).await.expect("open");
    accounts.create_user("ada", PASSWORD, Role::User).await.expect("create");
    let params = argon2::Params::new(1024, 1, 1, None).expect("params");
    let weak = argon2::Argon2::new(argon2::Algorithm::Argon2i, argon2::Version::V0x13, params)
        .hash_password(PASSWORD.as_bytes())
        .expect("hash")
        .to_string();
    store_hash(&url, "ada", &weak).await;
    let e = accounts.authenticate("ada", "wrong password").await.expect_err("wrong");
    assert_eq!(e.code(), "UNAUTHENTICATED");
    assert_eq!(stored_hash(&url, "ada").await, weak, "a failed login changes nothing");
    accounts.authenticate("ada", PASSWORD).await.expect("the weak hash still logs in");
    let upgraded = stored_hash(&url, "ada").await;
    assert!(upgraded.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{upgraded}");
    let salt = |h: &str| h.rsplit('$').nth(1).map(str::to_owned);
    assert_eq!(salt(&upgraded), salt(&weak), "the salt is kept: open sessions stay valid");
    accounts.authenticate("ada", PASSWORD).await.expect("the upgraded hash logs in");
    assert_eq!(stored_hash(&url, "ada").await, upgraded, "a current hash is not redone");
    assert!(accounts.authenticate("ada", "wrong password").await.is_err());
    accounts.close().await;
}

#[tokio::test]
async fn sqlite_hashes_upgrade_on_login() {
    with_sqlite(hashes_upgrade_on_login).await;
}

#[tokio::test]
async fn postgres_hashes_upgrade_on_login() {
    with_postgres(hashes_upgrade_on_login).await;
}

#[tokio::test]
async fn memory_databases_keep_their_users() {
    let accounts = Accounts::open("sqlite::memory:").await.expect("open");
    accounts.create_user("ada", PASSWORD, Role::User).await.expect("create");
    assert!(accounts.find_by_username("ada").await.expect("find").is_some());
}

#[tokio::test]
async fn an_unreachable_database_is_unavailable_not_a_hang() {
    let accounts = Accounts::lazy("postgres://postgres@127.0.0.1:1/nothing").expect("lazy");
    let started = std::time::Instant::now();
    let e = accounts.create_user("ada", PASSWORD, Role::User).await.expect_err("down");
    assert_eq!((e.status().as_u16(), e.code()), (503, "UNAVAILABLE"), "{e:?}");
    assert!(!e.message().contains("127.0.0.1"), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
}

// ---------------------------------------------------------------- over HTTP

/// The stored user the identity carries, for a staff-only function.
#[mizan::client(query, auth = "staff")]
async fn staff_report(req: &Request) -> mizan::Result<String> {
    let who = match req.identity().and_then(|i| i.data::<User>()) {
        Some(user) => user.username.clone(),
        None => "a bearer identity".to_owned(),
    };
    Ok(format!("report for {who}"))
}

#[mizan::client(query, auth = "superuser")]
async fn root_only(_req: &Request) -> mizan::Result<u8> {
    Ok(1)
}

struct Browser {
    base: String,
    origin: String,
    jar: Arc<reqwest::cookie::Jar>,
    client: reqwest::Client,
}

impl Browser {
    fn new(base: String) -> Self {
        let origin = base.trim_end_matches("/api/mizan").to_owned();
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder().cookie_provider(jar.clone()).build().expect("client");
        Self { base, origin, jar, client }
    }
    /// The same browser (cookie jar) talking to another server.
    fn elsewhere(&self, base: String) -> Self {
        let origin = base.trim_end_matches("/api/mizan").to_owned();
        Self { base, origin, jar: self.jar.clone(), client: self.client.clone() }
    }
    fn cookie(&self, name: &str) -> Option<String> {
        let url: reqwest::Url = self.base.parse().expect("url");
        let cookies = self.jar.cookies(&url)?;
        let prefix = format!("{name}=");
        cookies.to_str().ok()?.split("; ").find_map(|c| c.strip_prefix(prefix.as_str()).map(str::to_owned))
    }
    async fn get(&self, name: &str) -> (u16, Value) {
        let r = self.client.get(format!("{}/call/{name}", self.base)).send().await.expect("get");
        (r.status().as_u16(), r.json().await.expect("json"))
    }
    /// A same-origin POST (as a browser sends it).
    async fn post(&self, name: &str, body: Value) -> (u16, Value, Option<String>) {
        let r = self
            .client
            .post(format!("{}/call/{name}", self.base))
            .header("origin", &self.origin)
            .json(&body)
            .send()
            .await
            .expect("post");
        let set_cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(mizan::accounts::SESSION_COOKIE));
        let set_cookie = set_cookie.map(str::to_owned);
        (r.status().as_u16(), r.json().await.expect("json"), set_cookie)
    }
}

fn without_request_id(mut v: Value) -> Value {
    if let Some(e) = v.get_mut("error").and_then(Value::as_object_mut) {
        e.remove("request_id");
    }
    v
}

async fn http_flow(url: String) {
    let accounts = Accounts::open(&url).await.expect("open").secure_cookies(false);
    let ada = accounts.create_user("ada", PASSWORD, Role::User).await.expect("create");
    let app = App::new()
        .authenticator((support::TestAuth, accounts.authenticator()))
        .extend(accounts.clone())
        .register(staff_report)
        .register(root_only);
    let names: Vec<String> = app.manifest().expect("manifest").to_json()["functions"]
        .as_array()
        .expect("functions")
        .iter()
        .map(|f| f["name"].as_str().expect("name").to_owned())
        .collect();
    assert_eq!(names[..3], ["accounts.login", "accounts.logout", "accounts.me"], "registration is closed");
    let b = Browser::new(support::serve(app).await.api);

    // Anonymous: `me` is null, and the answer hands out the CSRF cookie.
    assert_eq!(b.get("accounts.me").await, (200, json!({"data": null})));
    let csrf = b.cookie("mizan_csrf").expect("the csrf cookie");

    // Login under a cookie is CSRF-protected: no origin evidence, or a
    // foreign origin, is refused before the credentials are looked at.
    let creds = json!({"username": "ada", "password": PASSWORD});
    let r = b.client.post(format!("{}/call/accounts.login", b.base)).json(&creds).send().await.expect("post");
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(r.json::<Value>().await.expect("json")["error"]["code"], "CSRF");
    let r = b
        .client
        .post(format!("{}/call/accounts.login", b.base))
        .header("origin", "https://evil.example")
        .json(&creds)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 403);
    assert!(b.cookie(mizan::accounts::SESSION_COOKIE).is_none(), "no session from a refused login");

    // Wrong password and unknown user: the same 401, word for word.
    let (s1, wrong, _) = b.post("accounts.login", json!({"username": "ada", "password": "nope nope"})).await;
    let (s2, unknown, _) =
        b.post("accounts.login", json!({"username": "nobody", "password": PASSWORD})).await;
    assert_eq!((s1, s2), (401, 401));
    assert_eq!(without_request_id(wrong.clone()), without_request_id(unknown));
    assert_eq!(wrong["error"]["code"], "UNAUTHENTICATED");
    assert_eq!(b.get("accounts.me").await, (200, json!({"data": null})));

    // Bad input is VALIDATION, unknown keys too.
    let (s, v, _) = b.post("accounts.login", json!({"username": "", "password": "x", "admin": true})).await;
    assert_eq!((s, v["error"]["code"].as_str()), (422, Some("VALIDATION")));

    // Login with the double-submit header also passes CSRF (no Origin).
    let r = b
        .client
        .post(format!("{}/call/accounts.login", b.base))
        .header("x-mizan-csrf", &csrf)
        .json(&json!({"username": "ADA", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(r.status().as_u16(), 200);
    let set_cookie: Vec<String> =
        r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok().map(str::to_owned)).collect();
    let session = set_cookie.iter().find(|c| c.starts_with("mizan_session=")).expect("a session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
    let user = json!({"id": ada.id.to_string(), "username": "ada", "is_staff": false, "is_superuser": false});
    assert_eq!(r.json::<Value>().await.expect("json"), json!({"data": user}));
    assert!(accounts.find(ada.id).await.expect("find").expect("ada").last_login.is_some());

    assert_eq!(b.get("accounts.me").await, (200, json!({"data": user})));
    assert_eq!(b.get("staff_report").await.0, 403);

    // Role changes take effect on the next request.
    accounts.set_role(ada.id, Role::Staff).await.expect("staff");
    assert_eq!(b.get("staff_report").await, (200, json!({"data": "report for ada"})));
    assert_eq!(b.get("root_only").await.0, 403);
    accounts.set_role(ada.id, Role::Superuser).await.expect("superuser");
    assert_eq!(b.get("root_only").await, (200, json!({"data": 1})));
    assert_eq!(b.get("staff_report").await.0, 200, "a superuser passes staff");

    // The session lives in the database: another server process on the same
    // database (or this one after a restart) knows the cookie.
    let other = Accounts::open(&url).await.expect("open").secure_cookies(false);
    let other_app = App::new().authenticator(other.authenticator()).extend(other.clone()).register(root_only);
    let b2 = b.elsewhere(support::serve(other_app).await.api);
    assert_eq!(b2.get("root_only").await, (200, json!({"data": 1})));
    assert_eq!(b2.get("accounts.me").await.1["data"]["username"], "ada");

    // A session cookie makes cross-site POSTs fail, even logout.
    let r = b
        .client
        .post(format!("{}/call/accounts.logout", b.base))
        .header("origin", "https://evil.example")
        .json(&json!({}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(b.get("accounts.me").await.1["data"]["username"], "ada", "still logged in");

    // A deactivated user is anonymous again, at once; reactivated, it is back.
    accounts.set_active(ada.id, false).await.expect("deactivate");
    assert_eq!(b.get("accounts.me").await, (200, json!({"data": null})));
    assert_eq!(b.get("staff_report").await.0, 401);
    accounts.set_active(ada.id, true).await.expect("activate");
    assert_eq!(b.get("root_only").await.0, 200);

    // A password change ends the sessions opened with the old password.
    accounts.set_password(ada.id, "another long password").await.expect("set");
    assert_eq!(b.get("accounts.me").await, (200, json!({"data": null})));
    let (s, _, cookie) =
        b.post("accounts.login", json!({"username": "ada", "password": "another long password"})).await;
    assert_eq!(s, 200);
    assert!(cookie.is_some(), "a new session id after login");

    // Logout ends the session; a deleted user's old session is anonymous.
    let (s, v, _) = b.post("accounts.logout", json!({})).await;
    assert_eq!((s, v), (200, json!({"data": null})));
    assert_eq!(b.get("accounts.me").await, (200, json!({"data": null})));
    assert_eq!(b.get("root_only").await.0, 401);
    b.post("accounts.login", json!({"username": "ada", "password": "another long password"})).await;
    assert_eq!(b.get("root_only").await.0, 200);
    accounts.delete_user(ada.id).await.expect("delete");
    assert_eq!(b.get("root_only").await.0, 401);

    // Bearer identities still work beside the accounts.
    let r = b
        .client
        .get(format!("{}/call/staff_report", b.base))
        .header("authorization", "Bearer bob")
        .send()
        .await
        .expect("bearer");
    assert_eq!(r.json::<Value>().await.expect("json"), json!({"data": "report for a bearer identity"}));
    accounts.close().await;
}

#[tokio::test]
async fn sqlite_login_over_http() {
    with_sqlite(http_flow).await;
}

#[tokio::test]
async fn postgres_login_over_http() {
    with_postgres(http_flow).await;
}

#[tokio::test]
async fn registration_is_opt_in() {
    let accounts =
        Accounts::open("sqlite::memory:").await.expect("open").secure_cookies(false).registration(true);
    let app = App::new().authenticator(accounts.authenticator()).extend(accounts.clone());
    let b = Browser::new(support::serve(app).await.api);
    let (s, v, _) = b.post("accounts.register", json!({"username": "lin", "password": "short"})).await;
    assert_eq!((s, v["error"]["code"].as_str()), (422, Some("VALIDATION")));
    assert!(v["error"]["fields"]["password"].is_array(), "{v}");
    let (s, v, cookie) = b.post("accounts.register", json!({"username": "lin", "password": PASSWORD})).await;
    assert_eq!(s, 200, "{v}");
    assert!(cookie.is_some());
    assert_eq!(b.get("accounts.me").await.1["data"]["username"], "lin");
    let (s, v, _) = b.post("accounts.register", json!({"username": "LIN", "password": PASSWORD})).await;
    assert_eq!(
        (s, v["error"]["fields"]["username"][0].as_str()),
        (422, Some("a user with that username already exists"))
    );
}

// ---------------------------------------------------------------- TLS

/// The server's own certificate, which the machine's PostgreSQL serves TLS
/// with (Debian's default `ssl = on`); `$MIZAN_TEST_POSTGRES_ROOT_CERT`
/// names another.
fn postgres_root_cert() -> String {
    std::env::var("MIZAN_TEST_POSTGRES_ROOT_CERT")
        .unwrap_or_else(|_| "/etc/ssl/certs/ssl-cert-snakeoil.pem".to_owned())
}

/// Whether every connection to database `name` (seen from the admin's
/// connection) is encrypted, and how many there are.
async fn tls_connections(name: &str) -> (bool, i64) {
    let admin_url = std::env::var("MIZAN_TEST_POSTGRES_URL").unwrap_or_else(|_| PG_ADMIN_DEFAULT.to_owned());
    let admin = sqlx::PgPool::connect(&admin_url).await.expect("the admin connection");
    let row: (Option<bool>, i64) = sqlx::query_as(
        "SELECT bool_and(s.ssl), count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) \
         WHERE a.datname = $1",
    )
    .bind(name)
    .fetch_one(&admin)
    .await
    .expect("pg_stat_ssl");
    admin.close().await;
    (row.0.unwrap_or(false), row.1)
}

/// Accounts over TLS: `sslmode=verify-ca` with the server's certificate as
/// the root connects encrypted, and a certificate that does not match
/// (`verify-full` against a certificate made for another host name) is
/// refused rather than used unverified.
#[tokio::test]
async fn postgres_over_tls() {
    with_postgres(|url| async move {
        let cert = postgres_root_cert();
        assert!(
            std::path::Path::new(&cert).exists(),
            "the PostgreSQL TLS test needs the server's certificate at {cert} (set $MIZAN_TEST_POSTGRES_ROOT_CERT)"
        );
        let name = url.rsplit_once('/').expect("a database").1.to_owned();

        let verified = format!("{url}?sslmode=verify-ca&sslrootcert={cert}");
        let accounts = Accounts::open(&verified).await.expect("accounts over TLS (verify-ca)");
        accounts.create_user("Ada", PASSWORD, Role::User).await.expect("create over TLS");
        assert!(accounts.find_by_username("ada").await.expect("read over TLS").is_some());
        let (all_tls, count) = tls_connections(&name).await;
        assert!(count >= 1, "the accounts pool holds a connection");
        assert!(all_tls, "every accounts connection is encrypted");

        // `require` encrypts without checking the certificate.
        let required = Accounts::open(&format!("{url}?sslmode=require")).await.expect("accounts with sslmode=require");
        assert!(required.find_by_username("ada").await.expect("read with sslmode=require").is_some());
        let (all_tls, count) = tls_connections(&name).await;
        assert!(count >= 2, "both pools hold a connection");
        assert!(all_tls, "every accounts connection is encrypted");

        // The server's certificate names the machine, not 127.0.0.1.
        let wrong_host = format!("{url}?sslmode=verify-full&sslrootcert={cert}");
        let e = Accounts::open(&wrong_host).await.expect_err("a host name the certificate does not carry");
        assert_eq!(e.code(), "UNAVAILABLE", "{e:?}");
    })
    .await;
}
