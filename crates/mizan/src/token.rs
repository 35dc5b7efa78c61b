//! Random tokens: request ids, CSRF tokens, jitter and process ids.

/// A random 128-bit value in hex (32 characters).
pub(crate) fn random_hex() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}
