//! `ssr_first_byte URL CONNECTIONS REQUESTS`: the streamed page's client
//! (bench/ssr-http/run.sh). CONNECTIONS tasks, each on its own keep-alive
//! connection, GET URL one request after another until REQUESTS answered
//! in all; each request is timed from just before it is sent to its first
//! body byte and to the end of its body. Every answer must be a 200 whose
//! first body chunk is the shell (without the quote) and whose whole body
//! holds the quote, so a page that was not streamed fails the run. Prints
//! `FIRST_P50 FIRST_P99 FULL_P50 FULL_P99` in milliseconds, one line.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// What `slow_quote` answers: in the body's later chunks, never its first.
const QUOTE: &[u8] = b"Patience is a virtue";

const USAGE: &str = "usage: ssr_first_byte URL CONNECTIONS REQUESTS";

type Error = Box<dyn std::error::Error + Send + Sync>;

/// One request's times: to its first body byte and to its end.
struct Timing {
    first: Duration,
    full: Duration,
}

/// One request on `client`'s connection, checked and timed.
async fn fetch(client: &reqwest::Client, url: &str) -> Result<Timing, Error> {
    let started = Instant::now();
    let mut response = client.get(url).send().await?;
    if response.status() != 200 {
        return Err(format!("{url}: HTTP {}", response.status()).into());
    }
    let first_chunk = loop {
        match response.chunk().await? {
            Some(chunk) if chunk.is_empty() => continue,
            Some(chunk) => break chunk,
            None => return Err(format!("{url}: an empty body").into()),
        }
    };
    let first = started.elapsed();
    let mut body = first_chunk.to_vec();
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
    }
    let full = started.elapsed();
    let holds_quote = |bytes: &[u8]| bytes.windows(QUOTE.len()).any(|w| w == QUOTE);
    if holds_quote(&first_chunk) {
        return Err(format!(
            "{url}: the first body chunk already holds the quote: the page was not streamed"
        )
        .into());
    }
    if !holds_quote(&body) {
        return Err(format!("{url}: the page ended without the quote").into());
    }
    Ok(Timing { first, full })
}

/// The `p`-th percentile (nearest rank) of sorted `values`, in milliseconds.
fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1e3
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let url: Arc<str> = args.next().ok_or(USAGE)?.into();
    let connections: usize = args.next().ok_or(USAGE)?.parse()?;
    let requests: usize = args.next().ok_or(USAGE)?.parse()?;
    if connections == 0 || requests == 0 {
        return Err(USAGE.into());
    }
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::with_capacity(connections);
    for _ in 0..connections {
        let (url, next) = (url.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            // Its own client: one connection per task, kept alive.
            let client = reqwest::Client::builder().pool_max_idle_per_host(1).build()?;
            let mut timings = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < requests {
                timings.push(fetch(&client, &url).await?);
            }
            Ok::<_, Error>(timings)
        }));
    }
    let mut timings = Vec::with_capacity(requests);
    for task in tasks {
        timings.extend(task.await??);
    }
    let mut first: Vec<Duration> = timings.iter().map(|t| t.first).collect();
    let mut full: Vec<Duration> = timings.iter().map(|t| t.full).collect();
    first.sort_unstable();
    full.sort_unstable();
    println!(
        "{:.2} {:.2} {:.2} {:.2}",
        percentile_ms(&first, 50.0),
        percentile_ms(&first, 99.0),
        percentile_ms(&full, 50.0),
        percentile_ms(&full, 99.0)
    );
    Ok(())
}
