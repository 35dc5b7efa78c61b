//! The versioned manifest: every function with its schemas (docs/manifest.md),
//! built as `mizan_manifest` values.

use mizan_manifest::{Function, Manifest};
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};

use crate::StartupError;
use std::sync::Arc;

use crate::auth::Auth;
use crate::call::Functions;
use crate::channel::Channels;
use crate::forms::Described;
use crate::function::Kind;

/// The manifest format version.
pub const VERSION: u32 = mizan_manifest::VERSION;

/// The manifest's value for an auth level.
impl From<&Auth> for mizan_manifest::Auth {
    fn from(level: &Auth) -> Self {
        match level {
            Auth::Public => Self::Public,
            Auth::Authenticated => Self::Authenticated,
            Auth::Staff => Self::Staff,
            Auth::Superuser => Self::Superuser,
            Auth::Custom(path, _) => Self::Custom((*path).to_owned()),
        }
    }
}

pub(crate) fn build(
    fns: &Functions,
    channels: &Channels,
    forms: &[Arc<Described>],
) -> Result<Manifest, StartupError> {
    let mut input = SchemaSettings::draft2020_12().for_deserialize().into_generator();
    let mut output = SchemaSettings::draft2020_12().for_serialize().into_generator();
    let mut functions = Vec::new();
    for (name, handler) in fns.iter() {
        let info = handler.info();
        let (input_schema, output_schema) = handler.schemas(&mut input, &mut output);
        functions.push(Function {
            name: name.to_owned(),
            kind: info.kind,
            auth: (&info.auth).into(),
            context: info.context,
            invalidates: info.invalidates.iter().map(|&s| s.to_owned()).collect(),
            doc: info.doc.map(str::to_owned),
            args: info.args.iter().map(|&s| s.to_owned()).collect(),
            input: input_schema,
            output: output_schema,
        });
    }
    let mut errors = Vec::new();
    let channels = crate::channel::manifest_entries(channels, &mut input, &mut output);
    let forms = crate::forms::manifest_entries(forms, &mut errors);
    let input_defs = input.take_definitions(true);
    let output_defs = output.take_definitions(true);
    suffixed_names(&input_defs, &mut errors);
    suffixed_names(&output_defs, &mut errors);
    for f in &functions {
        for target in &f.invalidates {
            match fns.kind(target) {
                Some(Kind::Query) => {}
                Some(Kind::Mutation) => {
                    errors.push(format!("`{}` invalidates `{target}`, which is not a query", f.name));
                }
                None => errors.push(format!("`{}` invalidates `{target}`, which is not registered", f.name)),
            }
        }
    }
    if !errors.is_empty() {
        errors.sort();
        errors.dedup();
        return Err(StartupError(errors));
    }
    Ok(Manifest { functions, channels, forms, input_defs, output_defs, ..Manifest::default() })
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
