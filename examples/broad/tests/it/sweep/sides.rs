//! The two judges: the real server, in process (its router, `POST batch`
//! with many items per request), and the generated Zod under Bun (one
//! process per input type, inputs streamed as NDJSON by `tests/sweep.ts`).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tower::ServiceExt;

use crate::zod::{self, Verdict};

/// Items per batch request.
pub(super) const BATCH: usize = 500;

/// The server's verdict on each of `inputs` (JSON texts) for `func`, and an
/// issue it reported twice, if any.
pub(super) async fn server(
    router: &axum::Router,
    func: &str,
    inputs: &[String],
) -> Vec<(Verdict, Option<String>)> {
    let mut out = Vec::with_capacity(inputs.len());
    let name = Value::String(func.to_owned()).to_string();
    for chunk in inputs.chunks(BATCH) {
        let mut body = String::from("[");
        for (i, args) in chunk.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(&format!("{{\"fn\":{name},\"args\":{args}}}"));
        }
        body.push(']');
        let request = http::Request::post("/batch")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body))
            .expect("a request");
        let response = router.clone().oneshot(request).await.expect("the router answers");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("a body");
        assert!(status.is_success(), "batch of {func}: HTTP {status}: {}", String::from_utf8_lossy(&bytes));
        let answers: Vec<Value> = serde_json::from_slice(&bytes).expect("a JSON array");
        assert_eq!(answers.len(), chunk.len(), "one answer per batch item");
        out.extend(answers.iter().map(envelope));
    }
    out
}

/// One batch item's envelope as a verdict.
fn envelope(answer: &Value) -> (Verdict, Option<String>) {
    if answer.get("data").is_some() {
        return (Verdict::Ok, None);
    }
    match answer["error"]["code"].as_str() {
        Some("VALIDATION") => {
            let issues = zod::issues_of(&answer["error"]["issues"]);
            let set = issues
                .iter()
                .map(|i| {
                    let path = i["path"].as_array().expect("issue path");
                    (zod::join(path), i["code"].as_str().expect("issue code").to_owned())
                })
                .collect();
            (Verdict::Issues(set), zod::repeated(issues).map(|i| format!("the server reports {i} twice")))
        }
        Some("BAD_REQUEST") => (Verdict::BadRequest, None),
        _ => (Verdict::Other(answer.to_string()), None),
    }
}

/// The generated Zod's answers to `inputs` under `schema`, from one Bun
/// process fed NDJSON on stdin; killed past `deadline`.
pub(super) fn zod(
    root: &Path,
    generated: &Path,
    schema: &str,
    inputs: &[String],
    deadline: Duration,
) -> Vec<Value> {
    let bun = zod::bun(root);
    let runner = root.join("examples/broad/tests/sweep.ts");
    let mut child = Command::new(&bun)
        .arg(&runner)
        .arg(generated)
        .arg(schema)
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bun starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let lines: Vec<String> = inputs.iter().map(|i| format!("{i}\n")).collect();
    let writer = std::thread::spawn(move || {
        for line in lines {
            if stdin.write_all(line.as_bytes()).is_err() {
                break;
            }
        }
    });
    let reader = std::thread::spawn(move || {
        BufReader::new(stdout).lines().map(|l| l.expect("a line from bun")).collect::<Vec<String>>()
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for bun") {
            break status;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            panic!("bun {} {schema} ran past {deadline:?}", runner.display());
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    writer.join().expect("the writer thread");
    let lines = reader.join().expect("the reader thread");
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
    }
    assert!(status.success(), "bun {} {schema} failed ({status}):\n{stderr}", runner.display());
    assert_eq!(lines.len(), inputs.len(), "one answer per input from bun ({schema}):\n{stderr}");
    lines.iter().map(|l| serde_json::from_str(l).expect("a JSON answer")).collect()
}
