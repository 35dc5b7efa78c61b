//! `client.ts`: one typed async function per server function.

use super::{header, import, sibling};
use crate::manifest::Kind;
use crate::model::Model;
use crate::names::js_string;
use crate::render::doc_comment;

pub(super) fn emit(model: &Model<'_>) -> String {
    let mut out = header("Typed client functions: one per server function.");
    if model.functions.is_empty() {
        out.push_str("\nexport {};\n");
        return out;
    }
    out.push_str("import { getClient, type CallOptions } from \"@mizan/client\";\n");
    let mut types: Vec<String> =
        model.functions.iter().flat_map(|f| [f.input_name.clone(), f.output_name.clone()]).collect();
    types.sort();
    out.push_str(&import(&types, &sibling("types"), true));
    for f in &model.functions {
        out.push('\n');
        out.push_str(&doc_comment(f.f.doc, false, 0));
        let default = if f.input_optional() { " = {}" } else { "" };
        out.push_str(&format!(
            "export function {}(args: {}{default}, opts?: CallOptions): Promise<{}> {{\n",
            f.client, f.input_name, f.output_name
        ));
        out.push_str(&format!(
            "  return getClient().call<{}>({}, args, {{ ...opts, query: {} }});\n}}\n",
            f.output_name,
            js_string(f.f.name),
            f.f.kind == Kind::Query
        ));
    }
    out
}
