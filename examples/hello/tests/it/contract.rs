//! Hello's input contract, from its manifest alone: every constraint
//! keyword of every function's input and of every channel's params and
//! client messages, at every depth, broken alone, is refused by the running
//! `hello` (over HTTP, and over its WebSocket for channels) at the path the
//! committed generated Zod (`frontend/generated/schemas.ts`) reports, with
//! the same issues. The parity app of `crates/mizan` gets the same test for
//! its functions; both share the input maker and the two verdicts
//! (included from there by path).
//!
//! Needs Bun and Zod from the workspace's node_modules (`scripts/setup`).

#[path = "../../../../crates/mizan/tests/it/parity/mutate.rs"]
mod mutate;
#[path = "../../../../crates/mizan/tests/it/parity/zod.rs"]
mod zod;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::support::{BIN, Proc, listen};
use zod::{Verdict, render};

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn put(ws: &mut Ws, frame: Value) {
    ws.send(Message::text(frame.to_string())).await.expect("a frame sent");
}

async fn next(ws: &mut Ws) -> Value {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), ws.next()).await.expect("a frame within 10 s") {
            Some(Ok(Message::Text(t))) => return serde_json::from_str(t.as_str()).expect("a JSON frame"),
            Some(Ok(Message::Close(c))) => panic!("closed: {c:?}"),
            Some(Ok(_)) => {}
            other => panic!("the socket ended: {other:?}"),
        }
    }
}

/// An `err` frame's verdict, or `Ok`.
fn verdict_of(frame: &Value) -> Verdict {
    match (frame["t"].as_str(), frame["error"]["code"].as_str()) {
        (Some("ok" | "pong"), _) => Verdict::Ok,
        (Some("err"), Some("VALIDATION")) => Verdict::Issues(
            zod::issues_of(&frame["error"]["issues"])
                .iter()
                .map(|i| {
                    (
                        zod::join(i["path"].as_array().expect("path")),
                        i["code"].as_str().expect("code").to_owned(),
                    )
                })
                .collect(),
        ),
        _ => Verdict::Other(frame.to_string()),
    }
}

/// What the server says of each input: a `sub` with it as params (then
/// `unsub`), or a `send` of it as data on a live subscription (then a
/// `ping`: frames are answered in order, and an accepted `send` has no
/// answer).
async fn over_the_socket(
    ws: &mut Ws,
    channel: &str,
    params: Option<&Value>,
    inputs: &[&Value],
) -> Vec<Verdict> {
    let mut out = Vec::new();
    if let Some(params) = params {
        put(ws, json!({"t": "sub", "id": 1, "ch": channel, "params": params})).await;
        assert_eq!(next(ws).await, json!({"t": "ok", "id": 1}), "valid params subscribe");
    }
    for (i, input) in inputs.iter().enumerate() {
        let id = i + 2;
        match params {
            None => {
                put(ws, json!({"t": "sub", "id": id, "ch": channel, "params": input})).await;
                let answer = next(ws).await;
                if answer["t"] == "ok" {
                    put(ws, json!({"t": "unsub", "id": id})).await;
                    assert_eq!(next(ws).await["t"], "closed");
                }
                out.push(verdict_of(&answer));
            }
            Some(_) => {
                put(ws, json!({"t": "send", "id": 1, "data": input})).await;
                put(ws, json!({"t": "ping"})).await;
                let answer = next(ws).await;
                if answer["t"] != "pong" {
                    assert_eq!(next(ws).await["t"], "pong");
                }
                out.push(verdict_of(&answer));
            }
        }
    }
    if params.is_some() {
        put(ws, json!({"t": "unsub", "id": 1})).await;
        assert_eq!(next(ws).await["t"], "closed");
    }
    out
}

