//! A client's WebSocket text frame, parsed as a socket session parses it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        mizan::__fuzz::ws_frame(text);
    }
});
