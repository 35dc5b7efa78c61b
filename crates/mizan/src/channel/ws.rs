//! `GET {prefix}/ws`: the upgrade (Origin check, identity) and one socket's
//! session, which reads client frames and runs them in order.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tokio::time::Instant;

use super::conn::{self, ConnOut, Stop};
use super::erased::{ErasedChannel, Opened, RawInbound};
use super::frame::{self, Out};
use super::hub::LocalSub;
use super::{Channels, group_key};
use crate::auth::Credential;
use crate::{Error, Request};

/// tungstenite's read buffer: small, so idle sockets stay cheap (a large
/// message still gets the room it needs, up to the message limit).
const READ_BUFFER: usize = 4 * 1024;
/// Bytes tungstenite gathers before writing to the socket.
const WRITE_BUFFER: usize = 16 * 1024;

/// Answers an upgrade: checks the Origin, makes the request with `open`
/// (its identity), and runs the socket's session.
pub(crate) async fn upgrade<F>(
    channels: Arc<Channels>,
    origins: &crate::http::Origins,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
    parts: Parts,
    open: impl FnOnce(Parts) -> F,
) -> Response
where
    F: std::future::Future<Output = crate::Result<Request>>,
{
    let ws = match ws {
        Ok(ws) => ws,
        Err(e) => return Error::bad_request(format!("expected a WebSocket upgrade: {e}")).into_response(),
    };
    let limits = channels.limits.clone();
    let ws = ws
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .max_message_size(limits.message_bytes)
        .max_frame_size(limits.message_bytes);
    if !origin_allowed(&parts, origins) {
        let grace = limits.close_timeout;
        return ws.on_upgrade(move |mut socket| async move {
            let close = CloseFrame { code: conn::ORIGIN_REFUSED, reason: "origin refused".into() };
            let _ = socket.send(Message::Close(Some(close))).await;
            let _ = tokio::time::timeout(grace, async { while socket.next().await.is_some() {} }).await;
        });
    }
    // Served by `mizan::serve`: the drain the socket closes with 1001 on.
    let draining = parts.extensions.get::<crate::serve::Draining>().cloned();
    let request = match open(parts).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    ws.on_upgrade(move |socket| run(socket, channels, request, draining))
}

/// A browser always sends `Origin` on a WebSocket upgrade; it must be the
/// site's own origin (scheme, host and port: the public origin, or the one
/// the upgrade was sent to) or a trusted origin. Clients that send none
/// (not a browser) carry no ambient cookies to abuse and pass.
fn origin_allowed(parts: &Parts, origins: &crate::http::Origins) -> bool {
    let Some(origin) = parts.headers.get(header::ORIGIN) else { return true };
    let Ok(origin) = origin.to_str() else { return false };
    origins.allows(origin, &parts.headers, &parts.extensions)
}

struct Live {
    key: Arc<str>,
    token: u64,
    channel: Arc<dyn ErasedChannel>,
    opened: Opened,
}

struct Session {
    req: Request,
    channels: Arc<Channels>,
    conn: Arc<ConnOut>,
    subs: HashMap<u64, Live>,
    /// Whether an `auth` frame may still come (only as the first frame).
    first: bool,
}

