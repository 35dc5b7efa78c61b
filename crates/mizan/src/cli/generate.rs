//! `generate --out DIR [--check]`, through `mizan_codegen::run`, the front
//! door `mizan-cli generate` uses too.

use std::path::Path;

/// Writes (or checks) the TypeScript for `manifest` in `dir`; returns the
/// exit code: 0, 1 for drift under `--check`, 2 for a refused manifest or
/// a failed write.
pub(crate) fn run(manifest: &crate::Manifest, dir: &Path, check: bool) -> i32 {
    let outcome = mizan_codegen::run(&manifest.to_json(), dir, check);
    if !outcome.is_success() {
        eprintln!("{outcome}");
    }
    i32::from(outcome.exit_code())
}
