//! What a username and a password must look like.

use crate::error::{Issue, IssueCode, PathSegment};
use crate::{Error, Result};

/// Longest username, in characters.
pub const USERNAME_MAX_CHARS: usize = 150;
/// Longest password, in characters (hashing cost does not grow with it,
/// but nothing needs more).
pub const PASSWORD_MAX_CHARS: usize = 1024;
/// Default shortest password, in characters ([`Accounts::password_min_chars`](super::Accounts::password_min_chars)).
pub const PASSWORD_MIN_CHARS: usize = 8;

fn issue(field: &str, code: IssueCode, message: String) -> Issue {
    Issue { path: vec![PathSegment::Key(field.to_owned())], code, message }
}

/// Checks a new username and password; every problem is reported at once,
/// as a `VALIDATION` error with field errors under `username` / `password`.
pub(crate) fn check_new(username: &str, password: &str, min_password: usize) -> Result<()> {
    let mut issues = Vec::new();
    let n = username.chars().count();
    if n == 0 {
        issues.push(issue("username", IssueCode::TooSmall, "must not be empty".into()));
    } else if n > USERNAME_MAX_CHARS {
        issues.push(issue(
            "username",
            IssueCode::TooBig,
            format!("must be at most {USERNAME_MAX_CHARS} characters"),
        ));
    } else if !username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '@' | '+' | '-'))
    {
        issues.push(issue(
            "username",
            IssueCode::InvalidFormat,
            "may contain only letters, digits and _ . @ + -".into(),
        ));
    }
    if let Err(i) = check_password_issue(password, min_password) {
        issues.push(i);
    }
    into_result(issues)
}

/// Checks a new password alone.
pub(crate) fn check_password(password: &str, min_password: usize) -> Result<()> {
    into_result(check_password_issue(password, min_password).err().into_iter().collect())
}

fn check_password_issue(password: &str, min: usize) -> Result<(), Issue> {
    let n = password.chars().count();
    if n < min {
        Err(issue("password", IssueCode::TooSmall, format!("must be at least {min} characters")))
    } else if n > PASSWORD_MAX_CHARS {
        Err(issue("password", IssueCode::TooBig, format!("must be at most {PASSWORD_MAX_CHARS} characters")))
    } else {
        Ok(())
    }
}

fn into_result(issues: Vec<Issue>) -> Result<()> {
    if issues.is_empty() {
        return Ok(());
    }
    Err(issues
        .into_iter()
        .fold(Error::validation("the username or password does not follow the rules"), Error::with_issue))
}

/// The error for a username someone already has (compared case-insensitively).
pub(crate) fn taken() -> Error {
    Error::validation("that username is taken").with_issue(issue(
        "username",
        IssueCode::Custom,
        "a user with that username already exists".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_reported_under_its_field() {
        let e = check_new("bad name", "short", 8).expect_err("refused");
        assert_eq!(e.code(), "VALIDATION");
        assert_eq!(e.status().as_u16(), 422);
        assert!(e.fields().contains_key("username") && e.fields().contains_key("password"), "{e:?}");
        assert!(check_new("ada.l+test@x-y_z", "12345678", 8).is_ok());
        assert!(check_new(&"a".repeat(151), "12345678", 8).is_err());
        assert!(check_new("ünï", "12345678", 8).is_err());
        // Code points, not bytes.
        assert!(check_password("ééééééé", 8).is_err() && check_password("éééééééé", 8).is_ok());
    }
}
