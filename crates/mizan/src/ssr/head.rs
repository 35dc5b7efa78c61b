//! A page's head: its title and `<meta name content>` tags, set from Rust
//! ([`Page::title`](crate::Page::title), [`Page::meta`](crate::Page::meta))
//! and reported by the render (`<Head>` from `@mizan/client/react`, the
//! bridge's `head`), merged, written into the page's `<head>` and sent as a
//! visit's `head`.

use std::fmt::Write as _;

use serde_json::value::RawValue;

use super::page::escape_html;

/// A page's title and meta tags (none set: the [`Ssr`](super::Ssr) title).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Head {
    /// The page's `<title>`, if it sets one.
    pub(crate) title: Option<String>,
    /// `<meta name="…" content="…">`, in order.
    pub(crate) meta: Vec<(String, String)>,
}

impl Head {
    /// The `<meta>` tags, one a line.
    pub(crate) fn meta_html(&self) -> String {
        let mut out = String::new();
        for (name, content) in &self.meta {
            let _ =
                writeln!(out, "<meta name=\"{}\" content=\"{}\">", escape_html(name), escape_html(content));
        }
        out
    }

    /// The visit's `head`: `{"title": …, "meta": [{"name","content"}]}`,
    /// the title defaulting to `default_title`.
    pub(crate) fn to_json(&self, default_title: &str) -> serde_json::Value {
        let meta: Vec<serde_json::Value> = self
            .meta
            .iter()
            .map(|(name, content)| serde_json::json!({ "name": name, "content": content }))
            .collect();
        serde_json::json!({
            "title": self.title.as_deref().unwrap_or(default_title),
            "meta": meta,
        })
    }

    /// This head (from Rust) with the render's `head` over it: the
    /// render's title wins when it has one (the component is closer to the
    /// content), and each of its meta tags replaces Rust's tag of the same
    /// name in place, or is added after them. Keys or entries that are not
    /// a string title or `{"name","content"}` strings are ignored.
    pub(crate) fn with_reported(&self, reported: Option<&RawValue>) -> Head {
        let mut head = self.clone();
        let Some(Ok(serde_json::Value::Object(reported))) =
            reported.map(|raw| serde_json::from_str::<serde_json::Value>(raw.get()))
        else {
            return head;
        };
        if let Some(serde_json::Value::String(title)) = reported.get("title") {
            head.title = Some(title.clone());
        }
        if let Some(serde_json::Value::Array(meta)) = reported.get("meta") {
            for tag in meta {
                let (Some(name), Some(content)) =
                    (tag.get("name").and_then(|v| v.as_str()), tag.get("content").and_then(|v| v.as_str()))
                else {
                    continue;
                };
                match head.meta.iter_mut().find(|(n, _)| n == name) {
                    Some(existing) => existing.1 = content.to_owned(),
                    None => head.meta.push((name.to_owned(), content.to_owned())),
                }
            }
        }
        head
    }
}

/// What a view knows about the page beyond its component and props: the
/// request's URL, the head set from Rust, the layouts around it.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageMeta {
    /// The request's path and query (`None` outside a request).
    pub(crate) url: Option<String>,
    /// The head from Rust.
    pub(crate) head: Head,
    /// The layout components around the page, outermost first.
    pub(crate) layouts: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::Head;
    use serde_json::value::RawValue;

    fn raw(json: &str) -> Box<RawValue> {
        RawValue::from_string(json.to_owned()).expect("json")
    }

    #[test]
    fn the_render_wins_over_rust() {
        let rust = Head {
            title: Some("Rust".into()),
            meta: vec![("description".into(), "from Rust".into()), ("author".into(), "me".into())],
        };
        let merged = rust.with_reported(Some(&raw(
            r#"{"title":"React","meta":[{"name":"description","content":"from React"},{"name":"robots","content":"none"}]}"#,
        )));
        assert_eq!(merged.title.as_deref(), Some("React"));
        assert_eq!(
            merged.meta,
            vec![
                ("description".to_owned(), "from React".to_owned()),
                ("author".to_owned(), "me".to_owned()),
                ("robots".to_owned(), "none".to_owned())
            ]
        );
    }

    #[test]
    fn odd_reports_leave_rust_alone() {
        let rust = Head { title: Some("Rust".into()), meta: vec![] };
        for odd in [r#"[1]"#, r#"{"title":3}"#, r#"{"meta":[{"name":1}]}"#, r#""x""#] {
            assert_eq!(rust.with_reported(Some(&raw(odd))), rust, "{odd}");
        }
        assert_eq!(rust.with_reported(None), rust);
    }
}
