//! Floats are faithful: every finite f64 a client sends comes back with the
//! same bits (JSON carries −0 as 0 only where the sender writes it so, as
//! JavaScript does), and a handler's NaN or infinity is an `INTERNAL` error,
//! never a silent `null`.

use mizan::{App, Request};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::support;

/// Sends the numbers back.
#[mizan::client]
async fn floats(_req: &Request, values: Vec<f64>) -> mizan::Result<Vec<f64>> {
    Ok(values)
}

/// How many random doubles go through the server.
const COUNT: usize = 10_000;

/// The seed: `MIZAN_FLOAT_SEED` to replay a failure, else a fresh one.
fn seed() -> u64 {
    match std::env::var("MIZAN_FLOAT_SEED") {
        Ok(s) => s.parse().unwrap_or_else(|_| panic!("MIZAN_FLOAT_SEED={s:?} is not a u64")),
        Err(_) => fastrand::u64(..),
    }
}

/// `COUNT` finite doubles from random bit patterns (every exponent alike,
/// subnormals included), after the edge cases.
fn doubles(seed: u64) -> Vec<f64> {
    let mut out = vec![
        0.0,
        -0.0,
        f64::MIN_POSITIVE,
        -f64::MIN_POSITIVE,
        f64::from_bits(1),
        f64::from_bits(0x000f_ffff_ffff_ffff),
        f64::MAX,
        f64::MIN,
        f64::EPSILON,
        0.1,
        0.2 + 0.1,
        1.0 / 3.0,
        9_007_199_254_740_993.0,
        1e21,
        1e-7,
        123_456_789_012_345_680_000.0,
        5e-324,
        2.225_073_858_507_201e-308,
    ];
    let mut rng = fastrand::Rng::with_seed(seed);
    while out.len() < COUNT {
        let x = f64::from_bits(rng.u64(..));
        if x.is_finite() {
            out.push(x);
        }
    }
    out
}

/// `x` as JavaScript's `JSON.stringify` writes it (ECMA-262
/// Number::toString: the shortest digits that read back as `x`, plain
/// decimal from 1e-7 up to 1e21, exponent form with a sign outside it).
/// −0 is written `0`, as JavaScript does.
fn javascript(x: f64) -> String {
    if x == 0.0 {
        return "0".to_owned();
    }
    // Rust's `{:e}` gives the same shortest digits: `d.ddde±n`.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').expect("exponent form");
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i32;
    // x = 0.digits × 10^n
    let n = exp.parse::<i32>().expect("exponent") + 1;
    let sign = if x < 0.0 { "-" } else { "" };
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let e = if e >= 0 { format!("+{e}") } else { e.to_string() };
        match digits.len() {
            1 => format!("{digits}e{e}"),
            _ => format!("{}.{}e{e}", &digits[..1], &digits[1..]),
        }
    };
    format!("{sign}{body}")
}

