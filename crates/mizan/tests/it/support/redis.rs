//! Redis servers for the Redis channel-layer tests.

use std::time::Duration;

/// A Redis server this test started on a free port; killed on drop.
pub(crate) struct OwnRedis {
    pub(crate) port: u16,
    child: Option<std::process::Child>,
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

const HOW_TO_FIX: &str = "the Redis channel-layer tests need Redis: install it (`apt-get install redis-server`, \
     which provides the `redis-server` binary these tests start on free ports) or point $REDIS_URL at a running one";

impl OwnRedis {
    /// Starts a Redis on a free port and waits until it answers.
    pub(crate) fn start() -> Self {
        let mut me = Self { port: free_port(), child: None };
        me.restart();
        me
    }

    /// `redis://127.0.0.1:PORT`
    pub(crate) fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts (again) on the same port and waits until it answers.
    pub(crate) fn restart(&mut self) {
        assert!(self.child.is_none(), "already running");
        let child = std::process::Command::new("redis-server")
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start redis-server ({e}): {HOW_TO_FIX}"));
        self.child = Some(child);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !redis_answers(&self.url()) {
            assert!(
                std::time::Instant::now() < deadline,
                "redis-server on port {} did not come up",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops it (it can be restarted).
    pub(crate) fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Whether a Redis at `url` (redis://host:port) answers PING.
pub(crate) fn redis_answers(url: &str) -> bool {
    use std::io::{Read, Write};
    let hostport = url.trim_start_matches("redis://").split('/').next().unwrap_or_default();
    let hostport = hostport.rsplit('@').next().unwrap_or(hostport);
    let Ok(addr) = std::net::ToSocketAddrs::to_socket_addrs(hostport).map(|mut a| a.next()) else {
        return false;
    };
    let Some(addr) = addr else { return false };
    let Ok(mut s) = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(500)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    if s.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut buf = [0u8; 7];
    s.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n"
}

/// `$REDIS_URL` (default redis://127.0.0.1:6379) when it answers; otherwise
/// a Redis of the test's own. Fails with how to fix it when neither works.
pub(crate) enum SharedRedis {
    External(String),
    Own(OwnRedis),
}

impl SharedRedis {
    /// The Redis to use.
    pub(crate) fn get() -> Self {
        let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
        if redis_answers(&url) {
            return Self::External(url);
        }
        let which = std::process::Command::new("redis-server").arg("--version").output();
        if which.is_err() {
            panic!("no Redis answers at {url} and redis-server cannot be started: {HOW_TO_FIX}");
        }
        Self::Own(OwnRedis::start())
    }

    /// Its URL.
    pub(crate) fn url(&self) -> String {
        match self {
            Self::External(u) => u.clone(),
            Self::Own(o) => o.url(),
        }
    }
}

/// A Redis key prefix no other test run shares.
pub(crate) fn unique_prefix() -> String {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is past 1970")
        .as_nanos();
    format!("mizan-test:{}:{t}:{n}:", std::process::id())
}
