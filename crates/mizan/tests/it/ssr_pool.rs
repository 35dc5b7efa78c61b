//! The SSR pool against real Bun workers: ping, render, errors, crashes,
//! hangs, garbage on stdout, recycling, concurrency, name resolution.
//!
//! Needs `npm install` at the repository root (Bun and React come from
//! `node_modules`). Run: `cargo test -p mizan --all-features --test it ssr_pool::`.

use crate::support::ssr as support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use mizan::{Ssr, SsrPool};
use serde_json::{Map, json};
use support::{eventually, fixtures, ssr};

#[tokio::test]
async fn starts_lazily_and_answers_a_ping() {
    let pool = SsrPool::new(ssr());
    assert!(!pool.is_started(), "creating the pool must not start Bun");
    assert_eq!(pool.stats().started, 0);
    let rtt = pool.ping().await.expect("ping");
    assert!(rtt < Duration::from_secs(5));
    assert!(pool.is_started());
    assert_eq!(pool.stats().live, 1);
    assert_eq!(pool.worker_pids().len(), 1);
}

#[tokio::test]
async fn renders_a_component() {
    let pool = SsrPool::new(ssr());
    let html = pool.render_html("Hello.tsx", &json!({"name": "World"})).await.expect("render");
    assert_eq!(html, "<div>Hello, World!</div>");
    let html = pool.render_html("nested/Deep.tsx", &json!(null)).await.expect("render nested");
    assert_eq!(html, "<p>deep</p>");
    let html = pool.render_html("./Hello.tsx", &json!({"name": "again"})).await.expect("cached import");
    assert_eq!(html, "<div>Hello, again!</div>");
}

#[tokio::test]
async fn props_reach_the_component_intact() {
    let pool = SsrPool::new(ssr());
    let props = json!({"s": "ünï \u{2028}\u{2029} \n \"q\" </script>", "n": 1.5, "list": [1, null, true], "o": {"k": "v"}});
    let html = pool.render_html("Echo.tsx", &props).await.expect("render");
    let inner = html.strip_prefix("<pre>").and_then(|h| h.strip_suffix("</pre>")).expect("a <pre>");
    let unescaped =
        inner.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    let back: serde_json::Value = serde_json::from_str(&unescaped).expect("JSON");
    assert_eq!(back, props);
    let err = pool.render_html("Echo.tsx", &json!([1, 2])).await.expect_err("props must be an object");
    assert!(err.message().contains("JSON object"), "{}", err.message());

    // A request line far past a pipe's 64 KiB arrives in many reads, with
    // multi-byte characters cut between them: it is put back together.
    let long: String = "ü✓€".repeat(40_000);
    let props = json!({"s": long, "list": (0..2000).collect::<Vec<_>>()});
    let html = pool.render_html("Echo.tsx", &props).await.expect("render");
    let inner = html.strip_prefix("<pre>").and_then(|h| h.strip_suffix("</pre>")).expect("a <pre>");
    let back: serde_json::Value = serde_json::from_str(&inner.replace("&quot;", "\"")).expect("JSON");
    assert_eq!(back, props);
    assert_eq!(pool.stats().protocol_errors, 0);
}

#[tokio::test]
async fn large_pages_use_the_byte_framing() {
    let pool = SsrPool::new(ssr());
    let html = pool.render_html("Big.tsx", &json!({"rows": 3000})).await.expect("render");
    assert!(html.len() > 64 * 1024, "only {} bytes", html.len());
    assert_eq!(html.matches("<li>").count(), 3000);
    assert!(html.contains("row 2999 — ünïcödé ✓ &quot;quoted&quot; &lt;tag&gt; \u{2028}"));
    // The worker is still in step with the protocol after the raw bytes.
    assert_eq!(
        pool.render_html("Hello.tsx", &json!({"name": "after"})).await.expect("render"),
        "<div>Hello, after!</div>"
    );
    assert_eq!(pool.stats().protocol_errors, 0);
}

