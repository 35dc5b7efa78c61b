//! `countdown` (a streamed output) and `feed` (pages by cursor) on the
//! wire, against the `hello` binary.

use std::process::Command;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::support::{BIN, Proc, listen};

/// A `hello` of the test's own (its own SQLite file) and its API's URL.
fn hello(name: &str) -> (Proc, String) {
    let dir = std::env::temp_dir().join(format!("hello-lists-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a work dir");
    let database = format!("sqlite://{}?mode=rwc", dir.join("hello.sqlite3").display());
    let (child, url) = listen(Command::new(BIN).env("DATABASE_URL", database));
    (Proc(child), format!("{url}/api/mizan"))
}

fn encoded(args: &Value) -> String {
    args.to_string()
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn lines(body: &str) -> Vec<Value> {
    assert!(body.ends_with('\n'), "{body:?}");
    body.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}"))).collect()
}

fn countdown_lines(from: u32) -> Vec<Value> {
    let mut want: Vec<Value> = (0..=from).rev().map(|n| json!({ "data": n })).collect();
    want.push(json!({ "end": true }));
    want
}

#[tokio::test]
async fn countdown_streams_from_down_to_zero_ten_ms_apart_over_get_and_post() {
    let (_hello, api) = hello("countdown");
    let client = reqwest::Client::new();

    // GET: the lines come one by one, 10 ms apart, then the end line.
    let started = Instant::now();
    let r = client
        .get(format!("{api}/call/countdown?input={}", encoded(&json!({ "from": 5 }))))
        .send()
        .await
        .expect("countdown");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/x-ndjson");
    let mut body = r.bytes_stream();
    let mut text = String::new();
    let mut arrivals = Vec::new();
    while let Some(piece) = body.next().await {
        text.push_str(std::str::from_utf8(&piece.expect("a piece")).expect("UTF-8"));
        while arrivals.len() < text.matches('\n').count() {
            arrivals.push(started.elapsed());
        }
    }
    assert_eq!(lines(&text), countdown_lines(5));
    let took = *arrivals.last().expect("lines");
    assert!(took >= Duration::from_millis(50), "five waits of 10 ms: {arrivals:?}");
    assert!(arrivals[0] < arrivals[5], "the first number came before the last: {arrivals:?}");

    // POST gives the same lines; from 0 is a single number.
    for (from, want) in [(3, countdown_lines(3)), (0, countdown_lines(0))] {
        let r = client
            .post(format!("{api}/call/countdown"))
            .header("content-type", "application/json")
            .body(json!({ "from": from }).to_string())
            .send()
            .await
            .expect("countdown");
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(lines(&r.text().await.expect("body")), want, "from {from}");
    }
    let r =
        client.get(format!("{api}/call/countdown?input={}", encoded(&json!({ "from": 100 })))).send().await;
    assert_eq!(lines(&r.expect("countdown").text().await.expect("body")), countdown_lines(100));
}

#[tokio::test]
async fn countdown_refuses_past_100_before_any_line_and_is_never_batched() {
    let (_hello, api) = hello("countdown-refused");
    let client = reqwest::Client::new();
    for request in [
        client.get(format!("{api}/call/countdown?input={}", encoded(&json!({ "from": 101 })))),
        client
            .post(format!("{api}/call/countdown"))
            .header("content-type", "application/json")
            .body(r#"{"from":101}"#),
    ] {
        let r = request.send().await.expect("countdown");
        assert_eq!(r.status().as_u16(), 422);
        assert_eq!(r.headers()["content-type"], "application/json");
        let body: Value = r.json().await.expect("a JSON error");
        assert_eq!(body["error"]["code"], "VALIDATION");
        assert_eq!(body["error"]["issues"][0]["path"], json!(["from"]));
        assert_eq!(body["error"]["issues"][0]["code"], "too_big");
    }
    let r = client
        .get(format!("{api}/call/countdown?input={}", encoded(&json!({ "from": -1 }))))
        .send()
        .await
        .expect("countdown");
    assert_eq!(r.status().as_u16(), 422);

    // A batch naming countdown is refused whole, beside a good call.
    let r = client
        .post(format!("{api}/batch"))
        .header("content-type", "application/json")
        .body(
            json!([{ "fn": "echo", "args": { "text": "hi" } }, { "fn": "countdown", "args": { "from": 2 } }])
                .to_string(),
        )
        .send()
        .await
        .expect("batch");
    assert_eq!(r.status().as_u16(), 400);
    let body: Value = r.json().await.expect("a JSON error");
    assert_eq!(body["error"]["code"], "BAD_REQUEST");
}

async fn page(client: &reqwest::Client, api: &str, cursor: Option<&str>) -> (u16, Value) {
    let args = match cursor {
        None => json!({}),
        Some(c) => json!({ "cursor": c }),
    };
    let r = client.get(format!("{api}/call/feed?input={}", encoded(&args))).send().await.expect("feed");
    let status = r.status().as_u16();
    (status, r.json().await.expect("a JSON body"))
}

#[tokio::test]
async fn feed_pages_1000_items_20_at_a_time_by_cursor() {
    let (_hello, api) = hello("feed");
    let client = reqwest::Client::new();
    let (status, first) = page(&client, &api, None).await;
    assert_eq!(status, 200);
    let data = &first["data"];
    assert_eq!(data["items"].as_array().expect("items").len(), 20);
    assert_eq!(data["items"][0], json!({ "n": 1, "title": "Item 1" }));
    assert_eq!(data["items"][19], json!({ "n": 20, "title": "Item 20" }));
    assert!(data["next_cursor"].is_string(), "{data}");
    assert_eq!(data.as_object().expect("a page").len(), 2, "items and next_cursor only: {data}");

    // Following the cursors reads every item once, in order, in 50 pages.
    let (mut pages, mut seen, mut cursor) = (0, Vec::new(), None::<String>);
    loop {
        let (status, body) = page(&client, &api, cursor.as_deref()).await;
        assert_eq!(status, 200, "{body}");
        pages += 1;
        for item in body["data"]["items"].as_array().expect("items") {
            let n = item["n"].as_u64().expect("n");
            assert_eq!(item["title"], format!("Item {n}"));
            seen.push(n);
        }
        match &body["data"]["next_cursor"] {
            Value::Null => break,
            Value::String(next) => cursor = Some(next.clone()),
            other => panic!("next_cursor is {other}"),
        }
        assert!(pages < 60, "the cursors never end");
    }
    assert_eq!(pages, 50);
    assert_eq!(seen, (1..=1000).collect::<Vec<u64>>());
    // The last page's cursor is null; asking the same page again gives the same page.
    let (_, again) = page(&client, &api, cursor.as_deref()).await;
    assert_eq!(again["data"]["items"][19]["n"], 1000);
    assert_eq!(again["data"]["next_cursor"], Value::Null);
}

#[tokio::test]
async fn feed_refuses_a_cursor_it_did_not_give() {
    let (_hello, api) = hello("feed-refused");
    let client = reqwest::Client::new();
    for bad in ["abc", "1000", "-20", "", "20 "] {
        let (status, body) = page(&client, &api, Some(bad)).await;
        assert_eq!(status, 422, "{bad:?}: {body}");
        assert_eq!(body["error"]["code"], "VALIDATION");
        assert_eq!(body["error"]["issues"][0]["path"], json!(["cursor"]), "{bad:?}: {body}");
        assert_eq!(body["error"]["issues"][0]["code"], "invalid_format", "{bad:?}: {body}");
    }
    let r = client
        .get(format!("{api}/call/feed?input={}", encoded(&json!({ "cursor": 20 }))))
        .send()
        .await
        .expect("feed");
    assert_eq!(r.status().as_u16(), 422, "a number is not a cursor");
}
