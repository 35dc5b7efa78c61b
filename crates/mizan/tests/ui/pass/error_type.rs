use mizan::{App, ErrorType, Failure, Request};
use serde::Serialize;

#[derive(Serialize, schemars::JsonSchema)]
struct Hold {
    until: String,
}

/// Every kind of variant, serde's renames, messages with and without fields.
#[derive(ErrorType, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE", rename_all_fields = "camelCase")]
enum ReserveError {
    #[error(code = "SEAT_TAKEN", status = 409, message = "seat {seat_no} is taken ({{sorry}})")]
    SeatTaken {
        /// The seat.
        seat_no: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        row: Option<u8>,
    },
    #[error(code = "SOLD_OUT", status = 410)]
    SoldOut,
    #[error(code = "ON_HOLD", message = "held", status = 423)]
    OnHold(Hold),
}

#[mizan::client]
async fn reserve(_req: &Request, seat: u32) -> mizan::Result<u32, ReserveError> {
    match seat {
        13 => Err(ReserveError::SeatTaken { seat_no: seat, row: None }),
        14 => Err(ReserveError::OnHold(Hold { until: "noon".into() })),
        101.. => Err(ReserveError::SoldOut),
        _ => Ok(seat),
    }
}

#[mizan::client(query)]
async fn either(req: &Request, seat: u32) -> mizan::Result<u32, Failure<ReserveError>> {
    req.identity().ok_or_else(|| mizan::Error::unauthenticated("log in"))?;
    if seat == 0 {
        return Err(mizan::Error::validation("no seat 0").with_field("seat", "starts at 1").into());
    }
    let checked: Result<u32, ReserveError> = Err(ReserveError::SoldOut);
    Ok(checked?)
}

#[mizan::client]
async fn plain(_req: &Request) -> mizan::Result<u32, mizan::Error> {
    // A typed error converts into mizan's Error too.
    Err(ReserveError::SoldOut.into())
}

fn main() {
    assert_eq!(ReserveError::VARIANTS.len(), 3);
    let _ = App::new().register(reserve).register(either).register(plain);
}
