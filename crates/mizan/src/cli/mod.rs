//! The command line of a user's binary: `serve`, `manifest`, `generate`,
//! `openapi`,
//! and the commands extensions add (accounts add `createuser`).
//!
//! ```no_run
//! # async fn app() {
//! let app = mizan::App::new();
//! let views = axum::Router::new();
//! std::process::exit(mizan::cli::run(app, views).await);
//! # }
//! ```

mod generate;
mod openapi;
mod serve;

use crate::{App, ServeConfig};

/// Where the API is mounted by [`run`].
pub const PREFIX: &str = "/api/mizan";

const USAGE: &str = "usage: BIN [serve] | BIN manifest | BIN openapi | BIN generate --out DIR [--check]\n\
environment: MIZAN_ADDR=host:port (default 127.0.0.1:8000), MIZAN_ENV=dev|prod (default prod)";

/// Runs the subcommand in `std::env::args()` and returns the exit code.
/// `serve` uses the default [`ServeConfig`].
pub async fn run(app: App, views: axum::Router) -> i32 {
    run_with(app, views, ServeConfig::default()).await
}

/// Like [`run`], serving with `config` (timeouts, connection caps,
/// compression, the drain's grace period):
///
/// ```no_run
/// # async fn app() {
/// let config = mizan::ServeConfig { max_connections: 4096, ..mizan::ServeConfig::default() };
/// let code = mizan::cli::run_with(mizan::App::new(), axum::Router::new(), config).await;
/// std::process::exit(code);
/// # }
/// ```
pub async fn run_with(app: App, views: axum::Router, config: ServeConfig) -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    dispatch(app, views, &args, config).await
}

/// Like [`run`], with explicit arguments (without the binary name).
pub async fn run_args(app: App, views: axum::Router, args: &[String]) -> i32 {
    dispatch(app, views, args, ServeConfig::default()).await
}

async fn dispatch(app: App, views: axum::Router, args: &[String], config: ServeConfig) -> i32 {
    // The one place the mode is read from the environment.
    let dev = std::env::var("MIZAN_ENV").is_ok_and(|v| v == "dev");
    let app = app.dev(dev);
    match args.first().map(String::as_str) {
        None | Some("serve") if args.len() <= 1 => serve::serve(app, views, config).await,
        Some("manifest") if args.len() == 1 => manifest(&app),
        Some("openapi") if args.len() == 1 => openapi::run(&app, &openapi::title()),
        Some("generate") => generate(&app, &args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            for command in app.commands() {
                println!("       {}", command.usage());
            }
            0
        }
        other => match other.and_then(|name| app.command(name)) {
            Some(command) => command.run(args[1..].to_vec()).await,
            None => {
                eprintln!("{USAGE}");
                2
            }
        },
    }
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
    let dirs = app.ssr_config().map(|ssr| ssr.dirs.clone()).unwrap_or_default();
    generate::run(&manifest, std::path::Path::new(&out), check, &dirs)
}
