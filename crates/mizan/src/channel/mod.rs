//! Realtime channels: the [`Channel`] trait, the WebSocket endpoint at
//! `{prefix}/ws`, the [`Broadcaster`] handle and the channel layers
//! (in memory, or Redis pub/sub with the `redis` feature).
//!
//! A channel is a type with a wire name, `Params` a client subscribes with,
//! a server-to-client message type, an optional client-to-server message
//! type, an authorization check and a *group*: every subscription whose
//! params map to the same group receives the same broadcasts.
//!
//! ```
//! use mizan::{App, Broadcaster, Channel, NoMessage, Request};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Deserialize, schemars::JsonSchema, garde::Validate)]
//! #[serde(deny_unknown_fields)]
//! struct Room {
//!     #[garde(length(chars, min = 1, max = 40))]
//!     room: String,
//! }
//!
//! #[derive(Clone, Serialize, schemars::JsonSchema)]
//! struct Line { text: String }
//!
//! /// Chat lines of one room.
//! struct ChatChannel;
//!
//! impl Channel for ChatChannel {
//!     // The wire name defaults to `chat` (the type name without `Channel`,
//!     // in snake case); `const NAME: Option<&'static str> = Some("chat");` fixes it.
//!     type Params = Room;
//!     type Message = Line;
//!     type ClientMessage = NoMessage;
//!     fn group(params: &Room) -> String {
//!         params.room.clone()
//!     }
//! }
//!
//! # async fn demo() -> mizan::Result<()> {
//! let app = App::new().channel(ChatChannel);
//! assert_eq!(app.manifest().unwrap().to_json()["channels"][0]["name"], "chat");
//! let to: Broadcaster = app.broadcaster();
//! ChatChannel::broadcast(&to, &Room { room: "lobby".into() }, &Line { text: "hi".into() }).await?;
//! # Ok(()) }
//! ```
//!
//! The wire protocol is the "WebSocket" section of `docs/protocol.md`. Two
//! of its details are fixed here:
//!
//! - `{"t":"err","id":n}` for a subscription that is already live reports a
//!   failed `send` (the handler's error); the subscription stays live. Only
//!   `closed` ends a live subscription.
//! - A client message reaches [`Channel::receive`]; what it broadcasts with
//!   [`Inbound::broadcast`] goes to every subscription of the group except
//!   the sender's own, and [`Inbound::reply`] answers the sender alone.

// `Result<T>` is mizan's, whose error carries its wire form.
#![allow(clippy::result_large_err)]

mod conn;
mod erased;
mod frame;
mod hub;
#[cfg(feature = "redis")]
mod redis;
pub(crate) mod ws;

use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use schemars::{JsonSchema, SchemaGenerator};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::names::check_wire_name;
use crate::{Error, Request, Result};

pub(crate) use erased::ErasedChannel;
/// The client-frame decoder, for the fuzz target (`crate::__fuzz`).
#[cfg(feature = "fuzzing")]
pub(crate) use frame::parse as parse_frame;
pub(crate) use hub::Hub;

