//! Accounts plug into an app through the extension seam:
//! `App::new().extend(accounts)`.

use super::Accounts;
use super::functions::{accounts_login, accounts_logout, accounts_me, accounts_register};
use crate::auth::BoxFuture;
use crate::{App, Command, Error, Extension, Result};

/// Serves the store to the frontend: registers `accounts.login`,
/// `accounts.logout`, `accounts.me` (and `accounts.register` when
/// [`Accounts::registration`] is on), adds the store as state
/// (`req.state::<Accounts>()`), layers the mounted router with its cookie
/// session, opens and migrates the database before `serve` listens, and adds
/// `BIN createuser`. Identities come from [`Accounts::authenticator`], set
/// with [`App::authenticator`].
impl Extension for Accounts {
    fn register(&self, app: App) -> App {
        let app = app
            .state(self.clone())
            .register_as("accounts.login", accounts_login)
            .register_as("accounts.logout", accounts_logout)
            .register_as("accounts.me", accounts_me);
        if self.inner.registration { app.register_as("accounts.register", accounts_register) } else { app }
    }

    fn layer(&self, router: axum::Router) -> axum::Router {
        self.layer_sessions(router)
    }

    /// A bad `$DATABASE_URL` fails here, before listening, rather than on
    /// the first login.
    fn on_serve(&self) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            self.ready().await.map_err(|e| {
                Error::unavailable(format!(
                    "cannot open the accounts database {}: {}",
                    self.url(),
                    e.message()
                ))
            })
        })
    }

    /// `"db"`: the database answers `SELECT 1` (connected and migrated).
    fn health(&self) -> BoxFuture<'_, Vec<(&'static str, crate::Health)>> {
        Box::pin(async move { vec![("db", crate::health::within_timeout(self.answers()).await)] })
    }

    fn commands(&self) -> Vec<Command> {
        let accounts = self.clone();
        vec![Command::new("createuser", super::cli::USAGE, move |args| {
            let accounts = accounts.clone();
            async move { super::cli::createuser(&accounts, &args).await }
        })]
    }
}
