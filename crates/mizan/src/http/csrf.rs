//! CSRF for cookie-authenticated unsafe requests (`docs/protocol.md`, "CSRF").

use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};

use crate::Error;

/// The double-submit cookie's name.
pub(crate) const COOKIE: &str = "mizan_csrf";
/// The header that must echo it.
pub(crate) const HEADER: &str = "x-mizan-csrf";

/// Refuses an unsafe request that carries a `Cookie` and no `Authorization`,
/// unless its `Sec-Fetch-Site`/`Origin` shows the same or a trusted origin,
/// or `x-mizan-csrf` equals the `mizan_csrf` cookie.
pub(crate) fn check(parts: &Parts, trusted: &[String]) -> Result<(), Error> {
    if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE) {
        return Ok(());
    }
    let headers = &parts.headers;
    if !headers.contains_key(header::COOKIE) || headers.contains_key(header::AUTHORIZATION) {
        return Ok(());
    }
    if let Some(origin) = header_str(headers, header::ORIGIN.as_str()) {
        let origin = origin.trim_end_matches('/');
        if same_origin(origin, headers) || trusted.iter().any(|t| t == origin) {
            return Ok(());
        }
    } else if header_str(headers, "sec-fetch-site") == Some("same-origin") {
        return Ok(());
    }
    if let (Some(token), Some(cookie)) = (header_str(headers, HEADER), cookie_value(headers, COOKIE))
        && !token.is_empty()
        && constant_time_eq(token.as_bytes(), cookie.as_bytes())
    {
        return Ok(());
    }
    Err(Error::csrf(
        "cross-site request refused: send the x-mizan-csrf header with the mizan_csrf cookie's value",
    ))
}

/// Whether `Origin` names the host the request was sent to.
fn same_origin(origin: &str, headers: &HeaderMap) -> bool {
    let Some(host) = header_str(headers, header::HOST.as_str()) else { return false };
    match origin.split_once("://") {
        Some((scheme, rest)) if scheme == "http" || scheme == "https" => rest == host,
        _ => false,
    }
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

    const TRUSTED: &[&str] = &["https://app.example"];

    fn verdict(method: Method, headers: &[(&str, &str)]) -> bool {
        let trusted: Vec<String> = TRUSTED.iter().map(|s| (*s).to_owned()).collect();
        check(&parts(method, headers), &trusted).is_ok()
    }

    #[test]
    fn rules() {
        let cookie = ("cookie", "sessionid=1; mizan_csrf=tok");
        let host = ("host", "site.example");
        // No cookie, or an Authorization header: not CSRF-prone.
        assert!(verdict(Method::POST, &[host]));
        assert!(verdict(
            Method::POST,
            &[cookie, host, ("authorization", "Bearer x"), ("origin", "https://evil.example")]
        ));
        // Safe methods pass.
        assert!(verdict(Method::GET, &[cookie, host, ("origin", "https://evil.example")]));
        // Same origin, trusted origin, Sec-Fetch-Site same-origin.
        assert!(verdict(Method::POST, &[cookie, host, ("origin", "https://site.example")]));
        assert!(verdict(Method::POST, &[cookie, host, ("origin", "https://app.example")]));
        assert!(verdict(Method::POST, &[cookie, host, ("sec-fetch-site", "same-origin")]));
        // Cross-site, a form post, or no evidence at all: refused.
        assert!(!verdict(Method::POST, &[cookie, host, ("origin", "https://evil.example")]));
        assert!(!verdict(Method::POST, &[cookie, host, ("origin", "null")]));
        assert!(!verdict(Method::POST, &[cookie, host, ("sec-fetch-site", "cross-site")]));
        assert!(!verdict(Method::POST, &[cookie, host]));
        // Double submit rescues a cross-site request only with the right token.
        assert!(verdict(
            Method::POST,
            &[cookie, host, ("origin", "https://evil.example"), ("x-mizan-csrf", "tok")]
        ));
        assert!(!verdict(Method::POST, &[cookie, host, ("x-mizan-csrf", "nope")]));
        assert!(!verdict(Method::POST, &[("cookie", "mizan_csrf="), host, ("x-mizan-csrf", "")]));
    }
}
