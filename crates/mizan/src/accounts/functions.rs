//! The server functions [`Accounts`] registers as an extension: `accounts.login`,
//! `accounts.logout`, `accounts.me` and, when registration is open,
//! `accounts.register`.
//!
//! The names are dotted like a form's (`contact.submit`): mizan's naming
//! rules accept dotted segments for any function, and the `accounts.`
//! namespace keeps the app's own `login` or `me` free. In TypeScript they
//! are `accountsLogin`, `useAccountsMe` and so on.

use super::{Accounts, User};
use crate::{Request, Result};

/// Logs in with a username and password; the session cookie then carries
/// the user. Bad credentials are `UNAUTHENTICATED`, whichever part was wrong.
#[crate::client]
pub(super) async fn accounts_login(
    req: &Request,
    #[garde(length(chars, min = 1, max = 150))] username: String,
    #[garde(length(chars, min = 1, max = 1024))] password: String,
) -> Result<User> {
    req.state::<Accounts>()?.login(req, &username, &password).await
}

/// Logs the session out.
#[crate::client]
pub(super) async fn accounts_logout(req: &Request) -> Result<()> {
    req.state::<Accounts>()?.logout(req).await
}

/// The logged-in user, or null.
#[crate::client(query)]
pub(super) async fn accounts_me(req: &Request) -> Result<Option<User>> {
    Ok(req.identity().and_then(|i| i.data::<User>()).cloned())
}

/// Creates a user and logs the session in as it (only served when
/// registration is open).
#[crate::client]
pub(super) async fn accounts_register(
    req: &Request,
    #[garde(length(chars, min = 1, max = 150))] username: String,
    #[garde(length(chars, min = 1, max = 1024))] password: String,
) -> Result<User> {
    let accounts = req.state::<Accounts>()?;
    accounts.create_user(&username, &password, crate::Role::User).await?;
    accounts.login(req, &username, &password).await
}
