//! Invalid inputs made by breaking valid ones: one to three random spots
//! of a valid value, each broken by an operator that fits its type (a wrong
//! JSON type, a missing or unknown key, a bound ±1, a length bound ±1 in
//! code points of every width, a pattern or format a character off, a bad
//! tag, a second variant key, too few or too many items, a map key its
//! pattern refuses).

use mizan_manifest::schema::{F32_MAX, Format, MAX_SAFE, Num, Selector, Ty};
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use serde_json::{Number, Value, json};

use super::valid::{Types, code_points, float, ipv4, ipv6, map_key};

/// A spot in a value: its path and the type the value there has.
struct Site<'a> {
    path: Vec<Value>,
    ty: &'a Ty,
    /// The union (two or more members besides `null`) whose chosen member this is.
    union: Option<Vec<&'a Ty>>,
}

/// Values of every JSON type, to put where another is expected.
fn wrong_type(rng: &mut ChaCha8Rng) -> Value {
    let all = [
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("1"),
        json!("true"),
        json!([]),
        json!([1]),
        json!({}),
        json!({"a": 1}),
    ];
    all.choose(rng).cloned().unwrap_or(Value::Null)
}

/// Characters that break formats when inserted or swapped in.
const TRICKY: &[char] = &[
    '.', ':', '@', '[', ']', '/', ' ', '%', '0', '9', 'a', 'F', 'g', '-', 'é', '\t', '\n', '#', '?', '\\',
    '"', '\u{0}', '😀', '１',
];

/// `text` with one character inserted, removed or replaced.
fn fuzz(rng: &mut ChaCha8Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let c = *TRICKY.choose(rng).unwrap_or(&'.');
    match rng.random_range(0..4) {
        0 if !chars.is_empty() => {
            let i = rng.random_range(0..chars.len());
            chars.remove(i);
        }
        1 if !chars.is_empty() => {
            let i = rng.random_range(0..chars.len());
            chars[i] = c;
        }
        2 => return format!(" {text} "),
        _ => {
            let i = rng.random_range(0..=chars.len());
            chars.insert(i, c);
        }
    }
    chars.into_iter().collect()
}

/// Strings each format refuses, or that are near its edges.
fn edge_of(format: Format) -> &'static [&'static str] {
    match format {
        Format::Plain => &[],
        Format::Email => &[
            "a@",
            "@b.co",
            "a@b",
            "a@-b.co",
            "a@b-.co",
            "a b@c.de",
            "a@[1.2.3.4",
            "a@[::1]",
            "a@[1.2.3.256]",
            "aé@b.co",
            "a@bü.co",
            "a@b..co",
            ".a@b.co",
        ],
        Format::Uri => &[
            "",
            "no url",
            "//example.com",
            "https://",
            "https://exa mple.com",
            "https://a:99999/",
            "http://[::1",
            "javascript:alert(1)",
            "a:",
            " https://example.com ",
            "https://example.com/\u{0}",
            "HTTPS://EXAMPLE.COM",
            "https://%zz/",
            "https://1.2.3.4.5/",
            "http://0x7f.1/",
        ],
        Format::Ip | Format::Ipv4 | Format::Ipv6 => &[
            "1.2.3",
            "1.2.3.4.5",
            "01.2.3.4",
            "256.1.1.1",
            "1.2.3.-1",
            " 1.2.3.4",
            "::",
            ":::",
            "1::2::3",
            "12345::",
            "::ffff:1.2.3.4",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7::",
            "::1.2.3.4",
            "fe80::1%eth0",
            "[::1]",
        ],
        Format::IntString => {
            &["9223372036854775808", "-9223372036854775809", "-0", "+1", "01", "1e3", " 1", "", "-", "１"]
        }
        // Near-valid spellings come from `super::dates::near`.
        Format::Date | Format::Time | Format::DateTime | Format::LocalDateTime | Format::Uuid => {
            &["", "x", "null"]
        }
    }
}

