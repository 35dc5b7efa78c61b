//! mizan-cli's integration tests, one binary. Run:
//! `cargo test -p mizan-cli --test it`.

mod cli;
