//! [`Ssr`]: how the render pool is set up.

use std::path::PathBuf;
use std::time::Duration;

/// Server-side rendering configuration: where components live and how the
/// pool of Bun workers behaves.
///
/// ```
/// use std::time::Duration;
/// use mizan::Ssr;
///
/// let ssr = Ssr::new()
///     .dirs([concat!(env!("CARGO_MANIFEST_DIR"), "/frontend")])
///     .workers(2)
///     .deadline(Duration::from_secs(2))
///     .max_memory_growth(128 * 1024 * 1024)
///     .max_age(Duration::from_secs(30 * 60))
///     .title("My site");
/// # let _ = ssr;
/// ```
///
/// Nothing starts when the configuration is built, nor when an app holding
/// it builds its router or prints its manifest: the workers start on the
/// first render (or [`SsrPool::warm_up`](crate::ssr::SsrPool::warm_up)).
#[derive(Debug, Clone)]
pub struct Ssr {
    pub(crate) dirs: Vec<PathBuf>,
    pub(crate) workers: Option<usize>,
    pub(crate) deadline: Duration,
    pub(crate) startup_timeout: Duration,
    pub(crate) recycle_after: u64,
    pub(crate) max_memory_growth: u64,
    pub(crate) max_age: Duration,
    pub(crate) stuck_after: Duration,
    pub(crate) max_in_flight: usize,
    pub(crate) bun: Option<PathBuf>,
    pub(crate) worker_script: Option<PathBuf>,
    pub(crate) dev: Option<bool>,
    pub(crate) title: String,
    pub(crate) head: String,
    pub(crate) lang: String,
    pub(crate) cache_dir: Option<PathBuf>,
    pub(crate) mount_prefix: String,
    /// Set from [`App::page_headers`](crate::App::page_headers).
    pub(crate) page_headers: super::PageHeaders,
}

impl Default for Ssr {
    fn default() -> Self {
        Self {
            dirs: Vec::new(),
            workers: None,
            deadline: Duration::from_secs(5),
            startup_timeout: Duration::from_secs(10),
            recycle_after: 0,
            max_memory_growth: 256 * 1024 * 1024,
            max_age: Duration::from_secs(60 * 60),
            stuck_after: Duration::from_millis(300),
            max_in_flight: 32,
            bun: None,
            worker_script: None,
            dev: None,
            title: String::new(),
            head: String::new(),
            lang: "en".to_owned(),
            cache_dir: None,
            mount_prefix: "/api/mizan".to_owned(),
            page_headers: super::PageHeaders::default(),
        }
    }
}

impl Ssr {
    /// The defaults: no dirs, one worker per core, a 5 s render deadline,
    /// workers recycled when their memory grew by 256 MiB or after an
    /// hour, found stuck after 300 ms without a heartbeat, 32 renders in
    /// flight per worker, the app's mode (production for a pool made
    /// directly), mounted under `/api/mizan`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Directories component names are resolved against, in order (like a
    /// template loader). Replaces any set before.
    pub fn dirs<I, P>(mut self, dirs: I) -> Self
    where
        I: IntoIterator<Item = P>,
        P: Into<PathBuf>,
    {
        self.dirs = dirs.into_iter().map(Into::into).collect();
        self
    }

    /// Number of Bun workers (default: one per core). At least one.
    pub fn workers(mut self, n: usize) -> Self {
        self.workers = Some(n.max(1));
        self
    }

    /// How long one render may take, from when it is first sent to a worker
    /// (or first finds every worker full), before it fails with `TIMEOUT`
    /// (504). Default 5 s. Retries of a render share its deadline, and so do
    /// the calls it makes. A worker stuck on a render past its deadline is
    /// killed and replaced; a healthy worker only drops that render.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// How long a new worker may take to answer its first ping (default
    /// 10 s) before it counts as failed to start.
    pub fn startup_timeout(mut self, timeout: Duration) -> Self {
        self.startup_timeout = timeout;
        self
    }

