//! Fixed windows in this process's memory.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::Hit;

/// The counts of one process. Spent windows are dropped as the map grows,
/// so it holds at most the keys seen within their windows (and then some).
pub(super) struct Memory {
    map: HashMap<String, Window>,
    prune_at: usize,
}

/// The map size below which spent windows are left alone.
pub(super) const PRUNE_MIN: usize = 1024;

#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    ends: Instant,
    count: u32,
}

impl Default for Memory {
    fn default() -> Self {
        Self { map: HashMap::new(), prune_at: PRUNE_MIN }
    }
}

impl Memory {
    /// Counts one for every hit, or none when any hit's window is spent:
    /// then the longest wait among them. On success, the start of the
    /// window each was counted in.
    pub(super) fn take(&mut self, hits: &[Hit], now: Instant) -> Result<Vec<Instant>, Duration> {
        let wait = hits.iter().filter_map(|h| self.wait(h, now)).max();
        if let Some(wait) = wait {
            return Err(wait);
        }
        if self.map.len() >= self.prune_at {
            self.map.retain(|_, w| now < w.ends);
            self.prune_at = (self.map.len() * 2).max(PRUNE_MIN);
        }
        Ok(hits.iter().map(|h| self.count(h, now)).collect())
    }

    /// How long until `hit`'s key may count again, if its window is spent.
    fn wait(&self, hit: &Hit, now: Instant) -> Option<Duration> {
        if hit.rate.count() == 0 {
            return Some(hit.rate.period());
        }
        let w = self.map.get(&hit.key)?;
        (now < w.ends && w.count >= hit.rate.count()).then(|| w.ends - now)
    }

    fn count(&mut self, hit: &Hit, now: Instant) -> Instant {
        let fresh = Window { start: now, ends: now + hit.rate.period(), count: 0 };
        let w = self.map.entry(hit.key.clone()).or_insert(fresh);
        if now >= w.ends {
            *w = fresh;
        }
        w.count += 1;
        w.start
    }

    /// Takes one back from `key`'s window, if it is still the one started at `start`.
    #[cfg_attr(not(feature = "accounts"), allow(dead_code))]
    pub(super) fn refund(&mut self, key: &str, start: Instant) {
        if let Some(w) = self.map.get_mut(key)
            && w.start == start
        {
            w.count = w.count.saturating_sub(1);
        }
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.map.len()
    }
}
