//! The gate every entry point passes before its handler runs: the auth
//! level first (so anonymous callers cannot probe validation), then parsing,
//! then garde's rules. Functions, the three form functions and channel
//! subscriptions all go through one [`Gate`].

use std::marker::PhantomData;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::auth::Auth;
use crate::validate::{parse_args, parse_value, validate};
use crate::{Request, Result};

/// Auth → parse → validate for input type `T`, with `T`'s root schema
/// (which maps garde's Rust field names to wire names) derived once, on the
/// first validation failure.
pub(crate) struct Gate<T> {
    auth: Auth,
    schema: OnceLock<Value>,
    _input: PhantomData<fn() -> T>,
}

impl<T> Gate<T>
where
    T: DeserializeOwned + JsonSchema + garde::Validate<Context = ()>,
{
    /// A gate that requires `auth`.
    pub(crate) fn new(auth: Auth) -> Self {
        Self { auth, schema: OnceLock::new(), _input: PhantomData }
    }

    /// Checks the auth level, then parses `input` (a JSON object) and
    /// validates it.
    pub(crate) async fn admit(&self, req: &Request, input: &str) -> Result<T> {
        self.auth.check(req).await?;
        self.parse(input)
    }

    /// Parses a JSON object and validates it, with no auth check (the
    /// caller has already passed it, or nothing runs: a start-up check).
    pub(crate) fn parse(&self, input: &str) -> Result<T> {
        let value: T = parse_args(input)?;
        self.check(value)
    }

    /// Parses any JSON value (a channel's client message) and validates it.
    pub(crate) fn parse_any(&self, input: &str) -> Result<T> {
        let value: T = parse_value(input)?;
        self.check(value)
    }

    fn check(&self, value: T) -> Result<T> {
        validate(&value, || Some(self.schema()))?;
        Ok(value)
    }

    /// The input's root schema (deserialize contract, wire names).
    pub(crate) fn schema(&self) -> &Value {
        self.schema.get_or_init(crate::validate::root_schema::<T>)
    }
}
