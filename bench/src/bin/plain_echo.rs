//! mizan's `echo` alone: no accounts, no authenticator, no views, served
//! by `mizan::serve` as apps are. Beside hello and bare axum it tells the
//! pipeline's cost from the example's extras (bench/http/run.sh).

use mizan::{App, Request};
use serde::{Deserialize, Serialize};

/// What `echo` sends back.
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
struct Output {
    message: String,
}

/// Echo text back.
#[mizan::client]
async fn echo(_req: &Request, text: String) -> mizan::Result<Output> {
    Ok(Output { message: text })
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::var("MIZAN_ADDR").unwrap_or_else(|_| "127.0.0.1:8002".to_owned());
    let router =
        App::new().register(echo).mount("/api/mizan", axum::Router::new()).map_err(std::io::Error::other)?;
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    // The server mizan's apps run on (`BIN serve`): timeouts, caps,
    // compression and drain included in what is measured.
    mizan::serve(listener, router, mizan::ServeConfig::default()).await;
    Ok(())
}
