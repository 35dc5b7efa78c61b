//! Browser bundles: one per component, built by `bun build` from a
//! generated entry that imports the component and `@mizan/ssr/hydrate`,
//! cached by component path and modification time, served under
//! `{prefix}/assets/`.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::config::Ssr;
use super::locate::Launch;
use super::pool::SsrPool;
use super::resolve::{self, Resolved};
use crate::Error;

/// How long one `bun build` may take.
const BUILD_TIMEOUT: Duration = Duration::from_secs(120);

struct Entry {
    key: u64,
    cell: tokio::sync::OnceCell<Result<String, Error>>,
}

impl Entry {
    fn file(&self) -> Option<&str> {
        self.cell.get().and_then(|r| r.as_ref().ok()).map(String::as_str)
    }
}

/// What a bundle is built from: the component's path and its layouts' paths.
type BundleId = (PathBuf, Vec<PathBuf>);

/// The bundle cache.
#[derive(Default)]
pub(crate) struct Bundles {
    /// Component path and its layouts' paths → the bundle for its current version.
    entries: Mutex<HashMap<BundleId, Arc<Entry>>>,
    /// File name under `assets/` → contents.
    files: RwLock<HashMap<String, Bytes>>,
}

fn hash_of(parts: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

/// A cache directory per set of dirs under the system temp dir.
pub(crate) fn default_cache_dir(cfg: &Ssr) -> PathBuf {
    let key = hash_of((&cfg.dirs, std::env::current_dir().ok()));
    std::env::temp_dir().join(format!("mizan-ssr-{key:016x}"))
}

/// The modification time of `path` as a cache key part.
pub(crate) fn mtime_key(path: &Path) -> u64 {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let since = modified.and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok());
    since.map(|d| d.as_nanos() as u64).unwrap_or(0)
}

/// The cache key of a component's bundle: its path, its version and how it
/// is built. The bundle's file name carries it, so that a bundle asked for
/// after a restart can be matched to its component again.
pub(crate) fn bundle_key(component: &Path, version: u64, launch: &Launch) -> u64 {
    hash_of((component, version, launch.dev, &launch.hydrate))
}

/// The file-name stem of a component's bundle (`Hello` for `Hello.tsx`).
fn stem_of(component: &Path) -> String {
    let stem = component.file_stem().and_then(|s| s.to_str()).unwrap_or("page");
    stem.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect()
}

/// Splits a bundle file name (`Hello-0123456789abcdef.js`) into the
/// component's stem and the bundle key.
pub(crate) fn parse_bundle_name(file: &str) -> Option<(&str, u64)> {
    let base = file.strip_suffix(".js")?;
    let (stem, key) = base.rsplit_once('-')?;
    if stem.is_empty() || key.len() != 16 || file.contains('/') {
        return None;
    }
    Some((stem, u64::from_str_radix(key, 16).ok()?))
}

/// Names (relative to their dir, `/`-separated) of the component files in
/// `dirs` whose bundle stem is `stem`; `node_modules` and dot directories
/// are skipped, and at most 20,000 entries are looked at.
pub(crate) fn components_named(dirs: &[PathBuf], stem: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut seen = 0usize;
    for dir in dirs {
        let mut stack = vec![(dir.clone(), String::new())];
        while let Some((path, rel)) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&path) else { continue };
            for entry in entries.filter_map(|e| e.ok()) {
                seen += 1;
                if seen > 20_000 {
                    return found;
                }
                let name = entry.file_name().to_string_lossy().into_owned();
                let rel = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
                let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                if is_dir {
                    if name != "node_modules" && !name.starts_with('.') {
                        stack.push((entry.path(), rel));
                    }
                } else if [".tsx", ".jsx", ".ts", ".js"].iter().any(|ext| name.ends_with(ext))
                    && stem_of(Path::new(&name)) == stem
                {
                    found.push(rel);
                }
            }
        }
    }
    found
}

/// The component a bundle asked for by name was built from, found again
/// in the dirs (`file` parsed by [`parse_bundle_name`] into `stem` and
/// `key`), with its version, when it has not changed since: the page was
/// served by an earlier run of the server (a restart, another replica).
/// Blocking: walks the dirs.
pub(crate) fn bundled_component(
    dirs: &[PathBuf],
    stem: &str,
    key: u64,
    launch: &Launch,
    dev: bool,
) -> Option<(Resolved, u64)> {
    let version = dev.then(|| super::dev::fingerprint(dirs));
    components_named(dirs, stem).into_iter().find_map(|name| {
        let resolved = resolve::resolve(dirs, &name).ok()?;
        let version = version.unwrap_or_else(|| mtime_key(&resolved.path));
        (bundle_key(&resolved.path, version, launch) == key).then_some((resolved, version))
    })
}

