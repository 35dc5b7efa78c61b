//! `contexts.ts`: emitted only for context functions, importing only what it
//! uses, and refusing names React or the namespace cannot hold.

use mizan_codegen::{CodegenError, generate};
use serde_json::{Value, json};

fn function(name: &str, context: Option<&str>, args: &[&str]) -> Value {
    let props: serde_json::Map<String, Value> =
        args.iter().map(|a| ((*a).to_owned(), json!({ "type": "string" }))).collect();
    json!({
        "name": name, "kind": "query", "auth": "public", "context": context,
        "invalidates": [], "doc": null, "args": args,
        "input": { "type": "object", "properties": props, "required": args, "additionalProperties": false },
        "output": { "type": "string" }
    })
}

fn manifest(functions: Vec<Value>, output_defs: Value) -> Value {
    json!({
        "version": 1, "functions": functions, "channels": [], "forms": [],
        "input_defs": {}, "output_defs": output_defs
    })
}

#[test]
fn no_context_functions_no_module() {
    let files = generate(&manifest(vec![function("echo", None, &["text"])], json!({}))).expect("generates");
    assert!(files.get("contexts.ts").is_none());
    assert!(!files.get("index.ts").unwrap_or_default().contains("./contexts"));
    assert!(!files.get("react.ts").unwrap_or_default().contains("./contexts"));
    assert!(!files.get("hooks.ts").unwrap_or_default().contains("Context"));
}

#[test]
fn a_global_context_alone_imports_no_provider_machinery() {
    let files = generate(&manifest(vec![function("current_user", Some("global"), &[])], json!({})))
        .expect("generates");
    let contexts = files.get("contexts.ts").expect("contexts.ts");
    assert!(
        contexts.contains("export function useCurrentUser(options?: QueryHookOptions<CurrentUserOutput>)")
    );
    assert!(contexts.contains(
        "useGlobalContext<CurrentUserInput, CurrentUserOutput>(\"current_user\", currentUser, options)"
    ));
    assert!(!contexts.contains("createLocalContext"), "{contexts}");
    assert!(!contexts.contains("useLocalContext"), "{contexts}");
    // Context hooks are React: re-exported by `react.ts`, not by the React-free `index.ts`.
    assert!(files.get("react.ts").unwrap_or_default().contains("export * from \"./contexts.js\";"));
    assert!(!files.get("index.ts").unwrap_or_default().contains("./contexts"));
    // No query hook for a context function.
    assert!(!files.get("hooks.ts").unwrap_or_default().contains("useCurrentUser"));
}

#[test]
fn a_local_context_alone_imports_no_global_machinery() {
    let files =
        generate(&manifest(vec![function("greet", Some("local"), &["name"])], json!({}))).expect("generates");
    let contexts = files.get("contexts.ts").expect("contexts.ts");
    assert!(contexts.contains("export const GreetProvider: LocalContextProvider<GreetInput, GreetOutput>"));
    assert!(contexts.contains("export function useGreet(): ContextQuery<GreetOutput>"));
    assert!(!contexts.contains("useGlobalContext"), "{contexts}");
    assert!(!contexts.contains("QueryHookOptions"), "{contexts}");
}

#[test]
fn local_context_arguments_react_keeps_are_refused() {
    for arg in ["children", "key", "ref"] {
        let e = generate(&manifest(vec![function("greet", Some("local"), &[arg])], json!({})))
            .expect_err("refused");
        let text = e.to_string();
        assert!(matches!(e, CodegenError::Name(_)), "{text}");
        assert!(text.contains("local context `greet`") && text.contains(&format!("`{arg}`")), "{text}");
    }
    // A global context has no provider: the same names are fine there.
    generate(&manifest(vec![function("greet", Some("global"), &["children"])], json!({})))
        .expect("generates");
}

#[test]
fn provider_and_hook_names_are_claimed() {
    let clash = manifest(
        vec![function("greet", Some("local"), &["name"])],
        json!({ "GreetProvider": { "type": "string" } }),
    );
    let text = generate(&clash).expect_err("refused").to_string();
    assert!(
        text.contains("GreetProvider") && text.contains("the provider of context function `greet`"),
        "{text}"
    );

    let clash = manifest(
        vec![function("current_user", Some("global"), &[]), function("use_current_user", None, &[])],
        json!({}),
    );
    let text = generate(&clash).expect_err("refused").to_string();
    assert!(text.contains("useCurrentUser"), "{text}");

    let clash = manifest(
        vec![function("greet", Some("local"), &["name"]), function("use_global_context", None, &[])],
        json!({}),
    );
    let text = generate(&clash).expect_err("refused").to_string();
    assert!(text.contains("useGlobalContext") && text.contains("contexts.ts"), "{text}");
}
