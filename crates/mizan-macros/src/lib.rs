//! Procedural macros for [mizan](https://docs.rs/mizan). Use them through
//! `mizan`'s re-exports:
//!
//! ```ignore
//! #[mizan::client(query, auth = "staff")]
//! async fn stats(req: &mizan::Request) -> mizan::Result<u32> { Ok(1) }
//! ```
//!
//! Every expansion returns `syn::Result`; misuse is a compile error spanned
//! on the offending tokens.

mod client;
mod error_type;
mod form;
mod options;
mod page;
mod serde_names;
mod upload;

use proc_macro::TokenStream;

/// Turns an async function into a mizan server function.
///
/// Options: `query`, `auth = true | "staff" | "superuser" | path::to::check`,
/// `context = "global" | "local"`, `invalidates = [query_fn, ...]`,
/// `rate = "N/period"` (at most N calls per caller, its identity or else
/// its address, in each period: `s`, `min`, `h` or `day`; past it the call
/// answers 429 `RATE_LIMITED` with `retry-after`).
/// The function must be `async`, take `&mizan::Request` first and return
/// `mizan::Result<T>`, or `mizan::Result<T, E>` to declare typed errors
/// (`E` a `#[derive(mizan::ErrorType)]` enum, or `mizan::Failure<E>` to
/// return mizan's own errors too). The item becomes a unit struct of the same name
/// (pass it to `App::register`); the body stays callable as `name::run`.
#[proc_macro_attribute]
pub fn client(attr: TokenStream, item: TokenStream) -> TokenStream {
    client::expand(attr.into(), item.into()).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// Declares a typed page: an async fn taking the `mizan::Request` (owned)
/// and returning `mizan::Result<mizan::Page<Props>>`, rendered with the
/// component named first (relative to the SSR dirs):
///
/// ```ignore
/// #[mizan::page("components/Todos.tsx", auth = "user")]
/// async fn todos(req: mizan::Request) -> mizan::Result<mizan::Page<TodosProps>> {
///     Ok(mizan::Page::new(TodosProps { count: 3 }).title("Todos"))
/// }
/// ```
///
/// Options: `auth = true | "user" | "staff" | "superuser" | path::to::check`
/// (as for `#[mizan::client]`; `"user"` is any identity). The item becomes
/// a unit struct of the same name implementing `mizan::PageFn` (pass it to
/// `App::page(route, …)`); the body stays callable as `name::run`.
#[proc_macro_attribute]
pub fn page(attr: TokenStream, item: TokenStream) -> TokenStream {
    page::expand(attr.into(), item.into()).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// Derives `mizan::forms::FormFields`: the wire names and per-field form
/// metadata of a struct that implements `mizan::Form`.
///
/// Field options, all optional: `#[form(label = "…", widget = "…", help =
/// "…", initial = LITERAL, choices = [VALUE, (VALUE, "Label"), …])]`.
/// Widgets: `text`, `textarea`, `email`, `url`, `password`, `number`,
/// `checkbox`, `select`, `radio`, `date`, `time`, `datetime-local`,
/// `hidden`, `file`. The struct must say `#[serde(deny_unknown_fields)]`, cannot be
/// generic and cannot flatten fields; string `length` rules must count
/// `chars`. Wire names follow `#[serde(rename_all = …)]` and
/// `#[serde(rename = …)]`; `#[serde(skip)]` fields are not form fields,
/// except one file field: a `mizan::Upload`, `Option<mizan::Upload>` or
/// `mizan::Uploads` with `#[serde(skip)]`, `#[garde(skip)]` and optionally
/// `#[upload(max_bytes = …, max_count = …, mime = […])]`, whose files are
/// parts of the multipart `NAME.submit`.
#[proc_macro_derive(FormFields, attributes(form, upload))]
pub fn form_fields(item: TokenStream) -> TokenStream {
    form::expand(item.into()).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// Derives `mizan::ErrorType` for an enum: a function's typed errors, one
/// per variant, each answered with its own code, status and `data`.
///
/// ```ignore
/// #[derive(mizan::ErrorType, serde::Serialize)]
/// enum ReserveError {
///     #[error(code = "SEAT_TAKEN", status = 409, message = "seat {seat} is taken")]
///     SeatTaken { seat: u32 },
///     #[error(code = "SOLD_OUT", status = 409)]
///     SoldOut,
/// }
/// ```
///
/// Every variant needs `code` (`[A-Z_]+`, each once) and `status` (400 to
/// 599); `message` is optional (a struct variant's fields may be
/// interpolated, `{seat}`; without one the message is the code in sentence
/// case, `Seat taken`). A struct variant's fields are its `data` (an
/// object), a newtype variant's value is, and a unit variant has no
/// `data`. The enum also derives `Serialize` in serde's default
/// (externally tagged) representation, which gives the `data`; it cannot
/// be generic. A code the framework uses is refused when the app starts.
/// The `#[error]` attribute is this derive's, so the enum cannot also
/// derive `thiserror::Error`.
#[proc_macro_derive(ErrorType, attributes(error))]
pub fn error_type(item: TokenStream) -> TokenStream {
    error_type::expand(item.into()).unwrap_or_else(syn::Error::into_compile_error).into()
}
