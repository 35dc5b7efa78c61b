//! Which Rust type each `$defs` name stands for, and the names of generic
//! instantiations spelled from their arguments.
//!
//! schemars 1.x names every instantiation of a generic type by the type
//! alone: `Page<User>` is `Page` and `Page<Post>` becomes `Page2`. Its
//! generator knows which type (schema id) got which name but offers no
//! method to ask; its derived `Debug` output lists that table
//! (`schema_id_to_name`), and it is read here, in this one place. If a
//! schemars release changes that output, [`assigned`] finds nothing and the
//! names stay schemars' own (the suffixed names are then refused at
//! start-up as before); the start-up tests of generic names fail loudly.

use std::collections::BTreeMap;

use mizan_manifest::naming::generic_name;
use schemars::SchemaGenerator;
use serde_json::{Map, Value};

/// Schema id → the name the generator gave it, for every definition it made.
pub(crate) fn assigned(generator: &SchemaGenerator) -> BTreeMap<String, String> {
    table(&format!("{generator:?}")).unwrap_or_default()
}

/// The renames of one side's definitions: each generic instantiation that
/// carries schemars' own name (the type's name, perhaps suffixed) gets the
/// name spelled from its arguments. A `#[schemars(rename)]` keeps its name.
pub(crate) fn generic_renames(assigned: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let known: Vec<&str> = assigned.keys().map(String::as_str).collect();
    let mut renames = BTreeMap::new();
    for (id, name) in assigned {
        let Some(ident) = generic_ident(id) else { continue };
        let default =
            name == ident || name.strip_prefix(ident).is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n >= 2));
        if !default {
            continue;
        }
        if let Some(spelled) = generic_name(id, &known).filter(|spelled| spelled != name) {
            renames.insert(name.clone(), spelled);
        }
    }
    renames
}

/// `Page` for `app::Page<app::User>`: the type's own name, when `id` is a
/// derived generic type's.
fn generic_ident(id: &str) -> Option<&str> {
    let path = &id[..id.find('<')?];
    path.contains("::").then(|| path.rsplit("::").next()).flatten()
}

/// Renames definitions `defs` (keys and every `$ref` to them) and the
/// references in `schemas` of the same side. Names already taken stay
/// problems of the caller's: `renames` never maps onto an existing key.
pub(crate) fn apply(
    renames: &BTreeMap<String, String>,
    defs: &mut Map<String, Value>,
    schemas: &mut [&mut Value],
) {
    if renames.is_empty() {
        return;
    }
    let old = std::mem::take(defs);
    for (key, mut value) in old {
        rewrite_refs(&mut value, renames);
        defs.insert(renames.get(&key).cloned().unwrap_or(key), value);
    }
    for schema in schemas {
        rewrite_refs(schema, renames);
    }
}

fn rewrite_refs(value: &mut Value, renames: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "$ref" {
                    let renamed = v
                        .as_str()
                        .and_then(mizan_manifest::refs::ref_name)
                        .and_then(|name| renames.get(&name));
                    if let Some(new) = renamed {
                        *v = Value::String(format!("#/$defs/{new}"));
                    }
                } else {
                    rewrite_refs(v, renames);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, renames)),
        _ => {}
    }
}

/// The `schema_id_to_name` table in a generator's `Debug` text:
/// `schema_id_to_name: {SchemaUid("app::Page<app::User>", Serialize): "Page", …}`.
fn table(debug: &str) -> Option<BTreeMap<String, String>> {
    const FIELD: &str = "schema_id_to_name: {";
    let start = outside_strings(debug, FIELD)? + FIELD.len();
    let mut rest = &debug[start..];
    let mut out = BTreeMap::new();
    loop {
        rest = rest.trim_start_matches([',', ' ']);
        if rest.starts_with('}') {
            return Some(out);
        }
        rest = rest.strip_prefix("SchemaUid(")?;
        let (id, after) = string(rest)?;
        // The contract (`Serialize` or `Deserialize`, possibly with fields).
        let close = after.find("): ")?;
        let (name, after) = string(&after[close + "): ".len()..])?;
        out.insert(id, name);
        rest = after;
    }
}

