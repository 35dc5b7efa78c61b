//! `POST call/{name}`: the first byte picks one of broad's functions, the
//! rest is the body. The body goes through the real router: the body
//! limit, the input contract (`rules/`), serde into the function's
//! arguments, garde, the handler and the envelope.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mizan_fuzz::SERVER;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let name = &SERVER.names[usize::from(pick) % SERVER.names.len()];
    let (status, answer) = SERVER.post(&format!("/call/{name}"), body);
    if status == 200 {
        assert!(answer.get("data").is_some(), "200 without data: {answer}");
    }
});
