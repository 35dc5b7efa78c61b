//! The input contract, enforced: each input's root schema (the one the
//! manifest publishes for that function, form, channel params or channel
//! client message) is lowered once, at registration, to the type model of
//! `mizan_manifest::schema` (the one codegen renders as Zod) and compiled;
//! every incoming JSON value is walked along it before it is deserialized.
//! Issues are collected at the value's own paths, so every path is a wire
//! path; the codes are the wire's (`docs/protocol.md`).

mod formats;
mod locate;
mod node;
mod walk;

use mizan_manifest::schema::{Format, Side};
use serde_json::Value;

use crate::error::{Issue, PathSegment};
use node::Node;

pub(crate) use locate::Located;

/// One input's compiled schema.
#[derive(Debug)]
pub(crate) struct Contract {
    compiled: node::Compiled,
    /// Whether a typed parse alone enforces everything the schema says.
    plain: bool,
}

impl Contract {
    /// Compiles `root` (a root schema with its `$defs`, input side).
    pub(crate) fn new(root: &Value) -> Self {
        Self { compiled: node::Compiled::new(root), plain: plain(root) }
    }

    /// Compiles an output's `root` (with its `$defs`, output side: objects
    /// allow keys they do not list unless they say otherwise), for the
    /// dev-mode output check.
    pub(crate) fn output(root: &Value) -> Self {
        Self { compiled: node::Compiled::for_side(root, Side::Output), plain: false }
    }

    /// Every issue `value` has under the contract (none: it passes).
    pub(crate) fn check(&self, value: &Value) -> Vec<Issue> {
        self.walk(value).0
    }

    /// Judges `value` under the contract: every issue it has, or (when it
    /// passes) `value` with its dates and times written in their canonical
    /// form (`formats::canonical`), ready for serde.
    pub(crate) fn admit(&self, value: &mut Value) -> Result<(), Vec<Issue>> {
        let (issues, rewrites) = self.walk(value);
        if !issues.is_empty() {
            return Err(issues);
        }
        for rewrite in rewrites {
            if let Some(Value::String(s)) = at_path(value, &rewrite.path) {
                *s = rewrite.text;
            }
        }
        Ok(())
    }

    fn walk(&self, value: &Value) -> (Vec<Issue>, Vec<walk::Rewrite>) {
        let mut walk = walk::Walk::new(&self.compiled);
        walk.node(&self.compiled.root, value, 0);
        walk.finish()
    }

    /// Whether the contract says nothing a successful typed parse does not
    /// already ensure: an object refusing unknown keys whose properties are
    /// scalars without rules (hello's `echo(text: String)`). Such inputs
    /// may be parsed straight into their Rust type.
    pub(crate) fn is_plain(&self) -> bool {
        self.plain
    }

    /// Where a Rust path (garde's field names and indices) lands on the
    /// wire, following `value` (the input) through the schema.
    pub(crate) fn locate<'a>(&'a self, value: &'a Value, rust: &[PathSegment]) -> Located<'a> {
        locate::locate(&self.compiled, value, rust)
    }

    /// Whether the schema at `at` carries `rule` (so the contract already
    /// judged it). Unknown when the path could not be mapped: then it is
    /// taken as carried, as schemars carries these rules wherever garde
    /// can apply them but on maps and non-numeric ranges.
    pub(crate) fn carries(&self, at: &Located<'_>, rule: Rule) -> bool {
        let Some(mut node) = at.node else { return true };
        for _ in 0..64 {
            node = match node {
                Node::Ref(i) => match self.compiled.defs.get(*i) {
                    Some(def) => def,
                    None => return true,
                },
                Node::Nullable(inner) => inner,
                _ => break,
            };
        }
        match (rule, node) {
            (Rule::Required, _) => true,
            (Rule::MinLength, Node::Str(s)) => s.min_chars.is_some(),
            (Rule::MaxLength, Node::Str(s)) => s.max_chars.is_some(),
            (Rule::MinLength, Node::Array { min, .. }) => min.is_some(),
            (Rule::MaxLength, Node::Array { max, .. }) => max.is_some(),
            (Rule::MinLength | Rule::MaxLength, Node::Tuple { .. }) => true,
            (Rule::Min | Rule::Max, Node::Int { .. }) => true,
            (Rule::Min, Node::Float(f)) => f.min.is_some() || f.exclusive_min.is_some(),
            (Rule::Max, Node::Float(f)) => f.max.is_some() || f.exclusive_max.is_some(),
            (Rule::Pattern, Node::Str(s)) => s.pattern.is_some(),
            (Rule::Email, Node::Str(s)) => s.format == Format::Email,
            (Rule::Url, Node::Str(s)) => s.format == Format::Uri,
            (Rule::Ip, Node::Str(s)) => matches!(s.format, Format::Ip | Format::Ipv4 | Format::Ipv6),
            // A union or intersection: some member has it.
            (_, Node::Union { .. } | Node::Inter(_)) => true,
            _ => false,
        }
    }
}

