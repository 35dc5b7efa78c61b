//! Logins under load, against the real `hello` binary on a temp SQLite
//! database: Argon2's memory stays flat however many logins fail, and a
//! flood of failures from one address neither slows nor locks out a user
//! logging in from another.

use std::process::{Command, Stdio};

use futures_util::StreamExt;
use serde_json::json;

use crate::support::{BIN, Proc, listen};

/// A temp SQLite database, removed on drop.
struct TempDb(std::path::PathBuf);

impl TempDb {
    fn new() -> Self {
        Self(std::env::temp_dir().join(format!("hello-logins-{}.sqlite3", uuid::Uuid::new_v4().simple())))
    }
    fn url(&self) -> String {
        format!("sqlite://{}?mode=rwc", self.0.display())
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

fn hello(db: &TempDb) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env("DATABASE_URL", db.url()).env("RUST_LOG", "warn").env_remove("MIZAN_PASSWORD");
    cmd
}

fn createuser(db: &TempDb, username: &str, password: &str) {
    let out = hello(db)
        .args(["createuser", username])
        .env("MIZAN_PASSWORD", password)
        .stdin(Stdio::null())
        .output()
        .expect("createuser");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The resident set of process `pid`, in KiB (`VmRSS` in /proc/PID/status).
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc/PID/status");
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("a VmRSS line");
    line.split_whitespace().nth(1).and_then(|kib| kib.parse().ok()).expect("VmRSS in kB")
}

/// POSTs `accounts.login` from `client`; the status and the `retry-after` header.
async fn login(
    client: &reqwest::Client,
    base: &str,
    username: &str,
    password: &str,
) -> (u16, Option<String>) {
    let r = client
        .post(format!("{base}/api/mizan/call/accounts.login"))
        .header("origin", base)
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .expect("login");
    let retry = r.headers().get("retry-after").map(|v| v.to_str().expect("ascii").to_owned());
    (r.status().as_u16(), retry)
}

#[tokio::test]
async fn a_thousand_failed_logins_leave_the_memory_flat() {
    let db = TempDb::new();
    createuser(&db, "ada", "ada's real password");
    let (child, base) = listen(hello(&db).env("HELLO_LOGIN_FAILURES", "1000000").arg("serve"));
    let server = Proc(child);
    let pid = server.0.id();
    let client = reqwest::Client::new();
    let start = rss_kib(pid);
    // 16 at a time stays inside the hash queue (2 running, 32 waiting): every
    // one of them runs Argon2, half against ada's hash, half the dummy one.
    let statuses: Vec<u16> = futures_util::stream::iter(0..1000)
        .map(|i| {
            let (client, base) = (&client, &base);
            async move {
                let username = if i % 2 == 0 { "ada".to_owned() } else { format!("nobody{i}") };
                login(client, base, &username, &format!("wrong guess {i}")).await.0
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    let end = rss_kib(pid);
    assert!(statuses.iter().all(|&s| s == 401), "every guess is a plain failure: {statuses:?}");
    eprintln!("hello RSS: {} MiB before 1,000 failed logins, {} MiB after", start / 1024, end / 1024);
    assert!(
        end.saturating_sub(start) <= 64 * 1024,
        "RSS grew from {start} KiB to {end} KiB over 1,000 failed logins"
    );
    assert_eq!(login(&client, &base, "ada", "ada's real password").await.0, 200);
}
