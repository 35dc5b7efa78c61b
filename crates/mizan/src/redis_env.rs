//! `$REDIS_URL`, read the same way by every part that can live in Redis
//! (the channel layer, the rate-limit store).

/// `Ok(Some(url))` when `$REDIS_URL` is set and not empty, `Ok(None)` when
/// it is not. Without the `redis` feature a set `$REDIS_URL` is an error
/// (a start-up error where it is used) rather than state silently kept per
/// process.
pub(crate) fn redis_url() -> Result<Option<String>, String> {
    match std::env::var("REDIS_URL") {
        Ok(url) if !url.is_empty() => {
            if cfg!(feature = "redis") {
                Ok(Some(url))
            } else {
                Err("REDIS_URL is set but mizan was built without its `redis` feature".to_owned())
            }
        }
        _ => Ok(None),
    }
}