/// Where `needle` first occurs in `text` outside Debug string literals.
fn outside_strings(text: &str, needle: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            _ if text[i..].starts_with(needle) => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// A Debug string literal at the start of `s` (`"a\"b"`), unescaped, and
/// what follows it.
fn string(s: &str) -> Option<(String, &str)> {
    let mut chars = s.strip_prefix('"')?.char_indices();
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &s[i + 2..])),
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                '0' => out.push('\0'),
                'u' => {
                    let mut hex = String::new();
                    for (_, h) in chars.by_ref() {
                        match h {
                            '{' => {}
                            '}' => break,
                            h => hex.push(h),
                        }
                    }
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use schemars::JsonSchema;
    use schemars::generate::SchemaSettings;

    #[derive(JsonSchema)]
    struct User {
        _name: String,
    }

    /// A page of things.
    #[derive(JsonSchema)]
    struct Page<T> {
        _items: Vec<T>,
    }

    #[derive(JsonSchema)]
    #[schemars(rename = "Pair_of_{A}_and_{B}")]
    struct Pair<A, B> {
        _a: A,
        _b: B,
    }

    #[derive(JsonSchema)]
    struct Feed {
        _users: Page<User>,
        _lists: Page<Vec<User>>,
        _maybe: Page<Option<User>>,
        _strings: Page<String>,
        _pair: Pair<User, String>,
    }

    #[test]
    fn the_generators_table_is_read() {
        let mut generator = SchemaSettings::draft2020_12().for_serialize().into_generator();
        let _ = generator.subschema_for::<Feed>();
        let assigned = assigned(&generator);
        let here = module_path!();
        assert_eq!(assigned.get(&format!("{here}::Page<{here}::User>")).map(String::as_str), Some("Page"));
        assert_eq!(assigned.get(&format!("{here}::Page<[{here}::User]>")).map(String::as_str), Some("Page2"));
        assert_eq!(assigned.get(&format!("{here}::User")).map(String::as_str), Some("User"));
        assert_eq!(assigned.len(), 7, "{assigned:?}");

        let renames = generic_renames(&assigned);
        let expected: BTreeMap<String, String> = [
            ("Page", "PageUser"),
            ("Page2", "PageUserList"),
            ("Page3", "PageUserOrNull"),
            ("Page4", "PageString"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
        assert_eq!(renames, expected, "a #[schemars(rename)] keeps its name");

        let mut defs = generator.take_definitions(true);
        let mut root = serde_json::json!({"$ref": "#/$defs/Page2"});
        apply(&renames, &mut defs, &mut [&mut root]);
        assert_eq!(root, serde_json::json!({"$ref": "#/$defs/PageUserList"}));
        let keys: Vec<&str> = defs.keys().map(String::as_str).collect();
        assert!(keys.contains(&"PageUser") && keys.contains(&"Pair_of_User_and_string"), "{keys:?}");
        assert!(!keys.contains(&"Page2"), "{keys:?}");
        assert_eq!(defs["Feed"]["properties"]["_maybe"]["$ref"], "#/$defs/PageUserOrNull");
    }

    #[test]
    fn debug_strings_are_unescaped() {
        let debug = r#"X { definitions: {"schema_id_to_name: {": 1}, schema_id_to_name: {SchemaUid("a::B<\"q\\\u{e9}>", Serialize): "B", SchemaUid("a::C", Deserialize): "C\n"}, used: {} }"#;
        let t = table(debug).expect("a table");
        assert_eq!(t.get("a::B<\"q\\é>").map(String::as_str), Some("B"));
        assert_eq!(t.get("a::C").map(String::as_str), Some("C\n"));
        assert_eq!(table("no table here"), None);
    }
}
