//! Data read during the server render: `list_todos`, read by `/todos/`
//! with `useListTodos()`, and `slow_quote`, read by `/slow/` under
//! `<Suspense>`, so that page streams; `failing_quote`, read the same way
//! by `/slow-failing/`, fails after the same wait.

use std::time::Duration;

use mizan::Request;
use schemars::JsonSchema;
use serde::Serialize;

/// One todo of `list_todos`.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Todo {
    /// Its number, from 1.
    pub(crate) id: u32,
    /// What to do.
    pub(crate) title: String,
    /// Whether it is done.
    pub(crate) done: bool,
}

/// The three todos.
#[mizan::client(query)]
pub(crate) async fn list_todos(_req: &Request) -> mizan::Result<Vec<Todo>> {
    let todos = [("Buy milk", true), ("Write docs", false), ("Ship it", false)];
    Ok(todos
        .into_iter()
        .zip(1..)
        .map(|((title, done), id)| Todo { id, title: title.to_owned(), done })
        .collect())
}

/// How long `slow_quote` takes.
const QUOTE_DELAY: Duration = Duration::from_millis(300);

/// A quote, after 300 ms.
#[mizan::client(query)]
pub(crate) async fn slow_quote(_req: &Request) -> mizan::Result<String> {
    tokio::time::sleep(QUOTE_DELAY).await;
    Ok("Patience is a virtue".to_owned())
}

/// No quote: `503 UNAVAILABLE` after 300 ms (`/slow-failing/`'s error boundary).
#[mizan::client(query)]
pub(crate) async fn failing_quote(_req: &Request) -> mizan::Result<String> {
    tokio::time::sleep(QUOTE_DELAY).await;
    Err(mizan::Error::unavailable("the quote service is down"))
}
