//! The Redis pub/sub channel layer: one Redis channel per group, subscribed
//! only while this process has subscribers in the group.
//!
//! A supervisor task owns the pub/sub connection and a publishing
//! connection. When Redis goes away, broadcasts and new subscriptions fail
//! with `UNAVAILABLE`; the supervisor reconnects with backoff, subscribes
//! again to every group that still has local subscribers, and sends each of
//! them a `gap` frame.
//!
//! A published payload is `ORIGIN\nDATA`, where `ORIGIN` is empty or
//! `node.token` in hex (the sending subscription, which does not receive its
//! own broadcast) and `DATA` the JSON message (compact JSON has no raw
//! newline).

use std::collections::HashSet;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use futures_util::StreamExt;
use redis::AsyncConnectionConfig;
use redis::aio::{MultiplexedConnection, PubSubSink, PubSubStream};
use tokio::sync::watch;

use super::hub::{Hub, Origin};
use crate::{Error, Result};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);
const PING_EVERY: Duration = Duration::from_secs(5);
const BACKOFF_MIN: Duration = Duration::from_millis(50);
const BACKOFF_MAX: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    Connecting,
    Up,
    Down,
}

/// Subscription state, changed only under its lock so that `SUBSCRIBE` and
/// `UNSUBSCRIBE` of one group are never reordered.
#[derive(Default)]
struct Ctl {
    sink: Option<PubSubSink>,
    subscribed: HashSet<Arc<str>>,
}

pub(crate) struct RedisLayer {
    client: redis::Client,
    prefix: String,
    link: watch::Sender<Link>,
    ctl: tokio::sync::Mutex<Ctl>,
    publisher: Mutex<Option<MultiplexedConnection>>,
    task: Mutex<Option<tokio::task::AbortHandle>>,
}

fn unavailable(why: impl std::fmt::Display) -> Error {
    Error::unavailable(format!("the Redis channel layer is unavailable: {why}"))
}

impl RedisLayer {
    pub(crate) fn new(url: &str, prefix: String) -> Result<Arc<Self>, String> {
        let client =
            redis::Client::open(url).map_err(|e| format!("invalid Redis URL for the channel layer: {e}"))?;
        let (link, _) = watch::channel(Link::Connecting);
        Ok(Arc::new(Self {
            client,
            prefix,
            link,
            ctl: tokio::sync::Mutex::default(),
            publisher: Mutex::new(None),
            task: Mutex::new(None),
        }))
    }

