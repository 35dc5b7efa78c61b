//! The SSR bridge benchmark: run `bench/ssr/run.sh`, which runs this
//! binary in release mode.
//!
//! In one run it measures, for the Hello component and a 100-item list:
//! - the cost of one render through the bridge (Rust → NDJSON → Bun worker →
//!   `renderToString` → back), one at a time on one worker, against React's
//!   `renderToString` called in-process inside Bun (bench/ssr/baseline.ts);
//! - in-process too, the two costs any JSON bridge adds to that render:
//!   making the rendered string into UTF-8 bytes (a Bun server sending the
//!   page pays it as well) and `JSON.parse` of the props. Their sum with the
//!   render is the floor; what the bridge costs above it is the transport
//!   (pipes, wake-ups, the host's side);
//! - the throughput of one worker against two, with 8 renders in flight;
//! - the bridge pipelined: one worker with 32 renders in flight through the
//!   host, against bench/ssr/worker-modes.ts driving the same worker from
//!   Bun with every request written at once (its "pipelined" driver);
//!   samples alternate, ratios per round.
//!
//! Each figure is the median of several repeats; the report gives ratios.
//! Knobs: `MIZAN_BENCH_REPEATS` (default 7), `MIZAN_BENCH_SCALE` (default 1.0,
//! multiplies the iteration counts), `MIZAN_BENCH_OUT` (write the JSON there).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mizan::{Ssr, SsrPool};
use serde_json::{Value, json};

fn bench_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/ssr")).canonicalize().expect("bench/ssr exists")
}

/// The project's `node_modules` (holding bun, react, @mizan/ssr).
fn node_modules() -> PathBuf {
    bench_dir()
        .ancestors()
        .map(|a| a.join("node_modules"))
        .find(|p| p.join(".bin/bun").is_file())
        .expect("node_modules/.bin/bun above bench/ssr: run `npm install` at the repository root")
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
    let ssr = Ssr::new().dirs([bench_dir()]).workers(workers).dev(false).recycle_after(0);
    // An alternative worker script, to measure a change to the worker.
    let ssr = match std::env::var_os("MIZAN_BENCH_WORKER") {
        Some(script) => ssr.worker_script(script),
        None => ssr,
    };
    SsrPool::new(ssr)
}

/// µs per render through the bridge, one at a time, over `n` renders.
async fn bridge_sample(pool: &SsrPool, case: &Case, n: usize) -> f64 {
    let t0 = Instant::now();
    for _ in 0..n {
        pool.render_html(case.component, &case.props).await.expect("render");
    }
    t0.elapsed().as_secs_f64() * 1e6 / n as f64
}

