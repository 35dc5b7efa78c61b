//! An upload call's `multipart/form-data` body (boundary `mizanfuzz`), read
//! by mizan's upload source with its limits: the `args` part, then every
//! file to its end. The first byte picks the argument's shape and how the
//! body is cut into chunks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    mizan::__fuzz::multipart(data);
});
