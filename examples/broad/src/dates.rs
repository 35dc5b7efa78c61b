//! Dates, times and UUIDs in the places a real app puts them: fields of a
//! struct, `Option`s (absent, `null` or set), lists, and arguments of their
//! own. chrono's five types (feature `chrono`), time's `OffsetDateTime`
//! through `time::serde::rfc3339` (feature `time`, its schema from
//! `mizan::schemas::Rfc3339`) and `uuid::Uuid` (feature `uuid`).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use mizan::Request;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// A meeting's times and the people in it.
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[garde(allow_unvalidated)]
pub struct Meeting {
    /// When it was booked, in UTC.
    pub booked_at: DateTime<Utc>,
    /// When it starts, in the organiser's offset.
    pub starts_at: DateTime<FixedOffset>,
    /// When it ends, with time's `OffsetDateTime`.
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "mizan::schemas::Rfc3339")]
    pub ends_at: OffsetDateTime,
    /// When it was last moved, if it was.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schemars(with = "Option<mizan::schemas::Rfc3339>")]
    pub moved_at: Option<OffsetDateTime>,
    /// A reminder on the attendees' own clocks.
    pub remind_at: Option<NaiveDateTime>,
    /// The days it repeats on.
    #[garde(length(max = 4))]
    pub repeats_on: Vec<NaiveDate>,
    /// The times of day it may be held.
    pub slots: Option<Vec<NaiveTime>>,
    /// The organiser.
    pub organiser: Uuid,
    /// The guests, at most three.
    #[garde(length(max = 3))]
    pub guests: Vec<Uuid>,
}

/// A meeting, and dates, times and ids as arguments of their own: the
/// meeting comes back as the server read it (canonical spellings).
#[mizan::client]
pub async fn schedule(
    _req: &Request,
    meeting: Meeting,
    day: NaiveDate,
    at: Option<NaiveTime>,
    #[garde(length(max = 2))] deadlines: Vec<DateTime<Utc>>,
    room: Option<Uuid>,
) -> mizan::Result<Meeting> {
    let _ = (day, at, deadlines, room);
    Ok(meeting)
}
