//! Dates, times and UUIDs for the sweep: valid spellings made from their
//! parts ([`valid`]: every year shape from 0000 to 9999, the last day of
//! each month with 29 February in leap years, `Z`, `z` and offsets up to
//! ±23:59, `t` for `T`, fractions of one to nine digits, `datetime-local`
//! without seconds, UUIDs in either case), and near-valid ones ([`near`]):
//! one part a step past its edge (30 February, 29 February in a common
//! year, month 13, hour 24, a leap second, ten fraction digits, an offset
//! of 24 hours or without its colon, a missing or an extra offset, five-digit
//! years, a space for `T`; a UUID braced, without hyphens, as a URN, a digit
//! short, a letter past `f`), or a valid variation of it.

use mizan_manifest::schema::Format;
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

/// Whether `format` is one of this module's.
pub(super) fn covers(format: Format) -> bool {
    matches!(format, Format::DateTime | Format::LocalDateTime | Format::Date | Format::Time | Format::Uuid)
}

fn leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A date and a time, each part a number, and how they are written.
struct Moment {
    year: String,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: Option<u32>,
    fraction: String,
    sep: char,
    offset: String,
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, edges: &[T], random: T) -> T {
    if rng.random_bool(0.5) { *edges.choose(rng).unwrap_or(&random) } else { random }
}

impl Moment {
    fn random(rng: &mut ChaCha8Rng) -> Self {
        let random_year = rng.random_range(0..=9999);
        let year = pick(rng, &[0, 1, 1900, 1970, 2000, 2023, 2024, 2100, 9999], random_year);
        let month = rng.random_range(1..=12);
        let last = days_in(year, month);
        let random_day = rng.random_range(1..=last);
        let day = pick(rng, &[1, last, last - 1], random_day);
        let random_hour = rng.random_range(0..24);
        let hour = pick(rng, &[0, 23, 12], random_hour);
        let random_minute = rng.random_range(0..60);
        let minute = pick(rng, &[0, 59], random_minute);
        let random_second = rng.random_range(0..60);
        let second = pick(rng, &[0, 59], random_second);
        let digits = rng.random_range(1..=9);
        let fraction = if rng.random_bool(0.4) {
            (0..digits).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
        } else {
            String::new()
        };
        let offset = match rng.random_range(0..6) {
            0 => "Z".to_owned(),
            1 => "z".to_owned(),
            2 => "-00:00".to_owned(),
            _ => {
                let sign = if rng.random_bool(0.5) { '+' } else { '-' };
                let random_h = rng.random_range(0..24);
                let h = pick(rng, &[0, 1, 14, 23], random_h);
                let random_m = rng.random_range(0..60);
                let m = pick(rng, &[0, 30, 45, 59], random_m);
                format!("{sign}{h:02}:{m:02}")
            }
        };
        Moment {
            year: format!("{year:04}"),
            month,
            day,
            hour,
            minute,
            second: Some(second),
            fraction,
            sep: if rng.random_bool(0.2) { 't' } else { 'T' },
            offset,
        }
    }

    fn date(&self) -> String {
        format!("{}-{:02}-{:02}", self.year, self.month, self.day)
    }

    fn time(&self) -> String {
        let mut out = format!("{:02}:{:02}", self.hour, self.minute);
        if let Some(s) = self.second {
            out.push_str(&format!(":{s:02}"));
            if !self.fraction.is_empty() {
                out.push('.');
                out.push_str(&self.fraction);
            }
        }
        out
    }

    fn write(&self, format: Format) -> String {
        match format {
            Format::DateTime => format!("{}{}{}{}", self.date(), self.sep, self.time(), self.offset),
            Format::LocalDateTime => format!("{}{}{}", self.date(), self.sep, self.time()),
            Format::Date => self.date(),
            _ => self.time(),
        }
    }
}

/// A valid spelling of `format` (a date or time format, or `uuid`).
pub(super) fn valid(rng: &mut ChaCha8Rng, format: Format) -> String {
    if format == Format::Uuid {
        return uuid(rng);
    }
    let mut m = Moment::random(rng);
    // A local date-time or a time may leave out its seconds (and fraction).
    if matches!(format, Format::LocalDateTime | Format::Time) && rng.random_bool(0.3) {
        m.second = None;
    }
    m.write(format)
}

fn uuid(rng: &mut ChaCha8Rng) -> String {
    let hex: String = match rng.random_range(0..8) {
        0 => "0".repeat(32),
        1 => "f".repeat(32),
        _ => (0..32).map(|_| char::from(*b"0123456789abcdef".choose(rng).unwrap_or(&b'0'))).collect(),
    };
    let text = format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]);
    match rng.random_range(0..5) {
        0 => text.to_uppercase(),
        1 => text
            .chars()
            .enumerate()
            .map(|(i, c)| if i % 3 == 0 { c.to_ascii_uppercase() } else { c })
            .collect(),
        _ => text,
    }
}

