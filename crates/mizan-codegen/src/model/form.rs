//! Forms: their TypeScript names (checked by `mizan_manifest::naming`) and
//! the three functions each form's generated object calls.

use mizan_manifest::naming::FormNames;

use crate::error::CodegenError;
use crate::manifest::Form;
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

/// Finds each form's functions; refuses a form whose functions are missing
/// or whose fields are not properties of its values (or its file field,
/// `submit`'s upload argument).
pub(crate) fn build<'a>(
    forms: &'a [Form<'a>],
    names: &[FormNames],
    functions: &[FnModel<'_>],
) -> Result<Vec<FormModel<'a>>, CodegenError> {
    let find = |f: &Form<'_>, what: &str| -> Result<usize, CodegenError> {
        let name = format!("{}.{what}", f.name);
        functions.iter().position(|g| g.f.name == name).ok_or_else(|| {
            CodegenError::Manifest(format!("form `{}` has no function `{name}` in `functions`", f.name))
        })
    };
    let mut out = Vec::with_capacity(forms.len());
    for (f, names) in forms.iter().zip(names) {
        let (schema, validate, submit) = (find(f, "schema")?, find(f, "validate")?, find(f, "submit")?);
        let Ty::Object(values) = &functions[submit].input else {
            return Err(CodegenError::Manifest(format!(
                "form `{}`: the input of `{}.submit` must be an object of the form's fields",
                f.name, f.name
            )));
        };
        let fields = f.entry.get("fields").and_then(serde_json::Value::as_array).into_iter().flatten();
        // The file field is `submit`'s upload argument, not in its input schema.
        let upload = functions[submit].f.upload.map(|u| u.arg.as_str());
        for name in fields.filter_map(|field| field.get("name").and_then(serde_json::Value::as_str)) {
            if upload != Some(name) && !values.props.iter().any(|p| p.name == name) {
                return Err(CodegenError::Manifest(format!(
                    "form `{}`: field `{name}` is not an argument of `{}.submit`",
                    f.name, f.name
                )));
            }
        }
        out.push(FormModel {
            f,
            object: names.object.clone(),
            hook: names.hook.clone(),
            values: names.values.clone(),
            schema,
            validate,
            submit,
        });
    }
    Ok(out)
}
