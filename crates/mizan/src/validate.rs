//! Turning input into typed arguments: JSON parsing, serde errors and garde
//! reports become one `VALIDATION` error with wire paths and fixed issue codes.

use std::borrow::Cow;
use std::fmt::Display;

use garde::i18n::{
    DefaultI18n, I18n, InvalidCreditCard, InvalidEmail, InvalidPhoneNumber, InvalidUrl, IpKind,
};
use serde::de::DeserializeOwned;

use crate::error::{Issue, IssueCode, PathSegment};
use crate::{Error, Result};

/// Parses a JSON object into `T`, refusing non-objects and trailing data
/// (`BAD_REQUEST`) and reporting type errors with their paths (`VALIDATION`).
pub(crate) fn parse_args<T: DeserializeOwned>(input: &str) -> Result<T> {
    if !input.trim_start().starts_with('{') {
        return Err(if serde_json::from_str::<serde::de::IgnoredAny>(input).is_ok() {
            Error::bad_request("input must be a JSON object")
        } else {
            Error::bad_request("input is not valid JSON")
        });
    }
    // Fast path: plain serde_json. Only a failure pays for a second pass
    // that tracks the path of the error.
    let mut de = serde_json::Deserializer::from_str(input);
    if let Ok(value) = T::deserialize(&mut de) {
        de.end().map_err(|_| Error::bad_request("trailing data after the JSON input"))?;
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(input);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(_) => Err(Error::bad_request("the input could not be read")),
        Err(err) => Err(from_serde(err)),
    }
}

/// Parses any JSON value into `T` (a channel's client message, which need not
/// be an object); an object goes through [`parse_args`] for its paths.
pub(crate) fn parse_value<T: DeserializeOwned>(input: &str) -> Result<T> {
    if input.trim_start().starts_with('{') {
        return parse_args(input);
    }
    serde_json::from_str(input).map_err(|e| {
        Error::validation("invalid message").with_issue(Issue {
            path: Vec::new(),
            code: IssueCode::InvalidType,
            message: e.to_string(),
        })
    })
}

/// `T`'s root JSON Schema under the deserialize contract: what garde's
/// reports are mapped through to reach wire names.
pub(crate) fn root_schema<T: schemars::JsonSchema>() -> serde_json::Value {
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

/// Runs garde and maps its report onto wire issues; `schema` (the input's
/// root schema, made on first failure) turns Rust field names into wire names.
pub(crate) fn validate<'a, T: garde::Validate<Context = ()>>(
    value: &T,
    schema: impl FnOnce() -> Option<&'a serde_json::Value>,
) -> Result<()> {
    let report = match garde::with_i18n(Coded, || value.validate()) {
        Ok(()) => return Ok(()),
        Err(report) => report,
    };
    let schema = schema();
    let mut error = Error::validation("invalid input");
    for (path, err) in report.iter() {
        let segments = path
            .__iter()
            .rev()
            .filter_map(|(kind, c)| match kind {
                garde::error::Kind::Index => Some(PathSegment::Index(c.parse().unwrap_or(0))),
                garde::error::Kind::Key => Some(PathSegment::Key(c.to_string())),
                garde::error::Kind::None => None,
            })
            .collect();
        let segments = match schema {
            Some(root) => crate::wire_path::to_wire(root, segments),
            None => segments,
        };
        let (code, message) = decode(err.message());
        error = error.with_issue(Issue { path: segments, code, message: message.to_owned() });
    }
    Err(error)
}

/// garde's messages, each prefixed with `\u{1}code\u{1}` so the issue code is exact.
struct Coded;

const MARK: char = '\u{1}';

