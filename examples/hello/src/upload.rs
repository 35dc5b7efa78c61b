//! `upload`: a file (at most 10 MB) and a note; the answer names the file
//! and gives its size and the SHA-256 of the bytes received, hashed as
//! they arrive.

use mizan::{Request, Upload};
use schemars::JsonSchema;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What was received.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Stored {
    /// The file name the client sent (empty when it sent none).
    pub(crate) name: String,
    /// Bytes received.
    pub(crate) size: u32,
    /// The lowercase hex SHA-256 of those bytes.
    pub(crate) sha256: String,
    /// The note, as sent.
    pub(crate) note: String,
}

/// Receives a file with a note and answers its size and SHA-256.
#[mizan::client]
pub(crate) async fn upload(
    _req: &Request,
    #[upload(max_bytes = 10_000_000)] file: Upload,
    note: String,
) -> mizan::Result<Stored> {
    let name = file.file_name().unwrap_or_default().to_owned();
    let mut file = file;
    let mut hasher = Sha256::new();
    let mut size = 0u32;
    while let Some(chunk) = file.chunk().await? {
        size += u32::try_from(chunk.len()).unwrap_or(u32::MAX);
        hasher.update(&chunk);
    }
    let sha256 = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(Stored { name, size, sha256, note })
}
