//! Type erasure over [`Channel`]: the registry stores `Arc<dyn ErasedChannel>`.

use std::any::{Any, TypeId};
use std::sync::Arc;

use schemars::{JsonSchema, SchemaGenerator};
use serde_json::Value;

use super::conn::ConnOut;
use super::hub::Hub;
use super::{Channel, Inbound, NoMessage};
use crate::auth::{Auth, BoxFuture};
use crate::call::Gate;
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
    /// The auth level, parse, validate, authorize, group.
    fn open<'a>(&'a self, req: &'a Request, params: &'a str) -> BoxFuture<'a, Result<Opened>>;
    /// Parse, validate, hand to the channel's receive handler.
    fn receive<'a>(
        &'a self,
        raw: RawInbound<'a>,
        opened: &'a Opened,
        data: &'a str,
    ) -> BoxFuture<'a, Result<()>>;
}

struct Erased<C: Channel> {
    channel: C,
    /// The channel's auth level, then its params.
    params: Gate<C::Params>,
    /// Client messages (the subscription already passed the auth level).
    messages: Gate<C::ClientMessage>,
}

pub(crate) fn erase<C: Channel>(channel: C) -> Arc<dyn ErasedChannel> {
    Arc::new(Erased { channel, params: Gate::new(C::AUTH), messages: Gate::new(Auth::Public) })
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
            let params = self.params.admit(req, params).await?;
            self.channel.authorize(req, &params).await?;
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
            let msg = self.messages.parse_any(data)?;
            self.channel.receive(Inbound { raw, params }, msg).await
        })
    }
}
