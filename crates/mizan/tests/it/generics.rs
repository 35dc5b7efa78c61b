//! Generic types: each instantiation is named from the type and its
//! arguments (`Page<User>` → `PageUser`), with no annotation; a
//! `#[schemars(rename)]` still wins; two unrelated types with one name are
//! still a start-up error that says what to write. The manifest these
//! functions make is the fixture codegen snapshots
//! (`crates/mizan-codegen/tests/fixtures/generics.json`).

use std::collections::BTreeMap;

use mizan::{App, Request};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A user.
#[derive(Serialize, Deserialize, JsonSchema)]
struct User {
    name: String,
}

/// A post.
#[derive(Serialize, Deserialize, JsonSchema)]
struct Post {
    title: String,
}

/// One page of results.
#[derive(Serialize, Deserialize, JsonSchema)]
struct Page<T> {
    items: Vec<T>,
    total: u32,
}

/// A shelf, named by its own rename.
#[derive(Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Shelf_of_{T}")]
struct Shelf<T> {
    things: Vec<T>,
}

/// A catalog, renamed without its parameter.
#[derive(Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Listing")]
struct Catalog<T> {
    entries: Vec<T>,
}

/// A catalog of users.
#[mizan::client(query)]
async fn catalog(_req: &Request) -> mizan::Result<Catalog<User>> {
    Ok(Catalog { entries: vec![] })
}

/// A page of users.
#[mizan::client(query)]
async fn users(_req: &Request) -> mizan::Result<Page<User>> {
    Ok(Page { items: vec![], total: 0 })
}

/// A page of posts.
#[mizan::client(query)]
async fn posts(_req: &Request) -> mizan::Result<Page<Post>> {
    Ok(Page { items: vec![], total: 0 })
}

/// Users in groups.
#[mizan::client(query)]
async fn groups(_req: &Request) -> mizan::Result<Page<Vec<User>>> {
    Ok(Page { items: vec![], total: 0 })
}

/// Some users are gone.
#[mizan::client(query)]
async fn sparse(_req: &Request) -> mizan::Result<Page<Option<User>>> {
    Ok(Page { items: vec![], total: 0 })
}

/// Users by name.
#[mizan::client(query)]
async fn by_name(_req: &Request) -> mizan::Result<Page<BTreeMap<String, User>>> {
    Ok(Page { items: vec![], total: 0 })
}

/// Imports a page of users.
#[mizan::client]
async fn import_users(_req: &Request, page: Page<User>) -> mizan::Result<u32> {
    Ok(page.total)
}

/// A shelf of posts.
#[mizan::client(query)]
async fn shelf(_req: &Request) -> mizan::Result<Shelf<Post>> {
    Ok(Shelf { things: vec![] })
}

/// Every function above.
fn app() -> App {
    App::new()
        .register(users)
        .register(posts)
        .register(groups)
        .register(sparse)
        .register(by_name)
        .register(import_users)
        .register(shelf)
        .register(catalog)
}

fn keys(defs: &serde_json::Map<String, Value>) -> Vec<&str> {
    let mut keys: Vec<&str> = defs.keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

#[test]
fn each_instantiation_is_named_from_its_arguments() {
    let manifest = app().manifest().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        keys(&manifest.output_defs),
        [
            "ListingUser",
            "PagePost",
            "PageUser",
            "PageUserList",
            "PageUserMap",
            "PageUserOrNull",
            "Post",
            "Shelf_of_Post",
            "User"
        ]
    );
    assert_eq!(keys(&manifest.input_defs), ["PageUser", "User"]);
    let output = |name: &str| -> Value {
        manifest.functions.iter().find(|f| f.name == name).map(|f| f.output.clone()).expect(name)
    };
    assert_eq!(output("users")["$ref"], "#/$defs/PageUser");
    assert_eq!(output("posts")["$ref"], "#/$defs/PagePost");
    assert_eq!(output("groups")["$ref"], "#/$defs/PageUserList");
    assert_eq!(output("sparse")["$ref"], "#/$defs/PageUserOrNull");
    assert_eq!(output("by_name")["$ref"], "#/$defs/PageUserMap");
    assert_eq!(output("catalog")["$ref"], "#/$defs/ListingUser");
    let import_fn = manifest.functions.iter().find(|f| f.name == "import_users").expect("import_users");
    assert_eq!(import_fn.input["properties"]["page"]["$ref"], "#/$defs/PageUser");
    // The definitions point at each other by the new names.
    let lists = &manifest.output_defs["PageUserList"];
    assert_eq!(lists["properties"]["items"]["items"]["items"]["$ref"], "#/$defs/User");
    assert_eq!(lists["description"], "One page of results.");
}

/// The manifest codegen's generics snapshot is made from.
fn fixture_path() -> std::path::PathBuf {
    crate::support::repo_root().join("crates/mizan-codegen/tests/fixtures/generics.json")
}

#[test]
fn the_codegen_fixture_is_this_manifest() {
    let manifest = app().manifest().unwrap_or_else(|e| panic!("{e}"));
    let built = serde_json::to_string_pretty(&manifest.to_json()).expect("JSON") + "\n";
    let path = fixture_path();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != built {
        if std::env::var_os("MIZAN_UPDATE_FIXTURES").is_some() {
            std::fs::write(&path, built).expect("fixture written");
        } else {
            panic!("{} is stale; rerun with MIZAN_UPDATE_FIXTURES=1", path.display());
        }
    }
}

mod a {
    /// One kind of user.
    #[derive(serde::Serialize, schemars::JsonSchema)]
    pub(super) struct User {
        pub(super) id: u32,
    }
}

mod b {
    /// Another kind of user.
    #[derive(serde::Serialize, schemars::JsonSchema)]
    pub(super) struct User {
        pub(super) email: String,
    }

    /// Looks like `Page<User>`'s name, but is its own type.
    #[derive(serde::Serialize, schemars::JsonSchema)]
    pub(super) struct PageUser {
        pub(super) count: u32,
    }
}

#[mizan::client(query)]
async fn a_user(_req: &Request) -> mizan::Result<a::User> {
    Ok(a::User { id: 1 })
}

#[mizan::client(query)]
async fn b_user(_req: &Request) -> mizan::Result<b::User> {
    Ok(b::User { email: String::new() })
}

#[mizan::client(query)]
async fn page_user(_req: &Request) -> mizan::Result<b::PageUser> {
    Ok(b::PageUser { count: 0 })
}

fn errors(app: App) -> String {
    app.check().map_or_else(|e| e.to_string(), |()| String::new())
}

#[test]
fn two_unrelated_types_with_one_name_are_refused() {
    let message = errors(App::new().register(a_user).register(b_user));
    let here = module_path!();
    assert!(message.contains("two different types are both named `User`"), "{message}");
    assert!(message.contains(&format!("`{here}::a::User` and `{here}::b::User`")), "{message}");
    assert!(message.contains("#[schemars(rename = \"…\")]"), "{message}");
}

#[test]
fn a_spelled_name_that_is_taken_is_refused() {
    let message = errors(App::new().register(users).register(page_user));
    let here = module_path!();
    assert!(message.contains("two different types are both named `PageUser`"), "{message}");
    assert!(message.contains(&format!("`{here}::Page<{here}::User>`")), "{message}");
    assert!(message.contains(&format!("`{here}::b::PageUser`")), "{message}");
    assert!(message.contains("#[schemars(rename = \"…\")]"), "{message}");
}
