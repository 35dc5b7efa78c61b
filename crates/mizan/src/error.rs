//! The error type every server function, channel and render returns.

use std::borrow::Cow;
use std::collections::BTreeMap;

use axum::http::StatusCode;
use mizan_manifest::codes;
use serde::Serialize;

/// `Result` with mizan's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One entry of an error's `issues`: a wire path, a fixed code and a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// Path of wire names and indices, e.g. `["items", 0, "name"]`.
    pub path: Vec<PathSegment>,
    /// One of [`IssueCode`].
    pub code: IssueCode,
    /// A human-readable message.
    pub message: String,
}

/// A step in an [`Issue`] path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PathSegment {
    /// An object key (wire name).
    Key(String),
    /// An array index.
    Index(usize),
}

/// The fixed list of issue codes of wire protocol v1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum IssueCode {
    Required,
    InvalidType,
    TooSmall,
    TooBig,
    InvalidFormat,
    InvalidValue,
    UnknownKey,
    Custom,
}

/// An error that knows its HTTP status and wire code.
///
/// ```
/// use mizan::Error;
/// let e = Error::new(axum::http::StatusCode::CONFLICT, "TAKEN", "that name is taken")
///     .with_field("name", "already registered");
/// assert_eq!(e.status().as_u16(), 409);
/// assert_eq!(e.code(), "TAKEN");
/// ```
#[derive(Debug, Clone)]
pub struct Error(Box<Inner>);

#[derive(Debug, Clone)]
struct Inner {
    status: StatusCode,
    code: Cow<'static, str>,
    message: String,
    fields: BTreeMap<String, Vec<String>>,
    issues: Vec<Issue>,
    /// A typed error's payload.
    data: Option<serde_json::Value>,
    request_id: Option<String>,
    retry_after: Option<u64>,
}

