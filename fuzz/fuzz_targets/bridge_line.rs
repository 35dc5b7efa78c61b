//! An SSR worker's stdout (NDJSON lines, `html_bytes` payloads), read as
//! the host reads it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| mizan::__fuzz::bridge_lines(data));
