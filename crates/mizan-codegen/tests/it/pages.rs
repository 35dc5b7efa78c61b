//! `pages.ts`: written only for a manifest with pages, never re-exported by
//! `index.ts`; its props types, `href` helpers, and the type-level check
//! that each component accepts its page's props, run through the real
//! `tsc` under the strict flags with `bundler` and `nodenext`: a component
//! that agrees compiles, one whose props disagree with the page's FAILS.
//!
//! Needs `npm ci` at the workspace root.

use std::process::Command;

use serde_json::json;

fn manifest(component: &str) -> serde_json::Value {
    json!({
        "version": 1,
        "functions": [{
            "name": "ping", "kind": "query", "auth": "public", "context": null, "invalidates": [],
            "doc": null, "args": [],
            "input": { "type": "object", "properties": {}, "additionalProperties": false },
            "output": { "type": "string" }
        }],
        "channels": [],
        "forms": [],
        "input_defs": {},
        "output_defs": {
            "CardProps": {
                "type": "object",
                "properties": { "count": { "type": "integer", "format": "uint32", "minimum": 0 } },
                "required": ["count"]
            }
        },
        "pages": [
            { "name": "card", "route": "/cards/{id}/", "component": component, "auth": "public",
              "doc": "One card.", "props": { "$ref": "#/$defs/CardProps" } },
            { "name": "home", "route": "/", "component": "components/Home.tsx", "props": { "type": "object" } }
        ]
    })
}

#[test]
fn pages_ts_is_its_own_entry() {
    let files = mizan_codegen::generate(&manifest("components/Card.tsx")).expect("generates");
    let pages = files.get("pages.ts").expect("pages.ts");
    assert!(pages.contains("import type CardPageComponent from \"../components/Card.js\";"), "{pages}");
    assert!(pages.contains("export type CardPageProps = CardProps;"), "{pages}");
    assert!(
        pages.contains("export function cardHref(params: { readonly id: string | number }): string {\n  return `/cards/${encodeURIComponent(String(params.id))}/`;\n}"),
        "{pages}"
    );
    assert!(pages.contains("export function homeHref(): string {\n  return \"/\";\n}"), "{pages}");
    let index = files.get("index.ts").expect("index.ts");
    assert!(!index.contains("pages"), "index.ts stays React-free: {index}");
    let other = mizan_codegen::generate_with(
        &manifest("Card.tsx"),
        &mizan_codegen::Options::default().pages_root("../../web"),
    )
    .expect("generates");
    assert!(other.get("pages.ts").expect("pages.ts").contains("from \"../../web/Card.js\";"));
    let none = mizan_codegen::generate(&json!({"version": 1, "functions": [], "channels": [], "forms": []}))
        .expect("generates");
    assert!(none.get("pages.ts").is_none(), "no pages, no pages.ts");
}

#[test]
fn a_bad_route_or_component_is_refused() {
    let mut m = manifest("components/Card.tsx");
    m["pages"][0]["route"] = json!("cards/");
    let err = mizan_codegen::generate(&m).expect_err("refused").to_string();
    assert!(err.contains("page `card`: route `cards/` must start with `/`"), "{err}");
    let err = mizan_codegen::generate(&manifest("../Card.tsx")).expect_err("refused").to_string();
    assert!(err.contains("must be a path relative to the SSR dirs"), "{err}");
}

