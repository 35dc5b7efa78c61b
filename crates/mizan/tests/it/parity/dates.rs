//! Dates, times and ids, exactly the same on both sides: one function per
//! type (chrono's five, time's `OffsetDateTime` through
//! `time::serde::rfc3339`, `uuid::Uuid`), each taking one argument `at` and
//! answering it as the library writes it. A corpus of spellings goes
//! through the real server and through the generated Zod under Bun; for
//! each type, both must give the verdict the corpus states (and, on
//! refusal, `invalid_format` at `at`), an accepted value must be read as
//! the value it spells, every value the server answers must be accepted
//! again by both, and the examples of `docs/protocol.md`'s
//! `date-formats` table must be judged as the table says.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use mizan::{App, Request};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::zod::{self, Verdict, render};
use crate::{protocol_doc, support};

/// `DateTime<Utc>`.
#[mizan::client]
async fn utc(_req: &Request, at: DateTime<Utc>) -> mizan::Result<DateTime<Utc>> {
    Ok(at)
}

/// `DateTime<FixedOffset>`.
#[mizan::client]
async fn fixed(_req: &Request, at: DateTime<FixedOffset>) -> mizan::Result<DateTime<FixedOffset>> {
    Ok(at)
}

/// `time::OffsetDateTime` through `time::serde::rfc3339`, answered in RFC 3339.
#[mizan::client]
async fn offset(
    _req: &Request,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "mizan::schemas::Rfc3339")]
    at: OffsetDateTime,
) -> mizan::Result<String> {
    at.format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| mizan::Error::internal(e.to_string()))
}

/// `NaiveDateTime`.
#[mizan::client]
async fn local(_req: &Request, at: NaiveDateTime) -> mizan::Result<NaiveDateTime> {
    Ok(at)
}

/// `NaiveDate`.
#[mizan::client]
async fn day(_req: &Request, at: NaiveDate) -> mizan::Result<NaiveDate> {
    Ok(at)
}

/// `NaiveTime`.
#[mizan::client]
async fn clock(_req: &Request, at: NaiveTime) -> mizan::Result<NaiveTime> {
    Ok(at)
}

/// `uuid::Uuid`.
#[mizan::client]
async fn id(_req: &Request, at: uuid::Uuid) -> mizan::Result<uuid::Uuid> {
    Ok(at)
}

/// An optional `time::OffsetDateTime` (`rfc3339::option`) beside a defaulted `NaiveTime`.
#[mizan::client]
async fn maybe(
    _req: &Request,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schemars(with = "Option<mizan::schemas::Rfc3339>")]
    at: Option<OffsetDateTime>,
    #[serde(default)] alarm: Option<NaiveTime>,
) -> mizan::Result<String> {
    Ok(format!("{:?} {:?}", at.map(OffsetDateTime::unix_timestamp), alarm))
}

fn app() -> App {
    App::new()
        .register(utc)
        .register(fixed)
        .register(offset)
        .register(local)
        .register(day)
        .register(clock)
        .register(id)
        .register(maybe)
}

/// The functions of one `format`.
fn functions(format: &str) -> &'static [&'static str] {
    match format {
        "date-time" => &["utc", "fixed", "offset"],
        "partial-date-time" => &["local"],
        "date" => &["day"],
        "time" | "partial-time" => &["clock"],
        "uuid" => &["id"],
        other => panic!("no function for format {other:?}"),
    }
}

