//! `index.ts` is React-free: no file it reaches through its imports and
//! re-exports imports React, `@mizan/client/react`, TanStack Query or
//! react-hook-form. `react.ts` reaches every other generated file but
//! `pages.ts`, an entry of its own that neither reaches. Checked
//! on the kitchen-sink fixture's output and on the committed generated
//! directories of `examples/hello` and `examples/broad`.

use std::collections::BTreeMap;

use crate::support::{crate_dir, load_fixture};

/// Generated files by name (`index.ts`).
type Files = BTreeMap<String, String>;

/// Bare module specifiers that bring React in.
fn is_react(spec: &str) -> bool {
    let roots = ["react", "react-dom", "@mizan/client/react", "@tanstack/react-query", "react-hook-form"];
    roots
        .iter()
        .any(|root| spec == *root || spec.strip_prefix(root).is_some_and(|rest| rest.starts_with('/')))
        || spec.starts_with("@hookform/")
}

/// Every module specifier in `text`: `from "m"` (imports and re-exports,
/// one line or several), `import "m"` and `import("m")`.
fn specifiers(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for keyword in ["from", "import"] {
        for (at, _) in text.match_indices(keyword) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.') {
                continue;
            }
            let rest = text[at + keyword.len()..].trim_start();
            let rest = rest.strip_prefix('(').map_or(rest, str::trim_start);
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
            if let Some(end) = rest[1..].find(quote) {
                found.push(rest[1..=end].to_owned());
            }
        }
    }
    found
}

/// The generated file a relative specifier names (`./forms`, `./forms.js`).
fn resolve(files: &Files, spec: &str) -> Result<String, String> {
    let name = spec.strip_prefix("./").ok_or_else(|| format!("`{spec}` leaves the generated directory"))?;
    let stem = name.strip_suffix(".js").or_else(|| name.strip_suffix(".ts")).unwrap_or(name);
    let file = format!("{stem}.ts");
    if files.contains_key(&file) { Ok(file) } else { Err(format!("`{spec}` names no generated file")) }
}

/// What `entry` reaches: every file (in visiting order) and every React
/// import found, as `a.ts → b.ts imports "m"`.
fn reach(files: &Files, entry: &str) -> (Vec<String>, Vec<String>) {
    let (mut seen, mut react) = (Vec::new(), Vec::new());
    let mut stack = vec![(entry.to_owned(), entry.to_owned())];
    while let Some((file, chain)) = stack.pop() {
        if seen.contains(&file) {
            continue;
        }
        seen.push(file.clone());
        let text = files.get(&file).unwrap_or_else(|| panic!("{chain}: no such file"));
        for spec in specifiers(text) {
            if spec.starts_with('.') {
                let next = resolve(files, &spec).unwrap_or_else(|e| panic!("{chain}: {e}"));
                stack.push((next.clone(), format!("{chain} → {next}")));
            } else if is_react(&spec) {
                react.push(format!("{chain} imports \"{spec}\""));
            }
        }
    }
    (seen, react)
}

/// The React-free entry imports no React anywhere it reaches, reaches the
/// React-free modules, and the React entry reaches every other file.
fn assert_split(files: &Files, where_: &str) {
    let (plain, react) = reach(files, "index.ts");
    assert!(react.is_empty(), "{where_}: index.ts must be React-free:\n{}", react.join("\n"));
    for module in ["types.ts", "schemas.ts", "client.ts", "meta.ts"] {
        assert!(plain.iter().any(|f| f == module), "{where_}: index.ts does not reach {module}: {plain:?}");
    }
    let (all, react) = reach(files, "react.ts");
    assert!(all.iter().any(|f| f == "index.ts"), "{where_}: react.ts re-exports index.ts");
    // `pages.ts` is an entry of its own (it imports the components from
    // outside the directory): no other entry reaches it.
    assert!(!all.iter().any(|f| f == "pages.ts"), "{where_}: react.ts must not reach pages.ts");
    let missing: Vec<&String> = files.keys().filter(|f| !all.contains(f) && *f != "pages.ts").collect();
    assert!(missing.is_empty(), "{where_}: react.ts does not reach {missing:?}");
    assert!(
        react.iter().any(|r| r.ends_with("imports \"@mizan/client/react\"")),
        "{where_}: the scan should see @mizan/client/react through react.ts: {react:?}"
    );
    for file in files.keys().filter(|f| !plain.contains(f) && *f != "pages.ts") {
        let (_, react) = reach(files, file);
        assert!(!react.is_empty(), "{where_}: {file} has no React, so it belongs behind index.ts");
    }
}

