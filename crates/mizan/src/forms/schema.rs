//! A form's description ([`FormSchema`], defined with the manifest): what
//! `NAME.schema` answers and the manifest's `forms` entry holds. Built once
//! per form from its [`FieldSpec`]s and its JSON Schema (deserialize
//! contract): `required`, constraints, default widgets and enum choices
//! come from the schema.

use std::sync::OnceLock;

use mizan_manifest::refs::resolve;
use serde_json::Value;

use super::{Constraints, FieldSpec, Form, FormChoice, FormField, FormSchema, Literal, Widget};
use crate::upload::{Shape, UploadSpec};

/// A registered form: its description, made on first use and kept, and the
/// problems found while making it (start-up errors).
pub(crate) struct Described {
    pub(crate) name: &'static str,
    build: fn() -> (FormSchema, Vec<String>),
    cached: OnceLock<(FormSchema, Vec<String>)>,
}

impl Described {
    pub(crate) fn new<F: Form>() -> Self {
        Self { name: F::NAME, build: describe::<F>, cached: OnceLock::new() }
    }

    pub(crate) fn schema(&self) -> &FormSchema {
        &self.cached.get_or_init(self.build).0
    }

    /// Initial values and choices that do not fit their field's type.
    pub(crate) fn problems(&self) -> &[String] {
        &self.cached.get_or_init(self.build).1
    }
}

fn describe<F: Form>() -> (FormSchema, Vec<String>) {
    let root = schemars::generate::SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<F>()
        .to_value();
    let required: Vec<&str> = root
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let props = root.get("properties").and_then(Value::as_object);
    let mut problems = Vec::new();
    let fields = F::FIELDS
        .iter()
        .map(|spec| {
            if let Some(upload) = F::UPLOAD.filter(|u| u.arg == spec.name) {
                return file_field(spec, upload);
            }
            let Some(prop) = props.and_then(|p| p.get(spec.name)).map(|p| non_null(&root, resolve(&root, p)))
            else {
                problems.push(format!(
                    "form `{}`: field `{}` is not in the form's schema",
                    F::NAME,
                    spec.name
                ));
                return field(spec, &Value::Null, false);
            };
            let described = field(spec, prop, required.contains(&spec.name));
            let values = std::iter::once(&described.initial)
                .filter(|v| !v.is_null())
                .chain(described.choices.iter().flatten().map(|c| &c.value));
            for value in values {
                if !fits(value, prop) {
                    problems.push(format!(
                        "form `{}`, field `{}`: {value} does not fit the field's type",
                        F::NAME,
                        spec.name
                    ));
                }
            }
            described
        })
        .collect();
    let schema = FormSchema {
        name: F::NAME.to_owned(),
        title: F::TITLE.to_owned(),
        doc: F::DOC.map(str::to_owned),
        fields,
    };
    (schema, problems)
}

/// Whether `value` has a JSON type the field's schema allows (and is one of
/// its `enum` values, when it has some). A schema without `type` allows all.
fn fits(value: &Value, prop: &Value) -> bool {
    if let Some(allowed) = prop.get("enum").and_then(Value::as_array) {
        return allowed.contains(value);
    }
    let allowed = types(prop);
    let kind = match value {
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        _ => return allowed.is_empty(),
    };
    allowed.is_empty() || allowed.contains(&kind) || (kind == "integer" && allowed.contains(&"number"))
}

fn field(spec: &FieldSpec, prop: &Value, required: bool) -> FormField {
    let choices = match spec.choices {
        Some(list) => Some(
            list.iter()
                .map(|c| FormChoice {
                    value: c.value.to_json(),
                    label: c.label.map_or_else(|| literal_label(c.value), str::to_owned),
                })
                .collect(),
        ),
        None => enum_choices(prop),
    };
    let widget = spec.widget.unwrap_or_else(|| default_widget(prop, choices.is_some()));
    FormField {
        name: spec.name.to_owned(),
        label: spec.label.map_or_else(|| humanize(spec.name), str::to_owned),
        widget,
        required,
        choices,
        initial: spec.initial.map_or(Value::Null, Literal::to_json),
        help_text: spec.help.map(str::to_owned),
        constraints: constraints(prop),
    }
}

/// The non-null member of an `Option`'s schema: `anyOf [T, null]` or `type: [T, "null"]`.
fn non_null<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    if let Some(members) = node.get("anyOf").and_then(Value::as_array) {
        let rest: Vec<&Value> = members.iter().filter(|m| m.get("type") != Some(&"null".into())).collect();
        if let [only] = rest.as_slice() {
            return resolve(root, only);
        }
    }
    node
}

fn types(node: &Value) -> Vec<&str> {
    match node.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect(),
        _ => Vec::new(),
    }
}

fn default_widget(prop: &Value, has_choices: bool) -> Widget {
    if has_choices {
        return Widget::Select;
    }
    let types = types(prop);
    if types.contains(&"boolean") {
        return Widget::Checkbox;
    }
    if types.contains(&"integer") || types.contains(&"number") {
        return Widget::Number;
    }
    match prop.get("format").and_then(Value::as_str) {
        Some("email") => Widget::Email,
        Some("uri") => Widget::Url,
        Some("date") => Widget::Date,
        Some("time" | "partial-time") => Widget::Time,
        // An instant too: the client's form runtime adds the browser's offset.
        Some("partial-date-time" | "date-time") => Widget::DatetimeLocal,
        _ => Widget::Text,
    }
}

