//! Component names → absolute paths, like a template loader: the dirs are
//! searched in order and nothing outside them is ever handed to a worker.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::Error;

/// Most names a [`ResolveCache`] keeps.
const CACHE_MAX: usize = 10_000;

/// A component found in one of the dirs.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    /// Canonical absolute path (symlinks inside the dir resolved).
    pub(crate) path: PathBuf,
}

/// Resolves `name` (`components/Hello.tsx`) against `dirs` in order.
///
/// Refused: empty names, absolute paths, `..` or other non-plain parts, and
/// names that lead (through symlinks) outside the dir they were found in.
/// A name found in no dir is an error that lists the dirs searched.
pub(crate) fn resolve(dirs: &[PathBuf], name: &str) -> Result<Resolved, Error> {
    check_name(name)?;
    if dirs.is_empty() {
        return Err(Error::internal(format!(
            "cannot render {name:?}: no component dirs configured (Ssr::new().dirs([...]))"
        )));
    }
    for dir in dirs {
        let Ok(canon_dir) = dir.canonicalize() else { continue };
        let candidate = canon_dir.join(name);
        // `symlink_metadata` catches a dangling symlink, which is a name that
        // exists but points nowhere: refused rather than skipped.
        if candidate.symlink_metadata().is_err() {
            continue;
        }
        let canon = candidate.canonicalize().map_err(|e| {
            Error::internal(format!("component {name:?} in {} cannot be resolved: {e}", dir.display()))
        })?;
        if !canon.starts_with(&canon_dir) {
            return Err(Error::internal(format!(
                "component name {name:?} is refused: it leads outside {} (to {})",
                dir.display(),
                canon.display()
            )));
        }
        if !canon.is_file() {
            return Err(Error::internal(format!("component {name:?} in {} is not a file", dir.display())));
        }
        return Ok(Resolved { path: canon });
    }
    let searched: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    Err(Error::internal(format!("component {name:?} not found; searched: {}", searched.join(", "))))
}

/// Names already resolved (and checked) to their paths, kept in production.
#[derive(Debug, Default)]
pub(crate) struct ResolveCache {
    found: Mutex<HashMap<String, Resolved>>,
}

impl ResolveCache {
    /// Resolves `name` against `dirs`. In production (`dev` false) the
    /// answer is kept: the canonical path it gives was checked once and
    /// stays inside. Dev mode resolves every time (files come and go).
    pub(crate) fn resolve(&self, dirs: &[PathBuf], name: &str, dev: bool) -> Result<Resolved, Error> {
        if dev {
            return resolve(dirs, name);
        }
        if let Some(found) = self.found.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
            return Ok(found.clone());
        }
        let found = resolve(dirs, name)?;
        let mut cache = self.found.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() < CACHE_MAX {
            cache.insert(name.to_owned(), found.clone());
        }
        Ok(found)
    }
}

fn check_name(name: &str) -> Result<(), Error> {
    let refuse = |why: &str| Err(Error::internal(format!("component name {name:?} is refused: {why}")));
    if name.is_empty() {
        return refuse("it is empty");
    }
    if name.contains('\0') || name.contains('\\') {
        return refuse("it contains a NUL byte or a backslash");
    }
    let path = Path::new(name);
    if path.is_absolute() || name.starts_with('/') {
        return refuse("absolute paths are not allowed; give a name relative to the component dirs");
    }
    for part in path.components() {
        match part {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => return refuse("`..` is not allowed"),
            Component::RootDir | Component::Prefix(_) => return refuse("absolute paths are not allowed"),
        }
    }
    Ok(())
}

/// Canonical forms of the dirs that exist (for locating stack frames).
pub(crate) fn canonical_dirs(dirs: &[PathBuf]) -> Vec<PathBuf> {
    dirs.iter().filter_map(|d| d.canonicalize().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_escape_are_refused() {
        for bad in ["", "../x.tsx", "a/../../x.tsx", "/etc/passwd", "a\\b.tsx", "a\0b"] {
            assert!(check_name(bad).is_err(), "{bad:?} should be refused");
        }
        for good in ["Hello.tsx", "components/Hello.tsx", "./Hello.tsx"] {
            assert!(check_name(good).is_ok(), "{good:?} should pass");
        }
    }
}
