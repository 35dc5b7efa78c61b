//! The test authenticator.

use axum::http::request::Parts;
use mizan::{Authenticator, BoxFuture, Error, Identity, Role};

/// Tokens `alice` (user), `bob` (staff) and `root` (superuser), as a bearer
/// token, a session cookie `sid=<token>` or a WebSocket `auth` token; the
/// token `boom` fails (the session store is down).
pub(crate) struct TestAuth;

fn identity_for(token: &str) -> Option<Identity> {
    match token {
        "alice" => Some(Identity::new("alice", Role::User)),
        "bob" => Some(Identity::new("bob", Role::Staff)),
        "root" => Some(Identity::new("root", Role::Superuser)),
        _ => None,
    }
}

impl Authenticator for TestAuth {
    fn identify<'a>(&'a self, parts: &'a Parts) -> BoxFuture<'a, mizan::Result<Option<Identity>>> {
        Box::pin(async move {
            let bearer = parts
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "));
            // A session cookie `sid=<token>` stands for a cookie identity.
            let cookie = parts
                .headers
                .get("cookie")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(';').find_map(|p| p.trim().strip_prefix("sid=")));
            Ok(bearer.or(cookie).and_then(identity_for))
        })
    }
    fn identify_token<'a>(&'a self, token: &'a str) -> BoxFuture<'a, mizan::Result<Option<Identity>>> {
        Box::pin(async move {
            if token == "boom" {
                return Err(Error::unavailable("the session store is down"));
            }
            Ok(identity_for(token))
        })
    }
}
