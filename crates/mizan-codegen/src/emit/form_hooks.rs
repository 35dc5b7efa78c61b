//! `form-hooks.ts`: per form, its react-hook-form hook
//! (`useContactForm(options?)`) on the runtime's `useMizanForm`, over the
//! form object in `forms.ts`. Emitted only when there are forms.

use super::{header, import, sibling};
use crate::model::Model;
use crate::render::doc_comment;

/// The module name and contents, when there are forms.
pub(super) fn emit(model: &Model<'_>) -> Option<(&'static str, String)> {
    if model.forms.is_empty() {
        return None;
    }
    let mut out = header("React hooks for the forms: react-hook-form over each form object.");
    out.push_str(
        "import { useMizanForm, type MizanFormOptions, type MizanFormResult } from \"@mizan/client/react\";\n",
    );
    let mut objects: Vec<String> = model.forms.iter().map(|form| form.object.clone()).collect();
    objects.sort();
    let mut values: Vec<String> = model.forms.iter().map(|form| format!("type {}", form.values)).collect();
    values.sort();
    objects.extend(values);
    out.push_str(&import(&objects, &sibling("forms"), false));
    let mut outputs: Vec<String> =
        model.forms.iter().map(|form| model.functions[form.submit].output_name.clone()).collect();
    outputs.sort();
    outputs.dedup();
    out.push_str(&import(&outputs, &sibling("types"), true));
    let mut unions: Vec<String> = model
        .forms
        .iter()
        .filter_map(|form| Some(model.functions[form.submit].errors.as_ref()?.union.clone()))
        .collect();
    unions.sort();
    out.push_str(&import(&unions, &sibling("errors"), true));
    for form in &model.forms {
        let (name, values) = (form.f.name, &form.values);
        let submit = &model.functions[form.submit];
        let output = match &submit.errors {
            None => submit.output_name.clone(),
            Some(errors) => format!("{}, {}", submit.output_name, errors.union),
        };
        out.push('\n');
        let usage = format!(
            "react-hook-form for form `{name}` ({}): the Zod schema validates in the browser,\n`onSubmit` submits through `{name}.submit`, and the server's field errors are set on\ntheir fields (whole-form ones on `errors.root.server`). `result` and `error` hold the\nlast submission's outcome; `validateOnServer()` asks `{name}.validate`.",
            form.f.title.trim_end_matches('.')
        );
        out.push_str(&doc_comment(Some(&usage), false, 0));
        out.push_str(&format!(
            "export function {}(\n  options?: MizanFormOptions<{values}, {output}>,\n): MizanFormResult<{values}, {output}> {{\n  return useMizanForm<{values}, {output}>({}, options);\n}}\n",
            form.hook, form.object
        ));
    }
    Some(("form-hooks", out))
}
