//! `query-options.ts`: a TanStack Query `queryOptions` factory per query
//! (`listPostsQueryOptions(args)`), on the runtime's `mizanQueryOptions`, so
//! it has the very key and function of the query hooks: a prefetch fills the
//! cache the hooks read. Emitted only when there are queries with hooks.

use super::{header, import, sibling, with_doc};
use crate::model::Model;
use crate::names::js_string;
use crate::render::doc_comment;

/// The module name and contents, when there are queries with hooks.
pub(super) fn emit(model: &Model<'_>) -> Option<(&'static str, String)> {
    let factories: Vec<_> = model
        .functions
        .iter()
        .filter_map(|f| Some((f, f.query_options.as_ref()?, f.hook.as_ref()?)))
        .collect();
    if factories.is_empty() {
        return None;
    }
    let mut out = header("TanStack Query `queryOptions` factories for the queries, keyed like their hooks.");
    out.push_str("import { mizanQueryOptions, type MizanQueryOptions } from \"@mizan/client/react\";\n");
    let mut clients: Vec<String> = factories.iter().map(|(f, ..)| f.client.clone()).collect();
    clients.sort();
    out.push_str(&import(&clients, &sibling("client"), false));
    let mut types: Vec<String> =
        factories.iter().flat_map(|(f, ..)| [f.input_name.clone(), f.output_name.clone()]).collect();
    types.sort();
    out.push_str(&import(&types, &sibling("types"), true));
    for (f, name, hook) in factories {
        let usage = format!(
            "Query options of `{}(args)`, keyed like `{hook}(args)`: for `useQuery`,\n\
             `useSuspenseQuery`, `useQueries`, `queryClient.prefetchQuery` and `ensureQueryData`.",
            f.client
        );
        let default = if f.input_optional() { " = {}" } else { "" };
        out.push('\n');
        out.push_str(&doc_comment(Some(&with_doc(f.f.doc, &usage)), false, 0));
        out.push_str(&format!(
            "export function {name}(args: {}{default}): MizanQueryOptions<{}> {{\n  return mizanQueryOptions({}, {}, args);\n}}\n",
            f.input_name,
            f.output_name,
            js_string(f.f.name),
            f.client
        ));
    }
    Some(("query-options", out))
}
