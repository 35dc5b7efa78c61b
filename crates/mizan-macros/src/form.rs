//! The `#[derive(mizan::FormFields)]` expansion: per-field form metadata
//! (label, widget, help text, initial value, choices), the fields' wire
//! names and each field's Rust name → wire name, checked at compile time.

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Lit, LitStr, Token, bracketed, parenthesized};

use crate::client::{check_length_mode, doc_string, is_stringy};
use crate::serde_names;
use crate::upload;

/// Widget names `#[form(widget = "…")]` accepts, and their `mizan::forms::Widget` variants.
const WIDGETS: &[(&str, &str)] = &[
    ("text", "Text"),
    ("textarea", "Textarea"),
    ("email", "Email"),
    ("url", "Url"),
    ("password", "Password"),
    ("number", "Number"),
    ("checkbox", "Checkbox"),
    ("select", "Select"),
    ("radio", "Radio"),
    ("date", "Date"),
    ("time", "Time"),
    ("datetime-local", "DatetimeLocal"),
    ("hidden", "Hidden"),
    ("file", "File"),
];

/// One `#[form(...)]` on a field.
#[derive(Default)]
struct FieldOptions {
    label: Option<LitStr>,
    widget: Option<syn::Ident>,
    help: Option<LitStr>,
    initial: Option<TokenStream>,
    choices: Option<Vec<TokenStream>>,
}

