//! `contexts.ts`: the hooks of context functions, on the runtime's
//! `useGlobalContext`, `createLocalContext` and `useLocalContext`. A global
//! context `current_user` gets `useCurrentUser(options?)`, hydrated from the
//! server-rendered page; a local context `greet(name)` gets
//! `<GreetProvider name=…>` and `useGreet()`. Emitted only when there are
//! context functions.

use super::{header, import, sibling, with_doc};
use crate::model::Model;
use crate::names::js_string;
use crate::render::doc_comment;

/// The module name and contents, when there are context functions.
pub(super) fn emit(model: &Model<'_>) -> Option<(&'static str, String)> {
    if model.contexts.is_empty() {
        return None;
    }
    let globals = model.contexts.iter().any(|c| c.provider.is_none());
    let locals = model.contexts.iter().any(|c| c.provider.is_some());
    let mut out = header(
        "Context hooks: global contexts hydrated from the server-rendered page, local context providers.",
    );
    let mut runtime = Vec::new();
    if locals {
        runtime.push("createLocalContext".to_owned());
    }
    if globals {
        runtime.push("useGlobalContext".to_owned());
    }
    if locals {
        runtime.push("useLocalContext".to_owned());
    }
    runtime.push("type ContextQuery".to_owned());
    if locals {
        runtime.push("type LocalContextProvider".to_owned());
    }
    if globals {
        runtime.push("type QueryHookOptions".to_owned());
    }
    out.push_str(&import(&runtime, "@mizan/client/react", false));
    let functions: Vec<_> = model.contexts.iter().map(|c| (c, &model.functions[c.function])).collect();
    let mut clients: Vec<String> = functions.iter().map(|(_, f)| f.client.clone()).collect();
    clients.sort();
    out.push_str(&import(&clients, &sibling("client"), false));
    let mut types: Vec<String> =
        functions.iter().flat_map(|(_, f)| [f.input_name.clone(), f.output_name.clone()]).collect();
    types.sort();
    out.push_str(&import(&types, &sibling("types"), true));
    for (c, f) in functions {
        let name = f.f.name;
        let output = &f.output_name;
        out.push('\n');
        match &c.provider {
            None => {
                let usage = format!(
                    "Global context `{name}`: on a server-rendered page the first render\n\
                     already has the value (or error) the server rendered with: no loading state.\n\
                     `refetch()`, or a mutation invalidating `{name}`, fetches it again;\n\
                     without a server-rendered value it is fetched like a query."
                );
                out.push_str(&doc_comment(Some(&with_doc(f.f.doc, &usage)), false, 0));
                out.push_str(&format!(
                    "export function {}(options?: QueryHookOptions<{output}>): ContextQuery<{output}> {{\n  return useGlobalContext<{}, {output}>({}, {}, options);\n}}\n",
                    c.hook,
                    f.input_name,
                    js_string(name),
                    f.client
                ));
            }
            Some(provider) => {
                let usage = format!(
                    "Local context `{name}`: calls `{name}` with its props (all but `children`)\n\
                     for the components inside, which read the query with `{}()`.",
                    c.hook
                );
                out.push_str(&doc_comment(Some(&with_doc(f.f.doc, &usage)), false, 0));
                out.push_str(&format!(
                    "export const {provider}: LocalContextProvider<{}, {output}> = /* @__PURE__ */ createLocalContext(\n  {},\n  {},\n  {},\n);\n",
                    f.input_name,
                    js_string(name),
                    f.client,
                    js_string(provider)
                ));
                out.push('\n');
                let usage =
                    format!("The `{name}` query of the nearest `<{provider}>`; throws when there is none.");
                out.push_str(&doc_comment(Some(&usage), false, 0));
                out.push_str(&format!(
                    "export function {}(): ContextQuery<{output}> {{\n  return useLocalContext({provider});\n}}\n",
                    c.hook
                ));
            }
        }
    }
    Some(("contexts", out))
}