/// A unit enum's values (`enum: ["a", "b"]`, or `oneOf` of `const`s).
fn enum_choices(prop: &Value) -> Option<Vec<FormChoice>> {
    let values: Vec<(Value, Option<String>)> = if let Some(list) = prop.get("enum").and_then(Value::as_array)
    {
        list.iter().filter(|v| !v.is_null()).map(|v| (v.clone(), None)).collect()
    } else {
        let members = prop.get("oneOf").and_then(Value::as_array)?;
        members
            .iter()
            .map(|m| {
                let value = m.get("const")?.clone();
                let label = m.get("description").and_then(Value::as_str).map(str::to_owned);
                Some((value, label))
            })
            .collect::<Option<_>>()?
    };
    if values.is_empty() || !values.iter().all(|(v, _)| v.is_string()) {
        return None;
    }
    Some(
        values
            .into_iter()
            .map(|(value, label)| {
                let label = label.unwrap_or_else(|| humanize(value.as_str().unwrap_or_default()));
                FormChoice { value, label }
            })
            .collect(),
    )
}

fn constraints(prop: &Value) -> Constraints {
    let num = |k: &str| prop.get(k).and_then(Value::as_f64);
    let count = |k: &str| prop.get(k).and_then(Value::as_u64).map(|n| u32::try_from(n).unwrap_or(u32::MAX));
    let text = |k: &str| prop.get(k).and_then(Value::as_str).map(str::to_owned);
    Constraints {
        min_length: count("minLength"),
        max_length: count("maxLength"),
        minimum: num("minimum"),
        maximum: num("maximum"),
        exclusive_minimum: num("exclusiveMinimum"),
        exclusive_maximum: num("exclusiveMaximum"),
        min_items: count("minItems"),
        max_items: count("maxItems"),
        pattern: text("pattern"),
        format: text("format"),
        ..Constraints::default()
    }
}

/// A file field's description: widget `file`, required unless optional or
/// a list, its `#[upload]` limits as constraints.
fn file_field(spec: &FieldSpec, upload: UploadSpec) -> FormField {
    let multiple = upload.shape == Shape::List;
    FormField {
        name: spec.name.to_owned(),
        label: spec.label.map_or_else(|| humanize(spec.name), str::to_owned),
        widget: Widget::File,
        required: upload.shape == Shape::One,
        choices: None,
        initial: Value::Null,
        help_text: spec.help.map(str::to_owned),
        constraints: Constraints {
            // Exact in JavaScript; a larger limit is no limit a browser meets.
            max_bytes: Some(upload.max_bytes.min((1 << 53) - 1)),
            max_count: multiple.then_some(upload.max_count),
            mime: (!upload.mime.is_empty()).then(|| upload.mime.iter().map(|m| (*m).to_owned()).collect()),
            multiple: Some(multiple),
            ..Constraints::default()
        },
    }
}

fn literal_label(value: Literal) -> String {
    match value {
        Literal::Str(s) => s.to_owned(),
        other => other.to_json().to_string(),
    }
}

/// `full_name`, `fullName` or `full-name` → "Full name".
pub(crate) fn humanize(name: &str) -> String {
    let mut words = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.chars() {
        if c == '_' || c == '-' || c == ' ' {
            if !words.ends_with(' ') && !words.is_empty() {
                words.push(' ');
            }
            prev_lower = false;
        } else if c.is_uppercase() && prev_lower {
            words.push(' ');
            words.extend(c.to_lowercase());
            prev_lower = false;
        } else {
            words.extend(c.to_lowercase());
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
        }
    }
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_in_words() {
        assert_eq!(humanize("full_name"), "Full name");
        assert_eq!(humanize("fullName"), "Full name");
        assert_eq!(humanize("FULL-NAME"), "Full name");
        assert_eq!(humanize("email"), "Email");
    }

    #[test]
    fn widgets_and_constraints_come_from_the_schema() {
        let opt_email =
            json!({"anyOf": [{"type": "string", "format": "email", "maxLength": 5}, {"type": "null"}]});
        let root = json!({});
        let prop = non_null(&root, &opt_email);
        assert_eq!(default_widget(prop, false), Widget::Email);
        assert_eq!(constraints(prop).max_length, Some(5));
        assert_eq!(default_widget(&json!({"type": "boolean"}), false), Widget::Checkbox);
        assert_eq!(default_widget(&json!({"type": ["integer", "null"]}), false), Widget::Number);
        assert_eq!(default_widget(&json!({"type": "string"}), true), Widget::Select);
        let string = |format: &str| json!({"type": "string", "format": format});
        assert_eq!(default_widget(&string("date"), false), Widget::Date);
        assert_eq!(default_widget(&string("partial-time"), false), Widget::Time);
        assert_eq!(default_widget(&string("partial-date-time"), false), Widget::DatetimeLocal);
        assert_eq!(default_widget(&string("date-time"), false), Widget::DatetimeLocal);
        assert_eq!(
            default_widget(&json!({"type": ["string", "null"], "format": "date"}), false),
            Widget::Date
        );
        assert_eq!(default_widget(&string("uuid"), false), Widget::Text);
        let choices = enum_choices(&json!({"type": "string", "enum": ["bug_report", "other"]})).unwrap();
        assert_eq!(choices[0], FormChoice { value: json!("bug_report"), label: "Bug report".into() });
        assert_eq!(enum_choices(&json!({"type": "integer", "enum": [1, 2]})), None);
    }

    #[test]
    fn initial_values_and_choices_must_fit() {
        assert!(fits(&json!("x"), &json!({"type": "string"})));
        assert!(!fits(&json!(1), &json!({"type": "string"})));
        assert!(fits(&json!(1), &json!({"type": "number"})));
        assert!(!fits(&json!(1.5), &json!({"type": "integer"})));
        assert!(fits(&json!(true), &json!({"type": ["boolean", "null"]})));
        assert!(!fits(&json!("c"), &json!({"type": "string", "enum": ["a", "b"]})));
        assert!(fits(&json!([1]), &json!({})));
    }
}
