//! Upload arguments of `#[mizan::client]`: which types take files, and
//! `#[upload(max_bytes = …, max_count = …, mime = […])]`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{Attribute, GenericArgument, LitInt, LitStr, PathArguments, Type};

/// What an upload argument's type is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    One,
    Optional,
    List,
}

/// An upload argument's declared limits.
pub(crate) struct Limits {
    pub(crate) max_bytes: Option<u64>,
    pub(crate) max_count: Option<u32>,
    pub(crate) mime: Vec<String>,
}

/// The shape of `ty` if it takes files: `Upload`, `Option<Upload>`,
/// `Uploads`. `Vec<Upload>` is refused with the way to write a list.
pub(crate) fn shape(ty: &Type) -> syn::Result<Option<Shape>> {
    let Some(last) = last_segment(ty) else { return Ok(None) };
    match last.ident.to_string().as_str() {
        "Upload" => Ok(Some(Shape::One)),
        "Uploads" => Ok(Some(Shape::List)),
        "Option" if inner(last).is_some_and(is_upload) => Ok(Some(Shape::Optional)),
        "Vec" if inner(last).is_some_and(is_upload) => Err(syn::Error::new_spanned(
            ty,
            "a list of files is `mizan::Uploads`, read one file at a time as it arrives \
             (a `Vec<Upload>` would need every file received before the function runs)",
        )),
        _ => Ok(None),
    }
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        _ => None,
    }
}

fn inner(segment: &syn::PathSegment) -> Option<&Type> {
    match &segment.arguments {
        PathArguments::AngleBracketed(a) if a.args.len() == 1 => match a.args.first() {
            Some(GenericArgument::Type(t)) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

fn is_upload(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|s| s.ident == "Upload" && s.arguments.is_empty())
}

/// Reads `#[upload(...)]` (at most one) for an argument of `shape`.
pub(crate) fn limits(attrs: &[&Attribute], shape: Shape) -> syn::Result<Limits> {
    let mut limits = Limits { max_bytes: None, max_count: None, mime: Vec::new() };
    let mut seen = false;
    for attr in attrs {
        if seen {
            return Err(syn::Error::new_spanned(attr, "write one #[upload(...)] per argument"));
        }
        seen = true;
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("max_bytes") {
                let lit: LitInt = meta.value()?.parse()?;
                let n: u64 = lit.base10_parse()?;
                if n == 0 {
                    return Err(syn::Error::new(lit.span(), "`max_bytes` must be at least 1"));
                }
                limits.max_bytes = Some(n);
            } else if meta.path.is_ident("max_count") {
                if shape != Shape::List {
                    return Err(syn::Error::new(
                        meta.path.span(),
                        "`max_count` is for a list of files (`mizan::Uploads`): this argument takes one",
                    ));
                }
                let lit: LitInt = meta.value()?.parse()?;
                let n: u32 = lit.base10_parse()?;
                if n == 0 {
                    return Err(syn::Error::new(lit.span(), "`max_count` must be at least 1"));
                }
                limits.max_count = Some(n);
            } else if meta.path.is_ident("mime") {
                let value = meta.value()?;
                let content;
                syn::bracketed!(content in value);
                let list = content.parse_terminated(|p| p.parse::<LitStr>(), syn::Token![,])?;
                for lit in list {
                    let value = lit.value();
                    if !is_media_range(&value) {
                        return Err(syn::Error::new(
                            lit.span(),
                            format!(
                                "{value:?} is not a MIME type mizan accepts: write `type/subtype` or `type/*` \
                                 in lower case, without parameters (\"image/png\", \"image/*\")"
                            ),
                        ));
                    }
                    limits.mime.push(value);
                }
            } else {
                return Err(syn::Error::new(
                    meta.path.span(),
                    "unknown #[upload] key: expected `max_bytes`, `max_count` or `mime`",
                ));
            }
            Ok(())
        })?;
    }
    Ok(limits)
}

fn is_media_range(s: &str) -> bool {
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"!#$&^_.+-".contains(&b))
    };
    match s.split_once('/') {
        Some((top, "*")) => token(top),
        Some((top, sub)) => token(top) && token(sub),
        None => false,
    }
}

/// The `UploadSpec` expression for the argument `name` of type `ty`.
pub(crate) fn spec(name: &str, ty: &Type, shape: Shape, limits: &Limits) -> TokenStream {
    let max_bytes = match limits.max_bytes {
        Some(n) => quote!(#n),
        None => quote!(::mizan::upload::UploadSpec::DEFAULT_MAX_BYTES),
    };
    let max_count = match (shape, limits.max_count) {
        (Shape::List, Some(n)) => quote!(#n),
        (Shape::List, None) => quote!(::mizan::upload::UploadSpec::DEFAULT_MAX_COUNT),
        _ => quote!(1),
    };
    let mime = &limits.mime;
    quote! {
        ::mizan::upload::UploadSpec {
            arg: #name,
            shape: <#ty as ::mizan::upload::FromFiles>::SHAPE,
            max_bytes: #max_bytes,
            max_count: #max_count,
            mime: &[#(#mime),*],
        }
    }
}
