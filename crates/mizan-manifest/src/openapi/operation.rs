//! The operations: a function's `POST` and `GET`, and `POST batch`; the
//! security schemes they name.

use serde_json::{Map, Value, json};

use super::responses::{Method, batch_codes, call_codes, responses, success, with_declared};
use super::schemas::{ERROR_BODY, Names, component_ref};
use crate::{Auth, Function, Manifest, Side};

const SESSION: &str = "session";
const CSRF: &str = "csrf";
const BEARER: &str = "bearer";

/// The schemes an identity can come with: the session cookie (with the
/// CSRF header for unsafe requests) or a bearer token.
pub(super) fn security_schemes() -> Value {
    json!({
        SESSION: {
            "type": "apiKey",
            "in": "cookie",
            "name": "mizan_session",
            "description": "A session cookie (mizan's accounts set it on login).",
        },
        CSRF: {
            "type": "apiKey",
            "in": "header",
            "name": "x-mizan-csrf",
            "description": "The `mizan_csrf` cookie's value, for an unsafe request with cookies that shows \
                no same or trusted origin.",
        },
        BEARER: {
            "type": "http",
            "scheme": "bearer",
            "description": "A token the application's authenticator reads from `Authorization`.",
        },
    })
}

/// `GET call/{name}`: the input as the `input` query parameter (JSON).
pub(super) fn get(function: &Function, names: &Names, shared: &mut Map<String, Value>) -> Value {
    let mut op = common(function, names, Method::Get, shared);
    op["operationId"] = json!(format!("get:{}", function.name));
    op["parameters"] = json!([{
        "name": "input",
        "in": "query",
        "required": false,
        "description": "The JSON object of arguments, URL-encoded; absent is `{}`.",
        "content": { "application/json": { "schema": names.rewrite(Side::Input, &function.input) } },
    }]);
    op
}

/// `POST call/{name}`: the input as the JSON body.
pub(super) fn post(function: &Function, names: &Names, shared: &mut Map<String, Value>) -> Value {
    let mut op = common(function, names, Method::Post, shared);
    op["operationId"] = json!(format!("post:{}", function.name));
    op["requestBody"] = match &function.upload {
        Some(upload) => super::upload::request_body(upload, names.rewrite(Side::Input, &function.input)),
        None => json!({
            "required": true,
            "content": { "application/json": { "schema": names.rewrite(Side::Input, &function.input) } },
        }),
    };
    op
}

fn common(function: &Function, names: &Names, method: Method, shared: &mut Map<String, Value>) -> Value {
    let output = names.rewrite(Side::Output, &function.output);
    let success = if function.stream {
        super::stream::success(output)
    } else {
        success(json!({
            "type": "object",
            "properties": { "data": output },
            "required": ["data"],
            "additionalProperties": false,
        }))
    };
    let mut op = json!({
        "summary": function.doc.as_deref().and_then(|d| d.lines().next()).unwrap_or(&function.name),
        "tags": [function.name.split_once('.').map_or("functions", |(group, _)| group)],
        "responses": Value::Null,
    });
    let answers = responses(success, call_codes(method), shared);
    op["responses"] = with_declared(answers, &function.errors, names, shared);
    if let Some(doc) = &function.doc {
        op["description"] = json!(doc);
    }
    if function.auth != Auth::Public {
        op["security"] = match method {
            Method::Get => json!([{ SESSION: [] }, { BEARER: [] }]),
            Method::Post => json!([{ SESSION: [], CSRF: [] }, { BEARER: [] }]),
        };
    }
    op
}

/// `POST batch`: calls by name, answered in order.
pub(super) fn batch(manifest: &Manifest, shared: &mut Map<String, Value>) -> Value {
    let names: Vec<&str> = manifest.functions.iter().map(|f| f.name.as_str()).collect();
    let item = json!({
        "type": "object",
        "properties": {
            "fn": { "type": "string", "enum": names },
            "args": { "type": "object", "description": "The function's arguments; absent is `{}`." },
        },
        "required": ["fn"],
        "additionalProperties": false,
    });
    let answer = json!({
        "type": "array",
        "items": { "anyOf": [
            {
                "type": "object",
                "properties": { "data": {} },
                "required": ["data"],
                "additionalProperties": false,
            },
            component_ref(ERROR_BODY),
        ] },
    });
    json!({
        "operationId": "batch",
        "summary": "Calls functions in one request; they run concurrently and answer in order.",
        "tags": ["batch"],
        "requestBody": {
            "required": true,
            "content": { "application/json": { "schema": { "type": "array", "items": item } } },
        },
        "responses": responses(success(answer), batch_codes(), shared),
    })
}
