//! `broad`: the broad test app's binary. `broad manifest` prints its
//! manifest; `broad generate --out DIR [--check]` writes (or drift-checks)
//! its TypeScript client; `broad` serves it on `$MIZAN_ADDR`.

#[tokio::main]
async fn main() {
    let code = mizan::cli::run(broad::app(), axum::Router::new()).await;
    std::process::exit(code);
}
