//! The manifest as an OpenAPI 3.1 document: `POST {prefix}/call/{name}` for
//! every function, `GET` too for queries (the input as the `input` query
//! parameter), `POST {prefix}/batch`, every error status an operation can
//! answer with the error object's schema, and the security schemes the
//! protocol knows (the `mizan_session` cookie with the `x-mizan-csrf`
//! header, a bearer token).
//!
//! The manifest's schemas are JSON Schema 2020-12, which is what OpenAPI
//! 3.1's schema objects are: they are copied as they are, their `$ref`s
//! pointed at `#/components/schemas`.
//!
//! A stream function's `200` is `application/x-ndjson`: its `schema` is
//! one line (`{"data": item}`, `{"end": true}` or `{"error": …}`), and the
//! item's own schema is under the media type's extension key
//! [`ITEM_SCHEMA_KEY`] (`x-mizan-item`), since OpenAPI 3.1 has no keyword
//! for the items of a sequential media type.
//!
//! ```
//! use mizan_manifest::{Auth, Function, Kind, Manifest, openapi};
//! use serde_json::json;
//!
//! let mut manifest = Manifest::default();
//! manifest.functions.push(Function {
//!     name: "echo".into(),
//!     kind: Kind::Query,
//!     auth: Auth::Public,
//!     context: None,
//!     invalidates: vec![],
//!     doc: Some("Echo text back.".into()),
//!     args: vec!["text".into()],
//!     input: json!({ "type": "object", "properties": { "text": { "type": "string" } } }),
//!     output: json!({ "type": "string" }),
//!     rate: None,
//!     stream: false,
//!     errors: vec![],
//!     upload: None,
//! });
//! let doc = openapi::render(&manifest, &openapi::Options::new("echo", "/api/mizan"));
//! assert_eq!(doc["openapi"], "3.1.0");
//! let echo = &doc["paths"]["/api/mizan/call/echo"];
//! assert_eq!(echo["get"]["parameters"][0]["name"], "input");
//! assert_eq!(echo["post"]["responses"]["422"]["$ref"], "#/components/responses/VALIDATION");
//! ```

mod operation;
mod responses;
mod schemas;
mod stream;
#[cfg(test)]
mod tests;
mod upload;

use serde_json::{Map, Value, json};

pub use stream::ITEM_SCHEMA_KEY;
pub use upload::{MAX_BYTES_KEY, MAX_COUNT_KEY, MIME_KEY};

use crate::{Kind, Manifest};

/// What the document says that the manifest does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// The mount prefix the paths start with (`/api/mizan`).
    pub prefix: String,
}

impl Options {
    /// A document titled `title` for an API mounted at `prefix`, version `1`.
    pub fn new(title: impl Into<String>, prefix: impl Into<String>) -> Self {
        Self { title: title.into(), version: "1".into(), prefix: prefix.into() }
    }
}

/// The OpenAPI 3.1 document of `manifest`'s functions.
pub fn render(manifest: &Manifest, options: &Options) -> Value {
    let names = schemas::Names::new(manifest);
    let prefix = options.prefix.trim_end_matches('/');
    let mut paths = Map::new();
    let mut responses = Map::new();
    for function in &manifest.functions {
        let mut item = Map::new();
        if function.kind == Kind::Query {
            item.insert("get".into(), operation::get(function, &names, &mut responses));
        }
        item.insert("post".into(), operation::post(function, &names, &mut responses));
        paths.insert(format!("{prefix}/call/{}", function.name), Value::Object(item));
    }
    paths.insert(format!("{prefix}/batch"), json!({ "post": operation::batch(manifest, &mut responses) }));
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": options.title,
            "version": options.version,
            "description": "Generated from the mizan manifest (version 1). Every error answer is \
                `{\"error\": MizanError}`. A function's declared (typed) errors are listed at their \
                statuses with their `data`; other codes of a function's own are not in the manifest.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas::components(manifest, &names),
            "responses": responses,
            "securitySchemes": operation::security_schemes(),
        },
    })
}
