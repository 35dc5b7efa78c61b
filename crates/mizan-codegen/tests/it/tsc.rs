//! `tsc --noEmit` over the committed generated fixture output
//! (`tests/tsc/generated`, kept current by `fixture::tsc_directory_is_current`)
//! and the hand-written `tests/tsc/usage.ts`, against the real
//! `@mizan/client` package and Zod, under the strict flags of
//! `tsconfig.base.json` (`strict`, `exactOptionalPropertyTypes`,
//! `noUncheckedIndexedAccess`, `noPropertyAccessFromIndexSignature`), once
//! with `moduleResolution: bundler` and once with `nodenext`. Same as
//! `tests/tsc/check.sh`.
//!
//! Needs `npm ci` at the workspace root; set `MIZAN_SKIP_NODE_TESTS=1` to
//! skip on a machine without it.

use std::process::Command;

/// Runs `tsc -p crates/mizan-codegen/tests/tsc/{config} --noEmit`.
fn type_check(config: &str) {
    let root = crate::support::workspace_root();
    let tsc = root.join("node_modules/.bin/tsc");
    if !tsc.exists() {
        if std::env::var_os("MIZAN_SKIP_NODE_TESTS").is_some() {
            eprintln!("skipped: {} not found", tsc.display());
            return;
        }
        panic!(
            "{} not found: run `npm ci` at the workspace root (or set MIZAN_SKIP_NODE_TESTS=1)",
            tsc.display()
        );
    }
    assert!(root.join("packages/client/src/index.ts").exists(), "the real @mizan/client package is required");
    let project = format!("crates/mizan-codegen/tests/tsc/{config}");
    let output =
        Command::new(&tsc).args(["-p", &project, "--noEmit"]).current_dir(&root).output().expect("tsc runs");
    assert!(
        output.status.success(),
        "tsc -p {project} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn generated_code_type_checks_under_strict() {
    type_check("tsconfig.json");
}

#[test]
fn generated_code_type_checks_under_nodenext() {
    type_check("tsconfig.nodenext.json");
}
