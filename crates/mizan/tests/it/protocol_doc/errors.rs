//! The error object, the issue codes and the error codes.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use mizan::{App, ChannelLimits, IssueCode, Limits, Ssr};
use serde_json::json;

use super::app::{Answer, app, http, send, serve};
use super::doc;
use super::repo::read;
use crate::support::ssr::fixtures;
use crate::support::ws::{connect_with as connect, recv as next, send as put};

/// The error each documented server code is built with, through the public API.
fn constructed(code: &str) -> Option<mizan::Error> {
    use mizan::Error;
    Some(match code {
        "BAD_REQUEST" => Error::bad_request("m"),
        "VALIDATION" => Error::validation("m"),
        "UNAUTHENTICATED" => Error::unauthenticated("m"),
        "FORBIDDEN" => Error::forbidden("m"),
        "CSRF" => Error::csrf("m"),
        "NOT_FOUND" => Error::not_found("m"),
        "METHOD_NOT_ALLOWED" => Error::method_not_allowed("m"),
        "PAYLOAD_TOO_LARGE" => Error::payload_too_large("m"),
        "REQUEST_TIMEOUT" => Error::request_timeout("m"),
        "URI_TOO_LONG" => Error::uri_too_long("m"),
        "UNSUPPORTED_MEDIA_TYPE" => Error::unsupported_media_type("m"),
        "STALE_VERSION" => Error::stale_version("m"),
        "RATE_LIMITED" => Error::rate_limited("m"),
        "INTERNAL" => Error::internal("m"),
        "UNAVAILABLE" => Error::unavailable("m"),
        "TIMEOUT" => Error::timeout("m"),
        _ => return None,
    })
}

/// Every constructor [`constructed`] knows.
const CONSTRUCTED: [&str; 16] = [
    "BAD_REQUEST",
    "VALIDATION",
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "CSRF",
    "NOT_FOUND",
    "METHOD_NOT_ALLOWED",
    "PAYLOAD_TOO_LARGE",
    "REQUEST_TIMEOUT",
    "URI_TOO_LONG",
    "UNSUPPORTED_MEDIA_TYPE",
    "STALE_VERSION",
    "RATE_LIMITED",
    "INTERNAL",
    "UNAVAILABLE",
    "TIMEOUT",
];

/// The error-code table: code → status.
fn documented_codes() -> BTreeMap<String, u16> {
    doc::table("error-codes")
        .iter()
        .map(|row| (doc::code(&row[0]), row[1].parse().unwrap_or_else(|_| panic!("status of {row:?}"))))
        .collect()
}

/// `PROTOCOL_ERROR_STATUS` of `packages/client/src/errors.ts`: code → status.
fn client_status_table() -> BTreeMap<String, u16> {
    let ts = read("packages/client/src/errors.ts");
    let start = ts.find("PROTOCOL_ERROR_STATUS = {").expect("PROTOCOL_ERROR_STATUS in errors.ts");
    let body = &ts[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find('}').unwrap()];
    body.lines()
        .filter_map(|l| l.trim().trim_end_matches(',').split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().parse().unwrap()))
        .collect()
}

/// The string literals of a TS union type `export type NAME = "a" | "b";`.
fn ts_union(file: &str, name: &str) -> BTreeSet<String> {
    let ts = read(file);
    let head = format!("export type {name} =");
    let start = ts.find(&head).unwrap_or_else(|| panic!("{head} in {file}")) + head.len();
    let body = &ts[start..start + ts[start..].find(';').unwrap()];
    body.split('|').map(|s| s.trim().trim_matches('"').to_owned()).filter(|s| !s.is_empty()).collect()
}

#[test]
fn the_error_code_table_is_the_servers_and_the_clients() {
    let documented = documented_codes();
    for (code, status) in &documented {
        let e = constructed(code)
            .unwrap_or_else(|| panic!("`{code}` is documented but mizan builds no such error"));
        assert_eq!(e.code(), code);
        assert_eq!(e.status().as_u16(), *status, "the status of `{code}`");
    }
    let constructors: BTreeSet<String> = CONSTRUCTED.iter().map(|c| (*c).to_owned()).collect();
    assert_eq!(
        documented.keys().cloned().collect::<BTreeSet<_>>(),
        constructors,
        "every constructor is documented"
    );
    assert_eq!(client_status_table(), documented, "errors.ts's PROTOCOL_ERROR_STATUS and the table agree");

    let client_only = doc::codes("client-codes");
    assert_eq!(client_only, ts_union("packages/client/src/errors.ts", "ClientErrorCode"));
    assert!(
        client_only.iter().all(|c| !documented.contains_key(c)),
        "client-only codes are not the server's"
    );
}

