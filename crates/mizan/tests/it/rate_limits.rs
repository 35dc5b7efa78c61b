//! Functions' `rate`s over real HTTP (served with peer addresses, as
//! `mizan::cli` serves): POST and GET calls, batches, callers counted apart,
//! the order auth → rate → validation, and a form's `submit`.

use std::net::{IpAddr, Ipv4Addr};

use mizan::{App, Form, FormFields, Rate, Request};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::support::{self, Served, TestAuth};

/// Three calls a minute.
#[mizan::client(rate = "3/min")]
async fn limited(_req: &Request, #[garde(range(max = 10))] n: u32) -> mizan::Result<u32> {
    Ok(n)
}

/// A query: GET-able, three a minute.
#[mizan::client(query, rate = "3/minute")]
async fn limited_query(_req: &Request) -> mizan::Result<&'static str> {
    Ok("ok")
}

/// For identities only, two an hour.
#[mizan::client(auth = true, rate = "2/h")]
async fn members_only(_req: &Request) -> mizan::Result<()> {
    Ok(())
}

#[mizan::client]
async fn unlimited(_req: &Request) -> mizan::Result<()> {
    Ok(())
}

#[derive(Debug, Deserialize, JsonSchema, garde::Validate, FormFields)]
#[serde(deny_unknown_fields)]
struct NoteForm {
    #[garde(length(chars, min = 1))]
    text: String,
}

impl Form for NoteForm {
    const NAME: &'static str = "note";
    const TITLE: &'static str = "Note";
    const RATE: Option<Rate> = Some(Rate::new(2, std::time::Duration::from_secs(60)));
    type Output = ();

    async fn on_submit_success(self, _req: &Request) -> mizan::Result<()> {
        Ok(())
    }
}

fn app() -> App {
    App::new()
        .authenticator(TestAuth)
        .register(limited)
        .register(limited_query)
        .register(members_only)
        .register(unlimited)
        .form::<NoteForm>()
}

/// A client whose connections come from `127.0.0.N`.
fn from(n: u8) -> reqwest::Client {
    let address = IpAddr::V4(Ipv4Addr::new(127, 0, 0, n));
    reqwest::Client::builder().local_address(address).build().expect("client")
}

/// Status, body and `retry-after` of one answer.
async fn answer(r: reqwest::RequestBuilder) -> (u16, Value, Option<u64>) {
    let r = r.send().await.expect("send");
    let retry = r.headers().get("retry-after").map(|v| v.to_str().expect("ascii").parse().expect("seconds"));
    (r.status().as_u16(), r.json().await.expect("json"), retry)
}

async fn post(
    c: &reqwest::Client,
    s: &Served,
    name: &str,
    args: Value,
    token: Option<&str>,
) -> (u16, Value, Option<u64>) {
    let mut r = c.post(format!("{}/call/{name}", s.api)).json(&args);
    if let Some(token) = token {
        r = r.bearer_auth(token);
    }
    answer(r).await
}

fn assert_limited((status, body, retry): &(u16, Value, Option<u64>), period: u64) {
    assert_eq!(*status, 429, "{body}");
    assert_eq!(body["error"]["code"], "RATE_LIMITED", "{body}");
    let retry = retry.expect("a retry-after header");
    assert!((1..=period).contains(&retry), "retry-after {retry} within the period");
    let message = body["error"]["message"].as_str().expect("a message");
    assert!(message.contains(&format!("try again in {retry} s")), "{message}");
}

#[tokio::test]
async fn the_fourth_call_in_a_minute_is_refused_with_retry_after() {
    let s = support::serve_with_peers(app()).await;
    let c = from(1);
    for n in 0..3 {
        assert_eq!(post(&c, &s, "limited", json!({"n": n}), None).await.1, json!({"data": n}));
    }
    assert_limited(&post(&c, &s, "limited", json!({"n": 3}), None).await, 60);
    // Other functions are untouched.
    assert_eq!(post(&c, &s, "unlimited", json!({}), None).await.0, 200);
    // GET counts like POST.
    let get = || answer(c.get(format!("{}/call/limited_query", s.api)));
    for _ in 0..3 {
        assert_eq!(get().await.1, json!({"data": "ok"}));
    }
    assert_limited(&get().await, 60);
    assert_limited(&post(&c, &s, "limited_query", json!({}), None).await, 60);
}

