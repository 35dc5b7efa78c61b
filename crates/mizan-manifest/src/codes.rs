//! The error codes of wire protocol v1 (`docs/protocol.md`): every code the
//! framework itself answers with, its HTTP status and when it is used, and
//! the codes only a client produces. Handlers may add their own codes
//! (`[A-Z_]+`); these are the ones mizan defines.
//!
//! The TypeScript runtime keeps the same table (`PROTOCOL_ERROR_STATUS` and
//! `ClientErrorCode` in `packages/client/src/errors.ts`); a test here fails
//! when the two differ.

/// One framework error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// The wire code.
    pub code: &'static str,
    /// The HTTP status the server answers with.
    pub status: u16,
    /// When it is used.
    pub when: &'static str,
}

/// `BAD_REQUEST` 400.
pub const BAD_REQUEST: Code = Code {
    code: "BAD_REQUEST",
    status: 400,
    when: "not JSON, not an object, trailing data, malformed batch",
};
/// `VALIDATION` 422.
pub const VALIDATION: Code =
    Code { code: "VALIDATION", status: 422, when: "wrong type, missing or unknown argument, failed rule" };
/// `UNAUTHENTICATED` 401.
pub const UNAUTHENTICATED: Code =
    Code { code: "UNAUTHENTICATED", status: 401, when: "no identity for a level that needs one" };
/// `FORBIDDEN` 403.
pub const FORBIDDEN: Code =
    Code { code: "FORBIDDEN", status: 403, when: "identity below the level, or a custom check refused" };
/// `CSRF` 403.
pub const CSRF: Code = Code {
    code: "CSRF",
    status: 403,
    when: "cross-site cookie-authenticated unsafe request without the token",
};
/// `NOT_FOUND` 404.
pub const NOT_FOUND: Code = Code { code: "NOT_FOUND", status: 404, when: "no such function or channel" };
/// `METHOD_NOT_ALLOWED` 405.
pub const METHOD_NOT_ALLOWED: Code =
    Code { code: "METHOD_NOT_ALLOWED", status: 405, when: "GET on a non-query" };
/// `PAYLOAD_TOO_LARGE` 413.
pub const PAYLOAD_TOO_LARGE: Code =
    Code { code: "PAYLOAD_TOO_LARGE", status: 413, when: "body or batch past its limit" };
/// `REQUEST_TIMEOUT` 408.
pub const REQUEST_TIMEOUT: Code =
    Code { code: "REQUEST_TIMEOUT", status: 408, when: "headers or body not received within their timeout" };
/// `URI_TOO_LONG` 414.
pub const URI_TOO_LONG: Code =
    Code { code: "URI_TOO_LONG", status: 414, when: "a request target (path and query) past its limit" };
/// `UNSUPPORTED_MEDIA_TYPE` 415.
pub const UNSUPPORTED_MEDIA_TYPE: Code =
    Code { code: "UNSUPPORTED_MEDIA_TYPE", status: 415, when: "an unsafe call whose body is not JSON" };
/// `STALE_VERSION` 409.
pub const STALE_VERSION: Code = Code {
    code: "STALE_VERSION",
    status: 409,
    when: "a page visit from a client built with other assets (`x-mizan-location` says where to load in full)",
};
/// `RATE_LIMITED` 429.
pub const RATE_LIMITED: Code =
    Code { code: "RATE_LIMITED", status: 429, when: "a limit on calls, logins or subscriptions" };
/// `INTERNAL` 500.
pub const INTERNAL: Code = Code {
    code: "INTERNAL",
    status: 500,
    when: "anything else; the message is logged, never sent (the body carries the request id)",
};
/// `UNAVAILABLE` 503.
pub const UNAVAILABLE: Code =
    Code { code: "UNAVAILABLE", status: 503, when: "a service the call needs is down" };
/// `TIMEOUT` 504.
pub const TIMEOUT: Code = Code { code: "TIMEOUT", status: 504, when: "a deadline passed" };

