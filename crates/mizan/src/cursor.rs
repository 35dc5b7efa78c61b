//! [`CursorPage`]: one page of a list read by cursor, the output shape that
//! gives a query an infinite-query hook.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One page of a list read by cursor: `{"items": [T, …], "next_cursor":
/// String | null}`, where `next_cursor` is what the next page's `cursor`
/// argument takes, and `null` on the last page.
///
/// A query returning a `CursorPage<T>` (or any output of that shape) that
/// takes a `cursor: Option<String>` argument gets, beside its query hook,
/// an infinite-query hook (`useFeedInfinite(args)` on TanStack's
/// `useInfiniteQuery`, the cursor as its page parameter, starting from no
/// cursor) and its factory (`feedInfiniteQueryOptions(args)`); see
/// `docs/generated.md`. The cursor is the application's: opaque to mizan
/// and to the client, which only sends back what a page gave.
///
/// ```
/// use mizan::CursorPage;
///
/// #[derive(serde::Serialize, schemars::JsonSchema)]
/// struct Item { n: u32 }
///
/// /// Twenty items at a time.
/// #[mizan::client(query)]
/// async fn items(_req: &mizan::Request, cursor: Option<String>) -> mizan::Result<CursorPage<Item>> {
///     let start: u32 = match cursor {
///         None => 0,
///         Some(c) => c.parse().map_err(|_| mizan::Error::validation("not a cursor of `items`").with_field("cursor", "unknown cursor"))?,
///     };
///     let end = (start + 20).min(100);
///     let next = (end < 100).then(|| end.to_string());
///     Ok(CursorPage::new((start..end).map(|n| Item { n }).collect(), next))
/// }
///
/// let manifest = mizan::App::new().register(items).manifest().unwrap().to_json();
/// let page = &manifest["output_defs"]["CursorPageItem"];
/// assert_eq!(page["required"], serde_json::json!(["items", "next_cursor"]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CursorPage<T> {
    /// This page's items, in order.
    pub items: Vec<T>,
    /// The cursor of the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

impl<T> CursorPage<T> {
    /// A page of `items` followed by the page at `next_cursor` (`None`: the last).
    pub fn new(items: Vec<T>, next_cursor: Option<String>) -> Self {
        Self { items, next_cursor }
    }
}
