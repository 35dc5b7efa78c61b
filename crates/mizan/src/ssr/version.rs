//! The asset version a page carries (`#mizan-page`, the visit object) and a
//! visit's `x-mizan-version` is compared with: `$MIZAN_ASSET_VERSION` when
//! set, else a hash of what the browser bundles are built from (every file
//! in the component dirs, by relative path and content, and the browser
//! entry of `@mizan/ssr`). Content, not times: every process serving one
//! deployment reports the same version.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The variable that overrides the computed version.
pub(crate) const ENV: &str = "MIZAN_ASSET_VERSION";

/// Files read at most (a larger tree is hashed by its first ones).
const MAX_FILES: usize = 20_000;

/// A pool's asset version: computed once in production, on each page in dev
/// mode (components change under a running server there).
#[derive(Debug, Default)]
pub(crate) struct AssetVersion {
    fixed: OnceLock<String>,
}

impl AssetVersion {
    /// The version for `dirs` and the browser entry `hydrate` (if found).
    pub(crate) fn get(&self, dirs: &[PathBuf], hydrate: Option<&Path>, dev: bool) -> String {
        if let Some(v) = std::env::var(ENV).ok().filter(|v| !v.trim().is_empty()) {
            return v.trim().to_owned();
        }
        if dev {
            return compute(dirs, hydrate);
        }
        self.fixed.get_or_init(|| compute(dirs, hydrate)).clone()
    }
}

/// 64-bit FNV-1a: stable across processes, builds and Rust versions.
struct Fnv(u64);

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// A length-prefixed part, so that parts cannot run into each other.
    fn part(&mut self, bytes: &[u8]) {
        self.write(&(bytes.len() as u64).to_le_bytes());
        self.write(bytes);
    }
}

/// The hash of every file under the dirs (skipping `node_modules` and dot
/// directories) by its path relative to its dir and its content, then the
/// browser entry's content, as 16 hex digits.
pub(crate) fn compute(dirs: &[PathBuf], hydrate: Option<&Path>) -> String {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    let mut count = 0usize;
    for (i, root) in dirs.iter().enumerate() {
        h.part(&(i as u64).to_le_bytes());
        let mut files = Vec::new();
        collect(root, &mut files, &mut count);
        files.sort();
        for file in files {
            let rel = file.strip_prefix(root).unwrap_or(&file);
            h.part(rel.to_string_lossy().as_bytes());
            h.part(&std::fs::read(&file).unwrap_or_default());
        }
    }
    if let Some(entry) = hydrate {
        h.part(&std::fs::read(entry).unwrap_or_default());
    }
    format!("{:016x}", h.0)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>, count: &mut usize) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if name != "node_modules" && !name.to_string_lossy().starts_with('.') {
                collect(&entry.path(), out, count);
            }
        } else if kind.is_file() && *count < MAX_FILES {
            *count += 1;
            out.push(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_not_place_or_time() {
        let base = std::env::temp_dir().join(format!("mizan-version-{}", std::process::id()));
        let (a, b) = (base.join("a"), base.join("b"));
        for dir in [&a, &b] {
            std::fs::create_dir_all(dir.join("components")).expect("dir");
            std::fs::write(dir.join("components/X.tsx"), "export default 1;").expect("write");
        }
        let one = compute(std::slice::from_ref(&a), None);
        assert_eq!(one, compute(std::slice::from_ref(&b), None), "same files elsewhere, same version");
        assert_eq!(one.len(), 16);
        std::fs::write(b.join("components/X.tsx"), "export default 2;").expect("write");
        assert_ne!(one, compute(std::slice::from_ref(&b), None), "a changed file changes it");
        let _ = std::fs::remove_dir_all(&base);
    }
}
