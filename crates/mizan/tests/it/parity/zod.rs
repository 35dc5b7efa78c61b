//! Both sides' verdicts in one vocabulary: the server's answer to
//! `POST call/{name}`, and the generated Zod's `safeParse` under Bun
//! (`tests/parity/run.ts`), its codes put into the wire's:
//!
//! | Zod 4 | wire |
//! |---|---|
//! | `unrecognized_keys` at `P` with `keys: [k, …]` | `unknown_key` at `P + [k]`, one per key |
//! | `invalid_type` where the input has no value at the path | `required` |
//! | `invalid_value` where the input has no value at the path (a `z.enum`, a `z.literal`) | `required` |
//! | `invalid_key` (a map key its pattern refuses) | `invalid_format` |
//! | `too_small`, `too_big`, `invalid_format`, `invalid_type`, `invalid_value`, `custom` | the same |
//!
//! Shared by the parity tests and hello's contract test (which includes
//! this file by path), so it names nothing else of either.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

/// One side's answer: `Ok`, a protocol-level refusal, or issues (path, code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    Ok,
    /// The server refused the body itself (400 `BAD_REQUEST`).
    BadRequest,
    /// Anything else the server may answer (a bug if it happens).
    Other(String),
    Issues(BTreeSet<(String, String)>),
}

