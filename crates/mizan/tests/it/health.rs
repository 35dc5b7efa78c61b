//! `GET /healthz`: each service's state, 503 when one is down, the SSR pool
//! never started by a probe, the path configurable or off, extensions'
//! own services, and probes answered from one round of checks a second.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use mizan::{App, BoxFuture, Extension, Health};
use serde_json::{Value, json};

use crate::support::serve;

async fn get(url: &str) -> (u16, Value, reqwest::header::HeaderMap) {
    let res = reqwest::get(url).await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, res.json().await.unwrap(), headers)
}

#[tokio::test]
async fn an_app_without_services_is_up_and_says_none_for_each() {
    let served = serve(App::new()).await;
    let (status, body, headers) = get(&served.site("/healthz")).await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({"ssr": "none", "db": "none", "redis": "none"}));
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["cache-control"], "no-store");
}

#[tokio::test]
async fn a_probe_never_starts_the_ssr_pool_and_a_render_makes_it_up() {
    let app = App::new().ssr(crate::support::ssr::ssr());
    let views = axum::Router::new().route(
        "/page/",
        axum::routing::get(|req: mizan::Request| async move {
            mizan::render(&req, "Hello.tsx", json!({"name": "health"})).await
        }),
    );
    let served = crate::support::serve_with(app, views).await;
    // Probes a second apart (each a new round of checks): had one started
    // the pool, its worker would be live by the next.
    for round in 0..2 {
        if round > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        }
        let (status, body, _) = get(&served.site("/healthz")).await;
        assert_eq!((status, &body["ssr"]), (200, &json!("idle")), "round {round}");
    }
    assert_eq!(reqwest::get(served.site("/page/")).await.unwrap().status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, body, _) = get(&served.site("/healthz")).await;
    assert_eq!((status, &body["ssr"]), (200, &json!("up")));
}

#[tokio::test]
async fn an_ssr_pool_that_cannot_find_bun_is_down_and_the_check_is_503() {
    let app = App::new().ssr(crate::support::ssr::ssr().bun("/nonexistent/bun"));
    let served = serve(app).await;
    let (status, body, _) = get(&served.site("/healthz")).await;
    assert_eq!(status, 503);
    assert_eq!(body["ssr"], "down");
}

#[cfg(feature = "redis")]
#[tokio::test]
async fn redis_is_up_when_it_answers_and_down_when_it_does_not() {
    let redis = crate::support::redis::SharedRedis::get();
    let up = serve(App::new().channel_layer(mizan::ChannelLayer::redis(redis.url()))).await;
    let (status, body, _) = get(&up.site("/healthz")).await;
    assert_eq!((status, &body["redis"]), (200, &json!("up")), "{body}");

    let limits = serve(App::new().rate_store(mizan::RateStore::redis(redis.url()))).await;
    let (status, body, _) = get(&limits.site("/healthz")).await;
    assert_eq!((status, &body["redis"]), (200, &json!("up")), "{body}");

    // Nothing listens on this port.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dead = format!("redis://127.0.0.1:{port}");
    let down = serve(App::new().channel_layer(mizan::ChannelLayer::redis(dead.clone()))).await;
    let (status, body, _) = get(&down.site("/healthz")).await;
    assert_eq!((status, &body["redis"]), (503, &json!("down")), "{body}");
    let down = serve(App::new().rate_store(mizan::RateStore::redis(dead))).await;
    let (status, body, _) = get(&down.site("/healthz")).await;
    assert_eq!((status, &body["redis"]), (503, &json!("down")), "{body}");
}

/// An extension with a service of its own, counting its checks.
struct Queue {
    up: bool,
    checks: Arc<AtomicUsize>,
}

impl Extension for Queue {
    fn health(&self) -> BoxFuture<'_, Vec<(&'static str, Health)>> {
        self.checks.fetch_add(1, Ordering::SeqCst);
        let state = if self.up { Health::Up } else { Health::Down };
        Box::pin(async move { vec![("queue", state)] })
    }
}

#[tokio::test]
async fn extensions_report_their_own_services() {
    let checks = Arc::new(AtomicUsize::new(0));
    let served = serve(App::new().extend(Queue { up: true, checks: checks.clone() })).await;
    let (status, body, _) = get(&served.site("/healthz")).await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({"ssr": "none", "db": "none", "redis": "none", "queue": "up"}));

    let down = serve(App::new().extend(Queue { up: false, checks: Arc::new(AtomicUsize::new(0)) })).await;
    let (status, body, _) = get(&down.site("/healthz")).await;
    assert_eq!((status, &body["queue"]), (503, &json!("down")));
}

#[tokio::test]
async fn a_flood_of_probes_runs_one_round_of_checks_a_second() {
    let checks = Arc::new(AtomicUsize::new(0));
    let served = serve(App::new().extend(Queue { up: true, checks: checks.clone() })).await;
    let url = served.site("/healthz");
    let started = std::time::Instant::now();
    let probes = (0..200).map(|_| {
        let url = url.clone();
        tokio::spawn(async move { reqwest::get(url).await.unwrap().status().as_u16() })
    });
    for probe in probes {
        assert_eq!(probe.await.unwrap(), 200);
    }
    let seconds = started.elapsed().as_secs() as usize;
    let rounds = checks.load(Ordering::SeqCst);
    assert!(rounds <= seconds + 1, "{rounds} rounds of checks for 200 probes in {seconds} s");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    get(&url).await;
    assert_eq!(checks.load(Ordering::SeqCst), rounds + 1, "a probe after a second checks again");
}

#[tokio::test]
async fn the_path_is_configurable_and_the_check_can_be_off() {
    let moved = serve(App::new().health_path("/status")).await;
    assert_eq!(get(&moved.site("/status")).await.0, 200);
    assert_eq!(reqwest::get(moved.site("/healthz")).await.unwrap().status(), 404);

    let off = serve(App::new().without_health()).await;
    assert_eq!(reqwest::get(off.site("/healthz")).await.unwrap().status(), 404);

    let bad = App::new().health_path("status").mount("/api/mizan", axum::Router::new());
    let err = bad.expect_err("a health path without / is refused").to_string();
    assert!(err.contains("health path `status` must start with `/`"), "{err}");
}

#[cfg(feature = "accounts")]
#[tokio::test]
async fn accounts_report_the_database() {
    let accounts = mizan::accounts::Accounts::lazy("sqlite::memory:").unwrap();
    let served = serve(App::new().extend(accounts)).await;
    let (status, body, _) = get(&served.site("/healthz")).await;
    assert_eq!((status, &body["db"]), (200, &json!("up")), "{body}");

    // A PostgreSQL that does not listen: the check answers down within its timeout.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let accounts =
        mizan::accounts::Accounts::lazy(&format!("postgres://postgres@127.0.0.1:{port}/none")).unwrap();
    let served = serve(App::new().extend(accounts)).await;
    let started = std::time::Instant::now();
    let (status, body, _) = get(&served.site("/healthz")).await;
    assert_eq!((status, &body["db"]), (503, &json!("down")), "{body}");
    assert!(started.elapsed() < std::time::Duration::from_secs(4), "{:?}", started.elapsed());
}
