//! `query-options.ts`: a TanStack Query `queryOptions` factory per query
//! (`listPostsQueryOptions(args)`), on the runtime's `mizanQueryOptions`, so
//! it has the very key and function of the query hooks: a prefetch fills the
//! cache the hooks read; and per cursor query an `infiniteQueryOptions`
//! factory (`feedInfiniteQueryOptions(args)`, on `mizanInfiniteQueryOptions`),
//! keyed like its infinite-query hook. Emitted only when there are queries
//! with hooks (streams have none).

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
    let infinite: Vec<_> = model
        .functions
        .iter()
        .filter_map(|f| Some((f, f.infinite_query_options.as_ref()?, f.infinite_hook.as_ref()?)))
        .collect();
    if factories.is_empty() && infinite.is_empty() {
        return None;
    }
    let mut out = header("TanStack Query `queryOptions` factories for the queries, keyed like their hooks.");
    let mut runtime = Vec::new();
    if !infinite.is_empty() {
        runtime.push("mizanInfiniteQueryOptions".to_owned());
    }
    if !factories.is_empty() {
        runtime.push("mizanQueryOptions".to_owned());
    }
    if !infinite.is_empty() {
        runtime.push("type MizanInfiniteQueryOptions".to_owned());
    }
    if !factories.is_empty() {
        runtime.push("type MizanQueryOptions".to_owned());
    }
    out.push_str(&import(&runtime, "@mizan/client/react", false));
    let mut clients: Vec<String> =
        factories.iter().chain(&infinite).map(|(f, ..)| f.client.clone()).collect();
    clients.sort();
    clients.dedup();
    out.push_str(&import(&clients, &sibling("client"), false));
    let mut types: Vec<String> = factories
        .iter()
        .chain(&infinite)
        .flat_map(|(f, ..)| [f.input_name.clone(), f.output_name.clone()])
        .collect();
    types.sort();
    types.dedup();
    out.push_str(&import(&types, &sibling("types"), true));
    let mut unions: Vec<String> =
        factories.iter().filter_map(|(f, ..)| Some(f.errors.as_ref()?.union.clone())).collect();
    unions.sort();
    out.push_str(&import(&unions, &sibling("errors"), true));
    for (f, name, hook) in factories {
        let infinite = infinite.iter().find(|(g, ..)| std::ptr::eq(*g, f));
        let usage = format!(
            "Query options of `{}(args)`, keyed like `{hook}(args)`: for `useQuery`,\n\
             `useSuspenseQuery`, `useQueries`, `queryClient.prefetchQuery` and `ensureQueryData`.",
            f.client
        );
        let default = if f.input_optional() { " = {}" } else { "" };
        out.push('\n');
        out.push_str(&doc_comment(Some(&with_doc(f.f.doc, &usage)), false, 0));
        let (types, call) = match &f.errors {
            None => (f.output_name.clone(), String::new()),
            Some(errors) => (
                format!("{}, {}", f.output_name, errors.union),
                format!("<{}, {}, {}>", f.input_name, f.output_name, errors.union),
            ),
        };
        out.push_str(&format!(
            "export function {name}(args: {}{default}): MizanQueryOptions<{types}> {{\n  return mizanQueryOptions{call}({}, {}, args);\n}}\n",
            f.input_name,
            js_string(f.f.name),
            f.client
        ));
        if let Some((f, name, hook)) = infinite {
            let usage = format!(
                "Infinite query options of `{}`, keyed like `{hook}(args)` (`args`: all but `cursor`):\n\
                 for `useInfiniteQuery`, `useSuspenseInfiniteQuery`, `queryClient.prefetchInfiniteQuery`\n\
                 and `fetchInfiniteQuery`; each page's `next_cursor` is the next page's `cursor`.",
                f.client
            );
            out.push('\n');
            out.push_str(&doc_comment(Some(&with_doc(f.f.doc, &usage)), false, 0));
            out.push_str(&format!(
                "export function {name}(args: Omit<{}, \"cursor\">{default}): MizanInfiniteQueryOptions<{}> {{\n  return mizanInfiniteQueryOptions({}, {}, args);\n}}\n",
                f.input_name,
                f.output_name,
                js_string(f.f.name),
                f.client
            ));
        }
    }
    Some(("query-options", out))
}
