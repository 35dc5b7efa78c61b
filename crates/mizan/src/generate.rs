//! `generate --out DIR [--check]`, through `mizan-codegen`.

use std::path::Path;

/// Writes (or checks) the TypeScript for `manifest` in `dir`; returns the exit code.
pub(crate) fn run(manifest: &serde_json::Value, dir: &Path, check: bool) -> i32 {
    let files = match mizan_codegen::generate(manifest) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("codegen refused the manifest: {e}");
            return 1;
        }
    };
    if check {
        match mizan_codegen::check(dir, &files) {
            Ok(()) => 0,
            Err(drift) => {
                eprintln!("{} is stale:\n{drift}", dir.display());
                1
            }
        }
    } else {
        match mizan_codegen::write(dir, &files) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("writing {} failed: {e}", dir.display());
                1
            }
        }
    }
}
