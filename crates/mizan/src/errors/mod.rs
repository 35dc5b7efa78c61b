//! Typed errors: a function's own errors as an enum, each variant with a
//! wire code, an HTTP status and an optional payload (`data`), listed in the
//! manifest so the generated TypeScript can narrow on `code`.
//!
//! ```
//! use mizan::{App, ErrorType, Failure, Request};
//! use serde::Serialize;
//!
//! #[derive(ErrorType, Serialize)]
//! enum ReserveError {
//!     /// Someone has it already.
//!     #[error(code = "SEAT_TAKEN", status = 409, message = "seat {seat} is taken")]
//!     SeatTaken { seat: u32 },
//!     #[error(code = "SOLD_OUT", status = 409)]
//!     SoldOut,
//! }
//!
//! #[derive(Serialize, schemars::JsonSchema)]
//! struct Ticket { seat: u32, ticket: String }
//!
//! /// Only the declared errors (and the pipeline's own, such as `VALIDATION`).
//! #[mizan::client]
//! async fn reserve(_req: &Request, seat: u32) -> mizan::Result<Ticket, ReserveError> {
//!     match seat {
//!         13 => Err(ReserveError::SeatTaken { seat }),
//!         101.. => Err(ReserveError::SoldOut),
//!         _ => Ok(Ticket { seat, ticket: format!("T-{seat}") }),
//!     }
//! }
//!
//! /// The declared errors and mizan's own (`?` on a `mizan::Error`).
//! #[mizan::client]
//! async fn rebook(req: &Request, seat: u32) -> mizan::Result<Ticket, Failure<ReserveError>> {
//!     req.identity().ok_or_else(|| mizan::Error::unauthenticated("log in first"))?;
//!     if seat > 100 {
//!         return Err(ReserveError::SoldOut.into());
//!     }
//!     Ok(Ticket { seat, ticket: format!("T-{seat}") })
//! }
//!
//! let manifest = App::new().register(reserve).register(rebook).manifest().unwrap().to_json();
//! let errors = &manifest["functions"][0]["errors"];
//! assert_eq!(errors[0]["code"], "SEAT_TAKEN");
//! assert_eq!(errors[0]["data"]["properties"]["seat"]["type"], "integer");
//! assert_eq!(errors[1], serde_json::json!({ "code": "SOLD_OUT", "status": 409, "data": null }));
//!
//! let e = mizan::Error::from(ReserveError::SeatTaken { seat: 13 });
//! assert_eq!((e.code(), e.status().as_u16(), e.message()), ("SEAT_TAKEN", 409, "seat 13 is taken"));
//! assert_eq!(e.data(), Some(&serde_json::json!({ "seat": 13 })));
//! assert_eq!(mizan::Error::from(ReserveError::SoldOut).message(), "Sold out");
//! ```
//!
//! On the wire a typed error is an error object with the variant's code and
//! status, and its payload under `"data"` (no `data` key for a unit
//! variant). A function returning `mizan::Result<T, E>` answers only `E`'s
//! variants and the framework's codes; `mizan::Result<T, Failure<E>>` also
//! takes mizan's own errors through `?` (`Error::internal`, field errors),
//! and a code of the application's own there is an `INTERNAL` (declare it
//! as a variant), so the generated union is the whole truth.

mod declared;
mod failure;

use std::borrow::Cow;

use axum::http::StatusCode;
use schemars::{Schema, SchemaGenerator};
use serde::Serialize;
use serde_json::Value;

pub use declared::Declared;
pub(crate) use declared::manifest_entries;
pub use failure::{Failure, FnError};

use crate::Error;

/// One declared error: a variant of an [`ErrorType`] enum.
#[derive(Debug, Clone, Copy)]
pub struct ErrorVariant {
    /// The Rust variant's name (for messages).
    pub name: &'static str,
    /// The wire code, `[A-Z_]+`, not one the framework uses.
    pub code: &'static str,
    /// The HTTP status, 400 to 599.
    pub status: u16,
    /// The schema of its `data` (serialize side), `None` when it has none.
    pub data: Option<fn(&mut SchemaGenerator) -> Schema>,
}

/// A function's typed errors: an enum, one variant per error. Derive it
/// with `#[derive(mizan::ErrorType, serde::Serialize)]` (see the [module
/// docs](self)); by hand, [`ErrorType::VARIANTS`] lists every variant and
/// the enum serializes in serde's default, externally tagged form (the
/// value under the variant's name is its `data`; a unit variant is a bare
/// string and has none).
pub trait ErrorType: Serialize + Send + 'static {
    /// Every variant, in declaration order.
    const VARIANTS: &'static [ErrorVariant];

    /// The index of this value's variant in [`ErrorType::VARIANTS`].
    fn variant(&self) -> usize;

    /// The message sent with it, for people (`message = "…"`, or the code
    /// in sentence case).
    fn message(&self) -> Cow<'static, str>;
}

impl<E: ErrorType> From<E> for Error {
    /// The error object of a typed error: its variant's code, status and
    /// message, and its payload as `data`. A payload that cannot be sent
    /// (a NaN, a serialization that is not serde's externally tagged enum)
    /// is an `INTERNAL` naming the variant.
    fn from(e: E) -> Self {
        typed(&e)
    }
}

/// [`From<E> for Error`](Error#impl-From<E>-for-Error), by reference.
fn typed<E: ErrorType>(e: &E) -> Error {
    let type_name = std::any::type_name::<E>();
    let Some(variant) = E::VARIANTS.get(e.variant()) else {
        return Error::internal(format!("{type_name}: variant {} is not in its VARIANTS", e.variant()));
    };
    let Ok(status) = StatusCode::from_u16(variant.status) else {
        return Error::internal(format!(
            "{type_name}::{}: status {} is invalid",
            variant.name, variant.status
        ));
    };
    let error = Error::new(status, variant.code, e.message());
    if error.is_internal() {
        return error;
    }
    match (payload(e), variant.data.is_some()) {
        (Ok(Some(data)), true) => error.with_data(data),
        (Ok(None), false) => error,
        (Ok(_), _) => Error::internal(format!(
            "{type_name}::{}: its value does not match its declaration (data or none)",
            variant.name
        )),
        (Err(why), _) => {
            Error::internal(format!("{type_name}::{}: its data cannot be sent: {why}", variant.name))
        }
    }
}

/// The payload of an externally tagged enum value: the value under the
/// variant's key, or `None` for a unit variant (a bare string).
fn payload<E: Serialize>(e: &E) -> Result<Option<Value>, String> {
    let mut out = Vec::with_capacity(64);
    crate::finite::to_writer(&mut out, e)?;
    match serde_json::from_slice(&out).map_err(|e| e.to_string())? {
        Value::String(_) => Ok(None),
        Value::Object(map) if map.len() == 1 => Ok(map.into_iter().next().map(|(_, v)| v)),
        _ => Err("it does not serialize as serde's externally tagged enum".into()),
    }
}

#[cfg(test)]
mod tests;
