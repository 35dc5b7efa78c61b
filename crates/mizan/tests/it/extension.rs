//! The extension seam from outside the crate, with the public API only: an
//! extension adds a function, a layer, a start-up hook and a CLI command.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::HeaderValue;
use axum::response::Response;
use mizan::{App, BoxFuture, Command, Extension, Request};

/// The build's stamp, served as a query.
#[mizan::client(query)]
async fn build_stamp(req: &Request) -> mizan::Result<String> {
    let calls = req.state::<Arc<AtomicUsize>>()?;
    Ok(format!("stamp-{}", calls.load(Ordering::SeqCst)))
}

struct Stamp {
    /// How often `on_serve` ran; also the stamp's number.
    started: Arc<AtomicUsize>,
    /// What `on_serve` answers.
    refuse: bool,
}

impl Extension for Stamp {
    fn register(&self, app: App) -> App {
        app.state(self.started.clone()).register(build_stamp)
    }

    fn layer(&self, router: axum::Router) -> axum::Router {
        router.layer(axum::middleware::map_response(|mut res: Response| async move {
            res.headers_mut().insert("x-stamp", HeaderValue::from_static("on"));
            res
        }))
    }

    fn on_serve(&self) -> BoxFuture<'_, mizan::Result<()>> {
        Box::pin(async move {
            self.started.fetch_add(1, Ordering::SeqCst);
            if self.refuse { Err(mizan::Error::unavailable("the stamp service is down")) } else { Ok(()) }
        })
    }

    fn commands(&self) -> Vec<Command> {
        vec![Command::new("stamp", "BIN stamp ok", |args: Vec<String>| async move {
            if args == ["ok"] { 0 } else { 3 }
        })]
    }
}

fn stamp(refuse: bool) -> (Stamp, Arc<AtomicUsize>) {
    let started = Arc::new(AtomicUsize::new(0));
    (Stamp { started: started.clone(), refuse }, started)
}

#[tokio::test]
async fn an_extension_adds_a_function_and_wraps_api_and_views_in_its_layer() {
    let (ext, _) = stamp(false);
    let app = App::new().extend(ext);
    let manifest = app.manifest().expect("builds");
    assert_eq!(manifest.functions.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["build_stamp"]);

    let views = axum::Router::new().route("/page/", axum::routing::get(|| async { "a view" }));
    let router = app.mount("/api/mizan", views).expect("mounts");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });

    let http = reqwest::Client::new();
    let res = http.get(format!("http://{addr}/api/mizan/call/build_stamp")).send().await.expect("call");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers().get("x-stamp").map(|v| v.as_bytes()), Some(&b"on"[..]));
    assert_eq!(res.text().await.expect("body"), r#"{"data":"stamp-0"}"#);
    let view = http.get(format!("http://{addr}/page/")).send().await.expect("view");
    assert_eq!(view.headers().get("x-stamp").map(|v| v.as_bytes()), Some(&b"on"[..]));
    assert_eq!(view.text().await.expect("body"), "a view");
}

#[tokio::test]
async fn an_extension_command_runs_from_the_cli_and_unknown_ones_are_usage_errors() {
    let run = |args: &'static [&'static str]| async move {
        let (ext, _) = stamp(false);
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        mizan::cli::run_args(App::new().extend(ext), axum::Router::new(), &args).await
    };
    assert_eq!(run(&["stamp", "ok"]).await, 0);
    assert_eq!(run(&["stamp", "nope"]).await, 3);
    assert_eq!(run(&["no-such-command"]).await, 2);
    // Without the extension the command does not exist.
    let args = vec!["stamp".to_owned(), "ok".to_owned()];
    assert_eq!(mizan::cli::run_args(App::new(), axum::Router::new(), &args).await, 2);
}

#[tokio::test]
async fn a_failing_start_up_hook_stops_serve_before_it_listens() {
    let (ext, started) = stamp(true);
    let args = vec!["serve".to_owned()];
    // Port 0 would serve forever; the hook's refusal must end it with 1 first.
    let code = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        mizan::cli::run_args(App::new().extend(ext), axum::Router::new(), &args),
    )
    .await
    .expect("serve returns instead of listening");
    assert_eq!(code, 1);
    assert_eq!(started.load(Ordering::SeqCst), 1, "the hook ran once");
}

#[test]
fn an_extension_may_not_shadow_a_built_in_command() {
    struct Shadow;
    impl Extension for Shadow {
        fn commands(&self) -> Vec<Command> {
            vec![Command::new("manifest", "BIN manifest", |_| async { 0 })]
        }
    }
    let err = App::new().extend(Shadow).check().expect_err("refused").to_string();
    assert!(err.contains("`manifest` shadows a built-in"), "{err}");
}
