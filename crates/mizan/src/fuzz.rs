//! Entry points for the fuzz targets in `fuzz/` (cargo feature `fuzzing`;
//! not public API, hidden from the docs). They reach decoders of outside
//! input that have no public door: a channel socket's client frames, the
//! lines an SSR worker writes and an upload call's multipart body. Each
//! feeds its input to the decoder the server runs and looks at what came
//! out; a panic is the bug a target looks for.

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

/// The boundary of the bodies [`multipart`] reads.
pub const MULTIPART_BOUNDARY: &str = "mizanfuzz";

/// What [`multipart`]'s upload argument declares: a file of `file` at most
/// 64 bytes, at most 3 of them (in a list), `text/*` or `image/png`.
const MULTIPART_SPEC: crate::upload::UploadSpec = crate::upload::UploadSpec {
    arg: "file",
    shape: crate::upload::Shape::List,
    max_bytes: 64,
    max_count: 3,
    mime: &["text/*", "image/png"],
};

/// The bytes the `args` part may hold in [`multipart`].
const MULTIPART_ARGS_LIMIT: usize = 128;

/// An upload call's body, read as the call pipeline reads it: mizan's
/// upload source over multer with [`MULTIPART_BOUNDARY`] and small limits,
/// the `args` part, then every file to its end. `data[0]` picks the
/// argument's shape (bits 0–1: one, optional, a list), the size of the
/// body's chunks (bits 2–5: 1 to 15 bytes, 0 for one chunk) and whether
/// the body ends in a read failure (bit 6); the rest is the body.
///
/// What must hold: nothing panics or waits (every chunk is ready); every
/// refusal is a code of mizan's table with its status, and one a body can
/// earn (`BAD_REQUEST`, `VALIDATION`, `PAYLOAD_TOO_LARGE`); the `args`
/// part and every file handed out are within their limits, of an allowed
/// type, and no more files than `max_count`; a refusal met while reading a
/// file is the one the call answers.
pub fn multipart(data: &[u8]) {
    use crate::upload::{Files, Shape, Source};
    let Some((&control, body)) = data.split_first() else { return };
    let shape = match control & 0b11 {
        0 => Shape::One,
        1 => Shape::Optional,
        _ => Shape::List,
    };
    let spec = crate::upload::UploadSpec {
        shape,
        max_count: if shape == Shape::List { MULTIPART_SPEC.max_count } else { 1 },
        ..MULTIPART_SPEC
    };
    let chunk = usize::from((control >> 2) & 0b1111);
    let fail = control & 0b100_0000 != 0;
    let mut chunks: Vec<std::io::Result<bytes::Bytes>> = if chunk == 0 {
        vec![Ok(bytes::Bytes::copy_from_slice(body))]
    } else {
        body.chunks(chunk).map(|c| Ok(bytes::Bytes::copy_from_slice(c))).collect()
    };
    if fail {
        chunks.push(Err(std::io::Error::other("the connection dropped")));
    }
    let stream = futures_util::stream::iter(chunks);
    let source = Source::new(
        axum::body::Body::from_stream(stream),
        MULTIPART_BOUNDARY.to_owned(),
        spec,
        MULTIPART_ARGS_LIMIT,
    );
    let read = async move {
        let mut source = source;
        let args = source.args().await.map_err(refused)?;
        assert!(args.len() <= MULTIPART_ARGS_LIMIT, "an `args` part of {} bytes was accepted", args.len());
        let refusal = source.refusal();
        let mut count = 0u32;
        let mut read_all = async |mut file: crate::Upload| -> crate::Result<()> {
            count += 1;
            assert!(count <= spec.max_count, "{count} files handed out past max_count");
            assert!(spec.allows(file.content_type()), "a file of type {} handed out", file.content_type());
            while file.chunk().await?.is_some() {
                assert!(file.bytes_read() <= spec.max_bytes, "{} bytes of a file read", file.bytes_read());
            }
            Ok(())
        };
        let outcome = match source.files().await.map_err(refused)? {
            Files::One(file) => read_all(file).await,
            Files::Optional(file) => match file {
                Some(file) => read_all(file).await,
                None => Ok(()),
            },
            Files::List(mut list) => loop {
                match list.next().await {
                    Ok(Some(file)) => {
                        if let Err(e) = read_all(file).await {
                            break Err(e);
                        }
                    }
                    Ok(None) => break Ok(()),
                    Err(e) => break Err(e),
                }
            },
        };
        let kept = crate::upload::kept(&refusal);
        if let Err(e) = outcome {
            let kept = kept.unwrap_or_else(|| panic!("refused reading the files, nothing kept: {e:?}"));
            assert_eq!(kept.code(), e.code(), "the kept refusal is not the one met");
            refused(e);
        }
        Ok::<(), ()>(())
    };
    let Some(_) = read.now_or_never() else { panic!("reading a ready body waited") };
}

/// Checks a refusal of [`multipart`]: a code of the table, with its status.
fn refused(e: crate::Error) {
    let code = mizan_manifest::codes::lookup(e.code())
        .unwrap_or_else(|| panic!("refused with {:?}, not a code of the table", e.code()));
    assert_eq!(code.status, e.status().as_u16(), "{} answered with {}", code.code, e.status());
    assert!(
        matches!(code.code, "BAD_REQUEST" | "VALIDATION" | "PAYLOAD_TOO_LARGE"),
        "a body earned {}: {}",
        code.code,
        e.message()
    );
}
