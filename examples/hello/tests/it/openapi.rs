//! `hello openapi`: the document is the committed snapshot
//! (`tests/openapi.json`; `MIZAN_UPDATE_FIXTURES=1` rewrites it), it has
//! an operation for every function of the manifest, and what the manifest
//! says about each (kind, auth level, doc) shows in it.

use std::process::Command;

use serde_json::Value;

use crate::support::BIN;

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/openapi.json");

fn run(arg: &str) -> Value {
    let out = Command::new(BIN).arg(arg).output().expect("run hello");
    assert!(out.status.success(), "hello {arg}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn the_document_is_the_snapshot() {
    let out = Command::new(BIN).arg("openapi").output().expect("run hello");
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).expect("UTF-8");
    if std::env::var_os("MIZAN_UPDATE_FIXTURES").is_some() {
        std::fs::write(SNAPSHOT, &printed).expect("write the snapshot");
    }
    let committed = std::fs::read_to_string(SNAPSHOT).expect("tests/openapi.json");
    assert!(
        printed == committed,
        "`hello openapi` differs from tests/openapi.json: rerun with MIZAN_UPDATE_FIXTURES=1 and review the diff"
    );
}

#[test]
fn every_function_has_its_operations() {
    let doc = run("openapi");
    let manifest = run("manifest");
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "hello");
    let paths = doc["paths"].as_object().expect("paths");
    let functions = manifest["functions"].as_array().expect("functions");
    assert_eq!(paths.len(), functions.len() + 1, "one path per function, and the batch");
    for f in functions {
        let name = f["name"].as_str().expect("name");
        let item = &paths[&format!("/api/mizan/call/{name}")];
        let query = f["kind"] == "query";
        assert_eq!(item.get("get").is_some(), query, "{name}: GET exactly for queries");
        let body = match f.get("upload") {
            // A function that takes files: multipart, the input as its `args` part.
            Some(upload) => {
                let form = &item["post"]["requestBody"]["content"]["multipart/form-data"]["schema"];
                let file = &form["properties"][upload["arg"].as_str().expect("arg")];
                assert_eq!(file["format"], "binary", "{name}");
                assert_eq!(file["x-mizan-max-bytes"], upload["max_bytes"], "{name}");
                &form["properties"]["args"]
            }
            None => &item["post"]["requestBody"]["content"]["application/json"]["schema"],
        };
        assert_eq!(body.get("additionalProperties"), f["input"].get("additionalProperties"), "{name}");
        assert_eq!(item["post"].get("security").is_some(), f["auth"] != "public", "{name}");
    }
    let stats = &paths["/api/mizan/call/stats"]["get"];
    assert_eq!(stats["security"], serde_json::json!([{ "session": [] }, { "bearer": [] }]));
    assert_eq!(
        stats["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["data"]["$ref"],
        "#/components/schemas/Stats"
    );
    // The rules travel with the input: greet's name is 1 to 40 code points.
    let greet =
        &paths["/api/mizan/call/greet"]["get"]["parameters"][0]["content"]["application/json"]["schema"];
    assert_eq!(greet["properties"]["name"]["maxLength"], 40);
    assert!(paths["/api/mizan/batch"]["post"]["responses"]["413"].is_object());
    assert_eq!(doc["components"]["securitySchemes"]["session"]["name"], "mizan_session");
    assert_eq!(doc["components"]["securitySchemes"]["csrf"]["name"], "x-mizan-csrf");
}

#[test]
fn openapi_takes_no_arguments() {
    let out = Command::new(BIN).args(["openapi", "--out"]).output().expect("run hello");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("BIN openapi"));
}
