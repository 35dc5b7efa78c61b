//! `hooks.ts`: TanStack Query hooks: per query a query hook and its suspense
//! variant (`useListPostsSuspense`, on `useSuspenseQuery`, with the same
//! key), per cursor query also its infinite-query hook (`useFeedInfinite`,
//! on `useInfiniteQuery`), per mutation a mutation hook; per stream function
//! a stream hook (`useCountdown(args)` → items, status, error, cancel; a
//! stream mutation's starts on `start(args)`). Context functions get no hook
//! here (their context hooks are in `contexts.ts`).

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
    let queries = hooked.iter().any(|f| f.f.kind == Kind::Query && !f.f.stream);
    let mutations = hooked.iter().any(|f| f.f.kind == Kind::Mutation && !f.f.stream);
    let stream_queries = hooked.iter().any(|f| f.f.kind == Kind::Query && f.f.stream);
    let stream_mutations = hooked.iter().any(|f| f.f.kind == Kind::Mutation && f.f.stream);
    let infinite = hooked.iter().any(|f| f.infinite_hook.is_some());
    let mut runtime = Vec::new();
    let mut types = Vec::new();
    for (used, value, ty) in [
        (infinite, "useMizanInfiniteQuery", "InfiniteQueryHookOptions"),
        (mutations, "useMizanMutation", "MutationHookOptions"),
        (queries, "useMizanQuery", "QueryHookOptions"),
        (stream_queries, "useMizanStream", "StreamHookOptions"),
        (stream_mutations, "useMizanStreamMutation", "StreamMutationHookOptions"),
        (queries, "useMizanSuspenseQuery", "SuspenseQueryHookOptions"),
    ] {
        if used {
            runtime.push(value.to_owned());
            types.push(format!("type {ty}"));
        }
    }
    types.sort();
    runtime.extend(types);
    if hooked.iter().any(|f| f.f.upload.is_some()) {
        out.push_str(&import(&["UploadOptions".to_owned()], "@mizan/client", true));
    }
    out.push_str(&import(&runtime, "@mizan/client/react", false));
    let mut clients: Vec<String> = hooked.iter().map(|f| f.client.clone()).collect();
    clients.sort();
    out.push_str(&import(&clients, &sibling("client"), false));
    let mut types: Vec<String> =
        hooked.iter().flat_map(|f| [f.input_name.clone(), f.output_name.clone()]).collect();
    types.sort();
    out.push_str(&import(&types, &sibling("types"), true));
    let mut unions: Vec<String> =
        hooked.iter().filter_map(|f| Some(f.errors.as_ref()?.union.clone())).collect();
    unions.sort();
    out.push_str(&import(&unions, &sibling("errors"), true));
    for f in hooked {
        let Some(hook) = &f.hook else { continue };
        out.push('\n');
        if f.f.stream {
            let usage = match f.f.kind {
                Kind::Query => {
                    "Its items in React state, streamed while mounted (again when `args` change):\n\
                                `{ items, status, error, cancel }`; unmounting or `cancel()` ends the request."
                }
                Kind::Mutation => {
                    "Its items in React state once `start(args)` runs:\n\
                                   `{ items, status, error, cancel, start }`; unmounting or `cancel()` ends the request."
                }
            };
            out.push_str(&doc_comment(Some(&with_doc(f.f.doc, usage)), false, 0));
        } else {
            out.push_str(&doc_comment(f.f.doc, false, 0));
        }
        match f.f.kind {
            Kind::Query if f.f.stream => {
                out.push_str(&query_hook(f, hook, "useMizanStream", "StreamHookOptions"));
            }
            Kind::Mutation if f.f.stream => {
                let invalidates: Vec<String> = f.f.invalidates.iter().map(|n| js_string(n)).collect();
                out.push_str(&format!(
                    "export function {hook}(options?: StreamMutationHookOptions<{}>) {{\n  return useMizanStreamMutation({}, [{}] as const, options);\n}}\n",
                    f.output_name,
                    f.client,
                    invalidates.join(", ")
                ));
            }
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
                if let Some(infinite) = &f.infinite_hook {
                    let usage = format!(
                        "`{hook}`'s pages on `useInfiniteQuery` (`args`: all but `cursor`): `data.pages` so far,\n\
                         `fetchNextPage()` for the next (sent with the last page's `next_cursor`), `hasNextPage`\n\
                         false once a page's `next_cursor` is null."
                    );
                    let default = if f.input_optional() { " = {}" } else { "" };
                    out.push('\n');
                    out.push_str(&doc_comment(Some(&with_doc(f.f.doc, &usage)), false, 0));
                    out.push_str(&format!(
                        "export function {infinite}(args: Omit<{}, \"cursor\">{default}, options?: InfiniteQueryHookOptions<{}>) {{\n  return useMizanInfiniteQuery({}, {}, args, options);\n}}\n",
                        f.input_name,
                        f.output_name,
                        js_string(f.f.name),
                        f.client
                    ));
                }
            }
            Kind::Mutation => {
                let invalidates: Vec<String> = f.f.invalidates.iter().map(|n| js_string(n)).collect();
                let (options, call) = match &f.errors {
                    None => (format!("{}, {}", f.output_name, f.input_name), String::new()),
                    Some(errors) => (
                        format!("{}, {}, unknown, {}", f.output_name, f.input_name, errors.union),
                        format!("<{}, {}, unknown, {}>", f.input_name, f.output_name, errors.union),
                    ),
                };
                if f.f.upload.is_some() {
                    // The files ride in the variables; progress comes from the hook's options.
                    out.push_str(&format!(
                        "export function {hook}(options?: MutationHookOptions<{options}> & Pick<UploadOptions, \"onUploadProgress\">) {{\n  const {{ onUploadProgress, ...rest }} = options ?? {{}};\n  return useMizanMutation{call}((args: {}) => {}(args, onUploadProgress ? {{ onUploadProgress }} : {{}}), [{}] as const, rest);\n}}\n",
                        f.input_name,
                        f.client,
                        invalidates.join(", ")
                    ));
                    continue;
                }
                out.push_str(&format!(
                    "export function {hook}(options?: MutationHookOptions<{options}>) {{\n  return useMizanMutation{call}({}, [{}] as const, options);\n}}\n",
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
    let (types, call) = match &f.errors {
        None => (f.output_name.clone(), String::new()),
        Some(errors) => (
            format!("{}, {}", f.output_name, errors.union),
            format!("<{}, {}, {}>", f.input_name, f.output_name, errors.union),
        ),
    };
    format!(
        "export function {name}(args: {}{default}, options?: {options}<{types}>) {{\n  return {runtime}{call}({}, {}, args, options);\n}}\n",
        f.input_name,
        js_string(f.f.name),
        f.client
    )
}
