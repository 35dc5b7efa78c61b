//! The server functions [`App::accounts`] registers: `accounts.login`,
//! `accounts.logout`, `accounts.me` and, when registration is open,
//! `accounts.register`.
//!
//! The names are dotted like a form's (`contact.submit`): mizan's naming
//! rules accept dotted segments for any function, and the `accounts.`
//! namespace keeps the app's own `login` or `me` free. In TypeScript they
//! are `accountsLogin`, `useAccountsMe` and so on.

use super::{Accounts, User};
use crate::{App, Request, Result};

/// Logs in with a username and password; the session cookie then carries
/// the user. Bad credentials are `UNAUTHENTICATED`, whichever part was wrong.
#[crate::client]
async fn accounts_login(
    req: &Request,
    #[garde(length(chars, min = 1, max = 150))] username: String,
    #[garde(length(chars, min = 1, max = 1024))] password: String,
) -> Result<User> {
    req.state::<Accounts>()?.login(req, &username, &password).await
}

/// Logs the session out.
#[crate::client]
async fn accounts_logout(req: &Request) -> Result<()> {
    req.state::<Accounts>()?.logout(req).await
}

/// The logged-in user, or null.
#[crate::client(query)]
async fn accounts_me(req: &Request) -> Result<Option<User>> {
    Ok(req.identity().and_then(|i| i.data::<User>()).cloned())
}

/// Creates a user and logs the session in as it (only served when
/// registration is open).
#[crate::client]
async fn accounts_register(
    req: &Request,
    #[garde(length(chars, min = 1, max = 150))] username: String,
    #[garde(length(chars, min = 1, max = 1024))] password: String,
) -> Result<User> {
    let accounts = req.state::<Accounts>()?;
    accounts.create_user(&username, &password, crate::Role::User).await?;
    accounts.login(req, &username, &password).await
}

impl App {
    /// Serves `accounts` to the frontend: registers `accounts.login`,
    /// `accounts.logout`, `accounts.me` (and `accounts.register` when
    /// [`Accounts::registration`] is on), adds the store as state
    /// (`req.state::<Accounts>()`), and layers the mounted router with its
    /// cookie session. Identities come from
    /// [`Accounts::authenticator`], set with [`App::authenticator`].
    pub fn accounts(self, accounts: Accounts) -> Self {
        let registration = accounts.inner.registration;
        let app = self
            .state(accounts)
            .register_as("accounts.login", accounts_login)
            .register_as("accounts.logout", accounts_logout)
            .register_as("accounts.me", accounts_me);
        if registration { app.register_as("accounts.register", accounts_register) } else { app }
    }
}
