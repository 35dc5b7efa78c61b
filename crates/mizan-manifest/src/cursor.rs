//! Cursor pages: the output shape that gives a query an infinite-query
//! hook, recognised from the schemas alone (so another backend gets it by
//! writing the same shape).
//!
//! A function is a **cursor query** when it is a query (no context, not a
//! stream) whose input has an optional `cursor` argument taking a string
//! or `null`, and whose output (directly, or through one `$ref` into
//! `output_defs`) is an object with the required properties `items` (an
//! array) and `next_cursor` (a string or `null`): mizan's
//! `CursorPage<T>`, `{"items": [T, …], "next_cursor": String | null}`.
//! `next_cursor` is the next page's `cursor`; `null` ends the list.

use serde_json::{Map, Value};

use crate::{Function, Kind, Manifest};

/// The name of the cursor argument.
pub const CURSOR_ARG: &str = "cursor";

/// Whether `function` (of `manifest`) is a cursor query.
pub fn is_cursor_query(manifest: &Manifest, function: &Function) -> bool {
    function.kind == Kind::Query
        && function.context.is_none()
        && !function.stream
        && takes_cursor(&function.input, &manifest.input_defs)
        && is_cursor_page(&function.output, &manifest.output_defs)
}

/// `schema` itself, or the definition it is a bare reference to.
fn resolved<'a>(schema: &'a Value, defs: &'a Map<String, Value>) -> &'a Value {
    match crate::refs::bare_ref(schema) {
        Some(name) => defs.get(&name).unwrap_or(schema),
        None => schema,
    }
}

/// An object's `properties` and `required` names.
fn object(schema: &Value) -> Option<(&Map<String, Value>, Vec<&str>)> {
    let m = schema.as_object()?;
    if m.get("type").and_then(Value::as_str) != Some("object") {
        return None;
    }
    let props = m.get("properties")?.as_object()?;
    let required = m
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    Some((props, required))
}

/// A string or `null`: `{"type": ["string", "null"]}`, or `anyOf` of the two.
fn string_or_null(schema: &Value) -> bool {
    if let Some(types) = schema.get("type").and_then(Value::as_array) {
        let mut names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
        names.sort_unstable();
        return names == ["null", "string"] && schema.get("format").is_none();
    }
    match schema.get("anyOf").and_then(Value::as_array).map(Vec::as_slice) {
        Some([a, b]) => {
            let kind = |v: &Value| v.get("type").and_then(Value::as_str).map(str::to_owned);
            let mut kinds = [kind(a), kind(b)];
            kinds.sort();
            kinds == [Some("null".to_owned()), Some("string".to_owned())]
                && a.get("format").is_none()
                && b.get("format").is_none()
        }
        _ => false,
    }
}

fn takes_cursor(input: &Value, defs: &Map<String, Value>) -> bool {
    let Some((props, required)) = object(resolved(input, defs)) else { return false };
    props.get(CURSOR_ARG).is_some_and(string_or_null) && !required.contains(&CURSOR_ARG)
}

fn is_cursor_page(output: &Value, defs: &Map<String, Value>) -> bool {
    let Some((props, required)) = object(resolved(output, defs)) else { return false };
    let items = props.get("items").is_some_and(|s| s.get("type").and_then(Value::as_str) == Some("array"));
    let next = props.get("next_cursor").is_some_and(string_or_null);
    items && next && required.contains(&"items") && required.contains(&"next_cursor")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Auth;
    use serde_json::json;

    fn query(input: Value, output: Value) -> Function {
        Function {
            name: "feed".into(),
            kind: Kind::Query,
            auth: Auth::Public,
            context: None,
            invalidates: vec![],
            rate: None,
            doc: None,
            args: vec!["cursor".into()],
            input,
            output,
            stream: false,
            errors: vec![],
            upload: None,
        }
    }

    fn cursor_input() -> Value {
        json!({ "type": "object", "properties": { "cursor": { "type": ["string", "null"] } } })
    }

    fn page() -> Value {
        json!({
            "type": "object",
            "properties": {
                "items": { "type": "array", "items": { "type": "integer" } },
                "next_cursor": { "type": ["string", "null"] },
            },
            "required": ["items", "next_cursor"],
        })
    }

    fn manifest_with(defs: Value) -> Manifest {
        Manifest { output_defs: defs.as_object().cloned().unwrap_or_default(), ..Manifest::default() }
    }

    #[test]
    fn a_query_with_a_cursor_returning_a_page_is_a_cursor_query() {
        let m = manifest_with(json!({ "CursorPageInt": page() }));
        assert!(is_cursor_query(&m, &query(cursor_input(), json!({ "$ref": "#/$defs/CursorPageInt" }))));
        assert!(is_cursor_query(&m, &query(cursor_input(), page())), "inline");
        let any_of = json!({ "type": "object", "properties": {
            "cursor": { "anyOf": [{ "type": "null" }, { "type": "string" }] },
        } });
        assert!(is_cursor_query(&m, &query(any_of, page())));
    }

    #[test]
    fn anything_else_is_not() {
        let m = manifest_with(json!({}));
        let mut mutation = query(cursor_input(), page());
        mutation.kind = Kind::Mutation;
        let mut stream = query(cursor_input(), page());
        stream.stream = true;
        let mut context = query(cursor_input(), page());
        context.context = Some(crate::ContextKind::Local);
        let required = json!({ "type": "object", "properties": { "cursor": { "type": ["string", "null"] } },
            "required": ["cursor"] });
        let numeric =
            json!({ "type": "object", "properties": { "cursor": { "type": ["integer", "null"] } } });
        let mut no_next = page();
        no_next["required"] = json!(["items"]);
        let mut not_array = page();
        not_array["properties"]["items"] = json!({ "type": "object" });
        for (why, f) in [
            ("a mutation", mutation),
            ("a stream", stream),
            ("a context", context),
            ("a required cursor", query(required, page())),
            ("a numeric cursor", query(numeric, page())),
            ("no cursor", query(json!({ "type": "object", "properties": {} }), page())),
            ("next_cursor optional", query(cursor_input(), no_next)),
            ("items not a list", query(cursor_input(), not_array)),
            ("a dangling ref", query(cursor_input(), json!({ "$ref": "#/$defs/Missing" }))),
        ] {
            assert!(!is_cursor_query(&m, &f), "{why}");
        }
    }
}