/// A realtime channel. See the [module docs](self) for an example.
///
/// The wire name is [`Channel::NAME`] when set, otherwise the type's name
/// without a trailing `Channel`, in snake case: `ChatChannel` → `chat`,
/// `RoomPresenceChannel` → `room_presence`, `HTTPLog` → `http_log`. Names
/// follow the function rule `[a-z][a-z0-9_]*`; a duplicate or invalid name
/// is a start-up error. Set `NAME` when the type may be renamed: the wire
/// name is what clients subscribe to.
pub trait Channel: Send + Sync + Sized + 'static {
    /// An explicit wire name; `None` derives it from the type name.
    const NAME: Option<&'static str> = None;
    /// Documentation carried into the manifest (`doc`).
    const DOC: Option<&'static str> = None;
    /// Who may subscribe (default: anyone). Checked before the params are
    /// read, like a function's level; [`Channel::authorize`] then decides
    /// with the params in hand.
    const AUTH: crate::Auth = crate::Auth::Public;

    /// What a client subscribes with: a JSON object, parsed like a server
    /// function's arguments (unknown keys refused when the type says
    /// `#[serde(deny_unknown_fields)]`) and validated with garde.
    type Params: DeserializeOwned + JsonSchema + garde::Validate<Context = ()> + Send + Sync + 'static;
    /// What the server sends to subscribers.
    type Message: Serialize + JsonSchema + Send + Sync + 'static;
    /// What a client may send on a subscription, or [`NoMessage`] when
    /// clients only listen (the manifest then says `"client_message": null`).
    type ClientMessage: DeserializeOwned + JsonSchema + garde::Validate<Context = ()> + Send + 'static;

    /// The group a subscription with these params joins. Broadcasts go to
    /// a group; `{ room }` params typically map to the room name.
    fn group(params: &Self::Params) -> String;

    /// Decides whether `req` may subscribe with `params`. A refusal
    /// (`Error::unauthenticated`, `Error::forbidden`, any error) is sent to
    /// the client as `{"t":"err","id":n,"error":…}` for that subscription;
    /// the socket stays open. The default lets everyone subscribe.
    fn authorize(&self, req: &Request, params: &Self::Params) -> impl Future<Output = Result<()>> + Send {
        let _ = (req, params);
        async { Ok(()) }
    }

    /// Handles a client's `send` on a live subscription. The default
    /// refuses: channels whose [`Channel::ClientMessage`] is [`NoMessage`]
    /// never reach it. An error is sent back as `err` for the subscription.
    fn receive(
        &self,
        cx: Inbound<'_, Self>,
        msg: Self::ClientMessage,
    ) -> impl Future<Output = Result<()>> + Send {
        let _ = (cx, msg);
        async { Err(Error::bad_request("this channel accepts no client messages")) }
    }

    /// The wire name: [`Channel::NAME`] or the derived one.
    fn wire_name() -> Cow<'static, str> {
        match Self::NAME {
            Some(name) => Cow::Borrowed(name),
            None => Cow::Owned(derive_name(std::any::type_name::<Self>())),
        }
    }

    /// Sends `msg` to every subscriber of the group `params` map to, in
    /// every process sharing the channel layer. Shorthand for
    /// [`Broadcaster::send`].
    fn broadcast(
        to: &Broadcaster,
        params: &Self::Params,
        msg: &Self::Message,
    ) -> impl Future<Output = Result<()>> + Send {
        to.send::<Self>(params, msg)
    }
}

/// The client-message type of a channel clients only listen to. It has no
/// values, so every `send` on such a channel is refused with `BAD_REQUEST`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub enum NoMessage {}

impl JsonSchema for NoMessage {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("NoMessage")
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> schemars::Schema {
        schemars::Schema::from(false)
    }
}

impl garde::Validate for NoMessage {
    type Context = ();
    fn validate_into(&self, _: &(), _: &mut dyn FnMut() -> garde::Path, _: &mut garde::Report) {
        match *self {}
    }
}

/// What [`Channel::receive`] knows about the message it handles: the
/// sender's request and params, and ways to answer.
pub struct Inbound<'a, C: Channel> {
    raw: erased::RawInbound<'a>,
    params: &'a C::Params,
}

impl<'a, C: Channel> Inbound<'a, C> {
    /// The sender's request (its identity, headers, state).
    pub fn request(&self) -> &'a Request {
        self.raw.req
    }
    /// The params the sender subscribed with.
    pub fn params(&self) -> &'a C::Params {
        self.params
    }
    /// The sender's group.
    pub fn group(&self) -> &'a str {
        self.raw.group
    }
    /// The app's broadcast handle, for other channels and groups.
    pub fn broadcaster(&self) -> &'a Broadcaster {
        self.raw.req.channels()
    }

    /// Sends `msg` to every subscription of the sender's group, in every
    /// process, except the sender's own subscription. Fails with
    /// `UNAVAILABLE` when the channel layer is down.
    pub async fn broadcast(&self, msg: &C::Message) -> Result<()> {
        let data = serialize(msg)?;
        self.raw.hub.publish(self.raw.key, Some(self.raw.token), data).await
    }

    /// Sends `msg` to the sender's subscription only.
    pub fn reply(&self, msg: &C::Message) -> Result<()> {
        let data = serialize(msg)?;
        self.raw.conn.push(frame::Out::Msg { id: self.raw.id, data });
        Ok(())
    }
}

fn serialize<T: Serialize>(msg: &T) -> Result<Arc<str>> {
    crate::finite::to_string(msg)
        .map(Arc::from)
        .map_err(|e| Error::internal(format!("serializing a channel message: {e}")))
}