impl Bundles {
    /// The bundle file name for `component` inside `layouts` (by name and
    /// path, outermost first: the entry imports them too), built on first
    /// use. `version` identifies the component's content (its mtime, or in
    /// dev mode a fingerprint of the dirs, so imported files count too).
    pub(crate) async fn bundle_for(
        &self,
        cfg: &Ssr,
        launch: &Launch,
        component: &Path,
        layouts: &[(String, PathBuf)],
        version: u64,
    ) -> Result<String, Error> {
        let key = if layouts.is_empty() {
            bundle_key(component, version, launch)
        } else {
            // The layouts (and, outside dev mode, their own versions) are part of the bundle.
            let layouts: Vec<(&str, &Path, u64)> = layouts
                .iter()
                .map(|(name, path)| {
                    (name.as_str(), path.as_path(), if launch.dev { 0 } else { mtime_key(path) })
                })
                .collect();
            hash_of((bundle_key(component, version, launch), layouts))
        };
        let id = (component.to_path_buf(), layouts.iter().map(|(_, path)| path.clone()).collect::<Vec<_>>());
        let entry = {
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            match entries.get(&id) {
                Some(e) if e.key == key => e.clone(),
                _ => {
                    let e = Arc::new(Entry { key, cell: tokio::sync::OnceCell::new() });
                    // A new version replaces the old bundle (pages are
                    // rendered with the new one from now on).
                    if let Some(old) = entries.insert(id.clone(), e.clone())
                        && let Some(file) = old.file()
                    {
                        self.files.write().unwrap_or_else(|e| e.into_inner()).remove(file);
                    }
                    e
                }
            }
        };
        let result =
            entry.cell.get_or_init(|| self.build(cfg, launch, component, layouts, key)).await.clone();
        if result.is_err() {
            // Let the next render try again.
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            if entries.get(&id).is_some_and(|e| Arc::ptr_eq(e, &entry)) {
                entries.remove(&id);
            }
        }
        result
    }

