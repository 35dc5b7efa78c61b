//! Lowering JSON Schema values to [`Ty`].

use std::cell::Cell;
use std::collections::BTreeSet;

use serde_json::{Map, Number, Value};

use super::pattern::{self, Mode};
use super::{ArrayRules, Extra, F32_MAX, Format, KeyPattern, Lit, MAX_SAFE, Num, Obj, Prop, Side, Str, Ty};
use crate::naming::is_ident;
use crate::refs::ref_name;

/// A refusal inside one schema: the path to the offending node and why.
#[derive(Debug)]
pub struct SchemaError {
    /// Where in the schema (`.items[0].name`; empty for the root).
    pub path: String,
    /// Why it is refused.
    pub reason: String,
}

/// Who reads the lowered types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The generated TypeScript and Zod: refuses what JavaScript cannot
    /// represent faithfully (integers past ±(2^53 − 1), literals past it,
    /// patterns outside the common subset, a `__proto__` property).
    Zod,
    /// The server's validator: keeps every rule Rust can enforce and
    /// accepts what only JavaScript could not hold. A keyword with no
    /// mapping leaves its node unchecked ([`Ty::Unknown`]); serde still
    /// enforces the Rust type.
    Server,
}

fn err(path: &str, reason: impl Into<String>) -> SchemaError {
    SchemaError { path: path.to_owned(), reason: reason.into() }
}

fn prop_path(path: &str, name: &str) -> String {
    if is_ident(name) {
        format!("{path}.{name}")
    } else {
        format!("{path}[{}]", Value::String(name.to_owned()))
    }
}

/// Lowers schemas of one side, resolving `$ref`s against that side's defs.
pub struct Lowerer<'a> {
    side: Side,
    target: Target,
    defs: &'a Map<String, Value>,
    inline_depth: Cell<u32>,
}

fn non_negative(m: &Map<String, Value>, key: &str, path: &str) -> Result<Option<u64>, SchemaError> {
    match m.get(key) {
        None => Ok(None),
        Some(v) => {
            v.as_u64().map(Some).ok_or_else(|| err(path, format!("`{key}` must be a non-negative integer")))
        }
    }
}

fn number(m: &Map<String, Value>, key: &str, path: &str) -> Result<Option<Number>, SchemaError> {
    match m.get(key) {
        None => Ok(None),
        Some(Value::Number(n)) => Ok(Some(n.clone())),
        Some(_) => Err(err(path, format!("`{key}` must be a number"))),
    }
}

fn as_f64(n: &Option<Number>) -> Option<f64> {
    n.as_ref().and_then(Number::as_f64)
}

impl<'a> Lowerer<'a> {
    /// A lowerer for the generated TypeScript and Zod ([`Target::Zod`]).
    pub fn new(side: Side, defs: &'a Map<String, Value>) -> Self {
        Self::for_target(side, defs, Target::Zod)
    }

    /// A lowerer for `target`.
    pub fn for_target(side: Side, defs: &'a Map<String, Value>, target: Target) -> Self {
        Self { side, target, defs, inline_depth: Cell::new(0) }
    }

    /// Lowers `schema`; `path` prefixes error paths. For [`Target::Server`]
    /// a node whose schema has no mapping is [`Ty::Unknown`] instead of an
    /// error.
    pub fn lower(&self, schema: &Value, path: &str) -> Result<Ty, SchemaError> {
        match (self.lower_node(schema, path), self.target) {
            (Err(_), Target::Server) => Ok(Ty::Unknown),
            (result, _) => result,
        }
    }

    /// Refuses what only JavaScript cannot represent; the server goes on.
    fn js_only(&self, e: SchemaError) -> Result<(), SchemaError> {
        match self.target {
            Target::Zod => Err(e),
            Target::Server => Ok(()),
        }
    }

