//! The page a render answers, its bundle and its error pages.

use std::collections::BTreeMap;

use mizan::{App, Ssr};
use serde_json::{Value, json};

use super::app::{http, motto, send, serve};
use super::doc;
use crate::support::ssr::fixtures;

/// Matches `page` against the documented template: the text between the
/// `{placeholders}` must be exactly the template's; returns their values.
fn fill(template: &str, page: &str) -> BTreeMap<String, String> {
    let mut literals = Vec::new();
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}').expect("a closed placeholder");
        literals.push(&rest[..open]);
        names.push(rest[open + 1..close].to_owned());
        rest = &rest[close + 1..];
    }
    literals.push(rest);
    assert!(page.starts_with(literals[0]), "the page starts as documented:\n{page}");
    let mut at = literals[0].len();
    let mut values = BTreeMap::new();
    for (i, name) in names.into_iter().enumerate() {
        let next = literals[i + 1];
        let end = if i + 2 == literals.len() {
            assert!(page.ends_with(next), "the page ends as documented:\n{page}");
            page.len() - next.len()
        } else {
            at + page[at..].find(next).unwrap_or_else(|| panic!("{next:?} after {{{name}}} in:\n{page}"))
        };
        values.insert(name, page[at..end].to_owned());
        at = end + next.len();
    }
    values
}

#[tokio::test]
async fn the_page_is_as_documented() {
    let head = r#"<meta name="x-test" content="1">"#;
    let ssr = Ssr::new().dirs([fixtures()]).workers(1).dev(false).title("T & <x>").lang("fr").head(head);
    let s = serve(App::new().register(motto).ssr(ssr)).await;

    let a = send(http().get(s.site("/hello/"))).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(a.header("cache-control"), Some("no-cache"));
    let cookie = a.header("set-cookie").expect("the CSRF cookie");
    let (token, attributes) = cookie.strip_prefix("mizan_csrf=").unwrap().split_once("; ").unwrap();
    assert!(token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()), "{cookie}");
    assert_eq!(attributes, "Path=/; SameSite=Lax");

    let v = fill(&doc::block("page"), &a.body);
    assert_eq!(v["lang"], "fr");
    assert_eq!(v["title"], "T &amp; &lt;x&gt;");
    assert_eq!(v["head"], head);
    assert_eq!(v["html"], "<div>Hello, &lt;/script&gt;&lt;!--&amp;\u{2028}!</div>");
    for key in ["props", "contexts"] {
        for c in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            assert!(!v[key].contains(c), "{c:?} in {key}: {}", v[key]);
        }
    }
    let props: Value = serde_json::from_str(&v["props"]).unwrap();
    assert_eq!(props, json!({"name": "</script><!--&\u{2028}"}));
    let page: Value = serde_json::from_str(&v["page"]).unwrap();
    assert_eq!(page["component"], "Hello.tsx");
    assert_eq!(page["url"], "/hello/");
    let version = page["version"].as_str().expect("a version");
    assert!(version.len() == 16 && version.bytes().all(|b| b.is_ascii_hexdigit()), "{version}");
    let contexts: Value = serde_json::from_str(&v["contexts"]).unwrap();
    assert_eq!(contexts, json!({"motto": {"data": "a</script><!--b"}}));
    assert_eq!(v["prefix"], "/api/mizan");
    let bundle = &v["bundle"];
    let key = bundle
        .strip_prefix("Hello-")
        .and_then(|b| b.strip_suffix(".js"))
        .unwrap_or_else(|| panic!("{bundle}"));
    assert!(key.len() == 16 && key.bytes().all(|b| b.is_ascii_hexdigit()), "{bundle}");

    let a = send(http().get(s.site(&format!("/api/mizan/assets/{bundle}")))).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.header("content-type"), Some("text/javascript; charset=utf-8"));
    assert_eq!(a.header("cache-control"), Some("public, max-age=31536000, immutable"));
    let a = send(http().get(s.site("/api/mizan/assets/Nope-0000000000000000.js"))).await;
    assert_eq!((a.status, a.code().as_str()), (404, "NOT_FOUND"), "{}", a.body);
    assert_eq!(a.json()["error"]["message"], "no such asset");

    let a = send(http().get(s.site("/throws/"))).await;
    assert_eq!((a.status, a.header("x-mizan-error")), (500, Some("INTERNAL")));
    assert_eq!(a.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(a.header("cache-control"), Some("no-store"));
    assert!(a.body.contains("<title>500 Internal Server Error</title>"), "{}", a.body);
    assert!(a.body.contains("request id: "), "{}", a.body);
    assert!(!a.body.contains("boom"), "production error pages show no details: {}", a.body);
}