/// A spelling of `format` near `current` (or near a fresh valid one): one
/// part a step past its edge, or a valid variation.
pub(super) fn near(rng: &mut ChaCha8Rng, format: Format, current: &str) -> String {
    if format == Format::Uuid {
        return near_uuid(rng, current);
    }
    let mut m = Moment::random(rng);
    let year: u32 = m.year.parse().unwrap_or(2024);
    let has_date = format != Format::Time;
    let has_time = format != Format::Date;
    let applies = |case: &u32| match case {
        0..=3 | 11 | 16 => has_date,
        4..=8 | 10 | 15 => has_time,
        9 => format == Format::DateTime,
        12 => has_date && has_time,
        _ => true,
    };
    let cases: Vec<u32> = (0..20).filter(applies).collect();
    match cases.choose(rng).copied().unwrap_or(19) {
        0 => {
            m.month = 2;
            m.day = if leap(year) { 30 } else { 29 };
        }
        1 => {
            m.month = *[4, 6, 9, 11].choose(rng).unwrap_or(&4);
            m.day = 31;
        }
        2 => m.day = *[0, 32].choose(rng).unwrap_or(&0),
        3 => m.month = *[0, 13].choose(rng).unwrap_or(&0),
        4 => m.hour = 24,
        5 => m.minute = 60,
        6 => m.second = Some(60),
        7 => m.fraction = "1234567890".to_owned(),
        8 => {
            m.second = Some(m.second.unwrap_or(0));
            m.fraction.clear();
            let time = m.time();
            let written = m.write(format);
            return written.replacen(&time, &format!("{time}."), 1);
        }
        9 => {
            m.offset = ["+24:00", "-24:00", "+01:60", "+0100", "+01", " +01:00", "Z ", "UTC"]
                [rng.random_range(0..8)]
            .to_owned()
        }
        10 => m.second = None,
        11 => m.year = ["10000", "999", "+002024", "-0001", "２０24"][rng.random_range(0..5)].to_owned(),
        12 => m.sep = *[' ', '_', 'x'].choose(rng).unwrap_or(&' '),
        13 => {
            // An offset where none belongs, or none where one must be.
            let written = m.write(format);
            return match format {
                Format::DateTime => written.trim_end_matches(m.offset.as_str()).to_owned(),
                _ => format!("{written}{}", m.offset),
            };
        }
        14 => {
            // Another format's spelling.
            let other = *[Format::DateTime, Format::LocalDateTime, Format::Date, Format::Time]
                .choose(rng)
                .unwrap_or(&Format::Date);
            return m.write(other);
        }
        15 => {
            m.fraction = "5".to_owned();
            let written = m.write(format);
            return written.replacen('.', ",", 1);
        }
        16 => return format!("{}-{}-{}", year, m.month, m.day),
        17 => return current.to_uppercase(),
        18 => return current.to_lowercase(),
        _ => return format!("{current}\n"),
    }
    m.write(format)
}

fn near_uuid(rng: &mut ChaCha8Rng, current: &str) -> String {
    let base = if current.len() == 36 { current.to_owned() } else { uuid(rng) };
    match rng.random_range(0..10) {
        0 => format!("{{{base}}}"),
        1 => base.replace('-', ""),
        2 => format!("urn:uuid:{base}"),
        3 => base[1..].to_owned(),
        4 => format!("{base}0"),
        5 => base.replacen(|c: char| c.is_ascii_hexdigit(), "g", 1),
        6 => {
            let mut chars: Vec<char> = base.chars().collect();
            chars.swap(8, 9);
            chars.into_iter().collect()
        }
        7 => base.to_uppercase(),
        8 => format!(" {base}"),
        _ => base.replacen('-', "--", 1),
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use regex::Regex;

    use super::*;

    const FORMATS: [Format; 5] =
        [Format::DateTime, Format::LocalDateTime, Format::Date, Format::Time, Format::Uuid];

    fn expression(format: Format) -> Regex {
        Regex::new(format.source().expect("a date format's expression")).expect("compiles")
    }

    #[test]
    fn every_valid_spelling_passes_the_shared_expression_and_the_edges_are_made() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for format in FORMATS {
            let re = expression(format);
            let made: Vec<String> = (0..10_000).map(|_| valid(&mut rng, format)).collect();
            for text in &made {
                assert!(re.is_match(text), "{format:?}: {text}");
            }
            let has = |p: &dyn Fn(&str) -> bool| made.iter().any(|t| p(t));
            match format {
                Format::Uuid => {
                    assert!(has(&|t| t.chars().any(|c| c.is_ascii_uppercase())), "upper case");
                    assert!(has(&|t| t.chars().any(|c| c.is_ascii_lowercase())), "lower case");
                }
                Format::Time => {
                    assert!(has(&|t| t.len() == 5) && has(&|t| t.len() == 18), "hh:mm, nine fraction digits");
                }
                _ => {
                    assert!(has(&|t| t.starts_with("0000-")) && has(&|t| t.starts_with("9999-")), "years");
                    assert!(has(&|t| t.contains("-02-29")), "a leap day");
                }
            }
            if format == Format::DateTime {
                for piece in ["Z", "z", "t", "-00:00", "+23:", ".123"] {
                    assert!(has(&|t| t.contains(piece)), "{piece}");
                }
            }
            if format == Format::LocalDateTime {
                assert!(has(&|t| t.len() == 16), "datetime-local without seconds");
            }
        }
    }

    #[test]
    fn near_spellings_are_mostly_refused_and_sometimes_not() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        for format in FORMATS {
            let re = expression(format);
            let current = valid(&mut rng, format);
            let refused = (0..10_000).filter(|_| !re.is_match(&near(&mut rng, format, &current))).count();
            assert!((5_000..10_000).contains(&refused), "{format:?}: {refused} of 10,000 refused");
        }
        let re = expression(Format::Date);
        let leap_days: Vec<String> = (0..10_000)
            .map(|_| near(&mut rng, Format::Date, "2024-01-01"))
            .filter(|t| t.contains("-02-29") || t.contains("-02-30"))
            .collect();
        assert!(leap_days.iter().any(|t| !re.is_match(t)), "29 February in a common year, or 30 February");
    }
}
