//! The kitchen-sink fixture: it is up to date with schemars, every generated
//! file is snapshotted, and the committed type-check directory is current.

use crate::support::{build_fixture, crate_dir, fixture_path, load_fixture};

#[test]
fn fixture_matches_schemars_output() {
    let built = serde_json::to_string_pretty(&build_fixture()).expect("serializes") + "\n";
    let path = fixture_path();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != built {
        if std::env::var_os("MIZAN_UPDATE_FIXTURES").is_some() {
            std::fs::write(&path, built).expect("fixture written");
        } else {
            panic!(
                "{} is stale with respect to the types in tests/it/support/kitchen_sink.rs; rerun with MIZAN_UPDATE_FIXTURES=1",
                path.display()
            );
        }
    }
}

#[test]
fn snapshots() {
    let files = mizan_codegen::generate(&load_fixture()).expect("fixture generates");
    let names: Vec<&str> = files.iter().map(|(p, _)| p).collect();
    assert_eq!(
        names,
        [
            "channel-hooks.ts",
            "channels.ts",
            "client.ts",
            "contexts.ts",
            "errors.ts",
            "form-hooks.ts",
            "forms.ts",
            "hooks.ts",
            "index.ts",
            "meta.ts",
            "query-options.ts",
            "react.ts",
            "schemas.ts",
            "types.ts"
        ]
    );
    for (path, contents) in files.iter() {
        insta::assert_snapshot!(path, contents);
    }
}

#[test]
fn deterministic() {
    let manifest = load_fixture();
    let a = mizan_codegen::generate(&manifest).expect("generates");
    let b = mizan_codegen::generate(&manifest).expect("generates");
    assert_eq!(a, b);
}

/// `tests/tsc/generated/` is what `tests/tsc/check.sh` type-checks; it must
/// be the current output for the fixture. `MIZAN_UPDATE_FIXTURES=1`
/// rewrites it.
#[test]
fn tsc_directory_is_current() {
    let files = mizan_codegen::generate(&load_fixture()).expect("fixture generates");
    let dir = crate_dir().join("tests/tsc/generated");
    if std::env::var_os("MIZAN_UPDATE_FIXTURES").is_some() {
        mizan_codegen::write(&dir, &files).expect("written");
    }
    if let Err(drift) = mizan_codegen::check(&dir, &files) {
        panic!("{drift}\n(rerun with MIZAN_UPDATE_FIXTURES=1 to update tests/tsc/generated)");
    }
}