#[tokio::test]
async fn identities_and_addresses_count_apart() {
    let s = support::serve_with_peers(app()).await;
    let (one, two) = (from(2), from(3));
    for _ in 0..3 {
        assert_eq!(post(&one, &s, "limited", json!({"n": 1}), None).await.0, 200);
    }
    assert_limited(&post(&one, &s, "limited", json!({"n": 1}), None).await, 60);
    assert_eq!(post(&two, &s, "limited", json!({"n": 1}), None).await.0, 200, "another address");
    // An identity counts as itself, from any address, and not as its address.
    assert_eq!(post(&one, &s, "limited", json!({"n": 1}), Some("alice")).await.0, 200);
    assert_eq!(post(&two, &s, "limited", json!({"n": 1}), Some("alice")).await.0, 200);
    assert_eq!(post(&one, &s, "limited", json!({"n": 1}), Some("alice")).await.0, 200);
    assert_limited(&post(&two, &s, "limited", json!({"n": 1}), Some("alice")).await, 60);
    assert_eq!(post(&one, &s, "limited", json!({"n": 1}), Some("bob")).await.0, 200, "another identity");
}

#[tokio::test]
async fn a_batch_counts_each_item() {
    let s = support::serve_with_peers(app()).await;
    let c = from(4);
    let items: Vec<Value> = (0..5).map(|n| json!({"fn": "limited", "args": {"n": n}})).collect();
    let (status, body, retry) = answer(c.post(format!("{}/batch", s.api)).json(&items)).await;
    assert_eq!(status, 200);
    let items = body.as_array().expect("items");
    let data: Vec<&Value> = items.iter().filter_map(|i| i.get("data")).collect();
    assert_eq!(data, [&json!(0), &json!(1), &json!(2)], "the first three run: {body}");
    for refused in &items[3..] {
        assert_eq!(refused["error"]["code"], "RATE_LIMITED", "{body}");
    }
    assert!(retry.is_some_and(|r| (1..=60).contains(&r)), "the batch carries the wait: {retry:?}");
    // The batch spent the minute's calls.
    assert_limited(&post(&c, &s, "limited", json!({"n": 1}), None).await, 60);
}

#[tokio::test]
async fn auth_comes_before_the_limit_and_the_limit_before_validation() {
    let s = support::serve_with_peers(app()).await;
    let c = from(5);
    // Anonymous callers are refused by auth, and spend nothing.
    for _ in 0..4 {
        assert_eq!(post(&c, &s, "members_only", json!({}), None).await.1["error"]["code"], "UNAUTHENTICATED");
    }
    assert_eq!(post(&c, &s, "members_only", json!({}), Some("alice")).await.0, 200);
    assert_eq!(post(&c, &s, "members_only", json!({}), Some("alice")).await.0, 200);
    assert_limited(&post(&c, &s, "members_only", json!({}), Some("alice")).await, 3600);
    // Bad inputs count: a flood of them is limited before any is parsed.
    let c = from(6);
    for _ in 0..3 {
        assert_eq!(post(&c, &s, "limited", json!({"n": 99}), None).await.1["error"]["code"], "VALIDATION");
    }
    assert_limited(&post(&c, &s, "limited", json!({"n": "not even a number"}), None).await, 60);
}

#[tokio::test]
async fn a_forms_submit_is_limited_and_its_validate_is_not() {
    let s = support::serve_with_peers(app()).await;
    let c = from(7);
    for _ in 0..5 {
        assert_eq!(post(&c, &s, "note.validate", json!({"text": "hi"}), None).await.1, json!({"data": {}}));
    }
    for _ in 0..2 {
        assert_eq!(post(&c, &s, "note.submit", json!({"text": "hi"}), None).await.1, json!({"data": null}));
    }
    assert_limited(&post(&c, &s, "note.submit", json!({"text": "hi"}), None).await, 60);
}

#[tokio::test]
async fn the_manifest_records_a_functions_rate() {
    let manifest = app().manifest().expect("manifest").to_json();
    let rate_of = |name: &str| {
        let functions = manifest["functions"].as_array().expect("functions");
        functions.iter().find(|f| f["name"] == name).expect("the function")["rate"].clone()
    };
    assert_eq!(rate_of("limited"), json!({"count": 3, "period_seconds": 60}));
    assert_eq!(rate_of("members_only"), json!({"count": 2, "period_seconds": 3600}));
    assert_eq!(rate_of("note.submit"), json!({"count": 2, "period_seconds": 60}));
    assert_eq!(rate_of("unlimited"), Value::Null, "no rate, no key");
}
