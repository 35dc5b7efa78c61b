//! Login rate limits: failed logins counted per username and per client
//! address in fixed windows, on the app's limiter (in memory, or in Redis
//! shared by every process: [`RateStore`](crate::RateStore)), refused with
//! `RATE_LIMITED` (429) and a `retry-after` once a count is spent.
//!
//! An attempt is counted when it starts, before any password is hashed (so
//! a burst of concurrent guesses cannot slip past the count while their
//! hashes run), and given back when it turns out not to be a failed guess:
//! a successful login, or a database that is down. A batch of logins counts
//! each item.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::limits::{Hit, Limiter, Rate, Taken, network, refused};
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

/// The login limits as hits on the app's limiter.
#[derive(Clone)]
pub(crate) struct Throttle {
    limits: LoginLimits,
}

/// One login attempt counted against a username and maybe an address.
/// Dropped, it stays counted (a failed guess, or an abandoned one);
/// [`Attempt::refund`] gives it back.
#[must_use = "an attempt is counted as a failure unless refunded"]
pub(crate) struct Attempt(Taken);

impl Throttle {
    pub(crate) fn new(limits: LoginLimits) -> Self {
        Self { limits }
    }

    /// Counts one attempt for `username` from `address`, or refuses it
    /// when either count is spent (then neither is touched).
    pub(crate) async fn attempt(
        &self,
        limiter: &Arc<Limiter>,
        username: &str,
        address: Option<IpAddr>,
    ) -> Result<Attempt> {
        limiter.take(&self.hits(username, address)).await.map(Attempt).map_err(refusal)
    }

    /// The keys an attempt counts under: the username in any letter case,
    /// and the address's network.
    fn hits(&self, username: &str, address: Option<IpAddr>) -> Vec<Hit> {
        let mut hits = vec![Hit {
            key: format!("login:user:{}", username.to_lowercase()),
            rate: Rate::new(self.limits.username.failures, self.limits.username.window),
        }];
        if let Some(address) = address {
            hits.push(Hit {
                key: format!("login:ip:{}", network(address)),
                rate: Rate::new(self.limits.address.failures, self.limits.address.window),
            });
        }
        hits
    }
}

fn refusal(wait: Duration) -> Error {
    refused("too many failed logins", wait)
}

impl Attempt {
    /// Gives the attempt back: it was no failed guess.
    pub(crate) async fn refund(self) {
        self.0.refund().await;
    }
}

#[cfg(test)]
mod tests;
