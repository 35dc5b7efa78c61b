//! A real server on a free loopback port, for integration tests.

#![allow(dead_code, unreachable_pub)]

use std::net::SocketAddr;

use axum::http::request::Parts;
use mizan::{App, Authenticator, BoxFuture, Identity, Role};

/// Serves `app` (mounted at /api/mizan) on 127.0.0.1:0 and returns its base URL.
pub async fn serve(app: App) -> String {
    serve_with(app, axum::Router::new()).await
}

/// Serves `app` with the given views.
pub async fn serve_with(app: App, views: axum::Router) -> String {
    let router = app.mount("/api/mizan", views).expect("app builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr: SocketAddr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serve");
    });
    format!("http://{addr}/api/mizan")
}

/// Tokens: `alice` (user), `bob` (staff), `root` (superuser).
pub struct TestAuth;

pub fn identity_for(token: &str) -> Option<Identity> {
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
        Box::pin(async move { Ok(identity_for(token)) })
    }
}
