//! Forms in the manifest: what `forms.ts` and `form-hooks.ts` hold, and every refusal of a
//! malformed or clashing `forms` entry, with a message naming the form.

use mizan_codegen::{CodegenError, generate};
use serde_json::{Value, json};

fn function(name: &str, kind: &str, input: Value, output: Value) -> Value {
    json!({
        "name": name, "kind": kind, "auth": "public", "context": null,
        "invalidates": [], "doc": null, "args": [], "input": input, "output": output
    })
}

fn values() -> Value {
    json!({
        "type": "object",
        "properties": { "email": { "type": "string", "format": "email" } },
        "required": ["email"],
        "additionalProperties": false
    })
}

fn field(name: &str) -> Value {
    json!({
        "name": name, "label": "Email", "widget": "email", "required": true,
        "choices": null, "initial": null, "help_text": null, "constraints": { "format": "email" }
    })
}

fn form(name: &str, fields: Vec<Value>) -> Value {
    json!({ "name": name, "title": "Contact us", "doc": null, "fields": fields })
}

/// Form `name`'s three functions (without `skip`) and its entry.
fn manifest(name: &str, skip: Option<&str>, entry: Value, extra: Vec<Value>) -> Value {
    let empty = json!({ "type": "object", "properties": {}, "additionalProperties": false });
    let mut functions: Vec<Value> = [
        ("schema", "query", empty, json!({})),
        ("validate", "mutation", values(), json!({ "type": "object", "additionalProperties": { "type": "array", "items": { "type": "string" } } })),
        ("submit", "mutation", values(), json!({ "type": "null" })),
    ]
    .into_iter()
    .filter(|(what, ..)| Some(*what) != skip)
    .map(|(what, kind, input, output)| function(&format!("{name}.{what}"), kind, input, output))
    .collect();
    functions.extend(extra);
    json!({
        "version": 1, "functions": functions, "channels": [], "forms": [entry],
        "input_defs": {}, "output_defs": {}
    })
}

#[track_caller]
fn refused(manifest: Value, expected: &[&str]) -> CodegenError {
    match generate(&manifest) {
        Ok(_) => panic!("expected a refusal mentioning {expected:?}"),
        Err(e) => {
            let text = e.to_string();
            for needle in expected {
                assert!(text.contains(needle), "{text:?} should mention {needle:?}");
            }
            e
        }
    }
}

#[test]
fn a_form_gets_its_modules_and_entry_exports() {
    let files = generate(&manifest("sign_up", None, form("sign_up", vec![field("email")]), vec![]))
        .expect("generates");
    // The form object and its values, React-free.
    let forms = files.get("forms.ts").expect("forms.ts");
    for needle in [
        "export type SignUpFormValues = SignUpSubmitInput;",
        "export const SignUpFormValuesSchema = SignUpSubmitInputSchema;",
        "export const signUp = {",
        "  schema: signUpSchema,\n  validate: signUpValidate,\n  submit: signUpSubmit,\n",
        "} as const satisfies MizanForm<SignUpFormValues, SignUpSubmitOutput>;",
        "constraints: { format: \"email\" },",
    ] {
        assert!(forms.contains(needle), "forms.ts lacks {needle:?}:\n{forms}");
    }
    assert!(!forms.contains("react"), "forms.ts stays free of React:\n{forms}");
    // The react-hook-form hook, on the React side.
    let hooks = files.get("form-hooks.ts").expect("form-hooks.ts");
    for needle in [
        "import { useMizanForm, type MizanFormOptions, type MizanFormResult } from \"@mizan/client/react\";",
        "import { signUp, type SignUpFormValues } from \"./forms.js\";",
        "export function useSignUpForm(",
        "return useMizanForm<SignUpFormValues, SignUpSubmitOutput>(signUp, options);",
    ] {
        assert!(hooks.contains(needle), "form-hooks.ts lacks {needle:?}:\n{hooks}");
    }
    let (index, react) =
        (files.get("index.ts").unwrap_or_default(), files.get("react.ts").unwrap_or_default());
    assert!(index.contains("export * from \"./forms.js\";"), "{index}");
    assert!(!index.contains("form-hooks"), "{index}");
    assert!(react.contains("export * from \"./form-hooks.js\";"), "{react}");
    // No forms, no modules.
    let mut none = manifest("sign_up", None, form("sign_up", vec![field("email")]), vec![]);
    none["forms"] = json!([]);
    let files = generate(&none).expect("generates");
    assert!(files.get("forms.ts").is_none());
    assert!(files.get("form-hooks.ts").is_none());
    assert!(!files.get("index.ts").unwrap_or_default().contains("forms"));
    assert!(!files.get("react.ts").unwrap_or_default().contains("./form"));
}

#[test]
fn missing_functions_and_fields_that_are_not_values() {
    for what in ["schema", "validate", "submit"] {
        refused(
            manifest("contact", Some(what), form("contact", vec![field("email")]), vec![]),
            &["form `contact`", &format!("contact.{what}")],
        );
    }
    refused(
        manifest("contact", None, form("contact", vec![field("phone")]), vec![]),
        &["form `contact`", "field `phone`", "contact.submit"],
    );
}

#[test]
fn malformed_entries() {
    let cases: Vec<(Value, &[&str])> = vec![
        (json!({ "title": "x", "fields": [] }), &["forms[0]", "`name`"]),
        (json!({ "name": "contact", "fields": [] }), &["form `contact`", "`title`"]),
        (json!({ "name": "contact", "title": "x" }), &["form `contact`", "`fields`"]),
        (form("contact", vec![field("email"), field("email")]), &["field `email` is listed twice"]),
    ];
    for (entry, expected) in cases {
        let e = refused(manifest("contact", None, entry, vec![]), expected);
        assert!(matches!(e, CodegenError::Manifest(_)), "{e:?}");
    }
    let broken = |key: &str, value: Value| {
        let mut f = field("email");
        f[key] = value;
        manifest("contact", None, form("contact", vec![f]), vec![])
    };
    refused(broken("widget", json!("slider")), &["field `email`", "unknown widget \"slider\""]);
    refused(broken("required", json!("yes")), &["field `email`", "`required` must be a boolean"]);
    refused(broken("choices", json!([{ "value": 1 }])), &["field `email`", "each choice"]);
    refused(
        broken("constraints", json!({ "maxLength": "10" })),
        &["field `email`", "constraint `maxLength`"],
    );
    refused(broken("constraints", json!({ "placeholder": "x" })), &["constraint `placeholder`"]);
    refused(broken("help_text", json!(3)), &["field `email`", "`help_text`"]);
}

#[test]
fn names_and_collisions() {
    let e = refused(
        manifest("contact.us", None, form("contact.us", vec![field("email")]), vec![]),
        &["form `contact.us`", "no dots"],
    );
    assert!(matches!(e, CodegenError::Name(_)));
    let plain = json!({ "type": "object", "properties": {}, "additionalProperties": false });
    // A function `contact` and the form object `contact`.
    refused(
        manifest(
            "contact",
            None,
            form("contact", vec![field("email")]),
            vec![function("contact", "query", plain.clone(), json!({ "type": "null" }))],
        ),
        &["name collision", "`contact`", "form `contact`"],
    );
    // A function `use_contact_form` and the form's hook.
    refused(
        manifest(
            "contact",
            None,
            form("contact", vec![field("email")]),
            vec![function("use_contact_form", "query", plain, json!({ "type": "null" }))],
        ),
        &["name collision", "`useContactForm`"],
    );
    // A form named like a reserved word.
    refused(manifest("delete", None, form("delete", vec![field("email")]), vec![]), &["reserved word"]);
}