/// µs per full page (render + page + cached bundle), one at a time.
async fn page_sequential(pool: &SsrPool, case: &Case, repeats: usize) -> Vec<f64> {
    let ctx = serde_json::Map::new();
    for _ in 0..50 {
        pool.render_page(case.component, &case.props, &ctx).await.expect("page");
    }
    let mut samples = Vec::new();
    for _ in 0..repeats {
        let t0 = Instant::now();
        for _ in 0..case.iterations {
            pool.render_page(case.component, &case.props, &ctx).await.expect("page");
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

/// Renders per second of worker-modes.ts's pipelined driver (one sample, a
/// fresh worker warmed by the driver itself).
fn driver_sample(case: &Case, renders: usize) -> f64 {
    let props_file =
        std::env::temp_dir().join(format!("mizan-bench-driver-{}-{}.json", case.label, std::process::id()));
    std::fs::write(&props_file, case.props.to_string()).expect("write props");
    let mut cmd = std::process::Command::new(node_modules().join(".bin/bun"));
    cmd.arg(bench_dir().join("worker-modes.ts"))
        .arg("--pipelined")
        .arg(bench_dir().join(case.component))
        .arg(&props_file)
        .arg(renders.to_string())
        .env("NODE_ENV", "production");
    if let Some(script) = std::env::var_os("MIZAN_BENCH_WORKER") {
        cmd.env("MIZAN_BENCH_WORKER", script);
    }
    let out = cmd.output().expect("run worker-modes.ts");
    let _ = std::fs::remove_file(&props_file);
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Value = serde_json::from_str(text.trim()).unwrap_or_else(|e| {
        panic!("worker-modes.ts said {text:?} ({e}); stderr: {}", String::from_utf8_lossy(&out.stderr))
    });
    v["renders_per_s"].as_f64().expect("renders_per_s")
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

/// One sample of bench/ssr/baseline.ts (µs per call).
struct BaseSample {
    /// `renderToString` alone.
    render: f64,
    /// `renderToString` and the result made into UTF-8 bytes.
    render_bytes: f64,
    /// `JSON.parse` of the props text.
    parse: f64,
    /// Parse, render and bytes, each after 300 µs idle (the idle untimed).
    idle: f64,
}

/// bench/ssr/baseline.ts, kept running for a case: asked for one sample at
/// a time, so its samples alternate with the bridge's.
struct Baseline {
    child: std::process::Child,
    out: std::io::BufReader<std::process::ChildStdout>,
    props_file: PathBuf,
}

impl Baseline {
    fn start(case: &Case) -> Self {
        let props_file =
            std::env::temp_dir().join(format!("mizan-bench-{}-{}.json", case.label, std::process::id()));
        std::fs::write(&props_file, case.props.to_string()).expect("write props");
        let mut child = std::process::Command::new(node_modules().join(".bin/bun"))
            .arg(bench_dir().join("baseline.ts"))
            .arg(bench_dir().join(case.component))
            .arg(&props_file)
            .env("NODE_ENV", "production")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("run bun baseline");
        let out = std::io::BufReader::new(child.stdout.take().expect("stdout"));
        Self { child, out, props_file }
    }

    fn sample(&mut self, iterations: usize) -> BaseSample {
        use std::io::{BufRead, Write};
        let stdin = self.child.stdin.as_mut().expect("stdin");
        writeln!(stdin, "{iterations}").and_then(|()| stdin.flush()).expect("ask the baseline");
        let mut line = String::new();
        self.out.read_line(&mut line).expect("baseline answer");
        let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("baseline said {line:?}: {e}"));
        let get = |k: &str| v[k].as_f64().unwrap_or_else(|| panic!("baseline {k} in {line}"));
        BaseSample {
            render: get("render_us"),
            render_bytes: get("render_bytes_us"),
            parse: get("parse_us"),
            idle: get("idle_us"),
        }
    }
}

impl Drop for Baseline {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.props_file);
    }
}

fn main() {
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let repeats = env_num("MIZAN_BENCH_REPEATS", 7.0) as usize;
    let scale = env_num("MIZAN_BENCH_SCALE", 1.0);
    let concurrency = 8;
    let pipelined = 32;
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mut report = Vec::new();

    println!("\nmizan SSR bridge benchmark — {repeats} repeats, medians; {cores} cores\n");
    println!(
        "{:<9} {:>6} | {:>9} | {:>9} {:>9} {:>8} | {:>8} {:>8} {:>9} | {:>8} | {:>10} {:>10} {:>5}",
        "case",
        "bytes",
        "bridge µs",
        "render µs",
        "+bytes µs",
        "parse µs",
        "÷render",
        "÷+bytes",
        "transport",
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
            // A worker's start (Bun, imports, first render) in CPU seconds,
            // to take out of the per-render figure below.
            let (_, k0) = cpu_seconds();
            let probe = pool(1);
            probe.render_html(case.component, &case.props).await.expect("render");
            probe.shutdown().await;
            let startup_cpu = cpu_seconds().1 - k0;

            // The bridge and the in-process baseline, warmed alike, their
            // samples alternating (and which goes first too), so that load
            // from elsewhere on the machine hits both alike; ratios are
            // taken per round, then the median.
            let mut base = Baseline::start(&case);
            let warm_n = 200.min(case.iterations);
            base.sample(warm_n);
            let one = pool(1);
            let (host0, kids0) = cpu_seconds();
            let bytes = one.render_html(case.component, &case.props).await.expect("render").len();
            bridge_sample(&one, &case, warm_n).await;
            let (mut seq, mut renders) = (Vec::new(), warm_n + 1);
            let (mut b_render, mut b_bytes, mut b_parse, mut b_idle) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            let (mut r_render, mut r_bytes, mut r_transport) = (Vec::new(), Vec::new(), Vec::new());
            for round in 0..repeats {
                let (bridge, b) = if round % 2 == 0 {
                    let b = base.sample(case.iterations);
                    (bridge_sample(&one, &case, case.iterations).await, b)
                } else {
                    let bridge = bridge_sample(&one, &case, case.iterations).await;
                    (bridge, base.sample(case.iterations))
                };
                renders += case.iterations;
                r_render.push(bridge / b.render);
                r_bytes.push(bridge / b.render_bytes);
                r_transport.push(bridge - b.render_bytes - b.parse);
                seq.push(bridge);
                b_render.push(b.render);
                b_bytes.push(b.render_bytes);
                b_parse.push(b.parse);
                b_idle.push(b.idle);
            }
            one.shutdown().await;
            // CPU per render: this process (the host) and the worker, which
            // is counted once reaped at shutdown, less its start (the
            // baseline is reaped after this).
            let (host1, kids1) = cpu_seconds();
            drop(base);
            let host_cpu = (host1 - host0) * 1e6 / renders as f64;
            let worker_cpu = (kids1 - kids0 - startup_cpu).max(0.0) * 1e6 / renders as f64;
            let (seq, base, base_bytes, parse) = (median(seq), median(b_render), median(b_bytes), median(b_parse));
            let (ratio, ratio_bytes, transport) = (median(r_render.clone()), median(r_bytes), median(r_transport));
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

            // Pipelined: the host with many in flight on one worker, against
            // Bun's own pipelined driver of the same worker; alternating.
            let deep = pool(1);
            warm(&deep, &case, 600, pipelined).await;
            let driver_renders = (case.iterations * 2).max(300);
            let (mut p_bridge, mut p_driver, mut p_ratio) = (Vec::new(), Vec::new(), Vec::new());
            for round in 0..repeats {
                let (bridge, driver) = if round % 2 == 0 {
                    let d = driver_sample(&case, driver_renders);
                    (throughput(&deep, &case, pipelined).await, d)
                } else {
                    let b = throughput(&deep, &case, pipelined).await;
                    (b, driver_sample(&case, driver_renders))
                };
                p_bridge.push(bridge);
                p_driver.push(driver);
                p_ratio.push(bridge / driver);
            }
            deep.shutdown().await;
            let (p_bridge, p_driver, p_ratio_median) = (median(p_bridge), median(p_driver), median(p_ratio.clone()));
            cpu_rows.push(format!(
                "{:<9} pipelined, 1 worker: bridge ({pipelined} in flight) {p_bridge:.0}/s, Bun driver (all at once) \
                 {p_driver:.0}/s: bridge ÷ driver {p_ratio_median:.2}x (median of per-round ratios)",
                case.label
            ));

            cpu_rows.push(format!(
                "{:<9} in-process parse + render + bytes, each after 300 µs idle: {:.1} µs (bridge {seq:.1} µs)",
                case.label,
                median(b_idle.clone())
            ));
            cpu_rows.push(format!(
                "{:<9} CPU per render: host {host_cpu:>6.1} µs + worker {worker_cpu:>6.1} µs (in-process: {base:.1} µs); \
                 a worker's start: {:.0} ms CPU",
                case.label,
                startup_cpu * 1e3
            ));
            println!(
                "{:<9} {:>6} | {:>9.1} | {:>9.1} {:>9.1} {:>8.1} | {:>7.2}x {:>7.2}x {:>9.1} | {:>8.1} | {:>10.0} {:>10.0} {:>4.2}x",
                case.label,
                bytes,
                seq,
                base,
                base_bytes,
                parse,
                ratio,
                ratio_bytes,
                transport,
                page,
                tp1,
                tp2,
                tp2 / tp1
            );
            report.push(json!({
                "case": case.label, "html_bytes": bytes, "iterations": case.iterations, "repeats": repeats,
                "bridge_us_per_render": seq, "in_process_us_per_render": base,
                "in_process_with_bytes_us_per_render": base_bytes, "props_parse_us": parse,
                "in_process_all_after_idle_us": median(b_idle.clone()),
                "overhead_us": seq - base, "ratio_bridge_to_in_process": ratio,
                "ratio_bridge_to_in_process_with_bytes": ratio_bytes,
                "transport_us": transport, "ratios_per_round": r_render,
                "page_us_per_render": page,
                "host_cpu_us_per_render": host_cpu, "worker_cpu_us_per_render": worker_cpu,
                "worker_start_cpu_ms": startup_cpu * 1e3,
                "concurrency": concurrency,
                "one_worker_renders_per_s": tp1, "two_workers_renders_per_s": tp2, "ratio_two_to_one": tp2 / tp1,
                "pipelined_in_flight": pipelined, "pipelined_bridge_renders_per_s": p_bridge,
                "pipelined_driver_renders_per_s": p_driver, "pipelined_ratio_bridge_to_driver": p_ratio_median,
                "pipelined_ratios_per_round": p_ratio,
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
        "\nbridge µs: one render at a time through the pool (1 worker). In-process, inside Bun: render µs,\n\
         renderToString alone; +bytes µs, renderToString and its result made into UTF-8 bytes; parse µs,\n\
         JSON.parse of the props. Samples alternate bridge/in-process; ÷render, ÷+bytes: medians of the\n\
         per-round ratios; transport: median of bridge − (+bytes + parse) per round, what the bridge costs\n\
         above the floor any JSON bridge has. page µs: full page (render + HTML page\n\
         + cached bundle). workers/s: renders per second with {concurrency} in flight."
    );
    if let Ok(path) = std::env::var("MIZAN_BENCH_OUT") {
        std::fs::write(&path, serde_json::to_string_pretty(&report).expect("json")).expect("write report");
        println!("wrote {path}");
    }
}
