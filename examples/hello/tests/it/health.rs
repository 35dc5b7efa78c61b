//! `GET /healthz` on hello as served: the SSR pool idle until a page is
//! rendered, the accounts database up, Redis as the environment says.

use std::process::Command;

use serde_json::{Value, json};

use crate::support::{BIN, Proc, free_port, listen, redis_server};

fn start(env: &[(&str, &str)]) -> (Proc, String) {
    let mut cmd = Command::new(BIN);
    cmd.arg("serve").env("DATABASE_URL", "sqlite::memory:");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let (child, url) = listen(&mut cmd);
    (Proc(child), url)
}

async fn health(url: &str) -> (u16, Value) {
    let res = reqwest::get(format!("{url}/healthz")).await.expect("healthz");
    (res.status().as_u16(), res.json().await.expect("json"))
}

#[tokio::test]
async fn healthz_says_idle_until_a_page_is_rendered() {
    let (_hello, url) = start(&[]);
    assert_eq!(health(&url).await, (200, json!({"ssr": "idle", "db": "up", "redis": "none"})));
    let page = reqwest::get(format!("{url}/hello/")).await.expect("page");
    assert_eq!(page.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(health(&url).await, (200, json!({"ssr": "up", "db": "up", "redis": "none"})));
}

#[tokio::test]
async fn healthz_is_503_while_the_shared_redis_is_down() {
    let port = free_port();
    let redis = redis_server(port);
    let redis_url = format!("redis://127.0.0.1:{port}");
    let (_hello, url) = start(&[("REDIS_URL", &redis_url)]);
    assert_eq!(health(&url).await, (200, json!({"ssr": "idle", "db": "up", "redis": "up"})));
    drop(redis);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(health(&url).await, (503, json!({"ssr": "idle", "db": "up", "redis": "down"})));
}
