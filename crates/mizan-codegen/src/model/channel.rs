//! Channels: their TypeScript names (checked by `mizan_manifest::naming`)
//! and their three lowered types.

use mizan_manifest::naming::ChannelNames;
use serde_json::Value;

use crate::error::CodegenError;
use crate::manifest::Channel;
use crate::schema::{Lowerer, SchemaError, Side, Ty};

/// One of a channel's types: `ChatParams`, `ChatMessage` or
/// `ChatClientMessage`.
pub(crate) struct ChannelType {
    pub(crate) name: String,
    pub(crate) side: Side,
    pub(crate) doc: String,
    pub(crate) ty: Ty,
    /// Whether `types.ts` and `schemas.ts` declare it. Not when the schema
    /// is a definition of this very name, by reference (a Rust type
    /// `ChatMessage` as the `chat` channel's message) or inline with the
    /// same schema (a params type `ChatParams` also used by a function):
    /// the definition is the type.
    pub(crate) declared: bool,
}

/// One channel with its TypeScript names and lowered types.
pub(crate) struct ChannelModel<'a> {
    pub(crate) c: &'a Channel<'a>,
    /// `subscribeChat`.
    pub(crate) subscribe: String,
    /// `useChatChannel`.
    pub(crate) hook: String,
    pub(crate) params: ChannelType,
    pub(crate) message: ChannelType,
    /// `never` for a listen-only channel.
    pub(crate) client_message: ChannelType,
}

impl ChannelModel<'_> {
    /// Whether subscribers may send client messages.
    pub(crate) fn sends(&self) -> bool {
        self.c.client_message.is_some()
    }

    /// Whether `{}` is valid params (no required property).
    pub(crate) fn params_optional(&self) -> bool {
        match &self.params.ty {
            Ty::Object(obj) => obj.props.iter().all(|p| p.optional),
            _ => false,
        }
    }

    /// The three types, params first.
    pub(crate) fn types(&self) -> [&ChannelType; 3] {
        [&self.params, &self.message, &self.client_message]
    }
}

/// Lowers every channel's schemas; `located` places an error.
pub(crate) fn lower<'a>(
    channels: &'a [Channel<'a>],
    names: &[ChannelNames],
    input: &Lowerer<'_>,
    output: &Lowerer<'_>,
    located: &dyn Fn(String, SchemaError) -> CodegenError,
) -> Result<Vec<ChannelModel<'a>>, CodegenError> {
    let mut out = Vec::with_capacity(channels.len());
    for (c, names) in channels.iter().zip(names) {
        let (params, message, client) = (&names.params, &names.message, &names.client_message);
        let lower = |schema: &Value, side: Side, what: &str| {
            let lowerer = if side == Side::Input { input } else { output };
            lowerer.lower(schema, "").map_err(|e| located(format!("channel `{}` {what}", c.name), e))
        };
        let mut params_doc = format!("Parameters of channel `{}`.", c.name);
        if let Some(description) = c.params.get("description").and_then(Value::as_str) {
            params_doc.push_str("\n\n");
            params_doc.push_str(description);
        }
        let params = ChannelType {
            ty: lower(c.params, Side::Input, "params")?,
            name: params.name.clone(),
            side: Side::Input,
            doc: params_doc,
            declared: params.declared,
        };
        let message = ChannelType {
            ty: lower(c.server_message, Side::Output, "server_message")?,
            name: message.name.clone(),
            side: Side::Output,
            doc: format!("What channel `{}` sends to its subscribers.", c.name),
            declared: message.declared,
        };
        let (ty, doc) = match c.client_message {
            Some(schema) => (
                lower(schema, Side::Input, "client_message")?,
                format!("What a subscriber sends on channel `{}`.", c.name),
            ),
            None => (Ty::Never, format!("Channel `{}` is listen-only: it takes no client messages.", c.name)),
        };
        let client_message =
            ChannelType { ty, name: client.name.clone(), side: Side::Input, doc, declared: client.declared };
        out.push(ChannelModel {
            c,
            subscribe: names.subscribe.clone(),
            hook: names.hook.clone(),
            params,
            message,
            client_message,
        });
    }
    Ok(out)
}
