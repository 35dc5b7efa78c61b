//! Typed pages and page visits, against real Bun workers: `#mizan-page`,
//! the page object a visit (`x-mizan-visit: 1`) answers, `vary`, `409
//! STALE_VERSION` with `x-mizan-location`, a visit without a version never
//! refused, errors as the error object, redirects, page auth, the head
//! from Rust, the manifest's `pages`, and the asset version shared by two
//! pools serving the same files.
//!
//! Needs `npm install` at the repository root. Run:
//! `cargo test -p mizan --all-features --test it visits::`.

use crate::support;
use crate::support::ssr as ssr_support;

use axum::body::Body;
use axum::response::Response;
use axum::routing::get;
use mizan::{App, Page, Request, SsrPool};
use serde_json::{Value, json};
use tower::ServiceExt as _;

#[derive(serde::Serialize, schemars::JsonSchema)]
struct HelloProps {
    name: String,
}

/// Greets the route's `{name}`.
#[mizan::page("Hello.tsx")]
async fn greet(req: Request) -> mizan::Result<Page<HelloProps>> {
    let name = req.path_param("name").unwrap_or("nobody").to_owned();
    if name == "missing" {
        return Err(mizan::Error::not_found("no such person"));
    }
    if name == "away" {
        return Ok(Page::redirect("/greet/there/"));
    }
    Ok(Page::new(HelloProps { name }).title("Greeting <1>").meta("description", "A \"greeting\""))
}

/// Staff only.
#[mizan::page("Hello.tsx", auth = "staff")]
async fn staff(_req: Request) -> mizan::Result<Page<HelloProps>> {
    Ok(Page::new(HelloProps { name: "staff".to_owned() }))
}

/// Who asks (their id), or null.
#[mizan::client(query)]
async fn whoami(req: &Request) -> mizan::Result<Option<String>> {
    Ok(req.identity().map(|i| i.id().to_owned()))
}

async fn reads(req: Request) -> Response {
    mizan::render(&req, "Queries.tsx", json!({ "reads": [{ "fn": "whoami", "args": {} }] })).await
}

async fn throws(req: Request) -> Response {
    mizan::render(&req, "Throws.tsx", json!({})).await
}

fn app() -> App {
    App::new()
        .authenticator(support::TestAuth)
        .register(whoami)
        .page("/greet/{name}/", greet)
        .page("/staff/", staff)
        .ssr(ssr_support::ssr())
}

fn router() -> axum::Router {
    let views = axum::Router::new().route("/reads/", get(reads)).route("/throws/", get(throws));
    app().mount("/api/mizan", views).expect("app builds")
}

struct Answer {
    status: u16,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().expect("ascii header"))
    }
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

async fn get_with(router: &axum::Router, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut req = axum::http::Request::get(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = router.clone().oneshot(req.body(Body::empty()).expect("request")).await.expect("infallible");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.expect("body");
    Answer { status, headers, body: String::from_utf8(bytes.to_vec()).expect("utf-8") }
}

const VISIT: (&str, &str) = ("x-mizan-visit", "1");

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start:?} not in {text}")) + start.len();
    let len = text[from..].find(end).unwrap_or_else(|| panic!("{end:?} not after {start:?}"));
    &text[from..from + len]
}

fn page_script(html: &str) -> Value {
    let raw = between(html, "<script type=\"application/json\" id=\"mizan-page\">", "</script>");
    serde_json::from_str(raw).expect("#mizan-page is JSON")
}

#[tokio::test]
async fn a_typed_page_names_itself_and_carries_its_head() {
    let router = router();
    let a = get_with(&router, "/greet/Ada/?x=1", &[]).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(a.header("vary"), Some("x-mizan-visit"));
    assert_eq!(between(&a.body, "<div id=\"mizan-root\">", "</div>\n"), "<div>Hello, Ada!</div>");
    assert!(a.body.contains("<title>Greeting &lt;1&gt;</title>"), "{}", a.body);
    assert!(a.body.contains("<meta name=\"description\" content=\"A &quot;greeting&quot;\">"), "{}", a.body);
    let page = page_script(&a.body);
    assert_eq!(page["component"], "Hello.tsx");
    assert_eq!(page["url"], "/greet/Ada/?x=1");
    let version = page["version"].as_str().expect("a version").to_owned();
    assert!(version.len() == 16 && version.bytes().all(|b| b.is_ascii_hexdigit()), "{version}");
    assert_eq!(page.as_object().expect("object").len(), 3, "{page}");
    // Untyped pages name themselves too.
    let a = get_with(&router, "/reads/", &[]).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.header("vary"), Some("x-mizan-visit"));
    let untyped = page_script(&a.body);
    assert_eq!(untyped, json!({ "component": "Queries.tsx", "url": "/reads/", "version": version }));
}

