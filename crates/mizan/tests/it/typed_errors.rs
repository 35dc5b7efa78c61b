//! Typed errors on the wire: a declared variant's code, status and `data`
//! (no `data` key for a unit variant), in a single call and in a batch
//! (where every error item carries its `status`), mizan's own errors beside
//! them, an undeclared code refused at run time, and a framework code
//! refused when the app starts.

use crate::support;

use axum::http::StatusCode;
use mizan::{App, Error, ErrorType, Failure, Request};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Serialize, JsonSchema)]
struct Ticket {
    seat: u32,
    ticket: String,
}

#[derive(Serialize, JsonSchema)]
struct Hold {
    until: String,
}

#[derive(ErrorType, Serialize)]
enum ReserveError {
    #[error(code = "SEAT_TAKEN", status = 409, message = "seat {seat} is taken")]
    SeatTaken { seat: u32 },
    #[error(code = "SOLD_OUT", status = 409)]
    SoldOut,
    #[error(code = "ON_HOLD", status = 423)]
    OnHold(Hold),
}

/// Seat 13 is taken, 14 is on hold, past 100 sold out.
#[mizan::client]
async fn reserve(_req: &Request, seat: u32) -> mizan::Result<Ticket, ReserveError> {
    match seat {
        13 => Err(ReserveError::SeatTaken { seat }),
        14 => Err(ReserveError::OnHold(Hold { until: "noon".into() })),
        101.. => Err(ReserveError::SoldOut),
        _ => Ok(Ticket { seat, ticket: format!("T-{seat}") }),
    }
}

/// Both kinds: seat 0 is a field error, 1 an undeclared code of its own,
/// 2 an internal error, 3 a panic, 13 taken.
#[mizan::client(query)]
async fn rebook(_req: &Request, seat: u32) -> mizan::Result<u32, Failure<ReserveError>> {
    match seat {
        0 => Err(Error::validation("no seat 0").with_field("seat", "seats start at 1"))?,
        1 => Err(Error::new(StatusCode::CONFLICT, "DOUBLE_BOOKED", "not declared"))?,
        2 => Err(Error::internal("the ledger is down"))?,
        3 => panic!("rebook panicked"),
        13 => Err(ReserveError::SeatTaken { seat })?,
        _ => Ok(seat),
    }
}

/// An untyped function may still answer a code of its own.
#[mizan::client]
async fn untyped(_req: &Request) -> mizan::Result<()> {
    Err(Error::new(StatusCode::CONFLICT, "MY_OWN", "mine"))
}

fn app() -> App {
    App::new().register(reserve).register(rebook).register(untyped)
}

async fn send(method: reqwest::Method, url: &str, body: Option<Value>) -> (u16, Value) {
    let mut r = reqwest::Client::new().request(method, url);
    if let Some(body) = body {
        r = r.header("content-type", "application/json").body(body.to_string());
    }
    let r = r.send().await.expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.expect("json body"))
}

async fn post(url: &str, body: Value) -> (u16, Value) {
    send(reqwest::Method::POST, url, Some(body)).await
}

#[tokio::test]
async fn a_declared_error_is_its_code_status_and_data() {
    let base = support::serve(app()).await.api;
    let url = format!("{base}/call/reserve");
    assert_eq!(
        post(&url, json!({ "seat": 7 })).await,
        (200, json!({ "data": { "seat": 7, "ticket": "T-7" } }))
    );
    assert_eq!(
        post(&url, json!({ "seat": 13 })).await,
        (
            409,
            json!({ "error": { "code": "SEAT_TAKEN", "message": "seat 13 is taken", "data": { "seat": 13 } } })
        )
    );
    let (status, v) = post(&url, json!({ "seat": 101 })).await;
    assert_eq!((status, &v), (409, &json!({ "error": { "code": "SOLD_OUT", "message": "Sold out" } })));
    assert!(v["error"].get("data").is_none(), "a unit variant has no data key: {v}");
    assert_eq!(
        post(&url, json!({ "seat": 14 })).await,
        (423, json!({ "error": { "code": "ON_HOLD", "message": "On hold", "data": { "until": "noon" } } }))
    );
    // The pipeline's own errors still come first: a bad input never runs the handler.
    let (status, v) = post(&url, json!({ "seat": "thirteen" })).await;
    assert_eq!((status, v["error"]["code"].as_str()), (422, Some("VALIDATION")));
    // A mutation answers no GET, typed or not.
    let (status, v) = send(reqwest::Method::GET, &url, None).await;
    assert_eq!((status, v["error"]["code"].as_str()), (405, Some("METHOD_NOT_ALLOWED")));
}