/// Every channel's params and client messages, judged over the socket and by Zod.
async fn channels(
    root: &Path,
    manifest: &Value,
    generated: &Path,
    work: &Path,
    url: &str,
) -> (String, usize) {
    let ws_url = format!("{}/api/mizan/ws", url.replace("http://", "ws://"));
    let (mut ws, _) = tokio_tungstenite::connect_async(ws_url).await.expect("the socket opens");
    let mut report = String::new();
    let mut judged = 0;
    for c in manifest["channels"].as_array().expect("channels") {
        let name = c["name"].as_str().expect("a channel name");
        let pascal: String = zod::input_schema(name).trim_end_matches("InputSchema").to_owned();
        let params = mutate::plan(manifest, name, &c["params"]);
        let mut sides = vec![(format!("{pascal}ParamsSchema"), params, None)];
        if !c["client_message"].is_null() {
            let valid_params = sides[0].1.base.clone();
            let messages = mutate::plan(manifest, name, &c["client_message"]);
            sides.push((format!("{pascal}ClientMessageSchema"), messages, Some(valid_params)));
        }
        for (schema, plan, params) in &sides {
            let mut inputs = vec![&plan.base];
            inputs.extend(plan.mutations.iter().map(|m| &m.body));
            let cases: Vec<(String, String)> =
                inputs.iter().map(|v| (schema.clone(), v.to_string())).collect();
            let answers = zod::zod_answers(root, generated, work, &cases);
            let server = over_the_socket(&mut ws, name, params.as_ref(), &inputs).await;
            judged += inputs.len();
            let mut answers = answers.iter();
            let base_zod = zod::zod_verdict(Some(&plan.base), answers.next().expect("an answer"));
            if base_zod != Verdict::Ok || server[0] != Verdict::Ok {
                let _ = writeln!(
                    report,
                    "{schema}: the built input is not valid: server {}, zod {}",
                    render(&server[0]),
                    render(&base_zod)
                );
            }
            for ((m, answer), server) in plan.mutations.iter().zip(answers).zip(&server[1..]) {
                let zod = zod::zod_verdict(Some(&m.body), answer);
                let expected = (m.path.clone(), m.code.to_owned());
                let agree = matches!((server, &zod), (Verdict::Issues(s), Verdict::Issues(z)) if s == z && s.contains(&expected));
                if !agree {
                    let _ = writeln!(
                        report,
                        "{schema} / {}: expected {}@{}\n    body:   {}\n    server: {}\n    zod:    {}",
                        m.label,
                        expected.1,
                        expected.0,
                        m.body,
                        render(server),
                        render(&zod)
                    );
                }
            }
        }
    }
    (report, judged)
}

#[tokio::test]
async fn every_constraint_in_hellos_manifest_broken_alone_is_refused_at_the_same_path_by_both() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().expect("the workspace root");
    let out = Command::new(BIN).arg("manifest").output().expect("hello manifest");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let manifest: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the manifest is JSON");

    let work = root.join("target").join(format!("hello-contract-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("work dir");
    let database = format!("sqlite://{}?mode=rwc", work.join("hello.sqlite3").display());
    let (child, url) = listen(Command::new(BIN).env("DATABASE_URL", &database).env_remove("REDIS_URL"));
    let _hello = Proc(child);

    let plans = mutate::plans(&manifest);
    let mutations: usize = plans.iter().map(|p| p.mutations.len()).sum();
    assert!(mutations >= 30, "hello's schemas give {mutations} mutations");
    let generated = root.join("examples/hello/frontend/generated");
    let api = format!("{url}/api/mizan");
    // The staff token: functions needing an identity reach their validation.
    let (mut report, mut judged) =
        mutate::judge(&root, &generated, &work, &api, Some("hello-staff-token"), &plans).await;
    let (on_sockets, over_ws) = channels(&root, &manifest, &generated, &work, &url).await;
    report.push_str(&on_sockets);
    judged += over_ws;
    eprintln!(
        "{judged} inputs judged alike by hello and its generated Zod ({} functions, {} channels; zod {})",
        plans.len(),
        manifest["channels"].as_array().map_or(0, Vec::len),
        zod::version_of(&root, "zod")
    );
    assert!(report.is_empty(), "{report}");
    let _ = std::fs::remove_dir_all(&work);
}
