use serde_json::{Value, json};

use super::{Options, render};
use crate::{Auth, Function, Kind, Manifest};

fn function(name: &str, kind: Kind, auth: Auth) -> Function {
    Function {
        name: name.into(),
        kind,
        auth,
        context: None,
        invalidates: vec![],
        doc: None,
        args: vec!["item".into()],
        input: json!({
            "type": "object",
            "properties": { "item": { "$ref": "#/$defs/Item" } },
            "required": ["item"],
        }),
        output: json!({ "$ref": "#/$defs/Item" }),
        rate: None,
        stream: false,
        errors: vec![],
        upload: None,
    }
}

fn statuses(op: &Value) -> Vec<String> {
    op["responses"].as_object().expect("responses").keys().cloned().collect()
}

fn doc() -> Value {
    let mut manifest = Manifest::default();
    manifest.functions.push(function("list", Kind::Query, Auth::Public));
    manifest.functions.push(function("save", Kind::Mutation, Auth::Staff));
    manifest.functions.push(function("me", Kind::Query, Auth::Authenticated));
    manifest.input_defs.insert("Item".into(), json!({ "type": "string", "maxLength": 3 }));
    manifest.input_defs.insert("Only".into(), json!({ "type": "integer" }));
    manifest.output_defs.insert("Item".into(), json!({ "type": "string" }));
    render(&manifest, &Options::new("t", "/api/mizan/"))
}

#[test]
fn queries_get_a_get_and_every_function_a_post() {
    let doc = doc();
    let paths = doc["paths"].as_object().expect("paths");
    let keys: Vec<&str> = paths.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["/api/mizan/call/list", "/api/mizan/call/save", "/api/mizan/call/me", "/api/mizan/batch"]
    );
    assert!(paths["/api/mizan/call/list"]["get"].is_object());
    assert!(paths["/api/mizan/call/save"].get("get").is_none(), "a mutation has no GET");
    let input = &paths["/api/mizan/call/list"]["get"]["parameters"][0];
    assert_eq!(input["in"], "query");
    assert_eq!(input["required"], false);
    let body = &paths["/api/mizan/call/save"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(body["properties"]["item"]["$ref"], "#/components/schemas/Item.input");
}

#[test]
fn statuses_follow_the_method_and_security_the_auth_level() {
    let doc = doc();
    let paths = &doc["paths"];
    for name in ["list", "me"] {
        assert_eq!(
            statuses(&paths[format!("/api/mizan/call/{name}")]["get"]),
            ["200", "400", "401", "403", "414", "422", "429", "500", "503"]
        );
    }
    assert_eq!(
        statuses(&paths["/api/mizan/call/list"]["post"]),
        ["200", "400", "401", "403", "413", "414", "415", "422", "429", "500", "503"]
    );
    assert_eq!(
        paths["/api/mizan/call/list"]["get"]["responses"]["403"]["$ref"],
        "#/components/responses/FORBIDDEN"
    );
    let save = &paths["/api/mizan/call/save"]["post"];
    assert_eq!(save["responses"]["403"]["$ref"], "#/components/responses/FORBIDDEN-CSRF");
    let forbidden =
        &doc["components"]["responses"]["FORBIDDEN-CSRF"]["content"]["application/json"]["schema"];
    assert_eq!(
        forbidden["allOf"][1]["properties"]["error"]["properties"]["code"]["enum"],
        json!(["FORBIDDEN", "CSRF"])
    );
    assert_eq!(
        doc["components"]["responses"]["CSRF"]["description"],
        format!("`CSRF`: {}", crate::codes::CSRF.when)
    );
    assert_eq!(save["security"], json!([{ "session": [], "csrf": [] }, { "bearer": [] }]));
    assert!(paths["/api/mizan/call/list"]["get"].get("security").is_none(), "public needs no identity");
    assert_eq!(paths["/api/mizan/call/me"]["get"]["security"], json!([{ "session": [] }, { "bearer": [] }]));
    assert!(doc["components"]["responses"]["RATE_LIMITED"]["headers"]["retry-after"].is_object());
}

#[test]
fn names_both_sides_define_differently_are_split() {
    let doc = doc();
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    assert_eq!(schemas["Item.input"], json!({ "type": "string", "maxLength": 3 }));
    assert_eq!(schemas["Item.output"], json!({ "type": "string" }));
    assert_eq!(schemas["Only"], json!({ "type": "integer" }));
    assert!(!schemas.contains_key("Item"));
    let ok = &doc["paths"]["/api/mizan/call/save"]["post"]["responses"]["200"]["content"]["application/json"];
    assert_eq!(ok["schema"]["properties"]["data"]["$ref"], "#/components/schemas/Item.output");
    for name in ["MizanError", "MizanErrorBody", "MizanIssue"] {
        assert!(schemas.contains_key(name), "{name}");
    }
}