async fn run(
    socket: WebSocket,
    channels: Arc<Channels>,
    req: Request,
    mut draining: Option<crate::serve::Draining>,
) {
    let limits = channels.limits.clone();
    let (sink, mut stream) = socket.split();
    let (conn, rx) = ConnOut::new(limits.queue_bytes);
    let writer = tokio::spawn(conn::write_loop(sink, rx, conn.clone(), limits.close_timeout));
    let mut stopping = conn.stopping();
    let mut session = Session { req, channels, conn, subs: HashMap::new(), first: true };

    let mut idle_at = Instant::now() + limits.idle_timeout;
    let mut closing_at: Option<Instant> = None;
    loop {
        let deadline = closing_at.unwrap_or(idle_at);
        let next = tokio::select! {
            biased;
            changed = stopping.changed(), if closing_at.is_none() => {
                if changed.is_err() || matches!(*stopping.borrow(), Some(Stop::Quiet)) {
                    break;
                }
                // Closing: leave every group now, then wait for the peer's close.
                session.end();
                closing_at = Some(Instant::now() + limits.close_timeout);
                continue;
            }
            () = crate::serve::draining(&mut draining), if closing_at.is_none() => {
                draining = None;
                session.conn.stop(Stop::Close(conn::GOING_AWAY, "server shutting down"));
                continue;
            }
            next = tokio::time::timeout_at(deadline, stream.next()) => next,
        };
        let msg = match next {
            Err(_) if closing_at.is_some() => break,
            Err(_) => {
                // Idle means quiet both ways: frames written since the last
                // one read push the deadline on.
                let quiet_until = session.conn.last_written() + limits.idle_timeout;
                if quiet_until > Instant::now() {
                    idle_at = quiet_until;
                    continue;
                }
                session.conn.stop(Stop::Close(conn::IDLE_TIMEOUT, "idle timeout"));
                continue;
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                if let Some((code, reason)) = fault(e) {
                    // tungstenite reads nothing more after a broken frame, but
                    // can still write: send the close frame, and give the peer
                    // a moment to read it before the connection drops.
                    session.conn.stop(Stop::Close(code, reason));
                    session.end();
                    let _ = tokio::time::timeout(limits.close_timeout, writer).await;
                    tokio::time::sleep(limits.close_timeout.min(std::time::Duration::from_millis(250))).await;
                    return;
                }
                break;
            }
            Ok(Some(Ok(msg))) => msg,
        };
        idle_at = Instant::now() + limits.idle_timeout;
        if closing_at.is_some() {
            continue;
        }
        match msg {
            Message::Text(text) => session.handle(text.as_str()).await,
            Message::Binary(_) => {
                session.conn.push(frame::err(None, Error::bad_request("frames must be JSON text")));
            }
            // tungstenite answers pings and a close itself; after a close
            // the next read flushes the answer and ends the stream.
            Message::Ping(_) | Message::Pong(_) | Message::Close(_) => {}
        }
    }
    session.end();
    session.conn.stop(Stop::Quiet);
    let _ = tokio::time::timeout(limits.close_timeout, writer).await;
}

/// The close code and reason for a read error that is the client's fault;
/// `None` for the connection ending (reset, closed, I/O).
fn fault(e: axum::Error) -> Option<(u16, &'static str)> {
    use tungstenite::error::ProtocolError as P;
    let inner = e.into_inner();
    match inner.downcast_ref::<tungstenite::Error>()? {
        tungstenite::Error::Capacity(_) => Some((conn::TOO_LARGE, "frame too large")),
        tungstenite::Error::Utf8(_) => Some((conn::INVALID_UTF8, "invalid UTF-8")),
        tungstenite::Error::Protocol(
            P::NonZeroReservedBits
            | P::UnmaskedFrameFromClient
            | P::FragmentedControlFrame
            | P::ControlFrameTooBig
            | P::UnknownControlFrameType(_)
            | P::UnknownDataFrameType(_)
            | P::UnexpectedContinueFrame
            | P::ExpectedFragment(_)
            | P::InvalidOpcode(_)
            | P::InvalidCloseSequence,
        ) => Some((conn::PROTOCOL_ERROR, "protocol error")),
        _ => None,
    }
}

fn require_id(id: Option<u64>) -> Result<u64, Error> {
    id.ok_or_else(|| Error::bad_request("the frame needs a numeric `id`"))
}

impl Session {
    async fn handle(&mut self, text: &str) {
        let first = std::mem::replace(&mut self.first, false);
        let f = match frame::parse(text) {
            Ok(f) => f,
            Err(e) => {
                self.conn.push(frame::err(None, e));
                return;
            }
        };
        let out = match f.t.as_ref() {
            "ping" => frame::pong(),
            "auth" => self.auth(first, f.token.as_deref()).await,
            "sub" => match require_id(f.id) {
                Ok(id) => match self.sub(id, f.ch.as_deref(), f.params.map(|p| p.get())).await {
                    Ok(()) => return,
                    Err(e) => frame::err(Some(id), e),
                },
                Err(e) => frame::err(None, e),
            },
            "unsub" => match require_id(f.id) {
                Ok(id) => {
                    self.unsub(id);
                    return;
                }
                Err(e) => frame::err(None, e),
            },
            "send" => match require_id(f.id) {
                Ok(id) => match self.send(id, f.data.map(|d| d.get())).await {
                    Ok(()) => return,
                    Err(e) => frame::err(Some(id), e),
                },
                Err(e) => frame::err(None, e),
            },
            other => frame::err(None, Error::bad_request(format!("unknown frame type `{other}`"))),
        };
        self.conn.push(out);
    }

