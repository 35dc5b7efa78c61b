//! The one error type of code generation.

use std::fmt;

/// Why a manifest could not be turned into TypeScript.
///
/// Every message names what it is about (a function, a type definition and
/// the path inside its schema) so it can be shown to a developer as is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CodegenError {
    /// The JSON does not follow the manifest format (version 1).
    Manifest(String),
    /// A function or type name cannot be used in the generated TypeScript:
    /// a reserved word, an invalid name, or two names that collide after
    /// case conversion.
    Name(String),
    /// A schema cannot be mapped faithfully to TypeScript and Zod, so it is
    /// refused rather than generated loosely.
    Unsupported {
        /// Where: the function or definition, and the path inside its schema.
        at: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Manifest(msg) => write!(f, "invalid manifest: {msg}"),
            Self::Name(msg) => write!(f, "{msg}"),
            Self::Unsupported { at, reason } => write!(f, "{at}: {reason}"),
        }
    }
}

impl std::error::Error for CodegenError {}

impl From<mizan_manifest::ManifestError> for CodegenError {
    fn from(e: mizan_manifest::ManifestError) -> Self {
        Self::Manifest(e.0)
    }
}

impl From<mizan_manifest::naming::NameError> for CodegenError {
    fn from(e: mizan_manifest::naming::NameError) -> Self {
        Self::Name(e.0)
    }
}
