//! Every constraint keyword of the parity app's manifest, at every depth,
//! broken alone ([`super::mutate`]): the server refuses the input at the
//! path Zod reports, with the same issues. Hello's manifest gets the same
//! test in `examples/hello/tests/it/contract.rs`.

use serde_json::Value;

use super::mutate::{judge, plans};
use crate::support;

#[tokio::test]
async fn every_constraint_in_the_manifest_broken_alone_is_refused_at_the_same_path_by_both() {
    let root = support::repo_root();
    let app = super::app::app();
    let manifest: Value = app.manifest().expect("the app builds").to_json();
    let files = mizan_codegen::generate(&manifest).expect("codegen accepts the parity app");
    let dir = root.join("target").join(format!("mizan-mutations-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    mizan_codegen::write(&dir.join("gen"), &files).expect("generated files written");

    let plans = plans(&manifest);
    let mutations: usize = plans.iter().map(|p| p.mutations.len()).sum();
    assert!(mutations > 300, "the parity app's schemas give {mutations} mutations");
    let base = support::serve(app).await.api;
    let (report, judged) = judge(&root, &dir.join("gen"), &dir, &base, None, &plans).await;
    eprintln!("{judged} inputs judged alike by the server and Zod ({} functions)", plans.len());
    assert!(report.is_empty(), "generated files kept in {}:\n{report}", dir.display());
    let _ = std::fs::remove_dir_all(&dir);
}
