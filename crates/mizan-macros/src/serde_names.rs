//! What serde's attributes make of a struct's field names on the
//! *deserialize* side: `rename_all`, `rename`, `skip`, and the container and
//! field flags forms care about (`deny_unknown_fields`, `flatten`).

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Attribute, LitStr};

/// A container's serde attributes, as far as forms care.
#[derive(Default)]
pub(crate) struct ContainerSerde {
    pub(crate) rename_all: Option<RenameRule>,
    pub(crate) deny_unknown_fields: bool,
}

/// A field's serde attributes, as far as forms care.
#[derive(Default)]
pub(crate) struct FieldSerde {
    pub(crate) rename: Option<String>,
    /// `skip` or `skip_deserializing`: never on the wire.
    pub(crate) skipped: bool,
    /// Where `flatten` was written, if it was.
    pub(crate) flatten: Option<Span>,
}

/// serde's `rename_all` rules.
#[derive(Clone, Copy)]
pub(crate) enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl RenameRule {
    fn parse(lit: &LitStr) -> syn::Result<Self> {
        Ok(match lit.value().as_str() {
            "lowercase" => Self::Lower,
            "UPPERCASE" => Self::Upper,
            "PascalCase" => Self::Pascal,
            "camelCase" => Self::Camel,
            "snake_case" => Self::Snake,
            "SCREAMING_SNAKE_CASE" => Self::ScreamingSnake,
            "kebab-case" => Self::Kebab,
            "SCREAMING-KEBAB-CASE" => Self::ScreamingKebab,
            _ => return Err(syn::Error::new(lit.span(), "unknown serde rename rule")),
        })
    }

    /// Applies the rule to a snake_case field name, exactly as serde does.
    pub(crate) fn apply(self, field: &str) -> String {
        match self {
            Self::Lower | Self::Snake => field.to_owned(),
            Self::Upper | Self::ScreamingSnake => field.to_ascii_uppercase(),
            Self::Pascal | Self::Camel => {
                let mut out = String::new();
                let mut upper = matches!(self, Self::Pascal);
                for c in field.chars() {
                    if c == '_' {
                        upper = true;
                    } else if upper {
                        out.push(c.to_ascii_uppercase());
                        upper = false;
                    } else {
                        out.push(c);
                    }
                }
                out
            }
            Self::Kebab => field.replace('_', "-"),
            Self::ScreamingKebab => field.replace('_', "-").to_ascii_uppercase(),
        }
    }
}

/// `name = "…"` or `name(deserialize = "…", serialize = "…")`: the
/// deserialize side, or `None` when only `serialize` is given.
fn deserialize_side(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Option<LitStr>> {
    side(meta, "deserialize")
}

/// `name = "…"` or `name(deserialize = "…", serialize = "…")`: the value
/// for one side (`"serialize"` or `"deserialize"`), or `None` when only the
/// other side is given.
pub(crate) fn side(meta: &syn::meta::ParseNestedMeta<'_>, which: &str) -> syn::Result<Option<LitStr>> {
    if meta.input.peek(syn::Token![=]) {
        return Ok(Some(meta.value()?.parse()?));
    }
    let mut found = None;
    meta.parse_nested_meta(|inner| {
        let lit: LitStr = inner.value()?.parse()?;
        if inner.path.is_ident(which) {
            found = Some(lit);
        }
        Ok(())
    })?;
    Ok(found)
}

/// Skips whatever follows an option we do not interpret (`= expr`, `(…)`).
pub(crate) fn skip_rest(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _: proc_macro2::Group = meta.input.parse()?;
    }
    Ok(())
}

pub(crate) fn container(attrs: &[Attribute]) -> syn::Result<ContainerSerde> {
    let mut out = ContainerSerde::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") {
                if let Some(lit) = deserialize_side(&meta)? {
                    out.rename_all = Some(RenameRule::parse(&lit)?);
                }
            } else if meta.path.is_ident("deny_unknown_fields") {
                out.deny_unknown_fields = true;
            } else {
                skip_rest(&meta)?;
            }
            Ok(())
        })?;
    }
    Ok(out)
}

pub(crate) fn field(attrs: &[Attribute]) -> syn::Result<FieldSerde> {
    let mut out = FieldSerde::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                if let Some(lit) = deserialize_side(&meta)? {
                    out.rename = Some(lit.value());
                }
            } else if meta.path.is_ident("skip") || meta.path.is_ident("skip_deserializing") {
                out.skipped = true;
            } else if meta.path.is_ident("flatten") {
                out.flatten = Some(meta.path.span());
            } else {
                skip_rest(&meta)?;
            }
            Ok(())
        })?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::RenameRule;

    #[test]
    fn rename_rules_match_serde() {
        let cases = [
            (RenameRule::Camel, "full_name", "fullName"),
            (RenameRule::Pascal, "full_name", "FullName"),
            (RenameRule::ScreamingSnake, "full_name", "FULL_NAME"),
            (RenameRule::Kebab, "full_name", "full-name"),
            (RenameRule::ScreamingKebab, "full_name", "FULL-NAME"),
            (RenameRule::Lower, "full_name", "full_name"),
            (RenameRule::Upper, "full_name", "FULL_NAME"),
        ];
        for (rule, input, expected) in cases {
            assert_eq!(rule.apply(input), expected);
        }
    }
}
