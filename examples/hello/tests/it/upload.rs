//! `upload` on the wire, against the `hello` binary: multipart bodies
//! written by hand, some of them streamed and left hanging, to show what
//! the server answers before (or without) reading the rest.

use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::{BIN, Proc, listen};

const BOUNDARY: &str = "mizan-test-boundary-7c1e";

fn hello(name: &str) -> (Proc, String) {
    let dir = std::env::temp_dir().join(format!("hello-upload-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a work dir");
    let database = format!("sqlite://{}?mode=rwc", dir.join("hello.sqlite3").display());
    let (child, url) = listen(Command::new(BIN).env("DATABASE_URL", database));
    (Proc(child), format!("{url}/api/mizan"))
}

/// The `args` part and the headers of a file part named `name`.
fn head(args: &Value, name: &str, file_name: &str, content_type: &str) -> Vec<u8> {
    format!(
        "--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"args\"\r\ncontent-type: application/json\r\n\r\n{args}\r\n\
         --{BOUNDARY}\r\ncontent-disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\ncontent-type: {content_type}\r\n\r\n"
    )
    .into_bytes()
}

fn tail() -> Vec<u8> {
    format!("\r\n--{BOUNDARY}--\r\n").into_bytes()
}

fn multipart(args: &Value, file: Option<(&str, &[u8])>) -> Vec<u8> {
    match file {
        Some((name, bytes)) => {
            let mut body = head(args, name, "photo.bin", "application/octet-stream");
            body.extend_from_slice(bytes);
            body.extend(tail());
            body
        }
        None => format!(
            "--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"args\"\r\n\r\n{args}\r\n--{BOUNDARY}--\r\n"
        )
        .into_bytes(),
    }
}

fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

async fn post(api: &str, body: Vec<u8>) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{api}/call/upload"))
        .header("content-type", content_type())
        .body(body)
        .send()
        .await
        .expect("upload answered");
    let status = r.status().as_u16();
    (status, r.json().await.expect("a JSON answer"))
}

/// A body that sends `head`, then `filler` bytes of file, then never ends:
/// an answer to it was given without reading the whole body.
fn hanging(head: Vec<u8>, filler: usize) -> reqwest::Body {
    let chunks = std::iter::once(head).chain((0..filler / 65_536).map(|_| vec![b'x'; 65_536]));
    let stream = futures_util::stream::iter(chunks.map(Ok::<_, std::io::Error>))
        .chain(futures_util::stream::pending());
    reqwest::Body::wrap_stream(stream)
}

use futures_util::StreamExt as _;

#[tokio::test]
async fn upload_answers_the_name_size_sha256_and_note_of_the_bytes_received() {
    let (_hello, api) = hello("good");
    let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let want = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect::<String>();
    let (status, body) = post(&api, multipart(&json!({ "note": "a note" }), Some(("file", &bytes)))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({ "data": { "name": "photo.bin", "size": 3_000_000, "sha256": want, "note": "a note" } })
    );

    // An empty file is a file too.
    let (status, body) = post(&api, multipart(&json!({ "note": "" }), Some(("file", b"")))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["sha256"], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

#[tokio::test]
async fn a_file_past_ten_mb_is_refused_413_while_it_streams() {
    let (_hello, api) = hello("big");
    let body =
        hanging(head(&json!({ "note": "n" }), "file", "big.bin", "application/octet-stream"), 10_500_000);
    let r = tokio::time::timeout(
        Duration::from_secs(20),
        reqwest::Client::new()
            .post(format!("{api}/call/upload"))
            .header("content-type", content_type())
            .body(body)
            .send(),
    )
    .await
    .expect("answered without the rest of the body (which never comes)")
    .expect("an answer");
    assert_eq!(r.status().as_u16(), 413);
    let body: Value = r.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "PAYLOAD_TOO_LARGE", "{body}");
}

#[tokio::test]
async fn missing_or_unknown_parts_and_bad_args_get_clear_codes() {
    let (_hello, api) = hello("parts");
    // No file: `required` at `file`.
    let (status, body) = post(&api, multipart(&json!({ "note": "n" }), None)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["error"]["issues"],
        json!([{ "path": ["file"], "code": "required", "message": "a file is required" }])
    );
    // A file part under another name: `unknown_key` at that name.
    let (status, body) = post(&api, multipart(&json!({ "note": "n" }), Some(("photo", b"x")))).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["issues"][0]["path"], json!(["photo"]));
    assert_eq!(body["error"]["issues"][0]["code"], "unknown_key");
    // The `args` part goes through the same contract as a JSON call.
    let (status, body) = post(&api, multipart(&json!({}), Some(("file", b"x")))).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["issues"][0]["path"], json!(["note"]));
    let (status, body) =
        post(&api, multipart(&json!({ "note": "n", "extra": 1 }), Some(("file", b"x")))).await;
    assert_eq!((status, body["error"]["issues"][0]["code"].clone()), (422, json!("unknown_key")), "{body}");
    // `args` must come first.
    let mut late =
        format!("--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nx\r\n")
            .into_bytes();
    late.extend(multipart(&json!({ "note": "n" }), None).split_off(0));
    let (status, body) = post(&api, late).await;
    assert_eq!((status, body["error"]["code"].clone()), (400, json!("BAD_REQUEST")), "{body}");
    // Not multipart at all: garbage after the boundary line.
    let (status, body) = post(&api, b"not multipart".to_vec()).await;
    assert_eq!((status, body["error"]["code"].clone()), (400, json!("BAD_REQUEST")), "{body}");
}

#[tokio::test]
async fn media_types_and_batches() {
    let (_hello, api) = hello("media");
    let client = reqwest::Client::new();
    // JSON to a function that takes files: 415.
    let r =
        client.post(format!("{api}/call/upload")).json(&json!({ "note": "n" })).send().await.expect("answer");
    assert_eq!(r.status().as_u16(), 415);
    // Multipart to a function that takes none: 415.
    let r = client
        .post(format!("{api}/call/echo"))
        .header("content-type", content_type())
        .body(multipart(&json!({ "text": "t" }), None))
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status().as_u16(), 415);
    // A batch naming it is malformed, whole.
    let r = client
        .post(format!("{api}/batch"))
        .json(
            &json!([{ "fn": "echo", "args": { "text": "t" } }, { "fn": "upload", "args": { "note": "n" } }]),
        )
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status().as_u16(), 400);
    let body: Value = r.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "BAD_REQUEST", "{body}");
}

#[tokio::test]
async fn csrf_is_refused_before_the_body_is_read() {
    let (_hello, api) = hello("csrf");
    // A cookie, no token, no origin headers: refused, though the body never ends.
    let body = hanging(head(&json!({ "note": "n" }), "file", "a.bin", "application/octet-stream"), 65_536);
    let r = tokio::time::timeout(
        Duration::from_secs(10),
        reqwest::Client::new()
            .post(format!("{api}/call/upload"))
            .header("content-type", content_type())
            .header("cookie", "mizan_session=whatever")
            .body(body)
            .send(),
    )
    .await
    .expect("answered without the body")
    .expect("an answer");
    assert_eq!(r.status().as_u16(), 403);
    let body: Value = r.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "CSRF", "{body}");
    // Another site's page: refused too.
    let r = reqwest::Client::new()
        .post(format!("{api}/call/upload"))
        .header("content-type", content_type())
        .header("origin", "https://evil.example")
        .body(multipart(&json!({ "note": "n" }), Some(("file", b"x"))))
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status().as_u16(), 403);
}
