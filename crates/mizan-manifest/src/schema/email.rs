//! The email pattern: one regular expression that accepts exactly what
//! garde's `email` rule accepts (garde 0.23 without the `email-idna`
//! feature), so the client refuses what the server refuses. The server
//! runs the same expression ([`EMAIL_SOURCE`], with the domain's length
//! checked apart: Rust's `regex` has no lookahead), the generated Zod
//! [`EMAIL_REGEX`]. IP addresses (`format: ip`, `ipv4`, `ipv6`) are the
//! address literals' expressions on their own.
//!
//! garde splits at the first `@`; the user part is 1–64 characters of
//! ``[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]``; the domain is at most 255 bytes and
//! is either dot-separated labels of ASCII letters, digits and inner
//! hyphens (1–63 characters each) or an address literal `[…]` that Rust's
//! `IpAddr` parser accepts (dotted-quad IPv4 without leading zeros, or IPv6
//! with `::` compression and an optional trailing IPv4, no zone). The
//! regex below encodes exactly that; `tests/it/parity.rs` compares it with
//! garde over a corpus.

use std::sync::LazyLock;

const OCTET: &str = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const HEX: &str = "[0-9A-Fa-f]{1,4}";

fn ipv4() -> String {
    format!("{OCTET}(?:\\.{OCTET}){{3}}")
}

/// IPv6 as Rust's `Ipv6Addr::from_str` reads it.
fn ipv6() -> String {
    let v4 = ipv4();
    let mut alts = vec![format!("(?:{HEX}:){{7}}{HEX}"), format!("(?:{HEX}:){{6}}{v4}")];
    for head in 0..=7usize {
        let max_tail = 7 - head;
        let head_re = match head {
            0 => String::new(),
            1 => HEX.to_owned(),
            n => format!("{HEX}(?::{HEX}){{{}}}", n - 1),
        };
        let mut tails = Vec::new();
        if max_tail >= 1 {
            tails.push(match max_tail {
                1 => HEX.to_owned(),
                m => format!("{HEX}(?::{HEX}){{0,{}}}", m - 1),
            });
        }
        if max_tail >= 2 {
            tails.push(match max_tail {
                2 => v4.clone(),
                m => format!("(?:{HEX}:){{0,{}}}{v4}", m - 2),
            });
        }
        let tail_re = if tails.is_empty() { String::new() } else { format!("(?:{})?", tails.join("|")) };
        alts.push(format!("{head_re}::{tail_re}"));
    }
    format!("(?:{})", alts.join("|"))
}

const USER: &str = "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}";

fn domain() -> String {
    let label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    format!("(?:{label}(?:\\.{label})*|\\[(?:{}|{})\\])", ipv4(), ipv6())
}

/// The longest domain (the part after the first `@`), in bytes.
pub const EMAIL_DOMAIN_MAX: usize = 255;

/// The email syntax in Rust `regex` syntax, anchored, without the domain's
/// length (at most [`EMAIL_DOMAIN_MAX`]), which the server checks apart.
pub static EMAIL_SOURCE: LazyLock<String> = LazyLock::new(|| format!("^{USER}@{}$", domain()));

/// The JavaScript regex literal (`/…/u`): [`EMAIL_SOURCE`] with the
/// domain's length as a lookahead.
pub static EMAIL_REGEX: LazyLock<String> =
    LazyLock::new(|| format!("/^{}@(?=.{{1,{EMAIL_DOMAIN_MAX}}}$){}$/u", USER.replace('/', "\\/"), domain()));

/// `format: ipv4` in Rust `regex` syntax, anchored (what `Ipv4Addr` parses).
pub static IPV4_SOURCE: LazyLock<String> = LazyLock::new(|| format!("^{}$", ipv4()));

/// `format: ipv6` in Rust `regex` syntax, anchored (what `Ipv6Addr` parses).
pub static IPV6_SOURCE: LazyLock<String> = LazyLock::new(|| format!("^{}$", ipv6()));

/// `format: ip` in Rust `regex` syntax, anchored (what `IpAddr` parses).
pub static IP_SOURCE: LazyLock<String> = LazyLock::new(|| format!("^(?:{}|{})$", ipv4(), ipv6()));

/// A JavaScript regex literal of one of the `*_SOURCE` expressions (they
/// have no `/` and mean the same in both engines).
pub fn js_literal(source: &str) -> String {
    format!("/{source}/u")
}
