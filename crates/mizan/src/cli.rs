//! The command line of a user's binary: `serve`, `manifest`, `generate`.
//!
//! ```no_run
//! # async fn app() {
//! let app = mizan::App::new();
//! let views = axum::Router::new();
//! std::process::exit(mizan::cli::run(app, views).await);
//! # }
//! ```

use std::io::Write;

use crate::App;

/// Where the API is mounted by [`run`].
pub const PREFIX: &str = "/api/mizan";

const USAGE: &str = "usage: BIN [serve] | BIN manifest | BIN generate --out DIR [--check]\n\
environment: MIZAN_ADDR=host:port (default 127.0.0.1:8000), MIZAN_ENV=dev|prod (default prod)";

/// Runs the subcommand in `std::env::args()` and returns the exit code.
pub async fn run(app: App, views: axum::Router) -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    run_args(app, views, &args).await
}

/// Like [`run`], with explicit arguments (without the binary name).
pub async fn run_args(app: App, views: axum::Router, args: &[String]) -> i32 {
    let dev = std::env::var("MIZAN_ENV").is_ok_and(|v| v == "dev");
    let app = app.dev(dev);
    match args.first().map(String::as_str) {
        None | Some("serve") if args.len() <= 1 => serve(app, views).await,
        Some("manifest") if args.len() == 1 => manifest(&app),
        Some("generate") => generate(&app, &args[1..]),
        #[cfg(feature = "accounts")]
        Some("createuser") => crate::accounts::cli::createuser(&app, &args[1..]).await,
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            #[cfg(feature = "accounts")]
            println!("       {}", crate::accounts::cli::USAGE);
            0
        }
        _ => {
            eprintln!("{USAGE}");
            2
        }
    }
}

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

async fn serve(app: App, views: axum::Router) -> i32 {
    init_tracing();
    let router = match app.mount(PREFIX, views) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    // The accounts database is opened (and migrated) before listening, so a
    // bad `$DATABASE_URL` fails here rather than on the first login.
    #[cfg(feature = "accounts")]
    if let Some(accounts) = app.shared().state.get::<crate::accounts::Accounts>()
        && let Err(e) = accounts.ready().await
    {
        eprintln!("cannot open the accounts database {}: {}", accounts.url(), e.message());
        return 1;
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
    let served = axum::serve(listener, router).with_graceful_shutdown(shutdown_signal()).await;
    app.shutdown().await;
    match served {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("server error: {e}");
            1
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}

fn manifest(app: &App) -> i32 {
    match app.manifest() {
        Ok(m) => {
            println!("{}", serde_json::to_string_pretty(&m).unwrap_or_default());
            0
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

fn generate(app: &App, args: &[String]) -> i32 {
    let mut out = None;
    let mut check = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => out = it.next().cloned(),
            "--check" => check = true,
            _ => {
                eprintln!("{USAGE}");
                return 2;
            }
        }
    }
    let Some(out) = out else {
        eprintln!("generate needs --out DIR\n{USAGE}");
        return 2;
    };
    let manifest = match app.manifest() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    crate::generate::run(&manifest, std::path::Path::new(&out), check)
}
