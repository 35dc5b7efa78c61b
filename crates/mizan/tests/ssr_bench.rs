//! The SSR bridge benchmark (ignored by `cargo test`; run
//! `bench/ssr/run.sh`, which runs this in release mode).
//!
//! In one run it measures, for the Hello component and a 100-item list:
//! - the cost of one render through the bridge (Rust → NDJSON → Bun worker →
//!   `renderToString` → back), one at a time on one worker, against React's
//!   `renderToString` called in-process inside Bun (bench/ssr/baseline.ts);
//! - the throughput of one worker against two, with 8 renders in flight.
//!
//! Each figure is the median of several repeats; the report gives ratios.
//! Knobs: `MIZAN_BENCH_REPEATS` (default 7), `MIZAN_BENCH_SCALE` (default 1.0,
//! multiplies the iteration counts), `MIZAN_BENCH_OUT` (write the JSON there).

#[path = "fixtures/ssr/support.rs"]
mod support;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mizan::{Ssr, SsrPool};
use serde_json::{Value, json};

fn bench_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/ssr"))
        .canonicalize()
        .expect("bench/ssr exists")
}

fn env_num(name: &str, default: f64) -> f64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// CPU seconds used so far by this process and by its reaped children
/// (from /proc/self/stat; USER_HZ is 100 on Linux).
fn cpu_seconds() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<f64> =
        stat.rsplit(") ").next().unwrap_or_default().split(' ').map(|f| f.parse().unwrap_or(0.0)).collect();
    // After the command name: state is field 3, so utime (14) is index 11.
    let get = |i: usize| fields.get(i).copied().unwrap_or(0.0) / 100.0;
    (get(11) + get(12), get(13) + get(14))
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split(' ')
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    let n = xs.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 }
}

struct Case {
    label: &'static str,
    component: &'static str,
    props: Value,
    iterations: usize,
}

fn cases(scale: f64) -> Vec<Case> {
    let items: Vec<Value> = (0..100)
        .map(|i| {
            json!({"id": i, "title": format!("Item number {i} <with> \"markup\" & ünïcödé"), "done": i % 3 == 0,
                   "tags": ["alpha", "beta"]})
        })
        .collect();
    let n = |base: f64| ((base * scale) as usize).max(20);
    vec![
        Case {
            label: "hello",
            component: "components/Hello.tsx",
            props: json!({"name": "World"}),
            iterations: n(2000.0),
        },
        Case {
            label: "list100",
            component: "components/List.tsx",
            props: json!({"title": "A list", "items": items}),
            iterations: n(300.0),
        },
    ]
}

fn pool(workers: usize) -> Arc<SsrPool> {
    SsrPool::new(Ssr::new().dirs([bench_dir()]).workers(workers).dev(false).recycle_after(0))
}

/// µs per render through the bridge, one at a time: the samples of each
/// repeat, the page size, and how many renders were made in all.
async fn bridge_sequential(pool: &SsrPool, case: &Case, repeats: usize) -> (Vec<f64>, usize, usize) {
    let mut bytes = 0;
    for _ in 0..200.min(case.iterations) {
        bytes = pool.render_html(case.component, &case.props).await.expect("render").len();
    }
    let mut samples = Vec::new();
    for _ in 0..repeats {
        let t0 = Instant::now();
        for _ in 0..case.iterations {
            pool.render_html(case.component, &case.props).await.expect("render");
        }
        samples.push(t0.elapsed().as_secs_f64() * 1e6 / case.iterations as f64);
    }
    (samples, bytes, 200.min(case.iterations) + repeats * case.iterations)
}

/// µs per full page (render + page + cached bundle), one at a time.
async fn page_sequential(pool: &SsrPool, case: &Case, repeats: usize) -> Vec<f64> {
    let ctx = serde_json::Map::new();
    for _ in 0..50 {
        pool.render_page(case.component, &case.props, &ctx, "/api/mizan").await.expect("page");
    }
    let mut samples = Vec::new();
    for _ in 0..repeats {
        let t0 = Instant::now();
        for _ in 0..case.iterations {
            pool.render_page(case.component, &case.props, &ctx, "/api/mizan").await.expect("page");
        }
        samples.push(t0.elapsed().as_secs_f64() * 1e6 / case.iterations as f64);
    }
    samples
}

