//! The mizan manifest, version 1 (`docs/manifest.md`), as typed serde
//! values: what a backend writes and what codegen reads. Schemas stay JSON
//! ([`serde_json::Value`]); everything around them is typed.
//!
//! ```
//! use mizan_manifest::{Auth, Function, Kind, Manifest};
//! use serde_json::json;
//!
//! let mut manifest = Manifest::default();
//! manifest.functions.push(Function {
//!     name: "echo".into(),
//!     kind: Kind::Mutation,
//!     auth: Auth::Public,
//!     context: None,
//!     invalidates: vec![],
//!     rate: None,
//!     doc: Some("Echo text back.".into()),
//!     args: vec!["text".into()],
//!     input: json!({ "type": "object" }),
//!     output: json!({ "type": "string" }),
//!     stream: false,
//!     errors: vec![],
//!     upload: None,
//! });
//! let json = manifest.to_json();
//! assert_eq!(json["functions"][0]["kind"], "mutation");
//! assert_eq!(Manifest::from_json(&json)?, manifest);
//! # Ok::<(), mizan_manifest::ManifestError>(())
//! ```
//!
//! Also here, so that the server and codegen share one definition:
//! [`naming`] (case conversion, reserved words, valid names and the check
//! that every generated TypeScript name is free), [`codes`] (the
//! framework's error codes and their HTTP statuses) and [`schema`] (the
//! input contract as a type model: what the generated Zod checks and what
//! the server validates every input against); and [`openapi`], the manifest
//! rendered as an OpenAPI 3.1 document.

mod channel;
pub mod codes;
pub mod cursor;
mod de;
pub mod errors;
mod form;
mod function;
mod locate;
mod manifest;
pub mod naming;
pub mod openapi;
pub mod refs;
pub mod schema;
mod upload;

pub use channel::Channel;
pub use errors::DeclaredError;
pub use form::{Constraints, FormChoice, FormField, FormSchema, Widget};
pub use function::{Auth, ContextKind, Function, Kind, Rate};
pub use locate::ManifestError;
pub use manifest::{Manifest, Page, Side, VERSION};
pub use upload::Upload;
