//! The media type of an unsafe call's body: JSON only.

use axum::http::{HeaderMap, header};

use crate::Error;

/// `415 UNSUPPORTED_MEDIA_TYPE` unless `Content-Type` is `application/json`
/// (parameters such as `charset=utf-8` allowed, any case). A form's
/// `text/plain`, `application/x-www-form-urlencoded` or `multipart/form-data`
/// body, the only ones another site's page can post without a preflight,
/// never reaches a function.
pub(super) fn require_json(headers: &HeaderMap) -> Result<(), Error> {
    let value = headers.get(header::CONTENT_TYPE);
    // The common spelling, compared as bytes: no parse, no allocation.
    if value.is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"application/json")) {
        return Ok(());
    }
    let parsed = value.and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<mime::Mime>().ok());
    match parsed {
        Some(m) if m.type_() == mime::APPLICATION && m.subtype() == mime::JSON && m.suffix().is_none() => {
            Ok(())
        }
        _ => Err(Error::unsupported_media_type(match value {
            None => "a call's body must be JSON: send content-type: application/json".to_owned(),
            Some(v) => format!(
                "a call's body must be JSON (content-type: application/json), not {}",
                String::from_utf8_lossy(v.as_bytes())
            ),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(content_type: Option<&str>) -> Result<(), String> {
        let mut h = HeaderMap::new();
        if let Some(v) = content_type {
            h.insert(header::CONTENT_TYPE, v.parse().unwrap());
        }
        require_json(&h).map_err(|e| e.code().to_owned())
    }

    #[test]
    fn json_only() {
        for ok in ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"] {
            assert_eq!(verdict(Some(ok)), Ok(()), "{ok}");
        }
        for bad in [
            None,
            Some("text/plain"),
            Some("text/plain; charset=utf-8"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data; boundary=x"),
            Some("application/jsonx"),
            Some("application/ld+json"),
            Some("json"),
            Some(""),
        ] {
            assert_eq!(verdict(bad), Err("UNSUPPORTED_MEDIA_TYPE".to_owned()), "{bad:?}");
        }
    }
}
