//! `hello createuser` and logging in to `hello serve` with the stored user,
//! on SQLite (the embedded default, here in a temp file) and on PostgreSQL
//! (`$DATABASE_URL`, a fresh database on the server at
//! `$MIZAN_TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/test`;
//! the test fails when that server is unreachable). `manifest` and
//! `generate` never open the database.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::support::{BIN, Proc, listen};

const PG_ADMIN_DEFAULT: &str = "postgres://postgres@127.0.0.1:5432/test";

fn hello(database_url: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env("DATABASE_URL", database_url).env("RUST_LOG", "warn").env_remove("MIZAN_PASSWORD");
    cmd
}

/// Runs `hello createuser ARGS` with `password` on stdin (or in `$MIZAN_PASSWORD`).
fn createuser(database_url: &str, args: &[&str], password: &str, via_env: bool) -> (i32, String, String) {
    let mut cmd = hello(database_url);
    cmd.arg("createuser").args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    if via_env {
        cmd.env("MIZAN_PASSWORD", password);
    }
    let mut child = cmd.spawn().expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    if !via_env {
        writeln!(stdin, "{password}").expect("write the password");
    }
    drop(stdin);
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `hello serve` on `database_url`, and its base URL.
fn serve(database_url: &str) -> (Proc, String) {
    let (child, url) = listen(hello(database_url).arg("serve"));
    (Proc(child), url)
}

/// createuser's rules, then a login to the server with the created users.
async fn createuser_then_login(database_url: String) {
    let (code, out, err) = createuser(&database_url, &["root", "--superuser"], "root password 1", true);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("created user root"), "{out}");
    let (code, _, err) = createuser(&database_url, &["ada"], "ada password 1", false);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = createuser(&database_url, &["ROOT"], "another password", true);
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    let (code, _, err) = createuser(&database_url, &["bob"], "short", false);
    assert_eq!(code, 1);
    assert!(err.contains("password: must be at least 8"), "{err}");
    let (code, _, err) = createuser(&database_url, &["bob", "--admin"], "long enough password", true);
    assert_eq!(code, 2);
    assert!(err.contains("usage"), "{err}");
    let (code, _, _) = createuser(&database_url, &[], "long enough password", true);
    assert_eq!(code, 2);

    let server = serve(&database_url);
    let api = format!("{}/api/mizan", server.1);
    let client = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let login = |username: &str, password: &str| {
        client
            .post(format!("{api}/call/accounts.login"))
            .header("origin", &server.1)
            .json(&json!({"username": username, "password": password}))
            .send()
    };
    let r = login("root", "wrong password").await.expect("login");
    assert_eq!(r.status().as_u16(), 401);
    let r = login("root", "root password 1").await.expect("login");
    assert_eq!(r.status().as_u16(), 200);
    let me: Value =
        client.get(format!("{api}/call/whoami")).send().await.expect("whoami").json().await.expect("json");
    assert_eq!(me["data"]["role"], "superuser", "{me}");
    let r = client.get(format!("{api}/call/stats")).send().await.expect("stats");
    assert_eq!(r.status().as_u16(), 200, "a stored superuser passes staff");

    let r = client
        .post(format!("{api}/call/accounts.logout"))
        .header("origin", &server.1)
        .json(&json!({}))
        .send();
    assert_eq!(r.await.expect("logout").status().as_u16(), 200);
    let r = login("ada", "ada password 1").await.expect("login");
    assert_eq!(r.status().as_u16(), 200);
    let me: Value =
        client.get(format!("{api}/call/accounts.me")).send().await.expect("me").json().await.expect("json");
    assert_eq!(me["data"]["username"], "ada");
    assert_eq!(client.get(format!("{api}/call/stats")).send().await.expect("stats").status().as_u16(), 403);

    // The demo bearer tokens work as before.
    let r = reqwest::Client::new()
        .get(format!("{api}/call/stats"))
        .header("authorization", "Bearer hello-staff-token")
        .send()
        .await
        .expect("stats");
    assert_eq!(r.status().as_u16(), 200);
    // /hello/ is served as before, with the session layer around it.
    let page =
        client.get(format!("{}/hello/", server.1)).send().await.expect("page").text().await.expect("body");
    assert!(page.contains(r#"<div id="mizan-root"><div>Hello, World!</div></div>"#), "{page}");
}

#[tokio::test]
async fn sqlite_createuser_and_login() {
    let path = std::env::temp_dir().join(format!("hello-accounts-{}.sqlite3", uuid::Uuid::new_v4().simple()));
    createuser_then_login(format!("sqlite://{}?mode=rwc", path.display())).await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[tokio::test]
async fn postgres_createuser_and_login() {
    let admin_url = std::env::var("MIZAN_TEST_POSTGRES_URL").unwrap_or_else(|_| PG_ADMIN_DEFAULT.to_owned());
    let admin = sqlx::PgPool::connect(&admin_url).await.unwrap_or_else(|e| {
        panic!("PostgreSQL is required for this test and is unreachable at {admin_url}: {e}")
    });
    let name = format!("hello_test_{}", uuid::Uuid::new_v4().simple());
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .expect("create db");
    let base = admin_url.rsplit_once('/').map(|(b, _)| b).expect("a database in the URL");
    let outcome = tokio::spawn(createuser_then_login(format!("{base}/{name}"))).await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
        .execute(&admin)
        .await
        .expect("drop db");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[test]
fn manifest_and_generate_never_open_the_database_but_serve_does() {
    let unreachable = "postgres://postgres@127.0.0.1:1/nothing";
    let out = hello(unreachable).arg("manifest").output().expect("manifest");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let m: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(m["functions"].as_array().expect("functions").iter().any(|f| f["name"] == "accounts.login"));

    let generated = concat!(env!("CARGO_MANIFEST_DIR"), "/frontend/generated");
    let out =
        hello(unreachable).args(["generate", "--out", generated, "--check"]).output().expect("generate");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = hello(unreachable).env("MIZAN_ADDR", "127.0.0.1:0").arg("serve").output().expect("serve");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot open the accounts database postgres://postgres@127.0.0.1:1/nothing"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no listening line");

    let out = hello("mysql://x@y/z").arg("manifest").output().expect("manifest");
    assert_eq!(out.status.code(), Some(1), "an unsupported URL is refused up front");
}

/// `createuser` with stdin a terminal (a pty from util-linux's `script`,
/// which the test fails without):
/// the password is prompted for and read without being echoed, and it is
/// the one the user then logs in with.
#[tokio::test]
async fn createuser_reads_a_terminal_without_echo() {
    use std::io::Read;
    let path = std::env::temp_dir().join(format!("hello-tty-{}.sqlite3", uuid::Uuid::new_v4().simple()));
    let database_url = format!("sqlite://{}?mode=rwc", path.display());
    let mut child = Command::new("script")
        .args(["-qec", &format!("'{BIN}' createuser ttyuser"), "/dev/null"])
        .env("DATABASE_URL", &database_url)
        .env("RUST_LOG", "warn")
        .env_remove("MIZAN_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("util-linux's `script` is needed for this test: {e}"));
    let mut stdout = child.stdout.take().expect("stdout");
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    // Type only once the prompt is up (and echo is off), as a person would.
    while !String::from_utf8_lossy(&seen).contains("Password: ") {
        assert_eq!(stdout.read(&mut byte).expect("read the terminal"), 1, "no prompt: {seen:?}");
        seen.push(byte[0]);
    }
    // rpassword turns echo off just after it writes the prompt: a person
    // is never that quick, a test under load can be, so pause as one would.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let mut stdin = child.stdin.take().expect("stdin");
    writeln!(stdin, "typed at a tty 1").expect("type");
    stdout.read_to_end(&mut seen).expect("read the rest");
    drop(stdin);
    let status = child.wait().expect("wait");
    let shown = String::from_utf8_lossy(&seen);
    assert!(status.success() && shown.contains("created user ttyuser"), "{shown}");
    assert!(!shown.contains("typed at a tty"), "the password was echoed: {shown:?}");

    let server = serve(&database_url);
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{}/api/mizan/call/accounts.login", server.1))
        .header("origin", &server.1)
        .json(&json!({"username": "ttyuser", "password": "typed at a tty 1"}))
        .send()
        .await
        .expect("login");
    assert_eq!(r.status().as_u16(), 200, "the typed password is the stored one");
    drop(server);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