#[test]
fn the_issue_codes_are_the_fixed_list() {
    // An exhaustive match: a new variant does not compile until it is listed.
    fn listed(code: IssueCode) -> IssueCode {
        match code {
            IssueCode::Required
            | IssueCode::InvalidType
            | IssueCode::TooSmall
            | IssueCode::TooBig
            | IssueCode::InvalidFormat
            | IssueCode::InvalidValue
            | IssueCode::UnknownKey
            | IssueCode::Custom => code,
        }
    }
    let all = [
        IssueCode::Required,
        IssueCode::InvalidType,
        IssueCode::TooSmall,
        IssueCode::TooBig,
        IssueCode::InvalidFormat,
        IssueCode::InvalidValue,
        IssueCode::UnknownKey,
        IssueCode::Custom,
    ];
    let server: BTreeSet<String> = all
        .map(|c| serde_json::to_value(listed(c)).unwrap().as_str().unwrap().to_owned())
        .into_iter()
        .collect();
    assert_eq!(doc::codes("issue-codes"), server);
    assert_eq!(ts_union("packages/client/src/errors.ts", "IssueCode"), server);
}

/// Records that the server answered `code` (with `status` when over HTTP),
/// checking both against the table.
fn answered(
    seen: &mut BTreeSet<String>,
    documented: &BTreeMap<String, u16>,
    code: &str,
    status: Option<u16>,
) {
    let want = documented
        .get(code)
        .unwrap_or_else(|| panic!("the server answered `{code}`, which is not documented"));
    if let Some(status) = status {
        assert_eq!(status, *want, "`{code}` came with status {status}, documented {want}");
    }
    seen.insert(code.to_owned());
}

