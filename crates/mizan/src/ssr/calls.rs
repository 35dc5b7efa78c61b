//! [`PageCalls`]: the answers to the calls a page's render makes, run
//! in-process through the one call pipeline with the page request's
//! identity, auth and rate limits (the render's deadline is the link's).

use std::sync::Arc;

use futures_util::future::BoxFuture;
use serde_json::value::RawValue;

use super::rendered::RenderCalls;
use crate::function::Kind;
use crate::{Error, Request};

/// The calls of one page's render, answered as `GET call/{name}` would
/// answer the page's own request: queries only (a mutation is
/// `METHOD_NOT_ALLOWED`, an unknown name `NOT_FOUND`, a stream
/// `BAD_REQUEST`), through auth, the rate limit, validation and the
/// handler, every error as its envelope.
pub(crate) struct PageCalls {
    req: Arc<Request>,
}

impl PageCalls {
    /// The calls of a render serving `req`.
    pub(crate) fn new(req: &Request) -> Arc<Self> {
        Arc::new(Self { req: Arc::new(req.for_render()) })
    }
}

impl RenderCalls for PageCalls {
    fn call(&self, name: &str, args: &RawValue) -> BoxFuture<'static, Box<RawValue>> {
        let req = self.req.clone();
        let (name, args) = (name.to_owned(), args.get().to_owned());
        Box::pin(async move {
            let outcome = match req.functions().kind(&name) {
                None => Err(Error::not_found(format!("no function named `{name}`"))),
                Some(Kind::Mutation) => Err(Error::method_not_allowed(format!(
                    "`{name}` is not a query: a page's render runs queries only"
                ))),
                Some(Kind::Query) => crate::call::run(&req, &name, &args).await,
            };
            let json = match outcome {
                Ok(bytes) => String::from_utf8(bytes)
                    .map_err(|_| Error::internal(format!("`{name}` wrote an envelope that is not UTF-8"))),
                Err(e) => Err(e),
            };
            let json = json.unwrap_or_else(|e| {
                if !e.is_internal() {
                    tracing::debug!(target: "mizan::ssr", function = %name, code = e.code(),
                        "a render's call failed: {}", e.message());
                }
                e.to_envelope().to_string()
            });
            RawValue::from_string(json).unwrap_or_else(|e| {
                let error = Error::internal(format!("`{name}` wrote unreadable JSON: {e}"));
                RawValue::from_string(error.to_envelope().to_string()).expect("an error envelope is JSON")
            })
        })
    }
}
