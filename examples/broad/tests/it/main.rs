//! The broad test app's tests: the parity sweep ([`sweep`]) and the
//! `docs/types.md` check ([`types_doc`]).
//!
//! Need Bun and Zod from the workspace's node_modules (`scripts/setup`).

#[path = "../../../../crates/mizan/tests/it/parity/zod.rs"]
#[allow(dead_code)]
mod zod;

mod sweep;
mod types_doc;

use std::path::PathBuf;

/// The repository's root directory.
fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the workspace root")
}
