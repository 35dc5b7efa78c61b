//! Streamed outputs (`mizan::Stream`) over real sockets: the NDJSON lines
//! and their end, errors before and after the first item, GET and POST,
//! batches refused, backpressure, a client that goes away dropping the
//! handler's stream, compression flushed per item, and the start-up
//! refusals.

#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use mizan::{App, Error, Request, ServeConfig, Stream};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support;

/// What the test app's streams report: items made, and when a stream was dropped.
#[derive(Default)]
struct Probe {
    made: AtomicU64,
    dropped: Mutex<Option<Instant>>,
}

/// Records the moment the stream holding it is dropped.
struct Guard(Arc<Probe>);

impl Drop for Guard {
    fn drop(&mut self) {
        *self.0.dropped.lock().unwrap() = Some(Instant::now());
    }
}

fn probe(req: &Request) -> Arc<Probe> {
    req.state::<Arc<Probe>>().unwrap().clone()
}

/// Numbers `0..count` (`count` 0: without end), one every `every_ms`
/// (the first at once); the stream carries a drop guard.
#[mizan::client(query)]
async fn ticks(req: &Request, every_ms: u64, count: u64) -> mizan::Result<Stream<u64>> {
    let probe = probe(req);
    let guard = Guard(probe.clone());
    let numbers =
        futures_util::stream::iter(0..).take_while(move |n| std::future::ready(count == 0 || *n < count));
    Ok(Stream::new(numbers.then(move |n| {
        // The closure owns the guard: it goes when the stream goes.
        let _ = &guard;
        let probe = probe.clone();
        async move {
            if n > 0 {
                tokio::time::sleep(Duration::from_millis(every_ms)).await;
            }
            probe.made.fetch_add(1, Ordering::SeqCst);
            Ok(n)
        }
    })))
}

/// Large items without end, made as fast as they are read.
#[mizan::client(query)]
async fn flood(req: &Request) -> mizan::Result<Stream<String>> {
    let probe = probe(req);
    let guard = Guard(probe.clone());
    let item = "x".repeat(16 * 1024);
    Ok(Stream::new(futures_util::stream::repeat(()).map(move |()| {
        let _ = &guard;
        probe.made.fetch_add(1, Ordering::SeqCst);
        Ok(item.clone())
    })))
}

/// `items` numbers, then the error `how` says.
#[mizan::client]
async fn fails_after(_req: &Request, items: u32, how: String) -> mizan::Result<Stream<u32>> {
    let (tx, stream) = Stream::channel(4);
    tokio::spawn(async move {
        for n in 0..items {
            if tx.send(n).await.is_err() {
                return;
            }
        }
        match how.as_str() {
            "own" => tx.fail(Error::new(http::StatusCode::CONFLICT, "RAN_DRY", "no more numbers")).await,
            "internal" => tx.fail(Error::internal("the number source broke")).await,
            _ => {}
        }
    });
    Ok(stream)
}

/// A stream whose `at`th item panics.
#[mizan::client]
async fn panics_at(_req: &Request, at: u32) -> mizan::Result<Stream<u32>> {
    Ok(Stream::new(futures_util::stream::iter(0..).map(move |n| {
        assert!(n != at, "item {n} cannot be made");
        Ok(n)
    })))
}

/// A stream whose `at`th item is not a finite number.
#[mizan::client]
async fn nan_at(_req: &Request, at: u32) -> mizan::Result<Stream<f64>> {
    Ok(Stream::iter((0..=at).map(move |n| if n == at { f64::NAN } else { f64::from(n) })))
}

/// Nothing at all.
#[mizan::client(query)]
async fn nothing(_req: &Request) -> mizan::Result<Stream<u32>> {
    Ok(Stream::iter(std::iter::empty()))
}

/// Refused before any stream is made.
#[mizan::client(query, auth = true)]
async fn members_only(_req: &Request) -> mizan::Result<Stream<u32>> {
    Ok(Stream::iter([1]))
}

/// A plain query, for the batch beside a stream.
#[mizan::client(query)]
async fn plain(_req: &Request) -> mizan::Result<u32> {
    Ok(7)
}

