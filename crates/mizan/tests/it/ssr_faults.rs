//! Fault isolation in the SSR pool, against real Bun workers: renders that
//! never return (a synchronous busy loop, a promise that never settles)
//! and renders that crash the worker never fail the good renders sent with
//! them; a killed worker is replaced; a render that was never sent costs
//! nothing; ties spread across workers.
//!
//! Needs `npm install` at the repository root. Run:
//! `cargo test -p mizan --all-features --test it ssr_faults::`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mizan::SsrPool;
use serde_json::json;

use crate::support::ssr::{alive, eventually, ssr};

/// A pool of two warm workers (each has rendered the good component).
async fn two_warm_workers(cfg: mizan::Ssr) -> Arc<SsrPool> {
    let pool = SsrPool::new(cfg.workers(2));
    pool.warm_up().await.expect("warm up");
    eventually("two workers", || pool.stats().live == 2).await;
    let warm: Vec<_> = (0..8)
        .map(|i| {
            let pool = pool.clone();
            async move { pool.render_html("Hello.tsx", &json!({ "name": i })).await }
        })
        .collect();
    for r in futures_util::future::join_all(warm).await {
        r.expect("warm render");
    }
    pool
}

type Outcome = (bool, Result<String, mizan::Error>, Duration);

/// Sends every render at the same moment; each outcome with whether it was a
/// good one and how long it took.
async fn all_at_once(
    pool: &Arc<SsrPool>,
    renders: Vec<(bool, &'static str, serde_json::Value)>,
) -> Vec<Outcome> {
    let start = Instant::now();
    let tasks: Vec<_> = renders
        .into_iter()
        .map(|(good, name, props)| {
            let pool = pool.clone();
            tokio::spawn(async move { (good, pool.render_html(name, &props).await, start.elapsed()) })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("join"));
    }
    out
}

/// 2 never-returning renders of the given kinds among 20 good ones, with 2
/// workers and a 5 s deadline: the 20 succeed within 1 s, the 2 fail
/// `TIMEOUT` at their deadline.
async fn never_returning(bad: [&'static str; 2]) {
    let deadline = Duration::from_secs(5);
    let pool = two_warm_workers(ssr().deadline(deadline)).await;
    let mut renders: Vec<(bool, &'static str, serde_json::Value)> =
        (0..20).map(|i| (true, "Hello.tsx", json!({ "name": format!("g{i}") }))).collect();
    // Among the good ones, not first.
    renders.insert(3, (false, bad[0], json!({})));
    renders.insert(14, (false, bad[1], json!({})));
    let outcomes = all_at_once(&pool, renders).await;
    let mut good = 0;
    for (is_good, result, took) in &outcomes {
        if *is_good {
            good += 1;
            let html = result.as_ref().unwrap_or_else(|e| panic!("a good render failed: {e:?}"));
            assert!(html.starts_with("<div>Hello, g"), "{html}");
            assert!(
                *took < Duration::from_secs(1),
                "a good render took {took:?} ({bad:?}); {:?}",
                pool.stats()
            );
        } else {
            let err = result.as_ref().expect_err("a render that never returns fails");
            assert_eq!(err.code(), "TIMEOUT", "{}", err.message());
            assert!(
                *took >= deadline - Duration::from_millis(100) && *took < deadline + Duration::from_secs(2),
                "failed after {took:?}, not at its deadline"
            );
        }
    }
    assert_eq!(good, 20);
    eventually("two live workers", || pool.stats().live == 2).await;
    assert_eq!(
        pool.render_html("Hello.tsx", &json!({"name": "after"})).await.expect("the pool serves on"),
        "<div>Hello, after!</div>"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_loop_and_a_promise_that_never_settles_delay_no_good_render() {
    never_returning(["Hang.tsx", "Never.tsx"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_busy_loops_delay_no_good_render() {
    never_returning(["Hang.tsx", "Hang.tsx"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_promises_that_never_settle_delay_no_good_render_and_kill_no_worker() {
    let pool_pids = {
        let deadline = Duration::from_secs(2);
        let pool = two_warm_workers(ssr().deadline(deadline)).await;
        let pids = pool.worker_pids();
        let mut renders: Vec<(bool, &'static str, serde_json::Value)> =
            (0..20).map(|i| (true, "Hello.tsx", json!({ "name": i }))).collect();
        renders.insert(0, (false, "Never.tsx", json!({})));
        renders.insert(7, (false, "Never.tsx", json!({})));
        for (good, result, took) in all_at_once(&pool, renders).await {
            if good {
                result.expect("good render");
                assert!(took < Duration::from_secs(1), "took {took:?}");
            } else {
                assert_eq!(result.expect_err("never settles").code(), "TIMEOUT");
            }
        }
        let stats = pool.stats();
        // The event loop stayed free: nothing was stuck, nobody was killed.
        assert_eq!((stats.stuck, stats.crashed, stats.retries, stats.timeouts), (0, 0, 0, 2), "{stats:?}");
        (pool, pids)
    };
    let (pool, pids) = pool_pids;
    let mut now = pool.worker_pids();
    let mut before = pids.clone();
    now.sort_unstable();
    before.sort_unstable();
    assert_eq!(now, before, "the workers that held the renders serve on");
    assert!(pids.iter().all(|&p| alive(p)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_crashing_renders_fail_no_good_one() {
    let pool = two_warm_workers(ssr()).await;
    let mut renders: Vec<(bool, &'static str, serde_json::Value)> =
        (0..40).map(|i| (true, "Hello.tsx", json!({ "name": format!("g{i}") }))).collect();
    for k in 0..10 {
        renders.insert(k * 5 + 1, (false, "Exit.tsx", json!({"delayMs": 0})));
    }
    let outcomes = all_at_once(&pool, renders).await;
    for (good, result, _) in &outcomes {
        match (good, result) {
            (true, Ok(html)) => assert!(html.starts_with("<div>Hello, g"), "{html}"),
            (true, Err(e)) => panic!("a good render failed: {e:?}; {:?}", pool.stats()),
            (false, Ok(html)) => panic!("a crashing render rendered {html}"),
            (false, Err(e)) => {
                assert_eq!(e.code(), "INTERNAL", "{}", e.message());
                assert!(e.message().contains("crashed while rendering Exit.tsx"), "{}", e.message());
            }
        }
    }
    eventually("two live workers", || pool.stats().live == 2).await;
    assert_eq!(
        pool.render_html("Hello.tsx", &json!({"name": "x"})).await.expect("render"),
        "<div>Hello, x!</div>"
    );
}

#[tokio::test]
async fn a_killed_worker_is_replaced_and_the_next_render_succeeds() {
    let pool = two_warm_workers(ssr()).await;
    let victim = pool.worker_pids()[0];
    let status =
        std::process::Command::new("kill").arg("-9").arg(victim.to_string()).status().expect("kill runs");
    assert!(status.success());
    eventually("the killed worker replaced", || {
        let pids = pool.worker_pids();
        pids.len() == 2 && !pids.contains(&victim)
    })
    .await;
    assert!(!alive(victim));
    for i in 0..4 {
        assert_eq!(
            pool.render_html("Hello.tsx", &json!({"name": i})).await.expect("next render"),
            format!("<div>Hello, {i}!</div>")
        );
    }
    assert_eq!(pool.stats().crashed, 1);
}

#[tokio::test]
async fn a_render_never_sent_does_not_spend_its_retry() {
    // One render at a time on the one worker: the second waits, unsent.
    let pool = SsrPool::new(ssr().workers(1).max_in_flight(1).stuck_after(Duration::from_secs(3)));
    pool.warm_up().await.expect("warm up");
    let crasher = {
        let pool = pool.clone();
        tokio::spawn(async move { pool.render_html("Exit.tsx", &json!({"delayMs": 300})).await })
    };
    eventually("the crash to be in flight", || pool.stats().in_flight == 1).await;
    let waiting = {
        let pool = pool.clone();
        tokio::spawn(async move { pool.render_html("Hello.tsx", &json!({"name": "waited"})).await })
    };
    let err = crasher.await.expect("join").expect_err("the crash fails");
    assert!(err.message().contains("crashed while rendering Exit.tsx"), "{}", err.message());
    assert_eq!(waiting.await.expect("join").expect("the waiting render"), "<div>Hello, waited!</div>");
    let stats = pool.stats();
    // Alone on its worker, the crash was the one to blame: nothing was retried.
    assert_eq!((stats.crashed, stats.retries, stats.quarantine_started), (1, 0, 0), "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ties_spread_across_workers() {
    let pool = two_warm_workers(ssr()).await;
    for round in 0..3 {
        let props = json!({"ms": 150});
        let renders: Vec<_> = (0..4).map(|_| pool.render_html("Pid.tsx", &props)).collect();
        let mut per_pid: BTreeMap<String, usize> = BTreeMap::new();
        for html in futures_util::future::join_all(renders).await {
            *per_pid.entry(html.expect("render")).or_default() += 1;
        }
        assert_eq!(per_pid.values().copied().collect::<Vec<_>>(), [2, 2], "round {round}: {per_pid:?}");
    }
}

#[tokio::test]
async fn a_render_that_hangs_alone_is_given_its_deadline_and_its_worker_replaced_meanwhile() {
    let pool = SsrPool::new(ssr().workers(1).deadline(Duration::from_millis(1500)));
    pool.warm_up().await.expect("warm up");
    let first = pool.worker_pids()[0];
    let hang = {
        let pool = pool.clone();
        tokio::spawn(async move { pool.render_html("Hang.tsx", &json!({})).await })
    };
    // Found stuck well before the deadline, and replaced while it hangs.
    eventually("a replacement", || pool.worker_pids().first().is_some_and(|&p| p != first)).await;
    let started = Instant::now();
    assert_eq!(
        pool.render_html("Hello.tsx", &json!({"name": "meanwhile"})).await.expect("render"),
        "<div>Hello, meanwhile!</div>"
    );
    assert!(started.elapsed() < Duration::from_millis(1000));
    assert!(alive(first), "left alone with its render until the deadline");
    let err = hang.await.expect("join").expect_err("deadline");
    assert_eq!(err.code(), "TIMEOUT");
    eventually("the stuck worker killed", || !alive(first)).await;
    let stats = pool.stats();
    assert_eq!((stats.stuck, stats.timed_out, stats.retries), (1, 1, 0), "{stats:?}");
}

#[tokio::test]
async fn a_slow_synchronous_render_alone_still_succeeds() {
    // Busy for 800 ms: past the stuck threshold, well within the deadline.
    let pool = SsrPool::new(ssr().workers(1));
    pool.warm_up().await.expect("warm up");
    let html = pool.render_html("Slow.tsx", &json!({"ms": 800})).await.expect("a slow render alone succeeds");
    assert_eq!(html, "<p>slow</p>");
}
