//! `tsc --strict --noEmit` over the committed generated fixture output
//! (`tests/tsc/generated`, kept current by `fixture::tsc_directory_is_current`)
//! and the hand-written `tests/tsc/usage.ts`, against the real
//! `@mizan/client` package and Zod. Same as `tests/tsc/check.sh`.
//!
//! Needs `npm ci` at the workspace root; set `MIZAN_SKIP_NODE_TESTS=1` to
//! skip on a machine without it.

use std::process::Command;

#[test]
fn generated_code_type_checks_under_strict() {
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
    let output = Command::new(&tsc)
        .args(["-p", "crates/mizan-codegen/tests/tsc", "--noEmit"])
        .current_dir(&root)
        .output()
        .expect("tsc runs");
    assert!(
        output.status.success(),
        "tsc --strict failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
