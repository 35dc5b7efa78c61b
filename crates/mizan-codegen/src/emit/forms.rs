//! `forms.ts`: per form, the values' type and Zod schema and the form object
//! (`contact`: its description, values schema and the functions
//! `schema()` / `validate(values)` / `submit(values)`); no React (the
//! react-hook-form hooks are in `form-hooks.ts`). Emitted only when there
//! are forms.

use serde_json::Value;

use super::{header, import, sibling};
use crate::model::{FormModel, Model};
use crate::names::{js_string, prop_key};
use crate::render::doc_comment;

/// A JSON value as a one-line JavaScript literal.
fn inline(value: &Value) -> String {
    match value {
        Value::String(s) => js_string(s),
        Value::Array(items) => format!("[{}]", items.iter().map(inline).collect::<Vec<_>>().join(", ")),
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        Value::Object(map) => {
            let props: Vec<String> =
                map.iter().map(|(k, v)| format!("{}: {}", prop_key(k), inline(v))).collect();
            format!("{{ {} }}", props.join(", "))
        }
        other => other.to_string(),
    }
}

/// A field's description: one property per line; long arrays (choices) one item per line.
fn field(value: &Value, pad: &str) -> String {
    let Value::Object(map) = value else { return format!("{pad}{},\n", inline(value)) };
    let mut out = format!("{pad}{{\n");
    for (key, v) in map {
        let one_line = inline(v);
        match v {
            Value::Array(items) if one_line.len() > 72 => {
                out.push_str(&format!("{pad}  {}: [\n", prop_key(key)));
                for item in items {
                    out.push_str(&format!("{pad}    {},\n", inline(item)));
                }
                out.push_str(&format!("{pad}  ],\n"));
            }
            _ => out.push_str(&format!("{pad}  {}: {one_line},\n", prop_key(key))),
        }
    }
    out.push_str(&format!("{pad}}},\n"));
    out
}

fn form_object(model: &Model<'_>, form: &FormModel<'_>) -> String {
    let f = form.f;
    let (schema, validate, submit) =
        (&model.functions[form.schema], &model.functions[form.validate], &model.functions[form.submit]);
    let mut out = String::new();
    let intro = format!("Form `{}`: {}.", f.name, f.title.trim_end_matches('.'));
    let usage = format!(
        "The form's description (`fields`: labels, widgets, choices, initial values, help text,\nconstraints), its values' Zod schema, and its functions: `schema()` ({}),\n`validate(values)` ({}, field errors as data) and `submit(values)` ({}).",
        schema.f.name, validate.f.name, submit.f.name
    );
    let usage = match submit.f.upload {
        Some(u) => format!(
            "{usage}\n\nField `{}` takes files (widget `file`): `submit` sends them as an upload call\n(multipart, `opts.onUploadProgress` reports its progress); `validate` takes the\nother fields only.",
            u.arg
        ),
        None => usage,
    };
    let text = match f.doc.map(str::trim).filter(|d| !d.is_empty()) {
        Some(doc) => format!("{intro}\n\n{doc}\n\n{usage}"),
        None => format!("{intro}\n\n{usage}"),
    };
    out.push_str(&doc_comment(Some(&text), false, 0));
    out.push_str(&format!("export const {} = {{\n", form.object));
    out.push_str(&format!("  name: {},\n", js_string(f.name)));
    out.push_str(&format!("  title: {},\n", js_string(f.title)));
    out.push_str(&format!("  doc: {},\n", f.doc.map_or_else(|| "null".to_owned(), js_string)));
    out.push_str("  fields: [\n");
    for field_value in f.entry.get("fields").and_then(Value::as_array).into_iter().flatten() {
        out.push_str(&field(field_value, "    "));
    }
    out.push_str("  ],\n");
    out.push_str(&format!("  values: {}Schema,\n", form.values));
    out.push_str(&format!("  schema: {},\n", schema.client));
    out.push_str(&format!("  validate: {},\n", validate.client));
    out.push_str(&format!("  submit: {},\n", submit.client));
    out.push_str(&format!("}} as const satisfies MizanForm<{}, {}>;\n", form.values, submit.output_name));
    out
}

/// The module name and contents, when there are forms.
pub(super) fn emit(model: &Model<'_>) -> Option<(&'static str, String)> {
    if model.forms.is_empty() {
        return None;
    }
    let mut out = header(
        "Forms: per form, its values' type and Zod schema and the form object (description and functions); no React.",
    );
    out.push_str("import type { MizanForm } from \"@mizan/client\";\n");
    let fns = |form: &FormModel<'_>| [form.schema, form.validate, form.submit].map(|i| &model.functions[i]);
    let mut clients: Vec<String> =
        model.forms.iter().flat_map(|form| fns(form).map(|f| f.client.clone())).collect();
    clients.sort();
    out.push_str(&import(&clients, &sibling("client"), false));
    let mut schemas: Vec<String> =
        model.forms.iter().map(|form| format!("{}Schema", model.functions[form.submit].input_name)).collect();
    schemas.sort();
    out.push_str(&import(&schemas, &sibling("schemas"), false));
    let mut types: Vec<String> = model
        .forms
        .iter()
        .flat_map(|form| {
            let submit = &model.functions[form.submit];
            [submit.input_name.clone(), submit.output_name.clone()]
        })
        .collect();
    types.sort();
    out.push_str(&import(&types, &sibling("types"), true));
    for form in &model.forms {
        let submit = &model.functions[form.submit];
        let (name, values) = (form.f.name, &form.values);
        out.push('\n');
        out.push_str(&format!(
            "/** Values of form `{name}`: what `{name}.validate` and `{name}.submit` take. */\nexport type {values} = {};\n",
            submit.input_name
        ));
        out.push('\n');
        out.push_str(&format!(
            "/** Zod schema of form `{name}`'s values, with the server's rules. */\nexport const {values}Schema = {}Schema;\n",
            submit.input_name
        ));
        out.push('\n');
        out.push_str(&form_object(model, form));
    }
    Some(("forms", out))
}
