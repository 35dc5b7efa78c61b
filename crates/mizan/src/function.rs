//! The trait `#[mizan::client]` implements, and what the registry keeps of it.

use std::future::Future;

use schemars::{JsonSchema, SchemaGenerator};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::Auth;
use crate::limits::Rate;
use crate::{Request, Result};

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
    /// Wire names of the arguments, in order.
    pub args: &'static [&'static str],
}

/// A server function. Implemented by `#[mizan::client]`; rarely by hand.
///
/// The framework parses the input into [`ServerFn::Args`] (refusing unknown
/// keys), validates it with garde, calls [`ServerFn::call`] and serializes
/// the output.
pub trait ServerFn: Send + Sync + 'static {
    /// The named arguments as one struct (the wire input object).
    type Args: DeserializeOwned + JsonSchema + garde::Validate<Context = ()> + Send;
    /// The success value.
    type Output: Serialize + JsonSchema + Send;

    /// The function's metadata.
    fn info(&self) -> FnInfo;

    /// Runs the function.
    fn call(req: &Request, args: Self::Args) -> impl Future<Output = Result<Self::Output>> + Send + '_;
}

/// Schemas of a function's input and output.
pub(crate) fn schemas<F: ServerFn>(
    input: &mut SchemaGenerator,
    output: &mut SchemaGenerator,
) -> (serde_json::Value, serde_json::Value) {
    let i = <F::Args as JsonSchema>::json_schema(input);
    let o = output.subschema_for::<F::Output>();
    (i.to_value(), o.to_value())
}
