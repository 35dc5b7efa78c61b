//! # mizan
//!
//! One typed surface for a Rust backend and a React frontend. Mark an async
//! function `#[mizan::client]`, register it, and mizan serves it under
//! `/api/mizan/`, enforces its auth level, validates its input, and describes
//! it in a manifest from which the TypeScript client is generated.
//!
//! ```
//! use mizan::{App, Request};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize, schemars::JsonSchema)]
//! struct Output { message: String }
//!
//! /// Echo text back.
//! #[mizan::client]
//! async fn echo(_req: &Request, #[garde(length(chars, min = 1, max = 100))] text: String) -> mizan::Result<Output> {
//!     Ok(Output { message: text })
//! }
//!
//! /// Only staff may see this.
//! #[mizan::client(query, auth = "staff")]
//! async fn stats(_req: &Request) -> mizan::Result<u32> {
//!     Ok(42)
//! }
//!
//! let app = App::new().register(echo).register_as("site_stats", stats);
//! let manifest = app.manifest().unwrap().to_json();
//! assert_eq!(manifest["functions"][0]["name"], "echo");
//! assert_eq!(manifest["functions"][1]["auth"], "staff");
//! let router: axum::Router = app.mount("/api/mizan", axum::Router::new()).unwrap();
//! # let _ = router;
//! ```
//!
//! Every call goes through one pipeline: the auth level, then parsing, then
//! garde's rules, then the function, then the `{"data": …}` envelope; forms
//! and channel subscriptions use the same steps. [`App`] only collects
//! registrations; the router freezes it into the runtime requests share.
//! Optional features plug in as an [`Extension`] (`mizan::accounts` is one).
//!
//! Dates, times and ids are cargo features, each bringing its crate's
//! serde and JSON Schema support (and re-exporting the crate): `chrono`
//! (`DateTime<Utc>`, `DateTime<FixedOffset>`, `NaiveDateTime`, `NaiveDate`,
//! `NaiveTime`), `time` (`OffsetDateTime` through `time::serde::rfc3339`,
//! described by `mizan::schemas::Rfc3339`) and `uuid`
//! (`uuid::Uuid`). The server and the generated Zod accept exactly the same
//! spellings of each (`docs/protocol.md`, "Dates, times and ids").
//!
//! [`serve`] runs the router with timeouts, connection caps, response
//! compression and a graceful drain ([`ServeConfig`]); [`cli`] serves
//! through it.
//!
//! The wire protocol is described in the repository's `docs/protocol.md`,
//! the manifest in `docs/manifest.md`, and the generated TypeScript in the
//! `mizan-codegen` crate.

// The `#[mizan::client]` expansion names `::mizan`, also inside this crate.
extern crate self as mizan;

/// Entry points for the fuzz targets (feature `fuzzing`). Not public API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
#[path = "fuzz.rs"]
pub mod __fuzz;
#[cfg(feature = "accounts")]
pub mod accounts;
mod app;
mod auth;
mod call;
mod channel;
pub mod cli;
mod contexts;
mod error;
mod finite;
pub mod forms;
mod function;
mod http;
mod id;
mod limits;
mod manifest;
mod names;
mod redis_env;
mod request;
mod rules;
mod runtime;
mod schema_names;
#[cfg(feature = "time")]
pub mod schemas;
mod serve;
#[cfg(feature = "sessions")]
pub mod session;
mod ssr;
mod token;
mod validate;

pub use app::{App, Command, Extension, StartupError};
pub use auth::{Auth, Authenticator, BoxFuture, CheckFn, Credential, Identity, Role};
pub use channel::{Broadcaster, Channel, ChannelLayer, ChannelLimits, Inbound, NoMessage};
pub use contexts::global_contexts;
pub use error::{Error, Issue, IssueCode, PathSegment, Result};
pub use forms::{Form, FormFields};
pub use function::{Context, FnInfo, Kind, ServerFn};
pub use http::Limits;
pub use id::Id64;
pub use limits::{Rate, RateStore};
pub use manifest::VERSION as MANIFEST_VERSION;
pub use mizan_macros::{FormFields, client};
pub use mizan_manifest::Manifest;
pub use request::Request;
pub use serve::{ServeConfig, serve, serve_with_shutdown, shutdown_signal};
pub use ssr::{
    PageHeaders, RenderCalls, RenderEvent, RenderEvents, RenderOptions, Rendered, Ssr, SsrPool, SsrStats,
    render, render_with_contexts,
};

/// chrono, with its serde and JSON Schema support on (feature `chrono`).
#[cfg(feature = "chrono")]
pub use chrono;
/// time, with its serde and RFC 3339 support on (feature `time`).
#[cfg(feature = "time")]
pub use time;
/// uuid, with its serde and JSON Schema support on (feature `uuid`).
#[cfg(feature = "uuid")]
pub use uuid;

/// Re-exports used by macro expansions. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use garde;
    pub use schemars;
    pub use serde;

    /// An argument whose own garde rules run when its type implements
    /// `garde::Validate` (autoref specialization: `(&Nested(&x)).validate_nested(…)`
    /// picks [`ViaValidate`] when it applies, else [`ViaNothing`]).
    pub struct Nested<'a, T>(pub &'a T);

    /// The type implements `garde::Validate`: its rules run under `name`.
    pub trait ViaValidate {
        /// Runs the value's rules under `parent` + `name`.
        fn validate_nested(
            &self,
            name: &str,
            parent: &mut dyn FnMut() -> garde::Path,
            report: &mut garde::Report,
        );
    }

    impl<T: garde::Validate<Context = ()>> ViaValidate for Nested<'_, T> {
        fn validate_nested(
            &self,
            name: &str,
            parent: &mut dyn FnMut() -> garde::Path,
            report: &mut garde::Report,
        ) {
            self.0.validate_into(&(), &mut || parent().join(name), report);
        }
    }

    /// Any other type: nothing to run.
    pub trait ViaNothing {
        /// Does nothing.
        fn validate_nested(
            &self,
            name: &str,
            parent: &mut dyn FnMut() -> garde::Path,
            report: &mut garde::Report,
        ) {
            let _ = (name, parent, report);
        }
    }

    impl<T> ViaNothing for &Nested<'_, T> {}
}
