//! A 64-bit integer that travels as a JSON string.
//!
//! JavaScript numbers lose integers past 2^53, so codegen refuses 64-bit
//! integers unless they opt into a string form. [`Id64`] is that form: it is
//! an `i64` in Rust and a decimal string (`"9007199254740993"`) on the wire,
//! described in the schema as `{"type": "string", "format": "int64-string"}`.
//!
//! ```
//! use mizan::Id64;
//! let id = Id64(9_007_199_254_740_993);
//! assert_eq!(serde_json::to_string(&id).unwrap(), r#""9007199254740993""#);
//! assert_eq!(serde_json::from_str::<Id64>(r#""-42""#).unwrap(), Id64(-42));
//! assert!(serde_json::from_str::<Id64>("42").is_err(), "numbers are refused");
//! ```

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An `i64` sent as a decimal string. See the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Id64(pub i64);

impl From<i64> for Id64 {
    fn from(v: i64) -> Self {
        Self(v)
    }
}

impl From<Id64> for i64 {
    fn from(v: Id64) -> Self {
        v.0
    }
}

impl std::fmt::Display for Id64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for Id64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <Cow<'de, str>>::deserialize(d)?;
        let digits = s.strip_prefix('-').unwrap_or(&s);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(serde::de::Error::invalid_value(
                serde::de::Unexpected::Str(&s),
                &"a decimal integer string",
            ));
        }
        s.parse()
            .map(Id64)
            .map_err(|_| serde::de::Error::invalid_value(serde::de::Unexpected::Str(&s), &"an i64"))
    }
}

impl JsonSchema for Id64 {
    fn schema_name() -> Cow<'static, str> {
        "Id64".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "int64-string", "pattern": "^-?[0-9]+$" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_non_integers_and_overflow() {
        for bad in [r#""""#, r#""-""#, r#""1.5""#, r#""1e3""#, r#"" 1""#, r#""9223372036854775808""#] {
            assert!(serde_json::from_str::<Id64>(bad).is_err(), "{bad}");
        }
        assert_eq!(serde_json::from_str::<Id64>(r#""9223372036854775807""#).unwrap(), Id64(i64::MAX));
    }
}