    async fn auth(&mut self, first: bool, token: Option<&str>) -> Out {
        if !first {
            return frame::err(None, Error::bad_request("`auth` must be the first frame"));
        }
        let Some(token) = token else {
            return frame::err(None, Error::bad_request("`auth` needs a string `token`"));
        };
        let Some(auth) = self.req.authenticator().cloned() else {
            return frame::err(None, Error::unauthenticated("this app accepts no tokens"));
        };
        match auth.identify_token(token).await {
            Ok(Some(identity)) => {
                self.req.set_identity(Some(identity), Some(Credential::Bearer));
                frame::auth_ok()
            }
            Ok(None) => frame::err(None, Error::unauthenticated("invalid token")),
            Err(e) => frame::err(None, e),
        }
    }

    fn channels(&self) -> &Channels {
        &self.channels
    }

    async fn sub(&mut self, id: u64, ch: Option<&str>, params: Option<&str>) -> Result<(), Error> {
        let name = ch.ok_or_else(|| Error::bad_request("`sub` needs a channel name `ch`"))?;
        if self.subs.contains_key(&id) {
            return Err(Error::bad_request(format!("subscription id {id} is already in use")));
        }
        if self.subs.len() >= self.channels().limits.subscriptions {
            return Err(Error::rate_limited(format!(
                "at most {} subscriptions per socket",
                self.channels().limits.subscriptions
            )));
        }
        let channel = self
            .channels()
            .get(name)
            .cloned()
            .ok_or_else(|| Error::not_found(format!("no channel named `{name}`")))?;
        let params = match params {
            None | Some("null") => "{}",
            Some(p) => p,
        };
        let opened = channel.open(&self.req, params).await?;
        let key: Arc<str> = Arc::from(group_key(name, &opened.group));
        let hub = self.channels().hub().clone();
        let token = hub.new_token();
        let sub = LocalSub { token, id, conn: self.conn.clone() };
        hub.subscribe(key.clone(), sub).await?;
        self.subs.insert(id, Live { key, token, channel, opened });
        Ok(())
    }

    fn unsub(&mut self, id: u64) {
        match self.subs.remove(&id) {
            Some(live) => self.channels().hub().unsubscribe(&live.key, live.token, Some(id)),
            None => {
                self.conn.push(frame::closed(id));
            }
        }
    }

    async fn send(&mut self, id: u64, data: Option<&str>) -> Result<(), Error> {
        let data = data.ok_or_else(|| Error::bad_request("`send` needs `data`"))?;
        let live =
            self.subs.get(&id).ok_or_else(|| Error::bad_request(format!("no live subscription {id}")))?;
        if !live.channel.accepts_messages() {
            return Err(Error::bad_request("this channel accepts no client messages"));
        }
        let hub = self.channels.hub();
        let raw = RawInbound {
            req: &self.req,
            hub,
            conn: &self.conn,
            key: &live.key,
            group: &live.opened.group,
            token: live.token,
            id,
        };
        live.channel.receive(raw, &live.opened, data).await
    }

    /// Drops every subscription of the socket from the hub.
    fn end(&mut self) {
        let hub = self.channels.hub().clone();
        for (_, live) in self.subs.drain() {
            hub.unsubscribe(&live.key, live.token, None);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parts(pairs: &[(&str, &str)]) -> Parts {
        let mut b = axum::http::Request::builder().uri("/api/mizan/ws");
        for (k, v) in pairs {
            b = b.header(*k, *v);
        }
        b.body(()).unwrap().into_parts().0
    }

    #[test]
    fn origins() {
        let origins = crate::http::Origins {
            trusted: vec!["https://app.example".to_owned()].into(),
            ..crate::http::Origins::default()
        };
        let allowed = |pairs: &[(&str, &str)]| origin_allowed(&parts(pairs), &origins);
        let host = ("host", "site.example");
        assert!(allowed(&[host]));
        assert!(allowed(&[host, ("origin", "http://site.example")]));
        assert!(allowed(&[host, ("origin", "https://app.example/")]));
        // The exact origin: another scheme or port is refused.
        assert!(!allowed(&[host, ("origin", "https://site.example")]));
        assert!(!allowed(&[host, ("origin", "http://site.example:8080")]));
        assert!(!allowed(&[host, ("origin", "https://evil.example")]));
        assert!(!allowed(&[host, ("origin", "null")]));
    }
}
