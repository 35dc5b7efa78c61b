//! References between schemas: `{"$ref": "#/$defs/Name"}` into a side's
//! definitions.

use std::collections::BTreeSet;

use serde_json::Value;

/// Every definition `value` references, at any depth.
pub fn collect_refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "$ref" {
                    if let Some(name) = v.as_str().and_then(ref_name) {
                        out.insert(name);
                    }
                } else {
                    collect_refs(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// The definition a schema is nothing but a reference to (`{"$ref": "#/$defs/Name"}`).
pub fn bare_ref(schema: &Value) -> Option<String> {
    let map = schema.as_object().filter(|m| m.len() == 1)?;
    map.get("$ref")?.as_str().and_then(ref_name)
}

/// Follows `$ref`s from `node` into the root schema's `$defs` (at most 16
/// hops, so a reference cycle cannot loop); `node` itself when it is no
/// reference or names no definition of `root`.
pub fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..16 {
        let Some(name) = node.get("$ref").and_then(Value::as_str).and_then(ref_name) else { break };
        match root.get("$defs").and_then(|d| d.get(&name)) {
            Some(next) => node = next,
            None => break,
        }
    }
    node
}

/// The definition name in a `#/$defs/Name` reference (JSON-Pointer unescaped).
pub fn ref_name(reference: &str) -> Option<String> {
    reference.strip_prefix("#/$defs/").map(|name| name.replace("~1", "/").replace("~0", "~"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references() {
        let mut refs = BTreeSet::new();
        collect_refs(
            &json!({ "items": [{ "$ref": "#/$defs/A" }, { "x": { "$ref": "#/$defs/B~1C" } }] }),
            &mut refs,
        );
        assert_eq!(refs.into_iter().collect::<Vec<_>>(), ["A", "B/C"]);
        assert_eq!(bare_ref(&json!({ "$ref": "#/$defs/A" })).as_deref(), Some("A"));
        assert_eq!(bare_ref(&json!({ "$ref": "#/$defs/A", "description": "x" })), None);
        assert_eq!(ref_name("#/other"), None);
    }
}
