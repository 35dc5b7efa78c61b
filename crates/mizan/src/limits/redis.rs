//! Fixed windows in Redis, shared by every process of a site.
//!
//! Each key is a hash `{s: window start (ms, Redis's clock), c: count}`
//! expiring with its window. Taking and refunding are Lua scripts, so a
//! check of several keys and their counting are one atomic step, and every
//! process reads the same clock.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use redis::AsyncConnectionConfig;
use redis::aio::MultiplexedConnection;

use super::Hit;

const TIMEOUT: Duration = Duration::from_millis(500);
/// How long a process counts on its own after Redis failed, before trying it again.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(1);

/// KEYS: the counters. ARGV: count, window (ms) for each. Answers `{0, wait
/// ms}` when one is spent (nothing counted), else `{1, start…}`.
const TAKE: &str = r"
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
for i, key in ipairs(KEYS) do
  local limit, window = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  local w = redis.call('HMGET', key, 's', 'c')
  local s, c = tonumber(w[1]), tonumber(w[2])
  if limit == 0 and window > wait then wait = window end
  if s and c and now < s + window and c >= limit and s + window - now > wait then
    wait = s + window - now
  end
end
if wait > 0 then return {0, wait} end
local out = {1}
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[2 * i])
  local s = tonumber(redis.call('HGET', key, 's'))
  if not s or now >= s + window then
    s = now
    redis.call('HSET', key, 's', string.format('%d', s), 'c', 1)
    redis.call('PEXPIRE', key, window)
  else
    redis.call('HINCRBY', key, 'c', 1)
  end
  out[#out + 1] = s
end
return out
";

/// KEYS: the counters. ARGV: the window start each was counted in.
const REFUND: &str = r"
for i, key in ipairs(KEYS) do
  if redis.call('HGET', key, 's') == ARGV[i] then
    local c = tonumber(redis.call('HGET', key, 'c'))
    if c and c > 0 then redis.call('HINCRBY', key, 'c', -1) end
  end
end
return 0
";

pub(super) struct Shared {
    client: redis::Client,
    prefix: String,
    conn: tokio::sync::Mutex<Option<MultiplexedConnection>>,
    /// While set and in the future, Redis is not tried (it failed lately).
    down_until: Mutex<Option<Instant>>,
}

impl Shared {
    pub(super) fn new(url: &str, prefix: String) -> Result<Self, String> {
        let client =
            redis::Client::open(url).map_err(|e| format!("invalid Redis URL for rate limits: {e}"))?;
        Ok(Self { client, prefix, conn: tokio::sync::Mutex::default(), down_until: Mutex::default() })
    }

    /// The hits taken in Redis (`Err` with the wait when one is spent), or
    /// `None` when Redis cannot answer: the caller counts locally.
    pub(super) async fn take(&self, hits: &[Hit]) -> Option<Result<Vec<i64>, Duration>> {
        if self.resting() {
            return None;
        }
        let mut cmd = redis::cmd("EVAL");
        cmd.arg(TAKE).arg(hits.len());
        for hit in hits {
            cmd.arg(format!("{}{}", self.prefix, hit.key));
        }
        for hit in hits {
            let window = u64::try_from(hit.rate.period().as_millis()).unwrap_or(u64::MAX);
            cmd.arg(hit.rate.count()).arg(window);
        }
        let answer: Vec<i64> = self.run(&cmd).await?;
        match answer.as_slice() {
            [0, wait] => Some(Err(Duration::from_millis(u64::try_from(*wait).unwrap_or(0)))),
            [1, starts @ ..] if starts.len() == hits.len() => Some(Ok(starts.to_vec())),
            _ => {
                tracing::error!("rate limits: unexpected answer from Redis: {answer:?}");
                None
            }
        }
    }

    /// Gives hits back in Redis (nothing when it cannot be reached).
    pub(super) async fn refund(&self, starts: &[(String, i64)]) {
        if self.resting() {
            return;
        }
        let mut cmd = redis::cmd("EVAL");
        cmd.arg(REFUND).arg(starts.len());
        for (key, _) in starts {
            cmd.arg(format!("{}{key}", self.prefix));
        }
        for (_, start) in starts {
            cmd.arg(start);
        }
        let _: Option<i64> = self.run(&cmd).await;
    }

    /// Whether Redis answers a `PING` now (not while it rests after a failure).
    pub(super) async fn ping(&self) -> bool {
        !self.resting() && self.run::<String>(&redis::cmd("PING")).await.is_some()
    }

    /// Whether Redis failed within the last [`RETRY_AFTER_FAILURE`].
    fn resting(&self) -> bool {
        let down = self.down_until.lock().unwrap_or_else(|e| e.into_inner());
        down.is_some_and(|until| Instant::now() < until)
    }

    /// Runs `cmd`; on failure drops the connection, logs (once per outage)
    /// and rests.
    async fn run<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> Option<T> {
        let result = async {
            let mut conn = self.connection().await?;
            cmd.query_async::<T>(&mut conn).await
        }
        .await;
        let mut down = self.down_until.lock().unwrap_or_else(|e| e.into_inner());
        match result {
            Ok(value) => {
                if down.take().is_some() {
                    tracing::info!("rate limits reach Redis again: counts are shared again");
                }
                Some(value)
            }
            Err(e) => {
                if down.is_none() {
                    tracing::warn!(
                        "rate limits cannot reach Redis ({e}): each process counts on its own until it answers"
                    );
                }
                *down = Some(Instant::now() + RETRY_AFTER_FAILURE);
                drop(down);
                if let Ok(mut conn) = self.conn.try_lock() {
                    *conn = None;
                }
                None
            }
        }
    }

    async fn connection(&self) -> redis::RedisResult<MultiplexedConnection> {
        let mut conn = self.conn.lock().await;
        if let Some(c) = conn.as_ref() {
            return Ok(c.clone());
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(TIMEOUT))
            .set_response_timeout(Some(TIMEOUT));
        let c = self.client.get_multiplexed_async_connection_with_config(&config).await?;
        *conn = Some(c.clone());
        Ok(c)
    }
}