/// A literal as a `mizan::forms::Literal`.
fn literal(lit: &Lit) -> syn::Result<TokenStream> {
    Ok(match lit {
        Lit::Str(s) => quote!(::mizan::forms::Literal::Str(#s)),
        Lit::Int(i) => {
            let v: i64 = i.base10_parse()?;
            quote!(::mizan::forms::Literal::Int(#v))
        }
        Lit::Float(f) => {
            let v: f64 = f.base10_parse()?;
            quote!(::mizan::forms::Literal::Float(#v))
        }
        Lit::Bool(b) => quote!(::mizan::forms::Literal::Bool(#b)),
        other => {
            return Err(syn::Error::new(other.span(), "expected a string, integer, float or bool literal"));
        }
    })
}

/// `lit` or `-lit` (a negative number).
fn parse_literal(input: ParseStream<'_>) -> syn::Result<TokenStream> {
    if input.peek(Token![-]) {
        let minus: Token![-] = input.parse()?;
        let lit: Lit = input.parse()?;
        return match &lit {
            Lit::Int(i) => {
                let v: i64 = format!("-{}", i.base10_digits())
                    .parse()
                    .map_err(|_| syn::Error::new(i.span(), "integer out of range"))?;
                Ok(quote!(::mizan::forms::Literal::Int(#v)))
            }
            Lit::Float(f) => {
                let v: f64 = -f.base10_parse::<f64>()?;
                Ok(quote!(::mizan::forms::Literal::Float(#v)))
            }
            _ => Err(syn::Error::new(minus.span(), "only numbers can be negative")),
        };
    }
    literal(&input.parse()?)
}

/// A choice: `"value"` (labelled by its value) or `("value", "Label")`.
struct Choice(TokenStream);

impl Parse for Choice {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(syn::token::Paren) {
            let content;
            parenthesized!(content in input);
            let value = parse_literal(&content)?;
            content.parse::<Token![,]>()?;
            let label: LitStr = content.parse()?;
            if !content.is_empty() {
                return Err(content.error("a choice is `(value, \"Label\")`"));
            }
            return Ok(Self(
                quote!(::mizan::forms::Choice { value: #value, label: ::core::option::Option::Some(#label) }),
            ));
        }
        let value = parse_literal(input)?;
        Ok(Self(quote!(::mizan::forms::Choice { value: #value, label: ::core::option::Option::None })))
    }
}

fn field_options(attrs: &[syn::Attribute]) -> syn::Result<FieldOptions> {
    let mut out = FieldOptions::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("form")) {
        attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            let twice = || syn::Error::new(meta.path.span(), format!("`{key}` is given twice"));
            match key.as_str() {
                "label" => {
                    let v: LitStr = meta.value()?.parse()?;
                    if v.value().trim().is_empty() {
                        return Err(syn::Error::new(v.span(), "a label cannot be empty"));
                    }
                    if out.label.replace(v).is_some() {
                        return Err(twice());
                    }
                }
                "help" => {
                    let v: LitStr = meta.value()?.parse()?;
                    if out.help.replace(v).is_some() {
                        return Err(twice());
                    }
                }
                "widget" => {
                    let v: LitStr = meta.value()?.parse()?;
                    let Some((_, variant)) = WIDGETS.iter().find(|(name, _)| *name == v.value()) else {
                        let names: Vec<&str> = WIDGETS.iter().map(|(n, _)| *n).collect();
                        return Err(syn::Error::new(
                            v.span(),
                            format!("unknown widget {:?}: expected one of {}", v.value(), names.join(", ")),
                        ));
                    };
                    if out.widget.replace(syn::Ident::new(variant, v.span())).is_some() {
                        return Err(twice());
                    }
                }
                "initial" => {
                    let v = parse_literal(meta.value()?)?;
                    if out.initial.replace(v).is_some() {
                        return Err(twice());
                    }
                }
                "choices" => {
                    let value = meta.value()?;
                    let content;
                    bracketed!(content in value);
                    let list: Punctuated<Choice, Token![,]> = content.parse_terminated(Choice::parse, Token![,])?;
                    if list.is_empty() {
                        return Err(syn::Error::new(meta.path.span(), "`choices` cannot be empty"));
                    }
                    if out.choices.replace(list.into_iter().map(|c| c.0).collect()).is_some() {
                        return Err(twice());
                    }
                }
                _ => {
                    return Err(syn::Error::new(
                        meta.path.span(),
                        format!(
                            "unknown form option `{key}`: expected `label`, `widget`, `help`, `initial` or `choices`"
                        ),
                    ));
                }
            }
            Ok(())
        })?;
    }
    Ok(out)
}

fn opt<T: quote::ToTokens>(v: Option<&T>) -> TokenStream {
    match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

pub(crate) fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(input)?;
    let ident = &input.ident;
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        return Err(syn::Error::new(input.generics.span(), "forms cannot be generic"));
    }
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new(ident.span(), "a form is a struct with named fields"));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new(data.fields.span(), "a form is a struct with named fields"));
    };
    let container = serde_names::container(&input.attrs)?;
    if !container.deny_unknown_fields {
        return Err(syn::Error::new(
            ident.span(),
            "forms refuse unknown keys like every mizan input: add `#[serde(deny_unknown_fields)]`",
        ));
    }

    let mut names = Vec::new();
    let mut rust_names = Vec::new();
    let mut specs = Vec::new();
    let mut file: Option<(TokenStream, TokenStream)> = None;
    for field in &named.named {
        let Some(field_ident) = &field.ident else { continue };
        let serde = serde_names::field(&field.attrs)?;
        if let Some(span) = serde.flatten {
            return Err(syn::Error::new(span, "form fields cannot be flattened: list them in the form"));
        }
        let options = field_options(&field.attrs)?;
        let shape = upload::shape(&field.ty)?;
        let upload_attrs: Vec<&syn::Attribute> =
            field.attrs.iter().filter(|a| a.path().is_ident("upload")).collect();
        if shape.is_none() {
            if let Some(attr) = upload_attrs.first() {
                return Err(syn::Error::new(
                    attr.span(),
                    "#[upload(...)] is for a file field: `mizan::Upload`, `Option<mizan::Upload>` or `mizan::Uploads`",
                ));
            }
            if options.widget.as_ref().is_some_and(|w| w == "File") {
                return Err(syn::Error::new(
                    field.ty.span(),
                    "the `file` widget is for a file field: `mizan::Upload`, `Option<mizan::Upload>` or `mizan::Uploads`",
                ));
            }
        }
        if let Some(shape) = shape {
            if !serde.skipped {
                return Err(syn::Error::new(
                    field.ty.span(),
                    "a file field is not in the values' JSON (its files are parts of the multipart `NAME.submit`): \
                     add `#[serde(skip)]` and `#[garde(skip)]`",
                ));
            }
            if options.initial.is_some() || options.choices.is_some() {
                return Err(syn::Error::new(
                    field_ident.span(),
                    "a file field takes no `initial` value nor `choices`",
                ));
            }
            if file.is_some() {
                return Err(syn::Error::new(
                    field_ident.span(),
                    "a form takes at most one file field (a list of files is `mizan::Uploads`)",
                ));
            }
            let rust = field_ident.to_string();
            let rust = rust.strip_prefix("r#").unwrap_or(&rust);
            let wire = match (&serde.rename, container.rename_all) {
                (Some(name), _) => name.clone(),
                (None, Some(rule)) => rule.apply(rust),
                (None, None) => rust.to_owned(),
            };
            if !is_identifier(&wire) {
                return Err(syn::Error::new(
                    field_ident.span(),
                    format!(
                        "a file field's wire name is its part's name: `{wire}` must be letters, digits and `_`"
                    ),
                ));
            }
            let limits = upload::limits(&upload_attrs, shape)?;
            let ty = &field.ty;
            let spec = upload::spec(&wire, ty, shape, &limits);
            let attach = quote! {
                if let ::core::option::Option::Some(files) =
                    <#ty as ::mizan::upload::FromFiles>::from_files(files)
                {
                    self.#field_ident = files;
                }
            };
            file = Some((spec, attach));
            let label = opt(options.label.as_ref());
            let help = opt(options.help.as_ref());
            specs.push(quote! {
                ::mizan::forms::FieldSpec {
                    name: #wire,
                    label: #label,
                    widget: ::core::option::Option::Some(::mizan::forms::Widget::File),
                    help: #help,
                    initial: ::core::option::Option::None,
                    choices: ::core::option::Option::None,
                }
            });
            rust_names.push(rust.to_owned());
            names.push(wire);
            continue;
        }
        if serde.skipped {
            if let Some(attr) = field.attrs.iter().find(|a| a.path().is_ident("form")) {
                return Err(syn::Error::new(
                    attr.span(),
                    "this field is skipped by serde: it is not a form field",
                ));
            }
            continue;
        }
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("garde")) {
            if is_stringy(&field.ty) {
                check_length_mode(attr)?;
            }
        }
        let rust = field_ident.to_string();
        let rust = rust.strip_prefix("r#").unwrap_or(&rust);
        let wire = match (&serde.rename, container.rename_all) {
            (Some(name), _) => name.clone(),
            (None, Some(rule)) => rule.apply(rust),
            (None, None) => rust.to_owned(),
        };
        let label = opt(options.label.as_ref());
        let help = opt(options.help.as_ref());
        let widget = match &options.widget {
            Some(w) => quote!(::core::option::Option::Some(::mizan::forms::Widget::#w)),
            None => quote!(::core::option::Option::None),
        };
        let initial = opt(options.initial.as_ref());
        let choices = match &options.choices {
            Some(list) => quote!(::core::option::Option::Some(&[#(#list),*])),
            None => quote!(::core::option::Option::None),
        };
        specs.push(quote! {
            ::mizan::forms::FieldSpec {
                name: #wire,
                label: #label,
                widget: #widget,
                help: #help,
                initial: #initial,
                choices: #choices,
            }
        });
        rust_names.push(rust.to_owned());
        names.push(wire);
    }
    if names.is_empty() {
        return Err(syn::Error::new(ident.span(), "a form needs at least one field"));
    }
    let doc = opt(doc_string(&input.attrs).as_ref());
    let upload = match &file {
        Some((spec, attach)) => quote! {
            const UPLOAD: ::core::option::Option<::mizan::upload::UploadSpec> =
                ::core::option::Option::Some(#spec);
            fn attach(&mut self, files: ::mizan::upload::Files) {
                #attach
            }
        },
        None => quote!(),
    };

    Ok(quote! {
        impl ::mizan::forms::FormFields for #ident {
            const DOC: ::core::option::Option<&'static str> = #doc;
            const FIELD_NAMES: &'static [&'static str] = &[#(#names),*];
            const FIELDS: &'static [::mizan::forms::FieldSpec] = &[#(#specs),*];
            const WIRE_NAMES: &'static [(&'static str, &'static str)] = &[#((#rust_names, #names)),*];
            #upload
        }
    })
}

/// `[A-Za-z_][A-Za-z0-9_]*`: a name that is a part's name and a bare
/// property name in generated code.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
