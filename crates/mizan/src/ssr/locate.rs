//! Finding what the pool runs: the Bun executable and the `@mizan/ssr`
//! package (worker script and hydrate entry).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::config::Ssr;

/// Everything needed to start workers and build bundles, resolved once.
#[derive(Debug, Clone)]
pub(crate) struct Launch {
    pub(crate) bun: PathBuf,
    pub(crate) script: PathBuf,
    /// `@mizan/ssr/hydrate`, absolute, for generated browser entries.
    pub(crate) hydrate: Option<PathBuf>,
    pub(crate) dev: bool,
}

impl Launch {
    pub(crate) fn resolve(cfg: &Ssr) -> Result<Self, String> {
        let bun = find_bun(cfg)?;
        let package = find_package(cfg);
        let script = match (&cfg.worker_script, &package) {
            (Some(s), _) => {
                let s = absolute(s);
                if !s.is_file() {
                    return Err(format!("the SSR worker script {} does not exist", s.display()));
                }
                s
            }
            (None, Some(pkg)) => built(pkg, export_of(pkg, "./worker", "dist/worker.js"))?,
            (None, None) => return Err(missing_package(cfg)),
        };
        let hydrate = match &package {
            Some(pkg) => Some(built(pkg, export_of(pkg, "./hydrate", "dist/hydrate.js"))?),
            None => None,
        };
        Ok(Self { bun, script, hydrate, dev: cfg.is_dev() })
    }

    pub(crate) fn node_env(&self) -> &'static str {
        if self.dev { "development" } else { "production" }
    }
}

/// The directories searched upwards: each configured dir, then the current one.
fn roots(cfg: &Ssr) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> =
        cfg.dirs.iter().map(|d| d.canonicalize().unwrap_or_else(|_| absolute(d))).collect();
    if let Ok(cwd) = std::env::current_dir() {
        roots.push(cwd);
    }
    roots
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().map(|c| c.join(p)).unwrap_or_else(|_| p.to_path_buf())
    }
}

/// `rel` in the first ancestor (of any root) that has it.
fn walk_up(roots: &[PathBuf], rel: &str, want_dir: bool) -> Option<PathBuf> {
    for root in roots {
        for dir in root.ancestors() {
            let candidate = dir.join(rel);
            let ok = if want_dir { candidate.is_dir() } else { candidate.is_file() };
            if ok {
                return Some(candidate);
            }
        }
    }
    None
}

/// Bun: explicit setting, then `node_modules/.bin/bun` above the dirs and
/// the current dir, then `$MIZAN_BUN`, then `PATH`.
pub(crate) fn find_bun(cfg: &Ssr) -> Result<PathBuf, String> {
    if let Some(bun) = &cfg.bun {
        let bun = absolute(bun);
        return if bun.is_file() {
            Ok(bun)
        } else {
            Err(format!("Bun was configured as {} but that file does not exist", bun.display()))
        };
    }
    search_bun(&roots(cfg), std::env::var_os("MIZAN_BUN"), std::env::var_os("PATH"))
}

