//! Turning input into typed arguments: JSON parsing, the input contract
//! (`crate::rules`), serde and garde; every refusal is one `VALIDATION`
//! error with wire paths and fixed issue codes.
//!
//! The contract is the only authority for the rules the schema carries
//! (lengths, ranges, patterns, formats, required): garde's messages for
//! them are dropped, and garde speaks only for the rules no schema can say
//! (`custom`, `ascii`, `prefix`, `matches`, …).

use std::borrow::Cow;
use std::fmt::Display;

use garde::i18n::{
    DefaultI18n, I18n, InvalidCreditCard, InvalidEmail, InvalidPhoneNumber, InvalidUrl, IpKind,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Issue, IssueCode, PathSegment};
use crate::rules::{Contract, Rule};
use crate::{Error, Result};

/// A Rust field name and its wire name, for the top level of an input.
pub(crate) type WireName = (&'static str, &'static str);

/// Refuses an input that is not a JSON object (`BAD_REQUEST`).
pub(crate) fn require_object(input: &str) -> Result<()> {
    if input.trim_start().starts_with('{') {
        return Ok(());
    }
    Err(if serde_json::from_str::<serde::de::IgnoredAny>(input).is_ok() {
        Error::bad_request("input must be a JSON object")
    } else {
        Error::bad_request("input is not valid JSON")
    })
}

/// Parses JSON text into a value, refusing syntax errors and trailing data
/// (`BAD_REQUEST`).
pub(crate) fn json(input: &str) -> Result<Value> {
    let mut de = serde_json::Deserializer::from_str(input);
    let value = serde::Deserialize::deserialize(&mut de).map_err(|e| {
        Error::bad_request(format!("input is not valid JSON: {}", strip_position(&e.to_string())))
    })?;
    de.end().map_err(|_| Error::bad_request("trailing data after the JSON input"))?;
    Ok(value)
}

/// Parses JSON text straight into `T` (the fast path of a plain contract);
/// `None` on any failure, which the caller then explains the slow way.
pub(crate) fn typed<T: DeserializeOwned>(input: &str) -> Option<T> {
    let mut de = serde_json::Deserializer::from_str(input);
    let value = T::deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// `T` from a value that passed its contract. serde may still refuse what
/// the schema cannot say (a float spelling of an integer, a date that does
/// not exist): `VALIDATION` at serde's path, which is the wire path.
pub(crate) fn deserialize<T: DeserializeOwned>(value: &Value) -> Result<T> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(from_serde)
}

/// The contract's issues as one `VALIDATION` error.
pub(crate) fn refused(issues: Vec<Issue>) -> Error {
    issues.into_iter().fold(Error::validation("invalid input"), Error::with_issue)
}

