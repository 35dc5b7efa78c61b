//! The validator on hand-written schemas: each rule, its path and its code.

use serde_json::{Value, json};

use super::Contract;
use crate::error::{IssueCode, join_path};

fn issues(schema: Value, value: Value) -> Vec<(String, IssueCode)> {
    Contract::new(&schema).check(&value).into_iter().map(|i| (join_path(&i.path), i.code)).collect()
}

fn one(path: &str, code: IssueCode) -> Vec<(String, IssueCode)> {
    vec![(path.to_owned(), code)]
}

fn object(props: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": props, "required": required, "additionalProperties": false})
}

#[test]
fn strings_count_code_points_and_check_formats_then_patterns() {
    let s = object(json!({"name": {"type": "string", "minLength": 2, "maxLength": 3}}), &["name"]);
    assert!(issues(s.clone(), json!({"name": "ééé"})).is_empty(), "three code points, six bytes");
    assert!(issues(s.clone(), json!({"name": "😀😀"})).is_empty(), "two code points, four UTF-16 units");
    assert_eq!(issues(s.clone(), json!({"name": "é"})), one("name", IssueCode::TooSmall));
    assert_eq!(issues(s.clone(), json!({"name": "éééé"})), one("name", IssueCode::TooBig));
    assert_eq!(issues(s, json!({"name": 1})), one("name", IssueCode::InvalidType));

    let email = object(json!({"e": {"type": "string", "format": "email", "pattern": "^a"}}), &["e"]);
    let both = issues(email.clone(), json!({"e": "b@"}));
    assert_eq!(both, [("e".into(), IssueCode::InvalidFormat), ("e".into(), IssueCode::InvalidFormat)]);
    assert!(issues(email, json!({"e": "a@b.co"})).is_empty());

    // A URL that does not parse stops the string's later rules, as in the generated Zod.
    let url = object(json!({"u": {"type": "string", "format": "uri", "maxLength": 1}}), &["u"]);
    assert_eq!(issues(url, json!({"u": "nope"})), one("u", IssueCode::InvalidFormat));
}

#[test]
fn integers_have_their_type_bounds_and_no_fraction() {
    let s = object(
        json!({"n": {"type": "integer", "format": "uint8", "minimum": 0, "maximum": 255},
               "r": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 10}}),
        &["n", "r"],
    );
    assert!(issues(s.clone(), json!({"n": 255, "r": 10})).is_empty());
    assert_eq!(issues(s.clone(), json!({"n": 256, "r": 1})), one("n", IssueCode::TooBig));
    assert_eq!(issues(s.clone(), json!({"n": -1, "r": 1})), one("n", IssueCode::TooSmall));
    assert_eq!(issues(s.clone(), json!({"n": 1.5, "r": 1})), one("n", IssueCode::InvalidType));
    assert_eq!(issues(s.clone(), json!({"n": 1, "r": 1e19})), one("r", IssueCode::TooBig));
    assert!(issues(s, json!({"n": 5.0, "r": 1})).is_empty(), "a float spelling of an integer is one");
    // Past 2^53 the exact integer is compared, not its rounding.
    let big = object(json!({"n": {"type": "integer", "format": "uint64", "minimum": 0}}), &["n"]);
    assert!(issues(big.clone(), json!({"n": u64::MAX})).is_empty());
    assert_eq!(issues(big, json!({"n": -1})), one("n", IssueCode::TooSmall));
}

#[test]
fn an_f32_past_its_range_is_too_big_not_infinity() {
    let s = object(json!({"x": {"type": "number", "format": "float"}}), &["x"]);
    assert!(issues(s.clone(), json!({"x": 3.4e38})).is_empty());
    assert_eq!(issues(s.clone(), json!({"x": 3.5e38})), one("x", IssueCode::TooBig));
    assert_eq!(issues(s, json!({"x": -1e300})), one("x", IssueCode::TooSmall));
}

#[test]
fn objects_refuse_unknown_keys_and_judge_defaults() {
    // No `additionalProperties: false` (serde would ignore the key): refused all the same.
    let lax = json!({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]});
    assert_eq!(issues(lax.clone(), json!({"a": "x", "b": 1})), one("b", IssueCode::UnknownKey));
    assert_eq!(issues(lax, json!({})), one("a", IssueCode::Required));
    // A map is not an object with properties: any key, each value checked.
    let map = object(
        json!({"m": {"type": "object", "additionalProperties": {"type": "integer", "format": "int32"}}}),
        &["m"],
    );
    assert_eq!(issues(map, json!({"m": {"x": 1, "y": "2"}})), one("m.y", IssueCode::InvalidType));
    let keyed = object(
        json!({"m": {"type": "object", "patternProperties": {"^\\d+$": {"type": "boolean"}}}}),
        &["m"],
    );
    assert_eq!(
        issues(keyed.clone(), json!({"m": {"12": true, "x": true}})),
        one("m.x", IssueCode::InvalidFormat)
    );
    assert_eq!(
        issues(keyed, json!({"m": {"١٢": true}})),
        one("m.١٢", IssueCode::InvalidFormat),
        "ASCII digits only"
    );
    // An absent property with a default is judged by its default.
    let d = object(json!({"page": {"type": "integer", "format": "uint32", "minimum": 1, "default": 0}}), &[]);
    assert_eq!(issues(d.clone(), json!({})), one("page", IssueCode::TooSmall));
    assert!(issues(d, json!({"page": 2})).is_empty());
}

