//! Naming: the rules wire names follow, how they become TypeScript names,
//! and the check that every generated name is free. The server runs the
//! check at start-up, codegen before it generates, so a clash is refused in
//! both places with one message.
//!
//! | wire name | TypeScript |
//! |---|---|
//! | function `list_posts` | `listPosts`, `useListPosts`, `ListPostsInput` / `ListPostsOutput` (+ `…Schema`); a query also `useListPostsSuspense` and `listPostsQueryOptions` (not a stream); a cursor query ([`crate::cursor`]) also `useListPostsInfinite` and `listPostsInfiniteQueryOptions` |
//! | form function `contact.submit` | `contactSubmit`, `useContactSubmit`, … |
//! | channel `chat_room` | `subscribeChatRoom`, `useChatRoomChannel`, `ChatRoomParams` / `ChatRoomMessage` / `ChatRoomClientMessage` |
//! | form `contact` | `contact`, `useContactForm`, `ContactFormValues` (+ `…Schema`) |
//! | definition `Wrapper<String>` | `Wrapper_String_` (+ `…Schema`) |
//! | generic instantiation `Page<Vec<User>>` (schema id `app::Page<[app::User]>`) | definition `PageUserList` ([`generic_name`]) |

mod check;
mod generic;
mod reserved;
mod table;

pub use check::{
    ChannelNames, ContextNames, DefName, ErrorNames, FormNames, FunctionNames, GeneratedNames, TypeName,
    check,
};
pub use generic::generic_name;
pub use table::{NameError, NameTable};

/// Whether `word` cannot name a generated TypeScript item.
pub fn is_reserved(word: &str) -> bool {
    reserved::RESERVED.contains(&word)
}

/// `[a-z][a-z0-9_]*`, dotted for forms (`contact.submit`).
pub fn is_valid_function_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|seg| {
            let mut chars = seg.chars();
            matches!(chars.next(), Some('a'..='z')) && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        })
}

/// `[a-z][a-z0-9_]*`: a channel or form name (never dotted).
pub fn is_valid_channel_name(name: &str) -> bool {
    !name.contains('.') && is_valid_function_name(name)
}

/// `list_posts` → `listPosts`, `contact.submit` → `contactSubmit`.
pub fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, seg) in name.split(['_', '.']).filter(|s| !s.is_empty()).enumerate() {
        if i == 0 {
            out.push_str(seg);
        } else {
            out.push_str(&capitalize(seg));
        }
    }
    out
}

/// `list_posts` → `ListPosts`.
pub fn pascal(name: &str) -> String {
    capitalize(&camel(name))
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// An ASCII JavaScript identifier.
pub fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('a'..='z' | 'A'..='Z' | '_' | '$'))
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// A schema definition name as a TypeScript identifier: characters that
/// cannot appear in one become `_` (`Wrapper<String>` → `Wrapper_String_`).
pub fn type_ident(def_name: &str) -> String {
    let mut out: String = def_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '$' { c } else { '_' })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversion() {
        assert_eq!(camel("list_posts"), "listPosts");
        assert_eq!(camel("contact.submit"), "contactSubmit");
        assert_eq!(camel("get_v2_data"), "getV2Data");
        assert_eq!(pascal("echo"), "Echo");
        assert_eq!(pascal("list_posts"), "ListPosts");
        assert_eq!(pascal("contact.submit"), "ContactSubmit");
        assert_eq!(type_ident("Wrapper<String>"), "Wrapper_String_");
        assert_eq!(type_ident("1x"), "_1x");
    }

    #[test]
    fn function_names() {
        assert!(is_valid_function_name("echo"));
        assert!(is_valid_function_name("list_posts2"));
        assert!(is_valid_function_name("contact.submit"));
        for bad in ["", "Echo", "2fa", "_x", "a-b", "a..b", "a.", "ünï", "1a"] {
            assert!(!is_valid_function_name(bad), "{bad}");
        }
        assert!(is_valid_channel_name("chat_room"));
        assert!(!is_valid_channel_name("chat.room"));
        assert!(!is_valid_channel_name("Chat"));
    }

    #[test]
    fn reserved_words_and_identifiers() {
        assert!(is_reserved("delete") && is_reserved("string") && !is_reserved("echo"));
        assert!(is_ident("fullName") && is_ident("$x") && !is_ident("full-name") && !is_ident("1x"));
    }
}
