//! Pages with data in the first paint, on the wire, against the `hello`
//! binary: `/todos/` arrives whole with `list_todos`'s titles and
//! `#mizan-queries`; `/slow/` streams, the shell with its fallback first and
//! the quote about 300 ms later, then the queries and the bundle.

use std::process::Command;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::support::{BIN, Proc, listen};

/// A `hello` of the test's own (its own SQLite file) and its URL.
fn hello(name: &str) -> (Proc, String) {
    let dir = std::env::temp_dir().join(format!("hello-pages-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a work dir");
    let database = format!("sqlite://{}?mode=rwc", dir.join("hello.sqlite3").display());
    let (child, url) = listen(Command::new(BIN).env("DATABASE_URL", database));
    (Proc(child), url)
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start:?} not in {text}")) + start.len();
    let len = text[from..].find(end).unwrap_or_else(|| panic!("{end:?} not after {start:?}"));
    &text[from..from + len]
}

/// The page's `#mizan-queries` (its nonce attribute skipped).
fn queries_of(page: &str) -> Value {
    let script = between(page, "id=\"mizan-queries\"", "</script>");
    let json = &script[script.find('>').expect("the tag's end") + 1..];
    serde_json::from_str(json).expect("queries are JSON")
}

#[tokio::test]
async fn todos_arrive_in_the_first_html_with_their_queries() {
    let (_hello, url) = hello("todos");
    let client = reqwest::Client::new();
    let api: Value = client
        .get(format!("{url}/api/mizan/call/list_todos"))
        .send()
        .await
        .expect("list_todos")
        .json()
        .await
        .expect("JSON");
    let todos = json!([
        { "id": 1, "title": "Buy milk", "done": true },
        { "id": 2, "title": "Write docs", "done": false },
        { "id": 3, "title": "Ship it", "done": false },
    ]);
    assert_eq!(api, json!({ "data": todos }));

    let r = client.get(format!("{url}/todos/")).send().await.expect("/todos/");
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers().contains_key("content-length"), "nothing pending: sent whole");
    let page = r.text().await.expect("the page");
    let root = between(&page, "<div id=\"mizan-root\">", "</div>\n");
    for title in ["Buy milk", "Write docs", "Ship it"] {
        assert!(root.contains(title), "{title} in #mizan-root: {root}");
    }
    assert!(!root.contains("Loading"), "never its loading state: {root}");
    let queries = queries_of(&page);
    let query = &queries["queries"][0];
    assert_eq!(query["queryKey"], json!(["mizan", "list_todos", {}]));
    assert_eq!(query["state"]["data"], todos, "exactly what GET call/list_todos answers");
    let (queries_at, script_at) =
        (page.find("id=\"mizan-queries\"").expect("queries"), page.find("type=\"module\"").expect("bundle"));
    assert!(queries_at < script_at, "the queries come before the bundle");
}

#[tokio::test]
async fn slow_streams_its_shell_first_and_the_quote_when_it_arrives() {
    let (_hello, url) = hello("slow");
    let client = reqwest::Client::new();
    // Warm: the first render starts the pool and builds the bundle.
    let warm = client.get(format!("{url}/slow/")).send().await.expect("warm").text().await.expect("body");
    assert!(warm.contains("Patience is a virtue"), "{warm}");

    let started = Instant::now();
    let r = client.get(format!("{url}/slow/")).send().await.expect("/slow/");
    assert_eq!(r.status().as_u16(), 200);
    assert!(!r.headers().contains_key("content-length"), "streamed: {:?}", r.headers());
    assert_eq!(r.headers()["transfer-encoding"], "chunked");
    let mut body = r.bytes_stream();
    let mut text = String::new();
    let mut fallback_at = None;
    let mut quote_at = None;
    while let Some(piece) = body.next().await {
        text.push_str(std::str::from_utf8(&piece.expect("a piece")).expect("UTF-8"));
        if fallback_at.is_none() && text.contains("Loading…") {
            fallback_at = Some(started.elapsed());
        }
        if quote_at.is_none() && text.contains("Patience is a virtue") {
            quote_at = Some(started.elapsed());
        }
    }
    let (fallback_at, quote_at) = (fallback_at.expect("the fallback"), quote_at.expect("the quote"));
    assert!(
        quote_at >= fallback_at + Duration::from_millis(200),
        "fallback {fallback_at:?}, quote {quote_at:?}"
    );
    assert!(quote_at < Duration::from_secs(3), "within the deadline: {quote_at:?}");
    let root = between(&text, "<div id=\"mizan-root\">", "</div>\n");
    assert!(root.contains("Loading…") && !root.contains("Patience"), "the shell holds the fallback: {root}");
    assert!(!root.contains("<script"), "React's scripts follow the root: {root}");
    let after_root = &text[text.find("</div>\n").expect("the root's end")..];
    let (quote, queries, bundle) = (
        after_root.find("Patience is a virtue").expect("the late segment"),
        after_root.find("id=\"mizan-queries\"").expect("queries"),
        after_root.find("type=\"module\"").expect("bundle"),
    );
    assert!(quote < queries && queries < bundle, "the boundary, then the queries, then the bundle");
    assert_eq!(queries_of(&text)["queries"][0]["state"]["data"], "Patience is a virtue");
    assert!(text.ends_with("</html>\n"), "{text}");
}

