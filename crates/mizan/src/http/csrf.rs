//! CSRF for unsafe requests (`docs/protocol.md`, "CSRF"): the origin
//! rules, the cookie rule and the double-submit token.

use std::sync::Arc;

use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, HeaderName, HeaderValue, Method, header};

use super::forwarded::{self, TrustedProxies};
use crate::Error;

/// The double-submit cookie's name.
pub(crate) const COOKIE: &str = "mizan_csrf";
/// The header that must echo it.
pub(crate) const HEADER: &str = "x-mizan-csrf";

/// Which origins a request may come from: its own (the configured public
/// origin, or the one it was sent to) and the trusted ones.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origins {
    /// The public origin (`https://app.example`), when configured.
    pub(crate) public: Option<String>,
    /// Origins trusted for CSRF, WebSocket upgrades and CORS, normalized.
    pub(crate) trusted: Arc<[String]>,
    /// Proxies whose forwarded headers are believed.
    pub(crate) proxies: TrustedProxies,
}

impl Origins {
    /// Whether `origin` (an `Origin` header's value) is the request's own
    /// origin, by scheme, host and port, or a trusted one.
    pub(crate) fn allows(&self, origin: &str, headers: &HeaderMap, extensions: &Extensions) -> bool {
        let Some(origin) = forwarded::normalize_origin(origin) else { return false };
        self.trusted.contains(&origin)
            || forwarded::site_origin(headers, extensions, self.public.as_deref(), &self.proxies)
                .is_some_and(|own| own == origin)
    }
}

/// `Sec-Fetch-Site`, made once (a name given as `&str` is parsed and
/// hashed at every lookup).
static SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE)
}

/// The CSRF rules for an unsafe request, before any `Authorization` is
/// looked at (a refusal may still be lifted by a valid one, see
/// `call::prepare`):
/// - an `Origin` that is neither the request's own nor trusted, or a
///   `Sec-Fetch-Site` other than `same-origin` or `none`, is refused,
///   cookie or not;
/// - a request with a `Cookie` needs an allowed `Origin`, or (without
///   `Origin`) `Sec-Fetch-Site: same-origin`, or `x-mizan-csrf` equal to
///   the `mizan_csrf` cookie.
pub(crate) fn check(parts: &Parts, origins: &Origins) -> Result<(), Error> {
    if is_safe(&parts.method) {
        return Ok(());
    }
    let headers = &parts.headers;
    let origin = headers.get(header::ORIGIN).map(|v| v.to_str().unwrap_or("null"));
    let origin_ok = origin.map(|o| origins.allows(o, headers, &parts.extensions));
    let fetch_site = headers.get(&SEC_FETCH_SITE).map(|v| v.to_str().unwrap_or(""));
    if origin_ok == Some(false) {
        return Err(Error::csrf(format!(
            "cross-origin request refused: Origin `{}` is neither this site nor a trusted origin",
            origin.unwrap_or_default()
        )));
    }
    // A trusted origin is cross-site by definition: its Origin speaks for it.
    if let Some(site) = fetch_site
        && origin_ok != Some(true)
        && site != "same-origin"
        && site != "none"
    {
        return Err(Error::csrf(format!("cross-site request refused (Sec-Fetch-Site: {site})")));
    }
    if !headers.contains_key(header::COOKIE) || origin_ok == Some(true) || fetch_site == Some("same-origin") {
        return Ok(());
    }
    if let (Some(token), Some(cookie)) = (header_str(headers, HEADER), cookie_value(headers, COOKIE))
        && !token.is_empty()
        && constant_time_eq(token.as_bytes(), cookie.as_bytes())
    {
        return Ok(());
    }
    Err(Error::csrf(
        "a request with cookies and no sign of its origin: send the x-mizan-csrf header with the mizan_csrf cookie's value",
    ))
}

