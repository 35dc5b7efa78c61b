//! `generate --out DIR [--check]`, through `mizan_codegen::run_with`, the
//! front door `mizan-cli generate` uses too. `pages.ts` imports the pages'
//! components from the SSR dir holding them, written relative to DIR so
//! the output is the same on every machine.

use std::path::{Component, Path, PathBuf};

/// Writes (or checks) the TypeScript for `manifest` in `dir`; returns the
/// exit code: 0, 1 for drift under `--check`, 2 for a refused manifest or
/// a failed write. `dirs` are the app's SSR dirs.
pub(crate) fn run(manifest: &crate::Manifest, dir: &Path, check: bool, dirs: &[PathBuf]) -> i32 {
    let mut options = mizan_codegen::Options::default();
    if let Some(root) = pages_root(manifest, dir, dirs) {
        options = options.pages_root(root);
    }
    let outcome = mizan_codegen::run_with(&manifest.to_json(), dir, check, &options);
    if !outcome.is_success() {
        eprintln!("{outcome}");
    }
    i32::from(outcome.exit_code())
}

/// The SSR dir holding the first page's component (else the first dir),
/// relative to `out`, `/`-separated.
fn pages_root(manifest: &crate::Manifest, out: &Path, dirs: &[PathBuf]) -> Option<String> {
    let first = manifest.pages.first()?;
    let dir = dirs.iter().find(|d| d.join(&first.component).is_file()).or_else(|| dirs.first())?;
    Some(relative(&absolute(out), &absolute(dir)))
}

/// `path` made absolute against the working directory, `.` and `..` folded.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `to` relative to `from` (both absolute and folded).
fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(to[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    if parts.is_empty() { ".".to_owned() } else { parts.join("/") }
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::Path;

    #[test]
    fn relative_paths() {
        let r = |a: &str, b: &str| relative(Path::new(a), Path::new(b));
        assert_eq!(r("/app/frontend/generated", "/app/frontend"), "..");
        assert_eq!(r("/app/web/gen", "/app/frontend"), "../../frontend");
        assert_eq!(r("/app", "/app/frontend"), "frontend");
        assert_eq!(r("/app", "/app"), ".");
    }
}
