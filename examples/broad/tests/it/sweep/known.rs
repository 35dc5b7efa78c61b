//! Known divergences: inputs the two sides judge differently for a reason
//! outside mizan's validator and renderer, each recognised from the input
//! alone and asserted exactly by its own test (`tests/it/divergences.rs`),
//! so a change on either side shows up.

use std::collections::BTreeSet;

use mizan_manifest::schema::{Format, Ty};
use serde_json::Value;

use super::server_only;
use super::valid::Types;
use crate::zod::{Verdict, join};

/// A divergence, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Known {
    /// Bun's `URL.canParse` refuses some IPv6 hosts with an embedded IPv4
    /// address (`http://[1:2::3:4:1.2.3.4]/`) that the WHATWG URL standard,
    /// Node, browsers and the server's `url` crate accept.
    BunUrlIpv6,
    /// The `url` crate (the server's URL check) accepts a backslash in the
    /// authority of a URL whose scheme is not special
    /// (`x-app://h:1\8/`), which the WHATWG URL standard, Node and Bun refuse.
    UrlBackslash,
    /// A map with `u32` keys: the schema's key pattern (`^[0-9]+$`, from
    /// schemars) takes keys serde_json's key parser refuses (a leading
    /// zero, a number past `u32::MAX`).
    IntegerMapKey,
    /// A map key `__proto__`: Zod's `z.record` skips it (its value is not
    /// checked, and not in Zod's output); the server checks its value.
    ProtoKey,
}

/// Paths (joined) of values in `value` of `ty` matching `pick`.
fn collect(
    types: &Types,
    ty: &Ty,
    value: &Value,
    path: &mut Vec<Value>,
    pick: &dyn Fn(&Ty, &Value) -> bool,
    out: &mut BTreeSet<String>,
) {
    if path.len() > 32 {
        return;
    }
    let ty = types.resolve(ty);
    if pick(ty, value) {
        out.insert(join(path));
    }
    let mut go = |seg: Value, t: &Ty, v: &Value, out: &mut BTreeSet<String>| {
        path.push(seg);
        collect(types, t, v, path, pick, out);
        path.pop();
    };
    match (ty, value) {
        (Ty::Array(item, _), Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                go(Value::from(i), item, v, out);
            }
        }
        (Ty::Tuple(items, rest), Value::Array(values)) => {
            for (i, v) in values.iter().enumerate() {
                if let Some(t) = items.get(i).or(rest.as_deref()) {
                    go(Value::from(i), t, v, out);
                }
            }
        }
        (Ty::Record(item, _), Value::Object(map)) => {
            for (k, v) in map {
                go(Value::from(k.as_str()), item, v, out);
            }
        }
        (Ty::Object(obj), Value::Object(map)) => {
            for p in &obj.props {
                if let Some(v) = map.get(&p.name) {
                    go(Value::from(p.name.as_str()), &p.ty, v, out);
                }
            }
        }
        (Ty::Union(members), v) => {
            for m in members {
                collect(types, m, v, path, pick, out);
            }
        }
        _ => {}
    }
}

/// A URL whose host is a bracketed IPv6 address with an embedded IPv4 one.
pub(super) fn ipv6_with_ipv4_host(text: &str) -> bool {
    let Some((_, rest)) = text.split_once("://") else { return false };
    let Some(inside) = rest.strip_prefix('[').and_then(|r| r.split_once(']')).map(|(h, _)| h) else {
        return false;
    };
    inside.contains('.') && inside.contains(':')
}

/// A URL of a scheme that is not special with a backslash in its authority.
pub(super) fn backslash_in_authority(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else { return false };
    let special =
        ["http", "https", "ws", "wss", "ftp", "file"].contains(&scheme.to_ascii_lowercase().as_str());
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    !special && authority.contains('\\')
}

/// A `u32` map key serde_json refuses.
pub(super) fn bad_integer_key(key: &str) -> bool {
    (key.len() > 1 && key.starts_with('0')) || key.parse::<u32>().is_err()
}

/// The known divergences that together explain why the server answered
/// `server` where Zod answered `zod` on an input of `func`, if they do:
/// Zod's refusals of URLs Bun alone refuses are set aside, and so are the
/// server's issues under a `__proto__` map key; what is left must agree
/// (where Zod is left with nothing, the server stopped at those issues, or
/// went on to its server-only rules).
pub(super) fn explain(
    types: &Types,
    ty: &Ty,
    func: &str,
    input: &Value,
    server: &Verdict,
    zod: &Verdict,
) -> Vec<Known> {
    let mut urls = BTreeSet::new();
    let url = |t: &Ty, v: &Value| {
        matches!(t, Ty::Str(s) if s.format == Format::Uri) && v.as_str().is_some_and(ipv6_with_ipv4_host)
    };
    collect(types, ty, input, &mut Vec::new(), &url, &mut urls);
    let mut slashed = BTreeSet::new();
    let backslash = |t: &Ty, v: &Value| {
        matches!(t, Ty::Str(s) if s.format == Format::Uri) && v.as_str().is_some_and(backslash_in_authority)
    };
    collect(types, ty, input, &mut Vec::new(), &backslash, &mut slashed);
    let mut keys = BTreeSet::new();
    let int_keys = |t: &Ty, v: &Value| {
        matches!(t, Ty::Record(_, Some(k)) if k.source == "^[0-9]+$")
            && v.as_object().is_some_and(|m| m.keys().any(|k| bad_integer_key(k)))
    };
    collect(types, ty, input, &mut Vec::new(), &int_keys, &mut keys);

    let empty = BTreeSet::new();
    let zod_issues = match zod {
        Verdict::Issues(z) => z,
        _ => &empty,
    };
    let mut used = Vec::new();
    let mut z = zod_issues.clone();
    for (paths, known) in [(&urls, Known::BunUrlIpv6), (&slashed, Known::UrlBackslash)] {
        let before = z.len();
        z.retain(|(p, c)| !(c == "invalid_format" && paths.contains(p)));
        if z.len() != before {
            used.push(known);
        }
    }
    if z.is_empty() && !keys.is_empty() && *server != Verdict::Ok {
        used.push(Known::IntegerMapKey);
        return used;
    }
    let through_proto = |p: &str| p.split('.').any(|seg| seg == "__proto__");
    let server_issues = match server {
        Verdict::Issues(s) => s,
        Verdict::Ok => &empty,
        _ => return Vec::new(),
    };
    let rest: BTreeSet<(String, String)> =
        server_issues.iter().filter(|(p, _)| !through_proto(p)).cloned().collect();
    let proto = rest.len() != server_issues.len();
    if proto {
        used.push(Known::ProtoKey);
    }
    let agrees = if z.is_empty() {
        rest.is_empty() && (proto || server_only::expected(func, input).is_empty())
            || (!proto && rest == server_only::expected(func, input))
    } else {
        rest == z
    };
    if agrees { used } else { Vec::new() }
}