    fn lower_node(&self, schema: &Value, path: &str) -> Result<Ty, SchemaError> {
        let m = match schema {
            Value::Bool(true) => return Ok(Ty::Unknown),
            Value::Bool(false) => return Ok(Ty::Never),
            Value::Object(m) => m,
            _ => return Err(err(path, "a schema must be an object or a boolean")),
        };
        let mut parts = Vec::new();
        if let Some(reference) = m.get("$ref") {
            parts.push(self.reference(reference, path)?);
        }
        if let Some(value) = m.get("const") {
            parts.push(self.literals(std::slice::from_ref(value), path)?);
        } else if let Some(values) = m.get("enum") {
            let values = values.as_array().ok_or_else(|| err(path, "`enum` must be an array"))?;
            parts.push(self.literals(values, path)?);
        } else if let Some(ty) = m.get("type") {
            match ty {
                Value::String(t) => parts.push(self.typed(t, m, path)?),
                Value::Array(ts) => {
                    let members = ts
                        .iter()
                        .map(|t| match t.as_str() {
                            Some(t) => self.typed(t, m, path),
                            None => Err(err(path, "`type` must be a string or an array of strings")),
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    parts.push(union(members));
                }
                _ => return Err(err(path, "`type` must be a string or an array of strings")),
            }
        } else if ["properties", "additionalProperties", "patternProperties"]
            .iter()
            .any(|k| m.contains_key(*k))
        {
            parts.push(self.typed("object", m, path)?);
        } else if m.contains_key("items") || m.contains_key("prefixItems") {
            parts.push(self.typed("array", m, path)?);
        }
        if let Some(all) = m.get("allOf") {
            let all = all.as_array().ok_or_else(|| err(path, "`allOf` must be an array"))?;
            for member in all {
                parts.push(self.lower(member, path)?);
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(members) = m.get(key) {
                let members =
                    members.as_array().ok_or_else(|| err(path, format!("`{key}` must be an array")))?;
                let lowered =
                    members.iter().map(|member| self.lower(member, path)).collect::<Result<Vec<_>, _>>()?;
                parts.push(union(lowered));
            }
        }
        for key in ["not", "if", "then", "else", "dependentSchemas", "dependentRequired", "contains"] {
            if m.contains_key(key) {
                return Err(err(path, format!("the JSON Schema keyword `{key}` is not supported")));
            }
        }
        Ok(self.intersect(parts))
    }

    fn reference(&self, reference: &Value, path: &str) -> Result<Ty, SchemaError> {
        let text = reference.as_str().ok_or_else(|| err(path, "`$ref` must be a string"))?;
        let name = ref_name(text).ok_or_else(|| {
            err(path, format!("only `#/$defs/Name` references are supported, found {text:?}"))
        })?;
        if !self.defs.contains_key(&name) {
            return Err(err(path, format!("`$ref` to `{name}`, which is not in `{}`", self.side.defs_key())));
        }
        Ok(Ty::Ref(name))
    }

    fn typed(&self, ty: &str, m: &Map<String, Value>, path: &str) -> Result<Ty, SchemaError> {
        match ty {
            "null" => Ok(Ty::Null),
            "boolean" => Ok(Ty::Bool),
            "string" => self.string(m, path),
            "integer" => self.integer(m, path),
            "number" => float(m, path),
            "array" => self.array(m, path),
            "object" => self.object(m, path),
            other => Err(err(path, format!("unknown JSON Schema type {other:?}"))),
        }
    }

    fn string(&self, m: &Map<String, Value>, path: &str) -> Result<Ty, SchemaError> {
        let format = match m.get("format").and_then(Value::as_str) {
            Some("email") => Format::Email,
            Some("uri") => Format::Uri,
            Some("date-time") => Format::DateTime,
            Some("partial-date-time") => Format::LocalDateTime,
            Some("date") => Format::Date,
            Some("time" | "partial-time") => Format::Time,
            Some("uuid") => Format::Uuid,
            Some("int64-string") => Format::IntString,
            Some("ip") => Format::Ip,
            Some("ipv4") => Format::Ipv4,
            Some("ipv6") => Format::Ipv6,
            _ => Format::Plain,
        };
        let (pattern, source) = match m.get("pattern") {
            None => (None, None),
            Some(Value::String(p)) => match pattern::to_js(p, Mode::Exact) {
                Ok(js) => (Some(js), Some(p.clone())),
                Err(reason) => {
                    self.js_only(err(path, reason))?;
                    (None, Some(p.clone()))
                }
            },
            Some(_) => return Err(err(path, "`pattern` must be a string")),
        };
        Ok(Ty::Str(Str {
            format,
            min_chars: non_negative(m, "minLength", path)?,
            max_chars: non_negative(m, "maxLength", path)?,
            pattern,
            source,
        }))
    }

    fn array(&self, m: &Map<String, Value>, path: &str) -> Result<Ty, SchemaError> {
        let min = non_negative(m, "minItems", path)?;
        let max = non_negative(m, "maxItems", path)?;
        if let Some(prefix) = m.get("prefixItems") {
            let prefix = prefix.as_array().ok_or_else(|| err(path, "`prefixItems` must be an array"))?;
            let items = prefix
                .iter()
                .enumerate()
                .map(|(i, s)| self.lower(s, &format!("{path}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            let len = items.len() as u64;
            let rest = match m.get("items") {
                Some(Value::Bool(false)) => None,
                Some(schema) => Some(Box::new(self.lower(schema, &format!("{path}[…]"))?)),
                None if max == Some(len) => None,
                None => Some(Box::new(Ty::Unknown)),
            };
            if min.unwrap_or(0) < len {
                return Err(err(
                    path,
                    "tuples with optional elements (`minItems` below the `prefixItems` length) are not supported",
                ));
            }
            return Ok(Ty::Tuple(items, rest));
        }
        let item = match m.get("items") {
            Some(schema) => self.lower(schema, &format!("{path}[]"))?,
            None => Ty::Unknown,
        };
        let unique = m.get("uniqueItems") == Some(&Value::Bool(true));
        Ok(Ty::Array(Box::new(item), ArrayRules { min, max, unique }))
    }

    fn object(&self, m: &Map<String, Value>, path: &str) -> Result<Ty, SchemaError> {
        let required: BTreeSet<&str> = match m.get("required") {
            None => BTreeSet::new(),
            Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
            Some(_) => return Err(err(path, "`required` must be an array of strings")),
        };
        let mut props = Vec::new();
        if let Some(properties) = m.get("properties") {
            let properties =
                properties.as_object().ok_or_else(|| err(path, "`properties` must be an object"))?;
            for (name, schema) in properties {
                let at = prop_path(path, name);
                if name == "__proto__" {
                    self.js_only(err(
                        &at,
                        "a property named `__proto__` cannot be represented in a JavaScript object literal",
                    ))?;
                }
                let ty = self.lower(schema, &at)?;
                props.push(Prop {
                    name: name.clone(),
                    ty,
                    optional: !required.contains(name.as_str()),
                    default: schema.get("default").cloned(),
                    doc: schema.get("description").and_then(Value::as_str).map(str::to_owned),
                    deprecated: schema.get("deprecated") == Some(&Value::Bool(true)),
                });
            }
        }
        let mut extra = match m.get("additionalProperties") {
            None | Some(Value::Bool(true)) => Extra::Allow,
            Some(Value::Bool(false)) => Extra::Deny,
            Some(schema) => Extra::Schema(Box::new(self.lower(schema, &format!("{path}[key]"))?)),
        };
        if m.get("unevaluatedProperties") == Some(&Value::Bool(false)) && extra == Extra::Allow {
            extra = Extra::Deny;
        }
        if let Some(pattern_props) =
            m.get("patternProperties").and_then(Value::as_object).filter(|p| !p.is_empty())
        {
            let mut entries = pattern_props.iter();
            let (Some((key_pattern, schema)), None, true) =
                (entries.next(), entries.next(), props.is_empty())
            else {
                return Err(err(path, "`patternProperties` is supported only as the sole key rule of a map"));
            };
            let js = pattern::to_js(key_pattern, Mode::MapKey).map_err(|reason| err(path, reason))?;
            // The translation is in the subset both engines read alike (a
            // map key's `\d` became `[0-9]`): the server runs it too.
            let source = js.strip_prefix('/').and_then(|j| j.strip_suffix("/u")).unwrap_or(&js).to_owned();
            let value = self.lower(schema, &format!("{path}[key]"))?;
            return Ok(Ty::Record(Box::new(value), Some(KeyPattern { js, source })));
        }
        if props.is_empty() {
            match extra {
                Extra::Schema(value) => return Ok(Ty::Record(value, None)),
                Extra::Allow if !m.contains_key("properties") => {
                    return Ok(Ty::Record(Box::new(Ty::Unknown), None));
                }
                _ => {}
            }
        }
        // The input contract refuses unknown keys in every object that is
        // not a map, whatever serde would ignore (flatten, untagged enums).
        if self.side == Side::Input && extra == Extra::Allow {
            extra = Extra::Deny;
        }
        Ok(Ty::Object(Obj { props, extra }))
    }

    /// The object a `$ref` points to, for merging into an intersection.
    fn inline_object(&self, name: &str) -> Option<Obj> {
        let depth = self.inline_depth.get();
        if depth >= 8 {
            return None;
        }
        self.inline_depth.set(depth + 1);
        let lowered = self.defs.get(name).map(|schema| self.lower(schema, ""));
        self.inline_depth.set(depth);
        match lowered {
            Some(Ok(Ty::Object(obj))) => Some(obj),
            _ => None,
        }
    }

    /// All of `parts` at once: objects are merged (serde `flatten`), a union
    /// of objects is distributed over the others (a flattened enum), and
    /// anything else stays an intersection.
    fn intersect(&self, parts: Vec<Ty>) -> Ty {
        let mut flat = Vec::new();
        for part in parts {
            match part {
                Ty::Inter(members) => flat.extend(members),
                Ty::Unknown => {}
                other => flat.push(other),
            }
        }
        if flat.contains(&Ty::Never) {
            return Ty::Never;
        }
        if flat.len() <= 1 {
            return flat.pop().unwrap_or(Ty::Unknown);
        }
        let resolved: Vec<Ty> = flat
            .iter()
            .map(|t| match t {
                Ty::Ref(name) => self.inline_object(name).map(Ty::Object).unwrap_or_else(|| t.clone()),
                other => other.clone(),
            })
            .collect();
        let mergeable = resolved.iter().all(|t| match t {
            Ty::Object(_) => true,
            Ty::Union(members) => members.iter().all(|m| matches!(m, Ty::Object(_))),
            _ => false,
        });
        if !mergeable {
            return Ty::Inter(flat);
        }
        let mut acc: Vec<Obj> = Vec::new();
        for part in resolved {
            let options: Vec<Obj> = match part {
                Ty::Object(o) => vec![o],
                Ty::Union(members) => members
                    .into_iter()
                    .filter_map(|m| match m {
                        Ty::Object(o) => Some(o),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            if acc.is_empty() {
                acc = options;
                continue;
            }
            if acc.len() * options.len() > 64 {
                return Ty::Inter(flat);
            }
            acc = acc.iter().flat_map(|a| options.iter().map(move |b| self.merge(a, b))).collect();
        }
        if acc.len() == 1 {
            acc.pop().map(Ty::Object).unwrap_or(Ty::Never)
        } else {
            union(acc.into_iter().map(Ty::Object).collect())
        }
    }

    fn merge(&self, a: &Obj, b: &Obj) -> Obj {
        let mut props = a.props.clone();
        for prop in &b.props {
            match props.iter_mut().find(|p| p.name == prop.name) {
                Some(existing) => {
                    if existing.ty != prop.ty {
                        existing.ty = self.intersect(vec![existing.ty.clone(), prop.ty.clone()]);
                    }
                    existing.optional = existing.optional && prop.optional;
                    if existing.doc.is_none() {
                        existing.doc.clone_from(&prop.doc);
                    }
                }
                None => props.push(prop.clone()),
            }
        }
        let extra = match (&a.extra, &b.extra) {
            (Extra::Deny, _) | (_, Extra::Deny) => Extra::Deny,
            (Extra::Schema(x), Extra::Allow) | (Extra::Allow, Extra::Schema(x)) => Extra::Schema(x.clone()),
            (Extra::Schema(x), Extra::Schema(y)) if x == y => Extra::Schema(x.clone()),
            _ => Extra::Allow,
        };
        Obj { props, extra }
    }
}

impl Lowerer<'_> {
    fn integer(&self, m: &Map<String, Value>, path: &str) -> Result<Ty, SchemaError> {
        let format = m.get("format").and_then(Value::as_str);
        let (mut lo, mut hi): (i128, i128) = match format {
            Some("int8") => (i8::MIN.into(), i8::MAX.into()),
            Some("int16") => (i16::MIN.into(), i16::MAX.into()),
            Some("int32") => (i32::MIN.into(), i32::MAX.into()),
            Some("int64" | "int") => (i64::MIN.into(), i64::MAX.into()),
            Some("uint8") => (0, u8::MAX.into()),
            Some("uint16") => (0, u16::MAX.into()),
            Some("uint32") => (0, u32::MAX.into()),
            Some("uint64" | "uint") => (0, u64::MAX.into()),
            Some("uint128") => (0, i128::MAX),
            _ => (i128::MIN, i128::MAX),
        };
        // A bound as a whole number: `ceil` for lower bounds, `floor` for
        // upper ones (saturating: past i128 it binds nothing).
        #[allow(clippy::cast_possible_truncation)]
        let whole = |x: f64| x as i128;
        if let Some(x) = as_f64(&number(m, "minimum", path)?) {
            lo = lo.max(whole(x.ceil()));
        }
        if let Some(x) = as_f64(&number(m, "exclusiveMinimum", path)?) {
            lo = lo.max(whole(x.floor()).saturating_add(1));
        }
        if let Some(x) = as_f64(&number(m, "maximum", path)?) {
            hi = hi.min(whole(x.floor()));
        }
        if let Some(x) = as_f64(&number(m, "exclusiveMaximum", path)?) {
            hi = hi.min(whole(x.ceil()).saturating_sub(1));
        }
        const SAFE: i128 = 9_007_199_254_740_991;
        if lo < -SAFE || hi > SAFE {
            let what = match format {
                Some(f) => format!("an integer with `format: {f}`"),
                None => "an integer without a `format`".to_owned(),
            };
            self.js_only(err(
                path,
                format!(
                    "{what} may exceed ±(2^53 − 1) = ±9007199254740991 and would silently lose precision as a JSON number in JavaScript; use mizan's string id type (`\"format\": \"int64-string\"`) or bound it with `minimum` and `maximum` (garde `range`) inside ±9007199254740991"
                ),
            ))?;
        }
        if lo > hi {
            return Err(err(path, "an integer range that admits no value"));
        }
        Ok(Ty::Num(Num::Int { min: lo, max: hi }))
    }

    fn literals(&self, values: &[Value], path: &str) -> Result<Ty, SchemaError> {
        let mut lits = Vec::new();
        let mut nullable = false;
        for value in values {
            match value {
                Value::Null => nullable = true,
                Value::Bool(b) => lits.push(Lit::Bool(*b)),
                Value::String(s) => lits.push(Lit::Str(s.clone())),
                Value::Number(n) => {
                    if n.as_f64().is_none_or(|f| f.fract() == 0.0 && f.abs() > MAX_SAFE) {
                        self.js_only(err(
                        path,
                        format!(
                            "the literal {n} is beyond ±(2^53 − 1) and cannot be represented exactly in JavaScript"
                        ),
                    ))?;
                    }
                    lits.push(Lit::Num(n.clone()));
                }
                _ => return Err(err(path, "object and array literals in `const`/`enum` are not supported")),
            }
        }
        let mut members = Vec::new();
        if !lits.is_empty() {
            members.push(Ty::Lit(lits));
        }
        if nullable {
            members.push(Ty::Null);
        }
        Ok(union(members))
    }
}

/// A number; `format: float` (an `f32`) is bounded by ±[`F32_MAX`], so a
/// finite JSON number the `f32` cannot hold is `too_big` / `too_small`
/// rather than infinity.
fn float(m: &Map<String, Value>, path: &str) -> Result<Ty, SchemaError> {
    let mut min = number(m, "minimum", path)?;
    let mut max = number(m, "maximum", path)?;
    if m.get("format").and_then(Value::as_str) == Some("float") {
        let bound = |n: f64| Number::from_f64(n);
        if as_f64(&min).is_none_or(|x| x < -F32_MAX) {
            min = bound(-F32_MAX);
        }
        if as_f64(&max).is_none_or(|x| x > F32_MAX) {
            max = bound(F32_MAX);
        }
    }
    Ok(Ty::Num(Num::Float {
        min,
        max,
        exclusive_min: number(m, "exclusiveMinimum", path)?,
        exclusive_max: number(m, "exclusiveMaximum", path)?,
        multiple_of: number(m, "multipleOf", path)?,
    }))
}

/// A normalized union: nested unions flattened, duplicates and `never`
/// removed, literals gathered, `unknown` absorbing.
pub(super) fn union(members: Vec<Ty>) -> Ty {
    let mut flat: Vec<Ty> = Vec::new();
    let mut stack: Vec<Ty> = members.into_iter().rev().collect();
    while let Some(member) = stack.pop() {
        match member {
            Ty::Union(inner) => stack.extend(inner.into_iter().rev()),
            Ty::Unknown => return Ty::Unknown,
            Ty::Never => {}
            Ty::Lit(values) => {
                if let Some(Ty::Lit(existing)) = flat.iter_mut().find(|m| matches!(m, Ty::Lit(_))) {
                    for v in values {
                        if !existing.contains(&v) {
                            existing.push(v);
                        }
                    }
                } else {
                    flat.push(Ty::Lit(values));
                }
            }
            other => {
                if !flat.contains(&other) {
                    flat.push(other);
                }
            }
        }
    }
    match flat.len() {
        0 => Ty::Never,
        1 => flat.pop().unwrap_or(Ty::Never),
        _ => Ty::Union(flat),
    }
}
