//! `index.ts`: re-exports every React-free module and the runtime's error.

use super::{header, sibling};

pub(super) fn emit(modules: &[&str]) -> String {
    let mut out =
        header("Entry point, React-free: re-exports the modules without React and the runtime's MizanError.");
    out.push('\n');
    for module in modules {
        out.push_str(&format!("export * from \"{}\";\n", sibling(module)));
    }
    out.push_str("export { MizanError } from \"@mizan/client\";\n");
    out
}
