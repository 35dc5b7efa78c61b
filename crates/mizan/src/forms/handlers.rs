//! The three functions a form registers, as type-erased handlers:
//! `schema` (the description), `validate` (field errors as data) and
//! `submit` (rules, then the form's handler).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use schemars::{JsonSchema, SchemaGenerator};
use serde::Deserialize;

use super::{Described, Form, FormSchema};
use crate::auth::BoxFuture;
use crate::call::{Answer, Gate, Handler, data};
use crate::error::PathSegment;
use crate::function::{FnInfo, Kind};
use crate::limits::FnLimit;
use crate::upload::Source;
use crate::{Error, Request, Result};

/// `NAME.schema` takes no arguments.
#[derive(Deserialize, JsonSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
struct NoArgs {}

/// What `NAME.validate` answers: field errors by wire path, `{}` when valid.
type FieldMessages = BTreeMap<String, Vec<String>>;

/// A form function's handler, with the suffix of its name (`submit`).
pub(crate) type Suffixed = (&'static str, Arc<dyn Handler>);

/// The three handlers, each with the suffix of its name.
pub(super) fn handlers<F: Form>(described: Arc<Described>) -> [Suffixed; 3] {
    let rules = Arc::new(Rules::<F> { gate: Gate::with_names(F::AUTH, F::WIRE_NAMES) });
    [
        (
            "schema",
            Arc::new(SchemaFn {
                info: info::<F>(Kind::Query, "schema", &[]),
                gate: Gate::new(F::AUTH),
                described,
            }),
        ),
        (
            "validate",
            Arc::new(ValidateFn {
                info: info::<F>(Kind::Mutation, "validate", json_field_names::<F>()),
                rules: rules.clone(),
            }),
        ),
        (
            "submit",
            Arc::new(SubmitFn {
                info: FnInfo {
                    rate: F::RATE,
                    upload: F::UPLOAD,
                    ..info::<F>(Kind::Mutation, "submit", F::FIELD_NAMES)
                },
                limit: F::RATE.map(|rate| FnLimit::new(&format!("{}.submit", F::NAME), rate)),
                rules,
            }),
        ),
    ]
}

/// The fields `NAME.validate` takes: all but the file field, which only
/// `NAME.submit` receives (a list made once per registered form).
fn json_field_names<F: Form>() -> &'static [&'static str] {
    let Some(upload) = F::UPLOAD else { return F::FIELD_NAMES };
    let names: Vec<&'static str> = F::FIELD_NAMES.iter().copied().filter(|n| *n != upload.arg).collect();
    Box::leak(names.into_boxed_slice())
}

fn info<F: Form>(kind: Kind, what: &'static str, args: &'static [&'static str]) -> FnInfo {
    let doc = match what {
        "schema" => {
            "The form's title and fields: label, widget, required, choices, initial value, help text and constraints."
        }
        "validate" => {
            "Checks the values against every rule, server-only ones included, and answers the field errors ({} when valid). Submits nothing."
        }
        _ if F::UPLOAD.is_some() => {
            "Checks the values against every rule and submits them with the file field's files (multipart: the `args` part, then the files)."
        }
        _ => "Checks the values against every rule and submits them.",
    };
    FnInfo {
        name: F::NAME,
        kind,
        auth: F::AUTH,
        context: None,
        invalidates: &[],
        rate: None,
        doc: Some(doc),
        args,
        upload: None,
    }
}

/// Every rule of form `F`, shared by `validate` and `submit`: the one
/// gate (auth, parse, garde), then the form's own `clean`.
struct Rules<F: Form> {
    gate: Gate<F>,
}

impl<F: Form> Rules<F> {
    /// Auth, `limit`, parse, garde, then the form's own `clean`.
    async fn check(&self, req: &Request, input: &str, limit: Option<&FnLimit>) -> Result<F> {
        let values = self.gate.admit_limited(req, input, limit).await?;
        values.clean(req).await.map_err(|e| self.wire_names(e))?;
        Ok(values)
    }

    /// A handler's field errors under Rust field names (`promo_code`) moved
    /// to the wire names (`promo`), by the table `#[derive(FormFields)]`
    /// made from serde's attributes; wire names and `""` stay as they are.
    fn wire_names(&self, e: Error) -> Error {
        if e.code() != "VALIDATION" || e.issues().is_empty() {
            return e;
        }
        let issues = e.issues().iter().map(|issue| {
            let mut path = issue.path.clone();
            if let Some(PathSegment::Key(first)) = path.first_mut() {
                *first = self.gate.wire_name(first).to_owned();
            }
            crate::Issue { path, ..issue.clone() }
        });
        e.reissued(issues.collect())
    }

    fn schemas(&self, input: &mut SchemaGenerator) -> serde_json::Value {
        <F as JsonSchema>::json_schema(input).to_value()
    }
}

struct SchemaFn {
    info: FnInfo,
    gate: Gate<NoArgs>,
    described: Arc<Described>,
}

impl Handler for SchemaFn {
    fn info(&self) -> &FnInfo {
        &self.info
    }

    fn invoke<'a>(&'a self, req: &'a Request, input: &'a str) -> BoxFuture<'a, Result<Vec<u8>>> {
        Box::pin(async move {
            let NoArgs {} = self.gate.admit(req, input).await?;
            data(self.described.schema(), self.described.name)
        })
    }

    fn schemas(
        &self,
        input: &mut SchemaGenerator,
        output: &mut SchemaGenerator,
    ) -> (serde_json::Value, serde_json::Value) {
        (
            <NoArgs as JsonSchema>::json_schema(input).to_value(),
            output.subschema_for::<FormSchema>().to_value(),
        )
    }
}

