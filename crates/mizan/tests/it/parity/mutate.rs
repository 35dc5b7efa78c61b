//! Inputs made from a manifest alone: for each function, a valid input
//! built from its input schema (every optional property present, so every
//! rule is reachable), then one copy per constraint keyword at every depth
//! with only that spot broken, and the issue that spot must raise. Nothing
//! is hand-picked: the schema says what to break.
//!
//! Shared by the parity tests and hello's contract test (which includes
//! this file by path), so it names nothing else of either.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use mizan_manifest::schema::{Extra, F32_MAX, Format, Lit, Lowerer, MAX_SAFE, Num, Side, Str, Ty};
use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::{Map, Value, json};

use super::zod::{self, Verdict, render};

/// One function's inputs.
pub(crate) struct Plan {
    pub(crate) func: String,
    /// A valid input.
    pub(crate) base: Value,
    pub(crate) mutations: Vec<Mutation>,
}

/// The valid input with one spot broken.
pub(crate) struct Mutation {
    pub(crate) label: String,
    pub(crate) body: Value,
    /// The issue both sides must report (among any others, the same on both).
    pub(crate) path: String,
    pub(crate) code: &'static str,
}

/// Deeper than this, recursive types are built with required properties only.
const DEPTH: usize = 6;

/// A plan per function of `manifest` (JSON, as served).
pub(crate) fn plans(manifest: &Value) -> Vec<Plan> {
    manifest["functions"]
        .as_array()
        .expect("functions")
        .iter()
        // A form's `validate` answers field errors as data; `submit` shares its gate.
        .filter(|f| !f["name"].as_str().is_some_and(|n| n.ends_with(".validate")))
        // A function that takes files is called with multipart, never JSON:
        // its `args` part goes through the same contract (tested on its own).
        .filter(|f| f.get("upload").is_none_or(Value::is_null))
        .map(|f| plan(manifest, f["name"].as_str().expect("name"), &f["input"]))
        .collect()
}

/// The plan of one input-side `schema` of `manifest` (a function's input,
/// a channel's params or client message), named `name`.
pub(crate) fn plan(manifest: &Value, name: &str, schema: &Value) -> Plan {
    let empty = Map::new();
    let defs = manifest["input_defs"].as_object().unwrap_or(&empty);
    let lowerer = Lowerer::new(Side::Input, defs);
    let lowered: BTreeMap<String, Ty> = defs
        .iter()
        .map(|(k, s)| (k.clone(), lowerer.lower(s, "").unwrap_or_else(|e| panic!("def {k}: {}", e.reason))))
        .collect();
    let builder = Gen { defs: &lowered };
    let ty = lowerer.lower(schema, "").unwrap_or_else(|e| panic!("{name}: {}", e.reason));
    let base = builder.valid(&ty, 0).unwrap_or_else(|| panic!("{name}: no valid input could be built"));
    let mut mutations = Vec::new();
    builder.walk(&ty, &base, &[], 0, &mut mutations);
    Plan { func: name.to_owned(), base, mutations }
}

