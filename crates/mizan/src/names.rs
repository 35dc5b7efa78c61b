//! Function naming rules: wire names, TypeScript names and their collisions.

use std::collections::HashMap;

pub(crate) use mizan_codegen::naming::{camel, is_valid_channel_name, pascal};
use mizan_codegen::naming::{is_reserved, is_valid_function_name};

/// Checks `[a-z][a-z0-9_]*`, dot-separated segments allowed (forms).
pub(crate) fn check_wire_name(name: &str) -> Result<(), String> {
    if is_valid_function_name(name) {
        Ok(())
    } else {
        Err(format!("`{name}` is not a valid function name: use [a-z][a-z0-9_]*"))
    }
}

/// Tracks the TypeScript identifiers taken by registered names.
#[derive(Default, Clone)]
pub(crate) struct TsNames {
    taken: HashMap<String, String>,
}

impl TsNames {
    /// Claims the client function and hook names of `name`.
    pub(crate) fn claim(&mut self, name: &str) -> Result<(), String> {
        let fn_name = camel(name);
        if is_reserved(&fn_name) {
            return Err(format!("`{name}` becomes the TypeScript reserved word `{fn_name}`"));
        }
        let idents = [fn_name, format!("use{}", pascal(name))];
        for ident in &idents {
            if let Some(other) = self.taken.get(ident) {
                return Err(format!(
                    "`{name}` and `{other}` both become the TypeScript identifier `{ident}`"
                ));
            }
        }
        for ident in idents {
            self.taken.insert(ident, name.to_owned());
        }
        Ok(())
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

    #[test]
    fn case_conversion() {
        assert_eq!(camel("list_posts"), "listPosts");
        assert_eq!(pascal("list_posts"), "ListPosts");
        assert_eq!(camel("contact.submit"), "contactSubmit");
    }

    #[test]
    fn collisions_and_reserved_words() {
        let mut names = TsNames::default();
        names.claim("list_posts").unwrap();
        assert!(names.claim("list__posts").unwrap_err().contains("listPosts"));
        names.claim("echo").unwrap();
        assert!(names.claim("use_echo").unwrap_err().contains("useEcho"));
        assert!(names.claim("delete").unwrap_err().contains("reserved"));
    }
}
