//! A function's declared errors (the `errors` of a `functions` entry) and
//! the rules their codes keep: `[A-Z_]+`, a status from 400 to 599, each
//! code once, and never a code the framework ([`crate::codes::PROTOCOL`])
//! or the client ([`crate::codes::CLIENT`]) already means something by.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::codes;

/// One error a function declares: its wire code, its HTTP status and the
/// schema of its `data` (output side: references point into
/// `output_defs`), `null` for an error that carries no `data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object {\"code\", \"status\", \"data\"}")]
pub struct DeclaredError {
    /// The wire code, `[A-Z_]+`.
    pub code: String,
    /// The HTTP status it answers with, 400 to 599.
    pub status: u16,
    /// The schema of its `data`; `None` (`null`) when the error has none.
    #[serde(default)]
    pub data: Option<Value>,
}

/// What `code` already means, when a declared error may not take it: a
/// framework code (with its status and use) or a code only the client
/// produces.
pub fn taken(code: &str) -> Option<String> {
    if let Some(c) = codes::lookup(code) {
        return Some(format!("the framework's code for {} ({})", c.when, c.status));
    }
    codes::CLIENT.iter().find(|c| c.code == code).map(|c| format!("the client's own code for {}", c.when))
}

/// Whether `code` is spelled as every wire code is: `[A-Z_]+`.
pub fn well_formed(code: &str) -> bool {
    !code.is_empty() && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
}

/// Every problem with one function's declared errors, one message each,
/// naming the code: a badly spelled code, a status outside 400–599, a
/// code listed twice, a code the framework or the client already uses.
pub fn problems(errors: &[DeclaredError]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, e) in errors.iter().enumerate() {
        if !well_formed(&e.code) {
            out.push(format!("error code `{}` must match [A-Z_]+", e.code));
        } else if let Some(meaning) = taken(&e.code) {
            out.push(format!("error code `{}` is {meaning}; a typed error needs a code of its own", e.code));
        }
        if !(400..=599).contains(&e.status) {
            out.push(format!("error code `{}` has status {}, outside 400–599", e.code, e.status));
        }
        if errors[..i].iter().any(|earlier| earlier.code == e.code) {
            out.push(format!("error code `{}` is declared twice", e.code));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn declared(code: &str, status: u16) -> DeclaredError {
        DeclaredError { code: code.into(), status, data: None }
    }

    #[test]
    fn good_errors_have_no_problems() {
        assert!(problems(&[declared("SEAT_TAKEN", 409), declared("SOLD_OUT", 409)]).is_empty());
        assert!(problems(&[]).is_empty());
    }

    #[test]
    fn each_rule_is_named() {
        let found = problems(&[
            declared("seat", 409),
            declared("NOT_FOUND", 404),
            declared("NETWORK", 503),
            declared("LOW", 302),
            declared("HIGH", 600),
            declared("TWICE", 409),
            declared("TWICE", 410),
        ]);
        assert_eq!(found.len(), 6, "{found:#?}");
        assert!(found[0].contains("`seat` must match [A-Z_]+"), "{}", found[0]);
        assert!(found[1].contains("`NOT_FOUND` is the framework's code for"), "{}", found[1]);
        assert!(found[2].contains("`NETWORK` is the client's own code"), "{}", found[2]);
        assert!(found[3].contains("status 302"), "{}", found[3]);
        assert!(found[4].contains("status 600"), "{}", found[4]);
        assert!(found[5].contains("`TWICE` is declared twice"), "{}", found[5]);
    }

    #[test]
    fn every_table_code_is_taken() {
        for c in codes::PROTOCOL {
            assert!(taken(c.code).is_some(), "{}", c.code);
        }
        for c in codes::CLIENT {
            assert!(taken(c.code).is_some(), "{}", c.code);
        }
        assert_eq!(taken("SEAT_TAKEN"), None);
    }

    #[test]
    fn a_manifest_declaring_a_framework_code_is_refused() {
        let manifest = json!({
            "version": 1, "channels": [], "forms": [],
            "functions": [{
                "name": "reserve", "kind": "mutation", "input": { "type": "object" }, "output": {},
                "errors": [{ "code": "NOT_FOUND", "status": 404, "data": null }],
            }],
        });
        let e = crate::Manifest::from_json(&manifest).unwrap_err().to_string();
        assert!(e.contains("function `reserve`: error code `NOT_FOUND` is the framework's code"), "{e}");
        let mut good = manifest.clone();
        good["functions"][0]["errors"][0]["code"] = json!("SEAT_TAKEN");
        let read = crate::Manifest::from_json(&good).unwrap();
        assert_eq!(read.functions[0].errors[0].code, "SEAT_TAKEN");
        assert_eq!(read.to_json()["functions"][0]["errors"], good["functions"][0]["errors"]);
        let mut none = manifest;
        none["functions"][0]["errors"] = json!(null);
        let read = crate::Manifest::from_json(&none).unwrap();
        assert!(read.functions[0].errors.is_empty());
        assert!(read.to_json()["functions"][0].get("errors").is_none(), "no errors, no key");
    }

    #[test]
    fn data_is_null_when_absent() {
        let v = serde_json::to_value(declared("SOLD_OUT", 409)).unwrap();
        assert_eq!(v, json!({ "code": "SOLD_OUT", "status": 409, "data": null }));
        let read: DeclaredError = serde_json::from_value(json!({ "code": "A", "status": 409 })).unwrap();
        assert_eq!(read.data, None);
        assert!(
            serde_json::from_value::<DeclaredError>(json!({ "code": "A", "status": 409, "x": 1 })).is_err()
        );
    }
}