/// The status of a framework code (every status in the table is valid).
fn status_of(code: codes::Code) -> StatusCode {
    StatusCode::from_u16(code.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

macro_rules! constructors {
    ($($(#[$doc:meta])* $fn:ident => $code:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $fn(message: impl Into<String>) -> Self {
                Self::build(status_of(codes::$code), Cow::Borrowed(codes::$code.code), message.into())
            }
        )*
    };
}

impl Error {
    /// An error of the application's own, with a status, a code
    /// (`[A-Z_]+`) and a message.
    ///
    /// A code outside `[A-Z_]+`, or one the framework or the client already
    /// uses (`NOT_FOUND`, `NETWORK`, …: use the constructors, such as
    /// [`Error::not_found`], for those), is replaced by `INTERNAL` (and
    /// logged), so the wire never carries an invalid or misleading code.
    pub fn new(status: StatusCode, code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        let code = code.into();
        let problem = if !mizan_manifest::errors::well_formed(&code) {
            Some("must match [A-Z_]+".to_owned())
        } else {
            mizan_manifest::errors::taken(&code).map(|meaning| format!("is {meaning}"))
        };
        if let Some(problem) = problem {
            tracing::error!(code = %code, "an application's error code {problem}; sent as INTERNAL");
            return Self::build(status, Cow::Borrowed(codes::INTERNAL.code), message.into());
        }
        Self::build(status, code, message.into())
    }

    fn build(status: StatusCode, code: Cow<'static, str>, message: String) -> Self {
        Self(Box::new(Inner {
            status,
            code,
            message,
            fields: BTreeMap::new(),
            issues: Vec::new(),
            data: None,
            request_id: None,
            retry_after: None,
        }))
    }

    // Codes and statuses come from the one table, `mizan_manifest::codes`.
    constructors! {
        /// `BAD_REQUEST` 400: not JSON, not an object, trailing data, malformed batch.
        bad_request => BAD_REQUEST;
        /// `VALIDATION` 422: wrong type, missing or unknown argument, failed rule.
        validation => VALIDATION;
        /// `UNAUTHENTICATED` 401: no identity for a level that needs one.
        unauthenticated => UNAUTHENTICATED;
        /// `FORBIDDEN` 403: identity below the level, or a custom check refused.
        forbidden => FORBIDDEN;
        /// `CSRF` 403: cross-site cookie-authenticated unsafe request without the token.
        csrf => CSRF;
        /// `NOT_FOUND` 404: no such function or channel.
        not_found => NOT_FOUND;
        /// `METHOD_NOT_ALLOWED` 405: GET on a non-query.
        method_not_allowed => METHOD_NOT_ALLOWED;
        /// `PAYLOAD_TOO_LARGE` 413: body or batch past its limit.
        payload_too_large => PAYLOAD_TOO_LARGE;
        /// `REQUEST_TIMEOUT` 408: headers or body not received within their timeout.
        request_timeout => REQUEST_TIMEOUT;
        /// `URI_TOO_LONG` 414: a request target (path and query) past its limit.
        uri_too_long => URI_TOO_LONG;
        /// `UNSUPPORTED_MEDIA_TYPE` 415: an unsafe call whose body is not JSON.
        unsupported_media_type => UNSUPPORTED_MEDIA_TYPE;
        /// `STALE_VERSION` 409: a page visit from a client built with other assets.
        stale_version => STALE_VERSION;
        /// `RATE_LIMITED` 429: a limit on calls, logins or subscriptions.
        rate_limited => RATE_LIMITED;
        /// `UNAVAILABLE` 503: a service the call needs is down.
        unavailable => UNAVAILABLE;
        /// `TIMEOUT` 504: a deadline passed.
        timeout => TIMEOUT;
        /// `INTERNAL` 500. The message is logged, never sent: the wire body
        /// carries only the request id.
        internal => INTERNAL;
    }

    /// Adds a field error under a wire path (`"items.0.name"`, `""` for the
    /// whole input). Also records a `custom` issue for it.
    pub fn with_field(mut self, path: impl Into<String>, message: impl Into<String>) -> Self {
        let path = path.into();
        let message = message.into();
        let segments = split_path(&path);
        self.0.issues.push(Issue { path: segments, code: IssueCode::Custom, message: message.clone() });
        self.0.fields.entry(path).or_default().push(message);
        self
    }

    /// Adds one issue (and its field message).
    pub fn with_issue(mut self, issue: Issue) -> Self {
        self.0.fields.entry(join_path(&issue.path)).or_default().push(issue.message.clone());
        self.0.issues.push(issue);
        self
    }

    /// Sets a typed error's payload, sent as `data`.
    pub(crate) fn with_data(mut self, data: serde_json::Value) -> Self {
        self.0.data = Some(data);
        self
    }

    /// A copy of this error's code, message, field errors and issues
    /// (`VALIDATION` with its paths rewritten, for instance), built without
    /// the checks of [`Error::new`]: its code is already one the wire takes.
    pub(crate) fn reissued(&self, issues: Vec<Issue>) -> Self {
        let mut out = Self::build(self.0.status, self.0.code.clone(), self.0.message.clone());
        for issue in issues {
            out = out.with_issue(issue);
        }
        out
    }

    /// Sets the request id carried on the wire.
    pub fn with_request_id(mut self, id: impl Into<String>) -> Self {
        self.0.request_id = Some(id.into());
        self
    }

    /// Sets the seconds a client should wait before trying again, sent as
    /// the `retry-after` header (with `RATE_LIMITED`, for instance).
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.0.retry_after = Some(seconds);
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }
    /// The wire code.
    pub fn code(&self) -> &str {
        &self.0.code
    }
    /// The message (for `INTERNAL`, the logged, unsent one).
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// Field errors by wire path.
    pub fn fields(&self) -> &BTreeMap<String, Vec<String>> {
        &self.0.fields
    }
    /// Structured issues.
    pub fn issues(&self) -> &[Issue] {
        &self.0.issues
    }
    /// A typed error's payload (its `data` on the wire), if it has one.
    pub fn data(&self) -> Option<&serde_json::Value> {
        self.0.data.as_ref()
    }
    /// The request id, once set.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// The seconds to wait before trying again (the `retry-after` header), if set.
    pub fn retry_after(&self) -> Option<u64> {
        self.0.retry_after
    }

    /// Whether this is an `INTERNAL` error, whose details stay on the server.
    pub fn is_internal(&self) -> bool {
        self.0.code == codes::INTERNAL.code
    }

    /// The wire form: `{"code","message","fields"?,"issues"?,"data"?,"request_id"?}`.
    pub fn to_wire(&self) -> serde_json::Value {
        self.wire(false)
    }

    /// The wire form, with `status` after the code when `status` is set
    /// (a batch item's error carries its status).
    fn wire(&self, status: bool) -> serde_json::Value {
        let mut obj = serde_json::Map::new();
        obj.insert("code".into(), self.0.code.as_ref().into());
        if status {
            obj.insert("status".into(), self.0.status.as_u16().into());
        }
        if self.is_internal() {
            obj.insert("message".into(), "internal error".into());
        } else {
            obj.insert("message".into(), self.0.message.clone().into());
            if !self.0.fields.is_empty() {
                obj.insert("fields".into(), serde_json::to_value(&self.0.fields).unwrap_or_default());
            }
            if !self.0.issues.is_empty() {
                obj.insert("issues".into(), serde_json::to_value(&self.0.issues).unwrap_or_default());
            }
            if let Some(data) = &self.0.data {
                obj.insert("data".into(), data.clone());
            }
        }
        if let Some(id) = &self.0.request_id {
            obj.insert("request_id".into(), id.clone().into());
        }
        serde_json::Value::Object(obj)
    }

    /// For `INTERNAL`, gives the error a request id (if it has none) and logs
    /// its message under it; other errors pass through unchanged.
    pub(crate) fn logged(mut self) -> Self {
        if self.is_internal() {
            let id = self.0.request_id.get_or_insert_with(crate::token::random_hex);
            tracing::error!(request_id = %id, "internal error: {}", self.0.message);
        }
        self
    }

    /// The envelope `{"error": …}`.
    pub fn to_envelope(&self) -> serde_json::Value {
        serde_json::json!({ "error": self.to_wire() })
    }

    /// A batch item's envelope: `{"error": …}` whose error object carries
    /// its `status`.
    pub fn to_batch_item(&self) -> serde_json::Value {
        serde_json::json!({ "error": self.wire(true) })
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.0.code, self.0.status.as_u16(), self.0.message)
    }
}

