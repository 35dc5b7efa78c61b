//! Turning a deserialization error into a message that names its place the
//! way a developer reads the manifest: `function `echo`: `kind` …`,
//! `form `contact`, field `email`: …`, `channels[0] must be an object`.

use std::fmt;

use serde_json::Value;
use serde_path_to_error::Segment;

/// Why a JSON value is not a manifest (version 1). The message names the
/// function, channel, form or field it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError(pub String);

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ManifestError {}

/// Keys whose value is a JSON Schema.
const SCHEMA_KEYS: &[&str] = &["input", "output", "params", "server_message", "client_message", "props"];

/// The top-level lists, with the noun for one of their entries.
const LISTS: &[(&str, &str)] =
    &[("functions", "function"), ("channels", "channel"), ("forms", "form"), ("pages", "page")];

enum Seg {
    Key(String),
    Index(usize),
}

/// `noun `name`` when the entry has a string name, else `list[index]`.
fn entry_name(node: Option<&Value>, noun: &str, list: &str, index: usize) -> String {
    match node.and_then(|n| n.get("name")).and_then(Value::as_str) {
        Some(name) => format!("{noun} `{name}`"),
        None => format!("{list}[{index}]"),
    }
}

pub(crate) fn locate(root: &Value, e: &serde_path_to_error::Error<serde_json::Error>) -> ManifestError {
    let segs: Vec<Seg> = e
        .path()
        .iter()
        .filter_map(|s| match s {
            Segment::Map { key } => Some(Seg::Key(key.clone())),
            Segment::Seq { index } => Some(Seg::Index(*index)),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect();
    let message = e.inner().to_string();
    let mut who = String::new();
    let mut rest = segs.as_slice();
    let mut in_constraints = false;
    if let [Seg::Key(list), Seg::Index(i), tail @ ..] = rest
        && let Some((_, noun)) = LISTS.iter().find(|(l, _)| l == list)
    {
        let entry = root.get(list).and_then(|l| l.get(*i));
        who = entry_name(entry, noun, list, *i);
        rest = tail;
        if let [Seg::Key(fields), Seg::Index(j), tail @ ..] = rest
            && *noun == "form"
            && fields == "fields"
        {
            let field = entry.and_then(|f| f.get("fields")).and_then(|f| f.get(*j));
            who.push_str(", ");
            who.push_str(&entry_name(field, "field", "fields", *j));
            rest = tail;
            if let [Seg::Key(choices), Seg::Index(_), ..] = rest
                && choices == "choices"
            {
                return ManifestError(format!(
                    "{who}: each choice must be {{\"value\": …, \"label\": string}} ({message})"
                ));
            }
            if let [Seg::Key(c), tail @ ..] = rest
                && c == "constraints"
            {
                in_constraints = true;
                rest = tail;
            }
        }
    }
    let key = match rest {
        [] if in_constraints => "`constraints`".to_owned(),
        [] => String::new(),
        [Seg::Key(k)] if in_constraints => format!("constraint `{k}`"),
        segs => {
            let mut path = String::new();
            for s in segs {
                match s {
                    Seg::Key(k) if path.is_empty() => path.push_str(k),
                    Seg::Key(k) => {
                        path.push('.');
                        path.push_str(k);
                    }
                    Seg::Index(i) => path.push_str(&format!("[{i}]")),
                }
            }
            format!("`{path}`")
        }
    };
    ManifestError(describe(&who, &key, in_constraints, &message))
}

/// The message for an error at `who` (empty: the top level) and `key`
/// (empty: the entry itself) from serde's `message`; `constraints` when
/// the error is inside a field's constraints.
fn describe(who: &str, key: &str, constraints: bool, message: &str) -> String {
    let at = |text: String| if who.is_empty() { text } else { format!("{who}: {text}") };
    if let Some((field, _)) = message.strip_prefix("missing field `").and_then(|m| m.split_once('`')) {
        let place = if key.is_empty() { String::new() } else { format!("{key}: ") };
        return at(if SCHEMA_KEYS.contains(&field) {
            format!("{place}`{field}` schema is missing")
        } else if field == "name" {
            format!("{place}`name` must be a string (it is missing)")
        } else if who.is_empty() && key.is_empty() {
            format!("`{field}` is missing (it is always present, possibly empty)")
        } else {
            format!("{place}`{field}` is missing")
        });
    }
    if let Some((field, expected)) = message.strip_prefix("unknown field `").and_then(|m| m.split_once("`, "))
    {
        let what = if constraints { "constraint" } else { "key" };
        return at(format!("unknown {what} `{field}` ({expected})"));
    }
    if let Some((unexpected, expected)) =
        message.strip_prefix("invalid type: ").and_then(|m| m.rsplit_once(", expected "))
    {
        let text = format!("must be {expected}, not {unexpected}");
        return match (who.is_empty(), key.is_empty()) {
            (_, false) => at(format!("{key} {text}")),
            (false, true) => format!("{who} {text}"),
            (true, true) => format!("the manifest {text}"),
        };
    }
    if key.is_empty() { at(message.to_owned()) } else { at(format!("{key}: {message}")) }
}

#[cfg(test)]
mod tests {
    use crate::Manifest;
    use serde_json::{Value, json};

    fn function() -> Value {
        json!({
            "name": "probe", "kind": "query", "auth": "public", "context": null,
            "invalidates": [], "doc": null, "args": [], "input": {}, "output": {}
        })
    }

    fn refusal(edit: impl FnOnce(&mut Value)) -> String {
        let mut m = json!({
            "version": 1, "functions": [function()], "channels": [], "forms": [],
            "input_defs": {}, "output_defs": {}
        });
        edit(&mut m);
        Manifest::from_json(&m).expect_err("refused").to_string()
    }

    #[test]
    fn places_are_named() {
        assert_eq!(
            refusal(|m| m["functions"][0]["kind"] = json!(1)),
            "function `probe`: `kind` must be a string, not integer `1`"
        );
        assert_eq!(
            refusal(|m| m["functions"][0]["invalidates"] = json!([1])),
            "function `probe`: `invalidates[0]` must be a string, not integer `1`"
        );
        assert_eq!(
            refusal(|m| m["functions"][0] = json!(3)),
            "functions[0] must be an object, not integer `3`"
        );
        assert_eq!(
            refusal(|m| m["functions"][0].as_object_mut().unwrap().retain(|k, _| k != "output")),
            "function `probe`: `output` schema is missing"
        );
        assert_eq!(
            refusal(|m| m.as_object_mut().unwrap().retain(|k, _| k != "channels")),
            "`channels` is missing (it is always present, possibly empty)"
        );
        assert_eq!(refusal(|m| m["forms"] = json!({})), "`forms` must be a sequence, not map");
        assert_eq!(
            refusal(|m| m["version"] = json!(7)),
            "unsupported manifest version 7 (this reader takes version 1)"
        );
    }

    #[test]
    fn absent_optional_keys_read_as_their_defaults() {
        let m = Manifest::from_json(&json!({
            "version": 1, "channels": [], "forms": [],
            "functions": [{ "name": "a", "kind": "query", "input": {}, "output": {} }]
        }))
        .expect("reads");
        let f = &m.functions[0];
        assert_eq!((f.auth.wire_name(), f.context, f.doc.as_deref()), ("public", None, None));
        assert!(f.invalidates.is_empty() && f.args.is_empty() && m.input_defs.is_empty());
        // Written back, every key is present (and `pages`, empty, is not).
        let back = m.to_json();
        let keys: Vec<&str> = back.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["version", "functions", "channels", "forms", "input_defs", "output_defs"]);
        assert_eq!(back["functions"][0]["auth"], "public");
    }
}
