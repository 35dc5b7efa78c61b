//! String formats, checked exactly as the generated Zod checks them: the
//! email and IP expressions shared with codegen (`mizan_manifest::schema::email`),
//! the date, time and UUID expressions likewise (`schema::dates`,
//! `schema::uuid`), and the WHATWG URL parser for `uri` (the `url` crate, as
//! garde's `url` rule; the generated Zod calls `URL.canParse`). An accepted
//! date or time is then written in its canonical form ([`canonical`]).

use std::sync::LazyLock;

use mizan_manifest::schema::{Format, email};
use regex::Regex;

fn compiled(source: &str) -> Regex {
    // Every expression here is a fixed one, covered by the unit tests below.
    #[allow(clippy::expect_used)]
    Regex::new(source).expect("a fixed format expression compiles")
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| compiled(&email::EMAIL_SOURCE));
static IP: LazyLock<Regex> = LazyLock::new(|| compiled(&email::IP_SOURCE));
static IPV4: LazyLock<Regex> = LazyLock::new(|| compiled(&email::IPV4_SOURCE));
static IPV6: LazyLock<Regex> = LazyLock::new(|| compiled(&email::IPV6_SOURCE));

/// The dates, times and UUIDs: the expressions the generated Zod runs too.
static DATE_TIME: LazyLock<Regex> = LazyLock::new(|| shared(Format::DateTime));
static LOCAL_DATE_TIME: LazyLock<Regex> = LazyLock::new(|| shared(Format::LocalDateTime));
static DATE_ONLY: LazyLock<Regex> = LazyLock::new(|| shared(Format::Date));
static TIME: LazyLock<Regex> = LazyLock::new(|| shared(Format::Time));
static UUID: LazyLock<Regex> = LazyLock::new(|| shared(Format::Uuid));

fn shared(format: Format) -> Regex {
    compiled(format.source().unwrap_or("^$"))
}

static INT_STRING: LazyLock<Regex> = LazyLock::new(|| compiled("^-?[0-9]+$"));

