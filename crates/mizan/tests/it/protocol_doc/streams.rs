//! Streamed outputs: the documented bodies are what a stream function answers.

use mizan::ChannelLimits;

use super::app::{app, http, send, serve};
use super::doc;

#[tokio::test]
async fn the_documented_stream_bodies_are_what_streams_answer() {
    let s = serve(app(ChannelLimits::default())).await;
    let a = send(http().get(format!("{}/call/countdown?input=%7B%22from%22%3A3%7D", s.api))).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.header("content-type"), Some("application/x-ndjson"));
    assert_eq!(a.body, doc::block("stream-body"));

    let a = send(
        http().post(format!("{}/call/run_dry", s.api)).header("content-type", "application/json").body("{}"),
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body, doc::block("stream-failed"));

    // Before the first item: the usual error answer.
    let a = send(http().get(format!("{}/call/countdown?input=%7B%22from%22%3A-1%7D", s.api))).await;
    assert_eq!((a.status, a.code()), (422, "VALIDATION".to_owned()));
    assert_eq!(a.header("content-type"), Some("application/json"));
    // In a batch: refused whole.
    let batch = r#"[{"fn":"echo","args":{"text":"a"}},{"fn":"countdown","args":{"from":1}}]"#;
    let a =
        send(http().post(format!("{}/batch", s.api)).header("content-type", "application/json").body(batch))
            .await;
    assert_eq!((a.status, a.code()), (400, "BAD_REQUEST".to_owned()));
}

#[test]
fn the_documented_line_kinds_are_the_three() {
    let kinds: Vec<String> = doc::table("stream-lines").iter().map(|row| doc::code(&row[0])).collect();
    assert_eq!(kinds, [r#"{"data": ITEM}"#, r#"{"end": true}"#, r#"{"error": ERROR}"#]);
}
