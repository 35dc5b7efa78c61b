//! Logins under load, against the real `hello` binary on a temp SQLite
//! database: Argon2's memory stays flat however many logins fail, and a
//! flood of failures from one address neither slows nor locks out a user
//! logging in from another. With `$REDIS_URL` set, two processes count
//! against one limit.

use std::net::{IpAddr, Ipv4Addr};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::support::{BIN, Proc, free_port, listen, redis_server};

/// One login test at a time: each floods its own server with Argon2 hashes,
/// and two floods side by side on a small machine measure each other's CPU,
/// not the server's fairness.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

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

/// A client whose connections come from `127.0.0.N`.
fn from_loopback(n: u8) -> reqwest::Client {
    let address = IpAddr::V4(Ipv4Addr::new(127, 0, 0, n));
    reqwest::Client::builder().local_address(address).build().expect("client")
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
    let _one = ONE_AT_A_TIME.lock().await;
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

#[tokio::test]
async fn a_flood_from_one_address_does_not_slow_a_login_from_another() {
    let _one = ONE_AT_A_TIME.lock().await;
    let db = TempDb::new();
    createuser(&db, "ada", "ada's real password");
    let (child, base) = listen(hello(&db).arg("serve"));
    let _server = Proc(child);
    let stop = Arc::new(AtomicBool::new(false));
    let (failed, refused) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let started = Instant::now();
    let flood: Vec<_> = (0..8)
        .map(|worker| {
            let (base, stop, failed, refused) = (base.clone(), stop.clone(), failed.clone(), refused.clone());
            tokio::spawn(async move {
                let client = from_loopback(1);
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    match login(&client, &base, &format!("flood{worker}x{n}"), "guess").await {
                        (401, None) => failed.fetch_add(1, Ordering::Relaxed),
                        (429, Some(retry)) => {
                            let seconds: u64 = retry.parse().expect("retry-after in seconds");
                            assert!((1..=60).contains(&seconds), "retry-after {seconds}");
                            refused.fetch_add(1, Ordering::Relaxed)
                        }
                        other => panic!("a flood guess answered {other:?}"),
                    };
                }
            })
        })
        .collect();
    // The flood has spent the address's 50 failures: it is refused now.
    while refused.load(Ordering::Relaxed) < 20 {
        assert!(started.elapsed() < Duration::from_secs(50), "the address limit never engaged");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let ada = from_loopback(2);
    let mut took = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let (status, _) = login(&ada, &base, "ada", "ada's real password").await;
        took.push(t.elapsed());
        assert_eq!(status, 200, "ada logs in from 127.0.0.2 during the flood");
    }
    stop.store(true, Ordering::Relaxed);
    for task in flood {
        task.await.expect("a flood worker");
    }
    let elapsed = started.elapsed();
    eprintln!(
        "flood: {} failed, {} refused in {elapsed:?}; ada's logins took {took:?}",
        failed.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed)
    );
    // Unbounded, the hash queue made such a login wait 6 s behind the flood;
    // bounded, it waits at most for the hashes already admitted. A debug
    // build on a loaded 2-core machine takes up to ~0.9 s for the first.
    assert!(took.iter().all(|t| *t < Duration::from_secs(2)), "{took:?}");
    let windows = usize::try_from(elapsed.as_secs() / 60 + 1).expect("small");
    assert!(failed.load(Ordering::Relaxed) <= 50 * windows, "at most 50 failures per minute from 127.0.0.1");
}

#[tokio::test]
async fn a_username_flood_locks_its_owner_out_and_a_batch_counts_each_item() {
    let _one = ONE_AT_A_TIME.lock().await;
    let db = TempDb::new();
    createuser(&db, "bob", "bob's real password");
    createuser(&db, "carol", "carol's real password");
    let (child, base) = listen(hello(&db).arg("serve"));
    let _server = Proc(child);
    // Ten wrong guesses at bob, each from its own address: the per-username
    // limit, not the per-address one, is what engages.
    for n in 0..10 {
        assert_eq!(login(&from_loopback(10 + n), &base, "bob", "guess").await, (401, None));
    }
    let (status, retry) = login(&from_loopback(30), &base, "BOB", "guess").await;
    let retry: u64 = retry.expect("retry-after").parse().expect("seconds");
    assert_eq!(status, 429);
    assert!((14 * 60..=15 * 60).contains(&retry), "the rest of 15 minutes: {retry}");
    // The owner, with the right password from a fresh address, is locked out too.
    let (status, retry) = login(&from_loopback(2), &base, "bob", "bob's real password").await;
    assert_eq!((status, retry.is_some()), (429, true));

    // A batch of 12 guesses at carol: ten are counted and fail, two are refused.
    let items: Vec<Value> = (0..12)
        .map(|i| json!({"fn": "accounts.login", "args": {"username": "carol", "password": format!("g{i}")}}))
        .collect();
    let r = from_loopback(3)
        .post(format!("{base}/api/mizan/batch"))
        .header("origin", &base)
        .json(&items)
        .send()
        .await
        .expect("batch");
    assert_eq!(r.status().as_u16(), 200);
    let retry: u64 = r.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!(retry > 14 * 60, "{retry}");
    let answers: Vec<Value> = r.json().await.expect("json");
    let codes: Vec<&str> = answers.iter().map(|a| a["error"]["code"].as_str().expect("an error")).collect();
    assert_eq!(codes.iter().filter(|c| **c == "UNAUTHENTICATED").count(), 10, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == "RATE_LIMITED").count(), 2, "{codes:?}");
    let (status, _) = login(&from_loopback(2), &base, "carol", "carol's real password").await;
    assert_eq!(status, 429, "carol is locked out for the window");
    // Others are not.
    createuser(&db, "dave", "dave's real password");
    assert_eq!(login(&from_loopback(2), &base, "dave", "dave's real password").await.0, 200);
}

#[tokio::test]
async fn two_processes_share_the_login_limits_through_redis() {
    let _one = ONE_AT_A_TIME.lock().await;
    let port = free_port();
    let _redis = redis_server(port);
    let redis_url = format!("redis://127.0.0.1:{port}");
    let db = TempDb::new();
    createuser(&db, "erin", "erin's real password");
    let serve = |db: &TempDb| {
        let (child, base) =
            listen(hello(db).env("REDIS_URL", &redis_url).env("HELLO_LOGIN_FAILURES", "3").arg("serve"));
        (Proc(child), base)
    };
    let (_a, a) = serve(&db);
    let (_b, b) = serve(&db);
    // Three wrong guesses at erin, each from its own address, spread over both servers.
    assert_eq!(login(&from_loopback(40), &a, "erin", "guess").await, (401, None));
    assert_eq!(login(&from_loopback(41), &b, "erin", "guess").await, (401, None));
    assert_eq!(login(&from_loopback(42), &a, "erin", "guess").await, (401, None));
    // The limit is spent on both: erin's own password is refused by the other one.
    let (status, retry) = login(&from_loopback(43), &b, "erin", "erin's real password").await;
    assert_eq!((status, retry.is_some()), (429, true), "the count is shared, not per process");
    // Per address too: three failures for other names from one address.
    for (server, name) in [(&a, "x1"), (&b, "x2"), (&a, "x3")] {
        assert_eq!(login(&from_loopback(44), server, name, "guess").await.0, 401);
    }
    assert_eq!(login(&from_loopback(44), &b, "x4", "guess").await.0, 429);
}