/// `T`'s root JSON Schema under the deserialize contract, as the manifest
/// publishes it: what [`Contract`] compiles.
pub(crate) fn root_schema<T: schemars::JsonSchema>() -> Value {
    schemars::generate::SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

fn from_serde(err: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let inner = err.inner();
    if inner.is_syntax() || inner.is_eof() {
        return Error::bad_request(format!("input is not valid JSON: {inner}"));
    }
    let mut path: Vec<PathSegment> = err
        .path()
        .iter()
        .filter_map(|seg| match seg {
            serde_path_to_error::Segment::Seq { index } => Some(PathSegment::Index(*index)),
            serde_path_to_error::Segment::Map { key } => Some(PathSegment::Key(key.clone())),
            serde_path_to_error::Segment::Enum { variant } => Some(PathSegment::Key(variant.clone())),
            serde_path_to_error::Segment::Unknown => None,
        })
        .collect();
    let text = strip_position(&inner.to_string());
    let (code, message) = if let Some(field) = between(&text, "missing field `", "`") {
        path.push(PathSegment::Key(field.to_owned()));
        (IssueCode::Required, "required".to_owned())
    } else if let Some(field) = between(&text, "unknown field `", "`") {
        // serde_path_to_error already pushed the unknown key onto the path.
        if path.last() != Some(&PathSegment::Key(field.to_owned())) {
            path.push(PathSegment::Key(field.to_owned()));
        }
        (IssueCode::UnknownKey, format!("unknown key `{field}`"))
    } else if text.starts_with("invalid type") {
        (IssueCode::InvalidType, text)
    } else if text.starts_with("invalid length") && text.contains("fewer") {
        (IssueCode::TooSmall, text)
    } else if text.starts_with("invalid length") {
        (IssueCode::TooBig, text)
    } else if let Some((code, message)) = integer_out_of_range(&text) {
        (code, message)
    } else if text.starts_with("invalid value") || text.starts_with("unknown variant") {
        (IssueCode::InvalidValue, text)
    } else {
        (IssueCode::Custom, text)
    };
    Error::validation("invalid input").with_issue(Issue { path, code, message })
}

/// serde's "invalid value: integer `300`, expected u8": an integer outside
/// its Rust type is `too_big` or `too_small`, as Zod's bounds say it.
fn integer_out_of_range(text: &str) -> Option<(IssueCode, String)> {
    let rest = text.strip_prefix("invalid value: integer `")?;
    let (value, rest) = rest.split_once('`')?;
    let ty = rest.strip_prefix(", expected ")?.trim();
    let value: i128 = value.parse().ok()?;
    let (min, max): (i128, i128) = match ty {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" => (0, u64::MAX.into()),
        "usize" => (0, usize::MAX as i128),
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" => (i64::MIN.into(), i64::MAX.into()),
        "isize" => (isize::MIN as i128, isize::MAX as i128),
        _ => return None,
    };
    if value > max {
        Some((IssueCode::TooBig, format!("must be at most {max}")))
    } else if value < min {
        Some((IssueCode::TooSmall, format!("must be at least {min}")))
    } else {
        None
    }
}

/// serde_json appends " at line L column C"; the path already locates the error.
fn strip_position(text: &str) -> String {
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text.to_owned(),
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(start)?;
    Some(&rest[..rest.find(end)?])
}

/// Runs garde on `typed` (made from `value`) and maps its report onto wire
/// issues: rules the contract carries are dropped (it already judged
/// them); a path is mapped through `names` at the top level, then through
/// the contract by exact names, and a Rust tail that cannot be mapped is
/// kept in the message.
pub(crate) fn garde<T: garde::Validate<Context = ()>>(
    typed: &T,
    value: &Value,
    contract: &Contract,
    names: &[WireName],
) -> Result<()> {
    let report = match garde::with_i18n(Coded, || typed.validate()) {
        Ok(()) => return Ok(()),
        Err(report) => report,
    };
    let mut error = Error::validation("invalid input");
    for (path, err) in report.iter() {
        let mut rust: Vec<PathSegment> = path
            .__iter()
            .rev()
            .filter_map(|(kind, c)| match kind {
                garde::error::Kind::Index => Some(PathSegment::Index(c.parse().unwrap_or(0))),
                garde::error::Kind::Key => Some(PathSegment::Key(c.to_string())),
                garde::error::Kind::None => None,
            })
            .collect();
        if let Some(PathSegment::Key(first)) = rust.first_mut()
            && let Some((_, wire)) = names.iter().find(|(r, _)| r == first)
        {
            *first = (*wire).to_owned();
        }
        let (code, rule, message) = decode(err.message());
        let located = contract.locate(value, &rust);
        if rule.is_some_and(|rule| contract.carries(&located, rule)) {
            continue;
        }
        let message = if located.rest.is_empty() {
            message.to_owned()
        } else {
            format!("{}: {message}", crate::error::join_path(&located.rest))
        };
        error = error.with_issue(Issue { path: located.wire, code, message });
    }
    if error.issues().is_empty() { Ok(()) } else { Err(error) }
}

/// garde's messages, each prefixed with `\u{1}code\u{1}rule\u{1}` so the
/// issue code is exact and a rule the contract carries is known (`rule` is
/// empty for the server-only ones).
struct Coded;

const MARK: char = '\u{1}';

fn coded(code: &str, message: Cow<'static, str>) -> Cow<'static, str> {
    format!("{MARK}{code}{MARK}{MARK}{message}").into()
}

/// A message of a rule the schema carries.
fn carried(code: &str, rule: &str, message: Cow<'static, str>) -> Cow<'static, str> {
    format!("{MARK}{code}{MARK}{rule}{MARK}{message}").into()
}

fn decode(message: &str) -> (IssueCode, Option<Rule>, &str) {
    let plain = (IssueCode::Custom, None, message);
    let Some(rest) = message.strip_prefix(MARK) else { return plain };
    let Some((code, rest)) = rest.split_once(MARK) else { return plain };
    let Some((rule, text)) = rest.split_once(MARK) else { return plain };
    let code = match code {
        "too_small" => IssueCode::TooSmall,
        "too_big" => IssueCode::TooBig,
        "invalid_format" => IssueCode::InvalidFormat,
        "invalid_value" => IssueCode::InvalidValue,
        "required" => IssueCode::Required,
        _ => IssueCode::Custom,
    };
    let rule = match rule {
        "min_length" => Some(Rule::MinLength),
        "max_length" => Some(Rule::MaxLength),
        "min" => Some(Rule::Min),
        "max" => Some(Rule::Max),
        "pattern" => Some(Rule::Pattern),
        "email" => Some(Rule::Email),
        "url" => Some(Rule::Url),
        "ip" => Some(Rule::Ip),
        "required" => Some(Rule::Required),
        _ => None,
    };
    (code, rule, text)
}

impl I18n for Coded {
    fn length_lower_than(&self, min: usize) -> Cow<'static, str> {
        carried("too_small", "min_length", DefaultI18n.length_lower_than(min))
    }
    fn length_greater_than(&self, max: usize) -> Cow<'static, str> {
        carried("too_big", "max_length", DefaultI18n.length_greater_than(max))
    }
    fn range_lower_than(&self, min: &dyn Display) -> Cow<'static, str> {
        carried("too_small", "min", DefaultI18n.range_lower_than(min))
    }
    fn range_greater_than(&self, max: &dyn Display) -> Cow<'static, str> {
        carried("too_big", "max", DefaultI18n.range_greater_than(max))
    }
    fn credit_card_invalid(&self, reason: InvalidCreditCard) -> Cow<'static, str> {
        coded("invalid_format", DefaultI18n.credit_card_invalid(reason))
    }
    fn pattern_no_match(&self, pattern: &dyn Display) -> Cow<'static, str> {
        carried("invalid_format", "pattern", DefaultI18n.pattern_no_match(pattern))
    }
    fn contains_missing(&self, pattern: &dyn Display) -> Cow<'static, str> {
        carried("invalid_format", "pattern", DefaultI18n.contains_missing(pattern))
    }
    fn url_invalid(&self, reason: InvalidUrl) -> Cow<'static, str> {
        carried("invalid_format", "url", DefaultI18n.url_invalid(reason))
    }
    fn prefix_missing(&self, pattern: &dyn Display) -> Cow<'static, str> {
        coded("invalid_format", DefaultI18n.prefix_missing(pattern))
    }
    fn suffix_missing(&self, pattern: &dyn Display) -> Cow<'static, str> {
        coded("invalid_format", DefaultI18n.suffix_missing(pattern))
    }
    fn phone_number_invalid(&self, reason: InvalidPhoneNumber) -> Cow<'static, str> {
        coded("invalid_format", DefaultI18n.phone_number_invalid(reason))
    }
    fn ip_invalid(&self, kind: IpKind) -> Cow<'static, str> {
        carried("invalid_format", "ip", DefaultI18n.ip_invalid(kind))
    }
    fn matches_field_mismatch(&self, field: &dyn Display) -> Cow<'static, str> {
        coded("invalid_value", DefaultI18n.matches_field_mismatch(field))
    }
    fn email_invalid(&self, reason: InvalidEmail) -> Cow<'static, str> {
        carried("invalid_format", "email", DefaultI18n.email_invalid(reason))
    }
    fn ascii_invalid(&self) -> Cow<'static, str> {
        coded("invalid_format", DefaultI18n.ascii_invalid())
    }
    fn alphanumeric_invalid(&self) -> Cow<'static, str> {
        coded("invalid_format", DefaultI18n.alphanumeric_invalid())
    }
    fn required_not_set(&self) -> Cow<'static, str> {
        carried("required", "required", DefaultI18n.required_not_set())
    }
}

#[cfg(test)]
mod tests;
