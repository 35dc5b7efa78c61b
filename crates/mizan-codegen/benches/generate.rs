//! Times `generate` on a synthetic manifest of 1,000 functions.
//!
//! `cargo bench -p mizan-codegen --bench generate` prints the median of
//! repeated runs.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn synthetic(functions: usize) -> Value {
    let mut fns = Vec::with_capacity(functions);
    let mut input_defs = serde_json::Map::new();
    let mut output_defs = serde_json::Map::new();
    for i in 0..functions {
        let item = format!("Item{i}");
        input_defs.insert(
            format!("New{item}"),
            json!({
                "type": "object",
                "properties": {
                    "title": { "type": "string", "minLength": 1, "maxLength": 200 },
                    "email": { "type": "string", "format": "email" },
                    "tags": { "type": "array", "items": { "type": "string", "pattern": "^[a-z]+$" }, "maxItems": 8 },
                    "score": { "type": "integer", "format": "int64", "minimum": 0, "maximum": 100 },
                    "note": { "type": ["string", "null"] }
                },
                "required": ["title", "email", "tags", "score"],
                "additionalProperties": false
            }),
        );
        output_defs.insert(
            item.clone(),
            json!({
                "type": "object",
                "properties": {
                    "id": { "type": "string", "format": "int64-string" },
                    "title": { "type": "string" },
                    "created": { "type": "string", "format": "date-time" },
                    "kind": { "oneOf": [
                        { "type": "object", "properties": { "type": { "type": "string", "const": "a" }, "x": { "type": "integer", "format": "int32" } }, "required": ["type", "x"] },
                        { "type": "object", "properties": { "type": { "type": "string", "const": "b" } }, "required": ["type"] }
                    ] },
                    "children": { "type": "array", "items": { "$ref": format!("#/$defs/{item}") } }
                },
                "required": ["id", "title", "created", "kind", "children"]
            }),
        );
        let kind = if i % 2 == 0 { "query" } else { "mutation" };
        fns.push(json!({
            "name": format!("function_{i}"),
            "kind": kind,
            "auth": "public",
            "context": null,
            "invalidates": [],
            "doc": format!("Function number {i}."),
            "args": ["item"],
            "input": {
                "type": "object",
                "properties": { "item": { "$ref": format!("#/$defs/New{item}") } },
                "required": ["item"],
                "additionalProperties": false
            },
            "output": { "type": "array", "items": { "$ref": format!("#/$defs/{item}") } }
        }));
    }
    json!({
        "version": 1,
        "functions": fns,
        "channels": [],
        "forms": [],
        "input_defs": input_defs,
        "output_defs": output_defs
    })
}

fn main() {
    let manifest = synthetic(1_000);
    let repeats = 15;
    let mut times: Vec<Duration> = Vec::with_capacity(repeats);
    let mut bytes = 0;
    for _ in 0..repeats {
        let start = Instant::now();
        let files = mizan_codegen::generate(&manifest).expect("synthetic manifest generates");
        times.push(start.elapsed());
        bytes = files.iter().map(|(_, text)| text.len()).sum();
    }
    times.sort();
    let median = times[repeats / 2];
    println!(
        "generate: 1000 functions, 2000 definitions, {bytes} bytes of TypeScript: median {:.1} ms (min {:.1} ms, max {:.1} ms, {repeats} runs)",
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[repeats - 1].as_secs_f64() * 1e3,
    );
}
