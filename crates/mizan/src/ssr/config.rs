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
///     .recycle_after(500)
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
            recycle_after: 10_000,
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
    /// workers recycled after 10 000 renders, the app's mode (production
    /// for a pool made directly), mounted under `/api/mizan`.
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

    /// How long one render may run before its worker is killed and replaced
    /// and the render fails with `TIMEOUT` (504). Default 5 s. A render that
    /// waited longer than this in a worker's queue fails the same way.
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

    /// Renders a worker serves before it is replaced by a fresh one (default
    /// 10 000; 0 never recycles).
    pub fn recycle_after(mut self, renders: u64) -> Self {
        self.recycle_after = renders;
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
