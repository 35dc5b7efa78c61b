//! Output checks in dev mode: each output (each item of a stream) judged
//! against the output schema the manifest publishes for it, any mismatch
//! logged as a `warn` with the request id. The answer is sent as it is:
//! the check tells the developer, it never changes what the client gets.
//!
//! Only dev mode checks: in production the checker is never reached (its
//! schema is not even compiled), which [`calls`] lets a test count.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use crate::error::join_path;
use crate::rules::Contract;

/// One function's output check, its schema compiled on first use.
pub(crate) struct OutputCheck {
    /// The function's registered name.
    name: String,
    root: fn() -> Value,
    contract: OnceLock<Contract>,
}

/// How many times the checker ran, per function name.
fn counts() -> &'static Mutex<HashMap<String, u64>> {
    static COUNTS: OnceLock<Mutex<HashMap<String, u64>>> = OnceLock::new();
    COUNTS.get_or_init(Mutex::default)
}

/// How many outputs (stream items included) of functions named `name` the
/// dev-mode checker has judged in this process.
pub(crate) fn calls(name: &str) -> u64 {
    counts().lock().unwrap_or_else(|e| e.into_inner()).get(name).copied().unwrap_or(0)
}

impl OutputCheck {
    /// The check of the outputs of function `name`, whose root schema
    /// `root` gives (serialize side).
    pub(crate) fn new(name: &str, root: fn() -> Value) -> Self {
        Self { name: name.to_owned(), root, contract: OnceLock::new() }
    }

    /// Judges one `{"data": …}` envelope, logging what does not match
    /// under `request_id`.
    pub(crate) fn check(&self, envelope: &[u8], request_id: &str) {
        let name = self.name.as_str();
        *counts().lock().unwrap_or_else(|e| e.into_inner()).entry(self.name.clone()).or_default() += 1;
        let contract = self.contract.get_or_init(|| Contract::output(&(self.root)()));
        let data = match serde_json::from_slice::<Value>(envelope) {
            Ok(Value::Object(mut envelope)) => envelope.remove("data").unwrap_or(Value::Null),
            _ => return,
        };
        let issues = contract.check(&data);
        if issues.is_empty() {
            return;
        }
        let found: Vec<String> = issues
            .iter()
            .map(|issue| {
                let at = join_path(&issue.path);
                let code = serde_json::to_value(issue.code).unwrap_or_default();
                let at = if at.is_empty() { "." } else { &at };
                format!("{} at `{at}`: {}", code.as_str().unwrap_or("custom"), issue.message)
            })
            .collect();
        tracing::warn!(
            target: "mizan::output",
            request_id = %request_id,
            function = %name,
            "the output of `{name}` does not match its schema (dev mode check): {}",
            found.join("; ")
        );
    }
}
