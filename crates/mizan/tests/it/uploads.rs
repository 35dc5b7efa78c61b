//! Upload arguments on the wire, in process: a list of files read in
//! order, declared types, counts, auth before the body, and limits broken
//! mid-stream.

use std::time::Duration;

use futures_util::StreamExt;
use mizan::{App, Request, Upload, Uploads};
use serde_json::{Value, json};

use crate::support::{TestAuth, serve};

const BOUNDARY: &str = "b0undary-of-the-test";

/// Each file received: its name, type and size.
#[mizan::client(auth = "authenticated")]
async fn pictures(
    _req: &Request,
    #[upload(max_bytes = 1000, max_count = 3, mime = ["image/png", "image/*"])] files: Uploads,
    album: String,
) -> mizan::Result<Vec<(String, String, u32)>> {
    let mut files = files;
    let mut out = Vec::new();
    while let Some(mut file) = files.next().await? {
        while file.chunk().await?.is_some() {}
        out.push((
            format!("{album}/{}", file.file_name().unwrap_or("")),
            file.content_type().to_owned(),
            u32::try_from(file.bytes_read()).unwrap_or(u32::MAX),
        ));
    }
    Ok(out)
}

/// Only PDFs, optional; answers the size, or null without a file. Reads
/// nothing of the body but what it asks for.
#[mizan::client]
async fn maybe_pdf(
    _req: &Request,
    #[upload(max_bytes = 100, mime = ["application/pdf"])] doc: Option<Upload>,
) -> mizan::Result<Option<u32>> {
    let Some(doc) = doc else { return Ok(None) };
    let mut size = 0;
    let mut chunks = std::pin::pin!(doc.into_stream());
    while let Some(chunk) = chunks.next().await {
        size += u32::try_from(chunk?.len()).unwrap_or(u32::MAX);
    }
    Ok(Some(size))
}

/// Ignores the error of reading past the limit: the call still answers 413.
#[mizan::client]
async fn swallow(_req: &Request, #[upload(max_bytes = 10)] file: Upload) -> mizan::Result<&'static str> {
    let mut file = file;
    while let Ok(Some(_)) = file.chunk().await {}
    Ok("swallowed")
}

fn app() -> App {
    App::new().authenticator(TestAuth).register(pictures).register(maybe_pdf).register(swallow)
}

fn part(name: &str, file: Option<(&str, &str)>, body: &[u8]) -> Vec<u8> {
    let mut out = format!("--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"{name}\"").into_bytes();
    if let Some((file_name, ty)) = file {
        out.extend(format!("; filename=\"{file_name}\"\r\ncontent-type: {ty}").into_bytes());
    }
    out.extend(b"\r\n\r\n");
    out.extend_from_slice(body);
    out.extend(b"\r\n");
    out
}

fn body(args: &Value, files: &[(&str, &str, &str, &[u8])]) -> Vec<u8> {
    let mut out = part("args", None, args.to_string().as_bytes());
    for (name, file_name, ty, bytes) in files {
        out.extend(part(name, Some((file_name, ty)), bytes));
    }
    out.extend(format!("--{BOUNDARY}--\r\n").into_bytes());
    out
}

async fn call(api: &str, name: &str, token: Option<&str>, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let mut r = reqwest::Client::new()
        .post(format!("{api}/call/{name}"))
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"));
    if let Some(token) = token {
        r = r.bearer_auth(token);
    }
    let r = tokio::time::timeout(Duration::from_secs(20), r.body(body).send())
        .await
        .expect("answered in time")
        .expect("an answer");
    let status = r.status().as_u16();
    (status, r.json().await.expect("JSON"))
}

