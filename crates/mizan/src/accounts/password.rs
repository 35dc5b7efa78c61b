//! Password hashing with Argon2id (the `argon2` crate's password-hash API),
//! off the async runtime.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::{Error, Result};

/// Hashes `password` into a PHC string (`$argon2id$v=19$…`) with a fresh salt.
pub(crate) async fn hash(password: String) -> Result<String> {
    blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| Error::internal(format!("password hashing failed: {e}")))
    })
    .await
}

/// Whether `password` matches the PHC string `stored`. An unparsable hash
/// never matches (and is logged).
pub(crate) async fn verify(password: String, stored: String) -> Result<bool> {
    blocking(move || Ok(verify_now(&password, &stored))).await
}

/// Burns the same work as a real check, against a hash no password has, so
/// an unknown username takes as long to refuse as a wrong password.
pub(crate) async fn verify_dummy(password: String) -> Result<()> {
    blocking(move || {
        let _ = verify_now(&password, dummy_hash());
        Ok(())
    })
    .await
}

fn verify_now(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(e) => {
            tracing::error!("a stored password hash does not parse: {e}");
            false
        }
    }
}

/// A hash made once per process from random bytes, with the default
/// parameters real hashes use.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let secret = uuid::Uuid::new_v4().simple().to_string();
        Argon2::default().hash_password(secret.as_bytes()).map(|h| h.to_string()).unwrap_or_default()
    })
}

/// What a session remembers of the password it was opened with: the hash's
/// salt, which changes with every new password. A session whose fingerprint
/// no longer matches (the password was changed) is anonymous again.
pub(crate) fn fingerprint(stored: &str) -> &str {
    stored.rsplit('$').nth(1).unwrap_or_default()
}

/// Runs one hash or verification on the blocking pool. At most one per
/// core runs at once (each takes ~19 MiB and a core for tens of
/// milliseconds): a burst of logins queues here instead of exhausting
/// memory and the blocking pool.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    let permits = PERMITS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
    });
    let _permit =
        permits.acquire().await.map_err(|_| Error::internal("the password hashing limiter is closed"))?;
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::internal(format!("password hashing task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let a = hash("correct horse".into()).await.expect("hash");
        let b = hash("correct horse".into()).await.expect("hash");
        assert!(a.starts_with("$argon2id$") && a != b, "salted: {a} {b}");
        assert!(verify("correct horse".into(), a.clone()).await.expect("verify"));
        assert!(!verify("wrong horse".into(), a.clone()).await.expect("verify"));
        assert!(!verify("x".into(), "not a hash".into()).await.expect("verify"));
        assert_ne!(fingerprint(&a), fingerprint(&b));
        assert!(!fingerprint(&a).is_empty());
        verify_dummy("x".into()).await.expect("dummy");
    }
}
