//! Type erasure: the function table stores `Arc<dyn Handler>`, whatever
//! registered it (a `#[mizan::client]` function, a form, an extension).

use std::sync::Arc;

use schemars::SchemaGenerator;

use super::envelope::data;
use super::gate::Gate;
use crate::auth::BoxFuture;
use crate::function::{FnInfo, ServerFn};
use crate::limits::FnLimit;
use crate::{Request, Result};

/// A registered function with its types erased.
pub(crate) trait Handler: Send + Sync {
    fn info(&self) -> &FnInfo;
    /// The whole pipeline: auth, then the rate limit, then parse, then validate, then call, then
    /// the success envelope `{"data":…}`.
    fn invoke<'a>(&'a self, req: &'a Request, input: &'a str) -> BoxFuture<'a, Result<Vec<u8>>>;
    /// `(input, output)` schemas for the manifest.
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

struct Erased<F: ServerFn> {
    info: FnInfo,
    gate: Gate<F::Args>,
    _f: F,
}

/// The handler of a `#[mizan::client]` function registered as `name`.
pub(crate) fn erase<F: ServerFn>(name: &str, f: F) -> Arc<dyn Handler> {
    let info = f.info();
    let gate = Gate::new(info.auth).limited(info.rate.map(|rate| FnLimit::new(name, rate)));
    Arc::new(Erased { gate, info, _f: f })
}

impl<F: ServerFn> Handler for Erased<F> {
    fn info(&self) -> &FnInfo {
        &self.info
    }

    fn invoke<'a>(&'a self, req: &'a Request, input: &'a str) -> BoxFuture<'a, Result<Vec<u8>>> {
        Box::pin(async move {
            let args = self.gate.admit(req, input).await?;
            let output = F::call(req, args).await?;
            data(&output, self.info.name)
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
        self.gate.parse("{}").map(drop)
    }
}
