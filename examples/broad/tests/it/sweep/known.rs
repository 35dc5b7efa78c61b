//! Known divergences: inputs the two sides judge differently for a reason
//! outside mizan's validator and renderer, each recognised from the input
//! alone and asserted exactly by its own test (`tests/it/divergences.rs`),
//! so a change on either side shows up.

use std::collections::BTreeSet;

use mizan_manifest::schema::{Format, Ty};
use serde_json::Value;

use super::valid::Types;
use crate::zod::{Verdict, join};

/// A divergence, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Known {
    /// Bun's `URL.canParse` refuses some IPv6 hosts with an embedded IPv4
    /// address (`http://[1:2::3:4:1.2.3.4]/`) that the WHATWG URL standard,
    /// Node, browsers and the server's `url` crate accept.
    BunUrlIpv6,
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

/// A `u32` map key serde_json refuses.
pub(super) fn bad_integer_key(key: &str) -> bool {
    (key.len() > 1 && key.starts_with('0')) || key.parse::<u32>().is_err()
}

/// The known divergence that explains why the server answered `server`
/// where Zod answered `zod` (with `expected` the server's answer under
/// parity), if one does.
pub(super) fn explain(
    types: &Types,
    ty: &Ty,
    input: &Value,
    server: &Verdict,
    zod: &Verdict,
    expected: &Verdict,
) -> Option<Known> {
    let mut urls = BTreeSet::new();
    let url = |t: &Ty, v: &Value| {
        matches!(t, Ty::Str(s) if s.format == Format::Uri) && v.as_str().is_some_and(ipv6_with_ipv4_host)
    };
    collect(types, ty, input, &mut Vec::new(), &url, &mut urls);
    if !urls.is_empty()
        && let Verdict::Issues(z) = zod
    {
        let rest: BTreeSet<(String, String)> =
            z.iter().filter(|(p, c)| !(c == "invalid_format" && urls.contains(p))).cloned().collect();
        let matches = match server {
            Verdict::Ok => rest.is_empty(),
            Verdict::Issues(s) => *s == rest || (rest.is_empty() && expected == server),
            _ => false,
        };
        // Where Zod's only issues were those URLs, the server goes on to serde
        // and the server-only rules: any refusal of its own is its answer.
        if matches || (rest.is_empty() && matches!(server, Verdict::Issues(_))) {
            return Some(Known::BunUrlIpv6);
        }
    }
    if let Verdict::Issues(s) = server {
        let through_proto = |p: &str| p.split('.').any(|seg| seg == "__proto__");
        if s.iter().any(|(p, _)| through_proto(p)) {
            let rest: BTreeSet<(String, String)> =
                s.iter().filter(|(p, _)| !through_proto(p)).cloned().collect();
            // Where Zod saw nothing wrong, the server stopped at the contract
            // (its server-only rules never ran): only `__proto__` issues.
            let explained = rest.is_empty() && *zod == Verdict::Ok
                || matches!(expected, Verdict::Issues(e) if *e == rest);
            if explained {
                return Some(Known::ProtoKey);
            }
        }
    }
    let mut keys = BTreeSet::new();
    let int_keys = |t: &Ty, v: &Value| {
        matches!(t, Ty::Record(_, Some(k)) if k.source == "^[0-9]+$")
            && v.as_object().is_some_and(|m| m.keys().any(|k| bad_integer_key(k)))
    };
    collect(types, ty, input, &mut Vec::new(), &int_keys, &mut keys);
    if !keys.is_empty() && *zod == Verdict::Ok && *server != Verdict::Ok {
        return Some(Known::IntegerMapKey);
    }
    None
}
