//! The example's channel: chat rooms, and a server function that speaks in
//! one. With `$REDIS_URL` set the rooms live in Redis, so several `hello`
//! processes serve the same rooms.

use mizan::{App, Channel, ChannelLayer, Inbound, Request};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which room to join.
#[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct Room {
    /// The room's name.
    #[garde(length(chars, min = 1, max = 40))]
    pub(crate) room: String,
}

/// A line said in a room.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub(crate) struct ChatLine {
    /// Who said it, when they were signed in.
    pub(crate) user: Option<String>,
    /// What was said.
    pub(crate) text: String,
}

/// What a member sends to the room.
#[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChatSend {
    /// What to say.
    #[garde(length(chars, min = 1, max = 500))]
    pub(crate) text: String,
}

/// Chat rooms: members receive every line said in their room.
pub(crate) struct ChatChannel;

impl Channel for ChatChannel {
    const NAME: Option<&'static str> = Some("chat");
    const DOC: Option<&'static str> = Some("Chat rooms: members receive every line said in their room.");
    type Params = Room;
    type Message = ChatLine;
    type ClientMessage = ChatSend;

    fn group(params: &Room) -> String {
        params.room.clone()
    }

    /// A member's line goes to everyone else in the room.
    async fn receive(&self, cx: Inbound<'_, Self>, msg: ChatSend) -> mizan::Result<()> {
        let user = cx.request().identity().map(|i| i.id().to_owned());
        cx.broadcast(&ChatLine { user, text: msg.text }).await
    }
}

/// Say `text` in `room`: every member of the room receives it.
#[mizan::client]
pub(crate) async fn say(
    req: &Request,
    #[garde(length(chars, min = 1, max = 40))] room: String,
    #[garde(length(chars, min = 1, max = 500))] text: String,
) -> mizan::Result<ChatLine> {
    let user = req.identity().map(|i| i.id().to_owned());
    let line = ChatLine { user, text };
    ChatChannel::broadcast(req.channels(), &Room { room }, &line).await?;
    Ok(line)
}

/// Adds the chat channel and `say`; the layer is Redis when `$REDIS_URL`
/// is set.
pub(crate) fn install(app: App) -> App {
    app.channel(ChatChannel).register(say).channel_layer(ChannelLayer::from_env())
}
