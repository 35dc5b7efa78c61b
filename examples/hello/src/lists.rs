//! Outputs that come in parts: `countdown`, a streamed output (NDJSON,
//! item by item), and `feed`, a list read a page at a time by cursor
//! (`mizan::CursorPage`, which gives it an infinite-query hook).

use std::time::Duration;

use futures_util::StreamExt;
use mizan::{CursorPage, Request, Stream};
use schemars::JsonSchema;
use serde::Serialize;

/// Counts down from `from` (at most 100) to 0, one number every 10 ms.
#[mizan::client(query)]
pub(crate) async fn countdown(
    _req: &Request,
    #[garde(range(max = 100))] from: u32,
) -> mizan::Result<Stream<u32>> {
    // Lazy: each number is made when the client is ready for it, and
    // nothing runs on once the client has gone.
    let numbers = futures_util::stream::iter((0..=from).rev()).then(move |n| async move {
        if n != from {
            tokio::time::sleep(TICK).await;
        }
        Ok(n)
    });
    Ok(Stream::new(numbers))
}

/// The time between two numbers of `countdown`.
const TICK: Duration = Duration::from_millis(10);

/// One item of `feed`.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct FeedItem {
    /// Its number, 1 to 1,000.
    pub(crate) n: u32,
    /// `Item N`.
    pub(crate) title: String,
}

/// Items in the feed.
const FEED_ITEMS: u32 = 1_000;
/// Items per page.
const FEED_PAGE: u32 = 20;

/// A feed of 1,000 numbered items, 20 per page: no `cursor` for the first
/// page, then each page's `next_cursor` (`null` on the last page). A
/// cursor is where its page starts (`"20"`: from item 21).
#[mizan::client(query)]
pub(crate) async fn feed(
    _req: &Request,
    #[garde(pattern(r"^[0-9]{1,3}$"))] cursor: Option<String>,
) -> mizan::Result<CursorPage<FeedItem>> {
    let start: u32 = match cursor.as_deref() {
        None => 0,
        // Up to three digits: below the feed's length.
        Some(cursor) => cursor.parse().map_err(|_| {
            mizan::Error::validation("`cursor` is not one `feed` gave").with_field("cursor", "unknown cursor")
        })?,
    };
    let end = (start + FEED_PAGE).min(FEED_ITEMS);
    let items = (start + 1..=end).map(|n| FeedItem { n, title: format!("Item {n}") }).collect();
    let next = (end < FEED_ITEMS).then(|| end.to_string());
    Ok(CursorPage::new(items, next))
}
