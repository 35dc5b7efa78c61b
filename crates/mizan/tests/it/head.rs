//! A page's head and layouts, against real Bun workers: `<Head>` during the
//! render merged over the head set from Rust (the render wins; escaped in
//! `<title>` and `<meta>`), the same head in a visit, two interleaved
//! renders keeping their own heads, and layouts around a page in the HTML,
//! `#mizan-page` and a visit (and absent from both without layouts).
//!
//! Needs `npm install` at the repository root. Run:
//! `cargo test -p mizan --all-features --test it head::`.

use crate::support::ssr as ssr_support;

use axum::body::Body;
use axum::response::Response;
use axum::routing::get;
use mizan::{App, Page, Request};
use serde_json::{Value, json};
use tower::ServiceExt as _;

#[derive(serde::Serialize, schemars::JsonSchema)]
struct TitledProps {
    title: String,
    description: Option<String>,
}

/// Rust sets a title and a description; the component's `<Head>` sets
/// both too, and `robots`.
#[mizan::page("Titled.tsx")]
async fn titled(req: Request) -> mizan::Result<Page<TitledProps>> {
    let title = req.path_param("title").unwrap_or("none").to_owned();
    Ok(Page::new(TitledProps { title, description: Some("from <React> & \"co\"".to_owned()) })
        .title("from Rust")
        .meta("description", "from Rust")
        .meta("author", "Rust & co"))
}

#[derive(serde::Serialize, schemars::JsonSchema)]
struct HelloProps {
    name: String,
}

/// Inside two layouts.
#[mizan::page("Hello.tsx", layout = "Frame.tsx", layout = "Inner.tsx")]
async fn framed(_req: Request) -> mizan::Result<Page<HelloProps>> {
    Ok(Page::new(HelloProps { name: "Ada".to_owned() }).title("Framed"))
}

/// A layout whose `<Head>` title the page's own overrides.
#[mizan::page("Titled.tsx", layout = "Frame.tsx")]
async fn framed_titled(_req: Request) -> mizan::Result<Page<TitledProps>> {
    Ok(Page::new(TitledProps { title: "Page".to_owned(), description: None }))
}

/// Names a layout that does not exist.
#[mizan::page("Hello.tsx", layout = "Missing.tsx")]
async fn lost(_req: Request) -> mizan::Result<Page<HelloProps>> {
    Ok(Page::new(HelloProps { name: "x".to_owned() }))
}

async fn slow_titled(req: Request) -> Response {
    let title = req.uri().query().unwrap_or("q").to_owned();
    let ms = if title.starts_with("slow") { 300 } else { 20 };
    mizan::render(&req, "Titled.tsx", json!({ "title": title, "ms": ms })).await
}

async fn untyped_framed(req: Request) -> Response {
    mizan::render_with_layouts(&req, "Hello.tsx", json!({ "name": "Bo" }), &["Inner.tsx"]).await
}

fn router() -> axum::Router {
    let app = App::new()
        .page("/titled/{title}/", titled)
        .page("/framed/", framed)
        .page("/framed-titled/", framed_titled)
        .page("/lost/", lost)
        .ssr(ssr_support::ssr());
    let views =
        axum::Router::new().route("/slow-titled/", get(slow_titled)).route("/untyped/", get(untyped_framed));
    app.mount("/api/mizan", views).expect("app builds")
}

struct Answer {
    status: u16,
    body: String,
}

async fn get_with(router: &axum::Router, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut req = axum::http::Request::get(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = router.clone().oneshot(req.body(Body::empty()).expect("request")).await.expect("infallible");
    let status = res.status().as_u16();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.expect("body");
    Answer { status, body: String::from_utf8(bytes.to_vec()).expect("utf-8") }
}

const VISIT: (&str, &str) = ("x-mizan-visit", "1");

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start:?} not in {text}")) + start.len();
    let len = text[from..].find(end).unwrap_or_else(|| panic!("{end:?} not after {start:?}"));
    &text[from..from + len]
}

fn page_script(html: &str) -> Value {
    serde_json::from_str(between(html, "<script type=\"application/json\" id=\"mizan-page\">", "</script>"))
        .expect("#mizan-page is JSON")
}

fn json_of(a: &Answer) -> Value {
    serde_json::from_str(&a.body).unwrap_or_else(|e| panic!("{e}: {}", a.body))
}