/// Runs `plans` against a server at `base` (its API prefix) and the
/// generated Zod in `generated`; `bearer` is sent with every call. Returns
/// the disagreements, and how many inputs were judged.
pub(crate) async fn judge(
    root: &Path,
    generated: &Path,
    work: &Path,
    base: &str,
    bearer: Option<&str>,
    plans: &[Plan],
) -> (String, usize) {
    let mut inputs = Vec::new();
    for p in plans {
        inputs.push((zod::input_schema(&p.func), p.base.to_string()));
        for m in &p.mutations {
            inputs.push((zod::input_schema(&p.func), m.body.to_string()));
        }
    }
    let answers = zod::zod_answers(root, generated, work, &inputs);
    let mut answers = answers.iter();
    let client = reqwest::Client::new();
    let mut report = String::new();
    let mut judged = 0;
    for p in plans {
        let body = p.base.to_string();
        let zod = zod::zod_verdict(Some(&p.base), answers.next().expect("an answer"));
        let (server, _) = zod::server_verdict(&client, base, &p.func, &body, bearer).await;
        judged += 1;
        // A valid input may still be refused past validation (wrong credentials).
        let server_accepts = !matches!(server, Verdict::Issues(_) | Verdict::BadRequest);
        if zod != Verdict::Ok || !server_accepts {
            let _ = writeln!(
                report,
                "{}: the built input is not valid\n    body:   {body}\n    server: {}\n    zod:    {}",
                p.func,
                render(&server),
                render(&zod)
            );
        }
        for m in &p.mutations {
            let body = m.body.to_string();
            let zod = zod::zod_verdict(Some(&m.body), answers.next().expect("an answer"));
            let (server, twice) = zod::server_verdict(&client, base, &p.func, &body, bearer).await;
            judged += 1;
            let expected = (m.path.clone(), m.code.to_owned());
            let why = match (&server, &zod) {
                (Verdict::Issues(s), Verdict::Issues(z)) if s != z => Some("the issues differ".to_owned()),
                (Verdict::Issues(s), _) if !s.contains(&expected) => {
                    Some(format!("expected {}@{}", expected.1, expected.0))
                }
                (Verdict::Issues(_), Verdict::Issues(_)) => twice,
                _ => Some("both sides must refuse it".to_owned()),
            };
            if let Some(why) = why {
                let _ = writeln!(
                    report,
                    "{} / {}: {why}\n    body:   {body}\n    server: {}\n    zod:    {}",
                    p.func,
                    m.label,
                    render(&server),
                    render(&zod)
                );
            }
        }
    }
    (report, judged)
}

struct Gen<'a> {
    defs: &'a BTreeMap<String, Ty>,
}

fn join(path: &[Value]) -> String {
    path.iter().map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned)).collect::<Vec<_>>().join(".")
}

/// `whole` with `value` at `path` (`None` removes the key there).
fn with(whole: &Value, path: &[Value], value: Option<Value>) -> Value {
    let mut out = whole.clone();
    let Some((last, parent)) = path.split_last() else { return value.unwrap_or(Value::Null) };
    let mut node = &mut out;
    for seg in parent {
        node = match seg {
            Value::String(k) => &mut node[k.as_str()],
            Value::Number(i) => &mut node[i.as_u64().unwrap_or(0) as usize],
            _ => unreachable!("paths are keys and indices"),
        };
    }
    match (last, value) {
        (Value::String(k), Some(v)) => node[k.as_str()] = v,
        (Value::String(k), None) => {
            node.as_object_mut().map(|o| o.remove(k));
        }
        (Value::Number(i), Some(v)) => node[i.as_u64().unwrap_or(0) as usize] = v,
        (Value::Number(i), None) => {
            node.as_array_mut().map(|a| a.remove(i.as_u64().unwrap_or(0) as usize));
        }
        _ => {}
    }
    out
}

fn at(whole: &Value, path: &[Value]) -> Value {
    path.iter()
        .fold(whole, |node, seg| match seg {
            Value::String(k) => &node[k.as_str()],
            Value::Number(i) => &node[i.as_u64().unwrap_or(0) as usize],
            _ => node,
        })
        .clone()
}

fn child(path: &[Value], seg: impl Into<Value>) -> Vec<Value> {
    let mut p = path.to_vec();
    p.push(seg.into());
    p
}

fn lit(l: &Lit) -> Value {
    match l {
        Lit::Str(s) => json!(s),
        Lit::Num(n) => Value::Number(n.clone()),
        Lit::Bool(b) => json!(b),
    }
}

