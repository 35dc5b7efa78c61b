//! Demo identities: fixed bearer tokens, for trying the auth levels.
//!
//! These tokens are for the example and its tests only; a real app looks
//! identities up in its session store or verifies signed tokens.

use axum::http::request::Parts;
use mizan::{Authenticator, BoxFuture, Identity, Role};

/// `Authorization: Bearer <token>` with one of the demo tokens.
pub(crate) struct DemoTokens;

/// The demo tokens and the identities they stand for.
pub(crate) const TOKENS: &[(&str, &str, Role)] = &[
    ("hello-user-token", "ada", Role::User),
    ("hello-staff-token", "grace", Role::Staff),
    ("hello-superuser-token", "linus", Role::Superuser),
];

fn identity_for(token: &str) -> Option<Identity> {
    TOKENS.iter().find(|(t, _, _)| *t == token).map(|(_, id, role)| Identity::new(*id, *role))
}

impl Authenticator for DemoTokens {
    fn may_identify(&self, parts: &Parts) -> bool {
        parts.headers.contains_key(axum::http::header::AUTHORIZATION)
    }

    fn identify<'a>(&'a self, parts: &'a Parts) -> BoxFuture<'a, mizan::Result<Option<Identity>>> {
        Box::pin(async move {
            let header = parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
            Ok(header.and_then(|h| h.strip_prefix("Bearer ")).and_then(identity_for))
        })
    }

    fn identify_token<'a>(&'a self, token: &'a str) -> BoxFuture<'a, mizan::Result<Option<Identity>>> {
        Box::pin(async move { Ok(identity_for(token)) })
    }
}
