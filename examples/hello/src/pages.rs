//! Server-rendered pages: React components from `frontend/components`,
//! rendered by mizan's Bun pool and hydrated in the browser.

use axum::Router;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use serde_json::json;

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
    mizan::render(&req, "components/Counter.tsx", json!({ "start": 0, "label": "Clicks" })).await
}

/// `GET /contexts/`: the global context `current_user` (hydrated from the
/// page) and the local context `greet` for `?name=` (default "World").
async fn contexts(req: mizan::Request, Query(query): Query<HelloQuery>) -> Response {
    let name = query.name.unwrap_or_else(|| "World".to_owned());
    mizan::render(&req, "components/Contexts.tsx", json!({ "name": name })).await
}

/// `GET /contact/`: the contact form (`useContactForm()`), hydrated in the browser.
async fn contact(req: mizan::Request) -> Response {
    mizan::render(&req, "components/ContactPage.tsx", json!({})).await
}

/// `GET /booking/`: the booking form (`useBookingForm()`), with date and time inputs.
async fn booking(req: mizan::Request) -> Response {
    mizan::render(&req, "components/BookingPage.tsx", json!({})).await
}

/// The pages, to serve beside the API (`mizan::cli::run(app, pages::router())`).
pub(crate) fn router() -> Router {
    Router::new()
        .route("/hello/", get(hello))
        .route("/counter/", get(counter))
        .route("/contexts/", get(contexts))
        .route("/contact/", get(contact))
        .route("/booking/", get(booking))
}
