//! [`PageHeaders`]: the security headers on every page and error page
//! mizan renders, with an optional Content-Security-Policy whose nonce is
//! made per response and carried by mizan's own scripts.

use axum::http::{HeaderMap, HeaderValue, header};

/// Security headers on rendered pages (set with
/// [`App::page_headers`](crate::App::page_headers)).
///
/// Every page and HTML error page gets `x-content-type-options: nosniff`,
/// `referrer-policy: strict-origin-when-cross-origin` and, unless changed
/// here, `x-frame-options: DENY`. A Content-Security-Policy is sent only when
/// configured; `{nonce}` in it is replaced by a fresh random nonce for each
/// response, which the page's own script and style tags carry (the props and
/// contexts JSON, the hydration bundle).
///
/// ```
/// use mizan::{App, PageHeaders};
///
/// let app = App::new().page_headers(
///     PageHeaders::new()
///         .frame_options(Some("SAMEORIGIN"))
///         .content_security_policy(PageHeaders::STRICT_CSP),
/// );
/// # let _ = app;
/// ```
#[derive(Debug, Clone)]
pub struct PageHeaders {
    frame_options: Option<String>,
    csp: Option<String>,
}

impl Default for PageHeaders {
    fn default() -> Self {
        Self { frame_options: Some("DENY".to_owned()), csp: None }
    }
}

impl PageHeaders {
    /// A strict, nonce-based policy: only scripts carrying the page's nonce
    /// (and what they load) run, no plugins, no `<base>`. Styles and other
    /// resources are not restricted.
    pub const STRICT_CSP: &'static str =
        "script-src 'nonce-{nonce}' 'strict-dynamic'; object-src 'none'; base-uri 'none'";

    /// The defaults: `x-frame-options: DENY`, no Content-Security-Policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// The `x-frame-options` value (`"SAMEORIGIN"`), or `None` to send none
    /// (a page meant to be framed by other sites).
    pub fn frame_options(mut self, value: Option<&str>) -> Self {
        self.frame_options = value.map(str::to_owned);
        self
    }

    /// Sends `content-security-policy: POLICY`, with each `{nonce}` in it
    /// replaced by the response's nonce (see [`PageHeaders::STRICT_CSP`]).
    pub fn content_security_policy(mut self, policy: impl Into<String>) -> Self {
        self.csp = Some(policy.into());
        self
    }

    /// A value that cannot be a header, as a start-up problem.
    pub(crate) fn problem(&self) -> Option<String> {
        let bad = |v: &str| HeaderValue::from_str(&v.replace("{nonce}", "n")).is_err();
        if let Some(v) = self.frame_options.as_deref().filter(|v| bad(v)) {
            return Some(format!("page headers: x-frame-options `{v}` is not a valid header value"));
        }
        if let Some(v) = self.csp.as_deref().filter(|v| bad(v)) {
            return Some(format!(
                "page headers: the Content-Security-Policy `{v}` is not a valid header value"
            ));
        }
        None
    }

    /// A fresh nonce when the policy uses one.
    pub(crate) fn nonce(&self) -> Option<String> {
        self.csp.as_deref().filter(|p| p.contains("{nonce}")).map(|_| crate::token::random_hex())
    }

    /// Sets the headers on a page's response, the policy with `nonce`.
    pub(crate) fn apply(&self, headers: &mut HeaderMap, nonce: Option<&str>) {
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
        if let Some(v) = self.frame_options.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(header::X_FRAME_OPTIONS, v);
        }
        if let Some(policy) = &self.csp {
            let policy = policy.replace("{nonce}", nonce.unwrap_or_default());
            if let Ok(v) = HeaderValue::from_str(&policy) {
                headers.insert(header::CONTENT_SECURITY_POLICY, v);
            }
        }
    }
}

/// ` nonce="…"` for a tag, or nothing.
pub(crate) fn nonce_attr(nonce: Option<&str>) -> String {
    nonce.map(|n| format!(" nonce=\"{n}\"")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_nonce() {
        let mut h = HeaderMap::new();
        PageHeaders::new().apply(&mut h, None);
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
        assert_eq!(h["x-frame-options"], "DENY");
        assert!(!h.contains_key("content-security-policy"));
        assert_eq!(PageHeaders::new().nonce(), None);

        let strict = PageHeaders::new().frame_options(None).content_security_policy(PageHeaders::STRICT_CSP);
        let (a, b) = (strict.nonce().unwrap(), strict.nonce().unwrap());
        assert!(a != b && a.len() >= 32, "a fresh nonce each time");
        let mut h = HeaderMap::new();
        strict.apply(&mut h, Some(&a));
        assert!(!h.contains_key("x-frame-options"));
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains(&format!("'nonce-{a}'")) && !csp.contains("{nonce}"), "{csp}");
        assert!(PageHeaders::new().frame_options(Some("DENY\n")).problem().is_some());
        assert!(strict.problem().is_none());
    }
}
