//! An entry of the manifest's `forms`: a form's description, which is also
//! what its `NAME.schema` function answers (so these types carry their JSON
//! Schema, under the names `MizanForm…`).

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::de::{WireStrings, null_as_default, string_or_null, wire_string};

/// The schema of a description is the schema of what the server sends:
/// how a reader treats absent keys (`#[serde(default)]`) and unknown
/// constraints is not part of it.
fn as_sent(schema: &mut schemars::Schema) {
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for prop in props.values_mut().filter_map(Value::as_object_mut) {
            prop.remove("default");
        }
    }
    schema.remove("additionalProperties");
    // The doc comment's `description` closes the schema, as for any type.
    if let Some(description) = schema.remove("description") {
        schema.insert("description".into(), description);
    }
}

/// A form's description (`NAME.schema`'s answer, the manifest's `forms` entry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(expecting = "an object")]
#[schemars(rename = "MizanFormSchema", transform = as_sent)]
pub struct FormSchema {
    /// The form's wire name.
    pub name: String,
    /// The title shown above the form.
    pub title: String,
    /// The form struct's doc comment.
    #[serde(default, deserialize_with = "string_or_null")]
    pub doc: Option<String>,
    /// The fields, in declaration order.
    pub fields: Vec<FormField>,
}

/// One field of a [`FormSchema`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(expecting = "an object")]
#[schemars(rename = "MizanFormField", transform = as_sent)]
pub struct FormField {
    /// The wire name (the key in the values and in field errors).
    pub name: String,
    /// What the user sees: `#[form(label)]`, or the name in words (`full_name` → "Full name").
    pub label: String,
    /// `#[form(widget)]`, or one that fits the type: `file` for an upload
    /// field, `select` with choices, `checkbox`, `number`, `email`, `url`,
    /// `date`, `time`, else `text`.
    pub widget: Widget,
    /// Whether the value must be present (the schema's `required`).
    pub required: bool,
    /// `#[form(choices)]`, or a string enum's values; `null` for free input.
    #[serde(default)]
    pub choices: Option<Vec<FormChoice>>,
    /// `#[form(initial)]`, or `null`.
    #[serde(default)]
    pub initial: Value,
    /// `#[form(help)]`, or `null`.
    #[serde(default, deserialize_with = "string_or_null")]
    pub help_text: Option<String>,
    /// The garde rules as JSON Schema keywords (lengths in code points).
    #[serde(default, deserialize_with = "null_as_default")]
    pub constraints: Constraints,
}

/// One choice of a [`FormField`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(expecting = "an object")]
#[schemars(rename = "MizanFormChoice")]
pub struct FormChoice {
    /// The value sent on the wire.
    pub value: Value,
    /// What the user sees.
    pub label: String,
}

/// A field's rules, named as in JSON Schema; absent when the field has none.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, expecting = "an object")]
#[schemars(rename = "MizanFormConstraints", transform = as_sent)]
#[allow(missing_docs)]
pub struct Constraints {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_minimum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_maximum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u32>,
    /// A regular expression the value must match (Rust/JS-equivalent subset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// `email`, `uri`, `date`, … as in JSON Schema.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// A `file` field: bytes allowed per file (`#[upload(max_bytes)]`),
    /// at most 2^53 − 1 (a JSON number JavaScript reads exactly).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 9_007_199_254_740_991u64))]
    pub max_bytes: Option<u64>,
    /// A `file` field taking a list: files allowed (`#[upload(max_count)]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_count: Option<u32>,
    /// A `file` field: the declared content types allowed (`type/subtype`
    /// or `type/*`, `#[upload(mime)]`); absent when any is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime: Option<Vec<String>>,
    /// A `file` field: whether it takes a list of files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiple: Option<bool>,
}

/// How a field is edited. Serialized as the HTML input type it stands for
/// (`"datetime-local"` for [`Widget::DatetimeLocal`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "MizanFormWidget")]
#[allow(missing_docs)]
pub enum Widget {
    Text,
    Textarea,
    Email,
    Url,
    Password,
    Number,
    Checkbox,
    Select,
    Radio,
    Date,
    Time,
    DatetimeLocal,
    Hidden,
    /// A file input: the field is an upload (`mizan::Upload`,
    /// `Option<mizan::Upload>` or `mizan::Uploads`), sent as a part of the
    /// multipart `NAME.submit` call and never to `NAME.validate`.
    File,
}

impl Widget {
    /// Every widget, in documentation order.
    pub const ALL: [Widget; 14] = [
        Self::Text,
        Self::Textarea,
        Self::Email,
        Self::Url,
        Self::Password,
        Self::Number,
        Self::Checkbox,
        Self::Select,
        Self::Radio,
        Self::Date,
        Self::Time,
        Self::DatetimeLocal,
        Self::Hidden,
        Self::File,
    ];

    /// The wire string (the HTML input type): `"text"`, …, `"datetime-local"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Textarea => "textarea",
            Self::Email => "email",
            Self::Url => "url",
            Self::Password => "password",
            Self::Number => "number",
            Self::Checkbox => "checkbox",
            Self::Select => "select",
            Self::Radio => "radio",
            Self::Date => "date",
            Self::Time => "time",
            Self::DatetimeLocal => "datetime-local",
            Self::Hidden => "hidden",
            Self::File => "file",
        }
    }
}

impl WireStrings for Widget {
    const ALL: &'static [Self] = &Self::ALL;
    const WHAT: &'static str = "widget";
    fn wire(self) -> &'static str {
        self.as_str()
    }
}

impl<'de> Deserialize<'de> for Widget {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        wire_string(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn widget_strings_are_what_serde_writes() {
        for w in Widget::ALL {
            assert_eq!(serde_json::to_value(w).unwrap(), w.as_str());
            assert_eq!(serde_json::from_value::<Widget>(json!(w.as_str())).unwrap(), w);
        }
        let e = serde_json::from_value::<Widget>(json!("slider")).unwrap_err().to_string();
        assert!(e.starts_with("unknown widget \"slider\" (expected one of text, textarea,"), "{e}");
    }

    #[test]
    fn a_field_round_trips_and_omits_absent_constraints() {
        let field = json!({
            "name": "age", "label": "Age", "widget": "number", "required": false,
            "choices": null, "initial": 3, "help_text": null,
            "constraints": { "minimum": 0.0, "maxLength": 3 }
        });
        let typed: FormField = serde_json::from_value(field).unwrap();
        assert_eq!(typed.constraints.minimum, Some(0.0));
        assert_eq!(typed.constraints.max_length, Some(3));
        let back = serde_json::to_value(&typed).unwrap();
        assert_eq!(back["constraints"], json!({ "maxLength": 3, "minimum": 0.0 }));
        assert!(serde_json::from_value::<Constraints>(json!({ "placeholder": "x" })).is_err());
    }
}
