//! `ssr_http_mizan`: the benchmark's mizan setup (bench/ssr-http/run.sh).
//! A bench app serving the pages of `pages.json` with `mizan::render` and a
//! pool of 2 Bun workers, through `mizan::cli` as apps are served (`$MIZAN_ADDR`).
//! It has no global contexts and the default page headers (no
//! Content-Security-Policy): beside the baselines, the per-page work is
//! mizan's own (and the CSRF cookie, which run.sh's requests already carry).
//! `$SSR_HTTP_RECYCLE_AFTER` (renders, 0 = never) overrides mizan's worker
//! recycling, to measure what it costs; run.sh leaves mizan's default.
//! Beside them, the `/todos/` pair (`todos.rs`): the same list from one
//! in-render call and from props.

mod pages;
mod todos;

use std::sync::Arc;

use axum::routing::get;

/// `bench/ssr` (the pages of `pages.json`) and `bench/ssr-http` (the
/// `/todos/` pair), the directories mizan resolves `components/NAME.tsx` in.
fn components_roots() -> [std::path::PathBuf; 2] {
    let bench = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    [bench.join("ssr"), bench.join("ssr-http")]
}

#[tokio::main]
async fn main() {
    let pages = pages::load().unwrap_or_else(|e| {
        eprintln!("ssr_http_mizan: {e}");
        std::process::exit(1);
    });
    let mut views = todos::router();
    for page in pages {
        let page = Arc::new(page);
        let (route, component) = (page.route.clone(), format!("components/{}.tsx", page.component));
        views = views.route(
            &route,
            get(move |req: mizan::Request| {
                let (page, component) = (page.clone(), component.clone());
                async move { mizan::render(&req, &component, &page.props).await }
            }),
        );
    }
    let mut ssr = mizan::Ssr::new().dirs(components_roots()).workers(2);
    if let Ok(n) = std::env::var("SSR_HTTP_RECYCLE_AFTER") {
        let n = n.parse().unwrap_or_else(|e| {
            eprintln!("ssr_http_mizan: $SSR_HTTP_RECYCLE_AFTER is not a count of renders: {e}");
            std::process::exit(1);
        });
        ssr = ssr.recycle_after(n);
    }
    let app = mizan::App::new().ssr(ssr).register(todos::list_todos);
    std::process::exit(mizan::cli::run(app, views).await);
}
