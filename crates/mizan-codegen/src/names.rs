//! Naming: case conversion, reserved words and collision checks.

use std::collections::BTreeMap;

use crate::error::CodegenError;

/// Words that cannot name a function, a constant or a type in a TypeScript
/// module (ECMAScript reserved words, strict-mode and module restrictions,
/// and TypeScript's built-in type names).
const RESERVED: &[&str] = &[
    // ECMAScript reserved words
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "new",
    "null",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    // strict mode and modules
    "implements",
    "interface",
    "let",
    "package",
    "private",
    "protected",
    "public",
    "static",
    "yield",
    "await",
    "arguments",
    "eval",
    // global values that must not be shadowed
    "undefined",
    "NaN",
    "Infinity",
    "globalThis",
    // TypeScript type keywords
    "any",
    "unknown",
    "never",
    "string",
    "number",
    "boolean",
    "symbol",
    "object",
    "bigint",
    "type",
    "namespace",
    "module",
    "declare",
    "abstract",
    "readonly",
    "keyof",
    "infer",
    "is",
    "asserts",
    "unique",
    "satisfies",
    "as",
    "accessor",
    "out",
];

/// Whether `word` cannot name a generated TypeScript item.
pub fn is_reserved(word: &str) -> bool {
    RESERVED.contains(&word)
}

/// `[a-z][a-z0-9_]*`, dotted for forms (`contact.submit`).
pub fn is_valid_function_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|seg| {
            let mut chars = seg.chars();
            matches!(chars.next(), Some('a'..='z')) && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        })
}

/// `[a-z][a-z0-9_]*`: a channel name (never dotted).
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
pub(crate) fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('a'..='z' | 'A'..='Z' | '_' | '$'))
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// A schema definition name as a TypeScript identifier: characters that
/// cannot appear in one become `_` (`Wrapper<String>` → `Wrapper_String_`).
pub(crate) fn type_ident(def_name: &str) -> String {
    let mut out: String = def_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '$' { c } else { '_' })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// An object key in TypeScript or JavaScript source: bare when it is an
/// identifier, a JSON string otherwise.
pub(crate) fn prop_key(name: &str) -> String {
    if is_ident(name) { name.to_owned() } else { js_string(name) }
}

/// A JavaScript string literal (JSON string syntax is valid JavaScript).
pub(crate) fn js_string(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

/// Every name exported from `index.ts` or imported into a generated file
/// shares one namespace (`export *` refuses duplicates whatever their kind),
/// so collisions are checked across all of them.
#[derive(Debug, Default)]
pub(crate) struct NameTable {
    owners: BTreeMap<String, String>,
}

impl NameTable {
    pub(crate) fn with_runtime_names() -> Self {
        let mut table = Self::default();
        for (name, owner) in [
            ("MizanError", "the re-export of the runtime's error class"),
            ("getClient", "the runtime import in client.ts"),
            ("CallOptions", "the runtime import in client.ts"),
            ("useMizanQuery", "the runtime import in hooks.ts"),
            ("useMizanMutation", "the runtime import in hooks.ts"),
            ("QueryHookOptions", "the runtime import in hooks.ts"),
            ("MutationHookOptions", "the runtime import in hooks.ts"),
            ("z", "the Zod import in schemas.ts"),
            ("Record", "the TypeScript built-in used by types.ts"),
            ("Promise", "the TypeScript built-in used by client.ts"),
            ("mizanChars", "a helper in schemas.ts"),
            ("mizanUrl", "a helper in schemas.ts"),
            ("mizanInt64", "a helper in schemas.ts"),
            ("mizanEmailPattern", "a helper in schemas.ts"),
            ("mizanFunctions", "the metadata table in meta.ts"),
            ("MizanFunctionMeta", "a metadata type in meta.ts"),
            ("MizanFunctionName", "a metadata type in meta.ts"),
            ("MizanAuth", "a metadata type in meta.ts"),
            ("MizanAuthLevel", "a metadata type in meta.ts"),
            ("mizanMayCall", "a metadata helper in meta.ts"),
            ("mizanChannels", "the channel metadata table in meta.ts"),
            ("MizanChannelMeta", "a metadata type in meta.ts"),
            ("MizanChannelName", "a metadata type in meta.ts"),
        ] {
            table.owners.insert(name.to_owned(), owner.to_owned());
        }
        table
    }

    /// Claims `name` for `owner`, refusing reserved words and names already
    /// claimed by something else.
    pub(crate) fn claim(&mut self, name: &str, owner: &str) -> Result<(), CodegenError> {
        if is_reserved(name) {
            return Err(CodegenError::Name(format!(
                "{owner} would be named `{name}`, a reserved word in TypeScript; rename it"
            )));
        }
        if let Some(previous) = self.owners.get(name) {
            return Err(CodegenError::Name(format!(
                "name collision: {owner} and {previous} would both be named `{name}` in the generated TypeScript; rename one of them"
            )));
        }
        self.owners.insert(name.to_owned(), owner.to_owned());
        Ok(())
    }
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
        assert_eq!(pascal("contact.submit"), "ContactSubmit");
        assert_eq!(type_ident("Wrapper<String>"), "Wrapper_String_");
        assert_eq!(type_ident("1x"), "_1x");
    }

    #[test]
    fn function_names() {
        assert!(is_valid_function_name("echo"));
        assert!(is_valid_function_name("contact.submit"));
        assert!(!is_valid_function_name("Echo"));
        assert!(!is_valid_function_name("a..b"));
        assert!(!is_valid_function_name("1a"));
        assert!(!is_valid_function_name(""));
        assert!(is_valid_channel_name("chat_room"));
        assert!(!is_valid_channel_name("chat.room"));
        assert!(!is_valid_channel_name("Chat"));
    }

    #[test]
    fn keys() {
        assert_eq!(prop_key("fullName"), "fullName");
        assert_eq!(prop_key("full-name"), "\"full-name\"");
    }
}
