//! Deserialization helpers: how absent and `null` values read, and the
//! string enums with messages that say what was expected.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// `null` (or absent, with `#[serde(default)]`) reads as the default.
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A string or `null`, refused otherwise as "a string or null".
pub(crate) fn string_or_null<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or null")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(V)
}

/// Any JSON value, `null` included, but present: a missing key is an error
/// (a listen-only channel's `client_message` is `null`, never absent).
pub(crate) fn present_nullable<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<serde_json::Value>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => None,
        other => Some(other),
    })
}

/// A closed set of wire strings: `T::ALL` with `as_str`, read with a
/// message naming `what` and every accepted value.
pub(crate) trait WireStrings: Copy + 'static {
    /// Every value, in documentation order.
    const ALL: &'static [Self];
    /// What the value is, for messages (`"widget"`).
    const WHAT: &'static str;
    /// The wire string.
    fn wire(self) -> &'static str;
}

/// Reads one of `T::ALL` from a string.
pub(crate) fn wire_string<'de, D: Deserializer<'de>, T: WireStrings>(d: D) -> Result<T, D::Error> {
    let text = String::deserialize(d)?;
    T::ALL.iter().copied().find(|v| v.wire() == text).ok_or_else(|| {
        let all: Vec<&str> = T::ALL.iter().map(|v| v.wire()).collect();
        de::Error::custom(format!("unknown {} {text:?} (expected one of {})", T::WHAT, all.join(", ")))
    })
}