#[tokio::test]
async fn console_output_does_not_touch_the_protocol() {
    let pool = SsrPool::new(ssr());
    let html = pool.render_html("Console.tsx", &json!({})).await.expect("render");
    assert_eq!(html, "<p>logged</p>");
    assert_eq!(pool.stats().protocol_errors, 0);
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

#[tokio::test]
async fn the_worker_console_reaches_tracing_tagged_with_the_render_id() {
    // A current-thread runtime: the forwarding task runs on this thread, under this subscriber.
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("mizan=debug")
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let pool = SsrPool::new(ssr());
    assert_eq!(pool.render_html("Console.tsx", &json!({})).await.expect("render"), "<p>logged</p>");
    eventually("the console lines in tracing", || captured.text().contains("an error line")).await;
    let text = captured.text();
    let line = text.lines().find(|l| l.contains("hello from the component")).expect("console.log line");
    assert!(line.contains("INFO") && line.contains("render_id="), "{line}");
    let line = text.lines().find(|l| l.contains("an error line")).expect("console.error line");
    assert!(line.contains("ERROR") && line.contains("render_id="), "{line}");
    // A multi-line message stays one event.
    let line = text.lines().find(|l| l.contains("first line")).expect("console.warn line");
    assert!(line.contains("WARN") && line.contains("first line\\nsecond line"), "{line}");

    // Long lines are cut, by the worker's console and by the host alike.
    let html = pool.render_html("Console.tsx", &json!({"long": 200_000})).await.expect("render");
    assert_eq!(html, "<p>logged</p>");
    eventually("the cut lines in tracing", || captured.text().contains("more characters cut")).await;
    eventually("the host's cut", || captured.text().contains("more bytes cut")).await;
    let text = captured.text();
    let longest = text.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 17 * 1024, "a forwarded line is {longest} bytes");
}

#[tokio::test]
async fn a_throwing_component_gives_its_message_and_location() {
    let pool = SsrPool::new(ssr());
    let err = pool.render_html("Throws.tsx", &json!({"reason": "bad input"})).await.expect_err("throws");
    assert_eq!(err.code(), "INTERNAL");
    assert!(err.message().contains("boom: bad input"), "{}", err.message());
    assert!(err.message().contains("Throws.tsx:2:"), "{}", err.message());
    // The worker survives a component's exception.
    let pid = pool.worker_pids();
    assert_eq!(
        pool.render_html("Hello.tsx", &json!({"name": "ok"})).await.expect("render"),
        "<div>Hello, ok!</div>"
    );
    assert_eq!(pool.worker_pids(), pid);
    assert_eq!(pool.stats().crashed, 0);

    // A syntax error (Bun's BuildMessage has a position, not a stack) is located too.
    let syntax = pool.render_html("SyntaxError.tsx", &json!({})).await.expect_err("does not parse");
    assert!(syntax.message().contains("Syntax Error"), "{}", syntax.message());
    assert!(syntax.message().contains("at SyntaxError.tsx:2:"), "{}", syntax.message());
    assert_eq!(pool.worker_pids(), pid);

    let no_default = pool.render_html("NoDefault.tsx", &json!({})).await.expect_err("nothing to render");
    assert!(no_default.message().contains("no default export"), "{}", no_default.message());
}

#[tokio::test]
async fn error_pages_in_dev_and_production() {
    let dev = SsrPool::new(ssr().dev(true));
    let res =
        dev.render_response("Throws.tsx", &json!({"reason": "<why>"}), &Map::new(), Some("req-1")).await;
    assert_eq!(res.status(), 500);
    assert_eq!(res.headers()["x-mizan-error"], "INTERNAL");
    let body = body_text(res).await;
    assert!(body.contains("boom: &lt;why&gt;"), "{body}");
    assert!(body.contains("Throws.tsx:2:13"), "{body}");
    assert!(body.contains("req-1"));

    let prod = SsrPool::new(ssr().dev(false));
    let res =
        prod.render_response("Throws.tsx", &json!({"reason": "secret"}), &Map::new(), Some("req-2")).await;
    assert_eq!(res.status(), 500);
    let body = body_text(res).await;
    assert!(body.contains("500 Internal Server Error"), "{body}");
    assert!(!body.contains("secret") && !body.contains("Throws.tsx"), "production leaks details: {body}");
}

