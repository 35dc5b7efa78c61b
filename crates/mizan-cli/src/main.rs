//! `mizan-cli`: generates a mizan frontend's TypeScript from a manifest
//! file, for backends that are not built on `mizan::cli`.
//!
//! ```text
//! mizan-cli generate --manifest manifest.json --out frontend/src/api [--check]
//! ```
//!
//! `--manifest -` reads standard input. Exit status: 0 on success, 1 when
//! `--check` finds the directory out of date (the summary goes to stderr),
//! 2 on usage errors, unreadable or invalid manifests, refused schemas and
//! I/O errors. `generate` is `mizan_codegen::run`, which a `mizan::cli`
//! binary's `generate` also runs, so both exit alike on the same manifest.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Generate the typed TypeScript surface of a mizan manifest.
#[derive(Parser)]
#[command(name = "mizan-cli", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write (or with --check, compare) the generated TypeScript.
    Generate {
        /// The manifest JSON file (`-` for standard input).
        #[arg(long, value_name = "FILE")]
        manifest: PathBuf,
        /// The directory that holds the generated files.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Write nothing; exit 1 if DIR differs in any way (stray files included).
        #[arg(long)]
        check: bool,
    },
}

fn read_manifest(path: &Path) -> Result<serde_json::Value, String> {
    let text = if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read the manifest from standard input: {e}"))?;
        text
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?
    };
    serde_json::from_str(&text).map_err(|e| format!("{} is not valid JSON: {e}", path.display()))
}

fn main() -> ExitCode {
    let Command::Generate { manifest, out, check } = Cli::parse().command;
    let value = match read_manifest(&manifest) {
        Ok(value) => value,
        Err(message) => {
            eprintln!("mizan-cli: {message}");
            return ExitCode::from(2);
        }
    };
    let outcome = mizan_codegen::run(&value, &out, check);
    if !matches!(outcome, mizan_codegen::Outcome::UpToDate) {
        eprintln!("mizan-cli: {outcome}");
    }
    ExitCode::from(outcome.exit_code())
}
