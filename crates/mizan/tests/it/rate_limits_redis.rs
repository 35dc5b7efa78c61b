//! Rate limits shared through Redis: two servers (two apps, each with its
//! own limiter, as two processes have) counting one limit, login limits
//! included, and what a stopped Redis does (each server counts on its own;
//! no call is refused for it).

use std::time::Duration;

use mizan::accounts::{Accounts, LoginLimits};
use mizan::{App, RateStore, Request};
use serde_json::{Value, json};

use crate::support::redis::{OwnRedis, SharedRedis, unique_prefix};
use crate::support::{self, Served};

#[mizan::client(rate = "3/min")]
async fn limited(_req: &Request) -> mizan::Result<()> {
    Ok(())
}

async fn call(s: &Served, name: &str, args: Value) -> (u16, Value, Option<String>) {
    let r = reqwest::Client::new()
        .post(format!("{}/call/{name}", s.api))
        .header("origin", format!("http://{}", s.addr))
        .json(&args)
        .send()
        .await
        .expect("send");
    let retry = r.headers().get("retry-after").map(|v| v.to_str().expect("ascii").to_owned());
    (r.status().as_u16(), r.json().await.expect("json"), retry)
}

fn code(answer: &(u16, Value, Option<String>)) -> &str {
    answer.1["error"]["code"].as_str().unwrap_or("none")
}

#[tokio::test]
async fn two_servers_share_one_limit() {
    let redis = SharedRedis::get();
    let prefix = unique_prefix();
    let server = || async {
        support::serve_with_peers(
            App::new().rate_store(RateStore::redis(redis.url()).prefix(&prefix)).register(limited),
        )
        .await
    };
    let (a, b) = (server().await, server().await);
    assert_eq!(call(&a, "limited", json!({})).await.0, 200);
    assert_eq!(call(&b, "limited", json!({})).await.0, 200);
    assert_eq!(call(&a, "limited", json!({})).await.0, 200);
    for s in [&b, &a] {
        let refused = call(s, "limited", json!({})).await;
        assert_eq!((refused.0, code(&refused)), (429, "RATE_LIMITED"), "the third call spent it for both");
        let retry: u64 = refused.2.expect("retry-after").parse().expect("seconds");
        assert!((1..=60).contains(&retry), "{retry}");
    }
    // Another prefix is another site: its count is its own.
    let elsewhere = support::serve_with_peers(
        App::new().rate_store(RateStore::redis(redis.url()).prefix(unique_prefix())).register(limited),
    )
    .await;
    assert_eq!(call(&elsewhere, "limited", json!({})).await.0, 200);
}

#[tokio::test]
async fn login_limits_are_shared_across_servers() {
    let redis = SharedRedis::get();
    let prefix = unique_prefix();
    let path = std::env::temp_dir().join(format!("mizan-limits-{}.sqlite3", uuid::Uuid::new_v4().simple()));
    let db = format!("sqlite://{}?mode=rwc", path.display());
    let server = || async {
        let accounts = Accounts::open(&db)
            .await
            .expect("open")
            .secure_cookies(false)
            .login_limits(LoginLimits::default().per_username(2, Duration::from_secs(600)));
        let app = App::new()
            .rate_store(RateStore::redis(redis.url()).prefix(&prefix))
            .authenticator(accounts.authenticator())
            .extend(accounts);
        support::serve_with_peers(app).await
    };
    let (a, b) = (server().await, server().await);
    let guess = json!({"username": "ada", "password": "a wrong guess"});
    assert_eq!(code(&call(&a, "accounts.login", guess.clone()).await), "UNAUTHENTICATED");
    assert_eq!(code(&call(&b, "accounts.login", guess.clone()).await), "UNAUTHENTICATED");
    for s in [&a, &b] {
        let refused = call(s, "accounts.login", guess.clone()).await;
        assert_eq!((refused.0, code(&refused)), (429, "RATE_LIMITED"), "two failures in all spent ada's");
    }
    assert_eq!(
        code(&call(&b, "accounts.login", json!({"username": "bob", "password": "x"})).await),
        "UNAUTHENTICATED",
        "another username is untouched"
    );
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[tokio::test]
async fn a_stopped_redis_leaves_each_server_counting_on_its_own() {
    let mut redis = OwnRedis::start();
    let app = App::new().rate_store(RateStore::redis(redis.url()).prefix(unique_prefix())).register(limited);
    let s = support::serve_with_peers(app).await;
    assert_eq!(call(&s, "limited", json!({})).await.0, 200);
    assert_eq!(call(&s, "limited", json!({})).await.0, 200);
    redis.kill();
    // Redis is gone: calls are not refused for it (no UNAVAILABLE), and the
    // limit still holds, counted in this process from its first call without Redis.
    for i in 0..3 {
        let answer = call(&s, "limited", json!({})).await;
        assert_eq!(answer.0, 200, "call {i} without Redis: {}", answer.1);
    }
    let refused = call(&s, "limited", json!({})).await;
    assert_eq!((refused.0, code(&refused)), (429, "RATE_LIMITED"), "counted locally");
    // Redis is back (empty): counts are shared again, from its own count.
    redis.restart();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(call(&s, "limited", json!({})).await.0, 200, "Redis counts again");
}
