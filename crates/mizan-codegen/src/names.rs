//! Naming: the rules and the collision check live in
//! `mizan_manifest::naming`; here, how names are written in TypeScript source.

pub(crate) use mizan_manifest::naming::is_ident;

/// An object key in TypeScript or JavaScript source: bare when it is an
/// identifier, a JSON string otherwise.
pub(crate) fn prop_key(name: &str) -> String {
    if is_ident(name) { name.to_owned() } else { js_string(name) }
}

/// A JavaScript string literal (JSON string syntax is valid JavaScript).
pub(crate) fn js_string(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(prop_key("fullName"), "fullName");
        assert_eq!(prop_key("full-name"), "\"full-name\"");
        assert_eq!(js_string("a\"b"), "\"a\\\"b\"");
    }
}