impl std::error::Error for Error {}

impl axum::response::IntoResponse for Error {
    fn into_response(self) -> axum::response::Response {
        let this = self.logged();
        let mut response = (this.0.status, axum::Json(this.to_envelope())).into_response();
        if let Some(seconds) = this.0.retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// Splits `"items.0.name"` into segments; numeric parts become indices.
pub(crate) fn split_path(path: &str) -> Vec<PathSegment> {
    if path.is_empty() {
        return Vec::new();
    }
    path.split('.')
        .map(|p| match p.parse::<usize>() {
            Ok(i) => PathSegment::Index(i),
            Err(_) => PathSegment::Key(p.to_owned()),
        })
        .collect()
}

/// Joins segments into `"items.0.name"`.
pub(crate) fn join_path(path: &[PathSegment]) -> String {
    let mut out = String::new();
    for (i, seg) in path.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        match seg {
            PathSegment::Key(k) => out.push_str(k),
            PathSegment::Index(n) => out.push_str(&n.to_string()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_hides_its_message() {
        let wire = Error::internal("db password is hunter2").with_request_id("r1").to_wire();
        assert_eq!(wire["code"], "INTERNAL");
        assert!(!wire.to_string().contains("hunter2"));
        assert_eq!(wire["request_id"], "r1");
    }

    #[test]
    fn constructors_follow_the_code_table() {
        let made = [
            Error::bad_request(""),
            Error::validation(""),
            Error::unauthenticated(""),
            Error::forbidden(""),
            Error::csrf(""),
            Error::not_found(""),
            Error::method_not_allowed(""),
            Error::payload_too_large(""),
            Error::request_timeout(""),
            Error::uri_too_long(""),
            Error::unsupported_media_type(""),
            Error::stale_version(""),
            Error::rate_limited(""),
            Error::internal(""),
            Error::unavailable(""),
            Error::timeout(""),
        ];
        for code in codes::PROTOCOL {
            let e = made.iter().find(|e| e.code() == code.code).unwrap_or_else(|| panic!("{}", code.code));
            assert_eq!(e.status().as_u16(), code.status, "{}", code.code);
        }
        assert_eq!(made.len(), codes::PROTOCOL.len());
        assert_eq!(Error::timeout("").status(), StatusCode::GATEWAY_TIMEOUT);
    }

    #[test]
    fn retry_after_is_a_header() {
        use axum::response::IntoResponse;
        let e = Error::rate_limited("slow down").with_retry_after(42);
        assert_eq!(e.retry_after(), Some(42));
        let r = e.into_response();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()[axum::http::header::RETRY_AFTER], "42");
        let r = Error::rate_limited("no hint").into_response();
        assert!(r.headers().get(axum::http::header::RETRY_AFTER).is_none());
    }

    #[test]
    fn bad_codes_become_internal() {
        assert_eq!(Error::new(StatusCode::CONFLICT, "lower", "x").code(), "INTERNAL");
        assert_eq!(Error::new(StatusCode::CONFLICT, "", "x").code(), "INTERNAL");
        assert_eq!(Error::new(StatusCode::CONFLICT, "TAKEN", "x").code(), "TAKEN");
    }

    #[test]
    fn framework_and_client_codes_are_not_the_applications() {
        for code in codes::PROTOCOL.iter().map(|c| c.code).chain(codes::CLIENT.iter().map(|c| c.code)) {
            let e = Error::new(StatusCode::NOT_FOUND, code, "mine");
            assert_eq!(e.code(), "INTERNAL", "{code}");
            assert_eq!(e.to_wire()["message"], "internal error", "{code}");
        }
    }

    #[test]
    fn batch_items_carry_their_status() {
        let e =
            Error::new(StatusCode::CONFLICT, "TAKEN", "taken").with_data(serde_json::json!({ "seat": 13 }));
        let item = e.to_batch_item();
        assert_eq!(
            item,
            serde_json::json!({ "error": { "code": "TAKEN", "status": 409, "message": "taken", "data": { "seat": 13 } } })
        );
        let keys: Vec<&String> = item["error"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["code", "status", "message", "data"]);
        assert!(e.to_wire().get("status").is_none());
        let internal = Error::internal("secret").with_request_id("r").to_batch_item();
        assert_eq!(internal["error"]["status"], 500);
        assert!(!internal.to_string().contains("secret"));
    }

    #[test]
    fn field_paths_round_trip() {
        let e = Error::validation("bad").with_field("items.0.name", "too short");
        assert_eq!(e.fields()["items.0.name"], vec!["too short".to_owned()]);
        assert_eq!(
            e.issues()[0].path,
            vec![PathSegment::Key("items".into()), PathSegment::Index(0), PathSegment::Key("name".into())]
        );
        assert_eq!(join_path(&e.issues()[0].path), "items.0.name");
    }
}
