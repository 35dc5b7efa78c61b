//! Dev mode's reload: a fingerprint of every file in the component dirs,
//! and a restart of the workers when it changes (they cache the modules
//! they imported).

use std::path::PathBuf;
use std::sync::Mutex;

use super::assets;

/// The dirs' fingerprint the current workers were started with.
#[derive(Debug, Default)]
pub(crate) struct DevReload {
    seen: Mutex<Option<u64>>,
}

impl DevReload {
    /// The dirs' fingerprint now. When it differs from the one seen last,
    /// `restart` runs (after the change is recorded, so only one caller
    /// restarts for it).
    pub(crate) async fn check(&self, dirs: &[PathBuf], restart: impl FnOnce()) -> u64 {
        let dirs = dirs.to_vec();
        let fingerprint = tokio::task::spawn_blocking(move || fingerprint(&dirs)).await.unwrap_or(0);
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        match *seen {
            Some(old) if old != fingerprint => {
                tracing::info!(target: "mizan::ssr", "component files changed; restarting the SSR workers");
                *seen = Some(fingerprint);
                drop(seen);
                restart();
            }
            Some(_) => {}
            None => *seen = Some(fingerprint),
        }
        fingerprint
    }
}

/// Paths, sizes and mtimes of every file under the dirs (skipping
/// `node_modules` and dot directories), hashed.
pub(crate) fn fingerprint(dirs: &[PathBuf]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    let mut stack: Vec<PathBuf> = dirs.to_vec();
    let mut count = 0usize;
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                if name != "node_modules" && !name.to_string_lossy().starts_with('.') {
                    stack.push(entry.path());
                }
                continue;
            }
            count += 1;
            if count > 20_000 {
                break;
            }
            entry.path().hash(&mut h);
            meta.len().hash(&mut h);
            assets::mtime_key(&entry.path()).hash(&mut h);
        }
    }
    h.finish()
}
