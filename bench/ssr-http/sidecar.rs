//! `ssr_http_sidecar`: the Inertia-style setup of bench/ssr-http/run.sh. An
//! axum server that, for each page, POSTs `{"component", "props"}` as JSON
//! over keep-alive HTTP (reqwest's pooled client) to the Bun render servers
//! (`render-server.ts`, two processes sharing one port) and wraps the HTML
//! they answer in the page (`page.rs`).
//!
//! `$MIZAN_ADDR`: where it listens; `$SSR_HTTP_RENDER_URL`: the render
//! servers' URL; `$SSR_HTTP_SCRIPT_<COMPONENT>`: each page's bundle URL.

mod page;
mod pages;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// One page and what the sidecar needs to serve it.
struct Served {
    page: pages::Page,
    script: String,
}

/// The render servers and the pooled client that reaches them.
struct Renderer {
    client: reqwest::Client,
    url: String,
}

impl Renderer {
    /// The HTML for `component` with `props_json`, or why not.
    async fn render(&self, component: &str, props_json: &str) -> Result<String, String> {
        let name = serde_json::to_string(component).map_err(|e| e.to_string())?;
        let body = format!("{{\"component\":{name},\"props\":{props_json}}}");
        let res = self
            .client
            .post(&self.url)
            .header(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body)
            .send()
            .await
            .map_err(|e| format!("the render server did not answer: {e}"))?;
        let status = res.status();
        let text = res.text().await.map_err(|e| format!("the render server's answer broke off: {e}"))?;
        if status.is_success() {
            Ok(text)
        } else {
            Err(format!("the render server answered {status}: {text}"))
        }
    }
}

async fn serve_page(renderer: &Renderer, served: &Served) -> Response {
    let props_json = match serde_json::to_string(&served.page.props) {
        Ok(json) => json,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    match renderer.render(&served.page.component, &props_json).await {
        Ok(html) => {
            let mut res = page::document(&html, &props_json, &served.script).into_response();
            let headers = res.headers_mut();
            for (name, value) in page::HEADERS {
                headers.insert(name, value);
            }
            res
        }
        Err(why) => (StatusCode::BAD_GATEWAY, why).into_response(),
    }
}

fn setup() -> Result<(String, Router), String> {
    let addr = std::env::var("MIZAN_ADDR").unwrap_or_else(|_| "127.0.0.1:8003".to_owned());
    let url =
        std::env::var("SSR_HTTP_RENDER_URL").map_err(|_| "$SSR_HTTP_RENDER_URL is not set".to_owned())?;
    let client = reqwest::Client::builder().tcp_nodelay(true).build().map_err(|e| e.to_string())?;
    let renderer = Arc::new(Renderer { client, url });
    let mut router = Router::new();
    for page in pages::load()? {
        let script = page::script_url(&page.component)?;
        let route = page.route.clone();
        let served = Arc::new(Served { page, script });
        router = router.route(
            &route,
            get(move |State(renderer): State<Arc<Renderer>>| {
                let served = served.clone();
                async move { serve_page(&renderer, &served).await }
            }),
        );
    }
    Ok((addr, router.with_state(renderer)))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let (addr, router) = setup().unwrap_or_else(|e| {
        eprintln!("ssr_http_sidecar: {e}");
        std::process::exit(1);
    });
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router).await
}