fn coded(code: &str, message: Cow<'static, str>) -> Cow<'static, str> {
    format!("{MARK}{code}{MARK}{message}").into()
}

fn decode(message: &str) -> (IssueCode, &str) {
    let Some(rest) = message.strip_prefix(MARK) else { return (IssueCode::Custom, message) };
    let Some((code, text)) = rest.split_once(MARK) else { return (IssueCode::Custom, message) };
    let code = match code {
        "too_small" => IssueCode::TooSmall,
        "too_big" => IssueCode::TooBig,
        "invalid_format" => IssueCode::InvalidFormat,
        "invalid_value" => IssueCode::InvalidValue,
        "required" => IssueCode::Required,
        _ => IssueCode::Custom,
    };
    (code, text)
}

impl I18n for Coded {
    fn length_lower_than(&self, min: usize) -> Cow<'static, str> {
        coded("too_small", DefaultI18n.length_lower_than(min))
    }
    fn length_greater_than(&self, max: usize) -> Cow<'static, str> {
        coded("too_big", DefaultI18n.length_greater_than(max))
    }
    fn range_lower_than(&self, min: &dyn Display) -> Cow<'static, str> {
        coded("too_small", DefaultI18n.range_lower_than(min))
    }
    fn range_greater_than(&self, max: &dyn Display) -> Cow<'static, str> {
        coded("too_big", DefaultI18n.range_greater_than(max))
    }
    fn credit_card_invalid(&self, reason: InvalidCreditCard) -> Cow<'static, str> {
        coded("invalid_format", DefaultI18n.credit_card_invalid(reason))
    }
    fn pattern_no_match(&self, pattern: &dyn Display) -> Cow<'static, str> {
        coded("invalid_format", DefaultI18n.pattern_no_match(pattern))
    }
    fn contains_missing(&self, pattern: &dyn Display) -> Cow<'static, str> {
        coded("invalid_format", DefaultI18n.contains_missing(pattern))
    }
    fn url_invalid(&self, reason: InvalidUrl) -> Cow<'static, str> {
        coded("invalid_format", DefaultI18n.url_invalid(reason))
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
        coded("invalid_format", DefaultI18n.ip_invalid(kind))
    }
    fn matches_field_mismatch(&self, field: &dyn Display) -> Cow<'static, str> {
        coded("invalid_value", DefaultI18n.matches_field_mismatch(field))
    }
    fn email_invalid(&self, reason: InvalidEmail) -> Cow<'static, str> {
        coded("invalid_format", DefaultI18n.email_invalid(reason))
    }
    fn ascii_invalid(&self) -> Cow<'static, str> {
        coded("invalid_format", DefaultI18n.ascii_invalid())
    }
    fn alphanumeric_invalid(&self) -> Cow<'static, str> {
        coded("invalid_format", DefaultI18n.alphanumeric_invalid())
    }
    fn required_not_set(&self) -> Cow<'static, str> {
        coded("required", DefaultI18n.required_not_set())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, garde::Validate)]
    #[serde(deny_unknown_fields)]
    struct Args {
        #[garde(length(chars, min = 2, max = 4))]
        name: String,
        #[garde(dive)]
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize, garde::Validate)]
    struct Item {
        #[garde(range(min = 1))]
        qty: i32,
    }

    fn err_of(input: &str) -> Error {
        match parse_args::<Args>(input).and_then(|a| validate(&a, || None).map(|_| a)) {
            Ok(a) => panic!("expected an error, got {a:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn syntax_and_shape_are_bad_requests() {
        assert_eq!(err_of("{").code(), "BAD_REQUEST");
        assert_eq!(err_of("[1]").code(), "BAD_REQUEST");
        assert_eq!(err_of("nope").code(), "BAD_REQUEST");
        assert_eq!(err_of(r#"{"name":"ab","items":[]} x"#).code(), "BAD_REQUEST");
    }

    #[test]
    fn missing_unknown_and_wrong_types_have_paths() {
        let e = err_of(r#"{"items":[]}"#);
        assert_eq!((e.code(), e.issues()[0].code), ("VALIDATION", IssueCode::Required));
        assert!(e.fields().contains_key("name"));

        let e = err_of(r#"{"name":"ab","items":[],"extra":1}"#);
        assert_eq!(e.issues()[0].code, IssueCode::UnknownKey);
        assert!(e.fields().contains_key("extra"), "{:?}", e.fields());

        let e = err_of(r#"{"name":"ab","items":[{"qty":"x"}]}"#);
        assert_eq!(e.issues()[0].code, IssueCode::InvalidType);
        assert!(e.fields().contains_key("items.0.qty"), "{:?}", e.fields());
    }

    #[test]
    fn integers_outside_their_type_are_too_big_or_too_small() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Ints {
            small: u8,
            signed: i8,
        }
        let issue = |input: &str| {
            let e = parse_args::<Ints>(input).expect_err("out of range");
            let i = &e.issues()[0];
            (crate::error::join_path(&i.path), i.code, i.message.clone())
        };
        assert_eq!(
            issue(r#"{"small":256,"signed":0}"#),
            ("small".into(), IssueCode::TooBig, "must be at most 255".into())
        );
        assert_eq!(
            issue(r#"{"small":-1,"signed":0}"#),
            ("small".into(), IssueCode::TooSmall, "must be at least 0".into())
        );
        assert_eq!(
            issue(r#"{"small":0,"signed":-129}"#),
            ("signed".into(), IssueCode::TooSmall, "must be at least -128".into())
        );
        assert_eq!(issue(r#"{"small":0,"signed":128}"#).1, IssueCode::TooBig);
        // Not an integer at all: still a type error.
        assert_eq!(issue(r#"{"small":1.5,"signed":0}"#).1, IssueCode::InvalidType);
    }

    #[test]
    fn garde_rules_have_codes_and_paths() {
        let e = err_of(r#"{"name":"é","items":[{"qty":1},{"qty":0}]}"#);
        let codes: Vec<_> = e.issues().iter().map(|i| (crate::error::join_path(&i.path), i.code)).collect();
        assert!(codes.contains(&("name".into(), IssueCode::TooSmall)), "{codes:?}");
        assert!(codes.contains(&("items.1.qty".into(), IssueCode::TooSmall)), "{codes:?}");
        // Four two-byte characters are four code points: within max = 4.
        assert!(
            parse_args::<Args>(r#"{"name":"éééé","items":[]}"#).and_then(|a| validate(&a, || None)).is_ok()
        );
    }
}
