//! Type erasure: the function table stores `Arc<dyn Handler>`, whatever
//! registered it (a `#[mizan::client]` function, a form, an extension).

use std::sync::Arc;

use axum::body::Body;
use futures_util::StreamExt;
use schemars::SchemaGenerator;

use super::check::OutputCheck;
use super::gate::Gate;
use super::lines::Lines;
use super::reply::{Answer, Reply};
use crate::auth::BoxFuture;
use crate::errors::{Declared, FnError};
use crate::function::{FnInfo, ServerFn};
use crate::limits::FnLimit;
use crate::output::sealed::Reply as _;
use crate::upload::Source;
use crate::{Error, Request, Result};

/// A registered function with its types erased.
pub(crate) trait Handler: Send + Sync {
    fn info(&self) -> &FnInfo;
    /// The whole pipeline: auth, then the rate limit, then parse, then validate, then call, then
    /// the success envelope `{"data":…}`. Never called for a stream.
    fn invoke<'a>(&'a self, req: &'a Request, input: &'a str) -> BoxFuture<'a, Result<Vec<u8>>>;
    /// [`Handler::invoke`] for a function that may stream: the envelope, or
    /// the stream's first item read and the body that sends the rest.
    fn open<'a>(&'a self, req: &'a Request, input: &'a str) -> BoxFuture<'a, Result<Answer>> {
        Box::pin(async move { self.invoke(req, input).await.map(Answer::Whole) })
    }
    /// An upload call (a function with an upload argument): auth and the
    /// rate limit before any of `body` is read, then the `args` part (at
    /// most `args_limit` bytes) parsed and validated, then the files handed
    /// to the function as they arrive.
    fn open_upload<'a>(
        &'a self,
        req: &'a Request,
        body: Body,
        boundary: String,
        args_limit: usize,
    ) -> BoxFuture<'a, Result<Answer>> {
        let _ = (req, body, boundary, args_limit);
        Box::pin(async move { Err(crate::upload::not_taken(self.info().name)) })
    }
    /// `(input, output)` schemas for the manifest (a stream's output: the
    /// schema of each item).
    fn schemas(
        &self,
        input: &mut SchemaGenerator,
        output: &mut SchemaGenerator,
    ) -> (serde_json::Value, serde_json::Value);
    /// Whether the output is a stream of items (answered as NDJSON).
    fn streams(&self) -> bool {
        false
    }
    /// The typed errors it declares, if any (for the manifest).
    fn errors(&self) -> Option<Declared> {
        None
    }
    /// Whether the empty input `{}` parses and validates: a global context
    /// runs for every page without arguments (checked at start-up).
    fn accepts_no_args(&self) -> Result<()> {
        Ok(())
    }
}

struct Erased<F: ServerFn> {
    info: FnInfo,
    gate: Gate<F::Args>,
    /// The dev-mode output check (never used in production).
    check: Arc<OutputCheck>,
    _f: F,
}

/// The handler of a `#[mizan::client]` function registered as `name`.
pub(crate) fn erase<F: ServerFn>(name: &str, f: F) -> Arc<dyn Handler> {
    let info = f.info();
    let gate = Gate::new(info.auth).limited(info.rate.map(|rate| FnLimit::new(name, rate)));
    let check = Arc::new(OutputCheck::new(name, <F::Output as crate::output::sealed::Reply>::root_schema));
    Arc::new(Erased { gate, info, check, _f: f })
}

impl<F: ServerFn> Erased<F> {
    /// The output as the call's answer (checked in dev mode).
    async fn answer(&self, req: &Request, output: F::Output) -> Result<Answer> {
        match output.reply(self.info.name)? {
            Reply::Whole(envelope) => {
                if req.is_dev() {
                    self.check.check(&envelope, req.request_id());
                }
                Ok(Answer::Whole(envelope))
            }
            Reply::Items(items) => {
                let items = if req.is_dev() {
                    let (check, id) = (self.check.clone(), req.request_id().to_owned());
                    items
                        .inspect(move |item| {
                            if let Ok(envelope) = item {
                                check.check(envelope, &id);
                            }
                        })
                        .boxed()
                } else {
                    items
                };
                Lines::open(items, self.info.name, req.request_id()).await.map(Answer::Stream)
            }
        }
    }
}

impl<F: ServerFn> Handler for Erased<F> {
    fn info(&self) -> &FnInfo {
        &self.info
    }

    fn invoke<'a>(&'a self, req: &'a Request, input: &'a str) -> BoxFuture<'a, Result<Vec<u8>>> {
        Box::pin(async move {
            match self.open(req, input).await? {
                Answer::Whole(envelope) => Ok(envelope),
                Answer::Stream(_) => Err(Error::internal(format!(
                    "`{}` streams its output and was called for a whole one",
                    self.info.name
                ))),
            }
        })
    }

    fn open<'a>(&'a self, req: &'a Request, input: &'a str) -> BoxFuture<'a, Result<Answer>> {
        Box::pin(async move {
            let args = self.gate.admit(req, input).await?;
            let output = F::call(req, args).await.map_err(FnError::into_error)?;
            self.answer(req, output).await
        })
    }

    fn open_upload<'a>(
        &'a self,
        req: &'a Request,
        body: Body,
        boundary: String,
        args_limit: usize,
    ) -> BoxFuture<'a, Result<Answer>> {
        Box::pin(async move {
            let Some(spec) = self.info.upload else {
                return Err(crate::upload::not_taken(self.info.name));
            };
            self.gate.enter(req).await?;
            let mut source = Source::new(body, boundary, spec, args_limit);
            let input = source.args().await?;
            let mut args = self.gate.parse(&input)?;
            let refusal = source.refusal();
            F::attach(&mut args, source.files().await?);
            let result = F::call(req, args).await.map_err(FnError::into_error);
            // A limit the files broke is the answer, whatever the function made of it.
            if let Some(refused) = crate::upload::kept(&refusal) {
                return Err(refused);
            }
            self.answer(req, result?).await
        })
    }

    fn schemas(
        &self,
        input: &mut SchemaGenerator,
        output: &mut SchemaGenerator,
    ) -> (serde_json::Value, serde_json::Value) {
        crate::function::schemas::<F>(input, output)
    }

    fn streams(&self) -> bool {
        <F::Output as crate::output::sealed::Reply>::STREAM
    }

    fn errors(&self) -> Option<Declared> {
        F::Error::declared()
    }

    fn accepts_no_args(&self) -> Result<()> {
        self.gate.parse("{}").map(drop)
    }
}
