//! `client.ts`: one typed async function per server function; a stream
//! function's returns an async iterator of its items.

use super::{header, import, sibling, with_doc};
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
    if model.functions.iter().any(|f| f.f.upload.is_some()) {
        out.push_str("import { getClient, type CallOptions, type UploadOptions } from \"@mizan/client\";\n");
    } else {
        out.push_str("import { getClient, type CallOptions } from \"@mizan/client\";\n");
    }
    let mut types: Vec<String> =
        model.functions.iter().flat_map(|f| [f.input_name.clone(), f.output_name.clone()]).collect();
    types.sort();
    out.push_str(&import(&types, &sibling("types"), true));
    for f in &model.functions {
        out.push('\n');
        let default = if f.input_optional() { " = {}" } else { "" };
        let mut usage = Vec::new();
        if f.f.stream {
            usage.push(format!(
                "Streams its output: an async iterator of `{}` items as they arrive (`for await`),\n\
                 never batched. Leaving the loop early, or aborting `opts.signal`, ends the request.",
                f.output_name
            ));
        }
        if let Some(u) = f.f.upload {
            usage.push(format!(
                "Takes files (`{}`): sent as multipart/form-data, never batched.\n\
                 `opts.onUploadProgress` reports the body's progress (through XMLHttpRequest).",
                u.arg
            ));
        }
        if let Some(errors) = &f.errors {
            let verb = if f.f.stream { "Throws" } else { "Rejects with" };
            usage.push(format!("{verb} a `{}`: narrow it with `{}(e, code)`.", errors.union, errors.guard));
        }
        if usage.is_empty() {
            out.push_str(&doc_comment(f.f.doc, false, 0));
        } else {
            out.push_str(&doc_comment(Some(&with_doc(f.f.doc, &usage.join("\n\n"))), false, 0));
        }
        if f.f.stream {
            out.push_str(&format!(
                "export function {}(args: {}{default}, opts?: CallOptions): AsyncGenerator<{}, void, undefined> {{\n",
                f.client, f.input_name, f.output_name
            ));
            out.push_str(&format!(
                "  return getClient().stream<{}>({}, args, {{ ...opts, query: {} }});\n}}\n",
                f.output_name,
                js_string(f.f.name),
                f.f.kind == Kind::Query
            ));
            continue;
        }
        if let Some(u) = f.f.upload {
            out.push_str(&format!(
                "export function {}(args: {}, opts?: UploadOptions): Promise<{}> {{\n",
                f.client, f.input_name, f.output_name
            ));
            out.push_str(&format!(
                "  return getClient().upload<{}>({}, {{ ...args }}, {}, opts);\n}}\n",
                f.output_name,
                js_string(f.f.name),
                js_string(&u.arg)
            ));
            continue;
        }
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
