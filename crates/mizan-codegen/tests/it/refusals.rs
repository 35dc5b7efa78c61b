//! Every refusal, with a message that names what it is about.

use mizan_codegen::{CodegenError, generate};
use serde_json::{Value, json};

fn function(name: &str, input: Value, output: Value) -> Value {
    json!({
        "name": name, "kind": "query", "auth": "public", "context": null,
        "invalidates": [], "doc": null, "args": [], "input": input, "output": output
    })
}

fn args(props: Value) -> Value {
    json!({ "type": "object", "properties": props, "additionalProperties": false })
}

fn unit() -> Value {
    json!({ "type": "null" })
}

fn manifest(functions: Vec<Value>, input_defs: Value, output_defs: Value) -> Value {
    json!({
        "version": 1, "functions": functions, "channels": [], "forms": [],
        "input_defs": input_defs, "output_defs": output_defs
    })
}

fn one(input: Value, output: Value) -> Value {
    manifest(vec![function("probe", input, output)], json!({}), json!({}))
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
fn sixty_four_bit_integers() {
    for format in ["int64", "uint64", "uint", "int", "int128"] {
        let e = refused(
            one(args(json!({ "id": { "type": "integer", "format": format } })), unit()),
            &["function `probe` input, at `id`", &format!("format: {format}"), "int64-string", "2^53"],
        );
        assert!(matches!(e, CodegenError::Unsupported { .. }));
    }
    refused(
        one(args(json!({})), json!({ "type": "integer" })),
        &["function `probe` output", "without a `format`"],
    );
    refused(
        one(args(json!({})), json!({ "type": "integer", "format": "uint64", "minimum": 0 })),
        &["function `probe` output"],
    );
    refused(
        one(
            args(json!({})),
            json!({ "type": "integer", "format": "int64", "maximum": 9_007_199_254_740_992_u64 }),
        ),
        &["function `probe` output"],
    );
    // Inside a definition: the definition and a function using it are named.
    refused(
        manifest(
            vec![function("get_post", args(json!({})), json!({ "$ref": "#/$defs/Post" }))],
            json!({}),
            json!({ "Post": { "type": "object", "properties": { "views": { "type": "integer", "format": "uint64", "minimum": 0 } } } }),
        ),
        &["type `Post` in output_defs (used by function `get_post`), at `views`", "uint64"],
    );
}

#[test]
fn safe_integers_are_accepted() {
    let files = generate(&one(
        args(json!({
            "a": { "type": "integer", "format": "int64", "minimum": -9_007_199_254_740_991_i64, "maximum": 9_007_199_254_740_991_i64 },
            "b": { "type": "integer", "format": "uint64", "minimum": 0, "maximum": 100 },
            "c": { "type": "string", "format": "int64-string" }
        })),
        unit(),
    ))
    .expect("safe ranges generate");
    let schemas = files.get("schemas.ts").unwrap_or_default();
    assert!(schemas.contains("a: z.int().optional()"), "{schemas}");
    assert!(schemas.contains("b: z.int().gte(0).lte(100).optional()"), "{schemas}");
    assert!(files.get("types.ts").unwrap_or_default().contains("c?: string | undefined;"));
}

#[test]
fn patterns_outside_the_common_subset() {
    for (pattern, why) in [
        ("^\\d+$", "`\\d` matches Unicode"),
        ("\\w", "`\\w`"),
        ("\\s", "`\\s`"),
        ("\\bword", "word boundaries"),
        ("(?=x)", "lookaround"),
        ("(?i)abc", "inline flags"),
        ("(a)\\1", "backreferences"),
        ("[[:alpha:]]", "nested class"),
        ("[a-z&&[^x]]", "set operation"),
        ("[]a]", "starting with `]`"),
        ("a{2", "malformed"),
        ("\\p{Greek}", "general category"),
        ("\\-", "not in both engines"),
    ] {
        refused(
            one(args(json!({ "slug": { "type": "string", "pattern": pattern } })), unit()),
            &["function `probe` input, at `slug`", why],
        );
    }
}

#[test]
fn reserved_words() {
    for name in ["delete", "new", "class", "await", "arguments", "undefined"] {
        let e = refused(
            manifest(vec![function(name, args(json!({})), unit())], json!({}), json!({})),
            &[&format!("function `{name}`"), "reserved word"],
        );
        assert!(matches!(e, CodegenError::Name(_)));
    }
    refused(
        manifest(vec![], json!({ "string": { "type": "string" } }), json!({})),
        &["the type `string`", "reserved word"],
    );
}

#[test]
fn invalid_function_names() {
    for name in ["Echo", "a-b", "1x", "a..b", ""] {
        refused(
            manifest(vec![function(name, args(json!({})), unit())], json!({}), json!({})),
            &["names must match"],
        );
    }
}

#[test]
fn collisions_after_case_conversion() {
    refused(
        manifest(
            vec![
                function("list_posts", args(json!({})), unit()),
                function("list__posts", args(json!({})), unit()),
            ],
            json!({}),
            json!({}),
        ),
        &["name collision", "`listPosts`", "function `list_posts`", "function `list__posts`"],
    );
    refused(
        manifest(
            vec![function("foo", args(json!({})), unit()), function("use_foo", args(json!({})), unit())],
            json!({}),
            json!({}),
        ),
        &["`useFoo`", "the hook of function `foo`", "the client function of function `use_foo`"],
    );
    refused(
        manifest(
            vec![function("echo", args(json!({})), unit())],
            json!({ "EchoInput": { "type": "string" } }),
            json!({}),
        ),
        &["`EchoInput`", "the input type of function `echo`"],
    );
    refused(
        manifest(vec![function("get_client", args(json!({})), unit())], json!({}), json!({})),
        &["`getClient`", "runtime import"],
    );
    refused(
        manifest(
            vec![function("a", args(json!({})), unit()), function("a", args(json!({})), unit())],
            json!({}),
            json!({}),
        ),
        &["function `a` is registered twice"],
    );
    refused(manifest(vec![], json!({}), json!({ "Record": { "type": "string" } })), &["`Record`"]);
    // The `Input` suffix of a differing definition collides with a real one.
    refused(
        manifest(
            vec![],
            json!({ "User": { "type": "string" }, "UserInput": { "type": "string" } }),
            json!({ "User": { "type": "number" } }),
        ),
        &["`UserInput`", "name collision"],
    );
    // Sanitized definition names can collide too.
    refused(
        manifest(vec![], json!({}), json!({ "A<B>": { "type": "string" }, "A_B_": { "type": "string" } })),
        &["`A_B_`"],
    );
}

#[test]
fn unsupported_schemas() {
    refused(one(args(json!({ "x": { "$ref": "#/$defs/Missing" } })), unit()), &["`Missing`", "input_defs"]);
    refused(one(args(json!({ "x": { "$ref": "#" } })), unit()), &["only `#/$defs/Name`"]);
    refused(one(args(json!({ "x": { "not": { "type": "string" } } })), unit()), &["`not`"]);
    refused(one(args(json!({ "__proto__": { "type": "string" } })), unit()), &["__proto__"]);
    refused(one(args(json!({ "x": { "type": "decimal" } })), unit()), &["unknown JSON Schema type"]);
    refused(one(args(json!({ "x": { "const": { "a": 1 } } })), unit()), &["object and array literals"]);
    refused(
        one(args(json!({ "x": { "type": "array", "prefixItems": [true, true], "minItems": 1 } })), unit()),
        &["optional elements"],
    );
}

#[test]
fn malformed_manifests() {
    refused(json!([]), &["invalid manifest", "JSON object"]);
    refused(
        json!({ "version": 2, "functions": [], "channels": [], "forms": [] }),
        &["unsupported manifest version 2"],
    );
    refused(json!({ "version": 1, "channels": [], "forms": [] }), &["`functions` is missing"]);
    let mut m = one(args(json!({})), unit());
    m["functions"][0]["kind"] = json!("subscription");
    refused(m, &["function `probe`", "`kind`"]);
    let mut m = one(args(json!({})), unit());
    m["functions"][0]["auth"] = json!("admin");
    refused(m, &["function `probe`", "unknown auth level"]);
    let mut m = one(args(json!({})), unit());
    m["functions"][0]["invalidates"] = json!(["nope"]);
    refused(m, &["function `probe` invalidates `nope`", "not a registered function"]);
    let mut m = manifest(
        vec![function("a", args(json!({})), unit()), function("b", args(json!({})), unit())],
        json!({}),
        json!({}),
    );
    m["functions"][1]["kind"] = json!("mutation");
    m["functions"][0]["invalidates"] = json!(["b"]);
    refused(m, &["function `a` invalidates `b`", "not a query"]);
}
