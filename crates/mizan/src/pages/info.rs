//! [`PageFn`], the trait `#[mizan::page]` implements, and [`PageInfo`].

use schemars::JsonSchema;
use serde::Serialize;

use super::Page;
use crate::auth::Auth;
use crate::{BoxFuture, Request, Result};

/// What the manifest records about a page, besides its route and props schema.
#[derive(Debug, Clone)]
pub struct PageInfo {
    /// The page's name (the Rust fn's).
    pub name: &'static str,
    /// The component, relative to the [`Ssr`](crate::Ssr) dirs, exactly as
    /// `render` would be given it (`components/Todos.tsx`).
    pub component: &'static str,
    /// The layout components around it (as `component` names them),
    /// outermost first: `layout = "…"` in `#[mizan::page]`.
    pub layouts: &'static [&'static str],
    /// Who may see the page.
    pub auth: Auth,
    /// The doc comment.
    pub doc: Option<&'static str>,
}

/// A page function. Implemented by `#[mizan::page]`; rarely by hand.
pub trait PageFn: Send + Sync + 'static {
    /// The component's props: serialized into the page and described in
    /// the manifest (the serialize side).
    type Props: Serialize + JsonSchema + Send + 'static;

    /// The page's metadata.
    fn info(&self) -> PageInfo;

    /// Runs the page function for a request (auth already checked).
    fn call(&self, req: Request) -> BoxFuture<'static, Result<Page<Self::Props>>>;
}