#[test]
fn arrays_judge_their_items_then_their_size() {
    let s = object(
        json!({"xs": {"type": "array", "items": {"type": "string", "maxLength": 1}, "minItems": 2, "maxItems": 3}}),
        &["xs"],
    );
    assert_eq!(
        issues(s.clone(), json!({"xs": ["aa"]})),
        [("xs.0".into(), IssueCode::TooBig), ("xs".into(), IssueCode::TooSmall)]
    );
    let four = issues(s.clone(), json!({"xs": ["a", "b", "c", "dd"]}));
    assert_eq!(four, [("xs.3".into(), IssueCode::TooBig), ("xs".into(), IssueCode::TooBig)]);
    assert_eq!(issues(s, json!({"xs": "ab"})), one("xs", IssueCode::InvalidType), "a string is no list");
    let tuple = object(
        json!({"t": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "boolean"}], "minItems": 2, "maxItems": 2}}),
        &["t"],
    );
    assert_eq!(issues(tuple.clone(), json!({"t": ["a"]})), one("t", IssueCode::TooSmall));
    assert_eq!(
        issues(tuple, json!({"t": [1, true, 3]})),
        [("t".into(), IssueCode::TooBig), ("t.0".into(), IssueCode::InvalidType)]
    );
}

fn enums() -> Value {
    json!({
        "type": "object",
        "properties": {"e": {"$ref": "#/$defs/E"}, "i": {"$ref": "#/$defs/I"}, "u": {"$ref": "#/$defs/U"}},
        "additionalProperties": false,
        "$defs": {
            "E": {"oneOf": [
                {"type": "string", "const": "Unit"},
                {"type": "object", "properties": {"Mail": {"type": "string", "format": "email"}}, "required": ["Mail"], "additionalProperties": false},
                {"type": "object", "properties": {"Num": {"type": "integer", "format": "uint8", "minimum": 0, "maximum": 255}}, "required": ["Num"], "additionalProperties": false}
            ]},
            "I": {"oneOf": [
                {"type": "object", "properties": {"type": {"type": "string", "const": "a"}, "x": {"type": "string", "minLength": 2}}, "required": ["type", "x"]},
                {"type": "object", "properties": {"type": {"type": "string", "const": "b"}}, "required": ["type"]}
            ]},
            "U": {"anyOf": [
                {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "required": ["a", "b"]},
                {"type": "integer", "format": "int32"}
            ]}
        }
    })
}

#[test]
fn a_selected_variant_reports_at_its_own_paths_and_no_match_is_one_invalid_value() {
    assert!(issues(enums(), json!({"e": "Unit", "i": {"type": "b"}, "u": 1})).is_empty());
    // Externally tagged: the variant's key is in the path.
    assert_eq!(issues(enums(), json!({"e": {"Mail": "x"}})), one("e.Mail", IssueCode::InvalidFormat));
    assert_eq!(issues(enums(), json!({"e": {"Num": 300}})), one("e.Num", IssueCode::TooBig));
    assert_eq!(issues(enums(), json!({"e": "Other"})), one("e", IssueCode::InvalidValue));
    assert_eq!(
        issues(enums(), json!({"e": {"Mail": "a@b.co", "Num": 1}})),
        one("e", IssueCode::InvalidValue)
    );
    // Internally tagged: the tag selects; an unknown tag selects nothing.
    assert_eq!(issues(enums(), json!({"i": {"type": "a", "x": "y"}})), one("i.x", IssueCode::TooSmall));
    assert_eq!(issues(enums(), json!({"i": {"type": "b", "x": "yy"}})), one("i.x", IssueCode::UnknownKey));
    assert_eq!(issues(enums(), json!({"i": {"type": "c"}})), one("i", IssueCode::InvalidValue));
    // Untagged: the first member that accepts, else one invalid_value.
    assert_eq!(issues(enums(), json!({"u": {"a": "x"}})), one("u", IssueCode::InvalidValue));
    assert_eq!(
        issues(enums(), json!({"u": {"a": "x", "b": "y", "c": 1}})),
        one("u", IssueCode::InvalidValue)
    );
}

