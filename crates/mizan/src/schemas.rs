//! Schemas for types schemars does not describe, to name in
//! `#[schemars(with = "…")]` beside the serde attribute that gives the
//! type its wire form.
//!
//! [`Rfc3339`] (feature `time`) is a `time::OffsetDateTime` sent with
//! `time::serde::rfc3339`: `{"type": "string", "format": "date-time"}`, so
//! the server and the generated Zod read it exactly as they read a
//! `chrono::DateTime<Utc>` (an offset required; `docs/protocol.md`, "Dates,
//! times and ids"). It is the only `time` form mizan describes: `time`'s
//! default serde form (`serde-human-readable`, with spaces) and its `Date`,
//! `Time` and `PrimitiveDateTime` have no JSON Schema format, and
//! `time::serde::iso8601` writes six-digit years (`+002025-…`), which
//! `date-time` refuses; use chrono's `NaiveDate`, `NaiveTime` and
//! `NaiveDateTime` (feature `chrono`) for dates and times without an offset.
//!
//! ```
//! use time::OffsetDateTime;
//!
//! #[derive(serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
//! struct Meeting {
//!     #[serde(with = "time::serde::rfc3339")]
//!     #[schemars(with = "mizan::schemas::Rfc3339")]
//!     starts_at: OffsetDateTime,
//!     #[serde(default, with = "time::serde::rfc3339::option")]
//!     #[schemars(with = "Option<mizan::schemas::Rfc3339>")]
//!     ends_at: Option<OffsetDateTime>,
//! }
//!
//! let schema = schemars::schema_for!(Meeting).to_value();
//! assert_eq!(schema["properties"]["starts_at"]["format"], "date-time");
//! let meeting: Meeting = serde_json::from_str(r#"{"starts_at": "2025-03-01T09:30:00-05:00"}"#).unwrap();
//! assert_eq!(meeting.starts_at.unix_timestamp(), 1_740_839_400);
//! ```

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

/// The schema of a `time::OffsetDateTime` under `time::serde::rfc3339`
/// (`format: date-time`). See the [module docs](self).
#[derive(Debug, Clone, Copy)]
pub enum Rfc3339 {}

impl JsonSchema for Rfc3339 {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Rfc3339".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date-time" })
    }
}
