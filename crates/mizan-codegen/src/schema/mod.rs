//! JSON Schema (as schemars 1 emits it) → a small type IR that both the
//! TypeScript and the Zod renderers read.

pub(crate) mod email;
mod lower;
pub(crate) mod pattern;

pub(crate) use lower::{Lowerer, SchemaError};
pub(crate) use mizan_manifest::refs::collect_refs;

use serde_json::{Number, Value};

/// Largest integer a JavaScript number holds exactly: 2^53 − 1.
pub(crate) const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// Which side of the wire a schema describes (defined with the manifest).
pub(crate) use mizan_manifest::Side;

/// A type, as far as TypeScript and Zod care.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ty {
    /// `true` / `{}`: any JSON value.
    Unknown,
    /// `false`: no value.
    Never,
    Null,
    Bool,
    Str(Str),
    Num(Num),
    /// One or more literal values (`const`, `enum`).
    Lit(Vec<Lit>),
    Array(Box<Ty>, ArrayRules),
    Tuple(Vec<Ty>, Option<Box<Ty>>),
    /// A map with string keys, optionally constrained by a key pattern
    /// (already a JS regex literal).
    Record(Box<Ty>, Option<String>),
    Object(Obj),
    Union(Vec<Ty>),
    Inter(Vec<Ty>),
    /// A named definition on the current side.
    Ref(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    Str(String),
    Num(Number),
    Bool(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Plain,
    Email,
    Uri,
    DateTime,
    LocalDateTime,
    Date,
    Time,
    Uuid,
    IntString,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Str {
    pub(crate) format: Format,
    pub(crate) min_chars: Option<u64>,
    pub(crate) max_chars: Option<u64>,
    /// A JS regex literal (`/…/u`).
    pub(crate) pattern: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Num {
    /// An integer known to stay within ±(2^53 − 1), with inclusive bounds.
    Int { min: i64, max: i64 },
    Float {
        min: Option<Number>,
        max: Option<Number>,
        exclusive_min: Option<Number>,
        exclusive_max: Option<Number>,
        multiple_of: Option<Number>,
    },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ArrayRules {
    pub(crate) min: Option<u64>,
    pub(crate) max: Option<u64>,
    /// `uniqueItems` (Rust sets). Not checked by Zod: serde builds the set
    /// and drops duplicates rather than refusing them.
    pub(crate) unique: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Extra {
    /// Unknown keys allowed (and stripped by Zod).
    Allow,
    /// `additionalProperties: false`: unknown keys refused.
    Deny,
    /// Unknown keys allowed with values of this type.
    Schema(Box<Ty>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Obj {
    pub(crate) props: Vec<Prop>,
    pub(crate) extra: Extra,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Prop {
    pub(crate) name: String,
    pub(crate) ty: Ty,
    pub(crate) optional: bool,
    /// The value the server fills in when the property is absent
    /// (`#[serde(default)]`), which the server then validates.
    pub(crate) default: Option<Value>,
    pub(crate) doc: Option<String>,
    pub(crate) deprecated: bool,
}

impl Ty {
    /// The members of a union other than `null`, and whether `null` is one.
    pub(crate) fn split_null(members: &[Ty]) -> (Vec<&Ty>, bool) {
        let nullable = members.contains(&Ty::Null);
        (members.iter().filter(|m| **m != Ty::Null).collect(), nullable)
    }

    /// For a union of inline objects: the property every member has as a
    /// required single literal, with distinct values (a serde tag).
    pub(crate) fn discriminator(members: &[&Ty]) -> Option<String> {
        let objects: Vec<&Obj> = members
            .iter()
            .map(|m| match m {
                Ty::Object(o) => Some(o),
                _ => None,
            })
            .collect::<Option<_>>()?;
        if objects.len() < 2 {
            return None;
        }
        let tag_of = |o: &Obj, name: &str| -> Option<Lit> {
            o.props.iter().find(|p| p.name == name && !p.optional).and_then(|p| match &p.ty {
                Ty::Lit(values) if values.len() == 1 => values.first().cloned(),
                _ => None,
            })
        };
        objects.first()?.props.iter().map(|p| p.name.as_str()).find_map(|name| {
            let tags: Vec<Lit> = objects.iter().map(|o| tag_of(o, name)).collect::<Option<_>>()?;
            let distinct = tags.iter().enumerate().all(|(i, t)| !tags[..i].contains(t));
            distinct.then(|| name.to_owned())
        })
    }
}