pub(crate) fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The value of cookie `name`, from every `Cookie` header.
pub(crate) fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A `Set-Cookie` for a fresh CSRF token when the request has none.
/// Not `HttpOnly`: the client runtime reads it to echo it in the header.
pub(crate) fn csrf_cookie_header(headers: &HeaderMap) -> Option<HeaderValue> {
    if cookie_value(headers, COOKIE).is_some() {
        return None;
    }
    let token = crate::token::random_hex();
    HeaderValue::from_str(&format!("{COOKIE}={token}; Path=/; SameSite=Lax")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(method: Method, headers: &[(&str, &str)]) -> Parts {
        let mut b = axum::http::Request::builder().method(method).uri("/api/mizan/call/x");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(()).unwrap().into_parts().0
    }

    fn verdict(method: Method, headers: &[(&str, &str)]) -> bool {
        let origins =
            Origins { trusted: vec!["https://app.example".to_owned()].into(), ..Origins::default() };
        check(&parts(method, headers), &origins).is_ok()
    }

    #[test]
    fn rules() {
        let cookie = ("cookie", "sessionid=1; mizan_csrf=tok");
        let host = ("host", "site.example");
        // No cookie and no origin evidence: not CSRF-prone.
        assert!(verdict(Method::POST, &[host]));
        // Safe methods pass.
        assert!(verdict(Method::GET, &[cookie, host, ("origin", "https://evil.example")]));
        // Same origin (the server speaks plain HTTP), trusted origin, Sec-Fetch-Site same-origin.
        assert!(verdict(Method::POST, &[cookie, host, ("origin", "http://site.example")]));
        assert!(verdict(Method::POST, &[cookie, host, ("origin", "http://SITE.example:80")]));
        assert!(verdict(Method::POST, &[cookie, host, ("origin", "https://app.example")]));
        assert!(verdict(
            Method::POST,
            &[cookie, host, ("origin", "https://app.example"), ("sec-fetch-site", "cross-site")]
        ));
        assert!(verdict(Method::POST, &[cookie, host, ("sec-fetch-site", "same-origin")]));
        // Another scheme or port is another origin, cookie or not.
        for other in ["https://site.example", "http://site.example:8080", "https://evil.example", "null"] {
            assert!(!verdict(Method::POST, &[cookie, host, ("origin", other)]), "{other}");
            assert!(!verdict(Method::POST, &[host, ("origin", other)]), "{other}");
        }
        // Cross-site by Sec-Fetch-Site, cookie or not.
        for site in ["cross-site", "same-site"] {
            assert!(!verdict(Method::POST, &[cookie, host, ("sec-fetch-site", site)]));
            assert!(!verdict(Method::POST, &[host, ("sec-fetch-site", site)]));
        }
        assert!(verdict(Method::POST, &[host, ("sec-fetch-site", "none")]));
        // A cookie with no evidence at all: refused.
        assert!(!verdict(Method::POST, &[cookie, host]));
        // An Authorization header alone switches nothing off.
        assert!(!verdict(Method::POST, &[cookie, host, ("authorization", "Bearer x")]));
        assert!(!verdict(
            Method::POST,
            &[host, ("authorization", "Bearer x"), ("origin", "https://evil.example")]
        ));
        // Double submit vouches for a cookie request without Origin, with the right token only;
        // it never lifts a foreign Origin.
        assert!(verdict(Method::POST, &[cookie, host, ("x-mizan-csrf", "tok")]));
        assert!(!verdict(
            Method::POST,
            &[cookie, host, ("origin", "https://evil.example"), ("x-mizan-csrf", "tok")]
        ));
        assert!(!verdict(Method::POST, &[cookie, host, ("x-mizan-csrf", "nope")]));
        assert!(!verdict(Method::POST, &[("cookie", "mizan_csrf="), host, ("x-mizan-csrf", "")]));
    }

    #[test]
    fn the_public_origin_replaces_the_host() {
        let origins = Origins { public: Some("https://app.example".to_owned()), ..Origins::default() };
        let post =
            |origin| check(&parts(Method::POST, &[("host", "10.0.0.2:3000"), ("origin", origin)]), &origins);
        assert!(post("https://app.example").is_ok());
        assert!(post("http://10.0.0.2:3000").is_err());
        assert!(post("http://app.example").is_err());
    }
}