    async fn build(
        &self,
        cfg: &Ssr,
        launch: &Launch,
        component: &Path,
        layouts: &[(String, PathBuf)],
        key: u64,
    ) -> Result<String, Error> {
        let fail = |why: String| {
            Error::internal(format!("building the browser bundle for {}: {why}", component.display()))
        };
        let hydrate = launch.hydrate.as_ref().ok_or_else(|| {
            fail("the @mizan/ssr package (its hydrate entry) was not found in node_modules".to_owned())
        })?;
        let stem = stem_of(component);
        let file = format!("{stem}-{key:016x}.js");
        let cache = cfg.cache_dir.clone().unwrap_or_else(|| default_cache_dir(cfg));
        // Per build: several servers may share the cache dir, and several
        // pools (apps) in one process may build the same component at once.
        // Both files are removed once the bundle is in memory.
        static BUILDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let build = BUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let pid = std::process::id();
        let entry_path = cache.join("entries").join(format!("{stem}-{key:016x}-{pid}-{build}.tsx"));
        let out_path = cache.join("out").join(format!("{stem}-{key:016x}-{pid}-{build}.js"));
        let quote = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
        let mut entry = format!(
            "// Generated by mizan: hydrates {component} in the browser.\n\
             import * as mod from {c};\n\
             import {{ hydrate }} from {h};\n\
             const exports: Record<string, unknown> = Object(mod);\n\
             const Component = exports[\"default\"] ?? exports[{name}];\n",
            component = component.display(),
            c = quote(&component.to_string_lossy()),
            h = quote(&hydrate.to_string_lossy()),
            name = quote(&stem),
        );
        if layouts.is_empty() {
            entry.push_str("hydrate(Component as Parameters<typeof hydrate>[0]);\n");
        } else {
            // The layouts by the names `#mizan-page` gives them, each its
            // default export (or the export named like its file).
            let mut map = String::new();
            for (i, (name, path)) in layouts.iter().enumerate() {
                let _ = std::fmt::Write::write_fmt(
                    &mut entry,
                    format_args!("import * as layout{i} from {};\n", quote(&path.to_string_lossy())),
                );
                let _ = std::fmt::Write::write_fmt(
                    &mut map,
                    format_args!(
                        "  {}: (Object(layout{i}) as Record<string, unknown>)[\"default\"] ?? \
                         (Object(layout{i}) as Record<string, unknown>)[{}],\n",
                        quote(name),
                        quote(&stem_of(path))
                    ),
                );
            }
            entry.push_str("const layouts = {\n");
            entry.push_str(&map);
            entry.push_str("};\n");
            entry.push_str(
                "hydrate(Component as Parameters<typeof hydrate>[0], \
                 layouts as Parameters<typeof hydrate>[1]);\n",
            );
        }
        tokio::fs::create_dir_all(entry_path.parent().unwrap_or(&cache))
            .await
            .map_err(|e| fail(format!("cannot create {}: {e}", cache.display())))?;
        tokio::fs::write(&entry_path, entry)
            .await
            .map_err(|e| fail(format!("cannot write the entry: {e}")))?;

        let mut cmd = tokio::process::Command::new(&launch.bun);
        cmd.arg("build")
            .arg(&entry_path)
            .arg("--target=browser")
            .arg(format!("--outfile={}", out_path.display()))
            .arg(format!("--define=process.env.NODE_ENV=\"{}\"", launch.node_env()))
            .env("NODE_ENV", launch.node_env())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        // `--production` (minified, production JSX runtime) rather than only
        // `--minify`: without it Bun may pick the JSX dev runtime depending
        // on the working directory, and React's production build has no
        // `jsxDEV`. The working directory is the cache dir, for the same reason.
        if launch.dev {
            cmd.arg("--sourcemap=inline");
        } else {
            cmd.arg("--production");
        }
        cmd.current_dir(&cache);
        let started = std::time::Instant::now();
        let output = tokio::time::timeout(BUILD_TIMEOUT, cmd.output())
            .await
            .map_err(|_| fail(format!("`bun build` took longer than {BUILD_TIMEOUT:?}")))?
            .map_err(|e| fail(format!("could not run `{} build`: {e}", launch.bun.display())))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let stdout = String::from_utf8_lossy(&output.stdout);
            return Err(fail(format!(
                "`bun build` failed ({}): {}{}",
                output.status,
                stderr.trim(),
                stdout.trim()
            )));
        }
        let bytes =
            tokio::fs::read(&out_path).await.map_err(|e| fail(format!("cannot read the bundle: {e}")));
        let _ = tokio::fs::remove_file(&out_path).await;
        let _ = tokio::fs::remove_file(&entry_path).await;
        let bytes = bytes?;
        tracing::debug!(target: "mizan::ssr", component = %component.display(), file, bytes = bytes.len(),
            elapsed = ?started.elapsed(), "built browser bundle");
        self.files.write().unwrap_or_else(|e| e.into_inner()).insert(file.clone(), Bytes::from(bytes));
        Ok(file)
    }

    /// The contents of a built bundle.
    pub(crate) fn file(&self, name: &str) -> Option<Bytes> {
        self.files.read().unwrap_or_else(|e| e.into_inner()).get(name).cloned()
    }
}

/// Serves a bundle file (`GET assets/{file}`), or 404.
pub(crate) fn serve(bytes: Option<Bytes>, dev: bool) -> Response {
    match bytes {
        Some(bytes) => {
            let mut res = bytes.into_response();
            let headers = res.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
            let cache = if dev {
                HeaderValue::from_static("no-cache")
            } else {
                HeaderValue::from_static("public, max-age=31536000, immutable")
            };
            headers.insert(header::CACHE_CONTROL, cache);
            res
        }
        None => Error::not_found("no such asset").into_response(),
    }
}

/// The router serving browser bundles at `/assets/{*file}`; the app nests
/// it under its mount prefix.
pub(crate) fn assets_router(pool: Arc<SsrPool>) -> axum::Router {
    async fn asset(
        State(pool): State<Arc<SsrPool>>,
        file: Result<UrlPath<String>, PathRejection>,
    ) -> Response {
        match file {
            Ok(UrlPath(file)) => serve(pool.asset(&file).await, pool.is_dev()),
            Err(rejection) => crate::http::bad_path(&rejection).into_response(),
        }
    }
    let route = axum::routing::get(asset).fallback(crate::http::method_not_allowed);
    axum::Router::new().route("/assets/{*file}", route).with_state(pool)
}
