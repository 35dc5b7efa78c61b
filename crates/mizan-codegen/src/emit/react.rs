//! `react.ts`: the React entry point. Re-exports `index.ts` (so a React app
//! needs one import) and every module with hooks, providers or query
//! factories. Always emitted, like `index.ts`, so the import path never
//! depends on what the manifest holds.

use super::{header, sibling};

pub(super) fn emit(modules: &[&str]) -> String {
    let mut out = header(
        "React entry point: everything index.ts exports, and every hook, provider and query factory (imports React).",
    );
    out.push('\n');
    out.push_str(&format!("export * from \"{}\";\n", sibling("index")));
    for module in modules {
        out.push_str(&format!("export * from \"{}\";\n", sibling(module)));
    }
    out
}
