//! The streaming benchmark's client (bench/stream/run.sh): `stream_client
//! URL COUNT` reads `numbers(COUNT)`'s NDJSON from URL to its end over one
//! connection, checks every line (COUNT numbers in order, then the end
//! line), and prints `seconds=… items_per_s=… bytes=…`.

use std::time::Instant;

use futures_util::StreamExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let base = args.next().ok_or("usage: stream_client URL COUNT")?;
    let count: u64 = args.next().ok_or("usage: stream_client URL COUNT")?.parse()?;
    let url = format!("{base}/api/mizan/call/numbers?input=%7B%22count%22%3A{count}%7D");
    let client = reqwest::Client::new();
    let started = Instant::now();
    let response = client.get(&url).send().await?;
    if response.status() != 200 {
        return Err(format!("{url}: HTTP {}", response.status()).into());
    }
    let mut body = response.bytes_stream();
    let (mut next, mut bytes, mut line, mut ended) = (0u64, 0usize, Vec::new(), false);
    while let Some(piece) = body.next().await {
        let piece = piece?;
        bytes += piece.len();
        for &b in piece.iter() {
            if b != b'\n' {
                line.push(b);
                continue;
            }
            if ended {
                return Err("a line after the end line".into());
            }
            if line == b"{\"end\":true}" {
                ended = true;
            } else {
                let want = format!("{{\"data\":{next}}}");
                if line != want.as_bytes() {
                    return Err(format!("line {next}: {:?}", String::from_utf8_lossy(&line)).into());
                }
                next += 1;
            }
            line.clear();
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    if !ended || next != count {
        return Err(format!("{next} of {count} items, end line seen: {ended}").into());
    }
    println!("seconds={seconds:.4} items_per_s={:.0} bytes={bytes}", count as f64 / seconds);
    Ok(())
}
