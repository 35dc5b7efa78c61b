//! Password hashing with Argon2id, bounded in time and memory.
//!
//! Each hash needs ~19 MiB of working memory and a core for tens of
//! milliseconds. Allocated and freed per hash, those buffers sit under
//! glibc's dynamic mmap threshold and stay in the heap: a burst of failed
//! logins once took a server from 11 MB to 870 MB, never given back. So a
//! [`Hasher`] runs at most `concurrency` hashes at once on the blocking
//! pool, each in a buffer of [`Block`]s it takes from a pool (one per
//! permit, allocated once and reused by every later hash), and lets at most
//! `queue` more wait: past that, a hash is refused at once with
//! `RATE_LIMITED` and a `retry-after`, so a flood cannot queue a
//! legitimate login behind minutes of work.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

use crate::{Error, Result};

/// Hashes that run at once by default.
pub(crate) const DEFAULT_CONCURRENCY: usize = 2;
/// Hashes that may wait for a turn by default.
pub(crate) const DEFAULT_QUEUE: usize = 32;
/// What a refusal for a full queue tells the client to wait, in seconds.
const QUEUE_FULL_RETRY_AFTER: u64 = 1;

/// The bounded hasher: permits, the waiting count, the buffers. Cheap to
/// clone; clones share all of it.
#[derive(Clone)]
pub(crate) struct Hasher {
    shared: Arc<Shared>,
}

struct Shared {
    permits: Arc<Semaphore>,
    /// Hashes running or waiting; at most `concurrency + queue`.
    pending: AtomicUsize,
    concurrency: usize,
    queue: usize,
    /// Buffers not in use; never more than `concurrency` exist.
    buffers: Mutex<Vec<Vec<Block>>>,
    params: Params,
    /// A hash no password has, made on first use with `params`.
    dummy: OnceLock<String>,
}

/// What checking a password against a stored hash found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Checked {
    /// The password is the one hashed.
    pub(crate) matches: bool,
    /// The hash was made with other parameters (or another variant or
    /// version) than the current ones, and is worth redoing.
    pub(crate) outdated: bool,
}

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hasher")
            .field("concurrency", &self.shared.concurrency)
            .field("queue", &self.shared.queue)
            .finish_non_exhaustive()
    }
}

impl Default for Hasher {
    fn default() -> Self {
        Self::new(DEFAULT_CONCURRENCY, DEFAULT_QUEUE)
    }
}

impl Hasher {
    /// A hasher running at most `concurrency` (at least 1) hashes at once,
    /// with at most `queue` more waiting, with Argon2id's default
    /// parameters (19 MiB, 2 passes, 1 lane).
    pub(crate) fn new(concurrency: usize, queue: usize) -> Self {
        Self::with_params(concurrency, queue, Params::default())
    }

    fn with_params(concurrency: usize, queue: usize, params: Params) -> Self {
        let concurrency = concurrency.max(1);
        Self {
            shared: Arc::new(Shared {
                permits: Arc::new(Semaphore::new(concurrency)),
                pending: AtomicUsize::new(0),
                concurrency,
                queue,
                buffers: Mutex::new(Vec::with_capacity(concurrency)),
                params,
                dummy: OnceLock::new(),
            }),
        }
    }

    /// Hashes at most this many passwords at once.
    pub(crate) fn concurrency(&self) -> usize {
        self.shared.concurrency
    }

    /// Lets at most this many hashes wait.
    pub(crate) fn queue(&self) -> usize {
        self.shared.queue
    }

    /// Hashes `password` into a PHC string (`$argon2id$v=19$…`) with a
    /// fresh salt.
    pub(crate) async fn hash(&self, password: String) -> Result<String> {
        let salt = argon2::password_hash::generate_salt();
        self.run(move |s, buf| s.hash_now(password.as_bytes(), &salt, buf)).await
    }

    /// Hashes `password` again with the current parameters and the salt of
    /// `stored` (its hash of the same password), so the session fingerprint
    /// ([`fingerprint`]) stays the same.
    pub(crate) async fn rehash(&self, password: String, stored: String) -> Result<String> {
        self.run(move |s, buf| {
            let parsed = PasswordHash::new(&stored)
                .map_err(|e| Error::internal(format!("a stored password hash does not parse: {e}")))?;
            let salt = parsed.salt.ok_or_else(|| Error::internal("a stored password hash has no salt"))?;
            s.hash_now(password.as_bytes(), &salt, buf)
        })
        .await
    }

    /// Checks `password` against the PHC string `stored`. An unparsable
    /// hash never matches (and is logged).
    pub(crate) async fn verify(&self, password: String, stored: String) -> Result<Checked> {
        self.run(move |s, buf| Ok(s.verify_now(password.as_bytes(), &stored, buf))).await
    }

    /// Burns the same work as a real check, against a hash no password has,
    /// so an unknown username takes as long to refuse as a wrong password.
    pub(crate) async fn verify_dummy(&self, password: String) -> Result<()> {
        self.run(move |s, buf| {
            let dummy = match s.dummy.get() {
                Some(d) => d,
                None => {
                    let secret = uuid::Uuid::new_v4();
                    let salt = argon2::password_hash::generate_salt();
                    let made = s.hash_now(secret.as_bytes(), &salt, buf)?;
                    s.dummy.get_or_init(|| made)
                }
            };
            let _ = s.verify_now(password.as_bytes(), dummy, buf);
            Ok(())
        })
        .await
    }

