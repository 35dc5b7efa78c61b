//! `BIN createuser USERNAME [--staff] [--superuser]`: the password comes
//! from `$MIZAN_PASSWORD`, or else standard input: typed at a terminal
//! without being echoed, or the first line of a pipe or file.

use std::io::BufRead;

use super::Accounts;
use crate::Role;

/// The usage line [`crate::cli`] prints.
pub(crate) const USAGE: &str =
    "BIN createuser USERNAME [--staff] [--superuser]  (password: $MIZAN_PASSWORD or stdin)";

/// Runs `createuser` with the arguments after it; returns the exit code.
pub(crate) async fn createuser(accounts: &Accounts, args: &[String]) -> i32 {
    let mut username = None;
    let mut role = Role::User;
    for a in args {
        match a.as_str() {
            "--staff" => role = role.max(Role::Staff),
            "--superuser" => role = Role::Superuser,
            flag if flag.starts_with('-') => return usage(&format!("unknown option {flag}")),
            name if username.is_none() => username = Some(name.to_owned()),
            _ => return usage("createuser takes one USERNAME"),
        }
    }
    let Some(username) = username else { return usage("createuser needs a USERNAME") };
    let password = match password() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("cannot read the password: {e}");
            return 1;
        }
    };
    let created = accounts.create_user(&username, &password, role).await;
    accounts.close().await;
    match created {
        Ok(user) => {
            println!("created user {} (id {}, {:?})", user.username, user.id, user.role());
            0
        }
        Err(e) => {
            eprintln!("cannot create user {username}: {}", e.message());
            for (field, messages) in e.fields() {
                for m in messages {
                    eprintln!("  {field}: {m}");
                }
            }
            1
        }
    }
}

fn usage(problem: &str) -> i32 {
    eprintln!("{problem}\nusage: {USAGE}");
    2
}

/// Where the password is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    /// `$MIZAN_PASSWORD`, as it is.
    Env(String),
    /// Typed at the terminal, with echo off.
    Terminal,
    /// The first line of stdin (a pipe or a file).
    Stdin,
}

/// `$MIZAN_PASSWORD` wins; otherwise a terminal on stdin is prompted
/// without echo, and anything else is read as lines.
fn source(env: Option<String>, stdin_is_terminal: bool) -> Source {
    match env {
        Some(p) => Source::Env(p),
        None if stdin_is_terminal => Source::Terminal,
        None => Source::Stdin,
    }
}

fn password() -> std::io::Result<String> {
    let env = std::env::var("MIZAN_PASSWORD").ok();
    match source(env, std::io::IsTerminal::is_terminal(&std::io::stdin())) {
        Source::Env(p) => Ok(p),
        Source::Terminal => rpassword::prompt_password("Password: "),
        Source::Stdin => first_line(&mut std::io::stdin().lock()),
    }
}

/// The first line of `input` without its line ending.
fn first_line(input: &mut impl BufRead) -> std::io::Result<String> {
    let mut line = String::new();
    input.read_line(&mut line)?;
    Ok(line.strip_suffix('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).unwrap_or(&line).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terminal_is_prompted_only_when_stdin_is_one() {
        assert_eq!(source(None, true), Source::Terminal);
        assert_eq!(source(None, false), Source::Stdin);
        assert_eq!(source(Some("from env".into()), true), Source::Env("from env".into()));
        assert_eq!(source(Some(String::new()), false), Source::Env(String::new()));
    }

    #[test]
    fn a_pipe_gives_its_first_line() {
        let read = |text: &str| first_line(&mut std::io::Cursor::new(text.as_bytes())).expect("read");
        assert_eq!(read("secret one\nsecond line\n"), "secret one");
        assert_eq!(read("windows line\r\n"), "windows line");
        assert_eq!(read("no newline"), "no newline");
        assert_eq!(read(""), "");
    }
}
