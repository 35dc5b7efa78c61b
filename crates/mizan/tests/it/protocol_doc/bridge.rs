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
}

/// The shape a row of the `bridge-worker` table describes.
fn shape_of(cell: &str) -> Shape {
    match () {
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

    async fn ask(&mut self, line: &str) -> (Shape, Value) {
        assert!(line.ends_with('\n') && line.matches('\n').count() == 1, "one line: {line:?}");
        self.stdin.write_all(line.as_bytes()).await.unwrap();
        self.stdin.flush().await.unwrap();
        let mut head = Vec::new();
        let read = self.stdout.read_until(b'\n', &mut head);
        tokio::time::timeout(Duration::from_secs(20), read).await.expect("an answer").unwrap();
        let v: Value = serde_json::from_slice(&head).expect("an answer line is JSON");
        let keys: BTreeSet<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert!(keys == BTreeSet::from(["id", "result"]) || keys == BTreeSet::from(["id", "error"]), "{v}");
        if let Some(n) = v["result"]["html_bytes"].as_u64() {
            let mut body = vec![0u8; n as usize + 1];
            self.stdout.read_exact(&mut body).await.unwrap();
            assert_eq!(body.pop(), Some(b'\n'), "html_bytes payload followed by a newline");
            let html = String::from_utf8(body).expect("UTF-8 payload");
            return (Shape::HtmlBytes, json!({ "id": v["id"], "html": html }));
        }
        let shape = match &v["result"] {
            Value::String(s) if s == "pong" => Shape::Pong,
            r if r["html"].is_string() => Shape::Html,
            Value::Null if v["error"]["message"].is_string() && v["error"]["stack"].is_string() => {
                Shape::Error
            }
            _ => panic!("not a documented answer: {v}"),
        };
        let html = v["result"]["html"].clone();
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
            (doc::quoted_after(&line, "\"method\":").expect("a method"), line)
        })
        .collect();
    assert_eq!(
        requests.keys().cloned().collect::<BTreeSet<_>>(),
        BTreeSet::from(["ping".into(), "render".into()])
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
        "[error] id=7 an error line",
        r"[warn] id=7 first line\nsecond line",
    ] {
        assert!(stderr.lines().any(|l| l == line), "{line:?} in stderr:\n{stderr}");
    }
}
