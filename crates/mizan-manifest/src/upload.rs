//! A function's upload argument: the files it takes as parts of a
//! `multipart/form-data` call, and their limits.

use serde::{Deserialize, Serialize};

/// The upload argument of a function that takes files. The argument is
/// not in the function's `input` schema (that is the JSON of the `args`
/// part); it is described here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an object {\"arg\", \"multiple\", \"optional\", \"max_bytes\", \"max_count\", \"mime\"}"
)]
pub struct Upload {
    /// The argument's wire name: the name of each of its file parts.
    pub arg: String,
    /// Whether it takes a list of files (parts repeated, in order).
    pub multiple: bool,
    /// Whether a single file may be left out.
    pub optional: bool,
    /// Bytes allowed per file.
    pub max_bytes: u64,
    /// Files allowed (1 unless `multiple`).
    pub max_count: u32,
    /// Declared content types allowed (`type/subtype` or `type/*`); empty
    /// allows any. Only the declared type is judged: the bytes are not sniffed.
    #[serde(default)]
    pub mime: Vec<String>,
}