    fn channel(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// Starts the supervisor on first use and waits for its first attempt.
    async fn up(self: &Arc<Self>, hub: &Arc<Hub>) -> Result<()> {
        {
            let mut task = self.task.lock().unwrap_or_else(|e| e.into_inner());
            if task.is_none() {
                let handle = tokio::spawn(supervise(self.clone(), Arc::downgrade(hub)));
                *task = Some(handle.abort_handle());
            }
        }
        let mut link = self.link.subscribe();
        let state = match tokio::time::timeout(CONNECT_TIMEOUT * 2, link.wait_for(|l| *l != Link::Connecting))
            .await
        {
            Ok(Ok(state)) => *state,
            _ => Link::Connecting,
        };
        match state {
            Link::Up => Ok(()),
            Link::Down => Err(unavailable("cannot reach Redis (reconnecting)")),
            Link::Connecting => Err(unavailable("still connecting to Redis")),
        }
    }

    /// Makes sure this process is subscribed to group `key` in Redis.
    pub(crate) async fn ensure(self: &Arc<Self>, hub: &Arc<Hub>, key: &Arc<str>) -> Result<()> {
        self.up(hub).await?;
        let mut ctl = self.ctl.lock().await;
        if ctl.subscribed.contains(key) {
            return Ok(());
        }
        let channel = self.channel(key);
        let Some(sink) = ctl.sink.as_mut() else {
            return Err(unavailable("cannot reach Redis (reconnecting)"));
        };
        match tokio::time::timeout(RESPONSE_TIMEOUT, sink.subscribe(&channel)).await {
            Ok(Ok(())) => {
                ctl.subscribed.insert(key.clone());
                Ok(())
            }
            Ok(Err(e)) => Err(unavailable(e)),
            Err(_) => Err(unavailable("SUBSCRIBE timed out")),
        }
    }

    /// Unsubscribes from group `key` unless it has local interest again by then.
    pub(crate) fn release(self: &Arc<Self>, hub: &Arc<Hub>, key: Arc<str>) {
        let (this, hub) = (self.clone(), Arc::downgrade(hub));
        let Ok(rt) = tokio::runtime::Handle::try_current() else { return };
        rt.spawn(async move {
            let mut ctl = this.ctl.lock().await;
            let Some(hub) = hub.upgrade() else { return };
            if hub.has_interest(&key) || !ctl.subscribed.remove(&key) {
                return;
            }
            let channel = this.channel(&key);
            if let Some(sink) = ctl.sink.as_mut() {
                let _ = tokio::time::timeout(RESPONSE_TIMEOUT, sink.unsubscribe(&channel)).await;
            }
        });
    }

    pub(crate) async fn publish(
        self: &Arc<Self>,
        hub: &Arc<Hub>,
        key: &str,
        origin: Option<Origin>,
        data: &str,
    ) -> Result<()> {
        self.up(hub).await?;
        let conn = self.publisher.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let Some(mut conn) = conn else { return Err(unavailable("cannot reach Redis (reconnecting)")) };
        let mut payload = Vec::with_capacity(data.len() + 34);
        if let Some(o) = origin {
            payload.extend_from_slice(format!("{:x}.{:x}", o.node, o.token).as_bytes());
        }
        payload.push(b'\n');
        payload.extend_from_slice(data.as_bytes());
        redis::cmd("PUBLISH")
            .arg(self.channel(key))
            .arg(payload)
            .query_async::<i64>(&mut conn)
            .await
            .map(drop)
            .map_err(unavailable)
    }

    /// Whether Redis answers a `PING`, on the publishing connection when
    /// there is one, else on a connection of its own.
    pub(crate) async fn ping(&self) -> bool {
        let conn = self.publisher.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let answer = async {
            let mut conn = match conn {
                Some(conn) => conn,
                None => {
                    let config = AsyncConnectionConfig::new()
                        .set_connection_timeout(Some(CONNECT_TIMEOUT))
                        .set_response_timeout(Some(RESPONSE_TIMEOUT));
                    self.client.get_multiplexed_async_connection_with_config(&config).await?
                }
            };
            redis::cmd("PING").query_async::<String>(&mut conn).await
        };
        matches!(tokio::time::timeout(RESPONSE_TIMEOUT, answer).await, Ok(Ok(_)))
    }

    pub(crate) fn shutdown(&self) {
        if let Some(task) = self.task.lock().unwrap_or_else(|e| e.into_inner()).take() {
            task.abort();
        }
    }

    async fn connect(&self) -> redis::RedisResult<(PubSubSink, PubSubStream, MultiplexedConnection)> {
        let timed_out = || redis::RedisError::from((redis::ErrorKind::Io, "connection timed out"));
        let pubsub = tokio::time::timeout(CONNECT_TIMEOUT, self.client.get_async_pubsub())
            .await
            .map_err(|_| timed_out())??;
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(RESPONSE_TIMEOUT));
        let publisher = self.client.get_multiplexed_async_connection_with_config(&config).await?;
        let (sink, stream) = pubsub.split();
        Ok((sink, stream, publisher))
    }

    fn deliver(&self, hub: &Hub, msg: &redis::Msg) {
        let Some(key) = msg.get_channel_name().strip_prefix(&self.prefix) else { return };
        let payload = msg.get_payload_bytes();
        let Some(nl) = payload.iter().position(|&b| b == b'\n') else { return };
        let origin = std::str::from_utf8(&payload[..nl]).ok().and_then(|h| {
            let (node, token) = h.split_once('.')?;
            Some(Origin {
                node: u64::from_str_radix(node, 16).ok()?,
                token: u64::from_str_radix(token, 16).ok()?,
            })
        });
        let Ok(data) = std::str::from_utf8(&payload[nl + 1..]) else { return };
        hub.deliver(key, origin, &Arc::from(data));
    }
}

