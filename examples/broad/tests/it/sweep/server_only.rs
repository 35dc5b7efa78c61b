//! The broad app's server-only rules (garde rules the schema does not
//! carry, so the generated Zod does not check them), spot by spot: where an
//! input passes the schema, the server must refuse it exactly at the spots
//! whose rule it breaks, with the rule's code, and nowhere else. The sweep
//! counts how often each spot passed and failed, so a spot the inputs never
//! reach (or never break) fails the test too.

use std::collections::BTreeSet;

use serde_json::Value;

/// A server-only rule, as garde judges it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Check {
    /// `ascii`: `str::is_ascii`.
    Ascii,
    /// `alphanumeric`: every `char` is `char::is_alphanumeric`.
    Alphanumeric,
    /// `prefix(…)`.
    Prefix(&'static str),
    /// `suffix(…)`.
    Suffix(&'static str),
    /// `custom(broad::rules::is_even)`.
    Even,
    /// `matches(field)`: equal to the sibling at this path.
    Matches(&'static [&'static str]),
    /// `length(max)` on a map: at most this many entries.
    MaxEntries(usize),
}

/// Where a server-only rule sits: a function, a wire path, the rule, and
/// the issue code the server answers for it.
pub(super) struct Spot {
    pub(super) func: &'static str,
    pub(super) path: &'static [&'static str],
    pub(super) check: Check,
    pub(super) code: &'static str,
}

/// Every server-only rule of the broad app.
pub(super) const SPOTS: &[Spot] = &[
    Spot { func: "rules", path: &["value", "ascii"], check: Check::Ascii, code: "invalid_format" },
    Spot {
        func: "rules",
        path: &["value", "alphanumeric"],
        check: Check::Alphanumeric,
        code: "invalid_format",
    },
    Spot { func: "rules", path: &["value", "prefix"], check: Check::Prefix("mz-"), code: "invalid_format" },
    Spot { func: "rules", path: &["value", "suffix"], check: Check::Suffix(".rs"), code: "invalid_format" },
    Spot { func: "rules", path: &["value", "custom"], check: Check::Even, code: "custom" },
    Spot {
        func: "rules",
        path: &["value", "matches"],
        check: Check::Matches(&["value", "ascii"]),
        code: "invalid_value",
    },
    Spot { func: "rules", path: &["value", "length_map"], check: Check::MaxEntries(2), code: "too_big" },
    Spot { func: "signup", path: &["username"], check: Check::Ascii, code: "invalid_format" },
    Spot { func: "signup", path: &["handle"], check: Check::Alphanumeric, code: "invalid_format" },
    Spot { func: "signup", path: &["homepage"], check: Check::Prefix("https://"), code: "invalid_format" },
    Spot { func: "signup", path: &["lucky"], check: Check::Even, code: "custom" },
    Spot { func: "signup", path: &["confirm"], check: Check::Matches(&["password"]), code: "invalid_value" },
    Spot { func: "collections", path: &["value", "counts"], check: Check::MaxEntries(3), code: "too_big" },
];

fn at<'v>(input: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(input, |node, key| node.get(*key))
}

impl Spot {
    /// Whether `input` (valid under the schema) breaks this rule; `None`
    /// when the spot is absent from it.
    pub(super) fn breaks(&self, input: &Value) -> Option<bool> {
        let value = at(input, self.path)?;
        let text = value.as_str().unwrap_or_default();
        Some(match self.check {
            Check::Ascii => !text.is_ascii(),
            Check::Alphanumeric => !text.chars().all(char::is_alphanumeric),
            Check::Prefix(p) => !text.starts_with(p),
            Check::Suffix(s) => !text.ends_with(s),
            Check::Even => value.as_u64().is_none_or(|n| n % 2 == 1),
            Check::Matches(other) => at(input, other) != Some(value),
            Check::MaxEntries(n) => value.as_object().is_none_or(|m| m.len() > n),
        })
    }
}

fn at_mut<'v>(input: &'v mut Value, path: &[&str]) -> Option<&'v mut Value> {
    path.iter().try_fold(input, |node, key| node.get_mut(*key))
}

impl Spot {
    /// Makes `input` keep this rule where the spot is present, so the
    /// inputs reach both sides of it (a random string rarely starts with
    /// `mz-`). What else it breaks, both sides judge.
    pub(super) fn repair(&self, input: &mut Value) {
        let other = match self.check {
            Check::Matches(other) => at(input, other).cloned(),
            _ => None,
        };
        let Some(value) = at_mut(input, self.path) else { return };
        let text = value.as_str().unwrap_or_default().to_owned();
        match self.check {
            Check::Ascii => *value = Value::String(text.chars().filter(char::is_ascii).collect()),
            Check::Alphanumeric => {
                *value = Value::String(text.chars().filter(|c| c.is_alphanumeric()).collect())
            }
            Check::Prefix(p) => {
                let rest = text.split_once("://").map_or(text.as_str(), |(_, r)| r);
                let rest = if p.ends_with("://") && rest.is_empty() { "example.com" } else { rest };
                *value = Value::String(format!("{p}{rest}"));
            }
            Check::Suffix(s) => *value = Value::String(format!("{text}{s}")),
            Check::Even => {
                if let Some(n) = value.as_u64() {
                    *value = Value::from(n - n % 2);
                }
            }
            Check::Matches(_) => {
                if let Some(other) = other {
                    *value = other;
                }
            }
            Check::MaxEntries(n) => {
                if let Some(map) = value.as_object_mut() {
                    let keep: Vec<String> = map.keys().take(n).cloned().collect();
                    map.retain(|k, _| keep.contains(k));
                }
            }
        }
    }
}

/// The issues the server adds to an input of `func` that passes the schema.
pub(super) fn expected(func: &str, input: &Value) -> BTreeSet<(String, String)> {
    SPOTS
        .iter()
        .filter(|s| s.func == func && s.breaks(input) == Some(true))
        .map(|s| (s.path.join("."), s.code.to_owned()))
        .collect()
}
