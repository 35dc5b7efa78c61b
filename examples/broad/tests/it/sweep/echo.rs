//! What the server answers for the dates, times and UUIDs it accepted
//! (`broad::dates::schedule` echoes its meeting): each value in its
//! canonical spelling (`T` and `Z` in upper case, seconds written out, a
//! UUID in lower case, the offset kept), and an answer sent back is
//! answered unchanged, for 2,000 meetings made by the sweep's generator
//! ([`super::valid`]); but for a `DateTime<Utc>` whose UTC year leaves
//! 0000–9999, refused when sent back, as docs/protocol.md says.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};
use tower::ServiceExt;

/// `schedule`'s answer to `args` (its `data`), or the whole error envelope.
async fn schedule(router: &axum::Router, args: &Value) -> Result<Value, Value> {
    let request = http::Request::post("/call/schedule")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(args.to_string()))
        .expect("a request");
    let response = router.clone().oneshot(request).await.expect("the router answers");
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("a body");
    let answer: Value = serde_json::from_slice(&bytes).expect("JSON");
    answer.get("data").cloned().ok_or(answer)
}

fn args(meeting: Value) -> Value {
    json!({"meeting": meeting, "day": "2024-02-29", "deadlines": []})
}

#[tokio::test]
async fn accepted_dates_times_and_uuids_come_back_canonical_and_an_answer_is_a_fixpoint() {
    let router = broad::app().router();
    let sent = json!({
        "bookedAt": "2024-02-29t23:59:59.123456789z",
        "startsAt": "0000-01-01T00:00:00+23:59",
        "endsAt": "9999-12-31T23:59:59.5-01:00",
        "movedAt": null,
        "remindAt": "2025-03-01t09:30",
        "repeatsOn": ["2000-02-29", "9999-12-31"],
        "slots": ["09:30", "23:59:59.999999999"],
        "organiser": "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
        "guests": ["00000000-0000-0000-0000-000000000000"]
    });
    let got = schedule(&router, &args(sent)).await.expect("accepted");
    assert_eq!(
        got,
        json!({
            "bookedAt": "2024-02-29T23:59:59.123456789Z",
            "startsAt": "0000-01-01T00:00:00+23:59",
            "endsAt": "9999-12-31T23:59:59.5-01:00",
            "movedAt": null,
            "remindAt": "2025-03-01T09:30:00",
            "repeatsOn": ["2000-02-29", "9999-12-31"],
            "slots": ["09:30:00", "23:59:59.999999999"],
            "organiser": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
            "guests": ["00000000-0000-0000-0000-000000000000"]
        })
    );

    let refused = schedule(&router, &args(json!({"bookedAt": "2023-02-29T00:00:00Z"}))).await;
    let error = refused.expect_err("29 February 2023 does not exist");
    assert_eq!(error["error"]["code"], "VALIDATION");
    let issues = error["error"]["issues"].as_array().expect("issues");
    assert!(
        issues.iter().any(|i| i["path"] == json!(["meeting", "bookedAt"]) && i["code"] == "invalid_format"),
        "{issues:?}"
    );

    let (types, inputs) = super::lowered(&broad::app().manifest().expect("builds").to_json());
    let ty = inputs.iter().find(|(f, _)| f == "schedule").map(|(_, t)| t).expect("schedule");
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let (mut checked, mut outside) = (0, 0);
    while checked < 2_000 {
        let Some(input) = types.valid(&mut rng, ty, 0) else { continue };
        let first = schedule(&router, &input).await.unwrap_or_else(|e| panic!("{input}: {e}"));
        let mut again = input.clone();
        again["meeting"] = first.clone();
        let booked = first["bookedAt"].as_str().unwrap_or("");
        if booked.starts_with(['+', '-']) {
            // A `DateTime<Utc>` whose UTC year leaves 0000–9999 (an offset on
            // the first or last day) is written `+10000-…` / `-0001-…`, which
            // `date-time` refuses (docs/protocol.md): the one answer that
            // cannot be sent back.
            let error = schedule(&router, &again).await.expect_err("a five-digit or signed year");
            let issues = &error["error"]["issues"];
            assert_eq!(
                issues,
                &json!([{"path": ["meeting", "bookedAt"], "code": "invalid_format",
                "message": "not a date-time with an offset, such as 2025-03-01T09:30:00Z"}]),
                "{again}"
            );
            outside += 1;
            continue;
        }
        let second = schedule(&router, &again).await.unwrap_or_else(|e| panic!("{again}: {e}"));
        assert_eq!(first, second, "the answer to {input} is not answered unchanged");
        for key in ["bookedAt", "startsAt", "endsAt", "remindAt"] {
            let text = first[key].as_str().unwrap_or("");
            assert!(!text.contains(['t', 'z']), "{key}: {text} is not canonical");
            assert!(!(key == "remindAt" && text.len() == 16), "{key}: {text} has no seconds");
        }
        let organiser = first["organiser"].as_str().unwrap_or("");
        assert_eq!(organiser, organiser.to_lowercase(), "a UUID comes back in lower case");
        checked += 1;
    }
    assert!(outside > 0 && outside < 200, "{outside} answers with a year outside 0000–9999");
}
