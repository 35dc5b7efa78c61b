//! The trait `#[mizan::client]` implements, and what the registry keeps of it.

use std::future::Future;

use schemars::{JsonSchema, SchemaGenerator};
use serde::de::DeserializeOwned;

use crate::Request;
use crate::auth::Auth;
use crate::errors::FnError;
use crate::limits::Rate;
use crate::output::Output;
use crate::upload::{Files, UploadSpec};

/// Whether a function is side-effect free: [`Kind::Query`] or [`Kind::Mutation`].
pub use mizan_manifest::Kind;

/// Context functions are fetched per page ([`Context::Global`]) or per
/// provider ([`Context::Local`]).
pub use mizan_manifest::ContextKind as Context;

/// What the manifest records about a function, besides its schemas.
#[derive(Debug, Clone)]
pub struct FnInfo {
    /// The default registration name (the Rust fn name).
    pub name: &'static str,
    /// Query or mutation.
    pub kind: Kind,
    /// The required auth level.
    pub auth: Auth,
    /// The context kind, if any.
    pub context: Option<Context>,
    /// Names of queries a successful call invalidates.
    pub invalidates: &'static [&'static str],
    /// The calls allowed per caller and period (`rate = "10/min"`), if limited.
    pub rate: Option<Rate>,
    /// The doc comment.
    pub doc: Option<&'static str>,
    /// Wire names of the arguments, in order (an upload argument's
    /// included).
    pub args: &'static [&'static str],
    /// The upload argument, if the function takes files.
    pub upload: Option<UploadSpec>,
}

/// A server function. Implemented by `#[mizan::client]`; rarely by hand.
///
/// The framework parses the input into [`ServerFn::Args`] (refusing unknown
/// keys), validates it with garde, calls [`ServerFn::call`] and serializes
/// the output (each item of a streamed one).
pub trait ServerFn: Send + Sync + 'static {
    /// The named arguments as one struct (the wire input object).
    type Args: DeserializeOwned + JsonSchema + garde::Validate<Context = ()> + Send;
    /// The success value: any `Serialize + JsonSchema` type, answered whole,
    /// or a [`Stream`](crate::Stream) of them, answered as NDJSON.
    type Output: Output;
    /// What it fails with: [`Error`](crate::Error), or typed errors (an
    /// [`ErrorType`](crate::ErrorType) enum or a [`Failure`](crate::Failure) of one).
    type Error: FnError;

    /// The function's metadata.
    fn info(&self) -> FnInfo;

    /// Hands the upload argument its files (a function that takes files;
    /// the others ignore it). Not API.
    #[doc(hidden)]
    fn attach(args: &mut Self::Args, files: Files) {
        let _ = (args, files);
    }

    /// Runs the function.
    fn call(
        req: &Request,
        args: Self::Args,
    ) -> impl Future<Output = Result<Self::Output, Self::Error>> + Send + '_;
}

/// Schemas of a function's input and output.
pub(crate) fn schemas<F: ServerFn>(
    input: &mut SchemaGenerator,
    output: &mut SchemaGenerator,
) -> (serde_json::Value, serde_json::Value) {
    let i = <F::Args as JsonSchema>::json_schema(input);
    let o = <F::Output as crate::output::sealed::Reply>::schema(output);
    (i.to_value(), o.to_value())
}
