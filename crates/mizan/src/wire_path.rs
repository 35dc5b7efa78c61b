//! Rust field names → wire names for validation paths.
//!
//! garde reports paths in Rust field names (`items[0].full_name`); the wire
//! must say what the client sent (`items.0.fullName`). The input's JSON
//! Schema (deserialize contract) knows the wire names; this walks it along
//! the path and, at each object, picks the property the Rust name becomes
//! under serde's `rename_all` rules. A name no rule explains (a one-off
//! `#[serde(rename = "…")]`) stays as garde reported it.

use mizan_manifest::refs::resolve;
use serde_json::Value;

use crate::error::PathSegment;

/// Maps `path` (Rust names) onto wire names using `root` (a root schema with `$defs`).
pub(crate) fn to_wire(root: &Value, path: Vec<PathSegment>) -> Vec<PathSegment> {
    let mut node = Some(root);
    let mut out = Vec::with_capacity(path.len());
    for seg in path {
        match seg {
            PathSegment::Index(i) => {
                node = node.and_then(|n| find(root, n, &|s| item(s, i)));
                out.push(PathSegment::Index(i));
            }
            PathSegment::Key(k) => {
                let found = node.and_then(|n| find(root, n, &|s| property(s, &k)));
                match found {
                    Some((wire, next)) => {
                        out.push(PathSegment::Key(wire));
                        node = Some(next);
                    }
                    None => {
                        out.push(PathSegment::Key(k));
                        node = None;
                    }
                }
            }
        }
    }
    out
}

/// Searches `node` and its `$ref`/`allOf`/`anyOf`/`oneOf` branches for the first hit.
fn find<'a, T>(root: &'a Value, node: &'a Value, f: &dyn Fn(&'a Value) -> Option<T>) -> Option<T> {
    find_depth(root, node, f, 0)
}

fn find_depth<'a, T>(
    root: &'a Value,
    node: &'a Value,
    f: &dyn Fn(&'a Value) -> Option<T>,
    depth: u8,
) -> Option<T> {
    if depth > 16 {
        return None;
    }
    let node = resolve(root, node);
    if let Some(hit) = f(node) {
        return Some(hit);
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(branches) = node.get(key).and_then(Value::as_array) {
            for b in branches {
                if let Some(hit) = find_depth(root, b, f, depth + 1) {
                    return Some(hit);
                }
            }
        }
    }
    None
}

fn item(schema: &Value, i: usize) -> Option<&Value> {
    schema.get("prefixItems").and_then(|p| p.get(i)).or_else(|| schema.get("items").filter(|v| v.is_object()))
}

fn property<'a>(schema: &'a Value, rust: &str) -> Option<(String, &'a Value)> {
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        if let Some(v) = props.get(rust) {
            return Some((rust.to_owned(), v));
        }
        for candidate in renames(rust) {
            if let Some(v) = props.get(&candidate) {
                return Some((candidate, v));
            }
        }
    }
    // A map: the key is data, not a field name.
    schema.get("additionalProperties").filter(|v| v.is_object()).map(|v| (rust.to_owned(), v))
}

/// What serde's `rename_all` rules make of a snake_case field name.
fn renames(rust: &str) -> Vec<String> {
    let words: Vec<&str> = rust.split('_').filter(|w| !w.is_empty()).collect();
    let cap = |w: &str| {
        let mut c = w.chars();
        c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
    };
    let pascal: String = words.iter().map(|w| cap(w)).collect();
    let camel = {
        let mut c = pascal.chars();
        c.next().map(|f| f.to_lowercase().chain(c).collect::<String>()).unwrap_or_default()
    };
    vec![
        camel,
        pascal,
        rust.to_uppercase(),
        rust.replace('_', "-"),
        rust.replace('_', "-").to_uppercase(),
        rust.replace('_', ""),
        rust.replace('_', "").to_uppercase(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keys(p: &[PathSegment]) -> String {
        crate::error::join_path(p)
    }

    #[test]
    fn walks_refs_arrays_options_and_renames() {
        let root = json!({
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": {"$ref": "#/$defs/Item"}},
                "owner": {"anyOf": [{"$ref": "#/$defs/Owner"}, {"type": "null"}]},
                "tags": {"type": "object", "additionalProperties": {"$ref": "#/$defs/Owner"}}
            },
            "$defs": {
                "Item": {"type": "object", "properties": {"fullName": {"type": "string"}}},
                "Owner": {"type": "object", "properties": {"EMAIL_ADDRESS": {"type": "string"}}}
            }
        });
        let k = |s: &str| PathSegment::Key(s.into());
        let path = vec![k("items"), PathSegment::Index(3), k("full_name")];
        assert_eq!(keys(&to_wire(&root, path)), "items.3.fullName");
        assert_eq!(keys(&to_wire(&root, vec![k("owner"), k("email_address")])), "owner.EMAIL_ADDRESS");
        assert_eq!(
            keys(&to_wire(&root, vec![k("tags"), k("some_key"), k("email_address")])),
            "tags.some_key.EMAIL_ADDRESS"
        );
        // Unknown names pass through unchanged.
        assert_eq!(keys(&to_wire(&root, vec![k("odd_one"), k("x_y")])), "odd_one.x_y");
    }
}
