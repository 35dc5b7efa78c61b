use serde::Serialize;
use serde_json::json;

use super::{Declared, ErrorType, ErrorVariant, Failure, FnError};
use crate::Error;

#[derive(crate::ErrorType, Serialize)]
#[serde(rename_all = "snake_case", rename_all_fields = "camelCase")]
enum Booking {
    #[error(code = "SEAT_TAKEN", status = 409, message = "seat {seat_no} is taken")]
    SeatTaken { seat_no: u32 },
    #[error(code = "SOLD_OUT", status = 410)]
    SoldOut,
    #[error(code = "ON_HOLD", status = 423, message = "held")]
    OnHold(Vec<u32>),
    #[error(code = "NAN", status = 400)]
    Nan { ratio: f64 },
}

#[test]
fn variants_are_declared_in_order() {
    let v: Vec<(&str, &str, u16, bool)> =
        Booking::VARIANTS.iter().map(|v| (v.name, v.code, v.status, v.data.is_some())).collect();
    assert_eq!(
        v,
        [
            ("SeatTaken", "SEAT_TAKEN", 409, true),
            ("SoldOut", "SOLD_OUT", 410, false),
            ("OnHold", "ON_HOLD", 423, true),
            ("Nan", "NAN", 400, true),
        ]
    );
}

#[test]
fn each_variant_is_its_code_status_message_and_data() {
    let e = Error::from(Booking::SeatTaken { seat_no: 13 });
    assert_eq!((e.code(), e.status().as_u16(), e.message()), ("SEAT_TAKEN", 409, "seat 13 is taken"));
    // serde's field renames reach the data.
    assert_eq!(e.data(), Some(&json!({ "seatNo": 13 })));
    assert_eq!(
        e.to_wire(),
        json!({ "code": "SEAT_TAKEN", "message": "seat 13 is taken", "data": { "seatNo": 13 } })
    );

    let e = Error::from(Booking::SoldOut);
    assert_eq!((e.code(), e.status().as_u16(), e.message()), ("SOLD_OUT", 410, "Sold out"));
    assert_eq!(e.data(), None);
    assert!(e.to_wire().get("data").is_none(), "a unit variant has no data key");

    let e = Error::from(Booking::OnHold(vec![1, 2]));
    assert_eq!((e.code(), e.message()), ("ON_HOLD", "held"));
    assert_eq!(e.data(), Some(&json!([1, 2])));
}

#[test]
fn a_payload_that_cannot_be_sent_is_internal() {
    let e = Error::from(Booking::Nan { ratio: f64::NAN });
    assert!(e.is_internal());
    assert!(e.message().contains("Booking::Nan"), "{}", e.message());
}

#[test]
fn data_schemas_follow_the_fields() {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().for_serialize().into_generator();
    let schemas: Vec<Option<serde_json::Value>> =
        Booking::VARIANTS.iter().map(|v| v.data.map(|f| f(&mut generator).to_value())).collect();
    let seat = schemas[0].as_ref().unwrap();
    assert_eq!(seat["type"], "object");
    assert_eq!(seat["properties"]["seatNo"]["type"], "integer");
    assert_eq!(seat["required"], json!(["seatNo"]));
    assert_eq!(schemas[1], None);
    assert_eq!(schemas[2].as_ref().unwrap()["type"], "array");
}

#[test]
fn failure_takes_both_kinds() {
    let declared: Failure<Booking> = Booking::SoldOut.into();
    assert_eq!(declared.into_error().code(), "SOLD_OUT");
    let mizan: Failure<Booking> = Error::validation("bad").with_field("seat", "no").into();
    let e = mizan.into_error();
    assert_eq!((e.code(), e.fields()["seat"][0].as_str()), ("VALIDATION", "no"));
    assert_eq!(Failure::<Booking>::declared().map(|d| d.variants.len()), Some(4));
    assert!(<Error as FnError>::declared().is_none());
}

#[test]
fn an_undeclared_code_of_the_applications_own_is_internal() {
    let other: Failure<Booking> = Error::new(axum::http::StatusCode::CONFLICT, "OTHER", "x").into();
    let e = other.into_error();
    assert!(e.is_internal());
    assert!(e.message().contains("`OTHER`") && e.message().contains("Booking"), "{}", e.message());
    // A declared code built as an Error passes, and so does a framework code.
    let declared = Declared::of::<Booking>();
    assert_eq!(declared.admit(Error::from(Booking::SoldOut)).code(), "SOLD_OUT");
    assert_eq!(declared.admit(Error::not_found("x")).code(), "NOT_FOUND");
}

/// A hand-written ErrorType whose value does not match its declaration.
#[derive(Serialize)]
enum Lying {
    Unit,
}

impl ErrorType for Lying {
    const VARIANTS: &'static [ErrorVariant] = &[ErrorVariant {
        name: "Unit",
        code: "LYING",
        status: 409,
        data: Some(<u32 as schemars::JsonSchema>::json_schema),
    }];
    fn variant(&self) -> usize {
        0
    }
    fn message(&self) -> std::borrow::Cow<'static, str> {
        "lies".into()
    }
}

#[test]
fn a_declaration_the_value_breaks_is_internal() {
    let e = Error::from(Lying::Unit);
    assert!(e.is_internal());
    assert!(e.message().contains("does not match its declaration"), "{}", e.message());
}
