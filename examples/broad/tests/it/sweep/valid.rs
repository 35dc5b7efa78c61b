//! Random valid values of a lowered input type ([`Ty`], the one both sides
//! enforce): strings at and between their length bounds in code points of
//! every width, patterns sampled with `rand_regex`, emails, URLs and IP
//! addresses built by their grammars, integers and floats at and between
//! their bounds, every union member, optional properties present or not.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use mizan_manifest::schema::{Format, Lit, Num, Obj, Str, Ty};
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use regex_syntax::hir::{Hir, HirKind};
use serde_json::{Map, Number, Value, json};

/// Past this depth, values are built as small as their type allows (recursive types end).
pub(super) const DEPTH: usize = 5;

/// Code points strings are made of: ASCII, two- and three-byte, astral
/// (two UTF-16 units), a combining mark, joiners, controls, quotes.
pub(super) const CODE_POINTS: &[char] = &[
    'a', 'Z', '0', ' ', '-', '_', '.', 'é', 'ß', 'ж', '中', '😀', '𝄞', '\u{301}', '\u{200d}', '\u{feff}',
    '\n', '"', '\\', '\u{0}', '\u{7f}', '\u{2028}', '\u{fffd}',
];

/// The input types of one app: its lowered definitions and the pattern
/// samplers made from them.
pub(super) struct Types {
    pub(super) defs: BTreeMap<String, Ty>,
    samplers: RefCell<HashMap<String, Option<rand_regex::Regex>>>,
    patterns: RefCell<HashMap<String, Option<regex::Regex>>>,
}

/// `hir` with its assertions (`^`, `$`, `\b`) made empty: rand_regex
/// samples no assertions, and the result is checked against the real
/// pattern anyway.
fn without_looks(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Look(_) => Hir::empty(),
        HirKind::Repetition(r) => {
            let mut r = r.clone();
            r.sub = Box::new(without_looks(&r.sub));
            Hir::repetition(r)
        }
        HirKind::Capture(c) => {
            let mut c = c.clone();
            c.sub = Box::new(without_looks(&c.sub));
            Hir::capture(c)
        }
        HirKind::Concat(hs) => Hir::concat(hs.iter().map(without_looks).collect()),
        HirKind::Alternation(hs) => Hir::alternation(hs.iter().map(without_looks).collect()),
        _ => hir.clone(),
    }
}

impl Types {
    pub(super) fn new(defs: BTreeMap<String, Ty>) -> Self {
        Self { defs, samplers: RefCell::new(HashMap::new()), patterns: RefCell::new(HashMap::new()) }
    }

