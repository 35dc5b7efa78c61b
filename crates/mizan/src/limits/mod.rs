//! Rate limits: one limiter for the whole app, counting calls per key in
//! fixed windows. Functions' [`Rate`]s and the accounts' login limits both
//! count through it.
//!
//! The counts live in this process ([`RateStore::memory`], the default) or
//! in Redis ([`RateStore::redis`]), where every process serving the site
//! shares them. When Redis cannot be reached, each process counts on its
//! own in memory until Redis answers again (logged once per outage): a
//! limit is never lifted by an outage, only split between the processes,
//! and a call is never refused because Redis is down.

mod address;
mod function;
mod memory;
mod rate;
#[cfg(feature = "redis")]
mod redis;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub(crate) use address::{client_address, network};
pub(crate) use function::FnLimit;
pub use rate::Rate;

use crate::Error;

/// Where rate-limit counts live (see [`App::rate_store`](crate::App::rate_store)).
#[derive(Debug, Clone)]
pub struct RateStore(Spec);

#[derive(Debug, Clone)]
enum Spec {
    Memory,
    #[cfg(feature = "redis")]
    Redis {
        url: String,
        prefix: String,
    },
    Invalid(String),
}

impl RateStore {
    /// Counts live in this process (the default).
    pub fn memory() -> Self {
        Self(Spec::Memory)
    }

    /// Counts live in Redis at `url` (`redis://host:port/db`), shared by
    /// every process that uses the same Redis and prefix. Keys are
    /// `mizan:limits:…` (see [`RateStore::prefix`]) and expire with their
    /// window. Nothing connects before the first limited call.
    #[cfg(feature = "redis")]
    pub fn redis(url: impl Into<String>) -> Self {
        Self(Spec::Redis { url: url.into(), prefix: "mizan:limits:".to_owned() })
    }

    /// Redis when `$REDIS_URL` is set, memory otherwise. Without the `redis`
    /// feature a set `$REDIS_URL` is a start-up error rather than limits
    /// silently kept per process.
    pub fn from_env() -> Self {
        match crate::redis_env::redis_url() {
            #[cfg(feature = "redis")]
            Ok(Some(url)) => Self::redis(url),
            Ok(_) => Self::memory(),
            Err(why) => Self(Spec::Invalid(why)),
        }
    }

    /// Replaces the Redis key prefix (default `mizan:limits:`), for several
    /// sites sharing one Redis. No effect on the memory store.
    pub fn prefix(self, prefix: impl Into<String>) -> Self {
        match self.0 {
            #[cfg(feature = "redis")]
            Spec::Redis { url, .. } => Self(Spec::Redis { url, prefix: prefix.into() }),
            other => {
                let _ = prefix.into();
                Self(other)
            }
        }
    }
}

/// One count to take: a key and the rate it is held to.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub(crate) key: String,
    pub(crate) rate: Rate,
}

/// The app's limiter.
#[derive(Default)]
pub(crate) struct Limiter {
    /// The counts of this process: the store, or the fallback while Redis is away.
    memory: Mutex<memory::Memory>,
    #[cfg(feature = "redis")]
    shared: Option<redis::Shared>,
}

/// Where a counted hit's window started, to give it back to that window only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    Local(Instant),
    #[cfg(feature = "redis")]
    Shared(i64),
}

/// Hits counted together; [`Taken::refund`] gives them back (only the
/// accounts' login limits refund).
#[must_use = "hits are counted unless refunded"]
#[cfg_attr(not(feature = "accounts"), allow(dead_code))]
pub(crate) struct Taken {
    limiter: Arc<Limiter>,
    starts: Vec<(String, Start)>,
}

impl Limiter {
    /// The limiter for `store`; an invalid store is a start-up error.
    pub(crate) fn new(store: RateStore) -> Result<Self, String> {
        match store.0 {
            Spec::Memory => Ok(Self::default()),
            #[cfg(feature = "redis")]
            Spec::Redis { url, prefix } => {
                Ok(Self { shared: Some(redis::Shared::new(&url, prefix)?), ..Self::default() })
            }
            Spec::Invalid(why) => Err(why),
        }
    }

    /// Counts every hit, or none of them when one is spent: then how long
    /// until all of them may count again.
    pub(crate) async fn take(self: &Arc<Self>, hits: &[Hit]) -> Result<Taken, Duration> {
        #[cfg(feature = "redis")]
        if let Some(shared) = &self.shared
            && let Some(taken) = shared.take(hits).await
        {
            let starts = taken?;
            let starts = hits.iter().zip(starts).map(|(h, s)| (h.key.clone(), Start::Shared(s))).collect();
            return Ok(Taken { limiter: self.clone(), starts });
        }
        self.take_local(hits, Instant::now())
    }

    /// Whether the shared store answers: `None` when counts live in this
    /// process's memory only.
    pub(crate) async fn redis_answers(&self) -> Option<bool> {
        #[cfg(feature = "redis")]
        if let Some(shared) = &self.shared {
            return Some(shared.ping().await);
        }
        None
    }

    /// [`Limiter::take`] in this process's memory, at `now`.
    pub(crate) fn take_local(self: &Arc<Self>, hits: &[Hit], now: Instant) -> Result<Taken, Duration> {
        let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        let starts = memory.take(hits, now)?;
        let starts = hits.iter().zip(starts).map(|(h, s)| (h.key.clone(), Start::Local(s))).collect();
        Ok(Taken { limiter: self.clone(), starts })
    }
}

#[cfg_attr(not(feature = "accounts"), allow(dead_code))]
impl Taken {
    /// Gives the hits back to the windows they were counted in (a window
    /// that has ended since is left alone).
    pub(crate) async fn refund(self) {
        let mut local = Vec::new();
        #[cfg(feature = "redis")]
        let mut shared = Vec::new();
        for (key, start) in self.starts {
            match start {
                Start::Local(at) => local.push((key, at)),
                #[cfg(feature = "redis")]
                Start::Shared(at) => shared.push((key, at)),
            }
        }
        if !local.is_empty() {
            let mut memory = self.limiter.memory.lock().unwrap_or_else(|e| e.into_inner());
            for (key, at) in &local {
                memory.refund(key, *at);
            }
        }
        #[cfg(feature = "redis")]
        if let Some(store) = &self.limiter.shared
            && !shared.is_empty()
        {
            store.refund(&shared).await;
        }
    }
}

/// `RATE_LIMITED` (429) for a wait: `what`, then the whole seconds left
/// (rounded up, at least 1), which `retry-after` carries too.
pub(crate) fn refused(what: &str, wait: Duration) -> Error {
    let seconds = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
    Error::rate_limited(format!("{what}; try again in {seconds} s")).with_retry_after(seconds)
}

#[cfg(test)]
mod tests;
