//! The dependency rules ARCHITECTURE.md states, checked: crates from
//! `cargo metadata`, the core's modules and the TypeScript packages from
//! their imports.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    crate::support::repo_root()
}

/// Every workspace package's declared dependencies (all kinds), by name.
fn declared_dependencies() -> Vec<(String, Vec<String>)> {
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    let meta: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON");
    meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .map(|d| d["name"].as_str().expect("name").to_owned())
                .collect();
            (p["name"].as_str().expect("name").to_owned(), deps)
        })
        .collect()
}

fn deps_of<'a>(all: &'a [(String, Vec<String>)], name: &str) -> &'a [String] {
    &all.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no workspace package {name}")).1
}

#[test]
fn crates_depend_only_downwards() {
    let all = declared_dependencies();
    // Codegen and the standalone CLI serve other backends: never the server.
    for name in ["mizan-codegen", "mizan-cli"] {
        assert!(!deps_of(&all, name).iter().any(|d| d == "mizan"), "{name} depends on mizan");
    }
    // The manifest crate is the bottom: core and codegen both read it.
    for forbidden in ["mizan", "mizan-codegen", "mizan-macros"] {
        assert!(
            !deps_of(&all, "mizan-manifest").iter().any(|d| d == forbidden),
            "mizan-manifest depends on {forbidden}"
        );
    }
    assert!(deps_of(&all, "mizan").iter().any(|d| d == "mizan-manifest"));
    assert!(deps_of(&all, "mizan-codegen").iter().any(|d| d == "mizan-manifest"));
    // Proc macros only: no runtime crate of ours behind them.
    for d in deps_of(&all, "mizan-macros") {
        assert!(!d.starts_with("mizan"), "mizan-macros depends on {d}");
    }
}

/// Every `.rs` file below `dir`, with its text.
fn rust_files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("read");
                out.push((path, text));
            }
        }
    }
    assert!(!out.is_empty(), "no Rust files under {}", dir.display());
    out
}

/// Whether `text` uses `word` as a whole identifier.
fn names(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}

#[test]
fn feature_modules_never_name_the_runtime() {
    let src = root().join("crates/mizan/src");
    for feature in ["channel", "forms", "ssr", "accounts"] {
        for (path, text) in rust_files(&src.join(feature)) {
            // Code only (comments may say "runtime"), tokio's runtime aside.
            for (n, line) in text.lines().enumerate() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                let line = line.replace("tokio::runtime::", "");
                assert!(
                    !names(&line, "Runtime") && !line.contains("crate::runtime"),
                    "{}:{} names the app's runtime: {line}",
                    path.display(),
                    n + 1
                );
            }
        }
    }
    // The check can see a use: the wiring layer does name it.
    assert!(names(&std::fs::read_to_string(src.join("http/mod.rs")).expect("read"), "Runtime"));
}

#[test]
fn no_feature_is_wired_by_cfg_in_the_builder_or_the_cli() {
    let src = root().join("crates/mizan/src");
    for dir in ["app", "cli"] {
        for (path, text) in rust_files(&src.join(dir)) {
            assert!(!text.contains("cfg(feature"), "{} wires a feature by cfg", path.display());
        }
    }
}

/// The module specifiers a TypeScript file imports or re-exports.
fn imports(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for (i, _) in text
        .match_indices("from \"")
        .chain(text.match_indices("import(\""))
        .chain(text.match_indices("import \""))
    {
        let rest = &text[i..];
        let start = rest.find('"').expect("quote") + 1;
        let end = rest[start..].find('"').expect("closing quote");
        out.push(rest[start..start + end].to_owned());
    }
    out
}

fn ts_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "ts" || e == "tsx") {
                out.push(path);
            }
        }
    }
    out
}

const REACT: &[&str] = &[
    "react",
    "react-dom",
    "@tanstack/react-query",
    "react-hook-form",
    "@hookform/resolvers",
    "@mizan/client/react",
];

fn is_react(spec: &str) -> bool {
    REACT.iter().any(|r| spec == *r || spec.starts_with(&format!("{r}/")))
        || spec.contains("/react/")
        || spec.starts_with("./react")
}

#[test]
fn packages_import_only_what_their_layer_may() {
    let packages = root().join("packages");
    let client = packages.join("client/src");
    let mut core_files = 0;
    for path in ts_files(&client) {
        let specs = imports(&path);
        assert!(
            !specs.iter().any(|s| s.starts_with("@mizan/ssr")),
            "{}: the client never depends on @mizan/ssr",
            path.display()
        );
        if path.starts_with(client.join("react")) {
            continue;
        }
        core_files += 1;
        for spec in specs {
            assert!(!is_react(&spec), "{}: the client core imports {spec}", path.display());
        }
    }
    assert!(core_files > 5, "the client core was not found");
    // The SSR worker renders with the component's own react-dom/server: it
    // never imports the browser's React client or mizan's React runtime
    // (`MizanRoot` is loaded from the component's directory, like React).
    let worker = imports(&packages.join("ssr/src/worker.ts"));
    assert!(!worker.is_empty());
    for spec in &worker {
        assert!(
            !(spec.starts_with("react-dom/client") || spec.starts_with("@mizan/client/react")),
            "the SSR worker imports {spec}"
        );
    }
    // The browser entry never pulls the server renderer into a bundle.
    for spec in imports(&packages.join("ssr/src/hydrate.tsx")) {
        assert!(!spec.starts_with("react-dom/server"), "hydrate imports {spec}");
    }
}