fn at<'v>(whole: &'v Value, path: &[Value]) -> Option<&'v Value> {
    path.iter().try_fold(whole, |node, seg| match seg {
        Value::String(k) => node.get(k.as_str()),
        Value::Number(i) => node.get(i.as_u64().and_then(|i| usize::try_from(i).ok())?),
        _ => None,
    })
}

/// `whole` with `value` at `path` (`None` removes the key or item there).
fn with(whole: &mut Value, path: &[Value], value: Option<Value>) {
    let Some((last, parent)) = path.split_last() else {
        if let Some(v) = value {
            *whole = v;
        }
        return;
    };
    let mut node = whole;
    for seg in parent {
        let next = match seg {
            Value::String(k) => node.get_mut(k.as_str()),
            Value::Number(i) => i.as_u64().and_then(|i| node.get_mut(usize::try_from(i).ok()?)),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => return,
        }
    }
    match (last, value, node) {
        (Value::String(k), Some(v), Value::Object(m)) => {
            m.insert(k.clone(), v);
        }
        (Value::String(k), None, Value::Object(m)) => {
            m.remove(k);
        }
        (Value::Number(i), v, Value::Array(a)) => {
            let i = i.as_u64().and_then(|i| usize::try_from(i).ok()).unwrap_or(usize::MAX);
            match v {
                Some(v) if i < a.len() => a[i] = v,
                None if i < a.len() => {
                    a.remove(i);
                }
                _ => {}
            }
        }
        _ => {}
    }
}

fn kind_fits(types: &Types, ty: &Ty, value: &Value) -> bool {
    match (types.resolve(ty), value) {
        (Ty::Unknown, _) | (Ty::Null, Value::Null) | (Ty::Bool, Value::Bool(_)) => true,
        (Ty::Str(_), Value::String(_)) | (Ty::Num(_), Value::Number(_)) => true,
        (Ty::Lit(ls), v) => ls.iter().any(|l| l.matches(v)),
        (Ty::Array(..) | Ty::Tuple(..), Value::Array(_)) => true,
        (Ty::Record(..), Value::Object(_)) => true,
        (Ty::Object(o), Value::Object(m)) => {
            o.props.iter().filter(|p| !p.optional).all(|p| m.contains_key(&p.name))
                && m.keys().all(|k| o.props.iter().any(|p| &p.name == k))
        }
        (Ty::Union(ms), v) => ms.iter().any(|m| kind_fits(types, m, v)),
        _ => false,
    }
}

