//! Login rate limits: failed logins counted per username and per client
//! address in fixed windows, in memory (one process), refused with
//! `RATE_LIMITED` (429) and a `retry-after` once a count is spent.
//!
//! An attempt is counted when it starts, before any password is hashed (so
//! a burst of concurrent guesses cannot slip past the count while their
//! hashes run), and given back when it turns out not to be a failed guess:
//! a successful login, or a database that is down. A batch of logins counts
//! each item.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::{Error, Result};

/// Failed logins allowed in a window, per username and per client address
/// ([`Accounts::login_limits`](super::Accounts::login_limits)). The
/// default: 10 per username per 15 minutes, 50 per address per minute.
///
/// A flood of guesses at one username locks its owner out too, for the
/// rest of the window: the limit cannot tell the owner's attempts from an
/// attacker's. That is the usual trade-off, taken because the alternative
/// (no per-username limit) lets a patient attacker guess one account's
/// password from many addresses at leisure. Users locked out this way get
/// `RATE_LIMITED` with the seconds left in `retry-after`, and a staff tool
/// can always set a new password.
///
/// ```
/// use std::time::Duration;
/// use mizan::accounts::LoginLimits;
///
/// let limits = LoginLimits::default()
///     .per_username(5, Duration::from_secs(30 * 60))
///     .per_address(100, Duration::from_secs(60));
/// assert_eq!(limits.username_failures(), 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    username: Limit,
    address: Limit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Limit {
    failures: u32,
    window: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            username: Limit { failures: 10, window: Duration::from_secs(15 * 60) },
            address: Limit { failures: 50, window: Duration::from_secs(60) },
        }
    }
}

impl LoginLimits {
    /// At most `failures` failed logins for one username (in any letter
    /// case) in `window`.
    pub fn per_username(mut self, failures: u32, window: Duration) -> Self {
        self.username = Limit { failures, window };
        self
    }

    /// At most `failures` failed logins from one client address in
    /// `window`. IPv6 addresses count by their /64 network (one host
    /// commonly holds a whole /64).
    pub fn per_address(mut self, failures: u32, window: Duration) -> Self {
        self.address = Limit { failures, window };
        self
    }

    /// The failures allowed per username in its window.
    pub fn username_failures(&self) -> u32 {
        self.username.failures
    }

    /// The failures allowed per address in its window.
    pub fn address_failures(&self) -> u32 {
        self.address.failures
    }

    /// The window of the per-username count.
    pub fn username_window(&self) -> Duration {
        self.username.window
    }

    /// The window of the per-address count.
    pub fn address_window(&self) -> Duration {
        self.address.window
    }
}

/// The counts, shared by clones of one [`Accounts`](super::Accounts).
#[derive(Clone)]
pub(crate) struct Throttle {
    limits: LoginLimits,
    counts: Arc<Mutex<Counts>>,
}

#[derive(Default)]
struct Counts {
    usernames: Windows<String>,
    addresses: Windows<IpAddr>,
}

/// Fixed windows per key. Spent windows are dropped as the map grows, so
/// it holds at most the keys seen within one window (and then some).
struct Windows<K> {
    map: HashMap<K, Window>,
    prune_at: usize,
}

impl<K> Default for Windows<K> {
    fn default() -> Self {
        Self { map: HashMap::new(), prune_at: PRUNE_MIN }
    }
}

/// The map size below which spent windows are left alone.
const PRUNE_MIN: usize = 1024;

#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    count: u32,
}

/// One login attempt counted against a username and maybe an address.
/// Dropped, it stays counted (a failed guess, or an abandoned one);
/// [`Attempt::refund`] gives it back.
#[must_use = "an attempt is counted as a failure unless refunded"]
pub(crate) struct Attempt {
    counts: Arc<Mutex<Counts>>,
    username: (String, Instant),
    address: Option<(IpAddr, Instant)>,
}

impl Throttle {
    pub(crate) fn new(limits: LoginLimits) -> Self {
        Self { limits, counts: Arc::default() }
    }

    /// Counts one attempt for `username` from `address`, or refuses it
    /// when either count is spent (then neither is touched).
    pub(crate) fn attempt(&self, username: &str, address: Option<IpAddr>) -> Result<Attempt> {
        self.attempt_at(username, address, Instant::now())
    }

    fn attempt_at(&self, username: &str, address: Option<IpAddr>, now: Instant) -> Result<Attempt> {
        let username = username.to_lowercase();
        let address = address.map(network);
        let mut counts = self.counts.lock().map_err(|_| Error::internal("the login limiter is poisoned"))?;
        let Counts { usernames, addresses } = &mut *counts;
        let waits = [
            usernames.wait(&username, self.limits.username, now),
            address.and_then(|a| addresses.wait(&a, self.limits.address, now)),
        ];
        if let Some(wait) = waits.into_iter().flatten().max() {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return Err(Error::rate_limited(format!("too many failed logins; try again in {seconds} s"))
                .with_retry_after(seconds.max(1)));
        }
        let username_start = usernames.count(&username, self.limits.username, now);
        let address = address.map(|a| {
            let start = addresses.count(&a, self.limits.address, now);
            (a, start)
        });
        drop(counts);
        Ok(Attempt { counts: Arc::clone(&self.counts), username: (username, username_start), address })
    }
}

impl Attempt {
    /// Gives the attempt back: it was no failed guess.
    pub(crate) fn refund(self) {
        let Ok(mut counts) = self.counts.lock() else { return };
        let Counts { usernames, addresses } = &mut *counts;
        usernames.uncount(&self.username.0, self.username.1);
        if let Some((address, start)) = &self.address {
            addresses.uncount(address, *start);
        }
    }
}

impl<K: Hash + Eq + Clone> Windows<K> {
    /// How long until `key` may try again, if its window's count is spent.
    fn wait(&self, key: &K, limit: Limit, now: Instant) -> Option<Duration> {
        let w = self.map.get(key)?;
        let ends = w.start + limit.window;
        (now < ends && w.count >= limit.failures).then(|| ends - now)
    }

    /// Counts one for `key` (in a new window if its last one ended); the
    /// start of the window it was counted in.
    fn count(&mut self, key: &K, limit: Limit, now: Instant) -> Instant {
        if self.map.len() >= self.prune_at {
            self.map.retain(|_, w| now < w.start + limit.window);
            self.prune_at = (self.map.len() * 2).max(PRUNE_MIN);
        }
        let w = self.map.entry(key.clone()).or_insert(Window { start: now, count: 0 });
        if now >= w.start + limit.window {
            *w = Window { start: now, count: 0 };
        }
        w.count += 1;
        w.start
    }

    /// Takes one back from `key`'s window, if it is still the one started at `start`.
    fn uncount(&mut self, key: &K, start: Instant) {
        if let Some(w) = self.map.get_mut(key)
            && w.start == start
        {
            w.count = w.count.saturating_sub(1);
        }
    }
}

/// The key an address counts under: itself for IPv4, its /64 for IPv6
/// (an IPv4-mapped IPv6 address is its IPv4 address).
fn network(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests;