fn search_bun(roots: &[PathBuf], env: Option<OsString>, path: Option<OsString>) -> Result<PathBuf, String> {
    if let Some(found) = walk_up(roots, "node_modules/.bin/bun", false) {
        return Ok(found);
    }
    if let Some(env) = &env {
        let p = PathBuf::from(env);
        if p.is_file() {
            return Ok(p);
        }
    }
    if let Some(path) = &path {
        for dir in std::env::split_paths(path) {
            let candidate = dir.join("bun");
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    let searched: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
    let env_note = match env {
        Some(v) => format!("$MIZAN_BUN ({} does not exist)", PathBuf::from(v).display()),
        None => "$MIZAN_BUN (not set)".to_owned(),
    };
    Err(format!(
        "Bun was not found: looked for node_modules/.bin/bun in and above {}, then {env_note}, then PATH. \
         Install it with `npm install bun` in the project, or set $MIZAN_BUN to the executable",
        if searched.is_empty() { "(no directories)".to_owned() } else { searched.join(", ") }
    ))
}

/// `node_modules/@mizan/ssr` above the dirs or the current directory.
fn find_package(cfg: &Ssr) -> Option<PathBuf> {
    walk_up(&roots(cfg), "node_modules/@mizan/ssr", true).map(|p| p.canonicalize().unwrap_or(p))
}

fn missing_package(cfg: &Ssr) -> String {
    let searched: Vec<String> = roots(cfg).iter().map(|r| r.display().to_string()).collect();
    format!(
        "the @mizan/ssr package was not found: looked for node_modules/@mizan/ssr in and above {}. \
         Install it with `npm install @mizan/ssr`, or configure Ssr::worker_script",
        searched.join(", ")
    )
}

/// `file`, an entry of the `@mizan/ssr` package at `pkg`, when it exists:
/// the package ships JavaScript built into `dist/`, which a checkout of the
/// mizan repository builds with `npm run build`.
fn built(pkg: &Path, file: PathBuf) -> Result<PathBuf, String> {
    if file.is_file() {
        return Ok(file);
    }
    Err(format!(
        "the @mizan/ssr package at {} lacks {}: the package is not built (in the mizan repository, \
         `npm run build` or `scripts/setup` builds it), or configure Ssr::worker_script",
        pkg.display(),
        file.display()
    ))
}

/// The file a package.json `exports` entry points to, or `fallback`.
fn export_of(pkg: &Path, key: &str, fallback: &str) -> PathBuf {
    let from_manifest = std::fs::read_to_string(pkg.join("package.json"))
        .ok()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .and_then(|v| {
            let entry = &v["exports"][key];
            entry
                .as_str()
                .or_else(|| entry["default"].as_str())
                .or_else(|| entry["bun"].as_str())
                .map(str::to_owned)
        });
    pkg.join(from_manifest.as_deref().unwrap_or(fallback).trim_start_matches("./"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unbuilt_package_is_refused_with_how_to_build_it() {
        let dir = std::env::temp_dir().join(format!("mizan-locate-{}", std::process::id()));
        let pkg = dir.join("node_modules/@mizan/ssr");
        std::fs::create_dir_all(&pkg).expect("package dir");
        let exports = r#"{"exports":{"./worker":{"types":"./dist/worker.d.ts","default":"./dist/worker.js"},
            "./hydrate":{"types":"./dist/hydrate.d.ts","default":"./dist/hydrate.js"}}}"#;
        std::fs::write(pkg.join("package.json"), exports).expect("package.json");
        let bun = std::env::current_exe().expect("an existing file stands in for Bun");
        let cfg = Ssr::new().dirs([dir.clone()]).bun(bun);
        let err = Launch::resolve(&cfg).expect_err("dist/worker.js is missing");
        assert!(err.contains("dist/worker.js"), "{err}");
        assert!(err.contains("npm run build"), "{err}");

        std::fs::create_dir_all(pkg.join("dist")).expect("dist");
        std::fs::write(pkg.join("dist/worker.js"), "").expect("worker");
        let err = Launch::resolve(&cfg).expect_err("dist/hydrate.js is missing");
        assert!(err.contains("dist/hydrate.js"), "{err}");

        std::fs::write(pkg.join("dist/hydrate.js"), "").expect("hydrate");
        let launch = Launch::resolve(&cfg).expect("a built package resolves");
        let pkg = pkg.canonicalize().expect("canonical");
        assert_eq!(launch.script, pkg.join("dist/worker.js"));
        assert_eq!(launch.hydrate, Some(pkg.join("dist/hydrate.js")));
        std::fs::remove_dir_all(&dir).expect("cleaned up");
    }

    #[test]
    fn missing_bun_names_all_three_places() {
        let roots = vec![PathBuf::from("/nonexistent/app/frontend")];
        let err =
            search_bun(&roots, None, Some(OsString::from("/nonexistent/bin"))).expect_err("no bun there");
        assert!(err.contains("node_modules/.bin/bun"), "{err}");
        assert!(err.contains("/nonexistent/app/frontend"), "{err}");
        assert!(err.contains("$MIZAN_BUN (not set)"), "{err}");
        assert!(err.contains("PATH"), "{err}");
        let err = search_bun(&roots, Some(OsString::from("/nope/bun")), None).expect_err("no bun there");
        assert!(err.contains("$MIZAN_BUN (/nope/bun does not exist)"), "{err}");
    }
}