fn app(probe: Arc<Probe>) -> App {
    App::new()
        .state(probe)
        .register(ticks)
        .register(flood)
        .register(fails_after)
        .register(panics_at)
        .register(nan_at)
        .register(nothing)
        .register(members_only)
        .register(plain)
}

async fn served() -> (support::Served, Arc<Probe>) {
    let probe = Arc::new(Probe::default());
    (support::serve(app(probe.clone())).await, probe)
}

/// The lines of an NDJSON body, each parsed.
fn lines(body: &str) -> Vec<Value> {
    assert!(body.ends_with('\n'), "every line ends with a newline: {body:?}");
    body.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}"))).collect()
}

fn input(args: &Value) -> String {
    url_encode(&args.to_string())
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_stream_answers_ndjson_item_by_item_then_the_end_line() {
    let (s, _) = served().await;
    let client = reqwest::Client::new();
    let url = format!("{}/call/ticks?input={}", s.api, input(&json!({ "every_ms": 1, "count": 5 })));
    let r = client.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/x-ndjson");
    assert!(r.headers().get("content-length").is_none(), "a stream has no length");
    let got = lines(&r.text().await.unwrap());
    let mut want: Vec<Value> = (0..5).map(|n| json!({ "data": n })).collect();
    want.push(json!({ "end": true }));
    assert_eq!(got, want);

    // A stream with no item is its end line alone.
    let r = client.get(format!("{}/call/nothing", s.api)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(lines(&r.text().await.unwrap()), vec![json!({ "end": true })]);
}

#[tokio::test]
async fn a_mutation_streams_over_post_and_refuses_get() {
    let (s, _) = served().await;
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{}/call/fails_after", s.api))
        .json(&json!({ "items": 3, "how": "none" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/x-ndjson");
    assert_eq!(
        lines(&r.text().await.unwrap()),
        vec![json!({"data": 0}), json!({"data": 1}), json!({"data": 2}), json!({"end": true})]
    );
    let r = client.get(format!("{}/call/fails_after", s.api)).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "METHOD_NOT_ALLOWED");
    // A query streams over POST too (the client's long-input switch).
    let r = client
        .post(format!("{}/call/ticks", s.api))
        .json(&json!({ "every_ms": 1, "count": 2 }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        lines(&r.text().await.unwrap()),
        vec![json!({"data": 0}), json!({"data": 1}), json!({"end": true})]
    );
}

#[tokio::test]
async fn failures_before_the_first_item_answer_the_usual_status_and_body() {
    let (s, _) = served().await;
    let client = reqwest::Client::new();
    // Bad input: 422 before any line.
    let r = client
        .get(format!("{}/call/ticks?input={}", s.api, input(&json!({ "every_ms": "soon" }))))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.headers()["content-type"], "application/json");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "VALIDATION");
    // No identity for an authenticated stream: 401.
    let r = client.get(format!("{}/call/members_only", s.api)).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "UNAUTHENTICATED");
    // The first item an error: the error's own status and body.
    let r = client
        .post(format!("{}/call/fails_after", s.api))
        .json(&json!({ "items": 0, "how": "own" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(r.headers()["content-type"], "application/json");
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({ "error": { "code": "RAN_DRY", "message": "no more numbers" } })
    );
    // A panic while making the first item: 500 with a request id.
    let r = client.post(format!("{}/call/panics_at", s.api)).json(&json!({ "at": 0 })).send().await.unwrap();
    assert_eq!(r.status(), 500);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "INTERNAL");
    assert!(body["error"]["request_id"].is_string(), "{body}");
}

#[tokio::test]
async fn an_error_after_some_items_is_the_last_line() {
    let (s, _) = served().await;
    let client = reqwest::Client::new();
    let post = |args: Value| client.post(format!("{}/call/fails_after", s.api)).json(&args).send();

    let r = post(json!({ "items": 2, "how": "own" })).await.unwrap();
    assert_eq!(r.status(), 200, "the status went out with the first item");
    assert_eq!(
        lines(&r.text().await.unwrap()),
        vec![
            json!({"data": 0}),
            json!({"data": 1}),
            json!({"error": {"code": "RAN_DRY", "message": "no more numbers"}}),
        ]
    );

    // An INTERNAL carries only its request id, and its message is logged under it.
    let (got, log) = support::logged(async {
        let r = post(json!({ "items": 1, "how": "internal" })).await.unwrap();
        lines(&r.text().await.unwrap())
    })
    .await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0], json!({"data": 0}));
    let error = &got[1]["error"];
    assert_eq!(error["code"], "INTERNAL");
    assert_eq!(error["message"], "internal error");
    let id = error["request_id"].as_str().unwrap();
    assert!(log.contains(id) && log.contains("the number source broke"), "{log}");

    // A panic mid-stream, and a NaN item: INTERNAL last lines too.
    for (path, args, logged) in [
        ("panics_at", json!({ "at": 2 }), "item 2 cannot be made"),
        ("nan_at", json!({ "at": 1 }), "non-finite"),
    ] {
        let (got, log) = support::logged(async {
            let r = client.post(format!("{}/call/{path}", s.api)).json(&args).send().await.unwrap();
            assert_eq!(r.status(), 200);
            lines(&r.text().await.unwrap())
        })
        .await;
        let last = got.last().unwrap();
        assert_eq!(last["error"]["code"], "INTERNAL", "{path}: {got:?}");
        assert!(got[..got.len() - 1].iter().all(|l| l.get("data").is_some()), "{path}: {got:?}");
        let id = last["error"]["request_id"].as_str().unwrap();
        assert!(log.contains(id) && log.contains(logged), "{path}: {log}");
    }
}

#[tokio::test]
async fn a_batch_naming_a_stream_is_refused_whole() {
    let (s, probe) = served().await;
    let r = reqwest::Client::new()
        .post(format!("{}/batch", s.api))
        .json(&json!([{ "fn": "plain" }, { "fn": "ticks", "args": { "every_ms": 1, "count": 3 } }]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "BAD_REQUEST");
    assert!(body["error"]["message"].as_str().unwrap().contains("`ticks` streams its output"), "{body}");
    assert_eq!(probe.made.load(Ordering::SeqCst), 0, "nothing ran");
}

/// Sends a raw GET of `path`, reads until the body holds `lines` lines,
/// and gives the socket back.
async fn read_lines(addr: std::net::SocketAddr, path: &str, lines: usize) -> TcpStream {
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    tcp.write_all(format!("GET {path} HTTP/1.1\r\nhost: x\r\n\r\n").as_bytes()).await.unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while seen.windows(8).filter(|w| w == b"{\"data\":").count() < lines {
        let n = tokio::time::timeout_at(deadline, tcp.read(&mut buf)).await.expect("lines in time").unwrap();
        assert!(n > 0, "closed early: {:?}", String::from_utf8_lossy(&seen));
        seen.extend_from_slice(&buf[..n]);
    }
    tcp
}

/// Waits (up to 2 s) for the probe's stream to be dropped; when it was.
async fn dropped(probe: &Probe) -> Instant {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        if let Some(at) = *probe.dropped.lock().unwrap() {
            return at;
        }
        assert!(Instant::now() < deadline, "the handler's stream was not dropped within 2 s");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// Serves `app` through `mizan::serve` (the CLI's server).
async fn mizan_served(app: App) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let router = app.mount("/api/mizan", axum::Router::new()).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(mizan::serve_with_shutdown(listener, router, ServeConfig::default(), async move {
        let _ = stopped.await;
    }));
    (addr, stop)
}

#[tokio::test]
async fn a_client_that_goes_away_drops_the_stream_within_one_item_interval() {
    // Items every 10 ms, and every 1 s (the server learns it from the
    // socket, not from a failed write); through axum's server and mizan's.
    for every_ms in [10u64, 1000] {
        for server in ["axum", "mizan"] {
            let probe = Arc::new(Probe::default());
            let (addr, _stop) = match server {
                "axum" => (support::serve(app(probe.clone())).await.addr, None),
                _ => {
                    let (addr, stop) = mizan_served(app(probe.clone())).await;
                    (addr, Some(stop))
                }
            };
            let path = format!(
                "/api/mizan/call/ticks?input={}",
                input(&json!({ "every_ms": every_ms, "count": 0 }))
            );
            let tcp = read_lines(addr, &path, 1).await;
            assert!(probe.dropped.lock().unwrap().is_none());
            let left = Instant::now();
            drop(tcp);
            let took = dropped(&probe).await.saturating_duration_since(left);
            assert!(
                took <= Duration::from_millis(50),
                "{server}, an item every {every_ms} ms: the stream was dropped {took:?} after the client left"
            );
            let made = probe.made.load(Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(3 * every_ms.min(100))).await;
            assert_eq!(probe.made.load(Ordering::SeqCst), made, "{server}: nothing is made once dropped");
        }
    }
}

#[tokio::test]
async fn a_client_that_does_not_read_holds_the_stream_back() {
    let (s, probe) = served().await;
    let tcp = read_lines(s.addr, "/api/mizan/call/flood", 1).await;
    // The socket's buffers fill, then the stream is no longer read.
    let mut last = 0;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let made = probe.made.load(Ordering::SeqCst);
        if made == last {
            break;
        }
        last = made;
    }
    let held = probe.made.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(probe.made.load(Ordering::SeqCst), held, "the stream is read only as the client reads");
    // 16 KiB items: what the socket buffers hold, nowhere near a free run.
    assert!(held < 4096, "{held} items made for a client that read one");
    drop(tcp);
    dropped(&probe).await;
}

#[tokio::test]
async fn a_compressed_stream_is_flushed_item_by_item() {
    let probe = Arc::new(Probe::default());
    let (addr, _stop) = mizan_served(app(probe.clone())).await;
    let url = format!(
        "http://{addr}/api/mizan/call/ticks?input={}",
        input(&json!({ "every_ms": 300, "count": 3 }))
    );
    let started = Instant::now();
    let r = reqwest::Client::new().get(&url).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let mut body = r.bytes_stream();
    let mut decoder = flate2::write::GzDecoder::new(Vec::new());
    // Each item decodes as it arrives, not once the stream ends (900 ms).
    let mut arrivals = Vec::new();
    while let Some(piece) = body.next().await {
        std::io::Write::write_all(&mut decoder, &piece.unwrap()).unwrap();
        std::io::Write::flush(&mut decoder).unwrap();
        let text = String::from_utf8_lossy(decoder.get_ref()).into_owned();
        let count = text.matches('\n').count();
        while arrivals.len() < count {
            arrivals.push(started.elapsed());
        }
    }
    let text = String::from_utf8(decoder.finish().unwrap()).unwrap();
    assert_eq!(text, "{\"data\":0}\n{\"data\":1}\n{\"data\":2}\n{\"end\":true}\n");
    assert!(arrivals[0] < Duration::from_millis(250), "the first item came at once: {arrivals:?}");
    assert!(
        arrivals[1] < Duration::from_millis(550),
        "the second came before the third was made: {arrivals:?}"
    );
}

/// A streamed context.
#[mizan::client(query, context = "global")]
async fn streamed_context(_req: &Request) -> mizan::Result<Stream<u32>> {
    Ok(Stream::iter([1]))
}

/// A mutation invalidating a stream.
#[mizan::client(invalidates = [ticks])]
async fn invalidates_a_stream(_req: &Request) -> mizan::Result<()> {
    Ok(())
}

#[test]
fn contexts_and_invalidations_refuse_streams_at_start_up() {
    let e = App::new().register(streamed_context).check().unwrap_err().to_string();
    assert!(e.contains("context `streamed_context` returns a `mizan::Stream`"), "{e}");
    let e = App::new()
        .state(Arc::new(Probe::default()))
        .register(ticks)
        .register(invalidates_a_stream)
        .check()
        .unwrap_err()
        .to_string();
    assert!(e.contains("`invalidates_a_stream` invalidates `ticks`, which streams its output"), "{e}");
}

#[test]
fn the_manifest_marks_a_stream_and_gives_its_item_schema() {
    let m = app(Arc::new(Probe::default())).manifest().unwrap().to_json();
    let f =
        |name: &str| m["functions"].as_array().unwrap().iter().find(|f| f["name"] == name).unwrap().clone();
    assert_eq!(f("ticks")["stream"], true);
    assert_eq!(f("ticks")["output"]["type"], "integer");
    assert_eq!(f("flood")["output"]["type"], "string");
    assert!(f("plain").get("stream").is_none(), "written only for streams");
}
