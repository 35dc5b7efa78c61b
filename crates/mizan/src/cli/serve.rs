//! `BIN serve`: the extensions' start-up hooks, then serving through
//! [`crate::serve`] until SIGINT/SIGTERM, its drain, then the app's shutdown.

use std::io::Write;

use crate::{App, ServeConfig};

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .try_init();
}

pub(super) async fn serve(app: App, views: axum::Router, config: ServeConfig) -> i32 {
    init_tracing();
    let router = match app.mount(super::PREFIX, views) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    for extension in app.extensions() {
        if let Err(e) = extension.on_serve().await {
            eprintln!("{}", e.message());
            return 1;
        }
    }
    let addr = std::env::var("MIZAN_ADDR").unwrap_or_else(|_| "127.0.0.1:8000".to_owned());
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {addr}: {e}");
            return 1;
        }
    };
    let local = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("cannot read the bound address: {e}");
            return 1;
        }
    };
    println!("listening on http://{local}");
    let _ = std::io::stdout().flush();
    // The peer address reaches handlers as `ConnectInfo<SocketAddr>` (the
    // accounts' per-address login limit reads it).
    crate::serve(listener, router, config).await;
    app.shutdown().await;
    0
}
