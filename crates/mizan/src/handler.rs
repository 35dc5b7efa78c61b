//! Type erasure over [`ServerFn`]: the registry stores `Arc<dyn Handler>`.

use std::sync::Arc;

use schemars::SchemaGenerator;

use crate::auth::BoxFuture;
use crate::function::{FnInfo, ServerFn};
use crate::validate::{parse_args, validate};
use crate::{Error, Request, Result};

/// A registered function with its types erased.
pub(crate) trait Handler: Send + Sync {
    fn info(&self) -> &FnInfo;
    /// Auth, then parse, then validate, then call, then serialize into the
    /// success envelope `{"data":…}`.
    fn invoke<'a>(&'a self, req: &'a Request, input: &'a str) -> BoxFuture<'a, Result<Vec<u8>>>;
    fn schemas(
        &self,
        input: &mut SchemaGenerator,
        output: &mut SchemaGenerator,
    ) -> (serde_json::Value, serde_json::Value);
    /// Whether the empty input `{}` parses and validates: a global context
    /// runs for every page without arguments (checked at start-up).
    fn accepts_no_args(&self) -> Result<()> {
        Ok(())
    }
}

struct Erased<F> {
    info: FnInfo,
    /// The input's root schema, made on the first validation failure.
    input_schema: std::sync::OnceLock<serde_json::Value>,
    _f: F,
}

pub(crate) fn erase<F: ServerFn>(f: F) -> Arc<dyn Handler> {
    Arc::new(Erased { info: f.info(), input_schema: std::sync::OnceLock::new(), _f: f })
}

impl<F: ServerFn> Handler for Erased<F> {
    fn info(&self) -> &FnInfo {
        &self.info
    }

    fn invoke<'a>(&'a self, req: &'a Request, input: &'a str) -> BoxFuture<'a, Result<Vec<u8>>> {
        Box::pin(async move {
            // Auth comes first so anonymous callers cannot probe validation.
            self.info.auth.check(req).await?;
            let args: F::Args = parse_args(input)?;
            validate(&args, || Some(self.input_schema.get_or_init(input_root_schema::<F>).clone()))?;
            let output = F::call(req, args).await?;
            let mut out = Vec::with_capacity(128);
            out.extend_from_slice(b"{\"data\":");
            serde_json::to_writer(&mut out, &output)
                .map_err(|e| Error::internal(format!("serializing the output of {}: {e}", self.info.name)))?;
            out.push(b'}');
            Ok(out)
        })
    }

    fn schemas(
        &self,
        input: &mut SchemaGenerator,
        output: &mut SchemaGenerator,
    ) -> (serde_json::Value, serde_json::Value) {
        crate::function::schemas::<F>(input, output)
    }

    fn accepts_no_args(&self) -> Result<()> {
        let args: F::Args = parse_args("{}")?;
        validate(&args, || Some(self.input_schema.get_or_init(input_root_schema::<F>).clone()))
    }
}

fn input_root_schema<F: ServerFn>() -> serde_json::Value {
    schemars::generate::SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<F::Args>()
        .to_value()
}
