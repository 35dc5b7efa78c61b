//! The versioned manifest: every function with its schemas (docs/manifest.md).

use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

use crate::StartupError;
use std::sync::Arc;

use crate::call::Functions;
use crate::channel::Channels;
use crate::forms::Described;
use crate::function::{Context, Kind};

/// The manifest format version.
pub const VERSION: u32 = 1;

pub(crate) fn build(
    fns: &Functions,
    channels: &Channels,
    forms: &[Arc<Described>],
) -> Result<Value, StartupError> {
    let mut input = SchemaSettings::draft2020_12().for_deserialize().into_generator();
    let mut output = SchemaSettings::draft2020_12().for_serialize().into_generator();
    let mut functions = Vec::new();
    for (name, handler) in fns.iter() {
        let info = handler.info();
        let (input_schema, output_schema) = handler.schemas(&mut input, &mut output);
        functions.push(json!({
            "name": name,
            "kind": match info.kind { Kind::Query => "query", Kind::Mutation => "mutation" },
            "auth": info.auth.to_manifest(),
            "context": info.context.map(|c| match c { Context::Global => "global", Context::Local => "local" }),
            "invalidates": info.invalidates,
            "doc": info.doc,
            "args": info.args,
            "input": input_schema,
            "output": output_schema,
        }));
    }
    let mut errors = Vec::new();
    let channels = crate::channel::manifest_entries(fns, channels, &mut input, &mut output, &mut errors);
    let forms = crate::forms::manifest_entries(forms, &mut errors);
    let input_defs = input.take_definitions(true);
    let output_defs = output.take_definitions(true);
    suffixed_names(&input_defs, &mut errors);
    suffixed_names(&output_defs, &mut errors);
    for f in &functions {
        for target in f["invalidates"].as_array().into_iter().flatten() {
            let target = target.as_str().unwrap_or_default();
            match fns.kind(target) {
                Some(Kind::Query) => {}
                Some(Kind::Mutation) => errors.push(format!(
                    "`{}` invalidates `{target}`, which is not a query",
                    f["name"].as_str().unwrap_or_default()
                )),
                None => errors.push(format!(
                    "`{}` invalidates `{target}`, which is not registered",
                    f["name"].as_str().unwrap_or_default()
                )),
            }
        }
    }
    if !errors.is_empty() {
        errors.sort();
        errors.dedup();
        return Err(StartupError(errors));
    }
    Ok(json!({
        "version": VERSION,
        "functions": functions,
        "channels": channels,
        "forms": forms,
        "input_defs": Value::Object(input_defs),
        "output_defs": Value::Object(output_defs),
    }))
}

/// schemars names a second, different type `Foo2` when `Foo` is taken. A
/// silently renamed type would surprise the frontend, so it is refused.
fn suffixed_names(defs: &Map<String, Value>, errors: &mut Vec<String>) {
    for name in defs.keys() {
        let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
        if base.len() < name.len()
            && defs.contains_key(base)
            && name[base.len()..].parse::<u32>().is_ok_and(|n| n >= 2)
        {
            errors.push(format!(
                "two different types are both named `{base}` in the schema (one would become `{name}`); \
                 give one a distinct name with #[schemars(rename = \"…\")]"
            ));
        }
    }
}
