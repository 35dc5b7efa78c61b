//! The email pattern: one regular expression that accepts exactly what
//! garde's `email` rule accepts (garde 0.23 without the `email-idna`
//! feature), so the client refuses what the server refuses.
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

/// The JavaScript regex literal (`/…/u`).
pub(crate) static EMAIL_REGEX: LazyLock<String> = LazyLock::new(|| {
    let label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    format!(
        "/^[A-Za-z0-9.!#$%&'*+\\/=?^_`{{|}}~-]{{1,64}}@(?=.{{1,255}}$)(?:{label}(?:\\.{label})*|\\[(?:{}|{})\\])$/u",
        ipv4(),
        ipv6()
    )
});
