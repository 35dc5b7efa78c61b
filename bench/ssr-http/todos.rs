//! The `/todos/` pair of the bench app: the same list rendered from one
//! in-render call (`/todos/`, its component reads `list_todos` with
//! `useMizanQuery`) and from props (`/todos-props/`, the handler calls the
//! same function and passes its result). Both pages render the root
//! `hello`'s `/todos/` renders; run.sh checks it.

use axum::Router;
use axum::response::Response;
use axum::routing::get;
use mizan::Request;
use schemars::JsonSchema;
use serde::Serialize;

/// One todo of `list_todos` (the shape of `hello`'s).
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Todo {
    /// Its number, from 1.
    pub(crate) id: u32,
    /// What to do.
    pub(crate) title: String,
    /// Whether it is done.
    pub(crate) done: bool,
}

/// The three todos of `hello`'s `list_todos`.
fn todos() -> Vec<Todo> {
    let todos = [("Buy milk", true), ("Write docs", false), ("Ship it", false)];
    todos.into_iter().zip(1..).map(|((title, done), id)| Todo { id, title: title.to_owned(), done }).collect()
}

/// The three todos, as a query the page's render calls.
#[mizan::client(query)]
pub(crate) async fn list_todos(_req: &Request) -> mizan::Result<Vec<Todo>> {
    Ok(todos())
}

/// `GET /todos/`: the list read during the render (one in-render call).
async fn todos_call(req: Request) -> Response {
    mizan::render(&req, "components/TodosCall.tsx", serde_json::json!({})).await
}

/// `GET /todos-props/`: the same list passed as props.
async fn todos_props(req: Request) -> Response {
    mizan::render(&req, "components/TodosProps.tsx", serde_json::json!({ "todos": todos() })).await
}

/// The two pages.
pub(crate) fn router() -> Router {
    Router::new().route("/todos/", get(todos_call)).route("/todos-props/", get(todos_props))
}
