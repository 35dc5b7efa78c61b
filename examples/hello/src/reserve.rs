//! `reserve`: a function with typed errors. Seat 13 is always taken; there
//! are 100 seats.

use mizan::Request;
use schemars::JsonSchema;
use serde::Serialize;

/// The seats there are.
const SEATS: u32 = 100;

/// The seat that is always taken.
const TAKEN: u32 = 13;

/// A reserved seat.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Ticket {
    /// The seat reserved.
    pub(crate) seat: u32,
    /// The ticket's reference.
    pub(crate) ticket: String,
}

/// Why a seat cannot be reserved.
#[derive(Debug, mizan::ErrorType, Serialize)]
pub(crate) enum ReserveError {
    /// Someone has the seat already.
    #[error(code = "SEAT_TAKEN", status = 409, message = "seat {seat} is taken")]
    SeatTaken {
        /// The seat asked for.
        seat: u32,
    },
    /// There is no such seat left to sell.
    #[error(code = "SOLD_OUT", status = 409, message = "sold out")]
    SoldOut,
}

/// Reserve a seat: 409 `SEAT_TAKEN` (with the seat) for seat 13, 409
/// `SOLD_OUT` past seat 100.
#[mizan::client]
pub(crate) async fn reserve(_req: &Request, seat: u32) -> mizan::Result<Ticket, ReserveError> {
    if seat == TAKEN {
        return Err(ReserveError::SeatTaken { seat });
    }
    if seat > SEATS {
        return Err(ReserveError::SoldOut);
    }
    Ok(Ticket { seat, ticket: format!("T-{seat:03}") })
}