struct ValidateFn<F: Form> {
    info: FnInfo,
    rules: Arc<Rules<F>>,
}

impl<F: Form> Handler for ValidateFn<F> {
    fn info(&self) -> &FnInfo {
        &self.info
    }

    fn invoke<'a>(&'a self, req: &'a Request, input: &'a str) -> BoxFuture<'a, Result<Vec<u8>>> {
        Box::pin(async move {
            let fields: FieldMessages = match self.rules.check(req, input, None).await {
                Ok(_) => BTreeMap::new(),
                // Field errors are the answer; anything else (auth, a body
                // that is not a JSON object, an outage in `clean`) is an error.
                Err(e) if e.code() == "VALIDATION" => e.fields().clone(),
                Err(e) => return Err(e),
            };
            data(&fields, F::NAME)
        })
    }

    fn schemas(
        &self,
        input: &mut SchemaGenerator,
        output: &mut SchemaGenerator,
    ) -> (serde_json::Value, serde_json::Value) {
        (self.rules.schemas(input), output.subschema_for::<FieldMessages>().to_value())
    }
}

struct SubmitFn<F: Form> {
    info: FnInfo,
    limit: Option<FnLimit>,
    rules: Arc<Rules<F>>,
}

impl<F: Form> SubmitFn<F> {
    /// Admitted values (and files): the form's `clean`, then its handler.
    async fn submit(&self, req: &Request, values: F) -> Result<Vec<u8>> {
        values.clean(req).await.map_err(|e| self.rules.wire_names(e))?;
        let output = values.on_submit_success(req).await.map_err(|e| match F::errors() {
            Some(declared) => declared.admit(self.rules.wire_names(e)),
            None => self.rules.wire_names(e),
        })?;
        data(&output, F::NAME)
    }
}

impl<F: Form> Handler for SubmitFn<F> {
    fn info(&self) -> &FnInfo {
        &self.info
    }

    fn invoke<'a>(&'a self, req: &'a Request, input: &'a str) -> BoxFuture<'a, Result<Vec<u8>>> {
        Box::pin(async move {
            let values = self.rules.gate.admit_limited(req, input, self.limit.as_ref()).await?;
            self.submit(req, values).await
        })
    }

    /// The multipart submission of a form with a file field: auth and the
    /// rate limit before the body, the `args` part through the same parse
    /// and garde rules as a JSON submission, then the files (checked and
    /// limited as they arrive), then `clean` and `on_submit_success`. A
    /// limit the files broke is the answer, whatever the handlers made of it.
    fn open_upload<'a>(
        &'a self,
        req: &'a Request,
        body: Body,
        boundary: String,
        args_limit: usize,
    ) -> BoxFuture<'a, Result<Answer>> {
        Box::pin(async move {
            let Some(spec) = F::UPLOAD else {
                return Err(crate::upload::not_taken(self.info.name));
            };
            self.rules.gate.enter_limited(req, self.limit.as_ref()).await?;
            let mut source = Source::new(body, boundary, spec, args_limit);
            let input = source.args().await?;
            let mut values = self.rules.gate.parse(&input)?;
            let refusal = source.refusal();
            values.attach(source.files().await?);
            let result = self.submit(req, values).await;
            if let Some(refused) = crate::upload::kept(&refusal) {
                return Err(refused);
            }
            result.map(Answer::Whole)
        })
    }

    fn errors(&self) -> Option<crate::errors::Declared> {
        F::errors()
    }

    fn schemas(
        &self,
        input: &mut SchemaGenerator,
        output: &mut SchemaGenerator,
    ) -> (serde_json::Value, serde_json::Value) {
        (self.rules.schemas(input), output.subschema_for::<F::Output>().to_value())
    }
}