#[test]
fn every_reference_resolves() {
    fn walk(v: &Value, doc: &Value) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                    let (table, name) = r
                        .strip_prefix("#/components/")
                        .and_then(|r| r.split_once('/'))
                        .expect("a component reference");
                    assert!(doc["components"][table].get(name).is_some(), "{r} resolves");
                }
                m.values().for_each(|v| walk(v, doc));
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, doc)),
            _ => {}
        }
    }
    let doc = doc();
    walk(&doc, &doc);
    // The walk itself fails on a dangling reference.
    let mut broken = doc.clone();
    broken["components"]["schemas"].as_object_mut().expect("schemas").remove("Only");
    broken["x"] = json!({ "$ref": "#/components/schemas/Only" });
    assert!(std::panic::catch_unwind(|| walk(&broken, &broken)).is_err());
}

#[test]
fn a_stream_answers_ndjson_with_its_item_schema_under_the_extension_key() {
    let mut manifest = Manifest::default();
    let mut ticks = function("ticks", Kind::Query, Auth::Public);
    ticks.stream = true;
    manifest.functions.push(ticks);
    manifest.functions.push(function("list", Kind::Query, Auth::Public));
    manifest.input_defs.insert("Item".into(), json!({ "type": "string" }));
    manifest.output_defs.insert("Item".into(), json!({ "type": "string" }));
    let doc = render(&manifest, &Options::new("t", "/api"));
    for method in ["get", "post"] {
        let ok = &doc["paths"]["/api/call/ticks"][method]["responses"]["200"]["content"];
        let ndjson = &ok["application/x-ndjson"];
        assert!(ok.get("application/json").is_none(), "{method}: a stream's 200 is NDJSON only");
        assert_eq!(ndjson[super::ITEM_SCHEMA_KEY], json!({ "$ref": "#/components/schemas/Item" }));
        let line = &ndjson["schema"]["anyOf"];
        assert_eq!(line[0]["properties"]["data"], json!({ "$ref": "#/components/schemas/Item" }));
        assert_eq!(line[1]["properties"]["end"], json!({ "const": true }));
        assert_eq!(line[2]["$ref"], "#/components/schemas/MizanErrorBody");
        // A failure before the first item is the usual error answer.
        assert_eq!(
            doc["paths"]["/api/call/ticks"][method]["responses"]["422"]["$ref"],
            "#/components/responses/VALIDATION"
        );
    }
    let plain = &doc["paths"]["/api/call/list"]["get"]["responses"]["200"]["content"];
    assert!(plain.get("application/x-ndjson").is_none() && plain.get("application/json").is_some());
}

#[test]
fn an_upload_function_takes_multipart_with_binary_files_and_their_limits() {
    let mut manifest = Manifest::default();
    let mut f = function("photos", Kind::Mutation, Auth::Public);
    f.upload = Some(crate::Upload {
        arg: "files".into(),
        multiple: true,
        optional: false,
        max_bytes: 1000,
        max_count: 3,
        mime: vec!["image/png".into()],
    });
    manifest.functions.push(f);
    manifest.input_defs.insert("Item".into(), json!({ "type": "string" }));
    manifest.output_defs.insert("Item".into(), json!({ "type": "string" }));
    let doc = render(&manifest, &Options::new("t", "/api/mizan/"));
    let body = &doc["paths"]["/api/mizan/call/photos"]["post"]["requestBody"]["content"];
    assert!(body.get("application/json").is_none(), "{body}");
    let form = &body["multipart/form-data"];
    assert_eq!(form["schema"]["required"], json!(["args"]));
    assert_eq!(
        form["schema"]["properties"]["args"]["properties"]["item"]["$ref"],
        "#/components/schemas/Item"
    );
    let files = &form["schema"]["properties"]["files"];
    assert_eq!(files["type"], "array");
    assert_eq!(files["x-mizan-max-count"], 3);
    assert_eq!(files["items"]["format"], "binary");
    assert_eq!(files["items"]["x-mizan-max-bytes"], 1000);
    assert_eq!(files["items"]["x-mizan-mime"], json!(["image/png"]));
    assert_eq!(form["encoding"]["args"]["contentType"], "application/json");
}
