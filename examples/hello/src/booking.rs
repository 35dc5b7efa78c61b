//! The example's form with dates and times: `BookingForm` at
//! `booking.schema`, `booking.validate` and `booking.submit`, rendered at
//! `/booking/` by `BookingPage.tsx`. Each field's widget comes from its
//! format: `datetime-local` for the instant (the browser's offset is added
//! before it is sent), `date`, `time`, and `datetime-local` for the local
//! reminder.

use mizan::chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use mizan::forms::FieldErrors;
use mizan::{Form, FormFields, Request};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Book a call: we confirm the times as the server read them.
#[derive(Debug, Deserialize, JsonSchema, garde::Validate, FormFields)]
#[serde(deny_unknown_fields)]
pub(crate) struct BookingForm {
    /// When the call starts: an instant (sent with the browser's offset).
    #[form(label = "Call starts at")]
    #[garde(skip)]
    starts_at: DateTime<Utc>,
    /// A day without a time zone.
    #[form(label = "Day off")]
    #[garde(skip)]
    day_off: NaiveDate,
    /// A wall-clock time.
    #[form(label = "Daily stand-up", help = "Your local time.")]
    #[garde(skip)]
    standup: NaiveTime,
    /// A local date and time, optional.
    #[form(label = "Remind me at")]
    #[serde(default)]
    #[garde(skip)]
    remind_at: Option<NaiveDateTime>,
}

/// What a booking answers: the values as the server read them.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct BookingReceipt {
    /// The call's start, in UTC.
    pub(crate) starts_at: DateTime<Utc>,
    /// The day off.
    pub(crate) day_off: NaiveDate,
    /// The stand-up time.
    pub(crate) standup: NaiveTime,
    /// The reminder, if any.
    pub(crate) remind_at: Option<NaiveDateTime>,
}

impl Form for BookingForm {
    const NAME: &'static str = "booking";
    const TITLE: &'static str = "Book a call";
    type Output = BookingReceipt;

    /// A rule the browser does not know: the reminder comes before the call
    /// (both read as UTC here: the reminder has no zone).
    async fn clean(&self, _req: &Request) -> mizan::Result<()> {
        let mut errors = FieldErrors::new();
        if self.remind_at.is_some_and(|r| r.and_utc() > self.starts_at) {
            errors.add("remind_at", "The reminder must come before the call.");
        }
        errors.into_result()
    }

    async fn on_submit_success(self, _req: &Request) -> mizan::Result<BookingReceipt> {
        Ok(BookingReceipt {
            starts_at: self.starts_at,
            day_off: self.day_off,
            standup: self.standup,
            remind_at: self.remind_at,
        })
    }
}
