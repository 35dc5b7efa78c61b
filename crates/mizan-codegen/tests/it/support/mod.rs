//! The test kit: this crate's and the workspace's directories, and the
//! kitchen-sink fixture.

use std::path::PathBuf;

mod kitchen_sink;

pub(crate) use kitchen_sink::{build_fixture, fixture_path, load_fixture};

/// This crate's directory.
pub(crate) fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace's root directory.
pub(crate) fn workspace_root() -> PathBuf {
    crate_dir().join("../..").canonicalize().expect("workspace root")
}
