//! The SSR bridge, spoken to a real Bun worker.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};

use super::doc;
use crate::support::repo_root;
use crate::support::ssr::fixtures;

/// A Bun worker started the way the pool starts one, spoken to directly.
struct Worker {
    child: tokio::process::Child,
    stdin: tokio::process::ChildStdin,
    stdout: tokio::io::BufReader<tokio::process::ChildStdout>,
}

/// What the worker answered, by its documented shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    Pong,
    Html,
    HtmlBytes,
    Error,
    Chunk,
    ChunkBytes,
    Call,
}

/// The shape a row of the `bridge-worker` table describes.
fn shape_of(cell: &str) -> Shape {
    match () {
        () if cell.contains(r#""method":"call""#) => Shape::Call,
        () if cell.contains(r#""chunk_bytes":"#) => Shape::ChunkBytes,
        () if cell.contains(r#""chunk":"#) => Shape::Chunk,
        () if cell.contains(r#""result":"pong""#) => Shape::Pong,
        () if cell.contains(r#""html_bytes":"#) => Shape::HtmlBytes,
        () if cell.contains(r#""html":"#) => Shape::Html,
        () if cell.contains(r#""error":{"message":"#) && cell.contains(r#""stack":"#) => Shape::Error,
        () => panic!("an answer shape the test does not know: {cell}"),
    }
}

impl Worker {
    fn start() -> Self {
        let root = repo_root();
        let bun = root.join("node_modules/.bin/bun");
        assert!(bun.is_file(), "{} is missing: run `npm install` at the repository root", bun.display());
        let mut child = tokio::process::Command::new(bun)
            .arg(root.join("packages/ssr/src/worker.ts"))
            .env("NODE_ENV", "production")
            .env("NO_COLOR", "1")
            .env("FORCE_COLOR", "0")
            .env_remove("MIZAN_SSR_INLINE_MAX")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("bun starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = tokio::io::BufReader::new(child.stdout.take().unwrap());
        Self { child, stdin, stdout }
    }

    async fn send(&mut self, line: &str) {
        assert!(line.ends_with('\n'), "whole lines: {line:?}");
        self.stdin.write_all(line.as_bytes()).await.unwrap();
        self.stdin.flush().await.unwrap();
    }

    /// The next line from the worker (with a raw payload it announces, as
    /// `"text"`) and its documented shape.
    async fn next(&mut self) -> (Shape, Value) {
        let mut head = Vec::new();
        let read = self.stdout.read_until(b'\n', &mut head);
        tokio::time::timeout(Duration::from_secs(20), read).await.expect("a line").unwrap();
        let mut v: Value = serde_json::from_slice(&head).expect("a worker line is JSON");
        let keys: BTreeSet<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let allowed = [
            BTreeSet::from(["id", "result"]),
            BTreeSet::from(["id", "error"]),
            BTreeSet::from(["id", "chunk"]),
            BTreeSet::from(["id", "chunk_bytes"]),
            BTreeSet::from(["id", "method", "params"]),
        ];
        assert!(allowed.contains(&keys), "{v}");
        let raw = v["result"]["html_bytes"].as_u64().or(v["chunk_bytes"].as_u64());
        if let Some(n) = raw {
            let mut body = vec![0u8; n as usize + 1];
            self.stdout.read_exact(&mut body).await.unwrap();
            assert_eq!(body.pop(), Some(b'\n'), "a raw payload is followed by a newline");
            v["text"] = Value::String(String::from_utf8(body).expect("UTF-8 payload"));
        }
        let shape = match () {
            () if v["method"] == "call" => {
                assert!(v["id"].is_string(), "a call has a string id: {v}");
                Shape::Call
            }
            () if v["chunk_bytes"].is_u64() => Shape::ChunkBytes,
            () if v["chunk"].is_string() => Shape::Chunk,
            () if v["result"] == "pong" => Shape::Pong,
            () if v["result"]["html_bytes"].is_u64() => Shape::HtmlBytes,
            () if v["result"]["html"].is_string() => Shape::Html,
            () if v["error"]["message"].is_string() && v["error"]["stack"].is_string() => Shape::Error,
            () => panic!("not a documented line: {v}"),
        };
        (shape, v)
    }

    /// Sends one request and reads its one answer: `html` holds the page
    /// however it travelled.
    async fn ask(&mut self, line: &str) -> (Shape, Value) {
        assert!(line.matches('\n').count() == 1, "one line: {line:?}");
        self.send(line).await;
        let (shape, v) = self.next().await;
        let html = if shape == Shape::HtmlBytes { v["text"].clone() } else { v["result"]["html"].clone() };
        (shape, json!({ "id": v["id"], "html": html, "error": v["error"] }))
    }
}

/// The documented request line for `method`, with `N`, `PATH` and the `{…}`
/// objects filled in.
fn request_line(template: &str, id: u64, path: &str, objects: &[Value]) -> String {
    let mut line = template.replace(":N", &format!(":{id}")).replace("PATH", &Value::from(path).to_string());
    for object in objects {
        line = line.replacen("{…}", &object.to_string(), 1);
    }
    let _: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{line}: {e}"));
    format!("{line}\n")
}

#[tokio::test]
async fn the_bridge_speaks_the_documented_lines() {
    let requests: BTreeMap<String, String> = doc::table("bridge-host")
        .iter()
        .map(|row| {
            let line = doc::code(&row[0]);
            (doc::quoted_after(&line, "\"method\":").unwrap_or_default(), line)
        })
        .collect();
    let call_answer = doc::table("bridge-host")
        .iter()
        .map(|row| doc::code(&row[0]))
        .find(|line| !line.contains("\"method\":"))
        .expect("the answer to a call");
    let requests: BTreeMap<String, String> =
        requests.into_iter().filter(|(method, _)| !method.is_empty()).collect();
    assert_eq!(
        requests.keys().cloned().collect::<BTreeSet<_>>(),
        BTreeSet::from(["ping".into(), "render".into(), "cancel".into()])
    );
    let shapes: BTreeSet<Shape> = doc::table("bridge-worker").iter().map(|row| shape_of(&row[0])).collect();
    let fixture = |name: &str| fixtures().join(name).to_string_lossy().into_owned();

    let mut w = Worker::start();
    let mut seen = BTreeSet::new();
    let (shape, v) = w.ask(&request_line(&requests["ping"], 1, "", &[])).await;
    assert_eq!((shape, &v["id"]), (Shape::Pong, &json!(1)));
    seen.insert(shape);

    let render = |id, name: &str, props: Value, contexts: Value| {
        request_line(&requests["render"], id, &fixture(name), &[props, contexts])
    };
    let (shape, v) = w.ask(&render(2, "Hello.tsx", json!({"name": "World"}), json!({}))).await;
    assert_eq!(
        (shape, v["id"].as_u64(), v["html"].as_str()),
        (Shape::Html, Some(2), Some("<div>Hello, World!</div>"))
    );
    seen.insert(shape);

    // The framing switches at 1 KiB of UTF-8, as documented.
    for (id, n) in (10..).zip(975..=990) {
        let (shape, v) = w.ask(&render(id, "Echo.tsx", json!({"text": "é".repeat(n / 2)}), json!({}))).await;
        let len = v["html"].as_str().unwrap().len();
        let want = if len >= 1024 { Shape::HtmlBytes } else { Shape::Html };
        assert_eq!(shape, want, "{len} bytes of HTML");
        seen.insert(shape);
    }
    let (shape, _) = w.ask(&render(3, "Big.tsx", json!({}), json!({}))).await;
    assert_eq!(shape, Shape::HtmlBytes);

    // `contexts` reaches the context hooks while the component renders.
    let contexts =
        json!({"a": {"data": "from the host"}, "b": {"error": {"code": "FORBIDDEN", "message": "no"}}});
    let (_, v) = w.ask(&render(4, "Contexts.tsx", json!({"names": ["a", "b", "c"]}), contexts)).await;
    let html = v["html"].as_str().unwrap();
    for part in ["data:from the host", "error:FORBIDDEN", "absent"] {
        assert!(html.contains(part), "{part} in {html}");
    }

    let (shape, v) = w.ask(&render(5, "Throws.tsx", json!({"reason": "why"}), json!({}))).await;
    assert_eq!((shape, v["id"].as_u64()), (Shape::Error, Some(5)));
    assert!(v["error"]["message"].as_str().unwrap().contains("boom: why"), "{v}");
    seen.insert(shape);
    let (shape, v) = w.ask("{\"id\":6,\"method\":\"dance\"}\n").await;
    assert_eq!(shape, Shape::Error);
    assert!(v["error"]["message"].as_str().unwrap().contains("unknown method"), "{v}");

    let (_, v) = w.ask(&render(7, "Console.tsx", json!({}), json!({}))).await;
    assert_eq!(v["html"], "<p>logged</p>", "stdout carries the protocol only");

    // Chunks, a call, then the result with its head and queries.
    let big = "é".repeat(600);
    let props = json!({"fn": "list_todos", "args": {"n": 1}, "chunks": ["<b>first</b>", big]});
    w.send(&render(8, "Calls.tsx", props, json!({}))).await;
    let (shape, v) = w.next().await;
    assert_eq!((shape, &v["id"], &v["chunk"]), (Shape::Chunk, &json!(8), &json!("<b>first</b>")));
    seen.insert(shape);
    let (shape, v) = w.next().await;
    assert_eq!((shape, &v["id"], v["text"].as_str()), (Shape::ChunkBytes, &json!(8), Some(big.as_str())));
    seen.insert(shape);
    let (shape, call) = w.next().await;
    assert_eq!(shape, Shape::Call);
    seen.insert(shape);
    assert_eq!(call["params"], json!({"render": 8, "fn": "list_todos", "args": {"n": 1}}));
    let cid = call["id"].as_str().unwrap();
    let answer = call_answer
        .replace("\"CALL\"", &Value::from(cid).to_string())
        .replace("ENVELOPE", r#"{"data":[{"id":1,"title":"Buy milk","done":false}]}"#);
    w.send(&format!("{answer}\n")).await;
    let (shape, v) = w.next().await;
    assert_eq!((shape, &v["id"]), (Shape::Html, &json!(8)));
    assert_eq!(v["result"]["head"], json!({"title": "called list_todos"}));
    assert_eq!(v["result"]["queries"][0]["envelope"]["data"][0]["title"], "Buy milk");
    assert!(v["result"]["html"].as_str().unwrap().contains("Buy milk"), "{v}");

    // Two renders in flight at once: the second finishes first, each with its own contexts.
    let slow = render(
        30,
        "Awaits.tsx",
        json!({"ms": 400, "label": "slow"}),
        json!({"current_user": {"data": "ada"}}),
    );
    let fast = render(
        31,
        "Awaits.tsx",
        json!({"ms": 20, "label": "fast"}),
        json!({"current_user": {"data": "bob"}}),
    );
    w.send(&format!("{slow}{fast}")).await;
    let (_, first) = w.next().await;
    let (_, second) = w.next().await;
    assert_eq!(
        (&first["id"], &second["id"]),
        (&json!(31), &json!(30)),
        "answered in the order they finished"
    );
    assert_eq!(first["result"]["html"], "<p id=\"who\">fast:&quot;bob&quot;</p>");
    assert_eq!(second["result"]["html"], "<p id=\"who\">slow:&quot;ada&quot;</p>");

    // A cancelled render is never answered; the worker serves on.
    w.send(&render(40, "Never.tsx", json!({}), json!({}))).await;
    w.send(&request_line(&requests["cancel"], 40, "", &[])).await;
    let (shape, v) = w.ask(&request_line(&requests["ping"], 41, "", &[])).await;
    assert_eq!((shape, &v["id"]), (Shape::Pong, &json!(41)), "the ping's answer, and nothing for render 40");
    assert_eq!(seen, shapes, "every documented answer shape, and only those");

    // The worker exits with 0 once its stdin closes; its console is on stderr.
    let Worker { mut child, stdin, stdout } = w;
    drop(stdin);
    drop(stdout);
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).await.unwrap();
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait()).await.expect("exits").unwrap();
    assert_eq!(status.code(), Some(0));
    for line in [
        "[info] id=7 hello from the component",
        r#"[info] id=30 slow rendered for "ada""#,
        r#"[info] id=31 fast rendered for "bob""#,
        "[error] id=7 an error line",
        r"[warn] id=7 first line\nsecond line",
    ] {
        assert!(stderr.lines().any(|l| l == line), "{line:?} in stderr:\n{stderr}");
    }
}
