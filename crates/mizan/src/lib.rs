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
//! Server-rendered pages come from [`render`] (a component and JSON props)
//! or, typed, from `#[mizan::page("components/X.tsx")]` returning a
//! [`Page`] of props, registered with [`App::page`]: the manifest lists
//! them (codegen checks each component against its props), and every page
//! answers a visit (`x-mizan-visit: 1`) with its page object as JSON.
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
//! through it. Every mounted app answers a health check, `GET /healthz`
//! ([`Health`]). An app's own tests call it in-process, without a socket,
//! through [`test::TestClient`].
//!
//! The wire protocol is described in the repository's `docs/protocol.md`,
//! the manifest in `docs/manifest.md`, and the generated TypeScript in the
//! `mizan-codegen` crate.

// The `#[mizan::client]` expansion names `::mizan`, also inside this crate.
extern crate self as mizan;

/// The guide's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guide/testing.md")]
struct GuideTesting;

/// The guide's getting-started.md: its Rust examples compiled (and run, unless `no_run`).
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guide/getting-started.md")]
struct GuideGettingStarted;

/// The guide's functions.md: its Rust examples compiled (and run, unless `no_run`).
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guide/functions.md")]
struct GuideFunctions;

/// The guide's accounts.md: its Rust examples compiled (and run, unless `no_run`).
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guide/accounts.md")]
struct GuideAccounts;

/// The guide's client.md: its Rust examples compiled (and run, unless `no_run`).
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guide/client.md")]
struct GuideClient;

/// The guide's forms.md: its Rust examples compiled (and run, unless `no_run`).
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guide/forms.md")]
struct GuideForms;

/// The guide's channels.md: its Rust examples compiled (and run, unless `no_run`).
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guide/channels.md")]
struct GuideChannels;

/// The guide's ssr.md: its Rust examples compiled (and run, unless `no_run`).
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guide/ssr.md")]
struct GuideSsr;

/// The guide's errors.md: its Rust examples compiled (and run, unless `no_run`).
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guide/errors.md")]
struct GuideErrors;

/// The guide's deploying.md: its Rust examples compiled (and run, unless `no_run`).
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guide/deploying.md")]
struct GuideDeploying;

/// The guide's configuration.md: its Rust examples compiled (and run, unless `no_run`).
#[cfg(doctest)]
#[doc = include_str!("../../../docs/guide/configuration.md")]
struct GuideConfiguration;

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
mod cursor;
mod error;
pub mod errors;
mod finite;
pub mod forms;
mod function;
mod health;
mod http;
mod id;
mod limits;
mod manifest;
mod names;
mod output;
mod pages;
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
pub mod stream;
pub mod test;
mod token;
pub mod upload;
mod validate;

pub use app::{App, Command, Extension, StartupError};
pub use auth::{Auth, Authenticator, BoxFuture, CheckFn, Credential, Identity, Role};
pub use channel::{Broadcaster, Channel, ChannelLayer, ChannelLimits, Inbound, NoMessage};
pub use contexts::global_contexts;
pub use cursor::CursorPage;
pub use error::{Error, Issue, IssueCode, PathSegment, Result};
pub use errors::{ErrorType, ErrorVariant, Failure, FnError};
pub use forms::{Form, FormFields};
pub use function::{Context, FnInfo, Kind, ServerFn};
pub use health::Health;
pub use http::Limits;
pub use id::Id64;
pub use limits::{Rate, RateStore};
pub use manifest::VERSION as MANIFEST_VERSION;
pub use mizan_macros::{ErrorType, FormFields, client, page};
pub use mizan_manifest::Manifest;
pub use output::Output;
pub use pages::{Page, PageFn, PageInfo};
pub use request::Request;
pub use serve::{ServeConfig, serve, serve_with_shutdown, shutdown_signal};
pub use ssr::{
    PageHeaders, RenderCalls, RenderEvent, RenderEvents, RenderOptions, Rendered, Ssr, SsrPool, SsrStats,
    render, render_with_contexts, render_with_layouts,
};
pub use stream::Stream;
pub use upload::{Upload, Uploads};

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

    /// How many outputs (stream items included) of the functions registered
    /// as `name` the dev-mode output check has judged in this process: zero
    /// in production, where the check never runs. For tests.
    pub fn output_checks(name: &str) -> u64 {
        crate::call::output_checks(name)
    }
}
