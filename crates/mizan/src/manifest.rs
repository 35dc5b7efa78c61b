//! The versioned manifest: every function with its schemas (docs/manifest.md),
//! built as `mizan_manifest` values.

use mizan_manifest::{Function, Manifest};
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::StartupError;

use crate::auth::Auth;
use crate::call::Functions;
use crate::channel::Channels;
use crate::forms::Described;
use crate::function::Kind;
use crate::schema_names;

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
    pages: &crate::pages::Pages,
) -> Result<Manifest, StartupError> {
    let mut input = SchemaSettings::draft2020_12().for_deserialize().into_generator();
    let mut output = SchemaSettings::draft2020_12().for_serialize().into_generator();
    let mut functions = Vec::new();
    let mut errors = Vec::new();
    for (name, handler) in fns.iter() {
        let info = handler.info();
        let (input_schema, output_schema) = handler.schemas(&mut input, &mut output);
        let declared = crate::errors::manifest_entries(name, handler.errors(), &mut output, &mut errors);
        functions.push(Function {
            name: name.to_owned(),
            kind: info.kind,
            auth: (&info.auth).into(),
            context: info.context,
            invalidates: info.invalidates.iter().map(|&s| s.to_owned()).collect(),
            rate: info
                .rate
                .map(|r| mizan_manifest::Rate { count: r.count(), period_seconds: r.period().as_secs() }),
            doc: info.doc.map(str::to_owned),
            args: info.args.iter().map(|&s| s.to_owned()).collect(),
            input: input_schema,
            output: output_schema,
            stream: handler.streams(),
            errors: declared,
            upload: info.upload.map(|u| mizan_manifest::Upload {
                arg: u.arg.to_owned(),
                multiple: u.shape == crate::upload::Shape::List,
                optional: u.shape == crate::upload::Shape::Optional,
                max_bytes: u.max_bytes,
                max_count: u.max_count,
                mime: u.mime.iter().map(|&m| m.to_owned()).collect(),
            }),
        });
    }
    let mut channels = crate::channel::manifest_entries(channels, &mut input, &mut output);
    let forms = crate::forms::manifest_entries(forms, &mut errors);
    let mut pages = pages.manifest_entries(&mut output);
    let mut input_defs = input.take_definitions(true);
    let mut output_defs = output.take_definitions(true);
    // Generic instantiations get names spelled from their arguments
    // (`Page<User>` → `PageUser`); each side has its own generator.
    let input_ids = schema_names::assigned(&input);
    let output_ids = schema_names::assigned(&output);
    let input_renames = renames(&input_ids, &mut errors);
    let output_renames = renames(&output_ids, &mut errors);
    {
        let mut input_schemas: Vec<&mut Value> = Vec::new();
        let mut output_schemas: Vec<&mut Value> = Vec::new();
        for f in &mut functions {
            input_schemas.push(&mut f.input);
            output_schemas.push(&mut f.output);
            output_schemas.extend(f.errors.iter_mut().filter_map(|e| e.data.as_mut()));
        }
        output_schemas.extend(pages.iter_mut().map(|p| &mut p.props));
        for ch in &mut channels {
            input_schemas.push(&mut ch.params);
            input_schemas.extend(ch.client_message.as_mut());
            output_schemas.push(&mut ch.server_message);
        }
        schema_names::apply(&input_renames, &mut input_defs, &mut input_schemas);
        schema_names::apply(&output_renames, &mut output_defs, &mut output_schemas);
    }
    suffixed_names(&input_defs, &final_names(&input_ids, &input_renames), &mut errors);
    suffixed_names(&output_defs, &final_names(&output_ids, &output_renames), &mut errors);
    for f in &functions {
        for target in &f.invalidates {
            match fns.kind(target) {
                Some(Kind::Query) if fns.get(target).is_some_and(|h| h.streams()) => errors.push(format!(
                    "`{}` invalidates `{target}`, which streams its output: a stream has no cached data to \
                     invalidate",
                    f.name
                )),
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
    Ok(Manifest { functions, channels, forms, input_defs, output_defs, pages, ..Manifest::default() })
}

/// One side's renames of generic instantiations, less those that would
/// take a name another type has (each such clash is an error naming both).
fn renames(assigned: &BTreeMap<String, String>, errors: &mut Vec<String>) -> BTreeMap<String, String> {
    let mut renames = schema_names::generic_renames(assigned);
    let mut owners: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (id, name) in assigned {
        owners.entry(renames.get(name).unwrap_or(name).clone()).or_default().push(id);
    }
    for (name, ids) in owners.into_iter().filter(|(_, ids)| ids.len() > 1) {
        errors.push(format!(
            "two different types are both named `{name}` in the schema: {}; give one a distinct name \
             with #[schemars(rename = \"…\")]",
            ids.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(" and ")
        ));
        renames.retain(|_, new| *new != name);
    }
    renames
}

/// Final definition name → the schema id it stands for.
fn final_names(
    assigned: &BTreeMap<String, String>,
    renames: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    assigned.iter().map(|(id, name)| (renames.get(name).unwrap_or(name).clone(), id.clone())).collect()
}

/// schemars names a second, different type `Foo2` when `Foo` is taken. A
/// silently renamed type would surprise the frontend, so it is refused,
/// naming both types (`ids`: definition name → schema id, when known).
fn suffixed_names(defs: &Map<String, Value>, ids: &BTreeMap<String, String>, errors: &mut Vec<String>) {
    for name in defs.keys() {
        let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
        if base.len() == name.len()
            || !defs.contains_key(base)
            || !name[base.len()..].parse::<u32>().is_ok_and(|n| n >= 2)
        {
            continue;
        }
        let (Some(first), Some(second)) = (ids.get(base), ids.get(name)) else {
            errors.push(format!(
                "two different types are both named `{base}` in the schema (one would become `{name}`); \
                 give one a distinct name with #[schemars(rename = \"…\")]"
            ));
            continue;
        };
        // A type really named `User2` beside `User` is no clash.
        if ident_of(second) != Some(base) {
            continue;
        }
        let hint = if second.contains('<') {
            format!(
                " (for a generic type, #[schemars(rename = \"{base}{{T}}\")] spells the name from its arguments)"
            )
        } else {
            String::new()
        };
        errors.push(format!(
            "two different types are both named `{base}` in the schema: `{first}` and `{second}` (one would \
             become `{name}`); give one a distinct name with #[schemars(rename = \"…\")] on its definition{hint}"
        ));
    }
}

/// `User` for `app::User` and for `app::Page<app::User>`'s `Page`.
fn ident_of(id: &str) -> Option<&str> {
    let path = id.split('<').next()?;
    path.rsplit("::").next()
}