    /// Runs `f` on the blocking pool with a permit and a buffer; refuses at
    /// once when `queue` hashes already wait. The permit and the buffer go
    /// back when `f` ends, even if the caller stopped waiting for it.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Shared, &mut Vec<Block>) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let pending = Pending::enter(&self.shared)?;
        let permit = Arc::clone(&self.shared.permits)
            .acquire_owned()
            .await
            .map_err(|_| Error::internal("the password hasher is closed"))?;
        let shared = Arc::clone(&self.shared);
        tokio::task::spawn_blocking(move || {
            let _pending = pending;
            let _permit = permit;
            let mut buffer = shared.take_buffer();
            let result = f(&shared, &mut buffer);
            shared.give_back(buffer);
            result
        })
        .await
        .map_err(|e| Error::internal(format!("password hashing task failed: {e}")))?
    }
}

/// One hash counted as running or waiting, until dropped.
struct Pending(Arc<Shared>);

impl Pending {
    fn enter(shared: &Arc<Shared>) -> Result<Self> {
        let limit = shared.concurrency + shared.queue;
        let before = shared.pending.fetch_add(1, Ordering::AcqRel);
        let pending = Self(Arc::clone(shared));
        if before >= limit {
            return Err(Error::rate_limited("too many password checks are waiting; try again shortly")
                .with_retry_after(QUEUE_FULL_RETRY_AFTER));
        }
        Ok(pending)
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        self.0.pending.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Shared {
    /// A free buffer, or a new empty one (sized on first use) when every
    /// existing one is taken (only until `concurrency` exist: each permit
    /// holds at most one).
    fn take_buffer(&self) -> Vec<Block> {
        self.buffers.lock().map(|mut b| b.pop()).unwrap_or_default().unwrap_or_default()
    }

    fn give_back(&self, buffer: Vec<Block>) {
        if let Ok(mut buffers) = self.buffers.lock() {
            buffers.push(buffer);
        }
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    fn hash_now(&self, password: &[u8], salt: &[u8], buffer: &mut Vec<Block>) -> Result<String> {
        let failed = |e: &dyn std::fmt::Display| Error::internal(format!("password hashing failed: {e}"));
        let argon2 = self.argon2();
        let len = self.params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
        let output = compute(&argon2, password, salt, len, buffer).map_err(|e| failed(&e))?;
        let hash = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&self.params).map_err(|e| failed(&e))?,
            salt: Some(Salt::new(salt).map_err(|e| failed(&e))?),
            hash: Some(output),
        };
        Ok(hash.to_string())
    }

    fn verify_now(&self, password: &[u8], stored: &str, buffer: &mut Vec<Block>) -> Checked {
        let wrong = Checked { matches: false, outdated: false };
        let parsed = match PasswordHash::new(stored) {
            Ok(p) => p,
            Err(e) => {
                tracing::error!("a stored password hash does not parse: {e}");
                return wrong;
            }
        };
        let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
            tracing::error!("a stored password hash has no salt or no output");
            return wrong;
        };
        let used = Algorithm::new(parsed.algorithm.as_str()).and_then(|algorithm| {
            let version = parsed.version.map_or(Ok(Version::default()), Version::try_from)?;
            let params = Params::try_from(&parsed).map_err(|_| argon2::Error::AlgorithmInvalid)?;
            Ok((algorithm, version, params))
        });
        let (algorithm, version, params) = match used {
            Ok(u) => u,
            Err(e) => {
                tracing::error!("a stored password hash has unusable parameters: {e}");
                return wrong;
            }
        };
        let outdated = algorithm != Algorithm::Argon2id
            || version != Version::V0x13
            || params.m_cost() != self.params.m_cost()
            || params.t_cost() != self.params.t_cost()
            || params.p_cost() != self.params.p_cost()
            || expected.len() != self.params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
        let argon2 = Argon2::new(algorithm, version, params);
        match compute(&argon2, password, salt, expected.len(), buffer) {
            // `Output`'s equality is constant-time.
            Ok(computed) => Checked { matches: computed == *expected, outdated },
            Err(e) => {
                tracing::error!("a stored password hash cannot be checked: {e}");
                wrong
            }
        }
    }
}

/// One Argon2 run into `buffer`, grown to the blocks `argon2` needs (once:
/// later runs with the same parameters reuse it as it is).
fn compute(
    argon2: &Argon2<'_>,
    password: &[u8],
    salt: &[u8],
    len: usize,
    buffer: &mut Vec<Block>,
) -> std::result::Result<Output, argon2::Error> {
    let blocks = argon2.params().block_count();
    if buffer.len() < blocks {
        buffer.resize(blocks, Block::new());
    }
    let mut bytes = [0u8; Output::MAX_LENGTH];
    let out = bytes.get_mut(..len).ok_or(argon2::Error::OutputTooLong)?;
    argon2.hash_password_into_with_memory(password, salt, out, &mut buffer[..blocks])?;
    Output::new(out).map_err(|_| argon2::Error::OutputTooShort)
}

/// What a session remembers of the password it was opened with: the hash's
/// salt, which changes with every new password. A session whose fingerprint
/// no longer matches (the password was changed) is anonymous again.
pub(crate) fn fingerprint(stored: &str) -> &str {
    stored.rsplit('$').nth(1).unwrap_or_default()
}

#[cfg(test)]
mod tests;
