//! The whole gate on typed inputs: bodies that are not objects, the
//! contract's issues, serde's after it, and garde's server-only rules with
//! their paths; rules the schema carries are the contract's alone.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::auth::Auth;
use crate::call::Gate;
use crate::error::{IssueCode, join_path};
use crate::{Error, Result};

#[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
struct Args {
    #[garde(length(chars, min = 2, max = 4))]
    name: String,
    #[garde(dive)]
    items: Vec<Item>,
}

#[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
#[serde(rename_all = "camelCase")]
struct Item {
    #[garde(range(min = 1))]
    qty: i32,
    /// Bytes in garde (no `chars`): the schema's code points decide.
    #[garde(length(max = 3))]
    short_name: Option<String>,
    #[garde(ascii)]
    #[serde(default)]
    code: String,
}

fn gate() -> Gate<Args> {
    Gate::new(Auth::Public)
}

fn err_of(input: &str) -> Error {
    match gate().parse(input) {
        Ok(a) => panic!("expected an error, got {a:?}"),
        Err(e) => e,
    }
}

fn issues(e: &Error) -> Vec<(String, IssueCode)> {
    e.issues().iter().map(|i| (join_path(&i.path), i.code)).collect()
}

#[test]
fn syntax_and_shape_are_bad_requests() {
    assert_eq!(err_of("{").code(), "BAD_REQUEST");
    assert_eq!(err_of("[1]").code(), "BAD_REQUEST");
    assert_eq!(err_of("nope").code(), "BAD_REQUEST");
    assert_eq!(err_of(r#"{"name":"ab","items":[]} x"#).code(), "BAD_REQUEST");
}

#[test]
fn every_schema_issue_at_once_with_wire_paths() {
    let e = err_of(r#"{"items":[{"qty":"x","shortName":"abcd"}],"extra":1}"#);
    assert_eq!(e.code(), "VALIDATION");
    assert_eq!(
        issues(&e),
        [
            ("name".into(), IssueCode::Required),
            ("items.0.qty".into(), IssueCode::InvalidType),
            ("items.0.shortName".into(), IssueCode::TooBig),
            ("extra".into(), IssueCode::UnknownKey),
        ]
    );
    // Item has no deny_unknown_fields: the contract refuses its unknown keys anyway.
    let e = err_of(r#"{"name":"ab","items":[{"qty":1,"short_name":"a"}]}"#);
    assert_eq!(issues(&e), [("items.0.short_name".into(), IssueCode::UnknownKey)]);
}

#[test]
fn code_points_decide_lengths_even_where_garde_counts_bytes() -> Result<()> {
    // Three code points (six bytes): garde's byte count is not consulted.
    let args = gate().parse(r#"{"name":"éé","items":[{"qty":1,"shortName":"ééé"}]}"#)?;
    assert_eq!(args.items[0].short_name.as_deref(), Some("ééé"));
    let e = err_of(r#"{"name":"é","items":[{"qty":0}]}"#);
    assert_eq!(
        issues(&e),
        [("name".into(), IssueCode::TooSmall), ("items.0.qty".into(), IssueCode::TooSmall)]
    );
    // Reported once, by the contract (garde never ran).
    assert!(e.issues().iter().all(|i| !i.message.contains("lower than 1\u{1}")));
    Ok(())
}

#[test]
fn server_only_rules_come_from_garde_at_exact_wire_paths() {
    let e = err_of(r#"{"name":"abc","items":[{"qty":1},{"qty":2,"code":"é"}]}"#);
    assert_eq!(issues(&e), [("items.1.code".into(), IssueCode::InvalidFormat)]);
}

#[test]
fn a_renamed_field_garde_cannot_place_stays_at_its_deepest_wire_prefix() {
    #[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        #[garde(dive)]
        inner: Inner,
    }
    #[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
    struct Inner {
        #[serde(rename = "promo")]
        #[garde(ascii)]
        promo_code: String,
    }
    let e = Gate::<Outer>::new(Auth::Public).parse(r#"{"inner":{"promo":"é"}}"#).expect_err("not ASCII");
    let issue = &e.issues()[0];
    assert_eq!(join_path(&issue.path), "inner");
    assert!(issue.message.starts_with("promo_code: "), "{}", issue.message);
}

#[test]
fn integers_outside_their_type_are_too_big_or_too_small() {
    #[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
    #[serde(deny_unknown_fields)]
    #[garde(allow_unvalidated)]
    #[allow(dead_code)]
    struct Ints {
        small: u8,
        signed: i8,
    }
    let issue = |input: &str| {
        let e = Gate::<Ints>::new(Auth::Public).parse(input).expect_err("out of range");
        let i = &e.issues()[0];
        (join_path(&i.path), i.code)
    };
    assert_eq!(issue(r#"{"small":256,"signed":0}"#), ("small".into(), IssueCode::TooBig));
    assert_eq!(issue(r#"{"small":-1,"signed":0}"#), ("small".into(), IssueCode::TooSmall));
    assert_eq!(issue(r#"{"small":0,"signed":-129}"#), ("signed".into(), IssueCode::TooSmall));
    assert_eq!(issue(r#"{"small":0,"signed":128}"#).1, IssueCode::TooBig);
    assert_eq!(issue(r#"{"small":1.5,"signed":0}"#).1, IssueCode::InvalidType);
    // A float spelling of an integer passes the contract; serde refuses it for the Rust type.
    assert_eq!(issue(r#"{"small":1.0,"signed":0}"#), ("small".into(), IssueCode::InvalidType));
}
