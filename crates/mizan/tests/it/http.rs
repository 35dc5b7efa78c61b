//! Wire protocol v1 over a real socket: calls, queries, batches, errors,
//! limits, panics, CORS and the manifest endpoint.

use crate::support;

use axum::http::StatusCode;
use mizan::{App, Error, Limits, Request};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Serialize, Deserialize, JsonSchema)]
struct Output {
    message: String,
}

/// Echo text back.
#[mizan::client]
async fn echo(_req: &Request, text: String) -> mizan::Result<Output> {
    Ok(Output { message: text })
}

#[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
#[serde(rename_all = "camelCase")]
struct LineItem {
    #[garde(length(chars, min = 2, max = 5))]
    full_name: String,
    #[garde(range(min = 1, max = 10))]
    qty: u32,
}

/// Count the items.
#[mizan::client]
async fn order(
    _req: &Request,
    #[garde(length(min = 1), dive)] items: Vec<LineItem>,
    #[serde(default)]
    #[garde(skip)]
    note: Option<String>,
) -> mizan::Result<usize> {
    Ok(items.len() + usize::from(note.is_some()))
}

/// Adds two numbers.
#[mizan::client(query)]
async fn add(_req: &Request, a: i64, b: i64) -> mizan::Result<i64> {
    Ok(a + b)
}

#[mizan::client]
async fn boom(_req: &Request) -> mizan::Result<()> {
    panic!("the secret is hunter2")
}

#[mizan::client]
async fn register_user(_req: &Request, username: String) -> mizan::Result<()> {
    Err(Error::new(StatusCode::CONFLICT, "USERNAME_TAKEN", format!("{username} is taken"))
        .with_field("username", "already registered"))
}

#[mizan::client]
async fn slow(_req: &Request, ms: u64) -> mizan::Result<u64> {
    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    Ok(ms)
}

/// A type with a rule no schema can say (`ascii`, a custom check).
#[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
struct Voucher {
    #[garde(ascii, length(chars, min = 1))]
    code: String,
    #[garde(custom(not_zero))]
    value: u32,
}

fn not_zero(value: &u32, _: &()) -> garde::Result {
    if *value == 0 { Err(garde::Error::new("a voucher is worth something")) } else { Ok(()) }
}

/// A type with no garde rules at all (it does not implement `Validate`).
#[derive(Debug, Deserialize, JsonSchema)]
struct Note {
    text: String,
}

/// Arguments written without `#[garde(...)]`: each type's own rules still run.
#[mizan::client]
async fn redeem(_req: &Request, voucher: Voucher, spare: Option<Voucher>, note: Note) -> mizan::Result<u32> {
    Ok(voucher.value + spare.map_or(0, |s| s.value) + u32::from(!note.text.is_empty()))
}

fn app() -> App {
    App::new()
        .register(echo)
        .register(order)
        .register(add)
        .register(boom)
        .register(register_user)
        .register(slow)
        .register(redeem)
        .limits(Limits { body_bytes: 4096, batch_len: 5, ..Limits::default() })
        .trusted_origins(["https://trusted.example"])
        .serve_manifest(true)
}

async fn post(url: &str, body: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.expect("json body"))
}

async fn get(url: &str) -> (u16, Value) {
    let r = reqwest::get(url).await.expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.expect("json body"))
}