#[tokio::test]
async fn head_from_the_render_wins_over_rust_and_is_escaped() {
    let router = router();
    let a = get_with(&router, "/titled/%3Cb%3E%20%26%20%22q%22/", &[]).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let head = between(&a.body, "<head>\n", "</head>");
    assert!(head.contains("<title>&lt;b&gt; &amp; &quot;q&quot;</title>\n"), "{head}");
    assert_eq!(head.matches("<title>").count(), 1, "{head}");
    // Rust's description replaced in place, Rust's author kept, React's robots added.
    assert!(
        head.contains(
            "<meta name=\"description\" content=\"from &lt;React&gt; &amp; &quot;co&quot;\">\n\
             <meta name=\"author\" content=\"Rust &amp; co\">\n\
             <meta name=\"robots\" content=\"noindex\">\n"
        ),
        "{head}"
    );
    assert!(!head.contains("from Rust"), "{head}");

    let v = get_with(&router, "/titled/%3Cb%3E/", &[VISIT]).await;
    assert_eq!(v.status, 200, "{}", v.body);
    assert_eq!(
        json_of(&v)["head"],
        json!({
            "title": "<b>",
            "meta": [
                { "name": "description", "content": "from <React> & \"co\"" },
                { "name": "author", "content": "Rust & co" },
                { "name": "robots", "content": "noindex" },
            ],
        })
    );
}

#[tokio::test]
async fn interleaved_renders_keep_their_own_heads() {
    let router = router();
    // The slow one starts first and finishes last; the quick ones render while it waits.
    let slow = get_with(&router, "/slow-titled/?slow-one", &[]);
    let quick = async {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let mut bodies = Vec::new();
        for i in 0..3 {
            bodies.push((i, get_with(&router, &format!("/slow-titled/?quick-{i}"), &[]).await));
        }
        bodies
    };
    let (slow, quick) = tokio::join!(slow, quick);
    assert_eq!(slow.status, 200, "{}", slow.body);
    assert!(slow.body.contains("<title>slow-one</title>"), "{}", slow.body);
    for (i, a) in quick {
        assert_eq!(a.status, 200, "{}", a.body);
        assert!(a.body.contains(&format!("<title>quick-{i}</title>")), "{}", a.body);
    }
}

#[tokio::test]
async fn layouts_wrap_the_page_and_are_named() {
    let router = router();
    let a = get_with(&router, "/framed/", &[]).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(
        between(&a.body, "<div id=\"mizan-root\">", "</div>\n"),
        "<section data-layout=\"frame\"><article data-layout=\"inner\"><div>Hello, Ada!</div></article></section>"
    );
    // The layout's `<Head>` title is over Rust's; its meta is there.
    assert!(a.body.contains("<title>Frame</title>"), "{}", a.body);
    assert!(a.body.contains("<meta name=\"author\" content=\"the frame\">"), "{}", a.body);
    let page = page_script(&a.body);
    assert_eq!(page["component"], "Hello.tsx");
    assert_eq!(page["layouts"], json!(["Frame.tsx", "Inner.tsx"]));
    let keys: Vec<&String> = page.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["component", "url", "version", "layouts"], "{page}");

    let v = json_of(&get_with(&router, "/framed/", &[VISIT]).await);
    assert_eq!(v["layouts"], json!(["Frame.tsx", "Inner.tsx"]));
    assert_eq!(v["component"], "Hello.tsx");
    assert_eq!(v["head"]["title"], "Frame");

    // A page's `<Head>` is rendered after its layout's, and wins.
    let a = get_with(&router, "/framed-titled/", &[]).await;
    assert!(a.body.contains("<title>Page</title>"), "{}", a.body);

    // An untyped page inside a layout.
    let a = get_with(&router, "/untyped/", &[]).await;
    assert_eq!(
        between(&a.body, "<div id=\"mizan-root\">", "</div>\n"),
        "<article data-layout=\"inner\"><div>Hello, Bo!</div></article>"
    );
    assert_eq!(page_script(&a.body)["layouts"], json!(["Inner.tsx"]));

    // Without layouts, neither the page nor a visit has the key.
    let a = get_with(&router, "/titled/x/", &[]).await;
    let page = page_script(&a.body);
    assert_eq!(page.as_object().expect("object").len(), 3, "{page}");
    let v = json_of(&get_with(&router, "/titled/x/", &[VISIT]).await);
    assert!(v.get("layouts").is_none(), "{v}");
}

#[tokio::test]
async fn a_missing_layout_fails_the_page() {
    let router = router();
    let a = get_with(&router, "/lost/", &[]).await;
    assert_eq!(a.status, 500, "{}", a.body);
    let v = get_with(&router, "/lost/", &[VISIT]).await;
    assert_eq!(v.status, 500, "{}", v.body);
    assert_eq!(json_of(&v)["error"]["code"], "INTERNAL");
}

#[test]
fn the_manifest_lists_a_page_s_layouts() {
    let app = App::new().page("/framed/", framed).page("/titled/{title}/", titled);
    let manifest = app.manifest().expect("manifest").to_json();
    let pages = manifest["pages"].as_array().expect("pages");
    assert_eq!(pages[0]["layouts"], json!(["Frame.tsx", "Inner.tsx"]));
    assert!(pages[1].get("layouts").is_none(), "{}", pages[1]);
}
