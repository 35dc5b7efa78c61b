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
mod form;
mod options;
mod serde_names;

use proc_macro::TokenStream;

/// Turns an async function into a mizan server function.
///
/// Options: `query`, `auth = true | "staff" | "superuser" | path::to::check`,
/// `context = "global" | "local"`, `invalidates = [query_fn, ...]`,
/// `rate = "N/period"` (at most N calls per caller, its identity or else
/// its address, in each period: `s`, `min`, `h` or `day`; past it the call
/// answers 429 `RATE_LIMITED` with `retry-after`).
/// The function must be `async`, take `&mizan::Request` first and return
/// `mizan::Result<T>`. The item becomes a unit struct of the same name
/// (pass it to `App::register`); the body stays callable as `name::run`.
#[proc_macro_attribute]
pub fn client(attr: TokenStream, item: TokenStream) -> TokenStream {
    client::expand(attr.into(), item.into()).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// Derives `mizan::forms::FormFields`: the wire names and per-field form
/// metadata of a struct that implements `mizan::Form`.
///
/// Field options, all optional: `#[form(label = "…", widget = "…", help =
/// "…", initial = LITERAL, choices = [VALUE, (VALUE, "Label"), …])]`.
/// Widgets: `text`, `textarea`, `email`, `url`, `password`, `number`,
/// `checkbox`, `select`, `radio`, `date`, `time`, `datetime-local`,
/// `hidden`. The struct must say `#[serde(deny_unknown_fields)]`, cannot be
/// generic and cannot flatten fields; string `length` rules must count
/// `chars`. Wire names follow `#[serde(rename_all = …)]` and
/// `#[serde(rename = …)]`; `#[serde(skip)]` fields are not form fields.
#[proc_macro_derive(FormFields, attributes(form))]
pub fn form_fields(item: TokenStream) -> TokenStream {
    form::expand(item.into()).unwrap_or_else(syn::Error::into_compile_error).into()
}
