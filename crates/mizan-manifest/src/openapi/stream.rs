//! The `200` of a stream function: NDJSON lines, with the item's schema
//! under [`ITEM_SCHEMA_KEY`].

use serde_json::{Value, json};

use super::schemas::{ERROR_BODY, component_ref};

/// The extension key of a stream's `application/x-ndjson` media type
/// holding the schema of each item (the `data` of its `{"data": item}`
/// lines).
pub const ITEM_SCHEMA_KEY: &str = "x-mizan-item";

/// The content type of a streamed output.
const NDJSON: &str = "application/x-ndjson";

/// The `200` response of a stream whose items are `item`: `schema` is one
/// line, `x-mizan-item` the item.
pub(super) fn success(item: Value) -> Value {
    let line = json!({
        "anyOf": [
            {
                "type": "object",
                "properties": { "data": item },
                "required": ["data"],
                "additionalProperties": false,
            },
            {
                "type": "object",
                "properties": { "end": { "const": true } },
                "required": ["end"],
                "additionalProperties": false,
            },
            component_ref(ERROR_BODY),
        ],
    });
    json!({
        "description": "Success: newline-delimited JSON, one `{\"data\": item}` line per item as it comes, \
            then `{\"end\": true}`, or `{\"error\": MizanError}` when the stream fails after some items. The \
            schema is one line's; the item's is under `x-mizan-item`.",
        "content": { NDJSON: { "schema": line, ITEM_SCHEMA_KEY: item } },
    })
}