impl Types {
    fn sites<'a>(&'a self, ty: &'a Ty, value: &Value, path: &mut Vec<Value>, out: &mut Vec<Site<'a>>) {
        if path.len() > 24 {
            return;
        }
        let ty = self.resolve(ty);
        if !matches!(ty, Ty::Union(_)) {
            out.push(Site { path: path.clone(), ty, union: None });
        }
        match (ty, value) {
            (Ty::Array(item, _), Value::Array(items)) => {
                for (i, v) in items.iter().enumerate().take(3) {
                    path.push(json!(i));
                    self.sites(item, v, path, out);
                    path.pop();
                }
            }
            (Ty::Tuple(items, rest), Value::Array(values)) => {
                for (i, v) in values.iter().enumerate() {
                    let Some(t) = items.get(i).or(rest.as_deref()) else { break };
                    path.push(json!(i));
                    self.sites(t, v, path, out);
                    path.pop();
                }
            }
            (Ty::Record(item, _), Value::Object(map)) => {
                for (k, v) in map.iter().take(3) {
                    path.push(json!(k));
                    self.sites(item, v, path, out);
                    path.pop();
                }
            }
            (Ty::Object(obj), Value::Object(map)) => {
                for p in &obj.props {
                    if let Some(v) = map.get(&p.name) {
                        path.push(json!(p.name));
                        self.sites(&p.ty, v, path, out);
                        path.pop();
                    }
                }
            }
            (Ty::Union(members), v) => {
                let (others, _) = Ty::split_null(members);
                let chosen = match Ty::selector(&others) {
                    Some(selector) => selector.pick(v).and_then(|i| others.get(i).copied()),
                    None => others.iter().copied().find(|m| kind_fits(self, m, v)),
                };
                let before = out.len();
                match chosen {
                    Some(member) if !v.is_null() => self.sites(member, v, path, out),
                    _ => out.push(Site { path: path.clone(), ty, union: None }),
                }
                if others.len() > 1
                    && let Some(site) = out.get_mut(before)
                {
                    site.union = Some(others.iter().map(|m| self.resolve(m)).collect());
                }
            }
            _ => {}
        }
    }

    /// `valid` with one to three spots broken.
    pub(super) fn mutate(&self, rng: &mut ChaCha8Rng, ty: &Ty, valid: &Value) -> Value {
        let mut value = valid.clone();
        for _ in 0..rng.random_range(1..=3) {
            let mut sites = Vec::new();
            self.sites(ty, &value, &mut Vec::new(), &mut sites);
            let Some(site) = sites.choose(rng) else { break };
            let path = site.path.clone();
            let current = at(&value, &path).cloned().unwrap_or(Value::Null);
            let replacement = match &site.union {
                Some(members) if rng.random_bool(0.5) => Self::break_union(rng, members, &current),
                _ => self.break_value(rng, site.ty, &current, path.is_empty()),
            };
            match replacement {
                Change::Set(v) => with(&mut value, &path, Some(v)),
                Change::Remove if !path.is_empty() => with(&mut value, &path, None),
                Change::Remove => {}
            }
        }
        value
    }

    /// A union's single non-null member (an `Option`), or the type itself.
    fn strip_option<'a>(&'a self, ty: &'a Ty) -> &'a Ty {
        match ty {
            Ty::Union(members) => match Ty::split_null(members).0.as_slice() {
                [one] => self.resolve(one),
                _ => ty,
            },
            other => other,
        }
    }

    fn break_union(rng: &mut ChaCha8Rng, members: &[&Ty], current: &Value) -> Change {
        let mut out = current.clone();
        match Ty::selector(members) {
            Some(Selector::Tag { .. }) if !out.is_object() => return Change::Set(wrong_type(rng)),
            Some(Selector::Tag { name, values }) => {
                let other = values.choose(rng).and_then(|v| v.first()).map(super::valid::lit);
                match rng.random_range(0..5) {
                    0 => {
                        out.as_object_mut().map(|m| m.remove(&name));
                    }
                    1 => out[name.as_str()] = json!("__none__"),
                    2 => out[name.as_str()] = json!(1),
                    3 => {
                        let tag = out[name.as_str()].as_str().map(str::to_uppercase).unwrap_or_default();
                        out[name.as_str()] = json!(tag);
                    }
                    _ => out[name.as_str()] = other.unwrap_or(Value::Null),
                }
            }
            Some(Selector::Key(keys)) => {
                let named: Vec<&String> = keys.iter().flatten().collect();
                let key = named.choose(rng).map(|k| (*k).clone()).unwrap_or_default();
                match rng.random_range(0..5) {
                    0 => {
                        if let Some(m) = out.as_object_mut() {
                            m.insert(key, json!(null));
                        } else {
                            out = json!({ key: null });
                        }
                    }
                    1 => out = json!(key),
                    2 => out = json!(key.to_lowercase()),
                    3 => out = json!({}),
                    _ => {
                        let first = out
                            .as_object()
                            .and_then(|m| m.iter().next().map(|(k, v)| (k.clone(), v.clone())));
                        if let Some((old, v)) = first {
                            let renamed = if old == key { format!("{key}x") } else { key };
                            out = json!({ renamed: v });
                        }
                    }
                }
            }
            None => return Change::Set(wrong_type(rng)),
        }
        Change::Set(out)
    }

    fn break_value(&self, rng: &mut ChaCha8Rng, ty: &Ty, current: &Value, root: bool) -> Change {
        // Generic breakages, anywhere but the root (a body must be an object).
        if !root {
            match rng.random_range(0..10) {
                0 => return Change::Set(wrong_type(rng)),
                1 => return Change::Remove,
                2 => return Change::Set(Value::Null),
                _ => {}
            }
        }
        let resolved = self.strip_option(self.resolve(ty));
        match resolved {
            Ty::Str(s) => Change::Set(json!(self.break_string(rng, s, current))),
            Ty::Num(Num::Int { min, max }) => {
                #[allow(clippy::cast_precision_loss)]
                let picks = [
                    json!(*min as i64 - 1),
                    json!(*max as i64 + 1),
                    json!(*min as i64),
                    json!(*max as i64),
                    // A true fraction (past 2^52 `x + 0.5` is a whole number): a
                    // float spelling of an integer in range is a known divergence.
                    float(current.as_f64().filter(|x| x.abs() < 1e15).map_or(1.5, |x| x.floor() + 0.5)),
                    float(1e20),
                    float(-1e20),
                    json!(MAX_SAFE as i64 + 1),
                    json!(MAX_SAFE as i64 + 2),
                    json!(u64::MAX),
                    json!(i64::MIN),
                    json!("1"),
                ];
                Change::Set(picks.choose(rng).cloned().unwrap_or(Value::Null))
            }
            Ty::Num(Num::Float { min, max, exclusive_min, exclusive_max, .. }) => {
                let f = |n: &Option<Number>| n.as_ref().and_then(Number::as_f64);
                let beyond = |x: f64, dir: f64| {
                    if x.abs() >= F32_MAX * 0.999 {
                        x * (1.0 + 1e-7)
                    } else {
                        x + dir * x.abs().max(1.0) * 1e-9
                    }
                };
                let mut picks =
                    vec![float(1e308), float(-1e308), float(5e-324), float(-0.0), float(2.0), json!("1.5")];
                if let Some(x) = f(min) {
                    picks.extend([float(beyond(x, -1.0)), float(x), float(x - 1.0)]);
                }
                if let Some(x) = f(max) {
                    picks.extend([float(beyond(x, 1.0)), float(x), float(x + 1.0)]);
                }
                if let Some(x) = f(exclusive_min).or(f(exclusive_max)) {
                    picks.push(float(x));
                }
                Change::Set(picks.choose(rng).cloned().unwrap_or(Value::Null))
            }
            Ty::Lit(values) => {
                let some = values.choose(rng).map(super::valid::lit).unwrap_or(Value::Null);
                let picks = [
                    json!("__none__"),
                    json!(some.as_str().map(str::to_uppercase)),
                    json!(some.as_str().map(|s| format!("{s} "))),
                    json!(0),
                ];
                Change::Set(picks.choose(rng).cloned().unwrap_or(Value::Null))
            }
            Ty::Array(item, _) | Ty::Tuple(_, Some(item)) => {
                let mut items = current.as_array().cloned().unwrap_or_default();
                match rng.random_range(0..5) {
                    0 if !items.is_empty() => {
                        items.pop();
                    }
                    1 if !items.is_empty() => items.push(items[0].clone()),
                    2 => items.clear(),
                    3 => items.push(wrong_type(rng)),
                    _ => {
                        if let Some(v) = self.valid(rng, item, super::valid::DEPTH) {
                            items.extend([v.clone(), v]);
                        }
                    }
                }
                Change::Set(Value::Array(items))
            }
            Ty::Tuple(_, None) => {
                let mut items = current.as_array().cloned().unwrap_or_default();
                if rng.random_bool(0.5) && !items.is_empty() {
                    items.pop();
                } else {
                    items.push(items.first().cloned().unwrap_or(json!(0)));
                }
                Change::Set(Value::Array(items))
            }
            Ty::Record(item, key) => {
                let mut map = current.as_object().cloned().unwrap_or_default();
                let bad_keys = [
                    "",
                    "x",
                    "-1",
                    "1.5",
                    " 1",
                    "01",
                    "+1",
                    "4294967295",
                    "4294967296",
                    "99999999999",
                    "１２",
                    "0",
                ];
                let k = if key.is_some() && rng.random_bool(0.7) {
                    bad_keys.choose(rng).copied().unwrap_or("x").to_owned()
                } else {
                    map_key(rng)
                };
                let v = if rng.random_bool(0.5) {
                    self.valid(rng, item, super::valid::DEPTH).unwrap_or(Value::Null)
                } else {
                    wrong_type(rng)
                };
                map.insert(k, v);
                Change::Set(Value::Object(map))
            }
            Ty::Object(obj) => {
                let mut map = current.as_object().cloned().unwrap_or_default();
                match rng.random_range(0..3) {
                    0 => {
                        if let Some(p) = obj.props.choose(rng) {
                            map.remove(&p.name);
                        }
                    }
                    1 => {
                        let twisted = obj.props.choose(rng).map(|p| twist(&p.name)).unwrap_or_default();
                        let key = ["__unknown__", "", "constructor", twisted.as_str()]
                            .choose(rng)
                            .copied()
                            .unwrap_or("");
                        map.insert(key.to_owned(), json!(1));
                    }
                    _ => {
                        if let Some(p) = obj.props.choose(rng) {
                            map.insert(p.name.clone(), wrong_type(rng));
                        }
                    }
                }
                Change::Set(Value::Object(map))
            }
            Ty::Bool => Change::Set(json!(["true", "false", "1", ""].choose(rng).copied().unwrap_or("true"))),
            Ty::Null => Change::Set(json!(false)),
            Ty::Union(_) | Ty::Unknown | Ty::Never | Ty::Inter(_) | Ty::Ref(_) => {
                Change::Set(wrong_type(rng))
            }
        }
    }

    fn break_string(&self, rng: &mut ChaCha8Rng, s: &mizan_manifest::schema::Str, current: &Value) -> String {
        let text = current.as_str().unwrap_or_default().to_owned();
        let wide = *['😀', '𝄞', '中', 'é', '\u{301}', 'a'].choose(rng).unwrap_or(&'a');
        let mut bounds = Vec::new();
        if let Some(min) = s.min_chars {
            bounds.extend([min.saturating_sub(1), min]);
        }
        if let Some(max) = s.max_chars {
            bounds.extend([max, max + 1]);
        }
        match rng.random_range(0..6) {
            0 | 1 if !bounds.is_empty() => {
                let n = *bounds.choose(rng).unwrap_or(&0);
                std::iter::repeat_n(wide, usize::try_from(n).unwrap_or(0)).collect()
            }
            2 | 3 if super::dates::covers(s.format) => super::dates::near(rng, s.format, &text),
            2 if s.format != Format::Plain => edge_of(s.format).choose(rng).copied().unwrap_or("").to_owned(),
            3 if s.format == Format::Ipv4 || s.format == Format::Ip => {
                let ip = ipv4(rng);
                fuzz(rng, &ip)
            }
            3 if s.format == Format::Ipv6 => {
                let ip = ipv6(rng);
                fuzz(rng, &ip)
            }
            4 => {
                let n = rng.random_range(0..8);
                code_points(rng, n)
            }
            _ => fuzz(rng, &text),
        }
    }
}

/// `name` in another case convention (`fullTitle` ↔ `full_title`), or with a suffix.
fn twist(name: &str) -> String {
    if name.contains('_') {
        let mut out = String::new();
        let mut up = false;
        for c in name.chars() {
            if c == '_' {
                up = true;
            } else if up {
                out.extend(c.to_uppercase());
                up = false;
            } else {
                out.push(c);
            }
        }
        out
    } else if name.chars().any(char::is_uppercase) {
        name.chars()
            .flat_map(|c| if c.is_uppercase() { vec!['_', c.to_ascii_lowercase()] } else { vec![c] })
            .collect()
    } else {
        format!("{name}2")
    }
}

/// What a breakage does at its spot.
enum Change {
    Set(Value),
    Remove,
}
