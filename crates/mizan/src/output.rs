//! What a function may return ([`Output`]): a value, answered whole as
//! `{"data": …}`, or a [`Stream`], answered as NDJSON.

use futures_util::StreamExt;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Serialize;
use serde_json::Value;

use crate::Result;
use crate::call::{Items, Reply};
use crate::stream::Stream;

/// The success value of a server function ([`ServerFn::Output`](crate::ServerFn::Output)):
/// any type that is `Serialize + JsonSchema` (answered whole, `{"data": …}`),
/// or a [`Stream<T>`](Stream) of such items (answered as NDJSON, one
/// `{"data": item}` line each). Implemented for exactly these; nothing else
/// can implement it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the output of a mizan function",
    label = "an output is `Serialize + JsonSchema + Send`, or a `mizan::Stream` of such items"
)]
pub trait Output: sealed::Reply + Send {}

impl<T: sealed::Reply + Send> Output for T {}

pub(crate) mod sealed {
    use super::*;

    /// How an output becomes its answer, and what the manifest says of it.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be the output of a mizan function",
        label = "an output is `Serialize + JsonSchema + Send`, or a `mizan::Stream` of such items"
    )]
    pub trait Reply: Sized {
        /// Whether the output is a stream of items.
        const STREAM: bool;
        /// The schema of the data (of each item, for a stream).
        fn schema(generator: &mut SchemaGenerator) -> Schema;
        /// The data's (each item's) root schema with its `$defs`, under the
        /// serialize contract: what the dev-mode output check judges by.
        fn root_schema() -> Value;
        /// The answer: the envelope's bytes, or the stream of item lines.
        fn reply(self, name: &str) -> Result<super::Reply>;
    }
}

fn root_schema_of<T: JsonSchema>() -> Value {
    schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

impl<T: Serialize + JsonSchema + Send> sealed::Reply for T {
    const STREAM: bool = false;

    fn schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<T>()
    }

    fn root_schema() -> Value {
        root_schema_of::<T>()
    }

    fn reply(self, name: &str) -> Result<Reply> {
        crate::call::data(&self, name).map(Reply::Whole)
    }
}

impl<T: Serialize + JsonSchema + Send + 'static> sealed::Reply for Stream<T> {
    const STREAM: bool = true;

    fn schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<T>()
    }

    fn root_schema() -> Value {
        root_schema_of::<T>()
    }

    fn reply(self, name: &str) -> Result<Reply> {
        let name: std::sync::Arc<str> = name.into();
        let items: Items =
            self.map(move |item| item.and_then(|item| crate::call::data(&item, &name))).boxed();
        Ok(Reply::Items(items))
    }
}