/// A string matching `source` (Rust regex syntax): the first way through.
fn sample(source: &str) -> String {
    fn go(h: &Hir, out: &mut String) {
        match h.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(l) => out.push_str(&String::from_utf8_lossy(&l.0)),
            HirKind::Class(Class::Unicode(c)) => {
                let ranges = c.ranges();
                let nice = ['a', 'A', '0']
                    .into_iter()
                    .find(|ch| ranges.iter().any(|r| r.start() <= *ch && *ch <= r.end()));
                out.push(nice.unwrap_or_else(|| ranges.first().map_or('a', |r| r.start())));
            }
            HirKind::Class(Class::Bytes(c)) => {
                out.push(c.ranges().first().map_or('a', |r| char::from(r.start())))
            }
            HirKind::Repetition(r) => {
                let n = r.min.max(1).min(r.max.unwrap_or(u32::MAX));
                for _ in 0..n {
                    go(&r.sub, out);
                }
            }
            HirKind::Capture(c) => go(&c.sub, out),
            HirKind::Concat(hs) => hs.iter().for_each(|h| go(h, out)),
            HirKind::Alternation(hs) => {
                if let Some(h) = hs.first() {
                    go(h, out);
                }
            }
        }
    }
    let hir = regex_syntax::parse(source).unwrap_or_else(|e| panic!("pattern {source:?}: {e}"));
    let mut out = String::new();
    go(&hir, &mut out);
    let re = regex::Regex::new(source).expect("the pattern compiles");
    assert!(re.is_match(&out), "the sample {out:?} does not match {source:?}");
    out
}

fn valid_string(s: &Str) -> String {
    let by_format = match s.format {
        Format::Plain => None,
        Format::Email => Some("a@b.co"),
        Format::Uri => Some("https://example.com/"),
        Format::DateTime => Some("2024-01-02T03:04:05Z"),
        Format::LocalDateTime => Some("2024-01-02T03:04:05"),
        Format::Date => Some("2024-01-02"),
        Format::Time => Some("03:04:05"),
        Format::Uuid => Some("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
        Format::IntString => Some("42"),
        Format::Ip | Format::Ipv4 => Some("127.0.0.1"),
        Format::Ipv6 => Some("::1"),
    };
    if let Some(text) = by_format {
        return text.to_owned();
    }
    if let Some(source) = &s.source {
        return sample(source);
    }
    let n = s.min_chars.unwrap_or(1).max(1).min(s.max_chars.unwrap_or(u64::MAX));
    "a".repeat(n as usize)
}

/// A string `format` refuses.
fn bad_format(format: Format) -> Option<&'static str> {
    Some(match format {
        Format::Plain => return None,
        Format::Email => "a@",
        Format::Uri => "no url",
        Format::DateTime => "2024-13-01T00:00:00Z",
        Format::LocalDateTime => "2024-01-01 00:00",
        Format::Date => "2023-02-29",
        Format::Time => "25:00",
        Format::Uuid => "a0eebc99",
        Format::IntString => "1.5",
        Format::Ip => "1.2.3",
        Format::Ipv4 => "::1",
        Format::Ipv6 => "1.2.3.4",
    })
}

