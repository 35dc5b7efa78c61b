//! The one front door of `generate --out DIR [--check]`, shared by
//! `mizan-cli generate` and a `mizan::cli` binary's `generate`, so both
//! answer alike.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::{CodegenError, Drift, check, write};

/// What [`run`] did, with its exit code and its message.
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome {
    /// The files were written.
    Written {
        /// The directory.
        dir: PathBuf,
        /// How many files it holds.
        files: usize,
    },
    /// `--check`: the directory holds exactly the generated files.
    UpToDate,
    /// `--check`: the directory differs.
    Stale {
        /// The directory.
        dir: PathBuf,
        /// How.
        drift: Drift,
    },
    /// Codegen refused the manifest (malformed, clashing names, a schema
    /// with no faithful mapping).
    Refused(CodegenError),
    /// Writing the directory failed.
    WriteFailed {
        /// The directory.
        dir: PathBuf,
        /// Why.
        error: std::io::Error,
    },
}

impl Outcome {
    /// The process exit code: 0 on success, 1 when `--check` finds drift,
    /// 2 when the manifest is refused or the files cannot be written.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Written { .. } | Self::UpToDate => 0,
            Self::Stale { .. } => 1,
            Self::Refused(_) | Self::WriteFailed { .. } => 2,
        }
    }

    /// Whether it succeeded.
    pub fn is_success(&self) -> bool {
        self.exit_code() == 0
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Written { dir, files } => write!(f, "wrote {files} files to {}", dir.display()),
            Self::UpToDate => write!(f, "the generated files are up to date"),
            Self::Stale { dir, drift } => write!(f, "{} is stale:\n{drift}", dir.display()),
            Self::Refused(e) => write!(f, "codegen refused the manifest: {e}"),
            Self::WriteFailed { dir, error } => write!(f, "cannot write {}: {error}", dir.display()),
        }
    }
}

/// Generates the TypeScript for `manifest` and writes it to `dir`, or with
/// `check` compares it with `dir` and writes nothing.
pub fn run(manifest: &serde_json::Value, dir: &Path, check_only: bool) -> Outcome {
    run_with(manifest, dir, check_only, &crate::Options::default())
}

/// [`run`] with [`Options`](crate::Options).
pub fn run_with(
    manifest: &serde_json::Value,
    dir: &Path,
    check_only: bool,
    options: &crate::Options,
) -> Outcome {
    let files = match crate::generate_with(manifest, options) {
        Ok(files) => files,
        Err(e) => return Outcome::Refused(e),
    };
    if check_only {
        match check(dir, &files) {
            Ok(()) => Outcome::UpToDate,
            Err(drift) => Outcome::Stale { dir: dir.to_owned(), drift },
        }
    } else {
        match write(dir, &files) {
            Ok(()) => Outcome::Written { dir: dir.to_owned(), files: files.len() },
            Err(error) => Outcome::WriteFailed { dir: dir.to_owned(), error },
        }
    }
}