#[tokio::test]
async fn hello_is_sent_whole_as_before() {
    let (_hello, url) = hello("hello");
    let r = reqwest::get(format!("{url}/hello/?name=Ada")).await.expect("/hello/");
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers().contains_key("content-length"));
    let page = r.text().await.expect("the page");
    assert_eq!(between(&page, "<div id=\"mizan-root\">", "</div>\n"), "<div>Hello, Ada!</div>");
    assert!(!page.contains("mizan-queries"), "nothing read, no queries: {page}");
}

/// The page's `#mizan-page` (its nonce attribute skipped).
fn page_of(page: &str) -> Value {
    let script = between(page, "id=\"mizan-page\"", "</script>");
    let json = &script[script.find('>').expect("the tag's end") + 1..];
    serde_json::from_str(json).expect("#mizan-page is JSON")
}

/// A `hello` with `MIZAN_ASSET_VERSION` set (or not) and its URL.
fn hello_with_version(name: &str, version: Option<&str>) -> (Proc, String) {
    let dir = std::env::temp_dir().join(format!("hello-pages-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a work dir");
    let database = format!("sqlite://{}?mode=rwc", dir.join("hello.sqlite3").display());
    let mut cmd = Command::new(BIN);
    cmd.env("DATABASE_URL", database).env_remove("MIZAN_ASSET_VERSION");
    if let Some(v) = version {
        cmd.env("MIZAN_ASSET_VERSION", v);
    }
    let (child, url) = listen(&mut cmd);
    (Proc(child), url)
}

#[tokio::test]
async fn todos_is_a_typed_page_and_answers_visits() {
    let (_hello, url) = hello("typed");
    let client = reqwest::Client::new();
    let r = client.get(format!("{url}/todos/?limit=2")).send().await.expect("/todos/");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["vary"], "x-mizan-visit");
    let page = r.text().await.expect("the page");
    assert!(page.contains("<title>Todos</title>"), "{page}");
    let root = between(&page, "<div id=\"mizan-root\">", "</div>\n");
    assert!(root.contains("Write docs") && !root.contains("Ship it"), "limit=2: {root}");
    let named = page_of(&page);
    assert_eq!(named["component"], "components/Todos.tsx");
    assert_eq!(named["url"], "/todos/?limit=2");
    let version = named["version"].as_str().expect("a version").to_owned();

    let r = client.get(format!("{url}/todos/")).header("x-mizan-visit", "1").send().await.expect("visit");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");
    let v: Value = r.json().await.expect("the page object");
    assert_eq!(v["component"], "components/Todos.tsx");
    assert_eq!(v["props"], json!({ "limit": null }));
    assert_eq!(v["head"]["title"], "Todos");
    assert_eq!(v["version"], version.as_str());
    assert_eq!(v["queries"]["queries"][0]["queryKey"], json!(["mizan", "list_todos", {}]));
    assert_eq!(v["contexts"]["current_user"], json!({ "data": null }));

    // The manifest lists it.
    let out = Command::new(BIN).arg("manifest").output().expect("hello manifest");
    let manifest: Value = serde_json::from_slice(&out.stdout).expect("the manifest is JSON");
    let pages = manifest["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0]["route"], "/");
    assert_eq!(pages[1]["route"], "/todos/");
    assert_eq!(pages[1]["component"], "components/Todos.tsx");
    assert_eq!(pages[1]["layouts"], json!(["components/Layout.tsx"]));

    // `/hello/` is untyped and answers visits too.
    let r = client
        .get(format!("{url}/hello/?name=Ada"))
        .header("x-mizan-visit", "1")
        .send()
        .await
        .expect("visit");
    let v: Value = r.json().await.expect("the page object");
    assert_eq!(v["component"], "components/Hello.tsx");
    assert_eq!(v["props"], json!({ "name": "Ada" }));
    assert_eq!(v["url"], "/hello/?name=Ada");

    // A tab built with other assets is sent to load the page in full.
    let r = client
        .get(format!("{url}/todos/"))
        .header("x-mizan-visit", "1")
        .header("x-mizan-version", "an-old-build")
        .send()
        .await
        .expect("stale visit");
    assert_eq!(r.status().as_u16(), 409);
    assert_eq!(r.headers()["x-mizan-location"], "/todos/");
}

#[tokio::test]
async fn two_processes_report_one_asset_version_and_the_environment_overrides_it() {
    let (_a, a) = hello_with_version("version-a", None);
    let (_b, b) = hello_with_version("version-b", None);
    let (_c, c) = hello_with_version("version-c", Some("release-42"));
    let client = reqwest::Client::new();
    let mut versions = Vec::new();
    for url in [&a, &b, &c] {
        let page =
            client.get(format!("{url}/hello/")).send().await.expect("/hello/").text().await.expect("page");
        versions.push(page_of(&page)["version"].as_str().expect("a version").to_owned());
    }
    assert_eq!(versions[0], versions[1], "two processes serving one build");
    assert!(versions[0].len() == 16 && versions[0].bytes().all(|b| b.is_ascii_hexdigit()), "{versions:?}");
    assert_eq!(versions[2], "release-42");
    // The overridden version is the one visits are checked against.
    let r = client
        .get(format!("{c}/hello/"))
        .header("x-mizan-visit", "1")
        .header("x-mizan-version", versions[0].as_str())
        .send()
        .await
        .expect("visit");
    assert_eq!(r.status().as_u16(), 409);
    let r = client
        .get(format!("{c}/hello/"))
        .header("x-mizan-visit", "1")
        .header("x-mizan-version", "release-42")
        .send()
        .await
        .expect("visit");
    assert_eq!(r.status().as_u16(), 200);
}

#[tokio::test]
async fn the_site_s_pages_share_a_layout_and_have_titles() {
    let (_hello, url) = hello("layouts");
    let client = reqwest::Client::new();
    let get = |path: &str| client.get(format!("{url}{path}")).send();

    // `/`: the typed index page inside the layout, its title from `<Head>`.
    let page = get("/").await.expect("/").text().await.expect("the page");
    assert!(page.contains("<title>mizan hello</title>"), "{page}");
    assert!(
        page.contains("<meta name=\"description\" content=\"Every page of the hello example\">"),
        "{page}"
    );
    let root = between(&page, "<div id=\"mizan-root\">", "</div>\n");
    assert!(root.starts_with("<div id=\"layout\"><nav id=\"nav\">"), "{root}");
    for href in
        ["/hello/", "/counter/", "/contexts/", "/contact/", "/todos/", "/booking/", "/feed/", "/slow/"]
    {
        assert!(root.contains(&format!("href=\"{href}\"")), "{href} in {root}");
    }
    assert_eq!(page_of(&page)["layouts"], json!(["components/Layout.tsx"]));

    // `/todos/`: Rust's title and the component's agree.
    let page = get("/todos/").await.expect("/todos/").text().await.expect("the page");
    assert!(page.contains("<title>Todos</title>"), "{page}");
    assert!(page.contains("id=\"layout-counter\""), "{page}");
    assert_eq!(page_of(&page)["layouts"], json!(["components/Layout.tsx"]));
    let v: Value = client
        .get(format!("{url}/todos/"))
        .header("x-mizan-visit", "1")
        .send()
        .await
        .expect("visit")
        .json()
        .await
        .expect("the page object");
    assert_eq!(v["layouts"], json!(["components/Layout.tsx"]));
    assert_eq!(v["head"]["title"], "Todos");

    for (path, title) in [("/counter/", "Counter"), ("/contexts/", "Contexts"), ("/contact/", "Contact")] {
        let page = get(path).await.expect(path).text().await.expect("the page");
        assert!(page.contains(&format!("<title>{title}</title>")), "{path}: {page}");
        assert_eq!(page_of(&page)["layouts"], json!(["components/Layout.tsx"]), "{path}");
    }

    // `/hello/` has no layout: its root and `#mizan-page` are as before.
    let page = get("/hello/?name=Ada").await.expect("/hello/").text().await.expect("the page");
    assert_eq!(between(&page, "<div id=\"mizan-root\">", "</div>\n"), "<div>Hello, Ada!</div>");
    let named = page_of(&page);
    let keys: Vec<&String> = named.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["component", "url", "version"], "{named}");
    assert!(page.contains("<title>Hello, Ada</title>"), "{page}");
    let v: Value = client
        .get(format!("{url}/hello/"))
        .header("x-mizan-visit", "1")
        .send()
        .await
        .expect("visit")
        .json()
        .await
        .expect("the page object");
    assert!(v.get("layouts").is_none(), "{v}");
    assert_eq!(v["head"]["title"], "Hello, World");
}
