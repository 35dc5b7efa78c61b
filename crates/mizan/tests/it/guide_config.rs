//! `docs/guide/configuration.md` kept true: every environment variable the
//! code reads, every field of the limit structs with its default, and
//! every setting of `App`, `Ssr` and `Accounts` is on the page.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use mizan::{ChannelLimits, Limits, ServeConfig};

use crate::support::repo_root;

fn page() -> String {
    std::fs::read_to_string(repo_root().join("docs/guide/configuration.md")).unwrap()
}

fn source(path: &str) -> String {
    std::fs::read_to_string(repo_root().join(path)).unwrap()
}

/// Every `.rs` file under `dir`, concatenated.
fn sources(dir: &str) -> String {
    let mut out = String::new();
    let mut stack = vec![repo_root().join(dir)];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    out
}

/// The cells of the row whose first cell is `` `key` `` (or starts with it).
fn row<'a>(page: &'a str, key: &str) -> Vec<&'a str> {
    let cell = format!("| `{key}`");
    let line = page
        .lines()
        .find(|l| l.starts_with(&cell) && l[cell.len()..].starts_with(['`', ' ']))
        .unwrap_or_else(|| panic!("docs/guide/configuration.md has no row for `{key}`"));
    line.trim().trim_matches('|').split('|').map(str::trim).collect()
}

fn bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => n.to_string(),
    }
}

fn secs(d: Duration) -> String {
    format!("{} s", d.as_secs())
}

fn assert_default(page: &str, field: &str, expected: String) {
    let cells = row(page, field);
    assert_eq!(cells[1], expected, "the documented default of `{field}`");
}

#[test]
fn every_environment_variable_read_is_documented() {
    let page = page();
    let mut read = std::collections::BTreeSet::new();
    let rust = sources("crates/mizan/src");
    let var = regex::Regex::new(r#"env::var(?:_os)?\("([A-Z_]+)"\)|_ENV: &str = "([A-Z_]+)""#).unwrap();
    for c in var.captures_iter(&rust) {
        read.insert(c.get(1).or(c.get(2)).unwrap().as_str().to_owned());
    }
    let worker = source("packages/ssr/src/worker.ts");
    let js = regex::Regex::new(r#"process\.env\["([A-Z_]+)"\]"#).unwrap();
    for c in js.captures_iter(&worker) {
        read.insert(c[1].to_owned());
    }
    // PATH is where Bun is searched last; NODE_ENV is set by mizan for the worker.
    read.remove("PATH");
    read.remove("NODE_ENV");
    read.insert("RUST_LOG".to_owned()); // read by tracing-subscriber's EnvFilter
    assert!(read.len() >= 9, "{read:?}");
    for name in &read {
        row(&page, name);
    }
}

#[test]
fn every_limit_and_timeout_is_documented_with_its_default() {
    let page = page();
    let Limits { body_bytes, batch_len, uri_bytes } = Limits::default();
    assert_default(&page, "body_bytes", bytes(body_bytes as u64));
    assert_default(&page, "batch_len", batch_len.to_string());
    assert_default(&page, "uri_bytes", bytes(uri_bytes as u64));

    let ServeConfig {
        header_read_timeout,
        keep_alive_timeout,
        body_timeout,
        max_connections,
        max_websockets,
        drain_timeout,
        compress_min_bytes,
    } = ServeConfig::default();
    assert_default(&page, "header_read_timeout", secs(header_read_timeout));
    assert_default(&page, "keep_alive_timeout", secs(keep_alive_timeout));
    assert_default(&page, "body_timeout", secs(body_timeout));
    assert_default(&page, "max_connections", max_connections.to_string());
    assert_default(&page, "max_websockets", max_websockets.to_string());
    assert_default(&page, "drain_timeout", secs(drain_timeout));
    assert_default(&page, "compress_min_bytes", compress_min_bytes.unwrap().to_string());

    let ChannelLimits { message_bytes, subscriptions, queue_bytes, idle_timeout, close_timeout } =
        ChannelLimits::default();
    assert_default(&page, "message_bytes", bytes(message_bytes as u64));
    assert_default(&page, "subscriptions", subscriptions.to_string());
    assert_default(&page, "queue_bytes", bytes(queue_bytes as u64));
    assert_default(&page, "idle_timeout", secs(idle_timeout));
    assert_default(&page, "close_timeout", secs(close_timeout));
}

/// The `pub fn NAME(mut self` builder methods in `path`.
fn builder_methods(path: &str) -> Vec<String> {
    let re = regex::Regex::new(r"pub fn ([a-z_]+)(?:<[^>]*>)?\(mut self").unwrap();
    re.captures_iter(&source(path)).map(|c| c[1].to_owned()).collect()
}

#[test]
fn every_setting_of_app_ssr_and_accounts_is_documented() {
    let page = page();
    let ssr = builder_methods("crates/mizan/src/ssr/config.rs");
    assert!(ssr.len() >= 15, "{ssr:?}");
    for name in ssr {
        row(&page, &format!("Ssr::{name}"));
    }
    let mut accounts = builder_methods("crates/mizan/src/accounts/mod.rs");
    accounts.extend(builder_methods("crates/mizan/src/accounts/sessions.rs"));
    assert!(accounts.len() >= 7, "{accounts:?}");
    for name in accounts {
        row(&page, &format!("Accounts::{name}"));
    }
    // Registrations are the guide's other chapters; the rest are settings.
    let registrations =
        ["register", "register_as", "form", "channel", "page", "authenticator", "state", "extend"];
    for name in builder_methods("crates/mizan/src/app/mod.rs") {
        if !registrations.contains(&name.as_str()) {
            assert!(
                page.contains(&format!("App::{name}(")),
                "docs/guide/configuration.md never names `App::{name}`"
            );
        }
    }
}
