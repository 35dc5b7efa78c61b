//! Entry points for the fuzz targets in `fuzz/` (cargo feature `fuzzing`;
//! not public API, hidden from the docs). They reach decoders of outside
//! input that have no public door: a channel socket's client frames and the
//! lines an SSR worker writes. Each feeds its input to the decoder the
//! server runs and looks at what came out; a panic is the bug a target
//! looks for.

use futures_util::FutureExt;

use crate::channel::parse_frame;
use crate::ssr::{Frame, read_frame};

/// A WebSocket text frame from a client, parsed as the socket session
/// parses it: a refusal is `BAD_REQUEST`. (What a parsed frame's raw
/// `params` and `data` hold is not checked: serde_json keeps a number too
/// large for an `f64`, such as `1e400`, in a raw value it then refuses to
/// read on its own; the channel's input parse refuses it later.)
pub fn ws_frame(text: &str) {
    if let Err(e) = parse_frame(text) {
        assert_eq!(e.code(), "BAD_REQUEST");
    }
}

/// A worker's stdout, read frame by frame as the host reads it, until the
/// end or the first line that is not the protocol. Reading from a slice
/// never waits, so each frame is ready at once.
pub fn bridge_lines(bytes: &[u8]) {
    let mut reader = bytes;
    for _ in 0..=bytes.len() {
        let Some(frame) = read_frame(&mut reader).now_or_never() else {
            panic!("reading a slice waited");
        };
        if matches!(frame, Frame::Eof | Frame::Garbage(_)) {
            return;
        }
    }
    panic!("more frames than bytes");
}
