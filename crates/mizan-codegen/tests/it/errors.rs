//! Declared errors: `errors.ts` only when a function declares some, the
//! union and guard named after the function, refusals naming the function
//! and the code.

use mizan_codegen::generate;
use serde_json::{Value, json};

fn reserve(errors: Value) -> Value {
    json!({
        "name": "reserve", "kind": "mutation", "auth": "public", "context": null,
        "invalidates": [], "doc": null, "args": ["seat"],
        "input": {
            "type": "object", "properties": { "seat": { "type": "integer", "format": "uint32", "minimum": 0 } },
            "required": ["seat"], "additionalProperties": false
        },
        "output": { "type": "string" },
        "errors": errors,
    })
}

fn manifest(functions: Vec<Value>, output_defs: Value) -> Value {
    json!({
        "version": 1, "functions": functions, "channels": [], "forms": [],
        "input_defs": {}, "output_defs": output_defs
    })
}

fn seat_taken() -> Value {
    json!([
        { "code": "SEAT_TAKEN", "status": 409, "data": {
            "type": "object", "properties": { "seat": { "type": "integer", "format": "uint32", "minimum": 0 } },
            "required": ["seat"]
        } },
        { "code": "SOLD_OUT", "status": 409, "data": null },
    ])
}

#[test]
fn a_declaring_function_gets_its_union_and_guard() {
    let files = generate(&manifest(vec![reserve(seat_taken())], json!({}))).expect("generates");
    let errors = files.get("errors.ts").expect("errors.ts");
    assert!(errors.contains("export type ReserveError =\n  | TypedMizanError<\"SEAT_TAKEN\", {"), "{errors}");
    assert!(
        errors
            .contains("    seat: number;\n  }>\n  | TypedMizanError<\"SOLD_OUT\">\n  | FrameworkMizanError;"),
        "{errors}"
    );
    assert!(errors.contains("export function isReserveError<C extends ReserveError[\"code\"]"), "{errors}");
    assert!(errors.contains("return isMizanErrorIn(e, [\"SEAT_TAKEN\", \"SOLD_OUT\"], code);"), "{errors}");
    let index = files.get("index.ts").expect("index.ts");
    assert!(index.contains("export * from \"./errors.js\";"), "{index}");
    let hooks = files.get("hooks.ts").expect("hooks.ts");
    assert!(hooks.contains("import type { ReserveError } from \"./errors.js\";"), "{hooks}");
    assert!(
        hooks.contains("useMizanMutation<ReserveInput, ReserveOutput, unknown, ReserveError>(reserve"),
        "{hooks}"
    );
    let client = files.get("client.ts").expect("client.ts");
    assert!(
        client.contains("Rejects with a `ReserveError`: narrow it with `isReserveError(e, code)`."),
        "{client}"
    );
}

#[test]
fn no_declared_errors_no_module() {
    for errors in [json!([]), json!(null)] {
        let files = generate(&manifest(vec![reserve(errors)], json!({}))).expect("generates");
        assert!(files.get("errors.ts").is_none());
        assert!(!files.get("index.ts").unwrap_or_default().contains("errors.js"));
        assert!(!files.get("hooks.ts").unwrap_or_default().contains("ReserveError"));
    }
}

#[test]
fn data_referencing_a_definition_imports_it() {
    let errors = json!([{ "code": "HELD", "status": 423, "data": { "$ref": "#/$defs/Hold" } }]);
    let defs = json!({ "Hold": { "type": "object", "properties": { "until": { "type": "string" } }, "required": ["until"] } });
    let files = generate(&manifest(vec![reserve(errors)], defs)).expect("generates");
    let errors = files.get("errors.ts").expect("errors.ts");
    assert!(errors.contains("import type { Hold } from \"./types.js\";"), "{errors}");
    assert!(errors.contains("  | TypedMizanError<\"HELD\", Hold>\n"), "{errors}");
}

#[test]
fn the_union_name_is_claimed() {
    // A Rust type named like the generated union collides with it.
    let defs = json!({ "ReserveError": { "type": "string" } });
    let e = generate(&manifest(vec![reserve(seat_taken())], defs)).expect_err("a collision").to_string();
    assert!(e.contains("the error type of function `reserve`"), "{e}");
    assert!(e.contains("`ReserveError`"), "{e}");
}

#[test]
fn bad_declarations_are_refused_naming_the_function_and_code() {
    let cases = [
        (
            json!([{ "code": "NOT_FOUND", "status": 404, "data": null }]),
            "error code `NOT_FOUND` is the framework's code",
        ),
        (
            json!([{ "code": "BAD_RESPONSE", "status": 502, "data": null }]),
            "`BAD_RESPONSE` is the client's own code",
        ),
        (json!([{ "code": "taken", "status": 409, "data": null }]), "`taken` must match [A-Z_]+"),
        (json!([{ "code": "TAKEN", "status": 200, "data": null }]), "status 200, outside 400–599"),
        (
            json!([{ "code": "A", "status": 409, "data": null }, { "code": "A", "status": 410, "data": null }]),
            "`A` is declared twice",
        ),
    ];
    for (errors, needle) in cases {
        let e = generate(&manifest(vec![reserve(errors)], json!({}))).expect_err(needle).to_string();
        assert!(e.contains("function `reserve`") && e.contains(needle), "{e}");
    }
    let unsafe_data =
        json!([{ "code": "BIG", "status": 409, "data": { "type": "integer", "format": "uint64" } }]);
    let e = generate(&manifest(vec![reserve(unsafe_data)], json!({}))).expect_err("int64").to_string();
    assert!(e.contains("function `reserve` error `BIG` data"), "{e}");
}
