//! `openapi`: the OpenAPI 3.1 document of every function, rendered from the
//! manifest by `mizan_manifest::openapi` under the CLI's mount prefix.

use mizan_manifest::openapi::{self, Options};

/// Prints the document; returns the exit code (1 when the app does not
/// build a manifest).
pub(crate) fn run(app: &crate::App, title: &str) -> i32 {
    match app.manifest() {
        Ok(manifest) => {
            let doc = openapi::render(&manifest, &Options::new(title, super::PREFIX));
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            0
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

/// The document's title: the binary's file name (`hello`), else `mizan`.
pub(crate) fn title() -> String {
    std::env::args_os()
        .next()
        .and_then(|arg0| std::path::Path::new(&arg0).file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "mizan".into())
}
