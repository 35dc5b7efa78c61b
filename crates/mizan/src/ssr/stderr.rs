//! A worker's stderr (its console): forwarded to tracing line by line,
//! tagged with the render, with the last lines kept to explain a death.
//! Lines are bounded: a worker writing an endless line cannot make the host
//! hold it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, BufReader};

/// Lines of a worker's stderr kept to explain its death.
pub(crate) const STDERR_TAIL: usize = 12;
/// Longest stderr line forwarded whole; the rest of a longer line is dropped.
pub(crate) const LINE_MAX: usize = 16 * 1024;

/// The next line (without its newline), cut at [`LINE_MAX`] bytes with the
/// number of bytes dropped noted; `None` at end of stream.
pub(crate) async fn next_line<R: AsyncBufRead + Unpin>(reader: &mut R, buf: &mut Vec<u8>) -> Option<String> {
    buf.clear();
    let n = (&mut *reader).take(LINE_MAX as u64).read_until(b'\n', buf).await.ok()?;
    if n == 0 {
        return None;
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        return Some(String::from_utf8_lossy(buf).into_owned());
    }
    // Cut: skip the rest of the line, counting it.
    let mut dropped = 0usize;
    loop {
        let chunk = match reader.fill_buf().await {
            Ok(chunk) if !chunk.is_empty() => chunk,
            _ => break,
        };
        match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => {
                dropped += i;
                reader.consume(i + 1);
                break;
            }
            None => {
                let len = chunk.len();
                dropped += len;
                reader.consume(len);
            }
        }
    }
    let text = String::from_utf8_lossy(buf);
    Some(if dropped == 0 { text.into_owned() } else { format!("{text}… ({dropped} more bytes cut)") })
}

/// Forwards the worker's stderr (its console) to tracing, tagged with the
/// render id of `[level] id=N message` lines (the worker's console tags
/// each with the render the code belongs to).
pub(crate) async fn forward(
    stderr: tokio::process::ChildStderr,
    pid: u32,
    tail: Arc<Mutex<VecDeque<String>>>,
) {
    let mut reader = BufReader::new(stderr);
    let mut buf = Vec::new();
    while let Some(line) = next_line(&mut reader, &mut buf).await {
        let (level, rest) = match line.strip_prefix('[').and_then(|l| l.split_once("] ")) {
            Some((level, rest)) if ["debug", "info", "warn", "error"].contains(&level) => (level, rest),
            _ => ("warn", line.as_str()),
        };
        let (render_id, message) = match rest.strip_prefix("id=").and_then(|r| r.split_once(' ')) {
            Some((id, msg)) if id.parse::<u64>().is_ok() => (id.parse::<u64>().unwrap_or(0), msg),
            _ => (0, rest),
        };
        let render_id = (render_id != 0).then_some(render_id);
        match level {
            "debug" => tracing::debug!(target: "mizan::ssr::worker", pid, render_id, "{message}"),
            "info" => tracing::info!(target: "mizan::ssr::worker", pid, render_id, "{message}"),
            "error" => tracing::error!(target: "mizan::ssr::worker", pid, render_id, "{message}"),
            _ => tracing::warn!(target: "mizan::ssr::worker", pid, render_id, "{message}"),
        }
        if let Ok(mut t) = tail.lock() {
            if t.len() == STDERR_TAIL {
                t.pop_front();
            }
            t.push_back(line.chars().take(300).collect());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn lines_are_cut_at_the_limit() {
        let long = "x".repeat(LINE_MAX + 500);
        let input = format!("short\n{long}\nnext\nlast without newline");
        let mut reader = BufReader::with_capacity(64, input.as_bytes());
        let mut buf = Vec::new();
        assert_eq!(next_line(&mut reader, &mut buf).await.as_deref(), Some("short"));
        let cut = next_line(&mut reader, &mut buf).await.expect("cut line");
        assert!(cut.starts_with(&"x".repeat(LINE_MAX)), "kept the first LINE_MAX bytes");
        assert!(cut.ends_with("… (500 more bytes cut)"), "{}", &cut[LINE_MAX..]);
        assert_eq!(next_line(&mut reader, &mut buf).await.as_deref(), Some("next"));
        assert_eq!(next_line(&mut reader, &mut buf).await.as_deref(), Some("last without newline"));
        assert_eq!(next_line(&mut reader, &mut buf).await, None);
    }
}
