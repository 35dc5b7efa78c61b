//! The input contract as a type model: JSON Schema (as schemars 1 emits it)
//! lowered to [`Ty`], the one definition both sides enforce. Codegen renders
//! a `Ty` as TypeScript and Zod 4; the server compiles the same `Ty` and
//! validates every incoming value against it before deserializing.
//!
//! - [`Lowerer`] turns a schema of one [`Side`] into a [`Ty`], resolving
//!   `$ref`s against that side's definitions. Its [`Target`] says who reads
//!   the result: [`Target::Zod`] refuses what JavaScript cannot represent
//!   faithfully (integers past ±(2^53 − 1), patterns outside the common
//!   subset); [`Target::Server`] keeps every rule it can enforce in Rust.
//! - [`pattern`] translates a `pattern` into a JavaScript regex that means
//!   the same as in Rust's `regex` crate, or refuses it.
//! - [`email`] is the email (and IP address) syntax as one regular
//!   expression, shared by the server and the generated Zod; [`dates`]
//!   and [`uuid`] are the date, time and UUID formats, the same way
//!   ([`Format::source`]).
//!
//! On the input side every object that is not a map refuses unknown keys
//! ([`Extra::Deny`]), whatever serde would do: the contract has no hidden
//! leniency.

pub mod dates;
pub mod email;
mod lower;
pub mod pattern;
pub mod uuid;

pub use lower::{Lowerer, SchemaError, Target};

pub use crate::manifest::Side;
use serde_json::{Number, Value};

/// Largest integer a JavaScript number holds exactly: 2^53 − 1.
pub const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// The largest finite `f32`, the bound of `format: float` numbers.
pub const F32_MAX: f64 = f32::MAX as f64;

/// A type, as far as validation, TypeScript and Zod care.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `true` / `{}`: any JSON value.
    Unknown,
    /// `false`: no value.
    Never,
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A string with its rules.
    Str(Str),
    /// A number with its rules.
    Num(Num),
    /// One or more literal values (`const`, `enum`).
    Lit(Vec<Lit>),
    /// An array of one item type.
    Array(Box<Ty>, ArrayRules),
    /// Fixed items (`prefixItems`), then optionally more of one type.
    Tuple(Vec<Ty>, Option<Box<Ty>>),
    /// A map with string keys, optionally constrained by a key pattern.
    Record(Box<Ty>, Option<KeyPattern>),
    /// An object with named properties.
    Object(Obj),
    /// Any one of the members (see [`Ty::selector`] for how one is chosen).
    Union(Vec<Ty>),
    /// All of the members at once.
    Inter(Vec<Ty>),
    /// A named definition on the current side.
    Ref(String),
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    /// A string literal.
    Str(String),
    /// A number literal.
    Num(Number),
    /// `true` or `false`.
    Bool(bool),
}

impl Lit {
    /// Whether `value` is this literal (numbers compare by value, as in
    /// JavaScript: `1` and `1.0` are equal).
    pub fn matches(&self, value: &Value) -> bool {
        match (self, value) {
            (Lit::Str(a), Value::String(b)) => a == b,
            (Lit::Bool(a), Value::Bool(b)) => a == b,
            (Lit::Num(a), Value::Number(b)) => match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => a.as_f64().zip(b.as_f64()).is_some_and(|(x, y)| x == y),
            },
            _ => false,
        }
    }
}

/// A string `format` that is checked (any other format is not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// No format check.
    Plain,
    /// `email`: [`email::EMAIL_REGEX`].
    Email,
    /// `uri`: the WHATWG URL parser.
    Uri,
    /// `date-time`: RFC 3339 with an offset ([`dates`]).
    DateTime,
    /// `partial-date-time`: a date-time without an offset, seconds
    /// optional ([`dates`]).
    LocalDateTime,
    /// `date` ([`dates`]).
    Date,
    /// `time` / `partial-time`: without an offset, seconds optional
    /// ([`dates`]).
    Time,
    /// `uuid`: the hyphenated form ([`uuid`]).
    Uuid,
    /// `int64-string`: a decimal string within the range of an i64.
    IntString,
    /// `ip`: an IPv4 or IPv6 address as Rust's `IpAddr` parser reads it.
    Ip,
    /// `ipv4`: as Rust's `Ipv4Addr` parser reads it.
    Ipv4,
    /// `ipv6`: as Rust's `Ipv6Addr` parser reads it.
    Ipv6,
}