/// Every code the server sends, in the protocol's order.
pub const PROTOCOL: [Code; 16] = [
    BAD_REQUEST,
    VALIDATION,
    UNAUTHENTICATED,
    FORBIDDEN,
    CSRF,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    PAYLOAD_TOO_LARGE,
    REQUEST_TIMEOUT,
    URI_TOO_LONG,
    UNSUPPORTED_MEDIA_TYPE,
    STALE_VERSION,
    RATE_LIMITED,
    INTERNAL,
    UNAVAILABLE,
    TIMEOUT,
];

/// A code only a client produces (its `status` is what the client reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientCode {
    /// The code.
    pub code: &'static str,
    /// When it is used.
    pub when: &'static str,
}

/// The codes only the client produces.
pub const CLIENT: [ClientCode; 2] = [
    ClientCode {
        code: "NETWORK",
        when: "no response at all (connection refused, reset, DNS, CORS); status 0",
    },
    ClientCode {
        code: "BAD_RESPONSE",
        when: "a response that is not this protocol, such as a proxy's HTML 502",
    },
];

/// The protocol code named `code`, if the framework defines it.
pub fn lookup(code: &str) -> Option<Code> {
    PROTOCOL.into_iter().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `packages/client/src/errors.ts`, read as source.
    fn errors_ts() -> String {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../packages/client/src/errors.ts");
        std::fs::read_to_string(path).expect("packages/client/src/errors.ts is readable")
    }

    /// The body of `export const PROTOCOL_ERROR_STATUS = { … }` as (code, status) pairs.
    fn ts_protocol(ts: &str) -> Vec<(String, u16)> {
        let start = ts.find("export const PROTOCOL_ERROR_STATUS = {").expect("the TS status table");
        let body = &ts[start..];
        let body = &body[body.find('{').expect("{") + 1..body.find("} as const").expect("} as const")];
        body.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|line| {
                let (code, status) = line.trim_end_matches(',').split_once(':').expect("CODE: status");
                (code.trim().to_owned(), status.trim().parse().expect("a numeric status"))
            })
            .collect()
    }

    /// The string literals of `export type ClientErrorCode = "…" | "…";`.
    fn ts_client(ts: &str) -> Vec<String> {
        let start = ts.find("export type ClientErrorCode =").expect("the TS client codes");
        let line = &ts[start..ts[start..].find(';').expect(";") + start];
        line.split('"').skip(1).step_by(2).map(str::to_owned).collect()
    }

    #[test]
    fn the_typescript_table_is_this_one() {
        let ts = errors_ts();
        let rust: Vec<(String, u16)> = PROTOCOL.iter().map(|c| (c.code.to_owned(), c.status)).collect();
        assert_eq!(ts_protocol(&ts), rust, "PROTOCOL_ERROR_STATUS in errors.ts differs from codes::PROTOCOL");
        let client: Vec<String> = CLIENT.iter().map(|c| c.code.to_owned()).collect();
        assert_eq!(ts_client(&ts), client, "ClientErrorCode in errors.ts differs from codes::CLIENT");
    }

    #[test]
    fn the_drift_check_sees_a_difference() {
        let ts = errors_ts().replace("CSRF: 403", "CSRF: 400");
        let rust: Vec<(String, u16)> = PROTOCOL.iter().map(|c| (c.code.to_owned(), c.status)).collect();
        assert_ne!(ts_protocol(&ts), rust);
        let ts = errors_ts().replace("\"NETWORK\" | ", "");
        assert_eq!(ts_client(&ts), ["BAD_RESPONSE"]);
    }

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut all: Vec<&str> =
            PROTOCOL.iter().map(|c| c.code).chain(CLIENT.iter().map(|c| c.code)).collect();
        assert!(all.iter().all(|c| c.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')));
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), PROTOCOL.len() + CLIENT.len());
        assert_eq!(lookup("CSRF").map(|c| c.status), Some(403));
        assert_eq!(lookup("NETWORK"), None);
    }
}
