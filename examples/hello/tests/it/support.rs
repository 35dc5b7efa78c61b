//! The test kit: the `hello` binary, started on a free port.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The `hello` binary cargo built for these tests.
pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_hello");

/// A process killed (and reaped) on drop.
pub(crate) struct Proc(pub(crate) Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Spawns `cmd` (a `hello` that serves) on a free port (`MIZAN_ADDR` is
/// `127.0.0.1:0`, `RUST_LOG` is `warn`) and returns it with its base URL,
/// read from its first line, `listening on URL`. Unless the test sets
/// `REDIS_URL` itself, the server runs without it, so that its rate-limit
/// counts stay its own (`scripts/test` exports `REDIS_URL`, and counts kept
/// in a shared Redis would outlive the run).
pub(crate) fn listen(cmd: &mut Command) -> (Child, String) {
    if !cmd.get_envs().any(|(key, _)| key == "REDIS_URL") {
        cmd.env_remove("REDIS_URL");
    }
    let mut child = cmd
        .env("MIZAN_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn hello");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("read the listening line");
    let url =
        line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    (child, url.to_owned())
}

/// What a test that starts Redis needs.
const HOW_TO_FIX: &str = "this test needs the `redis-server` binary (apt-get install redis-server)";

/// A free TCP port on 127.0.0.1.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// A `redis-server` of the test's own on `port`, keeping nothing on disk;
/// killed on drop. Fails loudly when the binary is missing.
pub(crate) fn redis_server(port: u16) -> Proc {
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start redis-server ({e}): {HOW_TO_FIX}"));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "redis-server did not come up on {port}");
        std::thread::sleep(Duration::from_millis(20));
    }
    Proc(child)
}
