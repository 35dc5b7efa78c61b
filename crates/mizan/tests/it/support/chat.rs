//! The chat app of the channel tests: a chat channel with guarded rooms, a
//! server-only ticker, and a function that broadcasts.

use mizan::{App, Channel, Error, Inbound, NoMessage, Request, Role};
use serde::{Deserialize, Serialize};

use super::TestAuth;

/// `{ room }`: rooms `staff` (staff only) and `private` (any identity).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct Room {
    #[garde(length(chars, min = 1, max = 40))]
    pub(crate) room: String,
}

/// A chat line.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub(crate) struct Line {
    pub(crate) user: Option<String>,
    pub(crate) text: String,
}

/// What a client may say.
#[derive(Debug, Deserialize, schemars::JsonSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct Say {
    #[garde(length(chars, min = 1, max = 200))]
    pub(crate) text: String,
}

/// The chat: clients say lines; the others in the room receive them; a
/// line starting with `me:` is also answered to its sender alone.
pub(crate) struct ChatChannel;

impl Channel for ChatChannel {
    const DOC: Option<&'static str> = Some("Chat lines of one room.");
    type Params = Room;
    type Message = Line;
    type ClientMessage = Say;

    fn group(params: &Room) -> String {
        params.room.clone()
    }

    async fn authorize(&self, req: &Request, params: &Room) -> mizan::Result<()> {
        let need = match params.room.as_str() {
            "staff" => Role::Staff,
            "private" => Role::User,
            _ => return Ok(()),
        };
        match req.identity() {
            None => Err(Error::unauthenticated("sign in to join this room")),
            Some(id) if id.role() >= need => Ok(()),
            Some(_) => Err(Error::forbidden("staff only")),
        }
    }

    async fn receive(&self, cx: Inbound<'_, Self>, msg: Say) -> mizan::Result<()> {
        let user = cx.request().identity().map(|i| i.id().to_owned());
        let line = Line { user, text: msg.text };
        cx.broadcast(&line).await?;
        if line.text.starts_with("me:") {
            cx.reply(&line)?;
        }
        Ok(())
    }
}

/// Server-only ticks: clients cannot send.
pub(crate) struct TickerChannel;

#[derive(Debug, Deserialize, schemars::JsonSchema, garde::Validate)]
pub(crate) struct NoParams {}

impl Channel for TickerChannel {
    const NAME: Option<&'static str> = Some("ticks");
    type Params = NoParams;
    type Message = u64;
    type ClientMessage = NoMessage;
    fn group(_: &NoParams) -> String {
        String::new()
    }
}

/// Broadcasts a line to a room, as any server function may.
#[mizan::client]
pub(crate) async fn say(req: &Request, room: String, text: String) -> mizan::Result<()> {
    ChatChannel::broadcast(req.channels(), &Room { room }, &Line { user: None, text }).await
}

/// Both channels and `say`, with the test authenticator.
pub(crate) fn chat_app() -> App {
    App::new().authenticator(TestAuth).channel(ChatChannel).channel(TickerChannel).register(say)
}

/// A line said by no one.
pub(crate) fn line(text: &str) -> Line {
    Line { user: None, text: text.to_owned() }
}

/// The params of `room`.
pub(crate) fn room(name: &str) -> Room {
    Room { room: name.to_owned() }
}