#[tokio::test]
async fn failure_carries_mizans_errors_and_refuses_undeclared_codes() {
    let base = support::serve(app()).await.api;
    let get = |seat: u32| {
        let url = format!("{base}/call/rebook?input=%7B%22seat%22%3A{seat}%7D");
        async move { send(reqwest::Method::GET, &url, None).await }
    };
    assert_eq!(get(5).await, (200, json!({ "data": 5 })));
    let (status, v) = get(0).await;
    assert_eq!((status, v["error"]["fields"]["seat"][0].as_str()), (422, Some("seats start at 1")));
    let (status, v) = get(13).await;
    assert_eq!((status, &v["error"]["data"]), (409, &json!({ "seat": 13 })));
    // A code of the application's own that the type does not declare is
    // INTERNAL: the client's union holds every code it can see.
    for seat in [1, 2, 3] {
        let (status, v) = get(seat).await;
        assert_eq!((status, v["error"]["code"].as_str()), (500, Some("INTERNAL")), "seat {seat}: {v}");
        assert!(v["error"]["request_id"].is_string(), "{v}");
        assert!(!v.to_string().contains("DOUBLE_BOOKED") && !v.to_string().contains("ledger"), "{v}");
    }
    // Untyped functions keep their own codes.
    let (status, v) = post(&format!("{base}/call/untyped"), json!({})).await;
    assert_eq!((status, v["error"]["code"].as_str()), (409, Some("MY_OWN")));
}

#[tokio::test]
async fn every_batch_error_item_carries_its_status() {
    let base = support::serve(app()).await.api;
    let body = json!([
        { "fn": "reserve", "args": { "seat": 13 } },
        { "fn": "reserve", "args": { "seat": 101 } },
        { "fn": "reserve", "args": { "seat": 8 } },
        { "fn": "reserve", "args": { "seat": -1 } },
        { "fn": "untyped" },
        { "fn": "nope" },
        { "fn": "rebook", "args": { "seat": 2 } },
    ]);
    let (status, v) = post(&format!("{base}/batch"), body).await;
    assert_eq!(status, 200);
    let items = v.as_array().expect("an array");
    assert_eq!(
        items[0],
        json!({ "error": { "code": "SEAT_TAKEN", "status": 409, "message": "seat 13 is taken", "data": { "seat": 13 } } })
    );
    let keys: Vec<&String> = items[0]["error"].as_object().expect("object").keys().collect();
    assert_eq!(keys, ["code", "status", "message", "data"]);
    assert_eq!(items[1], json!({ "error": { "code": "SOLD_OUT", "status": 409, "message": "Sold out" } }));
    assert_eq!(items[2], json!({ "data": { "seat": 8, "ticket": "T-8" } }));
    let statuses: Vec<(Value, Value)> =
        items[3..].iter().map(|i| (i["error"]["code"].clone(), i["error"]["status"].clone())).collect();
    assert_eq!(
        statuses,
        [
            (json!("VALIDATION"), json!(422)),
            (json!("MY_OWN"), json!(409)),
            (json!("NOT_FOUND"), json!(404)),
            (json!("INTERNAL"), json!(500)),
        ]
    );
}

#[derive(ErrorType, Serialize)]
#[allow(dead_code)]
enum Clashing {
    #[error(code = "FINE", status = 409)]
    Fine,
    #[error(code = "NOT_FOUND", status = 404)]
    Missing,
    #[error(code = "NETWORK", status = 503)]
    Offline,
}

#[mizan::client]
async fn clashing(_req: &Request) -> mizan::Result<(), Clashing> {
    Ok(())
}

#[test]
fn a_framework_code_is_a_startup_error() {
    let app = App::new().register(clashing);
    let e = app.check().expect_err("refused").to_string();
    assert!(e.contains("function `clashing`"), "{e}");
    assert!(e.contains("typed_errors::Clashing"), "{e}");
    assert!(e.contains("error code `NOT_FOUND` is the framework's code"), "{e}");
    assert!(e.contains("error code `NETWORK` is the client's own code"), "{e}");
    assert!(!e.contains("`FINE`"), "{e}");
    // Serving refuses it too.
    assert!(App::new().register(clashing).try_router().is_err());
}

#[test]
fn the_manifest_lists_each_functions_errors() {
    let m = app().manifest().expect("a manifest").to_json();
    let f =
        |name: &str| m["functions"].as_array().unwrap().iter().find(|f| f["name"] == name).unwrap().clone();
    let errors = f("reserve")["errors"].clone();
    assert_eq!(errors[0]["code"], "SEAT_TAKEN");
    assert_eq!(errors[0]["status"], 409);
    assert_eq!(errors[0]["data"]["properties"]["seat"]["format"], "uint32");
    assert_eq!(errors[1], json!({ "code": "SOLD_OUT", "status": 409, "data": null }));
    // A newtype's value is referenced like an output, from output_defs.
    assert_eq!(errors[2], json!({ "code": "ON_HOLD", "status": 423, "data": { "$ref": "#/$defs/Hold" } }));
    assert!(m["output_defs"]["Hold"].is_object(), "{}", m["output_defs"]);
    assert_eq!(f("rebook")["errors"], errors, "Failure<E> declares E's errors");
    assert!(f("untyped").get("errors").is_none());
    // The enum itself is no definition: its union is generated per function.
    assert!(m["output_defs"].get("ReserveError").is_none());
    assert_eq!(ReserveError::VARIANTS.len(), 3);
}