impl Format {
    /// The one anchored expression both sides run for this format (Rust
    /// `regex` syntax that means the same in JavaScript with the `u` flag),
    /// for the formats an expression alone decides: dates, times, UUIDs.
    pub fn source(self) -> Option<&'static str> {
        Some(match self {
            Format::DateTime => &dates::DATE_TIME_SOURCE,
            Format::LocalDateTime => &dates::LOCAL_DATE_TIME_SOURCE,
            Format::Date => &dates::DATE_SOURCE,
            Format::Time => &dates::TIME_SOURCE,
            Format::Uuid => uuid::UUID_SOURCE,
            _ => return None,
        })
    }
}

/// A string's rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Str {
    /// The checked format.
    pub format: Format,
    /// `minLength`, in Unicode code points.
    pub min_chars: Option<u64>,
    /// `maxLength`, in Unicode code points.
    pub max_chars: Option<u64>,
    /// The `pattern` as a JavaScript regex literal (`/…/u`); `None` when
    /// there is none, or (for [`Target::Server`]) when it has no faithful
    /// translation.
    pub pattern: Option<String>,
    /// The `pattern` as the server runs it (Rust `regex` syntax).
    pub source: Option<String>,
}

/// A number's rules.
#[derive(Debug, Clone, PartialEq)]
pub enum Num {
    /// An integer with inclusive bounds (for [`Target::Zod`] always within
    /// ±(2^53 − 1)).
    Int {
        /// The smallest value allowed.
        min: i128,
        /// The largest value allowed.
        max: i128,
    },
    /// Any number, with optional bounds.
    Float {
        /// `minimum`.
        min: Option<Number>,
        /// `maximum`.
        max: Option<Number>,
        /// `exclusiveMinimum`.
        exclusive_min: Option<Number>,
        /// `exclusiveMaximum`.
        exclusive_max: Option<Number>,
        /// `multipleOf`.
        multiple_of: Option<Number>,
    },
}

/// An array's rules.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArrayRules {
    /// `minItems`.
    pub min: Option<u64>,
    /// `maxItems`.
    pub max: Option<u64>,
    /// `uniqueItems` (Rust sets). Not checked: serde builds the set and
    /// drops duplicates rather than refusing them.
    pub unique: bool,
}

/// A map's key pattern, in both dialects.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyPattern {
    /// The JavaScript regex literal (`/…/u`).
    pub js: String,
    /// The same pattern in Rust `regex` syntax.
    pub source: String,
}

impl std::fmt::Display for KeyPattern {
    /// The JavaScript literal, as the generated Zod writes it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.js)
    }
}

/// What an object does with keys it has no property for.
#[derive(Debug, Clone, PartialEq)]
pub enum Extra {
    /// Unknown keys allowed (and stripped by Zod): output side only.
    Allow,
    /// Unknown keys refused (`additionalProperties: false`, and every
    /// input-side object that is not a map).
    Deny,
    /// Unknown keys allowed with values of this type.
    Schema(Box<Ty>),
}

/// An object's properties and unknown-key rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Obj {
    /// The properties, in schema order.
    pub props: Vec<Prop>,
    /// What other keys may be.
    pub extra: Extra,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Prop {
    /// The wire name.
    pub name: String,
    /// Its type.
    pub ty: Ty,
    /// Whether it may be absent.
    pub optional: bool,
    /// The value the server fills in when the property is absent
    /// (`#[serde(default)]`), which is then validated like a sent value.
    pub default: Option<Value>,
    /// Its `description`.
    pub doc: Option<String>,
    /// Whether it is `deprecated`.
    pub deprecated: bool,
}

