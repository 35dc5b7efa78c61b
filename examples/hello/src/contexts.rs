//! The example's global context: who is looking at the page.
//!
//! `current_user` runs in-process for every server-rendered page (its value
//! is embedded in the page and read by the generated `useCurrentUser()`);
//! it stays callable over HTTP, so the browser can refetch it. The local
//! context `greet` lives in `api.rs` with the other functions.

use mizan::{Identity, Request, Role};
use schemars::JsonSchema;
use serde::Serialize;

/// The signed-in identity.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct CurrentUser {
    /// The identity's id.
    pub(crate) id: String,
    /// `user`, `staff` or `superuser`.
    pub(crate) role: String,
}

impl From<&Identity> for CurrentUser {
    fn from(id: &Identity) -> Self {
        let role = match id.role() {
            Role::User => "user",
            Role::Staff => "staff",
            Role::Superuser => "superuser",
        };
        Self { id: id.id().to_owned(), role: role.to_owned() }
    }
}

/// Who is signed in, or null; hydrated into every server-rendered page.
#[mizan::client(query, context = "global")]
pub(crate) async fn current_user(req: &Request) -> mizan::Result<Option<CurrentUser>> {
    Ok(req.identity().map(CurrentUser::from))
}
