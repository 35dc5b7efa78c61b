//! The `#[derive(mizan::ErrorType)]` expansion: an enum whose variants are
//! a function's typed errors, each with `#[error(code = "…", status = …,
//! message = "…"?)]`.
//!
//! The enum's own `Serialize` (serde's default, externally tagged form)
//! gives each variant's `data`; the schema of that `data` comes from a
//! hidden struct with the variant's fields and their attributes, so the
//! enum itself needs no `JsonSchema`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{Attribute, Data, DeriveInput, Fields, Ident, LitInt, LitStr, Variant};

use crate::serde_names::{side, skip_rest};

/// One variant's `#[error(...)]`.
struct Declared {
    code: LitStr,
    status: u16,
    message: Option<LitStr>,
}

/// What a variant carries as `data`.
enum Payload<'a> {
    /// A unit variant: no `data` key at all.
    None,
    /// A struct variant: its fields, as an object.
    Named(&'a syn::FieldsNamed),
    /// A newtype variant: its one value.
    Newtype(&'a syn::Field),
}

pub(crate) fn expand(item: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(item)?;
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new(
            input.ident.span(),
            "#[derive(ErrorType)] is for enums: one variant per error the function declares",
        ));
    };
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        return Err(syn::Error::new(
            input.generics.span(),
            "an ErrorType enum cannot be generic: each variant's `data` has one schema in the manifest",
        ));
    }
    if data.variants.is_empty() {
        return Err(syn::Error::new(input.ident.span(), "an ErrorType enum needs at least one variant"));
    }
    let fields_rule = container_serde(&input.attrs)?;

    let ident = &input.ident;
    let mut codes: Vec<(String, &Ident)> = Vec::new();
    let mut entries = Vec::new();
    let mut index_arms = Vec::new();
    let mut message_arms = Vec::new();
    let mut data_structs = Vec::new();
    for (i, variant) in data.variants.iter().enumerate() {
        let declared = declared(variant)?;
        let code = declared.code.value();
        if let Some((_, first)) = codes.iter().find(|(c, _)| *c == code) {
            return Err(syn::Error::new(
                declared.code.span(),
                format!("code `{code}` is already the code of `{first}`: each variant needs its own"),
            ));
        }
        codes.push((code.clone(), &variant.ident));
        let fields_rule = variant_serde(&variant.attrs)?.or_else(|| fields_rule.clone());
        let payload = payload(variant)?;

        let v = &variant.ident;
        let name = v.to_string();
        let status = declared.status;
        let data_struct = format_ident!("__MizanData{}", i);
        let schema = match &payload {
            Payload::None => quote!(::core::option::Option::None),
            _ => quote!(::core::option::Option::Some(
                <#data_struct as ::mizan::__private::schemars::JsonSchema>::json_schema
            )),
        };
        entries.push(quote! {
            ::mizan::ErrorVariant { name: #name, code: #code, status: #status, data: #schema }
        });
        let rename = fields_rule.map(|rule| quote!(#[serde(rename_all = #rule)]));
        match &payload {
            Payload::None => {}
            Payload::Named(named) => {
                let fields = named.named.iter().map(|f| {
                    let attrs = schema_attrs(&f.attrs);
                    let (name, ty) = (&f.ident, &f.ty);
                    quote!(#(#attrs)* #name: #ty,)
                });
                data_structs.push(quote! {
                    #[derive(::mizan::__private::schemars::JsonSchema)]
                    #[schemars(crate = "::mizan::__private::schemars")]
                    #rename
                    #[allow(dead_code, non_camel_case_types)]
                    struct #data_struct { #(#fields)* }
                });
            }
            Payload::Newtype(field) => {
                let attrs = schema_attrs(&field.attrs);
                let ty = &field.ty;
                data_structs.push(quote! {
                    #[derive(::mizan::__private::schemars::JsonSchema)]
                    #[schemars(crate = "::mizan::__private::schemars")]
                    #[allow(dead_code, non_camel_case_types)]
                    struct #data_struct(#(#attrs)* #ty);
                });
            }
        }

        let (pattern, bound): (TokenStream, Vec<&Ident>) = match &payload {
            Payload::None => (quote!(Self::#v), Vec::new()),
            Payload::Named(named) => {
                let names: Vec<&Ident> = named.named.iter().filter_map(|f| f.ident.as_ref()).collect();
                (quote!(Self::#v { #(#names),* }), names)
            }
            Payload::Newtype(_) => (quote!(Self::#v(..)), Vec::new()),
        };
        let message = message(&declared, &code);
        index_arms.push(quote!(Self::#v { .. } => #i,));
        message_arms.push(quote!(#pattern => { #( let _ = &#bound; )* #message }));
    }

    let doc = format!("The typed errors of `{ident}`, for the manifest and the wire.");
    Ok(quote! {
        const _: () = {
            #(#data_structs)*

            #[doc = #doc]
            impl ::mizan::ErrorType for #ident {
                const VARIANTS: &'static [::mizan::ErrorVariant] = &[#(#entries),*];

                fn variant(&self) -> usize {
                    match self { #(#index_arms)* }
                }

                fn message(&self) -> ::std::borrow::Cow<'static, str> {
                    match self { #(#message_arms)* }
                }
            }
        };
    })
}

/// The variant's one `#[error(code = "…", status = …, message = "…")]`.
fn declared(variant: &Variant) -> syn::Result<Declared> {
    let mut attrs = variant.attrs.iter().filter(|a| a.path().is_ident("error"));
    let Some(attr) = attrs.next() else {
        return Err(syn::Error::new(
            variant.ident.span(),
            format!("`{}` needs #[error(code = \"…\", status = …)]", variant.ident),
        ));
    };
    if let Some(second) = attrs.next() {
        return Err(syn::Error::new(second.span(), "one #[error(...)] per variant"));
    }
    let mut code: Option<LitStr> = None;
    let mut status: Option<(u16, Span)> = None;
    let mut message: Option<LitStr> = None;
    attr.parse_nested_meta(|meta| {
        let key = meta.path.get_ident().map(Ident::to_string).unwrap_or_default();
        let twice = || syn::Error::new(meta.path.span(), format!("`{key}` is given twice"));
        match key.as_str() {
            "code" => {
                let lit: LitStr = meta.value()?.parse()?;
                let value = lit.value();
                if value.is_empty() || !value.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
                    return Err(syn::Error::new(
                        lit.span(),
                        format!("error codes match [A-Z_]+ (capitals and underscores): `{value}` does not"),
                    ));
                }
                if code.replace(lit).is_some() {
                    return Err(twice());
                }
            }
            "status" => {
                let lit: LitInt = meta.value()?.parse()?;
                let value = lit.base10_parse::<u16>().ok().filter(|s| (400..=599).contains(s));
                let Some(value) = value else {
                    return Err(syn::Error::new(
                        lit.span(),
                        "an error's status is an HTTP error status, from 400 to 599",
                    ));
                };
                if status.replace((value, lit.span())).is_some() {
                    return Err(twice());
                }
            }
            "message" => {
                if message.replace(meta.value()?.parse()?).is_some() {
                    return Err(twice());
                }
            }
            _ => {
                return Err(syn::Error::new(
                    meta.path.span(),
                    format!("unknown key `{key}`: expected `code`, `status` or `message`"),
                ));
            }
        }
        Ok(())
    })?;
    // The whole `(…)`, or the attribute's name when it has none.
    let span = match &attr.meta {
        syn::Meta::List(list) => list.delimiter.span().join(),
        other => other.span(),
    };
    let Some(code) = code else {
        return Err(syn::Error::new(span, "missing `code = \"…\"`: the error's wire code, [A-Z_]+"));
    };
    let Some((status, _)) = status else {
        return Err(syn::Error::new(span, "missing `status = …`: the error's HTTP status, 400 to 599"));
    };
    Ok(Declared { code, status, message })
}

/// What the variant carries, refusing what has no one `data` value.
fn payload(variant: &Variant) -> syn::Result<Payload<'_>> {
    match &variant.fields {
        Fields::Unit => Ok(Payload::None),
        Fields::Named(named) => Ok(Payload::Named(named)),
        Fields::Unnamed(unnamed) if unnamed.unnamed.len() == 1 => Ok(Payload::Newtype(&unnamed.unnamed[0])),
        Fields::Unnamed(unnamed) => Err(syn::Error::new(
            unnamed.span(),
            "a variant's data is a struct variant's fields or a newtype's one value: write `Name { … }`, \
             `Name(T)` or a unit variant",
        )),
    }
}

/// The message: `message = "…"` (a struct variant's fields can be
/// interpolated, `"seat {seat} is taken"`), or the code in sentence case
/// (`SEAT_TAKEN` → `Seat taken`).
fn message(declared: &Declared, code: &str) -> TokenStream {
    match &declared.message {
        Some(lit) if lit.value().contains(['{', '}']) => {
            quote!(::std::borrow::Cow::Owned(::std::format!(#lit)))
        }
        Some(lit) => quote!(::std::borrow::Cow::Borrowed(#lit)),
        None => {
            let mut text = code.replace('_', " ").to_lowercase();
            if let Some(first) = text.get(..1).map(str::to_uppercase) {
                text.replace_range(..1, &first);
            }
            quote!(::std::borrow::Cow::Borrowed(#text))
        }
    }
}

/// The attributes a field's schema depends on.
fn schema_attrs(attrs: &[Attribute]) -> Vec<&Attribute> {
    attrs
        .iter()
        .filter(|a| ["doc", "serde", "schemars", "garde", "validate"].iter().any(|k| a.path().is_ident(k)))
        .collect()
}

/// The enum's serde attributes: its representation must be serde's
/// default (externally tagged), whose value under the variant's key is
/// the `data`; `rename_all_fields` (serialize side) is returned.
fn container_serde(attrs: &[Attribute]) -> syn::Result<Option<LitStr>> {
    let mut fields_rule = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            for refused in ["tag", "content", "untagged", "transparent", "into", "remote"] {
                if meta.path.is_ident(refused) {
                    return Err(syn::Error::new(
                        meta.path.span(),
                        format!(
                            "an ErrorType enum keeps serde's default representation (externally tagged), \
                             whose value under the variant's name is the error's `data`: remove `{refused}`"
                        ),
                    ));
                }
            }
            if meta.path.is_ident("rename_all_fields") {
                fields_rule = side(&meta, "serialize")?;
            } else {
                skip_rest(&meta)?;
            }
            Ok(())
        })?;
    }
    Ok(fields_rule)
}

/// A variant's serde attributes: nothing that changes or hides its value;
/// its `rename_all` (serialize side), which renames a struct variant's fields.
fn variant_serde(attrs: &[Attribute]) -> syn::Result<Option<LitStr>> {
    let mut rule = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            for refused in ["skip", "skip_serializing", "untagged", "with", "serialize_with"] {
                if meta.path.is_ident(refused) {
                    return Err(syn::Error::new(
                        meta.path.span(),
                        format!("`{refused}` would change or hide the error's `data`: a typed error is sent as serde writes it by default"),
                    ));
                }
            }
            if meta.path.is_ident("rename_all") {
                rule = side(&meta, "serialize")?;
            } else {
                skip_rest(&meta)?;
            }
            Ok(())
        })?;
    }
    Ok(rule)
}