/// How a union picks the member an input is judged by (see
/// [`Ty::selector`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Selector {
    /// A serde tag: the property every member has as a required literal
    /// (internally and adjacently tagged enums); member `i` is chosen when
    /// the input's tag is one of `values[i]`.
    Tag {
        /// The tag property.
        name: String,
        /// Each member's tag values.
        values: Vec<Vec<Lit>>,
    },
    /// An externally tagged enum: each object member has one required
    /// property, the variant's name, and nothing else; member `i` is chosen
    /// when the input object has key `keys[i]` and no other member's key.
    /// Members that are not such objects (unit variants, as string
    /// literals) have `None`.
    Key(Vec<Option<String>>),
}

impl Selector {
    /// The member `value` selects, if any.
    pub fn pick(&self, value: &Value) -> Option<usize> {
        let object = value.as_object()?;
        match self {
            Selector::Tag { name, values } => {
                let tag = object.get(name)?;
                values.iter().position(|lits| lits.iter().any(|l| l.matches(tag)))
            }
            Selector::Key(keys) => {
                let mut found = keys
                    .iter()
                    .enumerate()
                    .filter(|(_, k)| k.as_ref().is_some_and(|k| object.contains_key(k)))
                    .map(|(i, _)| i);
                match (found.next(), found.next()) {
                    (Some(i), None) => Some(i),
                    _ => None,
                }
            }
        }
    }
}

impl Ty {
    /// The members of a union other than `null`, and whether `null` is one.
    pub fn split_null(members: &[Ty]) -> (Vec<&Ty>, bool) {
        let nullable = members.contains(&Ty::Null);
        (members.iter().filter(|m| **m != Ty::Null).collect(), nullable)
    }