/// A cheap, cloneable handle that broadcasts to channel groups from server
/// functions ([`Request::channels`]), views and background tasks
/// ([`App::broadcaster`](crate::App::broadcaster)).
///
/// A message is serialized once, whatever the number of subscribers: every
/// subscriber's frame shares the same bytes.
#[derive(Clone, Default)]
pub struct Broadcaster {
    hub: Arc<Hub>,
}

impl std::fmt::Debug for Broadcaster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Broadcaster").finish_non_exhaustive()
    }
}

impl Broadcaster {
    /// Sends `msg` to the group `C::group(params)` of channel `C`. With the
    /// Redis layer it fails with `UNAVAILABLE` while Redis is unreachable.
    pub async fn send<C: Channel>(&self, params: &C::Params, msg: &C::Message) -> Result<()> {
        self.send_to_group::<C>(&C::group(params), msg).await
    }

    /// Sends `msg` to a group of channel `C` named directly.
    pub async fn send_to_group<C: Channel>(&self, group: &str, msg: &C::Message) -> Result<()> {
        let key = group_key(&C::wire_name(), group);
        let data = serialize(msg)?;
        self.hub.publish(&key, None, data).await
    }

    /// Subscriptions to groups of channel `C` held by this process (for
    /// tests and metrics).
    pub fn local_subscribers<C: Channel>(&self, group: &str) -> usize {
        self.hub.local_count(&group_key(&C::wire_name(), group))
    }

    pub(crate) fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }
}

/// The layer key of a group: channel names never contain `:`.
pub(crate) fn group_key(name: &str, group: &str) -> String {
    let mut key = String::with_capacity(name.len() + 1 + group.len());
    key.push_str(name);
    key.push(':');
    key.push_str(group);
    key
}

/// Limits of the WebSocket endpoint. All have defaults; all are configurable
/// with [`App::channel_limits`](crate::App::channel_limits).
#[derive(Debug, Clone)]
pub struct ChannelLimits {
    /// Largest incoming message in bytes; a larger one closes the socket
    /// with 1009 (default 64 KiB).
    pub message_bytes: usize,
    /// Live subscriptions per socket; the next `sub` gets `RATE_LIMITED`
    /// (default 100).
    pub subscriptions: usize,
    /// Bytes of frames waiting to be written to one socket. A client that
    /// reads too slowly to stay under it is closed with 4001 instead of
    /// letting the queue grow (default 1 MiB). A single frame larger than
    /// the bound still passes when the queue is empty.
    pub queue_bytes: usize,
    /// A socket quiet both ways for this long (nothing read from it,
    /// nothing written to it) is closed with 4002 (default 60 s; the
    /// TypeScript runtime pings after 25 s without sending).
    pub idle_timeout: Duration,
    /// How long a closing socket may take to deliver its close frame
    /// before it is dropped (default 2 s).
    pub close_timeout: Duration,
}

impl Default for ChannelLimits {
    fn default() -> Self {
        Self {
            message_bytes: 64 * 1024,
            subscriptions: 100,
            queue_bytes: 1024 * 1024,
            idle_timeout: Duration::from_secs(60),
            close_timeout: Duration::from_secs(2),
        }
    }
}

/// Where channel groups live.
#[derive(Debug, Clone)]
pub struct ChannelLayer(LayerSpec);

#[derive(Debug, Clone)]
enum LayerSpec {
    Memory,
    #[cfg(feature = "redis")]
    Redis {
        url: String,
        prefix: String,
    },
    Invalid(String),
}

impl ChannelLayer {
    /// Groups live in this process only (the default).
    pub fn memory() -> Self {
        Self(LayerSpec::Memory)
    }

    /// Groups live in Redis pub/sub at `url` (`redis://host:port/db`), so
    /// several server processes serve one site. Redis channels are named
    /// `mizan:{channel}:{group}`; a process subscribes only to groups it
    /// has subscribers for. Nothing connects until the first subscription
    /// or broadcast, so `manifest` and `generate` need no Redis.
    #[cfg(feature = "redis")]
    pub fn redis(url: impl Into<String>) -> Self {
        Self(LayerSpec::Redis { url: url.into(), prefix: "mizan:".to_owned() })
    }

