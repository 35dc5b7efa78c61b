//! The binary end to end: write, check, drift, and error exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mizan-cli"))
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../mizan-codegen/tests/fixtures/kitchen_sink.json")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mizan-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn generate_then_check() {
    let dir = scratch("ok");
    let manifest = fixture();
    let (m, d) = (manifest.to_str().expect("utf-8"), dir.to_str().expect("utf-8"));
    let out = run(&["generate", "--manifest", m, "--out", d, "--check"]);
    assert_eq!(out.status.code(), Some(1), "missing dir is drift: {}", stderr(&out));
    assert!(stderr(&out).contains("added:   client.ts"), "{}", stderr(&out));

    let out = run(&["generate", "--manifest", m, "--out", d]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.join("index.ts").exists());

    let out = run(&["generate", "--manifest", m, "--out", d, "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // A stray file and an edited file are both drift.
    std::fs::write(dir.join("extra.ts"), "export {};\n").expect("write");
    let types = dir.join("types.ts");
    let text = std::fs::read_to_string(&types).expect("read").replace("label: string;", "label: number;");
    std::fs::write(&types, text).expect("write");
    let out = run(&["generate", "--manifest", m, "--out", d, "--check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("removed: extra.ts"), "{err}");
    assert!(err.contains("changed: types.ts"), "{err}");
    assert!(err.contains("-   label: number;") && err.contains("+   label: string;"), "{err}");

    // Writing repairs the edit but leaves the hand-written stray file alone.
    let out = run(&["generate", "--manifest", m, "--out", d]);
    assert_eq!(out.status.code(), Some(0));
    assert!(dir.join("extra.ts").exists());
    std::fs::remove_file(dir.join("extra.ts")).expect("remove");
    let out = run(&["generate", "--manifest", m, "--out", d, "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn stdin_manifest() {
    let dir = scratch("stdin");
    let mut child = bin()
        .args(["generate", "--manifest", "-", "--out", dir.to_str().expect("utf-8")])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawns");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(br#"{"version":1,"functions":[],"channels":[],"forms":[]}"#).expect("write");
    }
    let out = child.wait_with_output().expect("waits");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.join("index.ts").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_and_manifest_errors_exit_2() {
    let dir = scratch("errors");
    let d = dir.to_str().expect("utf-8");
    assert_eq!(run(&["generate", "--out", d]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));

    let out = run(&["generate", "--manifest", "/nonexistent/manifest.json", "--out", d]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read"), "{}", stderr(&out));

    std::fs::create_dir_all(&dir).expect("mkdir");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{not json").expect("write");
    let out = run(&["generate", "--manifest", bad.to_str().expect("utf-8"), "--out", d]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not valid JSON"), "{}", stderr(&out));

    let refused = dir.join("refused.json");
    std::fs::write(
        &refused,
        r#"{"version":1,"channels":[],"forms":[],"functions":[{"name":"count","kind":"query","auth":"public","context":null,"invalidates":[],"doc":null,"args":[],"input":{"type":"object","properties":{}},"output":{"type":"integer","format":"int64"}}]}"#,
    )
    .expect("write");
    let out = run(&["generate", "--manifest", refused.to_str().expect("utf-8"), "--out", d]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("function `count` output"), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The manifest of a mizan app whose `count` returns an unbounded `i64`:
/// the app starts, codegen refuses it. `crates/mizan/tests/it/generate.rs`
/// checks it is that app's manifest and that `BIN generate` exits 2 on it too.
fn refused_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/refused.json")
}

#[test]
fn a_refused_manifest_exits_2_with_or_without_check() {
    let dir = scratch("refused-fixture");
    let (m, d) = (refused_fixture(), dir.to_str().expect("utf-8").to_owned());
    let m = m.to_str().expect("utf-8");
    for args in [
        &["generate", "--manifest", m, "--out", &d][..],
        &["generate", "--manifest", m, "--out", &d, "--check"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("codegen refused the manifest: function `count` output"),
            "{}",
            stderr(&out)
        );
    }
    assert!(!dir.exists(), "nothing is written for a refused manifest");
}