#[tokio::test]
async fn a_visit_answers_the_page_object() {
    let router = router();
    let html = get_with(&router, "/greet/Ada/", &[]).await;
    let version = page_script(&html.body)["version"].as_str().expect("version").to_owned();

    let a = get_with(&router, "/greet/Ada/", &[VISIT]).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.header("content-type"), Some("application/json"));
    assert_eq!(a.header("vary"), Some("x-mizan-visit"));
    assert_eq!(a.header("x-content-type-options"), Some("nosniff"));
    let v = a.json();
    let mut keys: Vec<&str> = v.as_object().expect("object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["component", "contexts", "head", "props", "queries", "url", "version"]);
    assert_eq!(v["component"], "Hello.tsx");
    assert_eq!(v["props"], json!({ "name": "Ada" }));
    assert_eq!(v["contexts"], json!({}));
    assert_eq!(v["queries"], Value::Null, "Hello reads nothing");
    assert_eq!(
        v["head"],
        json!({ "title": "Greeting <1>", "meta": [{ "name": "description", "content": "A \"greeting\"" }] })
    );
    assert_eq!(v["url"], "/greet/Ada/");
    assert_eq!(v["version"], version.as_str());

    // The same version is served; a visit without one is never refused.
    let same = get_with(&router, "/greet/Ada/", &[VISIT, ("x-mizan-version", &version)]).await;
    assert_eq!(same.status, 200, "{}", same.body);
    assert_eq!(same.json()["props"], json!({ "name": "Ada" }));
}

#[tokio::test]
async fn a_visit_carries_the_queries_the_render_read() {
    let router = router();
    let a = get_with(&router, "/reads/", &[VISIT, ("authorization", "Bearer alice")]).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let v = a.json();
    assert_eq!(v["component"], "Queries.tsx");
    let query = &v["queries"]["queries"][0];
    assert_eq!(query["queryKey"], json!(["mizan", "whoami", {}]));
    assert_eq!(query["state"]["data"], "alice", "run as the visit's identity");
    assert_eq!(v["head"], json!({ "title": "", "meta": [] }), "the Ssr title, no meta");
}

#[tokio::test]
async fn a_stale_visit_is_told_where_to_load_in_full() {
    let router = router();
    let a = get_with(&router, "/greet/Ada/?tab=2", &[VISIT, ("x-mizan-version", "0000000000000000")]).await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert_eq!(a.header("x-mizan-location"), Some("/greet/Ada/?tab=2"));
    assert_eq!(a.header("vary"), Some("x-mizan-visit"));
    assert_eq!(a.header("content-type"), Some("application/json"));
    assert_eq!(a.json()["error"]["code"], "STALE_VERSION");
    // The version header alone (no visit) changes nothing: the HTML page.
    let a = get_with(&router, "/greet/Ada/", &[("x-mizan-version", "0000000000000000")]).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.header("content-type"), Some("text/html; charset=utf-8"));
}

#[tokio::test]
async fn errors_are_the_error_object_for_a_visit_and_a_page_otherwise() {
    let router = router();
    let a = get_with(&router, "/greet/missing/", &[VISIT]).await;
    assert_eq!(a.status, 404, "{}", a.body);
    assert_eq!(a.header("vary"), Some("x-mizan-visit"));
    assert_eq!(a.json()["error"]["code"], "NOT_FOUND");
    assert_eq!(a.json()["error"]["message"], "no such person");
    let a = get_with(&router, "/greet/missing/", &[]).await;
    assert_eq!((a.status, a.header("x-mizan-error")), (404, Some("NOT_FOUND")));
    assert_eq!(a.header("content-type"), Some("text/html; charset=utf-8"));

    // A component that throws: INTERNAL, its request id, no detail.
    let a = get_with(&router, "/throws/", &[VISIT]).await;
    assert_eq!(a.status, 500, "{}", a.body);
    assert_eq!(a.header("vary"), Some("x-mizan-visit"));
    let error = &a.json()["error"];
    assert_eq!(error["code"], "INTERNAL");
    assert!(error["request_id"].as_str().is_some_and(|id| id.len() == 32), "{error}");
    assert!(!a.body.contains("boom"), "{}", a.body);
}

