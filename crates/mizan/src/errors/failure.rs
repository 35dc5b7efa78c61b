//! What a server function may fail with ([`FnError`]): mizan's [`Error`],
//! an [`ErrorType`] enum, or [`Failure`] of one (either).

use super::{Declared, ErrorType};
use crate::Error;

/// The error type of a server function: `E` in `mizan::Result<T, E>`.
/// Implemented for [`Error`] (no declared errors), for every
/// [`ErrorType`] and for [`Failure`] of one.
pub trait FnError: Send + 'static {
    /// The typed errors the function declares, for the manifest; `None`
    /// for mizan's [`Error`].
    fn declared() -> Option<Declared>;

    /// The error answered on the wire.
    fn into_error(self) -> Error;
}

impl FnError for Error {
    fn declared() -> Option<Declared> {
        None
    }

    #[inline]
    fn into_error(self) -> Error {
        self
    }
}

impl<E: ErrorType> FnError for E {
    fn declared() -> Option<Declared> {
        Some(Declared::of::<E>())
    }

    fn into_error(self) -> Error {
        super::typed(&self)
    }
}

/// A typed function's failure: one of its declared errors, or one of
/// mizan's own (`?` on an [`Error`] converts, and so does `?` on an `E`).
/// For handlers that need both; `mizan::Result<T, E>` answers only `E`.
///
/// An [`Error`] carrying a code of the application's own that `E` does
/// not declare (`Error::new(…, "OTHER", …)`) is answered as `INTERNAL`,
/// logged: the function declared its codes, so the client's types hold
/// every code it can see; declare it as a variant instead.
#[derive(Debug)]
pub enum Failure<E> {
    /// One of the declared errors.
    Declared(E),
    /// One of mizan's own: `INTERNAL`, `VALIDATION` with field errors, …
    Mizan(Error),
}

impl<E: ErrorType> From<E> for Failure<E> {
    fn from(e: E) -> Self {
        Self::Declared(e)
    }
}

impl<E> From<Error> for Failure<E> {
    fn from(e: Error) -> Self {
        Self::Mizan(e)
    }
}

impl<E: ErrorType> FnError for Failure<E> {
    fn declared() -> Option<Declared> {
        Some(Declared::of::<E>())
    }

    fn into_error(self) -> Error {
        match self {
            Self::Declared(e) => super::typed(&e),
            Self::Mizan(e) => Declared::of::<E>().admit(e),
        }
    }
}
