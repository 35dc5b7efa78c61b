//! [`Rate`]: how many calls a function takes per period.

use std::time::Duration;

/// At most `count` calls in each `period`, per caller: the identity's id
/// when there is one, else the client's address. Written in the macro as
/// `#[mizan::client(rate = "10/min")]`; made by hand with [`Rate::new`]
/// (for a form's [`Form::RATE`](crate::Form::RATE)).
///
/// ```
/// use std::time::Duration;
/// let rate = mizan::Rate::new(3, Duration::from_secs(60));
/// assert_eq!((rate.count(), rate.period()), (3, Duration::from_secs(60)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rate {
    count: u32,
    period: Duration,
}

impl Rate {
    /// `count` calls per `period`. A period under a second counts as one
    /// second (limits are told in whole seconds of `retry-after`); a count
    /// of 0 refuses every call.
    pub const fn new(count: u32, period: Duration) -> Self {
        let period = if period.as_secs() == 0 { Duration::from_secs(1) } else { period };
        Self { count, period }
    }

    /// The calls allowed in a period.
    pub const fn count(&self) -> u32 {
        self.count
    }

    /// The period.
    pub const fn period(&self) -> Duration {
        self.period
    }
}
