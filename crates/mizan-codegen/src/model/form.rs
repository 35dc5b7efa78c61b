//! Forms: their TypeScript names, claimed in the namespace everything shares,
//! and the three functions each form's generated object calls.

use std::collections::BTreeSet;

use crate::error::CodegenError;
use crate::manifest::Form;
use crate::names::{NameTable, camel, is_valid_channel_name, pascal};
use crate::schema::Ty;

use super::FnModel;

/// One form with its TypeScript names and its functions.
pub(crate) struct FormModel<'a> {
    pub(crate) f: &'a Form<'a>,
    /// The form object (`contact`).
    pub(crate) object: String,
    /// The react-hook-form hook (`useContactForm`).
    pub(crate) hook: String,
    /// The values' type (`ContactFormValues`); its Zod schema is `…Schema`.
    pub(crate) values: String,
    /// Indices into the model's functions: `NAME.schema`, `NAME.validate`, `NAME.submit`.
    pub(crate) schema: usize,
    pub(crate) validate: usize,
    pub(crate) submit: usize,
}

/// The names the generated forms module imports from the runtime.
const RUNTIME_IMPORTS: &[(&str, &str)] = &[
    ("MizanForm", "the runtime import in forms.ts"),
    ("useMizanForm", "the runtime import in forms.ts"),
    ("MizanFormOptions", "the runtime import in forms.ts"),
    ("MizanFormResult", "the runtime import in forms.ts"),
];

/// Checks every form's name and claims its generated names.
pub(crate) fn claim(forms: &[Form<'_>], table: &mut NameTable) -> Result<(), CodegenError> {
    if !forms.is_empty() {
        for (name, owner) in RUNTIME_IMPORTS {
            table.claim(name, owner)?;
        }
    }
    let mut seen = BTreeSet::new();
    for f in forms {
        if !is_valid_channel_name(f.name) {
            return Err(CodegenError::Name(format!(
                "form `{}`: names must match [a-z][a-z0-9_]* (no dots)",
                f.name
            )));
        }
        if !seen.insert(f.name) {
            return Err(CodegenError::Name(format!("form `{}` is registered twice", f.name)));
        }
        let who = format!("form `{}`", f.name);
        let base = pascal(f.name);
        table.claim(&camel(f.name), &format!("the object of {who}"))?;
        table.claim(&format!("use{base}Form"), &format!("the hook of {who}"))?;
        table.claim(&format!("{base}FormValues"), &format!("the values type of {who}"))?;
        table.claim(&format!("{base}FormValuesSchema"), &format!("the values schema of {who}"))?;
    }
    Ok(())
}

/// Finds each form's functions; refuses a form whose functions are missing
/// or whose fields are not properties of its values.
pub(crate) fn build<'a>(
    forms: &'a [Form<'a>],
    functions: &[FnModel<'_>],
) -> Result<Vec<FormModel<'a>>, CodegenError> {
    let find = |f: &Form<'_>, what: &str| -> Result<usize, CodegenError> {
        let name = format!("{}.{what}", f.name);
        functions.iter().position(|g| g.f.name == name).ok_or_else(|| {
            CodegenError::Manifest(format!("form `{}` has no function `{name}` in `functions`", f.name))
        })
    };
    let mut out = Vec::with_capacity(forms.len());
    for f in forms {
        let (schema, validate, submit) = (find(f, "schema")?, find(f, "validate")?, find(f, "submit")?);
        let Ty::Object(values) = &functions[submit].input else {
            return Err(CodegenError::Manifest(format!(
                "form `{}`: the input of `{}.submit` must be an object of the form's fields",
                f.name, f.name
            )));
        };
        let fields = f.entry.get("fields").and_then(serde_json::Value::as_array).into_iter().flatten();
        for name in fields.filter_map(|field| field.get("name").and_then(serde_json::Value::as_str)) {
            if !values.props.iter().any(|p| p.name == name) {
                return Err(CodegenError::Manifest(format!(
                    "form `{}`: field `{name}` is not an argument of `{}.submit`",
                    f.name, f.name
                )));
            }
        }
        let base = pascal(f.name);
        out.push(FormModel {
            f,
            object: camel(f.name),
            hook: format!("use{base}Form"),
            values: format!("{base}FormValues"),
            schema,
            validate,
            submit,
        });
    }
    Ok(out)
}
