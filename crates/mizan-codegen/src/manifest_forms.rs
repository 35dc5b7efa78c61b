//! Reading the manifest's `forms` entries (docs/manifest.md): each is checked
//! field by field, so a malformed entry is refused with its place rather than
//! emitted into TypeScript that would not type-check.

use serde_json::{Map, Value};

use crate::error::CodegenError;
use crate::manifest::{Form, bad, opt_str};

/// The widgets a field may name (`FormWidget` in `@mizan/client`).
pub(crate) const WIDGETS: &[&str] = &[
    "text",
    "textarea",
    "email",
    "url",
    "password",
    "number",
    "checkbox",
    "select",
    "radio",
    "date",
    "time",
    "datetime-local",
    "hidden",
];

/// The keys of a field's `constraints`, with whether each is a number (else a string).
const CONSTRAINTS: &[(&str, bool)] = &[
    ("minLength", true),
    ("maxLength", true),
    ("minimum", true),
    ("maximum", true),
    ("exclusiveMinimum", true),
    ("exclusiveMaximum", true),
    ("minItems", true),
    ("maxItems", true),
    ("pattern", false),
    ("format", false),
];

fn string<'a>(o: &'a Map<String, Value>, key: &str, who: &str) -> Result<&'a str, CodegenError> {
    o.get(key).and_then(Value::as_str).ok_or_else(|| bad(format!("{who}: `{key}` must be a string")))
}

pub(crate) fn parse_form(index: usize, value: &Value) -> Result<Form<'_>, CodegenError> {
    let f = value.as_object().ok_or_else(|| bad(format!("forms[{index}] must be an object")))?;
    let name = f
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| bad(format!("forms[{index}]: `name` must be a string")))?;
    let who = format!("form `{name}`");
    let title = string(f, "title", &who)?;
    let doc = opt_str(f, "doc", &who)?;
    let fields = f
        .get("fields")
        .and_then(Value::as_array)
        .ok_or_else(|| bad(format!("{who}: `fields` must be an array")))?;
    let mut seen = std::collections::BTreeSet::new();
    for (i, field) in fields.iter().enumerate() {
        let at = format!("{who}, fields[{i}]");
        let field = field.as_object().ok_or_else(|| bad(format!("{at} must be an object")))?;
        let field_name = string(field, "name", &at)?;
        if !seen.insert(field_name) {
            return Err(bad(format!("{who}: field `{field_name}` is listed twice")));
        }
        let at = format!("{who}, field `{field_name}`");
        string(field, "label", &at)?;
        let widget = string(field, "widget", &at)?;
        if !WIDGETS.contains(&widget) {
            return Err(bad(format!(
                "{at}: unknown widget {widget:?} (expected one of {})",
                WIDGETS.join(", ")
            )));
        }
        if !field.get("required").is_some_and(Value::is_boolean) {
            return Err(bad(format!("{at}: `required` must be a boolean")));
        }
        opt_str(field, "help_text", &at)?;
        match field.get("choices") {
            None | Some(Value::Null) => {}
            Some(Value::Array(choices)) => {
                for c in choices {
                    let ok = c.get("value").is_some() && c.get("label").is_some_and(Value::is_string);
                    if !ok {
                        return Err(bad(format!(
                            "{at}: each choice must be {{\"value\": …, \"label\": string}}"
                        )));
                    }
                }
            }
            Some(_) => return Err(bad(format!("{at}: `choices` must be an array or null"))),
        }
        match field.get("constraints") {
            None => {}
            Some(Value::Object(c)) => {
                for (key, value) in c {
                    let ok = CONSTRAINTS.iter().find(|(k, _)| k == key).is_some_and(|(_, number)| {
                        if *number { value.is_number() } else { value.is_string() }
                    });
                    if !ok {
                        return Err(bad(format!("{at}: unknown or mistyped constraint `{key}`")));
                    }
                }
            }
            Some(_) => return Err(bad(format!("{at}: `constraints` must be an object"))),
        }
    }
    Ok(Form { name, title, doc, entry: value })
}