/// Warms every worker of a pool (JIT, module cache) with concurrent renders.
async fn warm(pool: &Arc<SsrPool>, case: &Case, renders: usize, concurrency: usize) {
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (pool, name, props) = (pool.clone(), case.component, case.props.clone());
            tokio::spawn(async move {
                for _ in 0..renders / concurrency {
                    pool.render_html(name, &props).await.expect("render");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("join");
    }
}

/// Renders per second with `concurrency` renders in flight (one sample).
async fn throughput(pool: &Arc<SsrPool>, case: &Case, concurrency: usize) -> f64 {
    let per_task = (case.iterations * 2 / concurrency).max(10);
    let t0 = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (pool, name, props) = (pool.clone(), case.component, case.props.clone());
            tokio::spawn(async move {
                for _ in 0..per_task {
                    pool.render_html(name, &props).await.expect("render");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("join");
    }
    (per_task * concurrency) as f64 / t0.elapsed().as_secs_f64()
}

/// µs per ping round trip (the bridge's floor), one at a time.
async fn ping_us(pool: &SsrPool, n: usize, repeats: usize) -> f64 {
    for _ in 0..200 {
        pool.ping().await.expect("ping");
    }
    let mut samples = Vec::new();
    for _ in 0..repeats {
        let t0 = Instant::now();
        for _ in 0..n {
            pool.ping().await.expect("ping");
        }
        samples.push(t0.elapsed().as_secs_f64() * 1e6 / n as f64);
    }
    median(samples)
}

/// µs per in-process `renderToString` inside Bun (bench/ssr/baseline.ts).
fn baseline(case: &Case, repeats: usize) -> Vec<f64> {
    let props_file =
        std::env::temp_dir().join(format!("mizan-bench-{}-{}.json", case.label, std::process::id()));
    std::fs::write(&props_file, case.props.to_string()).expect("write props");
    let bun = support::node_modules().join(".bin/bun");
    let out = std::process::Command::new(bun)
        .arg(bench_dir().join("baseline.ts"))
        .arg(bench_dir().join(case.component))
        .arg(&props_file)
        .arg(case.iterations.to_string())
        .arg(repeats.to_string())
        .env("NODE_ENV", "production")
        .output()
        .expect("run bun baseline");
    let _ = std::fs::remove_file(&props_file);
    assert!(out.status.success(), "baseline failed: {}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("baseline JSON");
    v["per_render_us"].as_array().expect("samples").iter().filter_map(Value::as_f64).collect()
}

#[test]
#[ignore = "benchmark: run bench/ssr/run.sh"]
fn ssr_bridge_bench() {
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let repeats = env_num("MIZAN_BENCH_REPEATS", 7.0) as usize;
    let scale = env_num("MIZAN_BENCH_SCALE", 1.0);
    let concurrency = 8;
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mut report = Vec::new();

    println!("\nmizan SSR bridge benchmark — {repeats} repeats, medians; {cores} cores\n");
    println!(
        "{:<9} {:>7} {:>6} | {:>12} {:>12} {:>10} {:>7} | {:>11} | {:>11} {:>11} {:>6}",
        "case",
        "bytes",
        "iters",
        "bridge µs",
        "in-proc µs",
        "overhead",
        "ratio",
        "page µs",
        "1 worker/s",
        "2 workers/s",
        "2÷1"
    );
    let load_before = loadavg();
    let mut cpu_rows = Vec::new();
    rt.block_on(async {
        let probe = pool(1);
        let ping = ping_us(&probe, (2000.0 * scale) as usize + 20, repeats).await;
        probe.shutdown().await;
        report.push(json!({"case": "ping", "bridge_us_per_ping": ping}));
        for case in cases(scale) {
            let base = median(baseline(&case, repeats));
            // A worker's start (Bun, imports, first render) in CPU seconds,
            // to take out of the per-render figure below.
            let (_, k0) = cpu_seconds();
            let probe = pool(1);
            probe.render_html(case.component, &case.props).await.expect("render");
            probe.shutdown().await;
            let startup_cpu = cpu_seconds().1 - k0;

            // CPU per render: this process (the host) and the worker, which
            // is counted once reaped at shutdown, less its start.
            let (host0, kids0) = cpu_seconds();
            let one = pool(1);
            let (seq, bytes, renders) = bridge_sequential(&one, &case, repeats).await;
            one.shutdown().await;
            let (host1, kids1) = cpu_seconds();
            let host_cpu = (host1 - host0) * 1e6 / renders as f64;
            let worker_cpu = (kids1 - kids0 - startup_cpu).max(0.0) * 1e6 / renders as f64;
            let seq = median(seq);
            let one = pool(1);
            let page = median(page_sequential(&one, &case, repeats).await);
            one.shutdown().await;

            // Fresh pools, warmed alike; samples interleaved so load from
            // elsewhere on the machine hits both alike.
            let (one, two) = (pool(1), pool(2));
            warm(&one, &case, 400, concurrency).await;
            warm(&two, &case, 800, concurrency).await;
            let (mut tp1, mut tp2) = (Vec::new(), Vec::new());
            for _ in 0..repeats {
                tp1.push(throughput(&one, &case, concurrency).await);
                tp2.push(throughput(&two, &case, concurrency).await);
            }
            let (tp1, tp2) = (median(tp1), median(tp2));
            one.shutdown().await;
            two.shutdown().await;
            tokio::time::sleep(Duration::from_millis(100)).await;

            cpu_rows.push(format!(
                "{:<9} CPU per render: host {host_cpu:>6.1} µs + worker {worker_cpu:>6.1} µs (in-process: {base:.1} µs); \
                 a worker's start: {:.0} ms CPU",
                case.label,
                startup_cpu * 1e3
            ));
            println!(
                "{:<9} {:>7} {:>6} | {:>12.1} {:>12.1} {:>10.1} {:>6.2}x | {:>11.1} | {:>11.0} {:>11.0} {:>5.2}x",
                case.label,
                bytes,
                case.iterations,
                seq,
                base,
                seq - base,
                seq / base,
                page,
                tp1,
                tp2,
                tp2 / tp1
            );
            report.push(json!({
                "case": case.label, "html_bytes": bytes, "iterations": case.iterations, "repeats": repeats,
                "bridge_us_per_render": seq, "in_process_us_per_render": base,
                "overhead_us": seq - base, "ratio_bridge_to_in_process": seq / base,
                "page_us_per_render": page,
                "host_cpu_us_per_render": host_cpu, "worker_cpu_us_per_render": worker_cpu,
                "worker_start_cpu_ms": startup_cpu * 1e3,
                "concurrency": concurrency,
                "one_worker_renders_per_s": tp1, "two_workers_renders_per_s": tp2, "ratio_two_to_one": tp2 / tp1,
            }));
        }
        println!("\nping round trip through the pool: {ping:.1} µs");
    });
    for row in &cpu_rows {
        println!("{row}");
    }
    let load_after = loadavg();
    println!(
        "load average before: {load_before}; after: {load_after} (other work on the machine skews these figures)"
    );
    println!(
        "\nbridge µs: one render at a time through the pool (1 worker); in-proc µs: renderToString inside Bun;\n\
         overhead = bridge − in-proc; page µs: full page (render + HTML page + cached bundle);\n\
         workers/s: renders per second with {concurrency} in flight."
    );
    if let Ok(path) = std::env::var("MIZAN_BENCH_OUT") {
        std::fs::write(&path, serde_json::to_string_pretty(&report).expect("json")).expect("write report");
        println!("wrote {path}");
    }
}