#[tokio::test]
async fn every_documented_code_is_answered_with_its_status() {
    let documented = documented_codes();
    let issue_codes = doc::codes("issue-codes");
    let mut seen = BTreeSet::new();
    let s = serve(app(ChannelLimits { subscriptions: 1, ..ChannelLimits::default() })).await;
    let call = |name: &str| format!("{}/call/{name}", s.api);

    let mut check = |a: Answer, want: &str| {
        assert_eq!(a.code(), want, "{}", a.body);
        assert_eq!(a.header("content-type"), Some("application/json"));
        answered(&mut seen, &documented, want, Some(a.status));
    };
    let json = |r: reqwest::RequestBuilder| r.header("content-type", "application/json");
    check(send(json(http().post(call("echo"))).body("not json")).await, "BAD_REQUEST");
    check(send(json(http().post(call("nope"))).body("{}")).await, "NOT_FOUND");
    check(send(http().post(call("echo")).body(r#"{"text":"a"}"#)).await, "UNSUPPORTED_MEDIA_TYPE");
    check(send(http().get(call("echo"))).await, "METHOD_NOT_ALLOWED");
    check(
        send(http().post(call("mine")).header("content-type", "application/json").body("{}")).await,
        "UNAUTHENTICATED",
    );
    check(
        send(
            http()
                .post(call("staff_only"))
                .bearer_auth("user")
                .header("content-type", "application/json")
                .body("{}"),
        )
        .await,
        "FORBIDDEN",
    );
    let cross_site = http()
        .post(call("echo"))
        .header("cookie", "session=1")
        .header("origin", "https://elsewhere.example")
        .header("content-type", "application/json")
        .body(r#"{"text":"a"}"#);
    check(send(cross_site).await, "CSRF");
    check(
        send(
            http()
                .post(call("echo"))
                .header("content-type", "application/json")
                .body(format!(r#"{{"text":"{}"}}"#, "x".repeat(2000))),
        )
        .await,
        "PAYLOAD_TOO_LARGE",
    );
    let three = json!([{"fn": "echo"}, {"fn": "echo"}, {"fn": "echo"}]).to_string();
    check(
        send(http().post(format!("{}/batch", s.api)).header("content-type", "application/json").body(three))
            .await,
        "PAYLOAD_TOO_LARGE",
    );
    let long = format!("{}/call/echo?pad={}", s.api, "x".repeat(Limits::default().uri_bytes));
    check(send(http().get(long)).await, "URI_TOO_LONG");

    // The error object, as documented: fields and issues say the same things.
    let a = send(
        http().post(call("echo")).header("content-type", "application/json").body(r#"{"text":"too long"}"#),
    )
    .await;
    let error = a.json()["error"].clone();
    check(a, "VALIDATION");
    let issues = error["issues"].as_array().expect("issues");
    for issue in issues {
        assert!(issue_codes.contains(issue["code"].as_str().unwrap()), "{issue}");
        let path: Vec<String> = issue["path"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().map_or(p.to_string(), str::to_owned))
            .collect();
        assert!(error["fields"][path.join(".")].as_array().unwrap().contains(&issue["message"]), "{error}");
    }
    assert_eq!(issues[0]["path"], json!(["text"]));

    let a = send(http().post(call("boom")).header("content-type", "application/json").body("{}")).await;
    let error = a.json()["error"].clone();
    check(a, "INTERNAL");
    assert_eq!(error["message"], "internal error");
    let id = error["request_id"].as_str().expect("request_id");
    assert!(id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{id}");
    assert!(error.get("fields").is_none() && error.get("issues").is_none(), "{error}");

    // No SSR configured: the page is an error page saying so.
    let a = send(http().get(s.site("/hello/"))).await;
    assert_eq!(a.header("x-mizan-error"), Some("UNAVAILABLE"));
    answered(&mut seen, &documented, "UNAVAILABLE", Some(a.status));

    // Over the socket, codes travel without a status.
    let mut ws = connect(&s.ws, &[]).await;
    put(&mut ws, json!({"t": "sub", "id": 1, "ch": "chat", "params": {"room": "a"}})).await;
    assert_eq!(next(&mut ws).await, json!({"t": "ok", "id": 1}));
    put(&mut ws, json!({"t": "sub", "id": 2, "ch": "chat", "params": {"room": "b"}})).await;
    let f = next(&mut ws).await;
    answered(&mut seen, &documented, f["error"]["code"].as_str().unwrap(), None);
    assert_eq!(f["error"]["code"], "RATE_LIMITED");

    // Served by `mizan::serve`: a body that stalls past `body_timeout`.
    let addr = super::app::serve_with_config(
        app(ChannelLimits::default()),
        mizan::ServeConfig { body_timeout: Duration::from_millis(200), ..mizan::ServeConfig::default() },
    )
    .await;
    let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = "POST /api/mizan/call/echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 50\r\n\r\n{";
    tokio::io::AsyncWriteExt::write_all(&mut c, head.as_bytes()).await.unwrap();
    let mut raw = String::new();
    tokio::time::timeout(Duration::from_secs(5), tokio::io::AsyncReadExt::read_to_string(&mut c, &mut raw))
        .await
        .expect("an answer within 5 s")
        .unwrap();
    let status: u16 = raw[9..12].parse().unwrap();
    let body: serde_json::Value = serde_json::from_str(raw.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert!(raw.contains("content-type: application/json"), "{raw}");
    assert_eq!(body["error"]["code"], "REQUEST_TIMEOUT", "{raw}");
    answered(&mut seen, &documented, "REQUEST_TIMEOUT", Some(status));

    // A render past the SSR deadline.
    let ssr = Ssr::new().dirs([fixtures()]).workers(1).dev(false).deadline(Duration::from_millis(500));
    let s = serve(App::new().ssr(ssr)).await;
    let a = send(http().get(s.site("/hang/"))).await;
    assert_eq!(a.header("x-mizan-error"), Some("TIMEOUT"));
    answered(&mut seen, &documented, "TIMEOUT", Some(a.status));

    // A page visit from a client built with other assets.
    let a = send(http().get(s.site("/hello/")).header("x-mizan-visit", "1").header("x-mizan-version", "old"))
        .await;
    assert_eq!(a.header("x-mizan-location"), Some("/hello/"));
    answered(&mut seen, &documented, &a.code(), Some(a.status));

    assert_eq!(seen, documented.keys().cloned().collect(), "every documented code was answered");
}
