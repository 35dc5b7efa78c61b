//! Names of generic instantiations, spelled from the type and its
//! arguments. schemars names every instantiation of a generic type by the
//! type alone (`Page`, then `Page2`, …); a backend that knows which type
//! each definition stands for (its schema id, such as
//! `app::Page<app::User>`) names it here instead:
//!
//! | Rust | name |
//! |---|---|
//! | `Page<User>` | `PageUser` |
//! | `Page<Vec<User>>` (also slices, arrays, `VecDeque`, …) | `PageUserList` |
//! | `Page<Option<User>>` | `PageUserOrNull` |
//! | `Page<HashSet<User>>` (`BTreeSet`) | `PageUserSet` |
//! | `Page<HashMap<String, User>>` (`BTreeMap`, any key that is a string) | `PageUserMap` |
//! | `Page<HashMap<Uuid, User>>` (any other key) | `PageUuidUserMap` |
//! | `Page<(User, Post)>` | `PageUserPostTuple` |
//! | `Pair<User, Post>` | `PairUserPost` |
//! | `Page<String>`, `Page<i32>`, `Page<f64>`, `Page<bool>` | `PageString`, `PageInt32`, `PageDouble`, `PageBoolean` |
//! | `Page<Page<User>>` | `PagePageUser` |
//!
//! A generic type's own name comes first and its arguments follow, in
//! order; a list, set, map or option is written after what it holds, so
//! every spelling reads one way (`UserOrNullList` is a list of optional
//! users, `UserListOrNull` an optional list). An argument's name is its
//! type's schema name (a `#[schemars(rename)]` on it counts).

/// Schema ids of the types schemars inlines that may be generic arguments
/// (its primitives), named by their capitalized id.
const PRIMITIVES: &[&str] = &[
    "string", "boolean", "char", "float", "double", "int8", "int16", "int32", "int64", "int128", "int",
    "uint8", "uint16", "uint32", "uint64", "uint128", "uint", "null", "ip", "ipv4", "ipv6",
];

/// The spelled name of the definition whose schema id is `id`, when it is
/// an instantiation of a generic type (`app::Page<app::User>` →
/// `PageUser`); `None` for a type that is not generic, and for arguments
/// that cannot be told apart. schemars writes the arguments of a type with
/// several parameters one after the other (`app::Pair<app::Userapp::Post>`):
/// `known` (the other schema ids of the schema) is where one ends.
pub fn generic_name(id: &str, known: &[&str]) -> Option<String> {
    let open = id.find('<')?;
    let path = &id[..open];
    if !path.contains("::") || !id.ends_with('>') {
        return None;
    }
    let ident = valid_path(path)?;
    let parser = Parser { known };
    let args = parser.args(&id[open + 1..id.len() - 1]).into_iter().find(|(_, rest)| rest.is_empty())?.0;
    Some(format!("{ident}{}", args.concat()))
}

/// The last segment of a type path whose other segments are modules
/// (lower case, as Rust writes them): a path that holds an upper-case
/// segment before its last is two ids written together.
fn valid_path(path: &str) -> Option<&str> {
    let segments: Vec<&str> = path.split("::").collect();
    let (last, modules) = segments.split_last()?;
    let ident_like = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let module_like = |s: &str| ident_like(s) && !s.starts_with(|c: char| c.is_ascii_uppercase());
    (ident_like(last) && modules.iter().all(|m| module_like(m))).then_some(*last)
}

/// Upper-cases the first character: `int32` → `Int32`.
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// A backtracking parser of schema ids: every function returns each way the
/// start of its input can be read, with what is left after it.
struct Parser<'k> {
    known: &'k [&'k str],
}

type Parses<'a, T> = Vec<(T, &'a str)>;

