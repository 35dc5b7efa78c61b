//! An entry of the manifest's `channels`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::de::{present_nullable, string_or_null};

/// One WebSocket channel: its wire name and its three schemas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(expecting = "an object")]
pub struct Channel {
    /// The wire name, `[a-z][a-z0-9_]*` (never dotted).
    pub name: String,
    /// The channel type's doc comment.
    #[serde(default, deserialize_with = "string_or_null")]
    pub doc: Option<String>,
    /// The subscription parameters' schema (input side, `input_defs`).
    pub params: Value,
    /// What the server sends (output side, `output_defs`).
    pub server_message: Value,
    /// What a subscriber sends (input side); `null` for a listen-only
    /// channel. Always present.
    #[serde(deserialize_with = "present_nullable")]
    pub client_message: Option<Value>,
}
