//! `hello`: the mizan example app.
//!
//! `cargo run -p hello` serves it on `$MIZAN_ADDR` (default
//! `127.0.0.1:8000`); `hello manifest` prints the manifest; `hello generate
//! --out DIR` writes the TypeScript client.

mod api;
mod auth;
mod avatar;
mod booking;
mod chat;
mod contact;
mod contexts;
mod lists;
mod pages;
mod reserve;
mod todos;
mod upload;

#[tokio::main]
async fn main() {
    let code = mizan::cli::run(api::app(), pages::router()).await;
    std::process::exit(code);
}