#[tokio::test]
async fn echo_round_trip() {
    let base = support::serve(app()).await.api;
    let (status, body) = post(&format!("{base}/call/echo"), r#"{"text":"hi"}"#).await;
    assert_eq!((status, body), (200, json!({"data": {"message": "hi"}})));
}

#[tokio::test]
async fn bad_bodies_are_bad_requests() {
    let base = support::serve(app()).await.api;
    let url = format!("{base}/call/echo");
    for body in ["not json", "[1,2]", "\"text\"", r#"{"text":"hi"} trailing"#, "{\"text\":"] {
        let (status, v) = post(&url, body).await;
        assert_eq!((status, v["error"]["code"].as_str()), (400, Some("BAD_REQUEST")), "{body}");
    }
    // The server keeps serving.
    assert_eq!(post(&url, r#"{"text":"ok"}"#).await.0, 200);
}

#[tokio::test]
async fn validation_errors_carry_wire_paths() {
    let base = support::serve(app()).await.api;
    let url = format!("{base}/call/order");
    let (status, v) = post(&url, r#"{"items":[{"fullName":"ab","qty":1},{"fullName":"x","qty":0}]}"#).await;
    assert_eq!(status, 422);
    assert_eq!(v["error"]["code"], "VALIDATION");
    let fields = &v["error"]["fields"];
    assert!(fields.get("items.1.fullName").is_some(), "{v}");
    assert!(fields.get("items.1.qty").is_some(), "{v}");
    assert!(fields.get("items.1.full_name").is_none(), "Rust names must not leak: {v}");
    let issues = v["error"]["issues"].as_array().expect("issues");
    assert!(
        issues.iter().any(|i| i["path"] == json!(["items", 1, "qty"]) && i["code"] == "too_small"),
        "{v}"
    );

    let (status, v) = post(&url, r#"{"items":[{"fullName":"ab","qty":"many"}]}"#).await;
    assert_eq!(status, 422);
    assert_eq!(v["error"]["issues"][0]["path"], json!(["items", 0, "qty"]));
    assert_eq!(v["error"]["issues"][0]["code"], "invalid_type");

    let (_, v) = post(&url, r#"{}"#).await;
    assert_eq!(
        v["error"]["issues"][0],
        json!({"path": ["items"], "code": "required", "message": "required"})
    );

    let (_, v) = post(&url, r#"{"items":[{"fullName":"ab","qty":1}],"extra":true}"#).await;
    assert_eq!(v["error"]["issues"][0]["code"], "unknown_key");
    assert_eq!(v["error"]["issues"][0]["path"], json!(["extra"]));

    // Multi-byte characters count as one each: 5 code points pass max = 5.
    let (status, v) = post(&url, r#"{"items":[{"fullName":"ééééé","qty":1}]}"#).await;
    assert_eq!((status, v), (200, json!({"data": 1})));
    let (status, _) = post(&url, r#"{"items":[{"fullName":"éééééé","qty":1}]}"#).await;
    assert_eq!(status, 422);
    // Optional with default.
    let (_, v) = post(&url, r#"{"items":[{"fullName":"ab","qty":1}],"note":"n"}"#).await;
    assert_eq!(v, json!({"data": 2}));
}

#[tokio::test]
async fn an_argument_types_own_garde_rules_run_without_an_attribute() {
    let base = support::serve(app()).await.api;
    let url = format!("{base}/call/redeem");
    let note = json!({"text": "hi"});
    let call =
        |voucher: Value, spare: Value| json!({"voucher": voucher, "spare": spare, "note": note}).to_string();
    let (status, v) = post(&url, &call(json!({"code": "A1", "value": 2}), json!(null))).await;
    assert_eq!((status, v), (200, json!({"data": 3})));
    // Server-only rules (garde), at their wire paths.
    let (status, v) =
        post(&url, &call(json!({"code": "é", "value": 2}), json!({"code": "B", "value": 0}))).await;
    assert_eq!(status, 422, "{v}");
    let issues: Vec<(Value, Value)> = v["error"]["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| (i["path"].clone(), i["code"].clone()))
        .collect();
    assert_eq!(
        issues,
        [(json!(["voucher", "code"]), json!("invalid_format")), (json!(["spare", "value"]), json!("custom"))],
        "{v}"
    );
    assert_eq!(v["error"]["fields"]["spare.value"], json!(["a voucher is worth something"]));
    // The schema's rule comes first, and alone: garde runs only on a valid shape.
    let (_, v) = post(&url, &call(json!({"code": "", "value": 0}), json!(null))).await;
    assert_eq!(v["error"]["issues"].as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(v["error"]["issues"][0]["path"], json!(["voucher", "code"]));
}

#[tokio::test]
async fn queries_are_gettable_and_mutations_are_not() {
    let base = support::serve(app()).await.api;
    let input = "%7B%22a%22%3A2%2C%22b%22%3A3%7D";
    assert_eq!(get(&format!("{base}/call/add?input={input}")).await, (200, json!({"data": 5})));
    assert_eq!(post(&format!("{base}/call/add"), r#"{"a":2,"b":3}"#).await, (200, json!({"data": 5})));
    let (status, v) = get(&format!("{base}/call/echo?input=%7B%7D")).await;
    assert_eq!((status, v["error"]["code"].as_str()), (405, Some("METHOD_NOT_ALLOWED")));
    let (status, v) = get(&format!("{base}/call/add")).await;
    assert_eq!((status, v["error"]["code"].as_str()), (422, Some("VALIDATION")), "absent input is {{}}");
    let (status, v) = get(&format!("{base}/call/nope")).await;
    assert_eq!((status, v["error"]["code"].as_str()), (404, Some("NOT_FOUND")));
    let (status, v) = post(&format!("{base}/call/nope"), "{}").await;
    assert_eq!((status, v["error"]["code"].as_str()), (404, Some("NOT_FOUND")));
    let (status, v) = get(&format!("{base}/elsewhere")).await;
    assert_eq!((status, v["error"]["code"].as_str()), (404, Some("NOT_FOUND")));
}

#[tokio::test]
async fn a_panic_is_internal_with_only_a_request_id() {
    let base = support::serve(app()).await.api;
    let (status, v) = post(&format!("{base}/call/boom"), "{}").await;
    assert_eq!(status, 500);
    let err = v["error"].as_object().expect("error object");
    assert_eq!(err["code"], "INTERNAL");
    assert!(err["request_id"].as_str().is_some_and(|id| id.len() == 32), "{v}");
    assert!(!v.to_string().contains("hunter2"), "{v}");
    assert!(err.get("fields").is_none() && err.get("issues").is_none());
    assert_eq!(post(&format!("{base}/call/echo"), r#"{"text":"still here"}"#).await.0, 200);
}

#[tokio::test]
async fn handlers_return_their_own_codes_and_fields() {
    let base = support::serve(app()).await.api;
    let (status, v) = post(&format!("{base}/call/register_user"), r#"{"username":"ada"}"#).await;
    assert_eq!(status, 409);
    assert_eq!(v["error"]["code"], "USERNAME_TAKEN");
    assert_eq!(v["error"]["fields"]["username"], json!(["already registered"]));
}

#[tokio::test]
async fn batches_answer_in_order_and_isolate_failures() {
    let base = support::serve(app()).await.api;
    let url = format!("{base}/batch");
    let body = json!([
        {"fn": "slow", "args": {"ms": 150}},
        {"fn": "echo", "args": {"text": "b"}},
        {"fn": "boom", "args": {}},
        {"fn": "nope", "args": {}},
        {"fn": "add", "args": {"a": 1, "b": "x"}},
    ]);
    let started = std::time::Instant::now();
    let (status, v) = post(&url, &body.to_string()).await;
    assert_eq!(status, 200);
    let items = v.as_array().expect("array");
    assert_eq!(items.len(), 5);
    assert_eq!(items[0], json!({"data": 150}));
    assert_eq!(items[1], json!({"data": {"message": "b"}}));
    assert_eq!(items[2]["error"]["code"], "INTERNAL");
    assert_eq!(items[3]["error"]["code"], "NOT_FOUND");
    assert_eq!(items[4]["error"]["code"], "VALIDATION");
    assert!(started.elapsed() < std::time::Duration::from_secs(2));

    // Items run concurrently: two 300 ms calls take well under 600 ms.
    let started = std::time::Instant::now();
    let (_, v) = post(&url, r#"[{"fn":"slow","args":{"ms":300}},{"fn":"slow","args":{"ms":300}}]"#).await;
    assert_eq!(v, json!([{"data": 300}, {"data": 300}]));
    assert!(started.elapsed() < std::time::Duration::from_millis(550), "{:?}", started.elapsed());

    for bad in [
        "{}",
        r#"[{"args":{}}]"#,
        r#"[{"fn":"echo","args":[]}]"#,
        r#"[{"fn":1}]"#,
        "[",
        r#"[{"fn":"echo","x":1}]"#,
    ] {
        let (status, v) = post(&url, bad).await;
        assert_eq!((status, v["error"]["code"].as_str()), (400, Some("BAD_REQUEST")), "{bad}");
    }
    let six: Vec<Value> = (0..6).map(|_| json!({"fn": "echo", "args": {"text": "x"}})).collect();
    let (status, v) = post(&url, &Value::Array(six).to_string()).await;
    assert_eq!((status, v["error"]["code"].as_str()), (413, Some("PAYLOAD_TOO_LARGE")));
    let (status, _) = get(&url).await;
    assert_eq!(status, 405);
}

#[tokio::test]
async fn bodies_past_the_limit_are_refused() {
    let base = support::serve(app()).await.api;
    let big = json!({"text": "x".repeat(5000)}).to_string();
    let (status, v) = post(&format!("{base}/call/echo"), &big).await;
    assert_eq!((status, v["error"]["code"].as_str()), (413, Some("PAYLOAD_TOO_LARGE")));
    // Chunked, without a content-length.
    let stream = futures_util::stream::iter((0..10).map(|_| Ok::<_, std::io::Error>(vec![b' '; 1000])));
    let r = reqwest::Client::new()
        .post(format!("{base}/call/echo"))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status().as_u16(), 413);
}

#[tokio::test]
async fn cors_answers_trusted_origins_only() {
    let base = support::serve(app()).await.api;
    let client = reqwest::Client::new();
    let preflight = |origin: &'static str| {
        client
            .request(reqwest::Method::OPTIONS, format!("{base}/call/echo"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type,x-mizan-csrf")
            .send()
    };
    let ok = preflight("https://trusted.example").await.expect("preflight");
    assert_eq!(
        ok.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap_or("")),
        Some("https://trusted.example")
    );
    let no = preflight("https://evil.example").await.expect("preflight");
    assert!(no.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn the_manifest_endpoint_describes_functions() {
    let base = support::serve(app()).await.api;
    let (status, m) = get(&format!("{base}/manifest")).await;
    assert_eq!(status, 200);
    assert_eq!(m["version"], 1);
    let f = &m["functions"][0];
    assert_eq!(f["name"], "echo");
    assert_eq!(f["kind"], "mutation");
    assert_eq!(f["doc"], "Echo text back.");
    assert_eq!(f["input"]["additionalProperties"], false);
    assert_eq!(f["output"]["$ref"], "#/$defs/Output");
    assert!(m["output_defs"]["Output"].is_object());
    let f = &m["functions"][1];
    assert_eq!(f["input"]["required"], json!(["items"]), "a #[serde(default)] arg is optional on input");
    let item = &m["input_defs"]["LineItem"];
    assert_eq!(item["properties"]["fullName"]["maxLength"], 5);
    assert_eq!(item["properties"]["qty"]["minimum"], 1);
    assert_eq!(m["functions"][2]["kind"], "query");

    // Off unless enabled (or in dev mode).
    let base = support::serve(App::new().register(echo)).await.api;
    assert_eq!(get(&format!("{base}/manifest")).await.0, 404);
}
