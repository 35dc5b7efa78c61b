//! mizan's echo path in-process, for counting instructions with callgrind
//! (no sockets, no wall clock): `echo_instructions WORKLOAD N` sends N
//! POST calls through the router, one at a time, on one thread. WORKLOAD is
//! `text` (`echo` with a short string) or `floats` (64 full-precision
//! doubles echoed back). Run it twice, with N and 2N, under
//! `valgrind --tool=callgrind`: the difference over N is the cost of one
//! call, start-up excluded (bench/README.md).

use axum::body::Body;
use mizan::{App, Request};
use serde::{Deserialize, Serialize};
use tower::ServiceExt;

/// What `echo` sends back.
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
struct Output {
    message: String,
}

/// Echo text back.
#[mizan::client]
async fn echo(_req: &Request, text: String) -> mizan::Result<Output> {
    Ok(Output { message: text })
}

/// Echo numbers back.
#[mizan::client]
async fn floats(_req: &Request, values: Vec<f64>) -> mizan::Result<Vec<f64>> {
    Ok(values)
}

fn body(workload: &str) -> String {
    match workload {
        "text" => r#"{"text":"hello, world"}"#.to_owned(),
        "floats" => {
            // Fixed full-precision doubles: x_{k+1} = frac(x_k * 997 + 0.1234567).
            let mut x = 0.618_033_988_749_894_9_f64;
            let values: Vec<String> = (0..64)
                .map(|_| {
                    x = (x * 997.0 + 0.123_456_7).fract();
                    format!("{:e}", x * 1e6)
                })
                .collect();
            format!("{{\"values\":[{}]}}", values.join(","))
        }
        other => panic!("unknown workload {other:?}: text or floats"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let workload = args.get(1).map_or("text", String::as_str).to_owned();
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let name = if workload == "floats" { "floats" } else { "echo" };
    let body = body(&workload);
    let router = App::new()
        .register(echo)
        .register(floats)
        .mount("/api/mizan", axum::Router::new())
        .expect("the app builds");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let mut bytes = 0;
        for _ in 0..n {
            let req = axum::http::Request::post(format!("/api/mizan/call/{name}"))
                .header("content-type", "application/json")
                .body(Body::from(body.clone()))
                .expect("request");
            let res = router.clone().oneshot(req).await.expect("infallible");
            assert_eq!(res.status(), 200);
            bytes += axum::body::to_bytes(res.into_body(), usize::MAX).await.expect("body").len();
        }
        println!("{n} calls of {name}, {bytes} bytes answered");
    });
}
