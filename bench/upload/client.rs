//! The upload benchmark's client (bench/upload/run.sh): `upload_client URL
//! MIB` sends one `multipart/form-data` body to `URL/api/mizan/call/hash`
//! (an `args` part `{}`, then a `file` part of MIB MiB), made on the fly
//! from one 64 KiB block and never held whole; checks the answer (the size
//! and the SHA-256, computed before the clock starts) and prints
//! `seconds=… mb_per_s=… bytes=…` (MB = 10^6 bytes of the file).

use std::time::Instant;

use bytes::Bytes;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

const BOUNDARY: &str = "upload-bench-boundary";
const BLOCK: usize = 64 * 1024;

fn head() -> Bytes {
    Bytes::from(format!(
        "--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"args\"\r\ncontent-type: application/json\r\n\r\n{{}}\r\n\
         --{BOUNDARY}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\
         content-type: application/octet-stream\r\n\r\n"
    ))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: upload_client URL MIB";
    let mut args = std::env::args().skip(1);
    let base = args.next().ok_or(usage)?;
    let mib: u64 = args.next().ok_or(usage)?.parse()?;
    let blocks = mib * 1024 * 1024 / BLOCK as u64;
    let total = blocks * BLOCK as u64;
    // Bytes that differ within the block and from block to block (the
    // block's first 8 bytes are its index), so the hash covers real data.
    let pattern: Vec<u8> = (0..BLOCK).map(|i| (i * 7 % 251) as u8).collect();
    let block = move |i: u64| {
        let mut b = pattern.clone();
        b[..8].copy_from_slice(&i.to_le_bytes());
        Bytes::from(b)
    };
    let mut hasher = Sha256::new();
    for i in 0..blocks {
        hasher.update(block(i));
    }
    let want: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();

    let file = futures_util::stream::iter(0..blocks).map(move |i| Ok::<_, std::io::Error>(block(i)));
    let body = futures_util::stream::once(async { Ok::<_, std::io::Error>(head()) }).chain(file).chain(
        futures_util::stream::once(async {
            Ok::<_, std::io::Error>(Bytes::from(format!("\r\n--{BOUNDARY}--\r\n")))
        }),
    );
    let url = format!("{base}/api/mizan/call/hash");
    let client = reqwest::Client::new();
    let started = Instant::now();
    let response = client
        .post(&url)
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(reqwest::Body::wrap_stream(body))
        .send()
        .await?;
    let status = response.status();
    let text = response.text().await?;
    let seconds = started.elapsed().as_secs_f64();
    if status != 200 {
        return Err(format!("{url}: HTTP {status}: {text}").into());
    }
    let out: serde_json::Value = serde_json::from_str(&text)?;
    let expected = serde_json::json!({ "data": { "size": total.to_string(), "sha256": want } });
    if out != expected {
        return Err(format!("{url}: answered {out}, expected {expected}").into());
    }
    println!("seconds={seconds:.4} mb_per_s={:.1} bytes={total}", total as f64 / 1e6 / seconds);
    Ok(())
}
