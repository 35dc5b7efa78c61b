//! Channels: their TypeScript names, claimed in the one namespace functions
//! and definitions share, and their three lowered types.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::error::CodegenError;
use crate::manifest::{Channel, Manifest};
use crate::names::{NameTable, is_valid_channel_name, pascal};
use crate::schema::{Lowerer, SchemaError, Side, Ty, bare_ref};

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

/// A channel's names, claimed before anything is lowered.
pub(crate) struct ChannelNames {
    subscribe: String,
    hook: String,
    /// `(name, declared)` of params, message and client message.
    types: [(String, bool); 3],
}

/// The names the generated channel modules import from the runtime.
const RUNTIME_IMPORTS: &[(&str, &str)] = &[
    ("getChannelSocket", "the runtime import in channels.ts"),
    ("ChannelSocket", "the runtime import in channels.ts"),
    ("ChannelSubscription", "the runtime import in channels.ts"),
    ("SubscriptionStatus", "the runtime import in channels.ts"),
    ("useMizanChannel", "the runtime import in channel-hooks.ts"),
    ("ChannelHookOptions", "the runtime import in channel-hooks.ts"),
    ("ChannelHookResult", "the runtime import in channel-hooks.ts"),
];

/// Whether `schema` is the definition that is named `name` in TypeScript:
/// a bare reference to it, or its very schema inlined.
fn is_definition(
    schema: &Value,
    name: &str,
    defs: &Map<String, Value>,
    def_name: &dyn Fn(&str) -> String,
) -> bool {
    if let Some(key) = bare_ref(schema) {
        return def_name(&key) == name;
    }
    defs.iter().any(|(key, def)| def == schema && def_name(key) == name)
}

/// Checks every channel's name and claims its generated names.
/// `def_name` gives the TypeScript name of a definition on a side.
pub(crate) fn claim(
    manifest: &Manifest<'_>,
    table: &mut NameTable,
    def_name: &dyn Fn(Side, &str) -> String,
) -> Result<Vec<ChannelNames>, CodegenError> {
    let channels = &manifest.channels;
    if !channels.is_empty() {
        for (name, owner) in RUNTIME_IMPORTS {
            table.claim(name, owner)?;
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(channels.len());
    for c in channels {
        if !is_valid_channel_name(c.name) {
            return Err(CodegenError::Name(format!(
                "channel `{}`: names must match [a-z][a-z0-9_]* (no dots)",
                c.name
            )));
        }
        if !seen.insert(c.name) {
            return Err(CodegenError::Name(format!("channel `{}` is registered twice", c.name)));
        }
        let who = format!("channel `{}`", c.name);
        let base = pascal(c.name);
        let subscribe = format!("subscribe{base}");
        let hook = format!("use{base}Channel");
        table.claim(&subscribe, &format!("the subscribe function of {who}"))?;
        table.claim(&hook, &format!("the hook of {who}"))?;
        let slots = [
            ("Params", "params type", Some(c.params), Side::Input),
            ("Message", "message type", Some(c.server_message), Side::Output),
            ("ClientMessage", "client message type", c.client_message, Side::Input),
        ];
        let types = slots.map(|(suffix, what, schema, side)| {
            let name = format!("{base}{suffix}");
            let defs = match side {
                Side::Input => manifest.input_defs,
                Side::Output => manifest.output_defs,
            };
            let is_def =
                schema.is_some_and(|schema| is_definition(schema, &name, defs, &|key| def_name(side, key)));
            (name, what, is_def)
        });
        for (name, what, is_def) in &types {
            if !is_def {
                table.claim(name, &format!("the {what} of {who}"))?;
                table.claim(&format!("{name}Schema"), &format!("the Zod schema of the {what} of {who}"))?;
            }
        }
        out.push(ChannelNames { subscribe, hook, types: types.map(|(name, _, is_def)| (name, !is_def)) });
    }
    Ok(out)
}

/// Lowers every channel's schemas; `located` places an error.
pub(crate) fn lower<'a>(
    channels: &'a [Channel<'a>],
    names: Vec<ChannelNames>,
    input: &Lowerer<'_>,
    output: &Lowerer<'_>,
    located: &dyn Fn(String, SchemaError) -> CodegenError,
) -> Result<Vec<ChannelModel<'a>>, CodegenError> {
    let mut out = Vec::with_capacity(channels.len());
    for (c, names) in channels.iter().zip(names) {
        let [params, message, client] = names.types;
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
            name: params.0,
            side: Side::Input,
            doc: params_doc,
            declared: params.1,
        };
        let message = ChannelType {
            ty: lower(c.server_message, Side::Output, "server_message")?,
            name: message.0,
            side: Side::Output,
            doc: format!("What channel `{}` sends to its subscribers.", c.name),
            declared: message.1,
        };
        let (ty, doc) = match c.client_message {
            Some(schema) => (
                lower(schema, Side::Input, "client_message")?,
                format!("What a subscriber sends on channel `{}`.", c.name),
            ),
            None => (Ty::Never, format!("Channel `{}` is listen-only: it takes no client messages.", c.name)),
        };
        let client_message = ChannelType { ty, name: client.0, side: Side::Input, doc, declared: client.1 };
        out.push(ChannelModel {
            c,
            subscribe: names.subscribe,
            hook: names.hook,
            params,
            message,
            client_message,
        });
    }
    Ok(out)
}
