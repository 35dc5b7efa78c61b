//! `components.schemas`: both sides' definitions under one namespace, the
//! manifest's `$ref`s pointed at them, and the schemas of the envelopes and
//! the error object.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::refs::ref_name;
use crate::{Manifest, Side};

/// The error object (`{"code", "message", …}`).
pub(super) const ERROR: &str = "MizanError";
/// `{"error": MizanError}`.
pub(super) const ERROR_BODY: &str = "MizanErrorBody";
const ISSUE: &str = "MizanIssue";

/// The component name of each side's definitions: a name only one side
/// has, or both with one schema, stays as it is; a name the sides define
/// differently becomes `Name.input` and `Name.output` (schema names have
/// no dots, so these are free).
pub(super) struct Names(BTreeMap<(Side, String), String>);

impl Names {
    pub(super) fn new(manifest: &Manifest) -> Self {
        let mut names = BTreeMap::new();
        for side in [Side::Input, Side::Output] {
            let other = match side {
                Side::Input => Side::Output,
                Side::Output => Side::Input,
            };
            for (name, schema) in manifest.defs(side) {
                let component = match manifest.defs(other).get(name) {
                    Some(theirs) if theirs != schema => match side {
                        Side::Input => format!("{name}.input"),
                        Side::Output => format!("{name}.output"),
                    },
                    _ => name.clone(),
                };
                names.insert((side, name.clone()), component);
            }
        }
        Self(names)
    }

    /// A `#/$defs/Name` reference of `side` as a components reference.
    fn reference(&self, side: Side, reference: &str) -> Option<String> {
        let name = ref_name(reference)?;
        let component = self.0.get(&(side, name))?;
        Some(format!("#/components/schemas/{}", pointer_escape(component)))
    }

    /// `schema` (of `side`) with its references pointed at the components.
    pub(super) fn rewrite(&self, side: Side, schema: &Value) -> Value {
        match schema {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(key, v)| {
                        let v = match (key.as_str(), v.as_str()) {
                            ("$ref", Some(r)) => {
                                self.reference(side, r).map_or_else(|| v.clone(), Value::String)
                            }
                            _ => self.rewrite(side, v),
                        };
                        (key.clone(), v)
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.rewrite(side, v)).collect()),
            other => other.clone(),
        }
    }
}

fn pointer_escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// A reference to a component.
pub(super) fn component_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{}", pointer_escape(name)) })
}

/// Every definition of both sides, then the error object's schemas.
pub(super) fn components(manifest: &Manifest, names: &Names) -> Map<String, Value> {
    let mut out = Map::new();
    for side in [Side::Input, Side::Output] {
        for (name, schema) in manifest.defs(side) {
            if let Some(component) = names.0.get(&(side, name.clone())) {
                out.insert(component.clone(), names.rewrite(side, schema));
            }
        }
    }
    out.insert(ERROR.into(), error_object());
    out.insert(ISSUE.into(), issue());
    out.insert(
        ERROR_BODY.into(),
        json!({
            "type": "object",
            "properties": { "error": component_ref(ERROR) },
            "required": ["error"],
            "additionalProperties": false,
        }),
    );
    out
}

fn error_object() -> Value {
    json!({
        "type": "object",
        "description": "The error object: a wire code, a message for people, and the problems with the input.",
        "properties": {
            "code": { "type": "string", "pattern": "^[A-Z_]+$" },
            "message": { "type": "string" },
            "fields": {
                "type": "object",
                "description": "A dotted wire path (`\"\"` for the input as a whole) → its messages.",
                "additionalProperties": { "type": "array", "items": { "type": "string" } },
            },
            "issues": { "type": "array", "items": component_ref(ISSUE) },
            "request_id": { "type": "string", "pattern": "^[0-9a-f]{32}$" },
            "status": { "type": "integer", "description": "On a batch item: the status of its code." },
            "data": { "description": "A typed error's payload." },
        },
        "required": ["code", "message"],
    })
}

fn issue() -> Value {
    json!({
        "type": "object",
        "properties": {
            "path": {
                "type": "array",
                "items": { "anyOf": [{ "type": "string" }, { "type": "integer", "minimum": 0 }] },
            },
            "code": {
                "type": "string",
                "description": "One of required, invalid_type, too_small, too_big, invalid_format, \
                    invalid_value, unknown_key, custom.",
            },
            "message": { "type": "string" },
        },
        "required": ["path", "code", "message"],
    })
}
