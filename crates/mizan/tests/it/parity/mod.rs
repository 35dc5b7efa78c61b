//! Parity between the server and the generated Zod: every supported rule at
//! its boundaries goes through a real server and through the generated
//! `<Name>InputSchema.safeParse` under Bun, and both must give the same
//! verdict, the same issue paths (wire names) and the same issue codes. The
//! server judges by the manifest's input schema (the contract), then serde,
//! then garde's server-only rules; the client by the Zod codegen renders
//! from the same schema.
//!
//! Rules covered ([`cases`]): `length(chars, min, max)` on strings (ASCII,
//! two- and three-byte, astral, combining marks, emoji sequences), `range`
//! on integers and floats (and the integer types' own bounds, `f32`'s
//! range), `email`, `url`, `pattern` (in codegen's Rust/JS subset),
//! `length(min, max)` on a Vec (`minItems`/`maxItems`), required vs
//! `Option` vs `#[serde(default)]`, `#[garde(dive)]` into a Vec of
//! `rename_all = "camelCase"` structs and a nested `deny_unknown_fields`
//! struct, nested structs *without* `dive` (plain, in a Vec, an `Option`,
//! a map) with a one-off `#[serde(rename)]`, byte-mode `length` and
//! `inner(length(…))` counted in code points, the four serde enum
//! representations (a selected variant's issues at their own paths, a
//! value no variant takes as one `invalid_value`), `flatten` (unknown keys
//! refused there too), `mizan::Id64`, and a form's values (`survey.submit`).
//! [`mutations`] adds, from the manifest alone, one broken input per
//! constraint keyword at every depth.
//!
//! # How the two sides are compared
//!
//! The server's verdict is the status and `error.issues` (`path`, `code`) of
//! `POST call/{name}`; Zod's is `success` and `error.issues`, put into the
//! wire vocabulary ([`zod`]). Both report every issue at once, so the sets
//! must be equal. Differences that are legitimate:
//!
//! - **A body that is not a JSON object** is a protocol error on the server
//!   (400 `BAD_REQUEST`, no issues) and `invalid_type` at the root in Zod:
//!   both refuse, nothing more to compare.
//! - [`cases::Divergence`]s: inputs JavaScript cannot tell apart (a JSON
//!   number spelled `1.0` is `1` after `JSON.parse`, and serde refuses it
//!   for an integer type after the contract took it) or cannot reach the
//!   server as Zod saw them (a lone surrogate). Each is asserted exactly as
//!   it is, so a change on either side shows up here.
//!
//! Besides, neither side may report the same issue (path, code and message)
//! twice: a form would show the message twice.
//!
//! Set `MIZAN_PARITY_VERBOSE=1` to print both verdicts of every case.
//!
//! Needs Bun and Zod from the workspace's node_modules (`scripts/setup`);
//! the test fails, never skips, without them.

mod app;
mod cases;
#[cfg(all(feature = "chrono", feature = "time", feature = "uuid"))]
mod dates;
pub(crate) mod mutate;
mod mutations;
pub(crate) mod zod;

use std::fmt::Write as _;

use serde_json::Value;

use crate::support;
use cases::{Case, Expect, visible};
use zod::{Verdict, render};

/// How a case compared, for the summary; `Err` explains a disagreement.
enum Outcome {
    BothOk,
    SameIssues,
    NotAnObject,
    Documented,
}

fn compare(case: &Case, server: &Verdict, zod: &Verdict) -> Result<Outcome, String> {
    match case.expect {
        Expect::NotAnObject => match (server, zod) {
            (Verdict::BadRequest, Verdict::Issues(z))
                if z.contains(&(String::new(), "invalid_type".into())) =>
            {
                Ok(Outcome::NotAnObject)
            }
            _ => Err("expected 400 BAD_REQUEST on the server and invalid_type at the root in Zod".into()),
        },
        Expect::Diverges(d) => {
            if render(server) == d.server && render(zod) == d.zod {
                Ok(Outcome::Documented)
            } else {
                Err(format!(
                    "documented divergence changed: expected server {}, Zod {} ({})",
                    d.server, d.zod, d.why
                ))
            }
        }
        Expect::Agree => match (server, zod) {
            (Verdict::Ok, Verdict::Ok) => Ok(Outcome::BothOk),
            (Verdict::Issues(s), Verdict::Issues(z)) if s == z => Ok(Outcome::SameIssues),
            (Verdict::Issues(s), Verdict::Issues(z)) if s.is_subset(z) => {
                Err("Zod reports issues the server does not".into())
            }
            (Verdict::Issues(_), Verdict::Issues(_)) => Err("the server reports issues Zod does not".into()),
            _ => Err("the verdicts differ".into()),
        },
    }
}

#[tokio::test]
async fn the_server_and_the_generated_zod_agree_on_every_rule() {
    let root = support::repo_root();
    zod::bun(&root);

    let app = app::app();
    let manifest = app.manifest().expect("the app builds").to_json();
    let files = mizan_codegen::generate(&manifest).expect("codegen accepts every rule used here");
    let dir = root.join("target").join(format!("mizan-parity-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    mizan_codegen::write(&dir.join("gen"), &files).expect("generated files written");

    let cases = cases::cases();
    let inputs: Vec<(String, String)> =
        cases.iter().map(|c| (zod::input_schema(c.func), c.body.clone())).collect();
    let answers = zod::zod_answers(&root, &dir.join("gen"), &dir, &inputs);
    let base = support::serve(app).await.api;
    let client = reqwest::Client::new();
    let verbose = std::env::var_os("MIZAN_PARITY_VERBOSE").is_some();

    let mut report = String::new();
    let mut failures = 0;
    let (mut both_ok, mut same, mut not_object, mut documented) = (0, 0, 0, 0);
    for (case, answer) in cases.iter().zip(&answers) {
        let (server, server_twice) = zod::server_verdict(&client, &base, case.func, &case.body, None).await;
        let input: Option<Value> = serde_json::from_str(&case.body).ok();
        let zod = zod::zod_verdict(input.as_ref(), answer);
        let twice = server_twice.or_else(|| {
            answer
                .get("issues")
                .and_then(|i| zod::repeated(zod::issues_of(i)))
                .map(|i| format!("Zod reports {i} twice"))
        });
        if verbose {
            eprintln!(
                "{} / {}\n    server: {}\n    zod:    {}",
                case.func,
                case.label,
                render(&server),
                render(&zod)
            );
        }
        match compare(case, &server, &zod).and_then(|o| twice.map_or(Ok(o), Err)) {
            Ok(Outcome::BothOk) => both_ok += 1,
            Ok(Outcome::SameIssues) => same += 1,
            Ok(Outcome::NotAnObject) => not_object += 1,
            Ok(Outcome::Documented) => documented += 1,
            Err(why) => {
                failures += 1;
                let _ = writeln!(
                    report,
                    "{} / {}: {why}\n    body:   {}\n    server: {}\n    zod:    {}",
                    case.func,
                    case.label,
                    visible(&case.body),
                    render(&server),
                    render(&zod)
                );
            }
        }
    }
    let agree = cases.len() - failures;
    eprintln!(
        "{agree} cases agree{} (zod {}, bun {}): {both_ok} accepted by both, {same} refused with the same \
         issues, {not_object} non-object bodies refused by both, {documented} documented divergences",
        if failures == 0 { String::new() } else { format!(" of {}", cases.len()) },
        zod::version_of(&root, "zod"),
        zod::version_of(&root, "bun"),
    );
    assert!(
        failures == 0,
        "{failures} of {} cases disagree (generated files kept in {}):\n{report}",
        cases.len(),
        dir.display()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
