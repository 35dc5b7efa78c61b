//! `BIN createuser USERNAME [--staff] [--superuser]`: the password comes
//! from `$MIZAN_PASSWORD`, or else the first line of standard input.

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

/// `$MIZAN_PASSWORD`, or the first line of stdin without its line ending.
fn password() -> std::io::Result<String> {
    if let Ok(p) = std::env::var("MIZAN_PASSWORD") {
        return Ok(p);
    }
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprint!("Password (shown as typed): ");
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.strip_suffix('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).unwrap_or(&line).to_owned())
}