async fn supervise(layer: Arc<RedisLayer>, hub: Weak<Hub>) {
    let mut backoff = BACKOFF_MIN;
    let mut was_up = false;
    let mut warned = false;
    loop {
        let connected = match layer.connect().await {
            Ok(parts) => restore(&layer, &hub, parts).await,
            Err(e) => Err(e),
        };
        match connected {
            Ok(stream) => {
                let Some(strong) = hub.upgrade() else { return };
                if was_up {
                    tracing::info!("Redis channel layer reconnected; subscriptions restored");
                    strong.gap_all();
                }
                drop(strong);
                was_up = true;
                warned = false;
                backoff = BACKOFF_MIN;
                if !pump(&layer, &hub, stream).await {
                    return;
                }
                tracing::warn!("Redis channel layer lost its connection; reconnecting");
                layer.link.send_replace(Link::Down);
                *layer.publisher.lock().unwrap_or_else(|e| e.into_inner()) = None;
                let mut ctl = layer.ctl.lock().await;
                ctl.sink = None;
                ctl.subscribed.clear();
            }
            Err(e) => {
                if !warned {
                    tracing::warn!("Redis channel layer cannot connect: {e}; retrying");
                    warned = true;
                }
                layer.link.send_replace(Link::Down);
                if hub.strong_count() == 0 {
                    return;
                }
                // Full jitter: sleep a random part of the current backoff.
                let jitter = (crate::token::random_hex().as_bytes()[0] as u32 % 100 + 1) as f64 / 100.0;
                tokio::time::sleep(backoff.mul_f64(jitter)).await;
                backoff = (backoff * 2).min(BACKOFF_MAX);
            }
        }
    }
}

/// Subscribes the new connection to every group with local interest and
/// makes it the current one.
async fn restore(
    layer: &RedisLayer,
    hub: &Weak<Hub>,
    (mut sink, stream, publisher): (PubSubSink, PubSubStream, MultiplexedConnection),
) -> redis::RedisResult<PubSubStream> {
    let mut ctl = layer.ctl.lock().await;
    let keys = hub.upgrade().map(|h| h.keys()).unwrap_or_default();
    if !keys.is_empty() {
        let channels: Vec<String> = keys.iter().map(|k| layer.channel(k)).collect();
        for chunk in channels.chunks(512) {
            tokio::time::timeout(RESPONSE_TIMEOUT, sink.subscribe(chunk))
                .await
                .map_err(|_| redis::RedisError::from((redis::ErrorKind::Io, "SUBSCRIBE timed out")))??;
        }
    }
    ctl.sink = Some(sink);
    ctl.subscribed = keys.into_iter().collect();
    *layer.publisher.lock().unwrap_or_else(|e| e.into_inner()) = Some(publisher);
    layer.link.send_replace(Link::Up);
    Ok(stream)
}

/// Delivers messages until the connection fails (`true`) or the hub is gone (`false`).
async fn pump(layer: &RedisLayer, hub: &Weak<Hub>, mut stream: PubSubStream) -> bool {
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    loop {
        tokio::select! {
            msg = stream.next() => match msg {
                Some(msg) => match hub.upgrade() {
                    Some(hub) => layer.deliver(&hub, &msg),
                    None => return false,
                },
                None => return true,
            },
            _ = ping.tick() => {
                if hub.strong_count() == 0 {
                    return false;
                }
                let sink = layer.ctl.lock().await.sink.clone();
                let Some(mut sink) = sink else { return true };
                let alive = tokio::time::timeout(RESPONSE_TIMEOUT, sink.ping::<redis::Value>()).await;
                if !matches!(alive, Ok(Ok(_))) {
                    return true;
                }
            }
        }
    }
}