/// The value at `path` in `value`, if there is one (a rewrite of a default
/// the server fills in has none yet: serde fills it in canonical already).
fn at_path<'a>(value: &'a mut Value, path: &[PathSegment]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |node, segment| match (node, segment) {
        (Value::Object(map), PathSegment::Key(k)) => map.get_mut(k),
        (Value::Array(items), PathSegment::Index(i)) => items.get_mut(*i),
        _ => None,
    })
}

/// A garde rule the schema carries (schemars writes it as a keyword).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// `length(min)`: `minLength` / `minItems`.
    MinLength,
    /// `length(max)`: `maxLength` / `maxItems`.
    MaxLength,
    /// `range(min)`: `minimum`.
    Min,
    /// `range(max)`: `maximum`.
    Max,
    /// `pattern`, `contains`: `pattern`.
    Pattern,
    /// `email`: `format: email`.
    Email,
    /// `url`: `format: uri`.
    Url,
    /// `ip`, `ipv4`, `ipv6`: their formats.
    Ip,
    /// `required`: the property is required and not nullable.
    Required,
}

/// Keys of a scalar property schema that carry no rule.
const NOTES: &[&str] =
    &["description", "title", "default", "deprecated", "examples", "readOnly", "writeOnly"];

/// The [`Contract::is_plain`] test, on the JSON Schema itself (conservative:
/// anything it does not recognise is not plain).
fn plain(root: &Value) -> bool {
    let Some(m) = root.as_object() else { return false };
    let known = ["type", "properties", "required", "additionalProperties", "$schema", "$defs"];
    if m.get("type") != Some(&Value::String("object".into()))
        || m.get("additionalProperties") != Some(&Value::Bool(false))
        || !m.keys().all(|k| known.contains(&k.as_str()) || NOTES.contains(&k.as_str()))
    {
        return false;
    }
    match m.get("properties") {
        None => true,
        Some(Value::Object(props)) => props.values().all(plain_scalar),
        Some(_) => false,
    }
}

/// A property serde checks completely: a string, boolean, null, a float
/// (`format: double`) or an integer of a sized Rust type, or one of these or
/// null, with no rule.
fn plain_scalar(schema: &Value) -> bool {
    let Some(m) = schema.as_object() else { return false };
    let format = m.get("format").and_then(Value::as_str);
    let scalar = |t: &str| match t {
        "null" => true,
        "string" | "boolean" => format.is_none(),
        "number" => format == Some("double"),
        "integer" => matches!(
            format,
            Some("int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64")
        ),
        _ => false,
    };
    let typed = match m.get("type") {
        Some(Value::String(t)) => scalar(t),
        Some(Value::Array(ts)) => {
            ts.iter().all(|t| t.as_str().is_some_and(scalar))
                && ts.iter().filter(|t| t.as_str() != Some("null")).count() == 1
        }
        _ => false,
    };
    // schemars spells out the range of `u8`, `i16`, `u32`, …: that range is
    // the Rust type's own, which serde enforces.
    let (lo, hi): (i64, Option<i64>) = match format {
        Some("int8") => (i8::MIN.into(), Some(i8::MAX.into())),
        Some("int16") => (i16::MIN.into(), Some(i16::MAX.into())),
        Some("uint8") => (0, Some(u8::MAX.into())),
        Some("uint16") => (0, Some(u16::MAX.into())),
        _ => (0, None),
    };
    let own_range = |k: &str, v: &Value| match k {
        "minimum" => v.as_i64() == Some(lo) && format.is_some_and(|f| f.starts_with("uint") || hi.is_some()),
        "maximum" => hi.is_some() && v.as_i64() == hi,
        _ => false,
    };
    typed
        && m.iter()
            .all(|(k, v)| k == "type" || k == "format" || NOTES.contains(&k.as_str()) || own_range(k, v))
}

#[cfg(test)]
mod tests;