#[test]
fn the_javascript_form_is_javascripts() {
    // What `String(x)` gives in a JavaScript engine.
    for (x, js) in [
        (1.0, "1"),
        (-1.5, "-1.5"),
        (0.1, "0.1"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (123_456_789_012_345_680_000.0, "123456789012345680000"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (0.000_001, "0.000001"),
        (0.000_001_5, "0.0000015"),
        (5e-324, "5e-324"),
        (f64::MAX, "1.7976931348623157e+308"),
        (-0.0, "0"),
        (123.456, "123.456"),
    ] {
        assert_eq!(javascript(x), js, "{x:e}");
    }
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    data: Vec<&'a RawValue>,
}

/// Posts the numbers written by `write` and compares each answer's bits
/// with what was sent (`expected` maps a sent value to the one it stands
/// for: −0 written as `0` stands for +0).
async fn round_trip(base: &str, seed: u64, form: &str, write: fn(f64) -> String, expected: fn(f64) -> f64) {
    let values = doubles(seed);
    let texts: Vec<String> = values.iter().map(|&x| write(x)).collect();
    let body = format!("{{\"values\":[{}]}}", texts.join(","));
    let r = reqwest::Client::new()
        .post(format!("{base}/call/floats"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 200, "seed {seed}");
    let answer = r.text().await.expect("body");
    let envelope: Envelope<'_> = serde_json::from_str(&answer).expect("the success envelope");
    assert_eq!(envelope.data.len(), values.len(), "seed {seed}");
    let mut wrong = Vec::new();
    for ((x, sent), got) in values.iter().zip(&texts).zip(&envelope.data) {
        // Read back with the standard library's parser, not serde_json's.
        let back: f64 = got.get().parse().unwrap_or_else(|e| panic!("{} is not a number: {e}", got.get()));
        if back.to_bits() != expected(*x).to_bits() {
            wrong.push(format!("{x:e} sent as {sent} came back as {}", got.get()));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} doubles ({form} form) came back changed; replay with MIZAN_FLOAT_SEED={seed}:\n{}",
        wrong.len(),
        values.len(),
        wrong.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[tokio::test]
async fn finite_doubles_round_trip_bit_for_bit() {
    let base = support::serve(App::new().register(floats)).await.api;
    let seed = seed();
    // As the TypeScript client writes them.
    round_trip(&base, seed, "JavaScript", javascript, |x| if x == 0.0 { 0.0 } else { x }).await;
    // In exponent form, as other clients may: −0 stays −0.
    round_trip(&base, seed, "exponent", |x| format!("{x:e}"), |x| x).await;
}

/// A score that went wrong.
#[derive(serde::Serialize, schemars::JsonSchema)]
struct Stats {
    name: String,
    mean: f64,
}

/// The mean of nothing: 0 / 0.
#[mizan::client]
async fn mean(_req: &Request, values: Vec<f64>) -> mizan::Result<Stats> {
    Ok(Stats { name: "mean".to_owned(), mean: values.iter().sum::<f64>() / values.len() as f64 })
}

/// Replies `x / 0`: an infinity (or NaN) for the sender.
struct Divide;

#[derive(Debug, Deserialize, schemars::JsonSchema, garde::Validate)]
struct NoParams {}

#[derive(Debug, Deserialize, schemars::JsonSchema, garde::Validate)]
struct Numerator {
    #[garde(skip)]
    x: f64,
}

impl mizan::Channel for Divide {
    const NAME: Option<&'static str> = Some("divide");
    type Params = NoParams;
    type Message = f64;
    type ClientMessage = Numerator;
    fn group(_: &NoParams) -> String {
        String::new()
    }
    async fn receive(&self, cx: mizan::Inbound<'_, Self>, msg: Numerator) -> mizan::Result<()> {
        cx.reply(&(msg.x / 0.0))
    }
}

fn view_with_nan_props() -> axum::Router {
    axum::Router::new().route(
        "/nan/",
        axum::routing::get(|req: Request| async move {
            mizan::render(&req, "Hello.tsx", Stats { name: "nan".to_owned(), mean: f64::NAN }).await
        }),
    )
}

#[tokio::test]
async fn a_non_finite_output_is_internal_never_null() {
    let app = App::new().register(mean).channel(Divide).ssr(support::ssr::ssr());
    let s = support::serve_with(app, view_with_nan_props()).await;
    let client = reqwest::Client::new();

    let ((status, body), log) = support::logged(async {
        let r = client
            .post(format!("{}/call/mean", s.api))
            .header("content-type", "application/json")
            .body(r#"{"values":[]}"#)
            .send()
            .await
            .expect("call");
        (r.status().as_u16(), r.text().await.expect("body"))
    })
    .await;
    assert_eq!(status, 500, "{body}");
    let error: serde_json::Value = serde_json::from_str(&body).expect("the error object");
    assert_eq!(error["error"]["code"], "INTERNAL", "{body}");
    let id = error["error"]["request_id"].as_str().expect("a request id").to_owned();
    assert!(!body.contains("null") && !body.contains("NaN"), "{body}");
    let line =
        log.lines().find(|l| l.contains(&id)).unwrap_or_else(|| panic!("nothing logged under {id}: {log}"));
    assert!(line.contains("serializing the output of mean: a non-finite float (NaN)"), "{line}");
    assert!(line.contains("at `mean`"), "{line}");

    // In a batch, the item alone.
    let batch = r#"[{"fn":"mean","args":{"values":[]}},{"fn":"mean","args":{"values":[1,2]}}]"#;
    let r = client
        .post(format!("{}/batch", s.api))
        .header("content-type", "application/json")
        .body(batch)
        .send()
        .await
        .expect("batch");
    let items: serde_json::Value = r.json().await.expect("json");
    assert_eq!(items[0]["error"]["code"], "INTERNAL", "{items}");
    assert_eq!(items[1], serde_json::json!({"data": {"name": "mean", "mean": 1.5}}));

    // A channel message: the sender gets an INTERNAL `err` frame.
    let mut ws = support::ws::connect(&s.ws).await;
    support::ws::sub(&mut ws, 1, "divide", serde_json::json!({})).await;
    support::ws::send(&mut ws, serde_json::json!({"t": "send", "id": 1, "data": {"x": 1.0}})).await;
    let frame = support::ws::recv(&mut ws).await;
    assert_eq!((&frame["t"], &frame["error"]["code"]), (&"err".into(), &"INTERNAL".into()), "{frame}");

    // SSR props: the error page, before any worker starts.
    let (r, log) = support::logged(async { client.get(s.site("/nan/")).send().await.expect("page") }).await;
    assert_eq!(r.status().as_u16(), 500);
    assert_eq!(r.headers().get("x-mizan-error").map(|v| v.to_str().unwrap_or("")), Some("INTERNAL"));
    assert!(log.contains("the props of Hello.tsx are not serializable: a non-finite float (NaN)"), "{log}");
}