/// Writes the generated files of `manifest("components/Card.tsx")` and
/// `card` as `components/Card.tsx` into a fresh project under `target/`
/// (so React's types resolve from the workspace), then runs `tsc` with
/// `resolution`; returns whether it passed and its output.
fn type_check(tag: &str, card: &str, resolution: &str) -> (bool, String) {
    let root = crate::support::workspace_root();
    let tsc = root.join("node_modules/.bin/tsc");
    assert!(tsc.exists(), "{} not found: run `npm ci` at the workspace root", tsc.display());
    let dir = root.join(format!("target/codegen-pages-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("components")).expect("dir");
    let files = mizan_codegen::generate(&manifest("components/Card.tsx")).expect("generates");
    mizan_codegen::write(&dir.join("generated"), &files).expect("written");
    std::fs::write(dir.join("components/Card.tsx"), card).expect("write");
    std::fs::write(
        dir.join("components/Home.tsx"),
        "export default function Home() {\n  return <p>home</p>;\n}\n",
    )
    .expect("write");
    let base = root.join("tsconfig.base.json");
    let config = json!({
        "extends": base.to_string_lossy(),
        "compilerOptions": {
            "noEmit": true, "types": [], "module": resolution_module(resolution), "moduleResolution": resolution,
            "noUnusedLocals": true
        },
        "include": ["components", "generated"]
    });
    std::fs::write(dir.join("tsconfig.json"), config.to_string()).expect("write");
    let output =
        Command::new(&tsc).args(["-p", "tsconfig.json"]).current_dir(&dir).output().expect("tsc runs");
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let _ = std::fs::remove_dir_all(&dir);
    (output.status.success(), text)
}

fn resolution_module(resolution: &str) -> &'static str {
    if resolution == "NodeNext" { "NodeNext" } else { "ESNext" }
}

const AGREES: &str = "import type { CardProps } from \"../generated/index.js\";\n\
    export default function Card({ count }: CardProps) {\n  return <p>{count}</p>;\n}\n";

/// `count` became a string in the component, not in Rust.
const DISAGREES: &str = "export default function Card({ count }: { count: string }) {\n  return <p>{count.toUpperCase()}</p>;\n}\n";

/// The component needs a prop the page does not send.
const WANTS_MORE: &str = "export default function Card({ count, title }: { count: number; title: string }) {\n  \
    return <p>{title}{count}</p>;\n}\n";

#[test]
fn a_component_that_accepts_its_props_compiles_and_one_that_does_not_fails() {
    for resolution in ["Bundler", "NodeNext"] {
        let (ok, out) = type_check(&format!("agrees-{resolution}"), AGREES, resolution);
        assert!(ok, "{resolution}: the agreeing component compiles:\n{out}");
        for (tag, card) in [("disagrees", DISAGREES), ("wants-more", WANTS_MORE)] {
            let (ok, out) = type_check(&format!("{tag}-{resolution}"), card, resolution);
            assert!(!ok, "{resolution}: {tag} must fail tsc");
            assert!(
                out.contains("generated/pages.ts") && out.contains("TS2344"),
                "{resolution}: the check fails: {out}"
            );
        }
    }
}

#[test]
fn layouts_are_imported_once_and_checked_for_children() {
    let mut m = manifest("components/Card.tsx");
    m["pages"][0]["layouts"] = json!(["components/Outer.tsx", "components/Inner.tsx"]);
    m["pages"][1]["layouts"] = json!(["components/Outer.tsx"]);
    let files = mizan_codegen::generate(&m).expect("generates");
    let pages = files.get("pages.ts").expect("pages.ts");
    assert!(pages.contains("import type { ReactNode } from \"react\";"), "{pages}");
    assert_eq!(
        pages.matches("import type MizanLayout0 from \"../components/Outer.js\";").count(),
        1,
        "{pages}"
    );
    assert!(pages.contains("import type MizanLayout1 from \"../components/Inner.js\";"), "{pages}");
    assert!(
        pages.contains(
            "export type MizanLayout1Checked = MizanPageCheck<MizanAcceptsProps<typeof MizanLayout1, { children: ReactNode }>>;"
        ),
        "{pages}"
    );
    assert!(pages.contains("layouts: [\"components/Outer.tsx\", \"components/Inner.tsx\"] },"), "{pages}");
    // Without layouts, nothing of them.
    let plain = mizan_codegen::generate(&manifest("components/Card.tsx")).expect("generates");
    let plain = plain.get("pages.ts").expect("pages.ts");
    assert!(!plain.contains("ReactNode") && !plain.contains("layouts"), "{plain}");

    m["pages"][1]["layouts"] = json!(["../Outer.tsx"]);
    let err = mizan_codegen::generate(&m).expect_err("refused").to_string();
    assert!(err.contains("page `home`: layout `../Outer.tsx` must be a path relative"), "{err}");
}
