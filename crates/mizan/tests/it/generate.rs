//! `BIN generate` (through `mizan::cli::run_args`) exits like `mizan-cli
//! generate`: 2 for a manifest codegen refuses, 1 for drift under
//! `--check`, 0 otherwise. The refused manifest is the very file
//! `mizan-cli`'s tests feed it (`crates/mizan-cli/tests/fixtures/refused.json`).

use std::path::PathBuf;

use mizan::{App, Request};

// A count past 2^53 cannot be a JavaScript number: codegen refuses it.
#[mizan::client(query)]
async fn count(_req: &Request) -> mizan::Result<i64> {
    Ok(0)
}

/// Echo text back.
#[mizan::client]
async fn echo(_req: &Request, text: String) -> mizan::Result<String> {
    Ok(text)
}

fn refused_fixture() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../mizan-cli/tests/fixtures/refused.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("the fixture exists")).expect("JSON")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mizan-generate-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

async fn generate(app: App, args: &[&str]) -> i32 {
    let args: Vec<String> = args.iter().map(|&a| a.to_owned()).collect();
    mizan::cli::run_args(app, axum::Router::new(), &args).await
}

#[tokio::test]
async fn a_refused_manifest_exits_2_like_mizan_cli() {
    let app = App::new().register(count);
    app.check().expect("the app itself starts: only codegen refuses its manifest");
    assert_eq!(
        app.manifest().expect("manifest").to_json(),
        refused_fixture(),
        "the shared fixture is this app's manifest"
    );
    let dir = scratch("refused");
    let d = dir.to_str().expect("utf-8");
    assert_eq!(generate(App::new().register(count), &["generate", "--out", d]).await, 2);
    assert_eq!(generate(App::new().register(count), &["generate", "--out", d, "--check"]).await, 2);
    assert!(!dir.exists(), "nothing is written for a refused manifest");
    let refusal = mizan_codegen::generate(&refused_fixture()).expect_err("refused").to_string();
    assert!(refusal.contains("function `count` output"), "{refusal}");
}

#[tokio::test]
async fn drift_exits_1_and_a_written_directory_checks_clean() {
    let dir = scratch("drift");
    let d = dir.to_str().expect("utf-8");
    let app = || App::new().register(echo);
    assert_eq!(
        generate(app(), &["generate", "--out", d, "--check"]).await,
        1,
        "a missing directory is drift"
    );
    assert_eq!(generate(app(), &["generate", "--out", d]).await, 0);
    assert!(dir.join("client.ts").exists());
    assert_eq!(generate(app(), &["generate", "--out", d, "--check"]).await, 0);
    std::fs::write(dir.join("client.ts"), "// edited\n").expect("edit");
    assert_eq!(generate(app(), &["generate", "--out", d, "--check"]).await, 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_app_that_fails_its_start_up_checks_still_exits_1() {
    let dir = scratch("misconfigured");
    let d = dir.to_str().expect("utf-8");
    let twice = || App::new().register(echo).register(echo);
    assert_eq!(generate(twice(), &["generate", "--out", d]).await, 1);
    assert_eq!(generate(twice(), &["manifest"]).await, 1);
}
