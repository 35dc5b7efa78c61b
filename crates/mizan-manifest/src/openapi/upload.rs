//! The request body of a function that takes files: `multipart/form-data`
//! with the `args` part (the input object, as JSON) and the file parts
//! (`format: binary`), their limits under mizan's own extension keys.

use serde_json::{Value, json};

use crate::Upload;

/// The extension key of a file's byte limit.
pub const MAX_BYTES_KEY: &str = "x-mizan-max-bytes";
/// The extension key of the files allowed.
pub const MAX_COUNT_KEY: &str = "x-mizan-max-count";
/// The extension key of the declared content types allowed.
pub const MIME_KEY: &str = "x-mizan-mime";

/// The `requestBody` of an upload call whose `args` part has schema `input`.
pub(super) fn request_body(upload: &Upload, input: Value) -> Value {
    let mut file =
        json!({ "type": "string", "format": "binary", "contentMediaType": "application/octet-stream" });
    file[MAX_BYTES_KEY] = json!(upload.max_bytes);
    if !upload.mime.is_empty() {
        file[MIME_KEY] = json!(upload.mime);
    }
    let files = if upload.multiple {
        let mut list = json!({ "type": "array", "items": file, "maxItems": upload.max_count });
        list[MAX_COUNT_KEY] = json!(upload.max_count);
        list
    } else {
        let mut one = file;
        one[MAX_COUNT_KEY] = json!(1);
        one
    };
    let mut required = vec![json!("args")];
    if !upload.multiple && !upload.optional {
        required.push(json!(upload.arg));
    }
    let mut properties = serde_json::Map::new();
    properties.insert("args".to_owned(), input);
    properties.insert(upload.arg.clone(), files);
    let mut encoding = serde_json::Map::new();
    encoding.insert("args".to_owned(), json!({ "contentType": "application/json" }));
    if !upload.mime.is_empty() {
        encoding.insert(upload.arg.clone(), json!({ "contentType": upload.mime.join(", ") }));
    }
    json!({
        "required": true,
        "description": "The `args` part first (the other arguments as JSON), then the files.",
        "content": {
            "multipart/form-data": {
                "schema": { "type": "object", "properties": properties, "required": required },
                "encoding": encoding,
            }
        }
    })
}
