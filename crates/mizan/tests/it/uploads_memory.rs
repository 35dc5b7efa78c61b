//! A 200 MB upload, made on the fly, to a function allowing 256 MB, served
//! by a process of its own (this test binary run again as the server):
//! the server's peak RSS (`VmHWM`) grows by less than 16 MB, and the
//! handler's first chunk arrives before the client has sent 1 MB (the
//! client holds the rest back until the server says it has one).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use mizan::{App, Request, Upload};
use serde_json::{Value, json};

const BOUNDARY: &str = "memory-test-boundary";
const SERVER_ENV: &str = "MIZAN_TEST_UPLOAD_SERVER";
const TOTAL: u64 = 200 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;

/// Folds the bytes into a sum (work on every byte, nothing kept); prints
/// `first chunk` when the first one arrives.
#[mizan::client]
async fn big(
    _req: &Request,
    #[upload(max_bytes = 268_435_456, mime = ["application/octet-stream"])] file: Upload,
) -> mizan::Result<(String, u32)> {
    let mut file = file;
    let mut sum = 0u32;
    let mut first = true;
    while let Some(chunk) = file.chunk().await? {
        if first {
            println!("first chunk");
            first = false;
        }
        sum = chunk.iter().fold(sum, |s, &b| s.wrapping_mul(31).wrapping_add(u32::from(b)));
    }
    Ok((file.bytes_read().to_string(), sum))
}

/// The server, when this binary is run as one; otherwise nothing.
#[tokio::test]
async fn serve_for_the_memory_test() {
    if std::env::var_os(SERVER_ENV).is_none() {
        return;
    }
    let router = App::new().register(big).mount("/api/mizan", axum::Router::new()).expect("app builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    println!("listening on {}", listener.local_addr().expect("addr"));
    axum::serve(listener, router).await.expect("serve");
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn peak_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("the server's status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

fn expected_sum() -> u32 {
    let mut sum = 0u32;
    let chunk = filler();
    for _ in 0..TOTAL / CHUNK as u64 {
        sum = chunk.iter().fold(sum, |s, &b| s.wrapping_mul(31).wrapping_add(u32::from(b)));
    }
    sum
}

fn filler() -> Vec<u8> {
    (0..CHUNK).map(|i| (i * 7 % 251) as u8).collect()
}

fn head() -> Vec<u8> {
    format!(
        "--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"args\"\r\n\r\n{{}}\r\n\
         --{BOUNDARY}\r\ncontent-disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\
         content-type: application/octet-stream\r\n\r\n"
    )
    .into_bytes()
}

#[tokio::test]
async fn a_200_mb_upload_streams_through_a_server_whose_peak_rss_grows_under_16_mb() {
    let mut child = Command::new(std::env::current_exe().expect("this test binary"))
        .args(["--exact", "uploads_memory::serve_for_the_memory_test", "--nocapture", "--test-threads=1"])
        .env(SERVER_ENV, "1")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server process");
    let pid = child.id();
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let server = Server(child);
    let addr = loop {
        let line = lines.next().expect("a line from the server").expect("UTF-8");
        // libtest may have written `test NAME ... ` before it on the line.
        if let Some((_, addr)) = line.split_once("listening on ") {
            break addr.trim().to_owned();
        }
    };
    // The server tells when its handler has the first chunk.
    let (first_tx, first_rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let mut first_tx = Some(first_tx);
        let mut firsts = 0;
        for line in lines.map_while(Result::ok) {
            if line.ends_with("first chunk") {
                firsts += 1;
                // The warm-up's is the first; the big upload's the second.
                if firsts == 2
                    && let Some(tx) = first_tx.take()
                {
                    let _ = tx.send(());
                }
            }
        }
    });
    let api = format!("http://{addr}/api/mizan");
    let client = reqwest::Client::new();
    let upload = |body: reqwest::Body| {
        client
            .post(format!("{api}/call/big"))
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(body)
            .send()
    };

    // A small upload first, so the baseline counts a warmed-up server.
    let mut small = head();
    small.extend(filler());
    small.extend(format!("\r\n--{BOUNDARY}--\r\n").into_bytes());
    let r = upload(reqwest::Body::from(small)).await.expect("the warm-up");
    assert_eq!(r.status().as_u16(), 200);
    let before = peak_rss_kb(pid);

    // 200 MB, made as it is sent; after 512 KiB of file the client waits
    // for the server's first chunk (10 s at most) before sending more.
    let sent = Arc::new(AtomicU64::new(0));
    let first = Arc::new(tokio::sync::Mutex::new(Some(first_rx)));
    let chunk = bytes::Bytes::from(filler());
    let count = TOTAL / CHUNK as u64;
    let (sent_in, first_in) = (sent.clone(), first.clone());
    let file = futures_util::stream::iter(0..count).then(move |i| {
        let (chunk, sent, first) = (chunk.clone(), sent_in.clone(), first_in.clone());
        async move {
            if i == 8
                && let Some(rx) = first.lock().await.take()
            {
                tokio::time::timeout(Duration::from_secs(10), rx)
                    .await
                    .map_err(|_| std::io::Error::other("no first chunk on the server after 512 KiB sent"))?
                    .map_err(|_| std::io::Error::other("the server went away"))?;
            }
            sent.fetch_add(chunk.len() as u64, Ordering::SeqCst);
            Ok::<_, std::io::Error>(chunk)
        }
    });
    let body = futures_util::stream::once(async { Ok::<_, std::io::Error>(bytes::Bytes::from(head())) })
        .chain(file)
        .chain(futures_util::stream::once(async {
            Ok::<_, std::io::Error>(bytes::Bytes::from(format!("\r\n--{BOUNDARY}--\r\n")))
        }));
    let r = upload(reqwest::Body::wrap_stream(body)).await.expect("the 200 MB upload answered");
    assert_eq!(r.status().as_u16(), 200);
    let out: Value = r.json().await.expect("JSON");
    assert_eq!(out, json!({ "data": [TOTAL.to_string(), expected_sum()] }));
    assert_eq!(sent.load(Ordering::SeqCst), TOTAL);
    assert!(first.lock().await.is_none(), "the client waited for the first chunk");

    let after = peak_rss_kb(pid);
    let grown = after.saturating_sub(before);
    eprintln!("server VmHWM: {before} kB before, {after} kB after the 200 MB upload (+{grown} kB)");
    assert!(grown < 16 * 1024, "the server's peak RSS grew by {grown} kB");
    drop(server);
}
