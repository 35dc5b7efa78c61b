//! The answers an operation can give: its success envelope and every error
//! status, from the error-code table ([`crate::codes`]).

use serde_json::{Map, Value, json};

use super::schemas::{ERROR_BODY, Names, component_ref};
use crate::codes::{self, Code};
use crate::{DeclaredError, Side};

/// How an operation is reached, which decides some of its refusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    /// A safe request: never `CSRF`, no body.
    Get,
    /// An unsafe request with a JSON body.
    Post,
}

/// The framework's codes a call of `function` by `method` can answer:
/// malformed or invalid input, a request target past its limit, the
/// limits on calls and logins, a refused caller, a failure, a service
/// down; for a POST also the CSRF check and the body's limit (and its
/// media type, where the table has that code).
///
/// A refused caller (`401`, `403`) is listed whatever the auth level: the
/// gate answers them for a level above public, and any handler may refuse
/// its caller itself (`accounts.login` answers `401` for wrong
/// credentials). The manifest does not say which handler does.
pub(super) fn call_codes(method: Method) -> Vec<Code> {
    let mut out = vec![
        codes::BAD_REQUEST,
        codes::VALIDATION,
        codes::UNAUTHENTICATED,
        codes::FORBIDDEN,
        codes::URI_TOO_LONG,
        codes::RATE_LIMITED,
    ];
    if method == Method::Post {
        out.extend([codes::CSRF, codes::PAYLOAD_TOO_LARGE]);
        out.extend(codes::lookup("UNSUPPORTED_MEDIA_TYPE"));
    }
    out.extend([codes::INTERNAL, codes::UNAVAILABLE]);
    out
}

/// The codes `POST batch` can answer as a whole (its items' errors are in
/// its `200` answer).
pub(super) fn batch_codes() -> Vec<Code> {
    let mut out = vec![codes::BAD_REQUEST, codes::URI_TOO_LONG, codes::CSRF, codes::PAYLOAD_TOO_LARGE];
    out.extend(codes::lookup("UNSUPPORTED_MEDIA_TYPE"));
    out.extend([codes::INTERNAL, codes::UNAVAILABLE]);
    out
}

/// The `200` response whose JSON body is `schema`.
pub(super) fn success(schema: Value) -> Value {
    json!({ "description": "Success.", "content": { "application/json": { "schema": schema } } })
}

/// `responses`: `200` as `success` (see [`success`]), then one entry per
/// error status, in increasing order: a reference to
/// `components.responses`, where [`error_response`] is added under the
/// name of the status's codes.
pub(super) fn responses(success: Value, mut errors: Vec<Code>, shared: &mut Map<String, Value>) -> Value {
    let mut out = Map::new();
    out.insert("200".into(), success);
    errors.sort_by_key(|c| c.status);
    let mut i = 0;
    while i < errors.len() {
        let status = errors[i].status;
        let group: Vec<Code> = errors[i..].iter().take_while(|c| c.status == status).copied().collect();
        i += group.len();
        let name = group.iter().map(|c| c.code).collect::<Vec<_>>().join("-");
        if !shared.contains_key(&name) {
            shared.insert(name.clone(), error_response(&group));
        }
        out.insert(status.to_string(), json!({ "$ref": format!("#/components/responses/{name}") }));
    }
    Value::Object(out)
}

/// `responses` with a function's declared errors added: each at its
/// status, with its `code` and its `data` (required when the error has
/// a schema for it, absent when it has none). A status the framework
/// answers too becomes one inline response, either kind of error; the
/// statuses stay in increasing order.
pub(super) fn with_declared(
    responses: Value,
    declared: &[DeclaredError],
    names: &Names,
    shared: &Map<String, Value>,
) -> Value {
    let Value::Object(mut out) = responses else { return responses };
    if declared.is_empty() {
        return Value::Object(out);
    }
    let mut statuses: Vec<u16> = declared.iter().map(|e| e.status).collect();
    statuses.sort_unstable();
    statuses.dedup();
    for status in statuses {
        let here: Vec<&DeclaredError> = declared.iter().filter(|e| e.status == status).collect();
        let mut schemas: Vec<Value> = here.iter().map(|e| declared_schema(e, names)).collect();
        let mut description: Vec<String> =
            here.iter().map(|e| format!("`{}`: the function's own error", e.code)).collect();
        let mut headers = None;
        // The framework's answer at this status, if any: its schema and
        // description join the declared ones.
        if let Some(framework) = out.get(&status.to_string()).and_then(|r| resolve(r, shared)) {
            schemas.insert(0, framework["content"]["application/json"]["schema"].clone());
            if let Some(d) = framework["description"].as_str() {
                description.insert(0, d.to_owned());
            }
            headers = framework.get("headers").cloned();
        }
        let schema = if schemas.len() == 1 { schemas.remove(0) } else { json!({ "anyOf": schemas }) };
        let mut response = json!({
            "description": description.join("; "),
            "content": { "application/json": { "schema": schema } },
        });
        if let Some(headers) = headers {
            response["headers"] = headers;
        }
        out.insert(status.to_string(), response);
    }
    out.sort_keys();
    Value::Object(out)
}

/// A response or a reference to one of `components.responses`.
fn resolve<'a>(response: &'a Value, shared: &'a Map<String, Value>) -> Option<&'a Value> {
    match response.get("$ref").and_then(Value::as_str) {
        Some(r) => shared.get(r.strip_prefix("#/components/responses/")?),
        None => Some(response),
    }
}

/// The error body of one declared error: its code, and its `data` by its
/// schema (or no `data` at all).
fn declared_schema(e: &DeclaredError, names: &Names) -> Value {
    let error = match &e.data {
        Some(data) => json!({
            "properties": { "code": { "const": e.code }, "data": names.rewrite(Side::Output, data) },
            "required": ["code", "data"],
        }),
        None => json!({
            "properties": { "code": { "const": e.code }, "data": false },
            "required": ["code"],
        }),
    };
    json!({ "allOf": [component_ref(ERROR_BODY), { "properties": { "error": error } }] })
}

/// The answer of one status: an error whose `code` is one of `group`'s.
fn error_response(group: &[Code]) -> Value {
    let description =
        group.iter().map(|c| format!("`{}`: {}", c.code, c.when)).collect::<Vec<_>>().join("; ");
    let schema = json!({
        "allOf": [
            component_ref(ERROR_BODY),
            { "properties": { "error": { "properties": {
                "code": { "enum": group.iter().map(|c| c.code).collect::<Vec<_>>() },
            } } } },
        ],
    });
    let mut response = json!({
        "description": description,
        "content": { "application/json": { "schema": schema } },
    });
    if group.iter().any(|c| c.code == codes::RATE_LIMITED.code) {
        response["headers"] = json!({
            "retry-after": {
                "description": "Seconds to wait before trying again.",
                "schema": { "type": "integer", "minimum": 0 },
            },
        });
    }
    response
}
