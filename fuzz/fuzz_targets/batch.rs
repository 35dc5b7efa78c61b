//! `POST batch`: the body is the envelope, `[{"fn": name, "args": {…}}, …]`,
//! through the real router and broad's functions. A 200 answers one
//! envelope per item, in order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mizan_fuzz::{SERVER, check_error};

fuzz_target!(|data: &[u8]| {
    let (status, answer) = SERVER.post("/batch", data);
    if status != 200 {
        return;
    }
    let items =
        answer.as_array().unwrap_or_else(|| panic!("a 200 batch answer that is not an array: {answer}"));
    // Raw items: the oracle only counts them (a number past f64, which the
    // server refuses item by item, would stop a full `Value` parse).
    let sent: Vec<&serde_json::value::RawValue> =
        serde_json::from_slice(data).expect("an accepted batch is JSON");
    assert_eq!(items.len(), sent.len(), "one answer per item");
    for item in items {
        if let Some(error) = item.get("error") {
            // An item carries no status of its own (or, where it does, the status
            // of its code): its code's status in the table is the one to check.
            let code = error["code"].as_str().unwrap_or_default();
            let status = error["status"]
                .as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .or_else(|| mizan_manifest::codes::lookup(code).map(|c| c.status))
                .unwrap_or(400);
            check_error(error, status);
            assert_ne!(error["code"], "INTERNAL", "an item failed: {item}");
        } else {
            assert!(item.get("data").is_some(), "an item neither data nor error: {item}");
        }
    }
});
