//! Registration problems are start-up errors, never silent overwrites.

use mizan::{App, Request};

#[mizan::client]
async fn echo(_req: &Request, text: String) -> mizan::Result<String> {
    Ok(text)
}
#[mizan::client]
async fn use_echo(_req: &Request) -> mizan::Result<()> {
    Ok(())
}
#[mizan::client(query)]
async fn list_posts(_req: &Request) -> mizan::Result<Vec<String>> {
    Ok(vec![])
}
#[mizan::client(invalidates = [list_posts])]
async fn add_post(_req: &Request, title: String) -> mizan::Result<String> {
    Ok(title)
}

fn errors(app: &App) -> String {
    match app.check() {
        Ok(()) => String::new(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn duplicates_bad_names_and_collisions_are_refused() {
    assert_eq!(errors(&App::new().register(echo).register(list_posts).register(add_post)), "");
    assert!(errors(&App::new().register(echo).register(echo)).contains("`echo` is registered twice"));
    assert!(errors(&App::new().register_as("Echo", echo)).contains("not a valid function name"));
    assert!(errors(&App::new().register_as("my-echo", echo)).contains("not a valid function name"));
    assert!(errors(&App::new().register(echo).register(use_echo)).contains("useEcho"));
    assert!(errors(&App::new().register_as("list__posts", echo).register(list_posts)).contains("listPosts"));
    assert!(errors(&App::new().register_as("function", echo)).contains("reserved"));
    // invalidates must name a registered query.
    assert!(errors(&App::new().register(add_post)).contains("not registered"));
    assert!(errors(&App::new().register_as("list_posts", echo).register(add_post)).contains("not a query"));
}

#[test]
#[should_panic(expected = "registered twice")]
fn router_panics_on_a_misconfigured_app() {
    let _ = App::new().register(echo).register(echo).router();
}

mod a {
    #[derive(serde::Serialize, schemars::JsonSchema)]
    pub(crate) struct Item {
        pub(crate) x: u8,
    }
}
mod b {
    #[derive(serde::Serialize, schemars::JsonSchema)]
    pub(crate) struct Item {
        pub(crate) y: String,
    }
}

#[mizan::client]
async fn first(_req: &Request) -> mizan::Result<a::Item> {
    Ok(a::Item { x: 1 })
}
#[mizan::client]
async fn second(_req: &Request) -> mizan::Result<b::Item> {
    Ok(b::Item { y: String::new() })
}

#[test]
fn two_types_with_one_schema_name_are_refused() {
    let e = errors(&App::new().register(first).register(second));
    assert!(e.contains("two different types are both named `Item`"), "{e}");
    assert!(App::new().register(first).register(second).manifest().is_err());
}

#[test]
fn the_manifest_records_options() {
    let m = App::new().register(list_posts).register(add_post).manifest().expect("manifest").to_json();
    assert_eq!(m["functions"][1]["invalidates"], serde_json::json!(["list_posts"]));
    assert_eq!(m["functions"][1]["args"], serde_json::json!(["title"]));
    assert_eq!(m["functions"][0]["kind"], "query");
    assert_eq!(m["functions"][0]["doc"], serde_json::Value::Null);
}

#[derive(serde::Serialize, schemars::JsonSchema)]
struct UseEchoInput {
    x: u8,
}

#[mizan::client]
async fn shadow(_req: &Request) -> mizan::Result<UseEchoInput> {
    Ok(UseEchoInput { x: 1 })
}

#[test]
fn names_the_generated_typescript_cannot_hold_are_start_up_errors() {
    // A type named `UseEchoInput` would collide with the input type codegen
    // makes for a function `use_echo`: refused when the app is checked.
    let e = errors(&App::new().register(use_echo).register(shadow));
    assert!(e.contains("UseEchoInput"), "{e}");
    assert_eq!(errors(&App::new().register(use_echo)), "");
}
