//! `query-options.ts` and the suspense hooks in `hooks.ts`: one factory and
//! one suspense hook per query with a hook, none for mutations or context
//! functions, the module emitted only when it has a factory, and each
//! keyed through the runtime exactly like its query hook.

use mizan_codegen::{CodegenError, generate};
use serde_json::{Value, json};

fn function(name: &str, kind: &str, context: Option<&str>, args: &[&str]) -> Value {
    let props: serde_json::Map<String, Value> =
        args.iter().map(|a| ((*a).to_owned(), json!({ "type": "string" }))).collect();
    json!({
        "name": name, "kind": kind, "auth": "public", "context": context,
        "invalidates": [], "doc": null, "args": args,
        "input": { "type": "object", "properties": props, "required": args, "additionalProperties": false },
        "output": { "type": "string" }
    })
}

fn manifest(functions: Vec<Value>) -> Value {
    json!({
        "version": 1, "functions": functions, "channels": [], "forms": [],
        "input_defs": {}, "output_defs": {}
    })
}

#[test]
fn a_query_gets_a_factory_and_a_suspense_hook_keyed_like_its_hook() {
    let files = generate(&manifest(vec![
        function("find_user", "query", None, &["id"]),
        function("list_users", "query", None, &[]),
    ]))
    .expect("generates");
    let factories = files.get("query-options.ts").expect("query-options.ts");
    assert!(
        factories
            .contains("import { mizanQueryOptions, type MizanQueryOptions } from \"@mizan/client/react\";\n")
    );
    assert!(factories.contains(
        "export function findUserQueryOptions(args: FindUserInput): MizanQueryOptions<FindUserOutput> {\n  \
         return mizanQueryOptions(\"find_user\", findUser, args);\n}\n"
    ));
    // No required argument: the factory can be called without one, like the hook.
    assert!(factories.contains(
        "export function listUsersQueryOptions(args: ListUsersInput = {}): MizanQueryOptions<ListUsersOutput> {"
    ));
    let hooks = files.get("hooks.ts").expect("hooks.ts");
    assert!(hooks.contains(
        "export function useFindUser(args: FindUserInput, options?: QueryHookOptions<FindUserOutput>) {\n  \
         return useMizanQuery(\"find_user\", findUser, args, options);\n}\n"
    ));
    assert!(hooks.contains(
        "export function useFindUserSuspense(args: FindUserInput, options?: SuspenseQueryHookOptions<FindUserOutput>) {\n  \
         return useMizanSuspenseQuery(\"find_user\", findUser, args, options);\n}\n"
    ));
    assert!(hooks.contains("export function useListUsersSuspense(args: ListUsersInput = {}, "));
    // React side only.
    let react = files.get("react.ts").expect("react.ts");
    assert!(react.contains("export * from \"./query-options.js\";\n"), "{react}");
    assert!(!files.get("index.ts").unwrap_or_default().contains("query-options"));
}

#[test]
fn mutations_and_contexts_get_neither() {
    let files = generate(&manifest(vec![
        function("save", "mutation", None, &["text"]),
        function("current_user", "query", Some("global"), &[]),
        function("greet", "query", Some("local"), &["name"]),
    ]))
    .expect("generates");
    assert!(files.get("query-options.ts").is_none(), "no query hook, no factory module");
    assert!(!files.get("react.ts").unwrap_or_default().contains("query-options"));
    let hooks = files.get("hooks.ts").expect("hooks.ts");
    assert!(!hooks.contains("Suspense"), "{hooks}");
    assert!(!hooks.contains("useMizanQuery"), "a mutation alone imports no query runtime: {hooks}");
    assert!(hooks.contains("export function useSave(options?: MutationHookOptions<SaveOutput, SaveInput>)"));
}

#[test]
fn a_factory_or_suspense_name_taken_by_another_function_is_refused() {
    for (other, owner) in [
        ("find_user_query_options", "the query options factory of function `find_user`"),
        ("find_user_suspense", "the suspense hook of function `find_user`"),
    ] {
        let e = generate(&manifest(vec![
            function("find_user", "query", None, &["id"]),
            function(other, "query", None, &[]),
        ]))
        .expect_err("a clash");
        let CodegenError::Name(message) = &e else { panic!("{other}: {e:?}") };
        assert!(message.contains(owner) && message.contains("name collision"), "{message}");
    }
}
