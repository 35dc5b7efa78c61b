//! The gate every entry point passes before its handler runs: the auth
//! level first (so anonymous callers cannot probe validation), then the
//! rate limit (counted per identity, so after auth, and before any input
//! is read: a flood of bad inputs is limited too), then the input
//! contract, then deserialization, then garde's server-only rules.
//! Functions, the three form functions and channel subscriptions and
//! messages all go through one [`Gate`].

use std::marker::PhantomData;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::auth::Auth;
use crate::error::{Issue, IssueCode};
use crate::limits::FnLimit;
use crate::rules::Contract;
use crate::validate::{self, WireName};
use crate::{Error, Request, Result};

/// Auth → rate → contract → parse → garde for input type `T`, with `T`'s root
/// schema compiled once, when the gate is made (at registration).
pub(crate) struct Gate<T> {
    auth: Auth,
    limit: Option<FnLimit>,
    contract: Contract,
    /// Rust field names → wire names at the top level (a form's fields).
    names: &'static [WireName],
    _input: PhantomData<fn() -> T>,
}

impl<T> Gate<T>
where
    T: DeserializeOwned + JsonSchema + garde::Validate<Context = ()>,
{
    /// A gate that requires `auth`; top-level names are wire names.
    pub(crate) fn new(auth: Auth) -> Self {
        Self::with_names(auth, &[])
    }

    /// A gate whose input's top-level Rust names become the wire names in
    /// `names` (a form's `#[serde(rename)]`d fields).
    pub(crate) fn with_names(auth: Auth, names: &'static [WireName]) -> Self {
        let contract = Contract::new(&validate::root_schema::<T>());
        Self { auth, limit: None, contract, names, _input: PhantomData }
    }

    /// The gate with a rate limit (or none).
    pub(crate) fn limited(mut self, limit: Option<FnLimit>) -> Self {
        self.limit = limit;
        self
    }

    /// Checks the auth level and the gate's rate limit, then parses `input`
    /// (a JSON object) and validates it.
    pub(crate) async fn admit(&self, req: &Request, input: &str) -> Result<T> {
        self.admit_limited(req, input, self.limit.as_ref()).await
    }

    /// [`Gate::admit`] held to `limit` instead of the gate's own: one gate
    /// shared by functions with different limits (a form's `validate` and
    /// `submit`).
    pub(crate) async fn admit_limited(
        &self,
        req: &Request,
        input: &str,
        limit: Option<&FnLimit>,
    ) -> Result<T> {
        self.enter_limited(req, limit).await?;
        self.parse(input)
    }

    /// The auth level and the gate's rate limit alone, before any input is
    /// read (an upload call's body is read only after them).
    pub(crate) async fn enter(&self, req: &Request) -> Result<()> {
        self.enter_limited(req, self.limit.as_ref()).await
    }

    /// [`Gate::enter`] held to `limit` instead of the gate's own.
    pub(crate) async fn enter_limited(&self, req: &Request, limit: Option<&FnLimit>) -> Result<()> {
        self.auth.check(req).await?;
        if let Some(limit) = limit {
            limit.check(req).await?;
        }
        Ok(())
    }

    /// Parses a JSON object and validates it, with no auth check (the
    /// caller has already passed it, or nothing runs: a start-up check).
    pub(crate) fn parse(&self, input: &str) -> Result<T> {
        validate::require_object(input)?;
        // Fast path: a contract that says nothing serde does not enforce.
        // Any refusal (serde's or garde's) is explained by the slow path.
        if self.contract.is_plain()
            && let Some(typed) = validate::typed::<T>(input)
            && garde::Validate::validate(&typed).is_ok()
        {
            return Ok(typed);
        }
        self.judge(validate::json(input)?)
    }

    /// Parses any JSON value (a channel's client message) and validates it.
    pub(crate) fn parse_any(&self, input: &str) -> Result<T> {
        if input.trim_start().starts_with('{') {
            return self.parse(input);
        }
        let value = serde_json::from_str(input).map_err(|e| {
            Error::validation("invalid message").with_issue(Issue {
                path: Vec::new(),
                code: IssueCode::InvalidType,
                message: e.to_string(),
            })
        })?;
        self.judge(value)
    }

    /// The contract (which writes accepted dates and times canonically),
    /// then serde, then garde's server-only rules.
    fn judge(&self, mut value: Value) -> Result<T> {
        self.contract.admit(&mut value).map_err(validate::refused)?;
        let typed: T = validate::deserialize(&value)?;
        validate::garde(&typed, &value, &self.contract, self.names)?;
        Ok(typed)
    }

    /// A top-level Rust field name's wire name (itself when it has no other).
    pub(crate) fn wire_name<'a>(&self, rust: &'a str) -> &'a str {
        self.names.iter().find(|(r, _)| *r == rust).map_or(rust, |(_, wire)| *wire)
    }
}
