//! Function naming on the server: the wire-name rule, from
//! `mizan_manifest::naming` (which also checks every generated TypeScript
//! name, in `App::manifest`).

pub(crate) use mizan_manifest::naming::is_valid_channel_name;
use mizan_manifest::naming::is_valid_function_name;

/// Checks `[a-z][a-z0-9_]*`, dot-separated segments allowed (forms).
pub(crate) fn check_wire_name(name: &str) -> Result<(), String> {
    if is_valid_function_name(name) {
        Ok(())
    } else {
        Err(format!("`{name}` is not a valid function name: use [a-z][a-z0-9_]*"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names() {
        assert!(check_wire_name("echo").is_ok());
        assert!(check_wire_name("list_posts2").is_ok());
        assert!(check_wire_name("contact.submit").is_ok());
        for bad in ["", "Echo", "2fa", "_x", "a-b", "a..b", "a.", "ünï"] {
            assert!(check_wire_name(bad).is_err(), "{bad}");
        }
    }
}
