//! The `hello` binary as the README's "Using the binary" section describes it:
//! `serve` on `$MIZAN_ADDR` with one `listening on` line, `manifest`,
//! `generate` (drift exits 1; a manifest codegen refuses exits 2, as
//! `crates/mizan/tests/it/generate.rs` shows with `mizan-cli`'s fixture),
//! usage errors, and graceful shutdown on SIGTERM/SIGINT.

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::support::{BIN, listen};

/// Starts `hello` on a free port and returns it with its base URL.
fn start(args: &[&str]) -> (Child, String) {
    let (child, url) = listen(Command::new(BIN).args(args));
    assert!(url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"), "{url}");
    (child, url)
}

fn signal(child: &Child, sig: &str) {
    let status =
        Command::new("kill").arg(format!("-{sig}")).arg(child.id().to_string()).status().expect("kill");
    assert!(status.success());
}

fn wait_exit(child: &mut Child, within: Duration) -> i32 {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.code().unwrap_or(-1);
        }
        assert!(started.elapsed() < within, "hello did not exit within {within:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn serves_the_echo_from_the_readme_and_stops_gracefully() {
    for (args, sig) in [(&[][..], "TERM"), (&["serve"][..], "INT")] {
        let (mut child, url) = start(args);
        let r = reqwest::Client::new()
            .post(format!("{url}/api/mizan/call/echo"))
            .header("content-type", "application/json")
            .body(r#"{"text":"hi"}"#)
            .send()
            .await
            .expect("echo");
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.text().await.expect("body"), r#"{"data":{"message":"hi"}}"#);

        let staff = reqwest::Client::new()
            .get(format!("{url}/api/mizan/call/stats"))
            .header("authorization", "Bearer hello-staff-token")
            .send()
            .await
            .expect("stats");
        assert_eq!(staff.status().as_u16(), 200);
        let user = reqwest::Client::new()
            .get(format!("{url}/api/mizan/call/stats"))
            .header("authorization", "Bearer hello-user-token")
            .send()
            .await
            .expect("stats");
        assert_eq!(user.status().as_u16(), 403);

        signal(&child, sig);
        assert_eq!(wait_exit(&mut child, Duration::from_secs(10)), 0, "graceful exit after {args:?}");
    }
}

#[test]
fn manifest_prints_json() {
    let out = Command::new(BIN).arg("manifest").output().expect("run");
    assert!(out.status.success());
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).expect("manifest is JSON");
    assert_eq!(m["version"], 1);
    let names: Vec<&str> =
        m["functions"].as_array().expect("functions").iter().filter_map(|f| f["name"].as_str()).collect();
    for want in ["echo", "greet", "whoami", "stats"] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
}

#[test]
fn generate_exits_1_on_drift_and_0_once_written() {
    let dir = std::env::temp_dir().join(format!("hello-generate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_str().expect("utf-8");
    let generate = |args: &[&str]| Command::new(BIN).arg("generate").args(args).output().expect("run");
    let out = generate(&["--out", d, "--check"]);
    assert_eq!(out.status.code(), Some(1), "a missing directory is drift");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is stale"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(generate(&["--out", d]).status.code(), Some(0));
    assert_eq!(generate(&["--out", d, "--check"]).status.code(), Some(0));
    std::fs::write(dir.join("stray.ts"), "export {};\n").expect("write");
    assert_eq!(generate(&["--out", d, "--check"]).status.code(), Some(1), "a stray file is drift");
    assert_eq!(generate(&["--out"]).status.code(), Some(2), "usage");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_usage_exits_2_and_a_taken_port_exits_1() {
    let out = Command::new(BIN).arg("frobnicate").output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage"));

    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let taken = listener.local_addr().expect("addr").to_string();
    let out = Command::new(BIN).env("MIZAN_ADDR", &taken).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen"));
}

#[tokio::test]
async fn hello_page_renders_on_the_server_and_hands_out_the_csrf_token() {
    let (child, url) = start(&[]);
    let r = reqwest::get(format!("{url}/hello/")).await.expect("page");
    assert_eq!(r.status().as_u16(), 200);
    let cookie = r.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cookie.starts_with("mizan_csrf="), "{cookie}");
    // hello's pages are served under a strict policy: the scripts carry its nonce.
    let csp = r.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let nonce = csp.split("'nonce-").nth(1).and_then(|n| n.split('\'').next()).unwrap_or_default().to_owned();
    assert!(!nonce.is_empty(), "{csp}");
    let body = r.text().await.expect("body");
    assert!(body.contains(r#"<div id="mizan-root"><div>Hello, World!</div></div>"#), "{body}");
    let props = format!(
        r#"<script type="application/json" id="mizan-props" nonce="{nonce}">{{"name":"World"}}</script>"#
    );
    assert!(body.contains(&props), "{body}");

    let r = reqwest::get(format!("{url}/hello/?name=%3C%2Fscript%3E%3C!--%E2%80%A8")).await.expect("page");
    let body = r.text().await.expect("body");
    assert!(body.contains(r#"{"name":"\u003c/script\u003e\u003c!--\u2028"}"#), "{body}");
    assert!(!body.contains("</script><!--"), "{body}");
    signal(&child, "TERM");
}
