//! Type erasure over [`Channel`]: the registry stores `Arc<dyn ErasedChannel>`.

use std::any::{Any, TypeId};
use std::sync::Arc;

use schemars::{JsonSchema, SchemaGenerator};
use serde_json::Value;

use super::conn::ConnOut;
use super::hub::Hub;
use super::{Channel, Inbound, NoMessage};
use crate::auth::BoxFuture;
use crate::validate::{parse_args, validate};
use crate::{Error, Request, Result};

/// A subscription's parsed params and its group.
pub(crate) struct Opened {
    pub(crate) group: String,
    pub(crate) params: Box<dyn Any + Send + Sync>,
}

/// What the socket knows when a client message arrives.
pub(crate) struct RawInbound<'a> {
    pub(crate) req: &'a Request,
    pub(crate) hub: &'a Arc<Hub>,
    pub(crate) conn: &'a Arc<ConnOut>,
    pub(crate) key: &'a str,
    pub(crate) group: &'a str,
    /// The layer token of the sender's subscription (excluded from its broadcasts).
    pub(crate) token: u64,
    /// The client's subscription id.
    pub(crate) id: u64,
}

pub(crate) trait ErasedChannel: Send + Sync {
    fn doc(&self) -> Option<&'static str>;
    fn accepts_messages(&self) -> bool;
    /// `(params, server_message, client_message)`.
    fn schemas(&self, input: &mut SchemaGenerator, output: &mut SchemaGenerator) -> (Value, Value, Value);
    /// Parse, validate, authorize, group.
    fn open<'a>(&'a self, req: &'a Request, params: &'a str) -> BoxFuture<'a, Result<Opened>>;
    /// Parse, validate, hand to the channel's receive handler.
    fn receive<'a>(
        &'a self,
        raw: RawInbound<'a>,
        opened: &'a Opened,
        data: &'a str,
    ) -> BoxFuture<'a, Result<()>>;
}

struct Erased<C>(C);

pub(crate) fn erase<C: Channel>(channel: C) -> Arc<dyn ErasedChannel> {
    Arc::new(Erased(channel))
}

fn has_client_messages<C: Channel>() -> bool {
    TypeId::of::<C::ClientMessage>() != TypeId::of::<NoMessage>()
}

impl<C: Channel> ErasedChannel for Erased<C> {
    fn doc(&self) -> Option<&'static str> {
        C::DOC
    }

    fn accepts_messages(&self) -> bool {
        has_client_messages::<C>()
    }

    fn schemas(&self, input: &mut SchemaGenerator, output: &mut SchemaGenerator) -> (Value, Value, Value) {
        let params = <C::Params as JsonSchema>::json_schema(input).to_value();
        let server = output.subschema_for::<C::Message>().to_value();
        let client = if has_client_messages::<C>() {
            input.subschema_for::<C::ClientMessage>().to_value()
        } else {
            Value::Null
        };
        (params, server, client)
    }

    fn open<'a>(&'a self, req: &'a Request, params: &'a str) -> BoxFuture<'a, Result<Opened>> {
        Box::pin(async move {
            let params: C::Params = parse_args(params)?;
            validate(&params, || Some(root_schema::<C::Params>()))?;
            self.0.authorize(req, &params).await?;
            Ok(Opened { group: C::group(&params), params: Box::new(params) })
        })
    }

    fn receive<'a>(
        &'a self,
        raw: RawInbound<'a>,
        opened: &'a Opened,
        data: &'a str,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let params = opened
                .params
                .downcast_ref::<C::Params>()
                .ok_or_else(|| Error::internal("channel params of the wrong type"))?;
            let msg: C::ClientMessage = parse_message(data)?;
            validate(&msg, || Some(root_schema::<C::ClientMessage>()))?;
            self.0.receive(Inbound { raw, params }, msg).await
        })
    }
}

/// Client messages may be any JSON value (not only objects, as arguments are).
fn parse_message<T: serde::de::DeserializeOwned>(data: &str) -> Result<T> {
    if data.trim_start().starts_with('{') {
        return parse_args(data);
    }
    serde_json::from_str(data).map_err(|e| {
        Error::validation("invalid message").with_issue(crate::Issue {
            path: Vec::new(),
            code: crate::IssueCode::InvalidType,
            message: e.to_string(),
        })
    })
}

/// The input schema of `T`, to report garde's errors under wire names.
fn root_schema<T: JsonSchema>() -> Value {
    schemars::generate::SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}
