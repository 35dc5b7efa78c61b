//! Real servers on free loopback ports.

use std::net::SocketAddr;

use mizan::App;

/// Serves `router` on 127.0.0.1:0 (in a spawned task) and returns its address.
pub(crate) async fn listen(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serve");
    });
    addr
}

/// Serves `app` mounted at /api/mizan with each request's peer address
/// (`ConnectInfo<SocketAddr>`, as `mizan::cli` serves), which limits by
/// client address read.
pub(crate) async fn serve_with_peers(app: App) -> Served {
    let router = app.mount("/api/mizan", axum::Router::new()).expect("app builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .await
            .expect("serve");
    });
    Served { addr, api: format!("http://{addr}/api/mizan"), ws: format!("ws://{addr}/api/mizan/ws") }
}

/// A served app.
pub(crate) struct Served {
    pub(crate) addr: SocketAddr,
    /// `http://ADDR/api/mizan`
    pub(crate) api: String,
    /// `ws://ADDR/api/mizan/ws`
    pub(crate) ws: String,
}

impl Served {
    /// The URL of `path` (from the site's root) on this server.
    pub(crate) fn site(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

/// Serves `app` mounted at /api/mizan.
pub(crate) async fn serve(app: App) -> Served {
    serve_with(app, axum::Router::new()).await
}

/// Serves `app` mounted at /api/mizan, with the given views.
pub(crate) async fn serve_with(app: App, views: axum::Router) -> Served {
    let addr = listen(app.mount("/api/mizan", views).expect("app builds")).await;
    Served { addr, api: format!("http://{addr}/api/mizan"), ws: format!("ws://{addr}/api/mizan/ws") }
}