async fn body_text(res: axum::response::Response) -> String {
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.expect("body");
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

/// Renders in flight with a crashing one are suspects: each is sent again
/// alone, the innocent succeed, the crashing one crashes alone and fails.
#[tokio::test]
async fn a_crash_fails_fast_and_the_renders_in_flight_with_it_succeed() {
    // The heartbeat must not take the busy crasher for a hang here.
    let pool = SsrPool::new(ssr().workers(1).stuck_after(Duration::from_secs(3)));
    pool.warm_up().await.expect("warm up");
    let first_pid = pool.worker_pids()[0];

    let crasher = {
        let pool = pool.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            (pool.render_html("Exit.tsx", &json!({"delayMs": 400})).await, started.elapsed())
        })
    };
    eventually("the crashing render to be running", || pool.stats().in_flight == 1).await;
    let queued: Vec<_> = (0..3)
        .map(|i| {
            let pool = pool.clone();
            tokio::spawn(
                async move { pool.render_html("Hello.tsx", &json!({"name": format!("q{i}")})).await },
            )
        })
        .collect();

    let (result, took) = crasher.await.expect("join");
    let err = result.expect_err("the running render fails");
    assert!(err.message().contains("crashed while rendering Exit.tsx"), "{}", err.message());
    assert!(err.message().contains("status 3"), "{}", err.message());
    assert!(took < Duration::from_secs(3), "failing took {took:?}");
    for (i, q) in queued.into_iter().enumerate() {
        let html = q.await.expect("join").expect("a render in flight with the crash retried alone");
        assert_eq!(html, format!("<div>Hello, q{i}!</div>"));
    }
    let stats = pool.stats();
    // The worker, then the quarantine worker the crasher ran on alone.
    assert_eq!(stats.crashed, 2, "{stats:?}");
    assert_eq!(stats.retries, 4, "{stats:?}");
    assert!(stats.quarantine_started >= 1, "{stats:?}");
    eventually("a replacement worker", || pool.stats().live == 1).await;
    assert_ne!(pool.worker_pids()[0], first_pid);
    assert!(!support::alive(first_pid));
    assert_eq!(
        pool.render_html("Hello.tsx", &json!({"name": "next"})).await.expect("next"),
        "<div>Hello, next!</div>"
    );
}

#[tokio::test]
async fn the_crashing_render_is_never_retried() {
    let pool = SsrPool::new(ssr().workers(2));
    pool.warm_up().await.expect("warm up");
    eventually("two workers", || pool.stats().live == 2).await;
    let err = pool.render_html("Exit.tsx", &json!({"delayMs": 0})).await.expect_err("crash");
    assert!(err.message().contains("crashed"), "{}", err.message());
    eventually("the replacement", || pool.stats().live == 2).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stats = pool.stats();
    assert_eq!(stats.crashed, 1, "one bad component must not take down a second worker: {stats:?}");
    assert_eq!(stats.retries, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 5)]
