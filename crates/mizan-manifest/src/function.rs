//! An entry of the manifest's `functions`, with its kind, auth level and
//! context kind.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::DeclaredError;
use crate::de::{WireStrings, null_as_default, string_or_null, wire_string};

/// One server function: its wire name, what it is and its two schemas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(expecting = "an object")]
pub struct Function {
    /// The wire name, `[a-z][a-z0-9_]*`, dotted for forms (`contact.submit`).
    pub name: String,
    /// Query or mutation.
    pub kind: Kind,
    /// Who may call it (absent or `null` reads as public).
    #[serde(default, deserialize_with = "auth_or_public")]
    pub auth: Auth,
    /// The context kind, `null` for an ordinary function.
    #[serde(default, deserialize_with = "context_or_none")]
    pub context: Option<ContextKind>,
    /// Wire names of the queries a successful call invalidates.
    #[serde(default, deserialize_with = "null_as_default")]
    pub invalidates: Vec<String>,
    /// The calls allowed per caller and period, when limited (written
    /// only then; absent or `null` reads as no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Rate>,
    /// The doc comment.
    #[serde(default, deserialize_with = "string_or_null")]
    pub doc: Option<String>,
    /// Wire names of the arguments, in order.
    #[serde(default, deserialize_with = "null_as_default")]
    pub args: Vec<String>,
    /// The input object's schema (refs into `input_defs`).
    pub input: Value,
    /// The output's schema (refs into `output_defs`); for a stream, the
    /// schema of each item.
    pub output: Value,
    /// Whether the output is streamed: answered as NDJSON, one line
    /// `{"data": item}` per item, then `{"end": true}` or `{"error": …}`
    /// (written only when true; absent or `null` reads as false).
    #[serde(default, skip_serializing_if = "is_false", deserialize_with = "null_as_default")]
    pub stream: bool,
    /// The errors it declares (its typed errors), in declaration order;
    /// written only when there are some (absent or `null` reads as none).
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "null_as_default")]
    pub errors: Vec<DeclaredError>,
    /// The upload argument of a function that takes files (sent as
    /// `multipart/form-data`); written only then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload: Option<crate::Upload>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A function's rate limit: at most `count` calls per caller (its
/// identity, else its client address) in each `period_seconds`; past it
/// the call answers 429 `RATE_LIMITED` with `retry-after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object {\"count\", \"period_seconds\"}")]
pub struct Rate {
    /// Calls allowed in a period.
    pub count: u32,
    /// The period, in seconds.
    pub period_seconds: u64,
}

/// Whether a function is side-effect free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Side-effect free: GET-able, cached, a query hook.
    Query,
    /// Anything else: POST only, a mutation hook.
    Mutation,
}

impl Kind {
    /// The wire string: `"query"` or `"mutation"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Mutation => "mutation",
        }
    }
}

impl WireStrings for Kind {
    const ALL: &'static [Self] = &[Self::Query, Self::Mutation];
    const WHAT: &'static str = "kind";
    fn wire(self) -> &'static str {
        self.as_str()
    }
}

/// Context functions are fetched per page (global) or per provider (local).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContextKind {
    /// Fetched once per page and embedded in the server-rendered HTML.
    Global,
    /// Fetched with params; becomes a provider component.
    Local,
}

impl ContextKind {
    /// The wire string: `"global"` or `"local"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::Local => "local",
        }
    }
}

impl WireStrings for ContextKind {
    const ALL: &'static [Self] = &[Self::Global, Self::Local];
    const WHAT: &'static str = "context";
    fn wire(self) -> &'static str {
        self.as_str()
    }
}

macro_rules! wire_serde {
    ($($ty:ty),*) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                wire_string(d)
            }
        }
    )*};
}
wire_serde!(Kind, ContextKind);

fn context_or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ContextKind>, D::Error> {
    Option::<ContextKind>::deserialize(d)
}

/// The auth level a function requires. On the wire: `"public"`,
/// `"authenticated"`, `"staff"`, `"superuser"`, or `{"custom": "path::to::check"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Auth {
    /// Anyone (the default).
    #[default]
    Public,
    /// Any identity.
    Authenticated,
    /// Staff or superuser.
    Staff,
    /// Superuser only.
    Superuser,
    /// A custom check, named by its Rust path.
    Custom(String),
}

impl Auth {
    /// The levels written as a plain string, in increasing order.
    pub const LEVELS: [Auth; 4] = [Self::Public, Self::Authenticated, Self::Staff, Self::Superuser];

    /// The level's name: `"public"`, …, and `"custom"` for a custom check.
    pub fn wire_name(&self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Authenticated => "authenticated",
            Self::Staff => "staff",
            Self::Superuser => "superuser",
            Self::Custom(_) => "custom",
        }
    }
}

impl Serialize for Auth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Self::Custom(path) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("custom", path)?;
                map.end()
            }
            level => s.serialize_str(level.wire_name()),
        }
    }
}

impl<'de> Deserialize<'de> for Auth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => Self::LEVELS.into_iter().find(|l| l.wire_name() == s).ok_or_else(|| {
                de::Error::custom(format!(
                    "unknown auth level {s:?} (expected public, authenticated, staff, superuser or {{\"custom\": path}})"
                ))
            }),
            Value::Object(o) => match (o.len(), o.get("custom")) {
                (1, Some(Value::String(path))) => Ok(Self::Custom(path.clone())),
                _ => Err(de::Error::custom("an `auth` object must be {\"custom\": \"path::to::check\"}")),
            },
            _ => Err(de::Error::custom("must be a string or {\"custom\": …}")),
        }
    }
}

pub(crate) fn auth_or_public<'de, D: Deserializer<'de>>(d: D) -> Result<Auth, D::Error> {
    null_as_default(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wire_strings_round_trip() {
        for kind in Kind::ALL {
            let v = serde_json::to_value(kind).unwrap();
            assert_eq!(v, kind.as_str());
            assert_eq!(serde_json::from_value::<Kind>(v).unwrap(), *kind);
        }
        for c in ContextKind::ALL {
            assert_eq!(serde_json::from_value::<ContextKind>(json!(c.as_str())).unwrap(), *c);
        }
        for auth in Auth::LEVELS.into_iter().chain([Auth::Custom("app::is_owner".into())]) {
            let v = serde_json::to_value(&auth).unwrap();
            assert_eq!(serde_json::from_value::<Auth>(v).unwrap(), auth);
        }
        assert_eq!(serde_json::to_value(Auth::Custom("a::b".into())).unwrap(), json!({ "custom": "a::b" }));
        assert_eq!(serde_json::to_value(Auth::Staff).unwrap(), json!("staff"));
    }

    #[test]
    fn unknown_strings_are_named() {
        let e = serde_json::from_value::<Kind>(json!("subscription")).unwrap_err().to_string();
        assert!(e.contains("unknown kind \"subscription\" (expected one of query, mutation)"), "{e}");
        let e = serde_json::from_value::<Auth>(json!("admin")).unwrap_err().to_string();
        assert!(e.contains("unknown auth level \"admin\""), "{e}");
        assert!(serde_json::from_value::<Auth>(json!({ "custom": 1 })).is_err());
        assert!(serde_json::from_value::<Auth>(json!({ "custom": "a", "b": 1 })).is_err());
    }
}
