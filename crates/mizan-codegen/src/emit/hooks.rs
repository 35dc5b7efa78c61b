//! `hooks.ts`: TanStack Query hooks: per query a query hook and its suspense
//! variant (`useListPostsSuspense`, on `useSuspenseQuery`, with the same
//! key), per mutation a mutation hook. Context functions get no hook here
//! (their context hooks are in `contexts.ts`).

use super::{header, import, sibling, with_doc};
use crate::manifest::Kind;
use crate::model::{FnModel, Model};
use crate::names::js_string;
use crate::render::doc_comment;

pub(super) fn emit(model: &Model<'_>) -> String {
    let mut out = header("React hooks (TanStack Query) for the client functions.");
    let hooked: Vec<_> = model.functions.iter().filter(|f| f.hook.is_some()).collect();
    if hooked.is_empty() {
        out.push_str("\nexport {};\n");
        return out;
    }
    let queries = hooked.iter().any(|f| f.f.kind == Kind::Query);
    let mutations = hooked.iter().any(|f| f.f.kind == Kind::Mutation);
    let mut runtime = Vec::new();
    if mutations {
        runtime.push("useMizanMutation".to_owned());
    }
    if queries {
        runtime.push("useMizanQuery".to_owned());
        runtime.push("useMizanSuspenseQuery".to_owned());
    }
    if mutations {
        runtime.push("type MutationHookOptions".to_owned());
    }
    if queries {
        runtime.push("type QueryHookOptions".to_owned());
        runtime.push("type SuspenseQueryHookOptions".to_owned());
    }
    out.push_str(&import(&runtime, "@mizan/client/react", false));
    let mut clients: Vec<String> = hooked.iter().map(|f| f.client.clone()).collect();
    clients.sort();
    out.push_str(&import(&clients, &sibling("client"), false));
    let mut types: Vec<String> =
        hooked.iter().flat_map(|f| [f.input_name.clone(), f.output_name.clone()]).collect();
    types.sort();
    out.push_str(&import(&types, &sibling("types"), true));
    for f in hooked {
        let Some(hook) = &f.hook else { continue };
        out.push('\n');
        out.push_str(&doc_comment(f.f.doc, false, 0));
        match f.f.kind {
            Kind::Query => {
                out.push_str(&query_hook(f, hook, "useMizanQuery", "QueryHookOptions"));
                if let Some(suspense) = &f.suspense_hook {
                    let usage = format!(
                        "`{hook}` for `<Suspense>`: the component suspends until the data is there, so\n\
                         `data` is always defined; a failure is thrown to the nearest error boundary."
                    );
                    out.push('\n');
                    out.push_str(&doc_comment(Some(&with_doc(f.f.doc, &usage)), false, 0));
                    out.push_str(&query_hook(
                        f,
                        suspense,
                        "useMizanSuspenseQuery",
                        "SuspenseQueryHookOptions",
                    ));
                }
            }
            Kind::Mutation => {
                let invalidates: Vec<String> = f.f.invalidates.iter().map(|n| js_string(n)).collect();
                out.push_str(&format!(
                    "export function {hook}(options?: MutationHookOptions<{}, {}>) {{\n  return useMizanMutation({}, [{}] as const, options);\n}}\n",
                    f.output_name,
                    f.input_name,
                    f.client,
                    invalidates.join(", ")
                ));
            }
        }
    }
    out
}

/// `export function {name}(args, options?) { return {runtime}("wire", fn, args, options); }`.
fn query_hook(f: &FnModel<'_>, name: &str, runtime: &str, options: &str) -> String {
    let default = if f.input_optional() { " = {}" } else { "" };
    format!(
        "export function {name}(args: {}{default}, options?: {options}<{}>) {{\n  return {runtime}({}, {}, args, options);\n}}\n",
        f.input_name,
        f.output_name,
        js_string(f.f.name),
        f.client
    )
}