    /// Renders a worker answers before it is replaced by a fresh one
    /// (default 0: no bound; workers are recycled by
    /// [`max_memory_growth`](Self::max_memory_growth) and
    /// [`max_age`](Self::max_age) instead). A replacement starts at once;
    /// the old worker finishes the renders it has, then exits.
    pub fn recycle_after(mut self, renders: u64) -> Self {
        self.recycle_after = renders;
        self
    }

    /// How much a worker's resident memory may grow over what it used when
    /// it started before it is recycled (default 256 MiB; 0: no bound).
    /// Looked at every few heartbeats.
    pub fn max_memory_growth(mut self, bytes: u64) -> Self {
        self.max_memory_growth = bytes;
        self
    }

    /// How long a worker serves before it is recycled (default an hour;
    /// zero: no bound).
    pub fn max_age(mut self, age: Duration) -> Self {
        self.max_age = age;
        self
    }

    /// How long a worker's event loop may leave a heartbeat ping unanswered
    /// before the worker counts as stuck (default 300 ms; pings go out three
    /// times as often). A stuck worker takes no more renders and is
    /// replaced at once. Left with one render, it is given until that
    /// render's deadline; with several, it is killed and each of them is
    /// sent again alone, in quarantine (one of them is to blame). Set it
    /// above the longest synchronous render you expect.
    pub fn stuck_after(mut self, after: Duration) -> Self {
        self.stuck_after = after.max(Duration::from_millis(30));
        self
    }

    /// Most renders in flight on one worker at once (default 32, at least
    /// 1); more wait for room, under their deadline.
    pub fn max_in_flight(mut self, renders: usize) -> Self {
        self.max_in_flight = renders.max(1);
        self
    }

    /// The Bun executable. By default it is looked up in `node_modules/.bin`
    /// above each dir and above the current directory, then `$MIZAN_BUN`,
    /// then `PATH`.
    pub fn bun(mut self, path: impl Into<PathBuf>) -> Self {
        self.bun = Some(path.into());
        self
    }

    /// A custom worker script speaking the SSR bridge protocol, instead of
    /// `@mizan/ssr/worker` found in `node_modules`.
    pub fn worker_script(mut self, path: impl Into<PathBuf>) -> Self {
        self.worker_script = Some(path.into());
        self
    }

    /// Dev mode: error pages show the component's error and location, and a
    /// changed component file restarts the pool on the next render. Default:
    /// the app's mode ([`App::dev`](crate::App::dev), which
    /// [`cli`](crate::cli) sets from the environment); off for a pool made
    /// directly. Production forces `NODE_ENV=production`.
    pub fn dev(mut self, on: bool) -> Self {
        self.dev = Some(on);
        self
    }

    /// The page's `<title>` (text, escaped).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Extra HTML for `<head>` (trusted markup: stylesheets, meta tags).
    pub fn head(mut self, html: impl Into<String>) -> Self {
        self.head = html.into();
        self
    }

    /// The page's `lang` attribute (default `en`).
    pub fn lang(mut self, lang: impl Into<String>) -> Self {
        self.lang = lang.into();
        self
    }

    /// Where generated hydration entries and browser bundles are written
    /// (default: a directory under the system temp dir, one per set of dirs).
    pub fn cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = Some(dir.into());
        self
    }

    /// The prefix the app's router is mounted under (default `/api/mizan`);
    /// pages load their bundle from `{prefix}/assets/`.
    /// [`App::mount`](crate::App::mount) sets it to its prefix before it
    /// makes the pool.
    pub fn mount_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.mount_prefix = prefix.into();
        self
    }

    /// Whether dev mode is on: [`dev`](Self::dev) as set (by the app, or
    /// explicitly), off when never set.
    pub fn is_dev(&self) -> bool {
        self.dev.unwrap_or(false)
    }

    /// The number of workers the pool runs: the setting, or one per core.
    pub fn worker_count(&self) -> usize {
        self.workers
            .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
            .max(1)
    }
}
