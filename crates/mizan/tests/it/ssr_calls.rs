//! The bridge's plumbing for what renders ask of the host, against real
//! Bun workers: calls answered by the caller's [`RenderCalls`] under the
//! render's deadline, chunks delivered as they come, `head` and `queries`
//! kept beside the HTML, and a render that dies after a chunk never retried.
//!
//! Needs `npm install` at the repository root. Run:
//! `cargo test -p mizan --all-features --test it ssr_calls::`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mizan::{RenderCalls, RenderEvent, RenderOptions, SsrPool};
use serde_json::value::RawValue;
use serde_json::{Value, json};

use crate::support::ssr::ssr;

/// Answers every call with `{"data": {"fn": name, "args": args}}` after
/// `delay`, recording what it was asked.
struct Echo {
    delay: Duration,
    asked: Mutex<Vec<(String, Value)>>,
    pretty: bool,
}

impl Echo {
    fn new(delay: Duration) -> Arc<Self> {
        Arc::new(Self { delay, asked: Mutex::new(Vec::new()), pretty: false })
    }
}

impl RenderCalls for Echo {
    fn call(&self, name: &str, args: &RawValue) -> mizan::BoxFuture<'static, Box<RawValue>> {
        let args: Value = serde_json::from_str(args.get()).expect("args are JSON");
        self.asked.lock().expect("lock").push((name.to_owned(), args.clone()));
        let envelope = json!({ "data": { "fn": name, "args": args } });
        let text = if self.pretty {
            serde_json::to_string_pretty(&envelope)
        } else {
            serde_json::to_string(&envelope)
        };
        let raw = RawValue::from_string(text.expect("JSON")).expect("raw");
        let delay = self.delay;
        Box::pin(async move {
            tokio::time::sleep(delay).await;
            raw
        })
    }
}

/// The envelope `Calls.tsx` rendered (its `<pre>` holds it as JSON, HTML-escaped).
fn envelope_in(html: &str) -> Value {
    let from = html.find("<pre id=\"envelope\">").expect("the envelope") + "<pre id=\"envelope\">".len();
    let to = from + html[from..].find("</pre>").expect("its end");
    let text = html[from..to]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&text).expect("the envelope is JSON")
}

fn calls_props(chunks: &[&str]) -> Value {
    json!({ "fn": "list_todos", "args": { "n": 2, "text": "a\nb <&>" }, "chunks": chunks })
}

#[tokio::test]
async fn a_render_calls_the_host_and_reports_head_and_queries() {
    let pool = SsrPool::new(ssr());
    let echo = Echo::new(Duration::from_millis(30));
    let rendered = pool
        .render_with("Calls.tsx", &calls_props(&["<h1>first</h1>"]), RenderOptions::new().calls(echo.clone()))
        .await
        .expect("render");
    let asked = echo.asked.lock().expect("lock").clone();
    assert_eq!(
        asked,
        [("list_todos".to_owned(), json!({ "n": 2, "text": "a\nb <&>" }))],
        "one call, as made"
    );
    // Read whole, the chunk comes first in the HTML.
    assert!(rendered.html.starts_with("<h1>first</h1><pre id=\"envelope\">"), "{}", rendered.html);
    let envelope = envelope_in(&rendered.html);
    assert_eq!(envelope, json!({ "data": { "fn": "list_todos", "args": { "n": 2, "text": "a\nb <&>" } } }));
    let head: Value = serde_json::from_str(rendered.head.as_ref().expect("a head").get()).expect("JSON");
    assert_eq!(head, json!({ "title": "called list_todos" }));
    let queries: Value =
        serde_json::from_str(rendered.queries.as_ref().expect("queries").get()).expect("JSON");
    assert_eq!(queries[0]["envelope"], envelope);
}

#[tokio::test]
async fn without_a_handler_a_call_answers_unavailable() {
    let pool = SsrPool::new(ssr());
    let rendered =
        pool.render_with("Calls.tsx", &calls_props(&[]), RenderOptions::new()).await.expect("render");
    let envelope = envelope_in(&rendered.html);
    assert_eq!(envelope["error"]["code"], "UNAVAILABLE", "{envelope}");
}

