//! Typed pages: a view declared with `#[mizan::page("components/X.tsx")]`
//! returns a [`Page`] of typed props, registered at a route with
//! [`App::page`](crate::App::page). The page's props schema, route,
//! component and auth level go into the manifest's `pages` (codegen writes
//! `pages.ts` from them); the page is served like [`render`](crate::render)
//! (HTML, or the page object for a visit), after its auth level is checked.
//!
//! The files: `page.rs` ([`Page`], what a page function returns), `info.rs`
//! ([`PageFn`], what the macro implements, and [`PageInfo`]), `registry.rs`
//! (the registered pages: routes, manifest entries, the start-up checks),
//! `serve.rs` (answering a page's request).

mod info;
mod page;
mod registry;
mod serve;

pub use info::{PageFn, PageInfo};
pub use page::Page;
pub(crate) use registry::Pages;

/// A page route's path parameters (`/users/{id}/` → `id`), read with
/// [`Request::path_param`](crate::Request::path_param).
#[derive(Debug, Clone, Default)]
pub(crate) struct PathParams(pub(crate) Vec<(String, String)>);
