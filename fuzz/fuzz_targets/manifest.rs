//! A manifest file, read as `mizan-cli generate` reads it: JSON, then the
//! typed manifest (readable refusals), then codegen and the OpenAPI
//! renderer on what was accepted. An accepted manifest reads back as
//! itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mizan_manifest::{Manifest, openapi};

fuzz_target!(|data: &[u8]| {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let Ok(manifest) = Manifest::from_json(&json) else { return };
    match Manifest::from_json(&manifest.to_json()) {
        Ok(again) => assert_eq!(again, manifest, "a manifest reads back as itself"),
        Err(e) => panic!("an accepted manifest, written, is refused: {e}"),
    }
    let _ = openapi::render(&manifest, &openapi::Options::new("fuzz", "/api/mizan"));
    let _ = mizan_codegen::generate(&json);
});
