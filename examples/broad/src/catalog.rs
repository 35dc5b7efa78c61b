//! One field per supported Rust type: the rows of `docs/types.md`'s type
//! table are made from this struct and the generated client
//! (`tests/it/types_doc.rs`), so every row shows what codegen writes.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use mizan::{Id64, Request};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::enums::{Adjacent, Color, External, Internal, Untagged};
use crate::generics::{Page, User};
use crate::nested::Geo;
use crate::numbers::{MAX_SAFE, MAX_SAFE_U64};

/// Every supported type, one field each (the doc comment is the row's note).
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Catalog {
    /// `true` or `false`.
    pub boolean: bool,
    /// Any string; lengths count code points.
    pub string: String,
    /// One code point (an astral character is one `char`, two UTF-16 units).
    pub character: char,
    /// The type's own range.
    pub int8: i8,
    /// The type's own range.
    pub int16: i16,
    /// The type's own range.
    pub int32: i32,
    /// Must be bounded within ±(2^53 − 1) with `range`: codegen refuses it otherwise.
    #[garde(range(min = -MAX_SAFE, max = MAX_SAFE))]
    pub int64: i64,
    /// The type's own range.
    pub uint8: u8,
    /// The type's own range.
    pub uint16: u16,
    /// The type's own range.
    pub uint32: u32,
    /// Must be bounded by 2^53 − 1 with `range`: codegen refuses it otherwise.
    #[garde(range(max = MAX_SAFE_U64))]
    pub uint64: u64,
    /// Must be bounded with `range`, like `u64`.
    #[garde(range(max = 65_536))]
    pub size: usize,
    /// A finite number within `f32`'s range (a larger finite JSON number is refused, not made infinite).
    pub float32: f32,
    /// Any finite JSON number.
    pub float64: f64,
    /// A 64-bit id as a decimal string (`format: int64-string`).
    pub id: Id64,
    /// `null`.
    pub unit: (),
    /// The key may be absent or `null`.
    pub optional: Option<String>,
    /// With `#[serde(default)]`: the key may be absent (the server fills in the default).
    #[serde(default)]
    pub defaulted: String,
    /// A list.
    pub list: Vec<String>,
    /// A list of numbers.
    pub bytes: Vec<u8>,
    /// A fixed-size array: exactly three items.
    pub array: [u8; 3],
    /// `Box<T>` is `T`.
    pub boxed: Box<String>,
    /// A set: a list on the wire (duplicates are not refused; serde drops them).
    pub set: HashSet<String>,
    /// An ordered set: as `HashSet`.
    pub ordered_set: BTreeSet<i32>,
    /// A map with string keys.
    pub map: HashMap<String, u32>,
    /// An ordered map: as `HashMap`.
    pub ordered_map: BTreeMap<String, bool>,
    /// A map with integer keys: decimal strings on the wire.
    pub int_keys: BTreeMap<u32, String>,
    /// A tuple: a fixed-length array.
    pub pair: (String, u8),
    /// A unit-only enum: its variants' names.
    pub color: Color,
    /// Externally tagged (serde's default).
    pub external: External,
    /// Internally tagged (`tag`).
    pub internal: Internal,
    /// Adjacently tagged (`tag` + `content`).
    pub adjacent: Adjacent,
    /// Untagged.
    pub untagged: Untagged,
    /// A generic struct, one named schema per instantiation.
    pub page: Page<User>,
    /// A struct: an object refusing unknown keys.
    pub geo: Geo,
    /// chrono: RFC 3339 with an offset (`Z` or `±hh:mm`), seconds required, up to nine fraction digits.
    pub utc: DateTime<Utc>,
    /// chrono: as `DateTime<Utc>`; the offset is kept.
    pub fixed: DateTime<FixedOffset>,
    /// time, through `time::serde::rfc3339` and `mizan::schemas::Rfc3339`: as `DateTime<Utc>`.
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "mizan::schemas::Rfc3339")]
    pub offset: time::OffsetDateTime,
    /// chrono: a date and a time without an offset, seconds optional (what `datetime-local` sends).
    pub local: NaiveDateTime,
    /// chrono: `YYYY-MM-DD`, a day that exists (29 February in leap years only).
    pub day: NaiveDate,
    /// chrono: `hh:mm`, seconds and a fraction optional, no offset.
    pub clock: NaiveTime,
    /// The hyphenated form, either case, any version; the server answers it in lower case.
    pub uuid: uuid::Uuid,
}

/// The catalog, whole.
#[mizan::client]
pub async fn catalog(_req: &Request, value: Catalog) -> mizan::Result<()> {
    let _ = value;
    Ok(())
}
