//! The benchmark's pages, read from `bench/ssr-http/pages.json` (the one
//! table the Rust servers and the Bun scripts share): each a route, a
//! component of `bench/ssr/components` and a props file.

use std::path::{Path, PathBuf};

/// One page: what is served at `route`.
pub(crate) struct Page {
    /// The path it is served at (`/hello/`).
    pub(crate) route: String,
    /// The component's name (`Hello`): the file `bench/ssr/components/Hello.tsx`.
    pub(crate) component: String,
    /// Its props, the same object in every setup.
    pub(crate) props: serde_json::Value,
}

/// `bench/ssr-http`.
fn here() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("ssr-http")
}

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The pages of `pages.json`, their props loaded.
pub(crate) fn load() -> Result<Vec<Page>, String> {
    let table = here().join("pages.json");
    let rows = read_json(&table)?;
    let rows = rows.as_array().ok_or_else(|| format!("{}: not an array", table.display()))?;
    rows.iter()
        .map(|row| {
            let field = |name: &str| {
                row[name]
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{}: a page without `{name}`", table.display()))
            };
            let props = read_json(&here().join(field("props")?))?;
            if !props.is_object() {
                return Err(format!(
                    "{}: the props of {} are not an object",
                    table.display(),
                    field("route")?
                ));
            }
            Ok(Page { route: field("route")?, component: field("component")?, props })
        })
        .collect()
}
