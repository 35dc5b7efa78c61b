//! Server-rendered pages: React components from `frontend/components`,
//! rendered by mizan's Bun pool and hydrated in the browser.

use axum::Router;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The layout around the site's pages (not `/hello/`, which stays bare).
const LAYOUT: &str = "components/Layout.tsx";

/// `?name=` for the hello page.
#[derive(Debug, Deserialize)]
struct HelloQuery {
    name: Option<String>,
}

/// `GET /hello/`: "Hello, World!", or "Hello, NAME!" with `?name=NAME`.
async fn hello(req: mizan::Request, Query(query): Query<HelloQuery>) -> Response {
    let name = query.name.unwrap_or_else(|| "World".to_owned());
    mizan::render(&req, "components/Hello.tsx", json!({ "name": name })).await
}

/// `GET /counter/`: a button that counts clicks once the page is hydrated.
async fn counter(req: mizan::Request) -> Response {
    let props = json!({ "start": 0, "label": "Clicks" });
    mizan::render_with_layouts(&req, "components/Counter.tsx", props, &[LAYOUT]).await
}

/// `GET /contexts/`: the global context `current_user` (hydrated from the
/// page) and the local context `greet` for `?name=` (default "World").
async fn contexts(req: mizan::Request, Query(query): Query<HelloQuery>) -> Response {
    let name = query.name.unwrap_or_else(|| "World".to_owned());
    mizan::render_with_layouts(&req, "components/Contexts.tsx", json!({ "name": name }), &[LAYOUT]).await
}

/// `GET /contact/`: the contact form (`useContactForm()`), hydrated in the browser.
async fn contact(req: mizan::Request) -> Response {
    mizan::render_with_layouts(&req, "components/ContactPage.tsx", json!({}), &[LAYOUT]).await
}

/// `GET /booking/`: the booking form (`useBookingForm()`), with date and time inputs.
async fn booking(req: mizan::Request) -> Response {
    mizan::render(&req, "components/BookingPage.tsx", json!({})).await
}

/// `GET /avatar/`: the avatar form (`useAvatarForm()`), with a file input.
async fn avatar(req: mizan::Request) -> Response {
    mizan::render(&req, "components/AvatarPage.tsx", json!({})).await
}

/// `?from=` for the feed page's countdown.
#[derive(Debug, Deserialize)]
struct FeedQuery {
    from: Option<u32>,
}

/// `GET /feed/`: `feed` read page by page ("Load more"), and `countdown`
/// from `?from=` (default 5) streaming in.
async fn feed(req: mizan::Request, Query(query): Query<FeedQuery>) -> Response {
    mizan::render(&req, "components/Feed.tsx", json!({ "from": query.from.unwrap_or(5) })).await
}

/// The props of the todo list page.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct TodosProps {
    /// Show at most this many todos (`?limit=`); all when null.
    limit: Option<u32>,
}

/// `GET /todos/`, a typed page: `list_todos` read during the server render
/// (`useListTodos()`), so the page arrives with the three titles and
/// `#mizan-queries`, and hydration fetches nothing. `?limit=N` shows the
/// first N.
#[mizan::page("components/Todos.tsx", layout = "components/Layout.tsx")]
pub(crate) async fn todos(req: mizan::Request) -> mizan::Result<mizan::Page<TodosProps>> {
    let limit = req
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("limit=")))
        .map(|n| n.parse::<u32>().map_err(|_| mizan::Error::bad_request("`limit` must be a count")))
        .transpose()?;
    Ok(mizan::Page::new(TodosProps { limit }).title("Todos"))
}

/// A link on the index page.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct PageLink {
    /// The page's path.
    href: &'static str,
    /// What the link says.
    title: &'static str,
}

/// The props of the index page.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct IndexProps {
    /// Every page of the example, in order.
    pages: Vec<PageLink>,
}

/// `GET /`, a typed page inside the layout: a link to every page. Its
/// title comes from the component's `<Head>`.
#[mizan::page("components/Index.tsx", layout = "components/Layout.tsx")]
pub(crate) async fn index(_req: mizan::Request) -> mizan::Result<mizan::Page<IndexProps>> {
    let pages = [
        ("/hello/", "Hello"),
        ("/counter/", "Counter"),
        ("/contexts/", "Contexts"),
        ("/contact/", "Contact form"),
        ("/booking/", "Booking form"),
        ("/todos/", "Todos"),
        ("/feed/", "Feed"),
        ("/slow/", "A slow quote"),
    ];
    let pages = pages.into_iter().map(|(href, title)| PageLink { href, title }).collect();
    Ok(mizan::Page::new(IndexProps { pages }))
}

/// `GET /slow/`: `slow_quote` under `<Suspense fallback="Loading…">`: the
/// shell streams first, the quote 300 ms later.
async fn slow(req: mizan::Request) -> Response {
    mizan::render(&req, "components/Slow.tsx", json!({})).await
}

/// `GET /slow-failing/`: `failing_quote` under `<Suspense>` inside an
/// error boundary: the shell streams first; the query's failure (503
/// `UNAVAILABLE`, in `#mizan-queries`) is shown by the boundary once the
/// page is hydrated.
async fn slow_failing(req: mizan::Request) -> Response {
    mizan::render(&req, "components/SlowFailing.tsx", json!({})).await
}

/// The pages, to serve beside the API (`mizan::cli::run(app, pages::router())`).
pub(crate) fn router() -> Router {
    Router::new()
        .route("/hello/", get(hello))
        .route("/counter/", get(counter))
        .route("/contexts/", get(contexts))
        .route("/contact/", get(contact))
        .route("/booking/", get(booking))
        .route("/avatar/", get(avatar))
        .route("/feed/", get(feed))
        .route("/slow/", get(slow))
        .route("/slow-failing/", get(slow_failing))
}
