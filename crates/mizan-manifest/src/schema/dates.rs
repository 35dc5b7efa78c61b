//! The date and time formats (`date-time`, `partial-date-time`, `date`,
//! `time` / `partial-time`) as mizan reads them: one anchored expression
//! each, in the subset Rust's `regex` and JavaScript's `RegExp` (with the
//! `u` flag) read alike, so the server runs it and the generated Zod runs
//! the same text. The server then writes an accepted value in its
//! canonical form (`T` and `Z` upper case, `:00` added where the seconds
//! were left out) before serde sees it, so chrono's and time's parsers
//! both read every value the expression accepts.
//!
//! - **`date-time`** (`chrono::DateTime<Utc>`, `DateTime<FixedOffset>`,
//!   `time::OffsetDateTime` through `time::serde::rfc3339`): RFC 3339's
//!   `date-time`: `YYYY-MM-DD`, `T`, `hh:mm:ss`, an optional fraction of
//!   1–9 digits, then `Z` or `±hh:mm` (hours 00–23). `t` and `z` may be
//!   lower case, as RFC 3339 allows. An offset is required.
//! - **`partial-date-time`** (`chrono::NaiveDateTime`): the same without the
//!   offset (a `Z` is refused: the value has no time zone), and the
//!   seconds may be left out (`2025-03-01T09:30`, what a browser's
//!   `<input type="datetime-local">` sends when they are zero).
//! - **`date`** (`chrono::NaiveDate`): `YYYY-MM-DD`.
//! - **`time`** (`chrono::NaiveTime`): `hh:mm`, `hh:mm:ss` or with a
//!   fraction of 1–9 digits; no offset.
//!
//! Everywhere: years `0000`–`9999` only (no sign, no fifth digit), dates
//! that exist (February 29 in leap years only), hours `00`–`23`, seconds
//! `00`–`59` (no leap second `:60`: JavaScript's `Date` and `time` have
//! none), ASCII digits, no space separator, nothing before or after.

use std::sync::LazyLock;

/// A calendar date that exists, leap years included (Zod's own
/// `dateSource`, with `[0-9]` for `\d`).
const DATE: &str = "(?:(?:[0-9][0-9][2468][048]|[0-9][0-9][13579][26]|[0-9][0-9]0[48]|[02468][048]00|[13579][26]00)-02-29|[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8])))";
/// Hours and minutes.
const HH_MM: &str = "(?:[01][0-9]|2[0-3]):[0-5][0-9]";
/// Seconds and an optional fraction of at most nanoseconds.
const SS_FRACTION: &str = ":[0-5][0-9](?:\\.[0-9]{1,9})?";
/// `Z` or `±hh:mm`.
const OFFSET: &str = "(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])";

/// `format: date-time`, anchored.
pub static DATE_TIME_SOURCE: LazyLock<String> =
    LazyLock::new(|| format!("^{DATE}[Tt]{HH_MM}{SS_FRACTION}{OFFSET}$"));

/// `format: partial-date-time`, anchored.
pub static LOCAL_DATE_TIME_SOURCE: LazyLock<String> =
    LazyLock::new(|| format!("^{DATE}[Tt]{HH_MM}(?:{SS_FRACTION})?$"));

/// `format: date`, anchored.
pub static DATE_SOURCE: LazyLock<String> = LazyLock::new(|| format!("^{DATE}$"));

/// `format: time` and `partial-time`, anchored.
pub static TIME_SOURCE: LazyLock<String> = LazyLock::new(|| format!("^{HH_MM}(?:{SS_FRACTION})?$"));
