//! Hello's input contract, from its manifest alone: every constraint
//! keyword of every function's input, at every depth, broken alone, is
//! refused by the running `hello` at the path the committed generated Zod
//! (`frontend/generated/schemas.ts`) reports, with the same issues. The
//! parity app of `crates/mizan` gets the same test; both share the input
//! maker and the two verdicts (included from there by path).
//!
//! Needs Bun and Zod from the workspace's node_modules (`scripts/setup`).

#[path = "../../../../crates/mizan/tests/it/parity/mutate.rs"]
mod mutate;
#[path = "../../../../crates/mizan/tests/it/parity/zod.rs"]
mod zod;

use std::path::PathBuf;
use std::process::Command;

use crate::support::{BIN, Proc, listen};

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
    let (report, judged) =
        mutate::judge(&root, &generated, &work, &api, Some("hello-staff-token"), &plans).await;
    eprintln!(
        "{judged} inputs judged alike by hello and its generated Zod ({} functions; zod {})",
        plans.len(),
        zod::version_of(&root, "zod")
    );
    assert!(report.is_empty(), "{report}");
    let _ = std::fs::remove_dir_all(&work);
}