#[test]
fn plain_contracts_are_only_scalars_without_rules() {
    let plain = |s: Value| Contract::new(&s).is_plain();
    assert!(plain(object(json!({"text": {"type": "string"}}), &["text"])));
    assert!(plain(object(
        json!({"n": {"type": "integer", "format": "uint8", "minimum": 0, "maximum": 255}}),
        &[]
    )));
    assert!(plain(object(json!({"o": {"type": ["string", "null"]}}), &[])));
    assert!(plain(json!({"type": "object", "additionalProperties": false})));
    assert!(!plain(object(
        json!({"n": {"type": "integer", "format": "uint8", "minimum": 1, "maximum": 255}}),
        &[]
    )));
    assert!(!plain(object(json!({"t": {"type": "string", "minLength": 1}}), &["t"])));
    assert!(!plain(object(json!({"x": {"type": "number", "format": "float"}}), &["x"])), "f32 has a range");
    assert!(!plain(object(json!({"e": {"type": "string", "format": "email"}}), &["e"])));
    assert!(
        !plain(json!({"type": "object", "properties": {"a": {"type": "string"}}})),
        "unknown keys allowed by serde"
    );
    assert!(!plain(object(json!({"r": {"$ref": "#/$defs/R"}}), &["r"])));
}

#[test]
fn a_string_argument_is_plain_as_the_macro_derives_it() {
    #[derive(serde::Deserialize, schemars::JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[schemars(rename = "EchoArgs")]
    #[allow(dead_code)]
    struct EchoArgs {
        text: String,
        count: u32,
        maybe: Option<i64>,
    }
    // hello's `echo(text: String)` keeps the typed fast path.
    assert!(Contract::new(&crate::validate::root_schema::<EchoArgs>()).is_plain());
}

#[test]
fn admitted_dates_and_times_are_written_canonically_where_they_are() {
    let local = json!({"type": "string", "format": "partial-date-time"});
    let schema = json!({
        "type": "object",
        "properties": {
            "at": local,
            "many": {"type": "array", "items": {"type": "string", "format": "time"}},
            "either": {"anyOf": [{"type": "integer"}, {"type": "string", "format": "date-time"}]},
            "later": {"type": "string", "format": "partial-date-time", "default": "2025-01-01T00:00"},
        },
        "required": ["at", "many", "either"],
        "additionalProperties": false,
    });
    let contract = Contract::new(&schema);
    let mut value =
        json!({"at": "2025-03-01t09:30", "many": ["09:30", "10:15:00"], "either": "2025-03-01t09:30:00z"});
    assert_eq!(contract.admit(&mut value).map_err(|i| i.len()), Ok(()));
    assert_eq!(
        value,
        json!({"at": "2025-03-01T09:30:00", "many": ["09:30:00", "10:15:00"], "either": "2025-03-01T09:30:00Z"}),
        "every accepted spelling canonical, in arrays and in the union member that took it; no default added"
    );
    // A refused value is left as it was sent.
    let mut refused = json!({"at": "2025-03-01T09:30", "many": ["24:00"], "either": 1});
    let before = refused.clone();
    let issues = contract.admit(&mut refused).expect_err("24:00 is no time");
    assert_eq!(
        issues.iter().map(|i| (join_path(&i.path), i.code)).collect::<Vec<_>>(),
        one("many.0", IssueCode::InvalidFormat)
    );
    assert_eq!(refused, before);
}

#[test]
fn a_non_integer_item_hides_the_size_of_every_array_around_it_up_to_a_union() {
    // Zod's non-integer refusal aborts (`continue: false`): the array's size
    // checks, and those of arrays around it, are skipped; a union re-reports
    // its member's issues without the flag.
    let ints = json!({"type": "array", "items": {"type": "integer", "format": "int32"}, "maxItems": 1});
    let s = object(
        json!({"a": ints, "nested": {"type": "array", "items": ints, "maxItems": 1}}),
        &["a", "nested"],
    );
    let got = issues(s.clone(), json!({"a": [1.5, 2], "nested": [[1.5], []]}));
    assert_eq!(got, [("a.0".into(), IssueCode::InvalidType), ("nested.0.0".into(), IssueCode::InvalidType)]);
    // Without a fraction, sizes are judged after the items.
    let got = issues(s, json!({"a": ["x", 2], "nested": [[], []]}));
    assert_eq!(
        got,
        [
            ("a.0".into(), IssueCode::InvalidType),
            ("a".into(), IssueCode::TooBig),
            ("nested".into(), IssueCode::TooBig)
        ]
    );
    let tagged = json!({"anyOf": [
        object(json!({"kind": {"const": "a"}, "n": {"type": "integer", "format": "int32"}}), &["kind", "n"]),
        object(json!({"kind": {"const": "b"}}), &["kind"]),
    ]});
    let list = object(json!({"l": {"type": "array", "items": tagged, "maxItems": 1}}), &["l"]);
    let got = issues(list, json!({"l": [{"kind": "a", "n": 1.5}, {"kind": "b"}]}));
    assert_eq!(got, [("l.0.n".into(), IssueCode::InvalidType), ("l".into(), IssueCode::TooBig)]);
}