/// Who accepts a spelling: `O` the offset date-times, `L` local
/// date-times, `D` dates, `T` times (no letter: nobody).
fn corpus() -> Vec<(&'static str, &'static str)> {
    vec![
        // What browsers' inputs send.
        ("2025-03-01T09:30", "L"),
        ("2025-03-01T09:30:15", "L"),
        ("2025-03-01T09:30:15.123", "L"),
        ("2025-03-01", "D"),
        ("09:30", "T"),
        ("09:30:15", "T"),
        ("09:30:15.123", "T"),
        // Offsets.
        ("2025-03-01T09:30:00Z", "O"),
        ("2025-03-01T09:30:00+01:00", "O"),
        ("2025-03-01T09:30:00-05:00", "O"),
        ("2025-03-01T09:30:00+23:59", "O"),
        ("2025-03-01T09:30:00-23:59", "O"),
        ("2025-03-01T09:30:00-00:00", "O"),
        ("2025-03-01T09:30:00+24:00", ""),
        ("2025-03-01T09:30:00-24:00", ""),
        ("2025-03-01T09:30:00+01:60", ""),
        ("2025-03-01T09:30:00+0100", ""),
        ("2025-03-01T09:30:00+01", ""),
        ("2025-03-01T09:30:00 +01:00", ""),
        ("2025-03-01T09:30Z", ""),
        ("2025-03-01T09:30+01:00", ""),
        ("09:30:00Z", ""),
        ("09:30+01:00", ""),
        // Fractions: 1 to 9 digits, not 0 or 10.
        ("2025-03-01T09:30:00.1Z", "O"),
        ("2025-03-01T09:30:00.12Z", "O"),
        ("2025-03-01T09:30:00.123Z", "O"),
        ("2025-03-01T09:30:00.1234+02:00", "O"),
        ("2025-03-01T09:30:00.12345Z", "O"),
        ("2025-03-01T09:30:00.123456Z", "O"),
        ("2025-03-01T09:30:00.1234567Z", "O"),
        ("2025-03-01T09:30:00.12345678Z", "O"),
        ("2025-03-01T09:30:00.123456789Z", "O"),
        ("2025-03-01T09:30:00.1234567890Z", ""),
        ("2025-03-01T09:30:00.Z", ""),
        ("2025-03-01T09:30:00,5Z", ""),
        ("2025-03-01T09:30:00.5", "L"),
        ("2025-03-01T09:30:00.123456789", "L"),
        ("2025-03-01T09:30:00.1234567890", ""),
        ("09:30:00.123456789", "T"),
        ("09:30:00.1234567890", ""),
        ("09:30:00.", ""),
        // Letter case and separators.
        ("2025-03-01t09:30:00Z", "O"),
        ("2025-03-01T09:30:00z", "O"),
        ("2025-03-01t09:30:00z", "O"),
        ("2025-03-01t09:30", "L"),
        ("2025-03-01t09:30:15.5", "L"),
        ("2025-03-01 09:30:00Z", ""),
        ("2025-03-01 09:30", ""),
        ("2025-03-01_09:30", ""),
        ("2025-03-01T09:30:00", "L"),
        ("2025-03-01T09:30:00z ", ""),
        ("20250301T093000Z", ""),
        ("2025-3-1", ""),
        ("9:30", ""),
        ("0930", ""),
        // Leap seconds.
        ("2016-12-31T23:59:60Z", ""),
        ("2016-12-31T23:59:60", ""),
        ("23:59:60", ""),
        ("23:59:60.5", ""),
        // Years.
        ("0000-01-01", "D"),
        ("0000-01-01T00:00:00Z", "O"),
        ("0000-01-01T00:00:00+01:00", "O"),
        ("9999-12-31T23:59:59.999999999Z", "O"),
        ("9999-12-31T23:59:59-01:00", "O"),
        ("9999-12-31T23:59:59.999999999", "L"),
        ("9999-12-31", "D"),
        ("+012025-03-01", ""),
        ("-000001-01-01", ""),
        ("+002025-03-01T09:30:00Z", ""),
        ("-0001-01-01T00:00:00Z", ""),
        ("10000-01-01", ""),
        ("10000-01-01T00:00:00", ""),
        ("999-01-01", ""),
        // Dates that do not exist, hours 24.
        ("2024-02-29", "D"),
        ("2000-02-29T00:00:00Z", "O"),
        ("2023-02-29", ""),
        ("1900-02-29", ""),
        ("2025-02-30", ""),
        ("2025-02-30T09:30", ""),
        ("2025-04-31T09:30:00Z", ""),
        ("2025-13-01", ""),
        ("2025-00-10", ""),
        ("2025-01-00", ""),
        ("2025-03-01T24:00:00Z", ""),
        ("2025-03-01T24:00", ""),
        ("24:00", ""),
        ("24:00:00", ""),
        ("23:60", ""),
        ("00:00", "T"),
        ("23:59:59.999999999", "T"),
        // Empty, whitespace, other characters.
        ("", ""),
        (" ", ""),
        ("\t", ""),
        (" 2025-03-01", ""),
        ("2025-03-01 ", ""),
        ("2025-03-01\n", ""),
        (" 09:30", ""),
        ("09:30 ", ""),
        ("２０２５-03-01", ""),
        ("2025-03-01T09:30:00\u{2212}05:00", ""),
        ("now", ""),
    ]
}

