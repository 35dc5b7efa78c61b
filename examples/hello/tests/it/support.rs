//! The test kit: the `hello` binary, started on a free port.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

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
/// read from its first line, `listening on URL`.
pub(crate) fn listen(cmd: &mut Command) -> (Child, String) {
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
