//! Output checks in dev mode: each output (and each item of a stream) is
//! judged against its published schema, and a mismatch is logged as a
//! warning with the request id; in production the checker never runs.

#![allow(clippy::unwrap_used)]

use mizan::{App, Request, Stream};
use serde_json::{Value, json};

use crate::support;

/// An output whose schema says `count` is an integer, while it is sent as
/// a string: the handler and its schema disagree.
#[derive(serde::Serialize, schemars::JsonSchema)]
struct Lying {
    #[schemars(with = "u32")]
    count: String,
    label: String,
}

#[mizan::client(query)]
async fn lies(_req: &Request) -> mizan::Result<Lying> {
    Ok(Lying { count: "three".into(), label: "a".into() })
}

/// An item whose `count` is published as an integer and may be anything.
#[derive(serde::Serialize, schemars::JsonSchema)]
struct Loose {
    #[schemars(with = "u32")]
    count: Value,
}

/// Two good items around a bad one.
#[mizan::client(query)]
async fn lies_later(_req: &Request) -> mizan::Result<Stream<Loose>> {
    Ok(Stream::iter([json!(1), json!("two"), json!(3)].map(|count| Loose { count })))
}

#[derive(serde::Serialize, schemars::JsonSchema)]
struct Honest {
    count: u32,
}

#[mizan::client(query)]
async fn honest(_req: &Request) -> mizan::Result<Honest> {
    Ok(Honest { count: 3 })
}

fn app(suffix: &str) -> App {
    App::new()
        .register_as(&format!("lies_{suffix}"), lies)
        .register_as(&format!("lies_later_{suffix}"), lies_later)
        .register_as(&format!("honest_{suffix}"), honest)
}

async fn get(api: &str, name: &str) -> (u16, String) {
    let r = reqwest::Client::new().get(format!("{api}/call/{name}")).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The 32 hex digits after `request_id=` in a log line, if any.
fn request_id(line: &str) -> Option<&str> {
    let at = line.find("request_id=")? + "request_id=".len();
    let id = line.get(at..at + 32)?;
    id.bytes().all(|b| b.is_ascii_hexdigit()).then_some(id)
}

#[tokio::test]
async fn dev_mode_logs_an_output_that_does_not_match_its_schema_with_the_request_id() {
    let s = support::serve(app("dev").dev(true)).await;
    let ((status, body), log) = support::logged(get(&s.api, "lies_dev")).await;
    // The answer is sent as the handler made it.
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({ "data": { "count": "three", "label": "a" } })
    );
    let line =
        log.lines().find(|l| l.contains("does not match its schema")).unwrap_or_else(|| panic!("{log}"));
    assert!(line.contains("WARN"), "{line}");
    assert!(line.contains("lies_dev") && line.contains("invalid_type at `count`"), "{line}");
    assert!(request_id(line).is_some(), "no request id in {line}");
    assert_eq!(mizan::__private::output_checks("lies_dev"), 1);

    // Each item of a stream is judged: the bad one is logged, with the request id.
    let ((status, body), log) = support::logged(get(&s.api, "lies_later_dev")).await;
    assert_eq!(status, 200);
    assert_eq!(body.lines().count(), 4, "three items and the end: {body}");
    let warned: Vec<&str> = log.lines().filter(|l| l.contains("does not match its schema")).collect();
    assert_eq!(warned.len(), 1, "{log}");
    assert!(warned[0].contains("invalid_type at `count`"), "{}", warned[0]);
    assert!(request_id(warned[0]).is_some(), "no request id in {}", warned[0]);
    assert_eq!(mizan::__private::output_checks("lies_later_dev"), 3);

    // A matching output is checked, and nothing is logged.
    let ((status, _), log) = support::logged(get(&s.api, "honest_dev")).await;
    assert_eq!(status, 200);
    assert!(!log.contains("does not match"), "{log}");
    assert_eq!(mizan::__private::output_checks("honest_dev"), 1);
}

#[tokio::test]
async fn production_never_calls_the_checker() {
    let s = support::serve(app("prod")).await;
    let (_, log) = support::logged(async {
        for name in ["lies_prod", "lies_later_prod", "honest_prod"] {
            for _ in 0..3 {
                assert_eq!(get(&s.api, name).await.0, 200);
            }
        }
    })
    .await;
    for name in ["lies_prod", "lies_later_prod", "honest_prod"] {
        assert_eq!(mizan::__private::output_checks(name), 0, "{name}");
    }
    assert!(!log.contains("does not match"), "{log}");
}