    pub(super) fn resolve<'t>(&'t self, ty: &'t Ty) -> &'t Ty {
        let mut ty = ty;
        for _ in 0..64 {
            match ty {
                Ty::Ref(name) => match self.defs.get(name) {
                    Some(t) => ty = t,
                    None => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }

    /// Whether `text` matches `source` (Rust regex syntax), compiled once.
    pub(super) fn matches(&self, source: &str, text: &str) -> bool {
        let mut cache = self.patterns.borrow_mut();
        let re = cache.entry(source.to_owned()).or_insert_with(|| regex::Regex::new(source).ok());
        re.as_ref().is_some_and(|re| re.is_match(text))
    }

    /// A string matching `source` (Rust regex syntax), when one is found.
    pub(super) fn sample_pattern(&self, rng: &mut ChaCha8Rng, source: &str) -> Option<String> {
        let sampler = {
            let mut cache = self.samplers.borrow_mut();
            cache
                .entry(source.to_owned())
                .or_insert_with(|| {
                    let hir = regex_syntax::parse(source).ok()?;
                    rand_regex::Regex::with_hir(without_looks(&hir), 6).ok()
                })
                .clone()?
        };
        (0..20).map(|_| rng.sample::<String, _>(&sampler)).find(|s| self.matches(source, s))
    }

    /// A valid value of `ty`, when the generator can make one.
    pub(super) fn valid(&self, rng: &mut ChaCha8Rng, ty: &Ty, depth: usize) -> Option<Value> {
        if depth > DEPTH * 3 {
            return None;
        }
        let deep = depth > DEPTH;
        Some(match self.resolve(ty) {
            Ty::Unknown => any_json(rng),
            Ty::Never | Ty::Inter(_) | Ty::Ref(_) => return None,
            Ty::Null => Value::Null,
            Ty::Bool => json!(rng.random_bool(0.5)),
            Ty::Str(s) => json!(self.string(rng, s)?),
            Ty::Num(Num::Int { min, max }) => json!(int_between(rng, *min, *max)),
            Ty::Num(Num::Float { min, max, exclusive_min, exclusive_max, .. }) => {
                let f = |n: &Option<Number>| n.as_ref().and_then(Number::as_f64);
                let lo = f(min).or(f(exclusive_min).map(|x| x + x.abs().max(1.0) * 1e-9));
                let hi = f(max).or(f(exclusive_max).map(|x| x - x.abs().max(1.0) * 1e-9));
                float(float_between(rng, lo, hi))
            }
            Ty::Lit(values) => lit(values.choose(rng)?),
            Ty::Array(item, rules) => {
                let min = rules.min.unwrap_or(0);
                let max = rules.max.unwrap_or(u64::MAX).min(min + if deep { 0 } else { 3 });
                let n = rng.random_range(min..=max.max(min));
                let items = (0..n).map(|_| self.valid(rng, item, depth + 1)).collect::<Option<Vec<_>>>()?;
                Value::Array(items)
            }
            Ty::Tuple(items, rest) => {
                let mut out =
                    items.iter().map(|t| self.valid(rng, t, depth + 1)).collect::<Option<Vec<_>>>()?;
                if let Some(rest) = rest
                    && !deep
                {
                    for _ in 0..rng.random_range(0..=2) {
                        out.push(self.valid(rng, rest, depth + 1)?);
                    }
                }
                Value::Array(out)
            }
            Ty::Record(value, key) => {
                let n = if deep { 0 } else { rng.random_range(0..=3) };
                let mut map = Map::new();
                for _ in 0..n {
                    let k = match key {
                        Some(k) => self.sample_pattern(rng, &k.source)?,
                        None => map_key(rng),
                    };
                    map.insert(k, self.valid(rng, value, depth + 1)?);
                }
                Value::Object(map)
            }
            Ty::Object(obj) => self.object(rng, obj, depth)?,
            Ty::Union(members) => {
                let (others, nullable) = Ty::split_null(members);
                if nullable && (others.is_empty() || rng.random_bool(0.2)) {
                    return Some(Value::Null);
                }
                // A member the generator can make, tried from a random one.
                let start = rng.random_range(0..others.len().max(1));
                (0..others.len())
                    .map(|i| others[(start + i) % others.len()])
                    .find_map(|m| self.valid(rng, m, depth + 1))
                    .or(nullable.then_some(Value::Null))?
            }
        })
    }

    fn object(&self, rng: &mut ChaCha8Rng, obj: &Obj, depth: usize) -> Option<Value> {
        let mut map = Map::new();
        for p in &obj.props {
            if p.optional && (depth > DEPTH || rng.random_bool(0.4)) {
                continue;
            }
            match self.valid(rng, &p.ty, depth + 1) {
                Some(v) => {
                    map.insert(p.name.clone(), v);
                }
                None if p.optional => {}
                None => return None,
            }
        }
        Some(Value::Object(map))
    }

    fn string(&self, rng: &mut ChaCha8Rng, s: &Str) -> Option<String> {
        let fits = |t: &str| {
            let n = t.chars().count() as u64;
            s.min_chars.is_none_or(|m| n >= m) && s.max_chars.is_none_or(|m| n <= m)
        };
        for _ in 0..20 {
            let text = match s.format {
                Format::Plain => match &s.source {
                    Some(source) => self.sample_pattern(rng, source)?,
                    None => plain(rng, s.min_chars, s.max_chars),
                },
                format => formatted(rng, format),
            };
            let pattern_ok = s.source.as_ref().is_none_or(|src| self.matches(src, &text));
            if fits(&text) && pattern_ok {
                return Some(text);
            }
        }
        None
    }
}

/// An integer in `[min, max]`: a bound, next to one, zero, or anywhere.
pub(super) fn int_between(rng: &mut ChaCha8Rng, min: i128, max: i128) -> i64 {
    let picks = [min, max, min.saturating_add(1).min(max), max.saturating_sub(1).max(min), 0.clamp(min, max)];
    let x =
        if rng.random_bool(0.5) { *picks.choose(rng).unwrap_or(&min) } else { rng.random_range(min..=max) };
    // Zod-target bounds are within ±(2^53 − 1).
    i64::try_from(x).unwrap_or(0)
}

/// A finite float in `[lo, hi]` (either may be open): a bound, zero, a
/// fraction, or a random magnitude.
pub(super) fn float_between(rng: &mut ChaCha8Rng, lo: Option<f64>, hi: Option<f64>) -> f64 {
    let magnitude = 10f64.powi(rng.random_range(-30..30));
    let random = rng.random_range(-1.0..1.0) * magnitude;
    let x = match rng.random_range(0..6) {
        0 => lo.unwrap_or(random),
        1 => hi.unwrap_or(random),
        2 => 0.0,
        3 => 1.5,
        4 => match (lo, hi) {
            (Some(a), Some(b)) => a + (b - a) * rng.random::<f64>(),
            _ => random,
        },
        _ => random,
    };
    x.clamp(lo.unwrap_or(f64::MIN), hi.unwrap_or(f64::MAX))
}

pub(super) fn float(x: f64) -> Value {
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

pub(super) fn lit(l: &Lit) -> Value {
    match l {
        Lit::Str(s) => json!(s),
        Lit::Num(n) => Value::Number(n.clone()),
        Lit::Bool(b) => json!(b),
    }
}

/// `n` code points from [`CODE_POINTS`].
pub(super) fn code_points(rng: &mut ChaCha8Rng, n: u64) -> String {
    (0..n).map(|_| *CODE_POINTS.choose(rng).unwrap_or(&'a')).collect()
}

/// A plain string of a length in `[min, max]` code points (a bound, often).
fn plain(rng: &mut ChaCha8Rng, min: Option<u64>, max: Option<u64>) -> String {
    let lo = min.unwrap_or(0);
    let hi = max.unwrap_or(lo + 12).max(lo);
    let n = match rng.random_range(0..3) {
        0 => lo,
        1 => hi,
        _ => rng.random_range(lo..=hi),
    };
    code_points(rng, n)
}

/// A key of a map without a key pattern.
pub(super) fn map_key(rng: &mut ChaCha8Rng) -> String {
    if rng.random_bool(0.1) {
        return ["", "__proto__", "constructor", "toString", "0", "-1"]
            .choose(rng)
            .copied()
            .unwrap_or("")
            .to_owned();
    }
    let n = rng.random_range(0..5);
    code_points(rng, n)
}

/// Any small JSON value.
pub(super) fn any_json(rng: &mut ChaCha8Rng) -> Value {
    match rng.random_range(0..7) {
        0 => Value::Null,
        1 => json!(rng.random_bool(0.5)),
        2 => json!(rng.random_range(-1000..1000)),
        3 => float(rng.random_range(-1e6..1e6)),
        4 => json!(code_points(rng, 3)),
        5 => json!([1, "a", null]),
        _ => json!({"k": [true]}),
    }
}

const EMAIL_LOCAL: &[u8] = b"abcxyzABCXYZ0189.!#$%&'*+/=?^_`{|}~-";

fn hex_group(rng: &mut ChaCha8Rng) -> String {
    let digits = rng.random_range(1..=4);
    let n: u32 = rng.random_range(0..16u32.pow(digits));
    let text = format!("{n:0digits$x}", digits = digits as usize);
    if rng.random_bool(0.2) { text.to_uppercase() } else { text }
}

/// An IPv4 address in dotted decimal.
pub(super) fn ipv4(rng: &mut ChaCha8Rng) -> String {
    let octet = |rng: &mut ChaCha8Rng| -> u8 {
        *[0u8, 1, 9, 10, 99, 100, 199, 200, 249, 250, 255, rng.random()].choose(rng).unwrap_or(&0)
    };
    format!("{}.{}.{}.{}", octet(rng), octet(rng), octet(rng), octet(rng))
}

/// An IPv6 address: eight groups, a run of them compressed to `::` or
/// not, the last two as IPv4 or not.
pub(super) fn ipv6(rng: &mut ChaCha8Rng) -> String {
    let v4_tail = rng.random_bool(0.2);
    let count = if v4_tail { 6 } else { 8 };
    let groups: Vec<String> = (0..count).map(|_| hex_group(rng)).collect();
    let tail = if v4_tail { Some(ipv4(rng)) } else { None };
    let mut text = if rng.random_bool(0.6) {
        let start = rng.random_range(0..=count);
        let end = rng.random_range(start..=count);
        let (head, rest) = groups.split_at(start);
        let rest = &rest[end - start..];
        // `::` stands for one or more groups of zeros, never none.
        if end > start { format!("{}::{}", head.join(":"), rest.join(":")) } else { groups.join(":") }
    } else {
        groups.join(":")
    };
    if let Some(tail) = tail {
        if !text.ends_with(':') {
            text.push(':');
        }
        text.push_str(&tail);
    }
    text
}

/// DNS labels; the last starts with a letter (a URL host ending in a
/// number is read as an IPv4 address).
fn domain(rng: &mut ChaCha8Rng) -> String {
    let labels = rng.random_range(1..=3);
    (0..labels)
        .map(|label| {
            let n = rng.random_range(1..=6);
            (0..n)
                .map(|i| {
                    let set: &[u8] = match (i, label == labels - 1) {
                        (0, true) => b"abzAZ",
                        _ if i == 0 || i == n - 1 => b"abz09AZ",
                        _ => b"abz09AZ-",
                    };
                    char::from(*set.choose(rng).unwrap_or(&b'a'))
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// A valid value of a checked string format.
fn formatted(rng: &mut ChaCha8Rng, format: Format) -> String {
    match format {
        Format::Plain => String::new(),
        Format::Email => {
            let n = rng.random_range(1..=10);
            let local: String =
                (0..n).map(|_| char::from(*EMAIL_LOCAL.choose(rng).unwrap_or(&b'a'))).collect();
            let host = match rng.random_range(0..8) {
                0 => format!("[{}]", ipv4(rng)),
                1 => format!("[{}]", ipv6(rng)),
                _ => domain(rng),
            };
            format!("{local}@{host}")
        }
        Format::Uri => {
            let scheme = *["https", "http", "ftp", "ws", "x-app"].choose(rng).unwrap_or(&"https");
            let host = match rng.random_range(0..6) {
                0 => ipv4(rng),
                1 => format!("[{}]", ipv6(rng)),
                2 => "bücher.example".to_owned(),
                _ => domain(rng),
            };
            let port = if rng.random_bool(0.2) {
                format!(":{}", rng.random_range(0..=65535))
            } else {
                String::new()
            };
            let path =
                ["", "/", "/a/b", "/%20x", "/é?q=1#frag", "/?a=b&c=d"].choose(rng).copied().unwrap_or("");
            match rng.random_range(0..10) {
                0 => "mailto:someone@example.com".to_owned(),
                1 => "file:///etc/hosts".to_owned(),
                _ => format!("{scheme}://{host}{port}{path}"),
            }
        }
        Format::Ip => {
            if rng.random_bool(0.5) {
                ipv4(rng)
            } else {
                ipv6(rng)
            }
        }
        Format::Ipv4 => ipv4(rng),
        Format::Ipv6 => ipv6(rng),
        Format::IntString => {
            let picks = [i64::MIN, i64::MAX, 0, -1, 1, rng.random()];
            picks.choose(rng).unwrap_or(&0).to_string()
        }
        Format::Date | Format::Time | Format::DateTime | Format::LocalDateTime | Format::Uuid => {
            super::dates::valid(rng, format)
        }
    }
}
