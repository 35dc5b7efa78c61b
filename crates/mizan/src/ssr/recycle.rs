//! When a worker is recycled: its resident memory grew past a bound over
//! what it used when it started, it reached its age, or it answered its
//! quota of renders (off unless set).

use std::time::{Duration, Instant};

/// Why a worker was recycled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recycle {
    /// Its resident memory grew past the bound.
    Memory,
    /// It reached its age.
    Age,
    /// It answered its quota of renders.
    Renders,
}

/// A worker's start, against which growth and age are measured.
#[derive(Debug)]
pub(crate) struct Aging {
    started: Instant,
    start_rss: Option<u64>,
    max_growth: u64,
    max_age: Duration,
}

impl Aging {
    /// Measures `pid` now; `max_growth` in bytes and `max_age` of zero mean no bound.
    pub(crate) fn start(pid: u32, max_growth: u64, max_age: Duration) -> Self {
        Self { started: Instant::now(), start_rss: rss_bytes(pid), max_growth, max_age }
    }

    /// Whether `pid` is due for recycling, and why.
    pub(crate) fn due(&self, pid: u32) -> Option<Recycle> {
        if !self.max_age.is_zero() && self.started.elapsed() >= self.max_age {
            return Some(Recycle::Age);
        }
        if self.max_growth > 0
            && let (Some(start), Some(now)) = (self.start_rss, rss_bytes(pid))
            && now.saturating_sub(start) > self.max_growth
        {
            return Some(Recycle::Memory);
        }
        None
    }
}

/// The resident set size of process `pid`, in bytes (Linux: `/proc`; elsewhere `None`).
pub(crate) fn rss_bytes(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.trim_start_matches("VmRSS:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_a_resident_size() {
        let rss = rss_bytes(std::process::id()).expect("an RSS on Linux");
        assert!(rss > 1024 * 1024, "{rss}");
    }

    #[test]
    fn bounds_of_zero_never_recycle() {
        let aging = Aging::start(std::process::id(), 0, Duration::ZERO);
        let _grow = vec![1u8; 8 * 1024 * 1024];
        assert_eq!(aging.due(std::process::id()), None);
        let old = Aging::start(std::process::id(), 0, Duration::from_nanos(1));
        std::thread::sleep(Duration::from_millis(1));
        assert_eq!(old.due(std::process::id()), Some(Recycle::Age));
    }

    #[test]
    fn growth_past_the_bound_recycles() {
        let aging = Aging::start(std::process::id(), 1, Duration::ZERO);
        // Touch the pages so they are resident.
        let grow: Vec<u8> = (0..16 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
        assert_eq!(aging.due(std::process::id()), Some(Recycle::Memory));
        assert!(grow.iter().map(|&b| u64::from(b)).sum::<u64>() > 0);
    }
}
