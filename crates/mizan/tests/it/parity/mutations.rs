//! Every constraint keyword of the parity app's manifest, at every depth,
//! broken alone ([`super::mutate`]): the server refuses the input at the
//! path Zod reports, with the same issues. Hello's manifest gets the same
//! test in `examples/hello/tests/it/contract.rs`.

use std::fmt::Write as _;

use serde_json::Value;

use super::mutate::{Plan, plans};
use super::zod::{self, Verdict, render};
use crate::support;

/// Runs `plans` against a server at `base` (its API prefix) and the
/// generated Zod in `generated`; `bearer` is sent with every call. Returns
/// the disagreements, and how many inputs were judged.
pub(crate) async fn judge(
    root: &std::path::Path,
    generated: &std::path::Path,
    work: &std::path::Path,
    base: &str,
    bearer: Option<&str>,
    plans: &[Plan],
) -> (String, usize) {
    let mut inputs = Vec::new();
    for p in plans {
        inputs.push((zod::input_schema(&p.func), p.base.to_string()));
        for m in &p.mutations {
            inputs.push((zod::input_schema(&p.func), m.body.to_string()));
        }
    }
    let answers = zod::zod_answers(root, generated, work, &inputs);
    let mut answers = answers.iter();
    let client = reqwest::Client::new();
    let mut report = String::new();
    let mut judged = 0;
    for p in plans {
        let body = p.base.to_string();
        let zod = zod::zod_verdict(Some(&p.base), answers.next().expect("an answer"));
        let (server, _) = zod::server_verdict(&client, base, &p.func, &body, bearer).await;
        judged += 1;
        // A valid input may still be refused past validation (wrong credentials).
        let server_accepts = !matches!(server, Verdict::Issues(_) | Verdict::BadRequest);
        if zod != Verdict::Ok || !server_accepts {
            let _ = writeln!(
                report,
                "{}: the built input is not valid\n    body:   {body}\n    server: {}\n    zod:    {}",
                p.func,
                render(&server),
                render(&zod)
            );
        }
        for m in &p.mutations {
            let body = m.body.to_string();
            let zod = zod::zod_verdict(Some(&m.body), answers.next().expect("an answer"));
            let (server, twice) = zod::server_verdict(&client, base, &p.func, &body, bearer).await;
            judged += 1;
            let expected = (m.path.clone(), m.code.to_owned());
            let why = match (&server, &zod) {
                (Verdict::Issues(s), Verdict::Issues(z)) if s != z => Some("the issues differ".to_owned()),
                (Verdict::Issues(s), _) if !s.contains(&expected) => {
                    Some(format!("expected {}@{}", expected.1, expected.0))
                }
                (Verdict::Issues(_), Verdict::Issues(_)) => twice,
                _ => Some("both sides must refuse it".to_owned()),
            };
            if let Some(why) = why {
                let _ = writeln!(
                    report,
                    "{} / {}: {why}\n    body:   {body}\n    server: {}\n    zod:    {}",
                    p.func,
                    m.label,
                    render(&server),
                    render(&zod)
                );
            }
        }
    }
    (report, judged)
}

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