    /// How a union of `members` (without `null`) picks the member an input
    /// is judged by: a serde tag, the variant key of an externally tagged
    /// enum, or nothing (an untagged enum: the first member the input
    /// satisfies). Both sides use it: with a selector, an input that
    /// selects a member gets that member's issues at their own paths;
    /// otherwise, an input no member accepts is one `invalid_value` at the
    /// union's path.
    pub fn selector(members: &[&Ty]) -> Option<Selector> {
        if members.len() < 2 {
            return None;
        }
        let objects: Option<Vec<&Obj>> = members
            .iter()
            .map(|m| match m {
                Ty::Object(o) => Some(o),
                _ => None,
            })
            .collect();
        if let Some(objects) = objects {
            let tag_of = |o: &Obj, name: &str| -> Option<Vec<Lit>> {
                o.props.iter().find(|p| p.name == name && !p.optional).and_then(|p| match &p.ty {
                    Ty::Lit(values) if !values.is_empty() => Some(values.clone()),
                    _ => None,
                })
            };
            let tag = objects.first()?.props.iter().map(|p| p.name.as_str()).find_map(|name| {
                let values: Vec<Vec<Lit>> = objects.iter().map(|o| tag_of(o, name)).collect::<Option<_>>()?;
                let all: Vec<&Lit> = values.iter().flatten().collect();
                let distinct = all.iter().enumerate().all(|(i, t)| !all[..i].contains(t));
                distinct.then(|| Selector::Tag { name: name.to_owned(), values })
            });
            if tag.is_some() {
                return tag;
            }
        }
        let keys: Vec<Option<String>> = members
            .iter()
            .map(|m| match m {
                Ty::Object(o) if o.extra == Extra::Deny => match o.props.as_slice() {
                    [only] if !only.optional => Some(only.name.clone()),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        let named: Vec<&String> = keys.iter().flatten().collect();
        let distinct = named.iter().enumerate().all(|(i, k)| !named[..i].contains(k));
        let others_are_scalars =
            members.iter().zip(&keys).all(|(m, k)| k.is_some() || !matches!(m, Ty::Object(_)));
        (!named.is_empty() && distinct && others_are_scalars).then_some(Selector::Key(keys))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(props: &[(&str, Ty)]) -> Ty {
        Ty::Object(Obj {
            props: props
                .iter()
                .map(|(n, t)| Prop {
                    name: (*n).to_owned(),
                    ty: t.clone(),
                    optional: false,
                    default: None,
                    doc: None,
                    deprecated: false,
                })
                .collect(),
            extra: Extra::Deny,
        })
    }

    fn lit(s: &str) -> Ty {
        Ty::Lit(vec![Lit::Str(s.to_owned())])
    }

    #[test]
    fn a_tag_selects_by_value_and_a_variant_key_by_key() {
        let a = obj(&[("type", lit("a")), ("x", Ty::Bool)]);
        let b = obj(&[("type", lit("b"))]);
        let tag = Ty::selector(&[&a, &b]).expect("a tag");
        assert_eq!(tag.pick(&json!({"type": "b"})), Some(1));
        assert_eq!(tag.pick(&json!({"type": "c"})), None);
        assert_eq!(tag.pick(&json!("a")), None);

        let ext_a = obj(&[("A", Ty::Bool)]);
        let ext_b = obj(&[("B", Ty::Null)]);
        let unit = lit("C");
        let key = Ty::selector(&[&ext_a, &ext_b, &unit]).expect("variant keys");
        assert_eq!(key, Selector::Key(vec![Some("A".into()), Some("B".into()), None]));
        assert_eq!(key.pick(&json!({"B": 1})), Some(1));
        assert_eq!(key.pick(&json!({"A": 1, "B": 1})), None, "two variant keys select nothing");
        assert_eq!(key.pick(&json!({"Z": 1})), None);

        // Untagged: objects with several properties and nothing in common.
        let u1 = obj(&[("a", Ty::Bool), ("b", Ty::Bool)]);
        let u2 = obj(&[("c", Ty::Bool), ("d", Ty::Bool)]);
        assert_eq!(Ty::selector(&[&u1, &u2]), None);
    }

    #[test]
    fn the_server_target_keeps_what_only_javascript_cannot_hold() {
        let defs = serde_json::Map::new();
        let zod = Lowerer::new(Side::Input, &defs);
        let server = Lowerer::for_target(Side::Input, &defs, Target::Server);
        let wide = json!({"type": "integer", "format": "uint64", "minimum": 0});
        assert!(zod.lower(&wide, "").is_err(), "past 2^53 for JavaScript");
        assert_eq!(server.lower(&wide, "").ok(), Some(Ty::Num(Num::Int { min: 0, max: u64::MAX.into() })));
        let digits = json!({"type": "string", "pattern": "^\\d+$"});
        assert!(zod.lower(&digits, "").is_err(), "`\\d` differs between the engines");
        let Ok(Ty::Str(s)) = server.lower(&digits, "") else { panic!("a string") };
        assert_eq!((s.pattern, s.source.as_deref()), (None, Some("^\\d+$")));
        // A keyword with no mapping leaves the node unchecked on the server.
        assert_eq!(server.lower(&json!({"not": {"type": "string"}}), "").ok(), Some(Ty::Unknown));
        // Input objects refuse unknown keys; output ones keep serde's leniency.
        let lax = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        let Ok(Ty::Object(input)) = zod.lower(&lax, "") else { panic!("an object") };
        let Ok(Ty::Object(output)) = Lowerer::new(Side::Output, &defs).lower(&lax, "") else {
            panic!("an object")
        };
        assert_eq!((input.extra, output.extra), (Extra::Deny, Extra::Allow));
        // An f32 is bounded by its range.
        let Ok(Ty::Num(Num::Float { max, .. })) =
            zod.lower(&json!({"type": "number", "format": "float"}), "")
        else {
            panic!("a number")
        };
        assert_eq!(max.and_then(|n| n.as_f64()), Some(F32_MAX));
    }

    #[test]
    fn literals_compare_numbers_by_value() {
        assert!(Lit::Num(1.into()).matches(&json!(1.0)));
        assert!(!Lit::Num(1.into()).matches(&json!("1")));
        assert!(Lit::Str("a".into()).matches(&json!("a")));
    }
}