#[tokio::test]
async fn an_envelope_on_several_lines_reaches_the_render_whole() {
    let pool = SsrPool::new(ssr());
    let echo = Arc::new(Echo { delay: Duration::ZERO, asked: Mutex::new(Vec::new()), pretty: true });
    let rendered = pool
        .render_with("Calls.tsx", &calls_props(&[]), RenderOptions::new().calls(echo))
        .await
        .expect("render");
    assert_eq!(envelope_in(&rendered.html)["data"]["args"]["n"], 2);
}

#[tokio::test]
async fn a_call_slower_than_the_deadline_fails_the_render_and_the_worker_serves_on() {
    let pool = SsrPool::new(ssr().deadline(Duration::from_millis(800)));
    pool.warm_up().await.expect("warm up");
    let pid = pool.worker_pids()[0];
    let started = Instant::now();
    let err = pool
        .render_with(
            "Calls.tsx",
            &calls_props(&[]),
            RenderOptions::new().calls(Echo::new(Duration::from_secs(10))),
        )
        .await
        .expect_err("past the deadline");
    assert_eq!(err.code(), "TIMEOUT");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    // The render was cancelled on the worker; the worker itself was fine.
    assert_eq!(
        pool.render_html("Hello.tsx", &json!({"name": "next"})).await.expect("next"),
        "<div>Hello, next!</div>"
    );
    assert_eq!(pool.worker_pids(), [pid]);
    assert_eq!(pool.stats().stuck, 0);
}

#[tokio::test]
async fn chunks_arrive_before_the_end() {
    let pool = SsrPool::new(ssr());
    let props = calls_props(&["<h1>one</h1>", "<h2>two</h2>"]);
    // Slow enough that the chunks are surely delivered before the result exists.
    let echo = Echo::new(Duration::from_millis(200));
    let mut events =
        pool.render_events("Calls.tsx", &props, RenderOptions::new().calls(echo)).await.expect("start");
    let mut got = Vec::new();
    let started = Instant::now();
    while let Some(event) = events.next().await {
        got.push((event, started.elapsed()));
    }
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(matches!(&got[0].0, RenderEvent::Chunk(c) if c == "<h1>one</h1>"), "{got:?}");
    assert!(matches!(&got[1].0, RenderEvent::Chunk(c) if c == "<h2>two</h2>"), "{got:?}");
    match &got[2].0 {
        RenderEvent::Done(Ok(rendered)) => {
            assert!(rendered.html.starts_with("<pre id=\"envelope\">"), "{}", rendered.html)
        }
        other => panic!("the end, not {other:?}"),
    }
    assert!(
        got[2].1 >= got[1].1 + Duration::from_millis(100),
        "the chunks came ahead of the call's answer: {got:?}"
    );
}

#[tokio::test]
async fn a_worker_dying_after_a_chunk_fails_that_render_without_a_retry() {
    let pool = SsrPool::new(ssr().stuck_after(Duration::from_secs(3)));
    pool.warm_up().await.expect("warm up");
    // Another render in flight on the same worker: a suspect, retried.
    let other = {
        let pool = pool.clone();
        tokio::spawn(async move { pool.render_html("Pid.tsx", &json!({"ms": 400})).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut events =
        pool.render_events("ChunkThenExit.tsx", &json!({}), RenderOptions::new()).await.expect("start");
    let first = events.next().await.expect("an event");
    assert!(matches!(&first, RenderEvent::Chunk(c) if c == "<header>sent</header>"), "{first:?}");
    match events.next().await.expect("the end") {
        RenderEvent::Done(Err(e)) => {
            assert_eq!(e.code(), "INTERNAL");
            assert!(e.message().contains("not retried"), "{}", e.message());
        }
        other => panic!("a failure, not {other:?}"),
    }
    assert!(events.next().await.is_none());
    assert!(other.await.expect("join").expect("the other render, retried").starts_with("<p>pid "));
    let stats = pool.stats();
    assert_eq!((stats.crashed, stats.retries), (1, 1), "only the other render was sent again: {stats:?}");
}