fn fixture_files() -> Files {
    let generated = mizan_codegen::generate(&load_fixture()).expect("fixture generates");
    generated.iter().map(|(path, text)| (path.to_owned(), text.to_owned())).collect()
}

#[test]
fn the_fixture_index_is_react_free() {
    let files = fixture_files();
    for module in ["channels.ts", "forms.ts", "query-options.ts"] {
        assert!(files.contains_key(module), "the fixture has {module}");
    }
    assert_split(&files, "kitchen-sink fixture");
    // The query factories are React's side: react.ts reaches them, index.ts does not.
    let (plain, _) = reach(&files, "index.ts");
    assert!(!plain.iter().any(|f| f == "query-options.ts"), "index.ts reaches query-options.ts: {plain:?}");
    let (plain, _) = reach(&files, "index.ts");
    for module in ["channels.ts", "forms.ts"] {
        assert!(plain.iter().any(|f| f == module), "index.ts reaches {module}: {plain:?}");
    }
}

/// The committed generated directory of `examples/{example}`, by file name.
fn example_files(example: &str) -> Files {
    let dir = crate_dir().join(format!("../../examples/{example}/frontend/generated"));
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ts"))
        .map(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).expect("UTF-8 name").to_owned();
            (name, std::fs::read_to_string(&path).expect("readable"))
        })
        .collect()
}

#[test]
fn the_hello_generated_directory_is_react_free() {
    let files = example_files("hello");
    for module in [
        "index.ts",
        "react.ts",
        "forms.ts",
        "form-hooks.ts",
        "contexts.ts",
        "channel-hooks.ts",
        "query-options.ts",
    ] {
        assert!(files.contains_key(module), "hello's generated directory has {module}");
    }
    assert_split(&files, "examples/hello/frontend/generated");
}

#[test]
fn the_broad_generated_directory_is_react_free() {
    let files = example_files("broad");
    for module in ["index.ts", "react.ts", "forms.ts", "form-hooks.ts", "query-options.ts"] {
        assert!(files.contains_key(module), "broad's generated directory has {module}");
    }
    assert_split(&files, "examples/broad/frontend/generated");
}

/// The scan sees React wherever it hides: a re-export of a hook module, a
/// named re-export, a multi-line import, a `.js` specifier, a side-effect
/// or dynamic import.
#[test]
fn the_scan_finds_react_through_re_exports() {
    let mut files = fixture_files();
    let index = files["index.ts"].clone();
    for (extra, culprit) in [
        ("export * from \"./hooks\";\n", "index.ts → hooks.ts imports \"@mizan/client/react\""),
        ("export { useContactForm } from './form-hooks.js';\n", "index.ts → form-hooks.ts imports"),
        (
            "export { listPostsQueryOptions } from \"./query-options.js\";\n",
            "index.ts → query-options.ts imports \"@mizan/client/react\"",
        ),
        ("import {\n  useState,\n  type ReactNode,\n} from \"react\";\n", "index.ts imports \"react\""),
        ("import \"react-dom/client\";\n", "index.ts imports \"react-dom/client\""),
        ("const rq = import(\"@tanstack/react-query\");\n", "index.ts imports \"@tanstack/react-query\""),
        ("export type { UseFormReturn } from \"react-hook-form\";\n", "index.ts imports \"react-hook-form\""),
    ] {
        files.insert("index.ts".to_owned(), format!("{index}{extra}"));
        let (_, react) = reach(&files, "index.ts");
        assert!(
            react.iter().any(|r| r.starts_with(culprit)),
            "{extra:?} should be found as {culprit:?}: {react:?}"
        );
    }
    // A hook module moved behind index.ts is caught by the whole check too.
    files.insert("index.ts".to_owned(), format!("{index}export * from \"./contexts\";\n"));
    let caught = std::panic::catch_unwind(|| assert_split(&files, "tampered"));
    assert!(caught.is_err(), "a React module behind index.ts must fail the check");
}