async fn concurrent_renders_from_five_tasks() {
    let pool = SsrPool::new(ssr().workers(2));
    let tasks: Vec<_> = (0..5)
        .map(|t| {
            let pool = pool.clone();
            tokio::spawn(async move {
                for i in 0..20 {
                    let name = format!("t{t}-{i}");
                    let html = pool.render_html("Hello.tsx", &json!({"name": name})).await.expect("render");
                    assert_eq!(html, format!("<div>Hello, {name}!</div>"));
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    let stats = pool.stats();
    assert_eq!(stats.renders, 100);
    assert_eq!(stats.crashed + stats.timed_out + stats.protocol_errors, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renders_go_to_the_least_busy_worker() {
    let pool = SsrPool::new(ssr().workers(2));
    pool.warm_up().await.expect("warm up");
    eventually("two workers", || pool.stats().live == 2).await;
    // Warm both workers' module caches.
    let warm = json!({"ms": 1});
    let _ = tokio::join!(pool.render_html("Slow.tsx", &warm), pool.render_html("Slow.tsx", &warm));
    let slow = {
        let pool = pool.clone();
        tokio::spawn(async move { pool.render_html("Slow.tsx", &json!({"ms": 1500})).await })
    };
    eventually("the slow render to be in flight", || pool.stats().in_flight == 1).await;
    let started = Instant::now();
    let html = pool.render_html("Hello.tsx", &json!({"name": "fast"})).await.expect("render");
    assert_eq!(html, "<div>Hello, fast!</div>");
    assert!(
        started.elapsed() < Duration::from_millis(1000),
        "waited behind the busy worker: {:?}",
        started.elapsed()
    );
    assert_eq!(slow.await.expect("join").expect("slow render"), "<p>slow</p>");
}

#[tokio::test]
async fn a_hung_render_times_out_and_its_worker_is_replaced() {
    let pool = SsrPool::new(ssr().workers(1).deadline(Duration::from_millis(1500)));
    pool.warm_up().await.expect("warm up");
    let hung_pid = pool.worker_pids()[0];
    let hang = {
        let pool = pool.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            (pool.render_html("Hang.tsx", &json!({})).await, started.elapsed())
        })
    };
    eventually("the hang to be running", || pool.stats().in_flight == 1).await;
    let behind = {
        let pool = pool.clone();
        tokio::spawn(async move { pool.render_html("Hello.tsx", &json!({"name": "behind"})).await })
    };
    let (result, took) = hang.await.expect("join");
    let err = result.expect_err("deadline");
    assert_eq!(err.code(), "TIMEOUT");
    assert_eq!(err.status().as_u16(), 504);
    assert!(took >= Duration::from_millis(1400) && took < Duration::from_secs(4), "took {took:?}");
    assert_eq!(behind.await.expect("join").expect("queued render retried"), "<div>Hello, behind!</div>");
    assert_eq!(pool.stats().timed_out, 1);
    eventually("the hung worker to be gone", || !support::alive(hung_pid)).await;
    assert_eq!(
        pool.render_html("Hello.tsx", &json!({"name": "x"})).await.expect("render"),
        "<div>Hello, x!</div>"
    );
}

#[tokio::test]
async fn workers_are_recycled_after_n_renders() {
    let pool = SsrPool::new(ssr().workers(1).recycle_after(3));
    let mut pids = Vec::new();
    for i in 0..7 {
        let html = pool.render_html("Hello.tsx", &json!({"name": i})).await.expect("render");
        assert_eq!(html, format!("<div>Hello, {i}!</div>"));
        eventually("a live worker", || pool.stats().live == 1).await;
        pids.push(pool.worker_pids()[0]);
    }
    // Renders 1-2 on the first worker; it retires after its 3rd.
    assert_eq!(pids[0], pids[1]);
    assert_ne!(pids[1], pids[3]);
    assert_eq!(pids[3], pids[4]);
    assert_ne!(pids[4], pids[6]);
    let stats = pool.stats();
    assert_eq!((stats.recycled, stats.recycled_renders), (2, 2), "{stats:?}");
    assert_eq!(stats.crashed, 0);
    eventually("recycled workers to exit", || !support::alive(pids[0])).await;
}

#[tokio::test]
async fn workers_are_recycled_by_memory_growth() {
    // Any growth at all: the worker grows as soon as it renders.
    let pool = SsrPool::new(ssr().workers(1).max_memory_growth(1));
    pool.warm_up().await.expect("warm up");
    let first = pool.worker_pids()[0];
    for i in 0..5 {
        pool.render_html("Hello.tsx", &json!({ "name": i })).await.expect("render");
    }
    eventually("a recycle by memory", || pool.stats().recycled_memory >= 1).await;
    eventually("a fresh worker", || pool.worker_pids().first().is_some_and(|&p| p != first)).await;
    assert_eq!(
        pool.render_html("Hello.tsx", &json!({"name": "fresh"})).await.expect("render"),
        "<div>Hello, fresh!</div>"
    );
    let stats = pool.stats();
    assert_eq!((stats.recycled_age, stats.recycled_renders, stats.crashed), (0, 0, 0), "{stats:?}");
    eventually("the old worker to exit", || !support::alive(first)).await;
}

#[tokio::test]
async fn workers_are_recycled_by_age_and_finish_their_renders_first() {
    let pool = SsrPool::new(ssr().workers(1).max_age(Duration::from_millis(400)).max_memory_growth(0));
    pool.warm_up().await.expect("warm up");
    let first = pool.worker_pids()[0];
    // In flight when the worker comes of age: it finishes there, not elsewhere.
    let html = pool.render_html("Pid.tsx", &json!({"ms": 1200})).await.expect("a render through the recycle");
    assert_eq!(html, format!("<p>pid {first}</p>"));
    let stats = pool.stats();
    assert!(stats.recycled_age >= 1, "{stats:?}");
    assert_eq!((stats.retries, stats.crashed, stats.recycled_memory), (0, 0, 0), "{stats:?}");
    assert_ne!(pool.worker_pids().first(), Some(&first), "a replacement serves meanwhile");
    eventually("the old worker to exit", || !support::alive(first)).await;
}

#[tokio::test]
async fn a_well_formed_unknown_bundle_name_never_starts_the_pool() {
    let pool = SsrPool::new(ssr());
    let router = pool.assets_router();
    for name in ["Hello-0123456789abcdef.js", "Nowhere-0123456789abcdef.js"] {
        let req = axum::http::Request::get(format!("/assets/{name}"))
            .body(axum::body::Body::empty())
            .expect("request");
        let res = tower::ServiceExt::oneshot(router.clone(), req).await.expect("infallible");
        assert_eq!(res.status().as_u16(), 404, "{name}");
    }
    assert!(!pool.is_started(), "an asset request started the workers");
    assert!(pool.worker_pids().is_empty());
}

#[tokio::test]
async fn garbage_on_stdout_replaces_the_worker() {
    let pool = SsrPool::new(ssr().workers(1));
    pool.warm_up().await.expect("warm up");
    let pid = pool.worker_pids()[0];
    let err = pool.render_html("Garbage.tsx", &json!({})).await.expect_err("garbage");
    assert!(err.message().contains("not the protocol"), "{}", err.message());
    assert!(err.message().contains("this is not the protocol"), "{}", err.message());
    assert_eq!(pool.stats().protocol_errors, 1);
    assert_eq!(
        pool.render_html("Hello.tsx", &json!({"name": "clean"})).await.expect("render"),
        "<div>Hello, clean!</div>"
    );
    assert_ne!(pool.worker_pids()[0], pid);
}

#[tokio::test]
async fn names_that_escape_the_dirs_are_refused() {
    let pool = SsrPool::new(ssr());
    let abs = fixtures().join("Hello.tsx");
    for name in
        ["../ssr/Hello.tsx", "nested/../../ssr/Hello.tsx", "/etc/passwd", abs.to_str().expect("utf-8"), ""]
    {
        let err = pool.render_html(name, &json!({})).await.expect_err(name);
        assert!(err.message().contains("refused"), "{name}: {}", err.message());
    }

    // Symlinks that lead out of the dir: a file and a directory.
    let project = support::temp_project("escape");
    let inside = project.join("components");
    std::os::unix::fs::symlink(fixtures().join("Hello.tsx"), inside.join("Out.tsx")).expect("symlink");
    std::os::unix::fs::symlink(fixtures(), inside.join("elsewhere")).expect("symlink");
    std::fs::write(inside.join("Real.tsx"), "export default () => <b>real</b>;\n").expect("write");
    std::os::unix::fs::symlink(inside.join("Real.tsx"), inside.join("Alias.tsx")).expect("symlink");
    let pool = SsrPool::new(ssr().dirs([&inside]));
    for name in ["Out.tsx", "elsewhere/Hello.tsx"] {
        let err = pool.render_html(name, &json!({"name": "x"})).await.expect_err(name);
        assert!(err.message().contains("leads outside"), "{name}: {}", err.message());
    }
    assert_eq!(pool.stats().started, 0, "refused names never reach a worker");
    // A symlink that stays inside is fine.
    assert_eq!(pool.render_html("Alias.tsx", &json!({})).await.expect("inside"), "<b>real</b>");
    let _ = std::fs::remove_dir_all(project);
}

#[tokio::test]
async fn a_missing_component_lists_the_dirs_searched() {
    let other = support::temp_project("missing");
    let pool = SsrPool::new(ssr().dirs([fixtures(), other.clone()]));
    let err = pool.render_html("Nope.tsx", &json!({})).await.expect_err("missing");
    assert!(err.message().contains("not found"), "{}", err.message());
    assert!(err.message().contains(fixtures().to_str().expect("utf-8")), "{}", err.message());
    assert!(err.message().contains(other.to_str().expect("utf-8")), "{}", err.message());
    // Dirs are searched in order.
    std::fs::write(other.join("Hello.tsx"), "export default () => <i>second dir</i>;\n").expect("write");
    std::fs::write(other.join("Only.tsx"), "export default () => <i>only here</i>;\n").expect("write");
    assert_eq!(
        pool.render_html("Hello.tsx", &json!({"name": "first"})).await.expect("r"),
        "<div>Hello, first!</div>"
    );
    assert_eq!(pool.render_html("Only.tsx", &json!({})).await.expect("r"), "<i>only here</i>");
    let _ = std::fs::remove_dir_all(other);
}

#[tokio::test]
async fn bun_missing_or_a_dead_pool_is_unavailable() {
    let pool = SsrPool::new(ssr().bun("/nonexistent/bin/bun"));
    let err = pool.render_html("Hello.tsx", &json!({})).await.expect_err("no bun");
    assert_eq!(err.code(), "UNAVAILABLE");
    assert_eq!(err.status().as_u16(), 503);
    assert!(err.message().contains("/nonexistent/bin/bun"), "{}", err.message());

    let pool = SsrPool::new(ssr().workers(1).worker_script(fixtures().join("workers/exits.ts")));
    let started = Instant::now();
    let err = pool.render_html("Hello.tsx", &json!({})).await.expect_err("pool down");
    assert_eq!(err.code(), "UNAVAILABLE", "{err}");
    assert!(
        err.message().contains("refuses to start") || err.message().contains("failed to start"),
        "{}",
        err.message()
    );
    assert!(started.elapsed() < Duration::from_secs(8), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn the_page_embeds_props_safely() {
    let pool = SsrPool::new(ssr());
    let props = json!({"x": "</script><!-- \u{2028} \u{2029} & <b>", "name": "World"});
    let mut contexts = Map::new();
    contexts.insert("current_user".into(), json!({"name": "</script>"}));
    let page = pool.render_page("Echo.tsx", &props, &contexts).await.expect("page");
    let script = between(&page, "<script type=\"application/json\" id=\"mizan-props\">", "</script>");
    for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
        assert!(!script.contains(bad), "{bad:?} in {script}");
    }
    assert!(
        script.contains("\\u003c/script\\u003e\\u003c!--")
            && script.contains("\\u2028")
            && script.contains("\\u2029")
    );
    assert_eq!(serde_json::from_str::<serde_json::Value>(script).expect("JSON"), props);
    let ctx = between(&page, "<script type=\"application/json\" id=\"mizan-contexts\">", "</script>");
    assert_eq!(serde_json::from_str::<serde_json::Value>(ctx).expect("JSON"), json!(contexts));
    // One `</script>` per JSON script (props, contexts, page) plus the bundle's: nothing closed early.
    assert_eq!(page.matches("</script>").count(), 4);
    assert_eq!(page.matches("<!--").count(), 0);
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).expect("start marker") + start.len();
    let to = text[from..].find(end).expect("end marker") + from;
    &text[from..to]
}

#[tokio::test]
async fn the_page_and_its_bundle() {
    let pool = SsrPool::new(ssr().title("Greeting <1>").head("<meta name=\"x\" content=\"y\">"));
    let page = pool.render_page("Hello.tsx", &json!({"name": "World"}), &Map::new()).await.expect("page");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<div id=\"mizan-root\"><div>Hello, World!</div></div>"), "{page}");
    assert!(page.contains("<title>Greeting &lt;1&gt;</title>"));
    assert!(page.contains("<meta name=\"x\" content=\"y\">"));
    let src = between(&page, "<script type=\"module\" src=\"", "\"");
    let file = src.strip_prefix("/api/mizan/assets/").expect("bundle under the prefix");
    assert!(file.starts_with("Hello-") && file.ends_with(".js"), "{file}");

    use tower::ServiceExt as _;
    let router = axum::Router::new().nest("/api/mizan", pool.assets_router());
    let res = router
        .clone()
        .oneshot(axum::http::Request::get(src).body(axum::body::Body::empty()).expect("request"))
        .await
        .expect("response");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/javascript; charset=utf-8");
    let js = body_text(res).await;
    assert!(js.len() > 10_000, "bundle is {} bytes", js.len());
    assert!(js.contains("mizan-root"), "the hydrate entry is in the bundle");
    // Cached: the same component gives the same bundle.
    let again = pool.render_page("Hello.tsx", &json!({"name": "x"}), &Map::new()).await.expect("page");
    assert!(again.contains(src));
    let res = router
        .oneshot(
            axum::http::Request::get("/api/mizan/assets/nope.js")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn dev_mode_picks_up_a_changed_component() {
    let project = support::temp_project("dev");
    let file = project.join("components/Live.tsx");
    support::write_component(&file, "export default () => <p>version 1</p>;\n");
    let dev =
        SsrPool::new(ssr().dirs([&project]).dev(true).cache_dir(project.join(".cache")).mount_prefix("/p"));
    let prod = SsrPool::new(ssr().dirs([&project]).dev(false));
    assert_eq!(dev.render_html("components/Live.tsx", &json!({})).await.expect("r"), "<p>version 1</p>");
    assert_eq!(prod.render_html("components/Live.tsx", &json!({})).await.expect("r"), "<p>version 1</p>");
    let dev_page = dev.render_page("components/Live.tsx", &json!({}), &Map::new()).await.expect("page");

    support::write_component(&file, "export default () => <p>version 2</p>;\n");
    assert_eq!(dev.render_html("components/Live.tsx", &json!({})).await.expect("r"), "<p>version 2</p>");
    assert!(dev.stats().retired >= 1 || dev.stats().started >= 2, "{:?}", dev.stats());
    // Production keeps its workers (and their module cache) until recycled.
    assert_eq!(prod.render_html("components/Live.tsx", &json!({})).await.expect("r"), "<p>version 1</p>");
    // The bundle follows the change too (a new file name, not a query string).
    let dev_page2 = dev.render_page("components/Live.tsx", &json!({}), &Map::new()).await.expect("page");
    let src = |p: &str| between(p, "<script type=\"module\" src=\"", "\"").to_owned();
    assert_ne!(src(&dev_page), src(&dev_page2));
    assert!(!src(&dev_page2).contains('?'));
    let _ = std::fs::remove_dir_all(project);
}

#[tokio::test]
async fn shutdown_stops_the_workers() {
    let pool: Arc<SsrPool> = SsrPool::new(ssr().workers(2));
    pool.warm_up().await.expect("warm up");
    eventually("two workers", || pool.stats().live == 2).await;
    let pids = pool.worker_pids();
    pool.shutdown().await;
    for pid in pids {
        eventually("worker exit", || !support::alive(pid)).await;
    }
    let err = pool.render_html("Hello.tsx", &json!({})).await.expect_err("after shutdown");
    assert_eq!(err.code(), "UNAVAILABLE");
}

#[test]
fn building_a_config_starts_nothing() {
    // No runtime here at all: creating a pool must not need one.
    let pool = SsrPool::new(Ssr::new().dirs([fixtures()]));
    assert!(!pool.is_started());
    assert_eq!(
        pool.config().worker_count(),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
}