impl Parser<'_> {
    /// Arguments written one after another, optionally separated by `,` or
    /// `, `, up to the end of `s` or a closing delimiter.
    fn args<'a>(&self, s: &'a str) -> Parses<'a, Vec<String>> {
        let mut done = Vec::new();
        for (first, rest) in self.one(s) {
            let rest_trimmed = rest.strip_prefix(", ").or_else(|| rest.strip_prefix(',')).unwrap_or(rest);
            if rest.is_empty() || rest.starts_with(['>', ']', ')']) {
                done.push((vec![first.clone()], rest));
            }
            if !rest_trimmed.is_empty() && !rest_trimmed.starts_with(['>', ']', ')']) {
                for (more, tail) in self.args(rest_trimmed) {
                    let mut all = vec![first.clone()];
                    all.extend(more);
                    done.push((all, tail));
                }
            }
        }
        done
    }

    /// One type.
    fn one<'a>(&self, s: &'a str) -> Parses<'a, String> {
        let mut out = Vec::new();
        let wrapped = |open: &str, suffix: &str, out: &mut Parses<'a, String>| {
            if let Some(inner) = s.strip_prefix(open) {
                for (name, rest) in self.one(inner) {
                    if let Some(rest) = rest.strip_prefix(if open == "[" { ']' } else { '>' }) {
                        out.push((format!("{name}{suffix}"), rest));
                    }
                }
            }
        };
        wrapped("[", "List", &mut out);
        wrapped("Option<", "OrNull", &mut out);
        wrapped("Set<", "Set", &mut out);
        if let Some(inner) = s.strip_prefix("Map<") {
            for (names, rest) in self.args(inner) {
                if let (1..=2, Some(rest)) = (names.len(), rest.strip_prefix('>')) {
                    out.push((format!("{}Map", names.concat()), rest));
                }
            }
        }
        if let Some(inner) = s.strip_prefix('(') {
            if let Some(rest) = inner.strip_prefix(')') {
                out.push(("Unit".to_owned(), rest));
            }
            for (names, rest) in self.args(inner) {
                if let Some(rest) = rest.strip_prefix(')') {
                    out.push((format!("{}Tuple", names.concat()), rest));
                }
            }
        }
        if !out.is_empty() {
            return out;
        }
        // Known ids, longest first: those of other definitions, then primitives.
        let mut known: Vec<&str> =
            self.known.iter().chain(PRIMITIVES).copied().filter(|k| s.starts_with(k)).collect();
        known.sort_by_key(|k| std::cmp::Reverse(k.len()));
        for k in known {
            let name = match generic_name(k, self.known) {
                Some(name) => name,
                None if PRIMITIVES.contains(&k) => capitalized(k),
                None => match k.rsplit_once("::") {
                    Some((_, ident)) if !ident.contains('<') => ident.to_owned(),
                    _ => continue,
                },
            };
            out.push((name, &s[k.len()..]));
        }
        // A path not otherwise known (an inlined type's id), with its own
        // arguments if it has some.
        let end = s.find(['<', '>', '[', ']', '(', ')', ',']).unwrap_or(s.len());
        if let Some(ident) = valid_path(&s[..end]) {
            let rest = &s[end..];
            match rest.strip_prefix('<') {
                Some(inner) => {
                    for (args, tail) in self.args(inner) {
                        if let Some(tail) = tail.strip_prefix('>') {
                            out.push((format!("{ident}{}", args.concat()), tail));
                        }
                    }
                }
                None => out.push((ident.to_owned(), rest)),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::generic_name;

    fn name(id: &str) -> Option<String> {
        generic_name(id, &["app::User", "app::Post", "app::Page<app::User>"])
    }

    #[test]
    fn generic_types_are_spelled_from_their_arguments() {
        assert_eq!(name("app::Page<app::User>").as_deref(), Some("PageUser"));
        assert_eq!(name("app::Page<app::Post>").as_deref(), Some("PagePost"));
        assert_eq!(name("app::Page<[app::User]>").as_deref(), Some("PageUserList"));
        assert_eq!(name("app::Page<Option<app::User>>").as_deref(), Some("PageUserOrNull"));
        assert_eq!(name("app::Page<[Option<app::User>]>").as_deref(), Some("PageUserOrNullList"));
        assert_eq!(name("app::Page<Option<[app::User]>>").as_deref(), Some("PageUserListOrNull"));
        assert_eq!(name("app::Page<Set<app::User>>").as_deref(), Some("PageUserSet"));
        assert_eq!(name("app::Page<Map<app::User>>").as_deref(), Some("PageUserMap"));
        assert_eq!(name("app::Page<Map<uuid::Uuid, app::User>>").as_deref(), Some("PageUuidUserMap"));
        assert_eq!(name("app::Page<(app::User,app::Post)>").as_deref(), Some("PageUserPostTuple"));
        assert_eq!(name("app::Page<string>").as_deref(), Some("PageString"));
        assert_eq!(name("app::Page<int32>").as_deref(), Some("PageInt32"));
        assert_eq!(name("app::Page<double>").as_deref(), Some("PageDouble"));
        assert_eq!(name("app::Page<app::Page<app::User>>").as_deref(), Some("PagePageUser"));
        assert_eq!(name("app::api::Page<uuid::Uuid>").as_deref(), Some("PageUuid"));
        assert_eq!(name("app::Page<chrono::DateTime<chrono::Utc>>").as_deref(), Some("PageDateTimeUtc"));
    }

    #[test]
    fn several_arguments_are_told_apart_by_the_known_ids() {
        // schemars writes them together: `app::Pair<app::Userapp::Post>`.
        assert_eq!(name("app::Pair<app::Userapp::Post>").as_deref(), Some("PairUserPost"));
        assert_eq!(name("app::Pair<app::Userstring>").as_deref(), Some("PairUserString"));
        assert_eq!(
            name("app::Pair<[app::User]app::Page<app::User>>").as_deref(),
            Some("PairUserListPageUser")
        );
        // Two unknown ids written together cannot be split.
        assert_eq!(name("app::Pair<uuid::Uuidother::Thing>"), None);
    }

    #[test]
    fn other_ids_are_not_generic() {
        assert_eq!(name("app::User"), None);
        assert_eq!(name("Option<app::User>"), None);
        assert_eq!(name("[app::User]"), None);
        assert_eq!(name("app::Page<"), None);
    }
}
