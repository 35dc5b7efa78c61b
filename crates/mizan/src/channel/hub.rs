//! The process's view of channel groups: which local subscriptions each group
//! has, and the layer that carries broadcasts between processes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use super::LayerSpec;
use super::conn::ConnOut;
use super::frame::{self, Out};
use crate::Result;

/// A local subscription: the client's id on its socket, and a process-wide
/// token that identifies it as the origin of its own broadcasts.
pub(crate) struct LocalSub {
    pub(crate) token: u64,
    pub(crate) id: u64,
    pub(crate) conn: Arc<ConnOut>,
}

#[derive(Default)]
struct Group {
    subs: Vec<LocalSub>,
    /// Subscriptions waiting for the layer to confirm the group.
    pending: usize,
}

impl Group {
    fn is_empty(&self) -> bool {
        self.subs.is_empty() && self.pending == 0
    }
}

enum Layer {
    Memory,
    #[cfg(feature = "redis")]
    Redis(Arc<super::redis::RedisLayer>),
}

/// Who sent a broadcast: the process (`node`) and the subscription token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Origin {
    pub(crate) node: u64,
    pub(crate) token: u64,
}

pub(crate) struct Hub {
    node: u64,
    tokens: AtomicU64,
    groups: RwLock<HashMap<Arc<str>, Group>>,
    layer: OnceLock<Layer>,
}

impl Default for Hub {
    fn default() -> Self {
        let node = u64::from_str_radix(&crate::token::random_hex()[..16], 16).unwrap_or(1);
        Self { node, tokens: AtomicU64::new(1), groups: RwLock::default(), layer: OnceLock::new() }
    }
}

impl Hub {
    /// Sets the layer; refused once the hub has been used.
    pub(super) fn configure(&self, spec: LayerSpec) -> Result<(), String> {
        let layer = match spec {
            LayerSpec::Memory => Layer::Memory,
            #[cfg(feature = "redis")]
            LayerSpec::Redis { url, prefix } => Layer::Redis(super::redis::RedisLayer::new(&url, prefix)?),
            LayerSpec::Invalid(e) => return Err(e),
        };
        self.layer.set(layer).map_err(|_| "the channel layer was chosen twice, or after first use".to_owned())
    }

    fn layer(&self) -> &Layer {
        self.layer.get_or_init(|| Layer::Memory)
    }

    pub(crate) fn new_token(&self) -> u64 {
        self.tokens.fetch_add(1, Ordering::Relaxed)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<Arc<str>, Group>> {
        self.groups.write().unwrap_or_else(|e| e.into_inner())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<Arc<str>, Group>> {
        self.groups.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Makes `sub` live in group `key`. Its `ok` frame is queued under the
    /// same lock that deliveries take, so no broadcast made after the
    /// subscription is live can be missed or overtake the `ok`.
    pub(crate) async fn subscribe(self: &Arc<Self>, key: Arc<str>, sub: LocalSub) -> Result<()> {
        match self.layer() {
            Layer::Memory => {
                let mut groups = self.write();
                sub.conn.push(frame::ok(sub.id));
                groups.entry(key).or_default().subs.push(sub);
                Ok(())
            }
            #[cfg(feature = "redis")]
            Layer::Redis(redis) => {
                self.write().entry(key.clone()).or_default().pending += 1;
                let confirmed = redis.ensure(self, &key).await;
                let mut groups = self.write();
                let group = groups.entry(key.clone()).or_default();
                group.pending -= 1;
                match confirmed {
                    Ok(()) => {
                        sub.conn.push(frame::ok(sub.id));
                        group.subs.push(sub);
                        Ok(())
                    }
                    Err(e) => {
                        if group.is_empty() {
                            groups.remove(&key);
                            drop(groups);
                            redis.release(self, key);
                        }
                        Err(e)
                    }
                }
            }
        }
    }

    /// Ends a local subscription; queues `closed` for it when `closed` says so.
    pub(crate) fn unsubscribe(self: &Arc<Self>, key: &Arc<str>, token: u64, closed: Option<u64>) {
        let mut groups = self.write();
        let Some(group) = groups.get_mut(key) else { return };
        if let Some(i) = group.subs.iter().position(|s| s.token == token) {
            let sub = group.subs.swap_remove(i);
            if let Some(id) = closed {
                sub.conn.push(frame::closed(id));
            }
        }
        if group.is_empty() {
            groups.remove(key);
            drop(groups);
            match self.layer() {
                Layer::Memory => {}
                #[cfg(feature = "redis")]
                Layer::Redis(redis) => redis.release(self, key.clone()),
            }
        }
    }

    /// Broadcasts `data` (serialized once) to group `key` in every process.
    pub(crate) async fn publish(
        self: &Arc<Self>,
        key: &str,
        origin: Option<u64>,
        data: Arc<str>,
    ) -> Result<()> {
        let origin = origin.map(|token| Origin { node: self.node, token });
        match self.layer() {
            Layer::Memory => {
                self.deliver(key, origin, &data);
                Ok(())
            }
            #[cfg(feature = "redis")]
            Layer::Redis(redis) => redis.publish(self, key, origin, &data).await,
        }
    }

    /// Hands a broadcast to this process's subscribers of `key`, skipping
    /// the subscription it came from.
    pub(crate) fn deliver(&self, key: &str, origin: Option<Origin>, data: &Arc<str>) {
        let skip = origin.filter(|o| o.node == self.node).map(|o| o.token);
        let groups = self.read();
        let Some(group) = groups.get(key) else { return };
        for sub in &group.subs {
            if Some(sub.token) != skip {
                sub.conn.push(Out::Msg { id: sub.id, data: data.clone() });
            }
        }
    }

    /// Groups with local subscriptions, live or pending.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn keys(&self) -> Vec<Arc<str>> {
        self.read().keys().cloned().collect()
    }

    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn has_interest(&self, key: &str) -> bool {
        self.read().get(key).is_some_and(|g| !g.is_empty())
    }

    /// Tells every live subscription that messages may have been lost.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn gap_all(&self) {
        for group in self.read().values() {
            for sub in &group.subs {
                sub.conn.push(frame::gap(sub.id));
            }
        }
    }

    pub(crate) fn local_count(&self, key: &str) -> usize {
        self.read().get(key).map_or(0, |g| g.subs.len())
    }

    /// Whether the layer between processes answers: `None` for the
    /// in-memory layer.
    pub(crate) async fn redis_answers(&self) -> Option<bool> {
        match self.layer.get() {
            None | Some(Layer::Memory) => None,
            #[cfg(feature = "redis")]
            Some(Layer::Redis(redis)) => Some(redis.ping().await),
        }
    }

    pub(crate) fn shutdown(&self) {
        match self.layer.get() {
            None | Some(Layer::Memory) => {}
            #[cfg(feature = "redis")]
            Some(Layer::Redis(redis)) => redis.shutdown(),
        }
    }
}