#[tokio::test]
async fn a_list_of_files_is_read_in_the_order_sent_within_its_count_and_types() {
    let served = serve(app()).await;
    let files: &[(&str, &str, &str, &[u8])] = &[
        ("files", "b.png", "image/png", b"bb"),
        ("files", "a.gif", "IMAGE/GIF", b"a"),
        ("files", "c", "image/webp", b""),
    ];
    let (status, out) =
        call(&served.api, "pictures", Some("alice"), body(&json!({ "album": "x" }), files)).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(
        out["data"],
        json!([["x/b.png", "image/png", 2], ["x/a.gif", "image/gif", 1], ["x/c", "image/webp", 0]])
    );

    // A fourth file is past `max_count`: 413.
    let four = [files, &[("files", "d.png", "image/png", b"d" as &[u8])]].concat();
    let (status, out) =
        call(&served.api, "pictures", Some("alice"), body(&json!({ "album": "x" }), &four)).await;
    assert_eq!((status, out["error"]["code"].clone()), (413, json!("PAYLOAD_TOO_LARGE")), "{out}");

    // An undeclared type: 422, `invalid_value` at the file's place in the list.
    let bad: &[(&str, &str, &str, &[u8])] =
        &[("files", "a.png", "image/png", b"a"), ("files", "t.txt", "text/plain", b"t")];
    let (status, out) =
        call(&served.api, "pictures", Some("alice"), body(&json!({ "album": "x" }), bad)).await;
    assert_eq!(status, 422, "{out}");
    assert_eq!(out["error"]["code"], "VALIDATION");
    assert_eq!(out["error"]["issues"][0]["path"], json!(["files", 1]));
    assert_eq!(out["error"]["issues"][0]["code"], "invalid_value");

    // None at all is a list of none.
    let (status, out) =
        call(&served.api, "pictures", Some("alice"), body(&json!({ "album": "x" }), &[])).await;
    assert_eq!((status, out["data"].clone()), (200, json!([])), "{out}");
}

#[tokio::test]
async fn auth_is_checked_before_the_body_is_read() {
    let served = serve(app()).await;
    // Anonymous, with a body that never ends: refused at once.
    let head = part("args", None, br#"{"album":"x"}"#);
    let stream =
        futures_util::stream::iter([Ok::<_, std::io::Error>(head)]).chain(futures_util::stream::pending());
    let (status, out) = call(&served.api, "pictures", None, reqwest::Body::wrap_stream(stream)).await;
    assert_eq!((status, out["error"]["code"].clone()), (401, json!("UNAUTHENTICATED")), "{out}");
}

#[tokio::test]
async fn an_optional_file_of_a_declared_type() {
    let served = serve(app()).await;
    let (status, out) = call(&served.api, "maybe_pdf", None, body(&json!({}), &[])).await;
    assert_eq!((status, out["data"].clone()), (200, Value::Null), "{out}");
    let pdf: &[(&str, &str, &str, &[u8])] = &[("doc", "a.pdf", "application/pdf; charset=binary", b"%PDF-1")];
    let (status, out) = call(&served.api, "maybe_pdf", None, body(&json!({}), pdf)).await;
    assert_eq!((status, out["data"].clone()), (200, json!(6)), "{out}");
    // Declared type only: PDF bytes declared as PNG are refused, not sniffed.
    let png: &[(&str, &str, &str, &[u8])] = &[("doc", "a.pdf", "image/png", b"%PDF-1")];
    let (status, out) = call(&served.api, "maybe_pdf", None, body(&json!({}), png)).await;
    assert_eq!(status, 422, "{out}");
    assert_eq!(out["error"]["issues"][0]["path"], json!(["doc"]));
    // Past max_bytes through the stream too.
    let big = vec![b'x'; 101];
    let (status, out) =
        call(&served.api, "maybe_pdf", None, body(&json!({}), &[("doc", "a.pdf", "application/pdf", &big)]))
            .await;
    assert_eq!((status, out["error"]["code"].clone()), (413, json!("PAYLOAD_TOO_LARGE")), "{out}");
}

#[tokio::test]
async fn a_limit_broken_mid_stream_is_the_answer_even_when_the_handler_ignores_it() {
    let served = serve(app()).await;
    // The file never ends; past 10 bytes the call answers 413 without the rest.
    let mut head = part("args", None, b"{}");
    head.extend(
        format!("--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\n")
            .into_bytes(),
    );
    head.extend(vec![b'x'; 4096]);
    let stream =
        futures_util::stream::iter([Ok::<_, std::io::Error>(head)]).chain(futures_util::stream::pending());
    let (status, out) = call(&served.api, "swallow", None, reqwest::Body::wrap_stream(stream)).await;
    assert_eq!((status, out["error"]["code"].clone()), (413, json!("PAYLOAD_TOO_LARGE")), "{out}");
}