    /// Redis when `$REDIS_URL` is set, memory otherwise. Without the `redis`
    /// feature a set `$REDIS_URL` is a start-up error rather than a silent
    /// single-process layer.
    pub fn from_env() -> Self {
        match crate::redis_env::redis_url() {
            #[cfg(feature = "redis")]
            Ok(Some(url)) => Self::redis(url),
            Ok(_) => Self::memory(),
            Err(why) => Self(LayerSpec::Invalid(why)),
        }
    }

    /// Replaces the Redis channel-name prefix (default `mizan:`), for
    /// several sites sharing one Redis. No effect on the memory layer.
    pub fn prefix(self, prefix: impl Into<String>) -> Self {
        match self.0 {
            #[cfg(feature = "redis")]
            LayerSpec::Redis { url, .. } => Self(LayerSpec::Redis { url, prefix: prefix.into() }),
            other => {
                let _ = prefix.into();
                Self(other)
            }
        }
    }
}

/// The channel registry: built by the app builder, frozen into the runtime.
#[derive(Clone, Default)]
pub(crate) struct Channels {
    by_name: HashMap<String, Arc<dyn ErasedChannel>>,
    order: Vec<String>,
    pub(crate) limits: ChannelLimits,
    pub(crate) broadcaster: Broadcaster,
}

impl Channels {
    pub(crate) fn get(&self, name: &str) -> Option<&Arc<dyn ErasedChannel>> {
        self.by_name.get(name)
    }

    pub(crate) fn hub(&self) -> &Arc<Hub> {
        self.broadcaster.hub()
    }

    /// Stops the layer's background work.
    pub(crate) fn shutdown(&self) {
        self.hub().shutdown();
    }

    /// Adds `channel` under its wire name; an invalid or taken name is a
    /// registration problem.
    pub(crate) fn register<C: Channel>(&mut self, channel: C) -> Result<(), String> {
        let name = C::wire_name().into_owned();
        check_channel_name(&name)?;
        if self.by_name.contains_key(&name) {
            return Err(format!("channel `{name}` is registered twice"));
        }
        self.order.push(name.clone());
        self.by_name.insert(name, erased::erase(channel));
        Ok(())
    }

    /// Chooses where groups live.
    pub(crate) fn configure(&self, layer: ChannelLayer) -> Result<(), String> {
        self.hub().configure(layer.0)
    }
}

fn check_channel_name(name: &str) -> Result<(), String> {
    if name.contains('.') || check_wire_name(name).is_err() {
        return Err(format!(
            "`{name}` is not a valid channel name: use [a-z][a-z0-9_]* (set Channel::NAME to choose one)"
        ));
    }
    Ok(())
}

/// The manifest's `channels`, in registration order. (Their generated
/// TypeScript names are checked with everything else's, in `App::manifest`.)
pub(crate) fn manifest_entries(
    channels: &Channels,
    input: &mut SchemaGenerator,
    output: &mut SchemaGenerator,
) -> Vec<mizan_manifest::Channel> {
    let mut out = Vec::with_capacity(channels.order.len());
    for name in &channels.order {
        let ch = &channels.by_name[name];
        let (params, server_message, client_message) = ch.schemas(input, output);
        out.push(mizan_manifest::Channel {
            name: name.clone(),
            doc: ch.doc().map(str::to_owned),
            params,
            server_message,
            client_message: Some(client_message).filter(|m| !m.is_null()),
        });
    }
    out
}

/// `hello::chat::ChatChannel` → `chat`; `RoomPresence<T>` → `room_presence`.
fn derive_name(type_name: &str) -> String {
    let base = type_name.split('<').next().unwrap_or(type_name);
    let base = base.rsplit("::").next().unwrap_or(base);
    let base = match base.strip_suffix("Channel") {
        Some(b) if !b.is_empty() => b,
        _ => base,
    };
    let chars: Vec<char> = base.chars().collect();
    let mut out = String::with_capacity(base.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let boundary = match prev {
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_uppercase() => next.is_some_and(|n| n.is_lowercase()),
                _ => false,
            };
            if boundary {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::derive_name;

    #[test]
    fn derived_names() {
        assert_eq!(derive_name("hello::chat::ChatChannel"), "chat");
        assert_eq!(derive_name("RoomPresenceChannel"), "room_presence");
        assert_eq!(derive_name("a::HTTPLog"), "http_log");
        assert_eq!(derive_name("Channel"), "channel");
        assert_eq!(derive_name("x::Feed<u8>"), "feed");
        assert_eq!(derive_name("Chat2Channel"), "chat2");
    }
}
