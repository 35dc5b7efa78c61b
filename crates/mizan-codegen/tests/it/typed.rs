//! The typed front door: a `mizan_manifest::Manifest` generates exactly
//! what its JSON does, the kitchen-sink manifest reads into the types and
//! back without losing a byte, and `run` answers with the shared exit codes.

use mizan_codegen::{Outcome, generate, generate_manifest, run};
use mizan_manifest::Manifest;
use serde_json::json;

#[test]
fn the_fixture_round_trips_through_the_types() {
    let json = crate::support::load_fixture();
    let typed = Manifest::from_json(&json).expect("the fixture is a manifest");
    assert_eq!(typed.to_json(), json);
    assert_eq!(
        serde_json::to_string_pretty(&typed).expect("serializes"),
        serde_json::to_string_pretty(&json).expect("serializes"),
        "same keys in the same order"
    );
}

#[test]
fn typed_and_json_manifests_generate_the_same_files() {
    let json = crate::support::load_fixture();
    let typed = Manifest::from_json(&json).expect("reads");
    let from_json = generate(&json).expect("generates");
    let from_typed = generate_manifest(&typed).expect("generates");
    let a: Vec<(&str, &str)> = from_json.iter().collect();
    let b: Vec<(&str, &str)> = from_typed.iter().collect();
    assert_eq!(a, b);
}

#[test]
fn run_exits_0_1_and_2() {
    let dir = std::env::temp_dir().join(format!("mizan-codegen-run-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let ok = json!({ "version": 1, "functions": [], "channels": [], "forms": [] });
    let stale = run(&ok, &dir, true);
    assert!(matches!(stale, Outcome::Stale { .. }) && stale.exit_code() == 1, "{stale}");
    assert!(stale.to_string().contains("is stale:"), "{stale}");
    let written = run(&ok, &dir, false);
    assert_eq!(written.exit_code(), 0, "{written}");
    assert!(written.to_string().starts_with("wrote "), "{written}");
    assert!(matches!(run(&ok, &dir, true), Outcome::UpToDate));
    let refused = json!({ "version": 1, "functions": [{ "name": "Bad", "kind": "query", "input": {}, "output": {} }], "channels": [], "forms": [] });
    for check in [false, true] {
        let outcome = run(&refused, &dir, check);
        assert_eq!(outcome.exit_code(), 2, "{outcome}");
        assert!(outcome.to_string().starts_with("codegen refused the manifest: function `Bad`"), "{outcome}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