/// UUID spellings and whether they are accepted.
fn uuids() -> Vec<(&'static str, bool)> {
    vec![
        ("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", true),
        ("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", true),
        ("a0EEbc99-9c0b-4ef8-bb6d-6bb9bd380a11", true),
        ("00000000-0000-0000-0000-000000000000", true),
        ("ffffffff-ffff-ffff-ffff-ffffffffffff", true),
        ("a0eebc99-9c0b-0ef8-bb6d-6bb9bd380a11", true),
        ("a0eebc99-9c0b-4ef8-cb6d-6bb9bd380a11", true),
        ("{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", false),
        ("urn:uuid:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", false),
        ("a0eebc999c0b4ef8bb6d6bb9bd380a11", false),
        ("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", false),
        ("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111", false),
        ("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g", false),
        ("a0eebc99-9c0b4ef8-bb6d-6bb9bd380a11", false),
        ("a0eebc99_9c0b_4ef8_bb6d_6bb9bd380a11", false),
        (" a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", false),
        ("", false),
    ]
}

/// Accepted inputs and what the library writes back: the value read is
/// the one spelled (offsets applied, seconds and fractions kept).
const READ_AS: &[(&str, &str, &str)] = &[
    ("utc", "2025-03-01T09:30:00-05:00", "2025-03-01T14:30:00Z"),
    ("utc", "2025-03-01t09:30:00.5z", "2025-03-01T09:30:00.500Z"),
    ("utc", "2025-03-01T09:30:00-00:00", "2025-03-01T09:30:00Z"),
    ("fixed", "2025-03-01T09:30:00.123456789-05:00", "2025-03-01T09:30:00.123456789-05:00"),
    ("fixed", "0000-01-01T00:00:00+01:00", "0000-01-01T00:00:00+01:00"),
    ("utc", "0000-01-01T00:00:00+01:00", "-0001-12-31T23:00:00Z"),
    ("utc", "9999-12-31T23:59:59-01:00", "+10000-01-01T00:59:59Z"),
    ("offset", "2025-03-01T09:30:00-05:00", "2025-03-01T09:30:00-05:00"),
    ("offset", "2025-03-01t09:30:00.1234z", "2025-03-01T09:30:00.1234Z"),
    ("local", "2025-03-01T09:30", "2025-03-01T09:30:00"),
    ("local", "2025-03-01t09:30", "2025-03-01T09:30:00"),
    ("local", "2025-03-01T09:30:15.123", "2025-03-01T09:30:15.123"),
    ("day", "2024-02-29", "2024-02-29"),
    ("clock", "09:30", "09:30:00"),
    ("clock", "09:30:15.123", "09:30:15.123"),
    ("id", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
];

/// The spellings `docs/protocol.md`'s `date-formats` table gives, per
/// format: (format, accepted, refused).
fn documented() -> Vec<(String, Vec<String>, Vec<String>)> {
    let spans =
        |cell: &str| -> Vec<String> { cell.split('`').skip(1).step_by(2).map(str::to_owned).collect() };
    protocol_doc::doc::table("date-formats")
        .iter()
        .map(|row| (protocol_doc::doc::code(&row[1]), spans(&row[2]), spans(&row[3])))
        .collect()
}

struct Case {
    func: &'static str,
    body: String,
    /// `None`: any refusal (a non-string); `Some(true)`: accepted;
    /// `Some(false)`: refused as `invalid_format` at `at`.
    accept: Option<bool>,
    label: String,
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let mut add = |func: &'static str, at: Value, accept: Option<bool>, label: String| {
        out.push(Case { func, body: json!({ "at": at }).to_string(), accept, label });
    };
    for (text, who) in corpus() {
        for (letter, format) in [('O', "date-time"), ('L', "partial-date-time"), ('D', "date"), ('T', "time")]
        {
            for func in functions(format) {
                add(func, json!(text), Some(who.contains(letter)), format!("corpus {text:?}"));
            }
        }
    }
    for (text, ok) in uuids() {
        add("id", json!(text), Some(ok), format!("uuid {text:?}"));
    }
    for (format, accepted, refused) in documented() {
        for func in functions(&format) {
            for text in &accepted {
                add(func, json!(text), Some(true), format!("docs/protocol.md accepts {text:?}"));
            }
            for text in &refused {
                add(func, json!(text), Some(false), format!("docs/protocol.md refuses {text:?}"));
            }
        }
    }
    for func in ["utc", "fixed", "offset", "local", "day", "clock", "id"] {
        for wrong in [json!(null), json!(20250301), json!(["2025-03-01"]), json!({})] {
            add(func, wrong.clone(), None, format!("not a string: {wrong}"));
        }
    }
    out
}