/// A path as the wire's `fields` keys write it: `items.1.fullName`.
pub(crate) fn join(path: &[Value]) -> String {
    path.iter()
        .map(|p| match p {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

pub(crate) fn render(v: &Verdict) -> String {
    match v {
        Verdict::Ok => "ok".into(),
        Verdict::BadRequest => "BAD_REQUEST".into(),
        Verdict::Other(s) => s.clone(),
        Verdict::Issues(set) => set.iter().map(|(p, c)| format!("{c}@{p}")).collect::<Vec<_>>().join(", "),
    }
}

/// The server's verdict on `body` for function `func`, and an issue it
/// reported twice, if any. A status other than 200, 400 and 422 (an auth
/// refusal of a valid input, say) is [`Verdict::Other`].
pub(crate) async fn server_verdict(
    client: &reqwest::Client,
    base: &str,
    func: &str,
    body: &str,
    bearer: Option<&str>,
) -> (Verdict, Option<String>) {
    let mut request = client
        .post(format!("{base}/call/{func}"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let r = request.send().await.expect("the server answers");
    let status = r.status().as_u16();
    let streamed = r.headers().get("content-type").is_some_and(|t| t == "application/x-ndjson");
    let text = r.text().await.expect("a body");
    if streamed {
        // A stream function admitted the input: its lines, each an item,
        // then the end.
        let last: Value = serde_json::from_str(text.lines().last().expect("a line")).expect("a JSON line");
        assert_eq!((status, &last), (200, &serde_json::json!({ "end": true })), "{func}: {text}");
        return (Verdict::Ok, None);
    }
    let answer: Value = serde_json::from_str(&text).expect("a JSON body");
    let code = answer["error"]["code"].as_str().unwrap_or("");
    match (status, code) {
        (200, _) if answer.get("data").is_some() => (Verdict::Ok, None),
        (400, "BAD_REQUEST") => (Verdict::BadRequest, None),
        (422, "VALIDATION") => {
            let issues = issues_of(&answer["error"]["issues"]);
            let set = issues
                .iter()
                .map(|i| {
                    let path = i["path"].as_array().expect("issue path");
                    (join(path), i["code"].as_str().expect("issue code").to_owned())
                })
                .collect();
            (Verdict::Issues(set), repeated(issues).map(|i| format!("the server reports {i} twice")))
        }
        _ => (Verdict::Other(format!("HTTP {status} {answer}")), None),
    }
}

pub(crate) fn issues_of(v: &Value) -> &Vec<Value> {
    v.as_array().expect("a VALIDATION error or a Zod failure carries issues")
}

/// An issue (path, code and message) reported twice: a form would show the
/// same message twice. Neither side should do it.
pub(crate) fn repeated(issues: &[Value]) -> Option<String> {
    let mut seen = BTreeSet::new();
    issues
        .iter()
        .map(|i| {
            let text = |k: &str| i[k].as_str().unwrap_or_default().to_owned();
            (join(i["path"].as_array().map_or(&[][..], |p| p)), text("code"), text("message"))
        })
        .find(|k| !seen.insert(k.clone()))
        .map(|(p, c, m)| format!("{c}@{p} ({m})"))
}

/// Whether `input` has no value at `path` (a missing key, not a `null`).
fn absent(input: &Value, path: &[Value]) -> bool {
    let mut node = input;
    for seg in path {
        let next = match (node, seg) {
            (Value::Object(m), Value::String(k)) => m.get(k),
            (Value::Array(a), Value::Number(n)) => n.as_u64().and_then(|i| a.get(usize::try_from(i).ok()?)),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return true,
        }
    }
    false
}

/// Zod's answer in the wire vocabulary (see the module docs).
pub(crate) fn zod_verdict(input: Option<&Value>, answer: &Value) -> Verdict {
    if answer["ok"] == json!(true) {
        return Verdict::Ok;
    }
    let mut set = BTreeSet::new();
    for issue in issues_of(&answer["issues"]) {
        let path = issue["path"].as_array().expect("runner path").clone();
        let code = issue["code"].as_str().expect("runner code");
        match code {
            "unrecognized_keys" => {
                for key in issue["keys"].as_array().expect("keys") {
                    let mut p = path.clone();
                    p.push(key.clone());
                    set.insert((join(&p), "unknown_key".to_owned()));
                }
            }
            "invalid_type" | "invalid_value" if input.is_some_and(|i| absent(i, &path)) => {
                set.insert((join(&path), "required".to_owned()));
            }
            "invalid_key" => {
                set.insert((join(&path), "invalid_format".to_owned()));
            }
            other => {
                set.insert((join(&path), other.to_owned()));
            }
        }
    }
    Verdict::Issues(set)
}

/// Bun from the workspace's node_modules; fails (never skips) without it.
pub(crate) fn bun(root: &Path) -> PathBuf {
    let bun = root.join("node_modules/.bin/bun");
    let runs = Command::new(&bun).arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(
        runs,
        "the parity test needs Bun at {}: run `scripts/setup` at the workspace root (npm ci, checks Bun runs)",
        bun.display()
    );
    assert!(
        root.join("node_modules/zod/package.json").exists(),
        "the parity test needs Zod in {}: run `scripts/setup` at the workspace root",
        root.join("node_modules").display()
    );
    bun
}

/// Runs `(schema constant, JSON text)` cases through the generated Zod in
/// `generated` (its `schemas.ts`); `work` holds the cases file.
pub(crate) fn zod_answers(
    root: &Path,
    generated: &Path,
    work: &Path,
    cases: &[(String, String)],
) -> Vec<Value> {
    let bun = bun(root);
    let input: Vec<Value> =
        cases.iter().map(|(schema, body)| json!({"schema": schema, "input": body})).collect();
    std::fs::create_dir_all(work).expect("work dir");
    let cases_file = work.join("cases.json");
    std::fs::write(&cases_file, serde_json::to_vec(&input).expect("json")).expect("cases written");
    let runner = root.join("crates/mizan/tests/parity/run.ts");
    let out = Command::new(&bun)
        .arg(&runner)
        .arg(generated)
        .arg(&cases_file)
        .current_dir(root)
        .output()
        .expect("bun starts");
    assert!(
        out.status.success(),
        "bun {} failed ({}):\n{}",
        runner.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("the runner printed no JSON ({e}): {}", String::from_utf8_lossy(&out.stdout))
    });
    assert_eq!(answers.len(), cases.len(), "one answer per case");
    answers
}

/// A function's input schema constant: `contact.submit` → `ContactSubmitInputSchema`.
pub(crate) fn input_schema(func: &str) -> String {
    let pascal: String = func
        .split(['_', '.'])
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect();
    format!("{pascal}InputSchema")
}

pub(crate) fn version_of(root: &Path, package: &str) -> String {
    std::fs::read_to_string(root.join("node_modules").join(package).join("package.json"))
        .ok()
        .and_then(|s| serde_json::from_str::<Value>(&s).ok())
        .and_then(|v| v["version"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}
