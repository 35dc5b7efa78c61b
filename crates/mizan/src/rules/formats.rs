//! String formats, checked exactly as the generated Zod checks them: the
//! email and IP expressions shared with codegen (`mizan_manifest::schema::email`),
//! Zod 4's own expressions for dates, times and UUIDs (its `\d` is ASCII
//! there, so `[0-9]` here), and the WHATWG URL parser for `uri` (the `url`
//! crate, as garde's `url` rule; the generated Zod calls `URL.canParse`).

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

/// Zod's `dateSource` (leap years included).
const DATE: &str = "(?:(?:[0-9][0-9][2468][048]|[0-9][0-9][13579][26]|[0-9][0-9]0[48]|[02468][048]00|[13579][26]00)-02-29|[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|(?:02)-(?:0[1-9]|1[0-9]|2[0-8])))";
const HHMM: &str = "(?:[01][0-9]|2[0-3]):[0-5][0-9]";

/// `z.iso.datetime({ offset: true })`.
static DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    compiled(&format!(
        "^{DATE}T(?:{HHMM}:[0-5][0-9](?:\\.[0-9]+)?(?:Z|([+-](?:[01][0-9]|2[0-3]):[0-5][0-9])))$"
    ))
});
/// `z.iso.datetime({ local: true })`.
static LOCAL_DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    compiled(&format!(
        "^{DATE}T(?:{HHMM}:[0-5][0-9](?:\\.[0-9]+)?(?:Z)|{HHMM}(?::[0-5][0-9](?:\\.[0-9]+)?)?)$"
    ))
});
/// `z.iso.date()`.
static DATE_ONLY: LazyLock<Regex> = LazyLock::new(|| compiled(&format!("^{DATE}$")));
/// `z.iso.time()`.
static TIME: LazyLock<Regex> = LazyLock::new(|| compiled(&format!("^{HHMM}(?::[0-5][0-9](?:\\.[0-9]+)?)?$")));
/// `z.uuid()`: RFC 9562 versions 1–8, the nil and the max UUID.
static UUID: LazyLock<Regex> = LazyLock::new(|| {
    compiled(
        "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$",
    )
});
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
        Format::DateTime => by(&DATE_TIME, "not a valid date-time with an offset"),
        Format::LocalDateTime => by(&LOCAL_DATE_TIME, "not a valid local date-time"),
        Format::Date => by(&DATE_ONLY, "not a valid date"),
        Format::Time => by(&TIME, "not a valid time"),
        Format::Uuid => by(&UUID, "not a valid UUID"),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(format: Format, s: &str) -> bool {
        check(format, s) == Verdict::Pass
    }

    #[test]
    fn dates_and_times_as_zod_reads_them() {
        assert!(pass(Format::DateTime, "2024-02-29T12:30:00Z"));
        assert!(pass(Format::DateTime, "2024-02-29T12:30:00.123+02:00"));
        assert!(!pass(Format::DateTime, "2023-02-29T12:30:00Z"), "not a leap year");
        assert!(!pass(Format::DateTime, "2024-01-01T12:30Z"), "seconds are required with an offset");
        assert!(!pass(Format::DateTime, "2024-01-01T12:30:00"), "an offset is required");
        assert!(!pass(Format::DateTime, "２０24-01-01T12:30:00Z"), "ASCII digits only");
        assert!(pass(Format::LocalDateTime, "2024-01-01T12:30"));
        assert!(!pass(Format::LocalDateTime, "2024-01-01T12:30+01:00"));
        assert!(pass(Format::Date, "2000-02-29") && !pass(Format::Date, "1900-02-29"));
        assert!(
            pass(Format::Time, "23:59") && pass(Format::Time, "23:59:59.5") && !pass(Format::Time, "24:00")
        );
    }

    #[test]
    fn uuids_ips_emails_urls_and_int64_strings() {
        assert!(pass(Format::Uuid, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        assert!(pass(Format::Uuid, "00000000-0000-0000-0000-000000000000"));
        assert!(!pass(Format::Uuid, "a0eebc99-9c0b-0ef8-bb6d-6bb9bd380a11"), "version 0");
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