#[tokio::test]
async fn a_redirect_answers_as_a_redirect() {
    let router = router();
    for headers in [&[][..], &[VISIT][..]] {
        let a = get_with(&router, "/greet/away/", headers).await;
        assert_eq!(a.status, 303, "{}", a.body);
        assert_eq!(a.header("location"), Some("/greet/there/"));
        assert_eq!(a.header("vary"), Some("x-mizan-visit"));
    }
}

#[tokio::test]
async fn page_auth_is_enforced_before_the_page_runs() {
    let router = router();
    let a = get_with(&router, "/staff/", &[]).await;
    assert_eq!((a.status, a.header("x-mizan-error")), (401, Some("UNAUTHENTICATED")));
    assert_eq!(a.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(a.body.contains("<title>401 Unauthorized</title>"), "{}", a.body);
    let a = get_with(&router, "/staff/", &[VISIT]).await;
    assert_eq!(a.status, 401, "{}", a.body);
    assert_eq!(a.json()["error"]["code"], "UNAUTHENTICATED");
    let a = get_with(&router, "/staff/", &[VISIT, ("authorization", "Bearer alice")]).await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert_eq!(a.json()["error"]["code"], "FORBIDDEN");
    let a = get_with(&router, "/staff/", &[("authorization", "Bearer bob")]).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(between(&a.body, "<div id=\"mizan-root\">", "</div>\n"), "<div>Hello, staff!</div>");
}

#[test]
fn the_manifest_lists_the_pages() {
    let manifest = app().manifest().expect("manifest").to_json();
    let pages = manifest["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0]["name"], "greet");
    assert_eq!(pages[0]["route"], "/greet/{name}/");
    assert_eq!(pages[0]["component"], "Hello.tsx");
    assert_eq!(pages[0]["auth"], "public");
    assert_eq!(pages[0]["doc"], "Greets the route's `{name}`.");
    assert_eq!(pages[0]["props"]["$ref"], "#/$defs/HelloProps");
    assert_eq!(manifest["output_defs"]["HelloProps"]["properties"]["name"]["type"], "string");
    assert_eq!(pages[1]["auth"], "staff");
}

#[test]
fn page_registration_problems_are_startup_errors() {
    let err =
        App::new().page("todos/", greet).page("/a/", staff).page("/a/", greet).check().expect_err("refused");
    let text = err.to_string();
    assert!(text.contains("page `greet`: route `todos/` must start with `/`"), "{text}");
    assert!(text.contains("pages `staff` and `greet` are both registered at `/a/`"), "{text}");
    let err = App::new().page("/a/", greet).page("/b/", greet).check().expect_err("refused");
    assert!(err.to_string().contains("page `greet` is registered twice"), "{err}");
}

#[tokio::test]
async fn two_pools_serving_the_same_files_report_the_same_version() {
    let (one, two) = (SsrPool::new(ssr_support::ssr()), SsrPool::new(ssr_support::ssr()));
    let version = one.asset_version();
    assert_eq!(version, two.asset_version());
    // A copy of the dirs elsewhere is the same build.
    let copy = ssr_support::temp_project("version");
    std::fs::copy(ssr_support::fixtures().join("Hello.tsx"), copy.join("components/Hello.tsx"))
        .expect("copy");
    let elsewhere = ssr_support::temp_project("version-b");
    std::fs::copy(ssr_support::fixtures().join("Hello.tsx"), elsewhere.join("components/Hello.tsx"))
        .expect("copy");
    let a = SsrPool::new(ssr_support::ssr().dirs([copy.clone()])).asset_version();
    let b = SsrPool::new(ssr_support::ssr().dirs([elsewhere.clone()])).asset_version();
    assert_eq!(a, b, "content, not place");
    assert_ne!(a, version, "other files, another version");
    std::fs::write(elsewhere.join("components/Hello.tsx"), "export default () => null;").expect("write");
    let changed = SsrPool::new(ssr_support::ssr().dirs([elsewhere.clone()])).asset_version();
    assert_ne!(changed, a, "a changed component changes the version");
    let _ = std::fs::remove_dir_all(copy);
    let _ = std::fs::remove_dir_all(elsewhere);
}