/// How a format check went.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Pass,
    /// Refused; later string rules still run (Zod's format checks continue).
    Refused(&'static str),
    /// Refused; no later string rule runs (the generated Zod's own checks
    /// for URLs and `int64-string` ranges abort).
    Final(&'static str),
}

/// Judges `s` by `format`.
pub(crate) fn check(format: Format, s: &str) -> Verdict {
    let by = |re: &Regex, what| if re.is_match(s) { Verdict::Pass } else { Verdict::Refused(what) };
    match format {
        Format::Plain => Verdict::Pass,
        Format::Email => {
            let domain_fits = s.split_once('@').is_some_and(|(_, d)| d.len() <= email::EMAIL_DOMAIN_MAX);
            if domain_fits && EMAIL.is_match(s) {
                Verdict::Pass
            } else {
                Verdict::Refused("not a valid email address")
            }
        }
        Format::Uri => {
            if url::Url::parse(s).is_ok() {
                Verdict::Pass
            } else {
                Verdict::Final("not a valid URL")
            }
        }
        Format::DateTime => by(&DATE_TIME, "not a date-time with an offset, such as 2025-03-01T09:30:00Z"),
        Format::LocalDateTime => by(&LOCAL_DATE_TIME, "not a local date-time, such as 2025-03-01T09:30"),
        Format::Date => by(&DATE_ONLY, "not a date, such as 2025-03-01"),
        Format::Time => by(&TIME, "not a time, such as 09:30"),
        Format::Uuid => by(&UUID, "not a hyphenated UUID"),
        Format::Ip => by(&IP, "not a valid IP address"),
        Format::Ipv4 => by(&IPV4, "not a valid IPv4 address"),
        Format::Ipv6 => by(&IPV6, "not a valid IPv6 address"),
        Format::IntString => {
            if !INT_STRING.is_match(s) {
                Verdict::Refused("not a decimal integer")
            } else if s.parse::<i64>().is_err() {
                Verdict::Final("outside the range of a 64-bit integer")
            } else {
                Verdict::Pass
            }
        }
    }
}

/// The canonical spelling of `s`, which passed `format`'s check, when it
/// differs: `T` and `Z` in upper case, and `:00` where the seconds were left
/// out (`2025-03-01T09:30`, `09:30`). Every canonical value parses with
/// chrono's and time's own parsers (`time::serde::rfc3339` included), so
/// serde never refuses what the contract accepted.
pub(crate) fn canonical(format: Format, s: &str) -> Option<String> {
    // The expressions admit no letters but `T`/`t` and `Z`/`z`.
    let out = match format {
        Format::DateTime => s.replace('t', "T").replace('z', "Z"),
        // `YYYY-MM-DDThh:mm` is 16 bytes: no seconds.
        Format::LocalDateTime if s.len() == 16 => format!("{}:00", s.replace('t', "T")),
        Format::LocalDateTime => s.replace('t', "T"),
        // `hh:mm`.
        Format::Time if s.len() == 5 => format!("{s}:00"),
        _ => return None,
    };
    (out != s).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(format: Format, s: &str) -> bool {
        check(format, s) == Verdict::Pass
    }

    #[test]
    fn dates_and_times_as_docs_protocol_md_says() {
        assert!(pass(Format::DateTime, "2024-02-29T12:30:00Z"));
        assert!(pass(Format::DateTime, "2024-02-29t12:30:00.123456789+02:00"));
        assert!(pass(Format::DateTime, "2024-02-29T12:30:00z"));
        assert!(!pass(Format::DateTime, "2024-02-29T12:30:00.1234567890Z"), "ten fraction digits");
        assert!(!pass(Format::DateTime, "2023-02-29T12:30:00Z"), "not a leap year");
        assert!(!pass(Format::DateTime, "2024-01-01T12:30Z"), "seconds are required with an offset");
        assert!(!pass(Format::DateTime, "2024-01-01T12:30:00"), "an offset is required");
        assert!(!pass(Format::DateTime, "2024-01-01 12:30:00Z"), "no space separator");
        assert!(!pass(Format::DateTime, "2024-01-01T23:59:60Z"), "no leap second");
        assert!(!pass(Format::DateTime, "2024-01-01T12:30:00+24:00"));
        assert!(!pass(Format::DateTime, "２０24-01-01T12:30:00Z"), "ASCII digits only");
        assert!(pass(Format::LocalDateTime, "2024-01-01T12:30"));
        assert!(pass(Format::LocalDateTime, "2024-01-01T12:30:15.123"));
        assert!(!pass(Format::LocalDateTime, "2024-01-01T12:30Z"), "a local date-time has no zone");
        assert!(!pass(Format::LocalDateTime, "2024-01-01T12:30+01:00"));
        assert!(!pass(Format::LocalDateTime, "+012024-01-01T12:30"), "four-digit years");
        assert!(pass(Format::Date, "2000-02-29") && !pass(Format::Date, "1900-02-29"));
        assert!(pass(Format::Date, "0000-01-01") && !pass(Format::Date, "-0001-01-01"));
        assert!(
            pass(Format::Time, "23:59") && pass(Format::Time, "23:59:59.5") && !pass(Format::Time, "24:00")
        );
        assert!(!pass(Format::Time, "09:30Z") && !pass(Format::Time, " 09:30") && !pass(Format::Time, ""));
    }

    #[test]
    fn accepted_dates_and_times_are_written_canonically() {
        let canon = |f, s: &str| canonical(f, s).unwrap_or_else(|| s.to_owned());
        assert_eq!(canon(Format::DateTime, "2024-01-01t12:30:00z"), "2024-01-01T12:30:00Z");
        assert_eq!(canonical(Format::DateTime, "2024-01-01T12:30:00.5-05:00"), None, "already canonical");
        assert_eq!(canon(Format::LocalDateTime, "2025-03-01T09:30"), "2025-03-01T09:30:00");
        assert_eq!(canon(Format::LocalDateTime, "2025-03-01t09:30"), "2025-03-01T09:30:00");
        assert_eq!(canon(Format::LocalDateTime, "2025-03-01t09:30:15.123"), "2025-03-01T09:30:15.123");
        assert_eq!(canon(Format::Time, "09:30"), "09:30:00");
        assert_eq!(canonical(Format::Time, "09:30:15"), None);
        assert_eq!(canonical(Format::Date, "2025-03-01"), None);
        assert_eq!(canonical(Format::Uuid, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"), None);
    }

    #[test]
    fn uuids_ips_emails_urls_and_int64_strings() {
        assert!(pass(Format::Uuid, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        assert!(pass(Format::Uuid, "00000000-0000-0000-0000-000000000000"));
        assert!(pass(Format::Uuid, "A0EEBC99-9C0B-0EF8-CB6D-6BB9BD380A11"), "any version and variant");
        assert!(!pass(Format::Uuid, "a0eebc999c0b4ef8bb6d6bb9bd380a11"), "simple");
        assert!(!pass(Format::Uuid, "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"), "braced");
        assert!(!pass(Format::Uuid, "urn:uuid:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), "URN");
        assert!(pass(Format::Ipv4, "127.0.0.1") && !pass(Format::Ipv4, "01.2.3.4"));
        assert!(pass(Format::Ipv6, "::ffff:1.2.3.4") && !pass(Format::Ipv6, "fe80::1%eth0"));
        assert!(pass(Format::Ip, "::1") && pass(Format::Ip, "1.2.3.4") && !pass(Format::Ip, "1.2.3"));
        assert!(pass(Format::Email, "a@[::1]") && !pass(Format::Email, "a@b@c.com"));
        let label = "l".repeat(63);
        assert!(pass(Format::Email, &format!("a@{}", [label.as_str(); 4].join("."))));
        assert!(!pass(Format::Email, &format!("a@{}a", [label.as_str(); 4].join("."))), "a 256-byte domain");
        assert!(pass(Format::Uri, "mailto:a@b.com"));
        assert_eq!(check(Format::Uri, "example.com"), Verdict::Final("not a valid URL"));
        assert!(pass(Format::IntString, "-9223372036854775808"));
        assert_eq!(
            check(Format::IntString, "9223372036854775808"),
            Verdict::Final("outside the range of a 64-bit integer")
        );
        assert_eq!(check(Format::IntString, "1.5"), Verdict::Refused("not a decimal integer"));
    }

    #[test]
    fn the_ip_expressions_agree_with_rusts_parsers() {
        let inputs = [
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "1.2.3.04",
            "1.2.3",
            "::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            "::ffff:255.255.255.255",
            "1:2:3:4:5:6:1.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            "fe80::1%1",
            "[::1]",
            " ::1",
            "12345::",
            "g::",
            "1.2.3.4.5",
        ];
        for s in inputs {
            assert_eq!(pass(Format::Ipv4, s), s.parse::<std::net::Ipv4Addr>().is_ok(), "ipv4 {s}");
            assert_eq!(pass(Format::Ipv6, s), s.parse::<std::net::Ipv6Addr>().is_ok(), "ipv6 {s}");
            assert_eq!(pass(Format::Ip, s), s.parse::<std::net::IpAddr>().is_ok(), "ip {s}");
        }
    }
}
