//! The one seam through which features plug into an app: what they
//! register, the layer they wrap the router in, what they do before the
//! server listens, and the commands they add to the binary.

use std::future::Future;
use std::sync::Arc;

use super::App;
use crate::Result;
use crate::auth::BoxFuture;

/// Commands [`cli`](crate::cli) answers itself; an extension may not reuse them.
pub(super) const BUILT_IN: &[&str] = &["serve", "manifest", "generate", "help", "-h", "--help"];

/// A feature that plugs into an [`App`] through [`App::extend`]. Accounts
/// ([`mizan::accounts`](crate)) are one; an application's own features can
/// be too. Every method has a default that does nothing.
///
/// ```
/// use mizan::{App, Command, Extension, Request};
///
/// /// The build's version, as a function and as a command.
/// struct Version;
///
/// #[mizan::client(query)]
/// async fn version(_req: &Request) -> mizan::Result<String> {
///     Ok(env!("CARGO_PKG_VERSION").to_owned())
/// }
///
/// impl Extension for Version {
///     fn register(&self, app: App) -> App {
///         app.register(version)
///     }
///     fn layer(&self, router: axum::Router) -> axum::Router {
///         router.layer(axum::middleware::map_response(|mut res: axum::response::Response| async {
///             res.headers_mut().insert("x-version", axum::http::HeaderValue::from_static("1"));
///             res
///         }))
///     }
///     fn commands(&self) -> Vec<Command> {
///         vec![Command::new("version", "BIN version", |_args| async {
///             println!("{}", env!("CARGO_PKG_VERSION"));
///             0
///         })]
///     }
/// }
///
/// let app = App::new().extend(Version);
/// assert_eq!(app.manifest().unwrap().functions[0].name, "version");
/// ```
pub trait Extension: Send + Sync + 'static {
    /// Registers what the extension serves (functions, forms, channels,
    /// state), once, when it is plugged in.
    fn register(&self, app: App) -> App {
        app
    }

    /// Wraps the mounted router, API and views alike. Layers of extensions
    /// plugged in later wrap those of earlier ones.
    fn layer(&self, router: axum::Router) -> axum::Router {
        router
    }

    /// Runs when `serve` starts, before it listens: connect, migrate, warm
    /// up. An error stops the server (exit 1) with its message.
    fn on_serve(&self) -> BoxFuture<'_, Result<()>> {
        Box::pin(async { Ok(()) })
    }

    /// The services the extension depends on, by name, for the health
    /// check (`GET /healthz`): accounts report `"db"`. A service reported
    /// [`Health::Down`](crate::Health::Down) makes the check answer 503.
    /// Each check should finish within a second or two; the health route
    /// runs them at most once a second.
    fn health(&self) -> BoxFuture<'_, Vec<(&'static str, crate::Health)>> {
        Box::pin(async { Vec::new() })
    }

    /// Subcommands the extension adds to a binary built on
    /// [`cli`](crate::cli).
    fn commands(&self) -> Vec<Command> {
        Vec::new()
    }
}

type RunFn = dyn Fn(Vec<String>) -> BoxFuture<'static, i32> + Send + Sync;

/// A subcommand of a binary built on [`cli`](crate::cli): `BIN NAME ARGS…`.
#[derive(Clone)]
pub struct Command {
    name: String,
    usage: String,
    run: Arc<RunFn>,
}

impl Command {
    /// A command `name`, described by `usage` in `BIN help`, that runs `run`
    /// with the arguments after its name and exits with its result.
    pub fn new<F, Fut>(name: impl Into<String>, usage: impl Into<String>, run: F) -> Self
    where
        F: Fn(Vec<String>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = i32> + Send + 'static,
    {
        Self { name: name.into(), usage: usage.into(), run: Arc::new(move |args| Box::pin(run(args))) }
    }

    /// The command's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its usage line.
    pub fn usage(&self) -> &str {
        &self.usage
    }

    /// Runs it; returns the exit code.
    pub(crate) async fn run(&self, args: Vec<String>) -> i32 {
        (self.run)(args).await
    }
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Command").field("name", &self.name).field("usage", &self.usage).finish()
    }
}