/// `POST call/{func}`: the verdict, and the answer's `data` when accepted.
async fn call(client: &reqwest::Client, base: &str, func: &str, body: &str) -> (Verdict, Option<Value>) {
    let r = client
        .post(format!("{base}/call/{func}"))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("the server answers");
    if r.status() == 200 {
        let answer: Value = r.json().await.expect("JSON");
        return (Verdict::Ok, Some(answer["data"].clone()));
    }
    let (verdict, twice) = zod::server_verdict(client, base, func, body, None).await;
    assert_eq!(twice, None, "{func} {body}");
    (verdict, None)
}

#[tokio::test]
async fn dates_times_and_ids_are_read_alike_by_the_server_and_the_generated_zod() {
    let root = support::repo_root();
    zod::bun(&root);
    let app = app();
    let manifest = app.manifest().expect("the app builds").to_json();
    let files = mizan_codegen::generate(&manifest).expect("codegen accepts the dates app");
    let dir = root.join("target").join(format!("mizan-parity-dates-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    mizan_codegen::write(&dir.join("gen"), &files).expect("generated files written");
    let base = support::serve(app).await.api;
    let client = reqwest::Client::new();

    let cases = cases();
    let inputs: Vec<(String, String)> =
        cases.iter().map(|c| (zod::input_schema(c.func), c.body.clone())).collect();
    let answers = zod::zod_answers(&root, &dir.join("gen"), &dir, &inputs);
    let refused_here = Verdict::Issues([("at".to_owned(), "invalid_format".to_owned())].into());
    let mut report = String::new();
    let mut echoed = Vec::new();
    for (case, answer) in cases.iter().zip(&answers) {
        let (server, data) = call(&client, &base, case.func, &case.body).await;
        let input: Value = serde_json::from_str(&case.body).expect("JSON");
        let zod = zod::zod_verdict(Some(&input), answer);
        let expected_ok = match case.accept {
            Some(true) => server == Verdict::Ok,
            Some(false) => server == refused_here,
            None => matches!(server, Verdict::Issues(_)),
        };
        if server != zod || !expected_ok {
            report.push_str(&format!(
                "{} / {}: expected {}\n    server: {}\n    zod:    {}\n",
                case.func,
                case.label,
                match case.accept {
                    Some(true) => "ok",
                    Some(false) => "invalid_format@at",
                    None => "a refusal",
                },
                render(&server),
                render(&zod)
            ));
        }
        if let Some(data) = data {
            echoed.push((case.func, data));
        }
    }
    assert!(report.is_empty(), "generated files kept in {}:\n{report}", dir.display());

    // What the server writes, it reads again, and so does Zod; but for a
    // `DateTime<Utc>` whose UTC year leaves 0000–9999 (an offset on the
    // first or last day), which chrono writes `-0001-…` / `+10000-…`.
    let again: Vec<(String, String)> =
        echoed.iter().map(|(f, data)| (zod::input_schema(f), json!({ "at": data }).to_string())).collect();
    let answers = zod::zod_answers(&root, &dir.join("gen"), &dir, &again);
    for ((func, data), answer) in echoed.iter().zip(&answers) {
        let body = json!({ "at": data }).to_string();
        let (server, _) = call(&client, &base, func, &body).await;
        let zod = zod::zod_verdict(None, answer);
        let outside = data.as_str().is_some_and(|s| s.starts_with(['-', '+']));
        let expected = if outside { &refused_here } else { &Verdict::Ok };
        assert_eq!((&server, &zod), (expected, expected), "{func} reading back {data}");
    }

    for (func, input, written) in READ_AS {
        let (verdict, data) = call(&client, &base, func, &json!({ "at": input }).to_string()).await;
        assert_eq!(verdict, Verdict::Ok, "{func} {input}");
        assert_eq!(data, Some(json!(written)), "{func} reads {input}");
    }

    // An absent optional value stays absent; a present one is read.
    for (body, written) in [
        (json!({}), "None None"),
        (json!({"at": null, "alarm": null}), "None None"),
        (json!({"at": "1970-01-01t00:01:00z", "alarm": "07:05"}), "Some(60) Some(07:05:00)"),
    ] {
        let (verdict, data) = call(&client, &base, "maybe", &body.to_string()).await;
        assert_eq!((verdict, data), (Verdict::Ok, Some(json!(written))), "maybe {body}");
    }
    eprintln!(
        "{} date, time and UUID cases judged alike by the server and Zod; {} answers read back by both",
        cases.len(),
        echoed.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