impl Gen<'_> {
    fn resolve<'t>(&'t self, ty: &'t Ty) -> &'t Ty {
        match ty {
            Ty::Ref(name) => self.defs.get(name).map_or(ty, |t| self.resolve(t)),
            other => other,
        }
    }

    /// A valid value of `ty`.
    fn valid(&self, ty: &Ty, depth: usize) -> Option<Value> {
        if depth > DEPTH * 2 {
            return None;
        }
        Some(match self.resolve(ty) {
            Ty::Unknown | Ty::Null => Value::Null,
            Ty::Never | Ty::Inter(_) | Ty::Ref(_) => return None,
            Ty::Bool => json!(true),
            Ty::Str(s) => json!(valid_string(s)),
            Ty::Num(Num::Int { min, max }) => json!(1.clamp(*min, *max) as i64),
            Ty::Num(Num::Float { min, max, exclusive_min, exclusive_max, .. }) => {
                let f = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
                let lo = f(min).or(f(exclusive_min).map(|x| x + 0.5)).unwrap_or(1.5);
                let hi = f(max).or(f(exclusive_max).map(|x| x - 0.5)).unwrap_or(f64::MAX);
                json!(if (lo..=hi).contains(&1.5) { 1.5 } else { lo.min(hi) })
            }
            Ty::Lit(values) => lit(values.first()?),
            Ty::Array(item, rules) => {
                let n = if depth > DEPTH { rules.min.unwrap_or(0) } else { rules.min.unwrap_or(1).max(1) };
                let n = n.min(rules.max.unwrap_or(u64::MAX));
                let one = if n > 0 { self.valid(item, depth + 1)? } else { Value::Null };
                Value::Array((0..n).map(|_| one.clone()).collect())
            }
            Ty::Tuple(items, _) => {
                Value::Array(items.iter().map(|t| self.valid(t, depth + 1)).collect::<Option<_>>()?)
            }
            Ty::Record(value, key) => {
                let key = key.as_ref().map_or_else(|| "k".to_owned(), |k| sample(&k.source));
                json!({ key: self.valid(value, depth + 1)? })
            }
            Ty::Object(obj) => {
                let mut map = Map::new();
                for p in &obj.props {
                    if p.optional && depth > DEPTH {
                        continue;
                    }
                    match self.valid(&p.ty, depth + 1) {
                        Some(v) => {
                            map.insert(p.name.clone(), v);
                        }
                        None if p.optional => {}
                        None => return None,
                    }
                }
                Value::Object(map)
            }
            Ty::Union(members) => {
                let (others, nullable) = Ty::split_null(members);
                match others.iter().find_map(|m| self.valid(m, depth + 1)) {
                    Some(v) => v,
                    None if nullable => Value::Null,
                    None => return None,
                }
            }
        })
    }

    fn push(
        &self,
        out: &mut Vec<Mutation>,
        whole: &Value,
        path: &[Value],
        value: Option<Value>,
        what: &str,
        expect: (Vec<Value>, &'static str),
    ) {
        let label = format!("{} {what}", if path.is_empty() { "(input)".to_owned() } else { join(path) });
        out.push(Mutation { label, body: with(whole, path, value), path: join(&expect.0), code: expect.1 });
    }

    /// Every single-spot breakage of the value at `path` in `whole` (a
    /// valid value of `ty`), and those inside it.
    fn walk(&self, ty: &Ty, whole: &Value, path: &[Value], depth: usize, out: &mut Vec<Mutation>) {
        if depth > DEPTH {
            return;
        }
        let here = || path.to_vec();
        match self.resolve(ty) {
            Ty::Unknown | Ty::Never | Ty::Inter(_) | Ty::Ref(_) => {}
            Ty::Null => {
                self.push(out, whole, path, Some(json!(1)), "= 1 (not null)", (here(), "invalid_type"))
            }
            Ty::Bool => {
                self.push(out, whole, path, Some(json!("yes")), "= \"yes\"", (here(), "invalid_type"))
            }
            Ty::Str(s) => {
                self.push(
                    out,
                    whole,
                    path,
                    Some(json!(12345)),
                    "= 12345 (not a string)",
                    (here(), "invalid_type"),
                );
                if let Some(min) = s.min_chars.filter(|&m| m > 0) {
                    let short = "é".repeat(min as usize - 1);
                    self.push(
                        out,
                        whole,
                        path,
                        Some(json!(short)),
                        "under minLength (code points)",
                        (here(), "too_small"),
                    );
                }
                if let Some(max) = s.max_chars {
                    let long = "é".repeat(max as usize + 1);
                    self.push(
                        out,
                        whole,
                        path,
                        Some(json!(long)),
                        "over maxLength (code points)",
                        (here(), "too_big"),
                    );
                }
                if let Some(source) = &s.source {
                    let re = regex::Regex::new(source).expect("the pattern compiles");
                    if let Some(bad) =
                        ["!", "", "\u{0}", "zz-zz-zz", "€€"].into_iter().find(|c| !re.is_match(c))
                    {
                        self.push(
                            out,
                            whole,
                            path,
                            Some(json!(bad)),
                            "breaks its pattern",
                            (here(), "invalid_format"),
                        );
                    }
                }
                if let Some(bad) = bad_format(s.format) {
                    self.push(
                        out,
                        whole,
                        path,
                        Some(json!(bad)),
                        "breaks its format",
                        (here(), "invalid_format"),
                    );
                }
            }
            Ty::Num(Num::Int { min, max }) => {
                self.push(
                    out,
                    whole,
                    path,
                    Some(json!("1")),
                    "= \"1\" (not a number)",
                    (here(), "invalid_type"),
                );
                self.push(
                    out,
                    whole,
                    path,
                    Some(json!(1.5)),
                    "= 1.5 (not an integer)",
                    (here(), "invalid_type"),
                );
                #[allow(clippy::cast_precision_loss)]
                if (*min as f64) > -MAX_SAFE {
                    self.push(
                        out,
                        whole,
                        path,
                        Some(json!(*min as i64 - 1)),
                        "under its minimum",
                        (here(), "too_small"),
                    );
                }
                #[allow(clippy::cast_precision_loss)]
                if (*max as f64) < MAX_SAFE {
                    self.push(
                        out,
                        whole,
                        path,
                        Some(json!(*max as i64 + 1)),
                        "over its maximum",
                        (here(), "too_big"),
                    );
                }
            }
            Ty::Num(Num::Float { min, max, exclusive_min, exclusive_max, .. }) => {
                let f = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
                let beyond = |x: f64, dir: f64| if x.abs() >= F32_MAX { x * 1.5 } else { x + dir };
                self.push(
                    out,
                    whole,
                    path,
                    Some(json!("1")),
                    "= \"1\" (not a number)",
                    (here(), "invalid_type"),
                );
                if let Some(x) = f(min) {
                    self.push(
                        out,
                        whole,
                        path,
                        Some(json!(beyond(x, -1.0))),
                        "under its minimum",
                        (here(), "too_small"),
                    );
                }
                if let Some(x) = f(exclusive_min) {
                    self.push(
                        out,
                        whole,
                        path,
                        Some(json!(x)),
                        "at its exclusive minimum",
                        (here(), "too_small"),
                    );
                }
                if let Some(x) = f(max) {
                    self.push(
                        out,
                        whole,
                        path,
                        Some(json!(beyond(x, 1.0))),
                        "over its maximum",
                        (here(), "too_big"),
                    );
                }
                if let Some(x) = f(exclusive_max) {
                    self.push(
                        out,
                        whole,
                        path,
                        Some(json!(x)),
                        "at its exclusive maximum",
                        (here(), "too_big"),
                    );
                }
            }
            Ty::Lit(_) => {
                self.push(
                    out,
                    whole,
                    path,
                    Some(json!("__none__")),
                    "= a value it does not list",
                    (here(), "invalid_value"),
                );
            }
            Ty::Array(item, rules) => {
                let items = at(whole, path).as_array().cloned().unwrap_or_default();
                self.push(out, whole, path, Some(json!({})), "= {} (not an array)", (here(), "invalid_type"));
                if let Some(min) = rules.min.filter(|&m| m > 0) {
                    let fewer: Vec<Value> = items.iter().take(min as usize - 1).cloned().collect();
                    self.push(out, whole, path, Some(json!(fewer)), "under minItems", (here(), "too_small"));
                }
                if let (Some(max), Some(one)) = (rules.max, items.first()) {
                    let more: Vec<Value> = (0..=max).map(|_| one.clone()).collect();
                    self.push(out, whole, path, Some(json!(more)), "over maxItems", (here(), "too_big"));
                }
                if !items.is_empty() {
                    self.walk(item, whole, &child(path, 0), depth + 1, out);
                }
            }
            Ty::Tuple(items, rest) => {
                let values = at(whole, path).as_array().cloned().unwrap_or_default();
                if rest.is_none() && !values.is_empty() {
                    let shorter = values[..values.len() - 1].to_vec();
                    self.push(
                        out,
                        whole,
                        path,
                        Some(json!(shorter)),
                        "one item short",
                        (here(), "too_small"),
                    );
                }
                for (i, t) in items.iter().enumerate() {
                    self.walk(t, whole, &child(path, i), depth + 1, out);
                }
            }
            Ty::Record(value, key) => {
                self.push(out, whole, path, Some(json!([])), "= [] (not a map)", (here(), "invalid_type"));
                let current = at(whole, path);
                if let (Some(k), Some((first, v))) = (key, current.as_object().and_then(|m| m.iter().next()))
                {
                    let re = regex::Regex::new(&k.source).expect("the key pattern compiles");
                    if let Some(bad) = ["x!", "", "-"].into_iter().find(|c| !re.is_match(c)) {
                        let mut map = current.as_object().cloned().unwrap_or_default();
                        map.insert(bad.to_owned(), v.clone());
                        let _ = first;
                        self.push(
                            out,
                            whole,
                            path,
                            Some(Value::Object(map)),
                            "with a key its pattern refuses",
                            (child(path, bad), "invalid_format"),
                        );
                    }
                }
                if let Some(first) = current.as_object().and_then(|m| m.keys().next()).cloned() {
                    self.walk(value, whole, &child(path, first), depth + 1, out);
                }
            }
            Ty::Object(obj) => {
                // A body that is not an object is a protocol error (400), not an issue.
                if !path.is_empty() {
                    self.push(
                        out,
                        whole,
                        path,
                        Some(json!(7)),
                        "= 7 (not an object)",
                        (here(), "invalid_type"),
                    );
                }
                for p in &obj.props {
                    if !p.optional {
                        let missing = child(path, p.name.as_str());
                        self.push(out, whole, &missing, None, "missing", (missing.clone(), "required"));
                    }
                }
                if obj.extra == Extra::Deny {
                    let unknown = child(path, "__unknown__");
                    self.push(
                        out,
                        whole,
                        &unknown,
                        Some(json!(1)),
                        "(an unknown key)",
                        (unknown.clone(), "unknown_key"),
                    );
                }
                let current = at(whole, path);
                for p in &obj.props {
                    if current.get(&p.name).is_some() {
                        self.walk(&p.ty, whole, &child(path, p.name.as_str()), depth + 1, out);
                    }
                }
            }
            Ty::Union(members) => {
                let (others, _) = Ty::split_null(members);
                if others.len() < 2 {
                    if let Some(one) = others.first() {
                        let value = at(whole, path);
                        let whole = if value.is_null() {
                            with(whole, path, self.valid(one, depth + 1))
                        } else {
                            whole.clone()
                        };
                        self.walk(one, &whole, path, depth, out);
                    }
                    return;
                }
                self.push(
                    out,
                    whole,
                    path,
                    Some(json!({"__nope__": [1]})),
                    "matches no variant",
                    (here(), "invalid_value"),
                );
                // Untagged: any breakage is no variant at all (or another one).
                let Some(selector) = Ty::selector(&others) else { return };
                for (i, member) in others.iter().enumerate() {
                    let Some(value) = self.valid(member, depth + 1) else { continue };
                    let whole = with(whole, path, Some(value));
                    // A selected variant: its own issues, at their own paths;
                    // a breakage that selects no variant is one invalid_value here.
                    let mut inner = Vec::new();
                    self.walk(member, &whole, path, depth + 1, &mut inner);
                    for mut m in inner {
                        if selector.pick(&at(&m.body, path)) != Some(i) {
                            m.path = join(path);
                            m.code = "invalid_value";
                        }
                        out.push(m);
                    }
                }
            }
        }
    }
}
