//! Parsing `#[mizan::client(...)]` options.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitBool, LitStr, Path, Token, bracketed};

pub(crate) enum Auth {
    Public,
    Authenticated,
    Staff,
    Superuser,
    Custom(Path),
}

pub(crate) enum Context {
    Global,
    Local,
}

pub(crate) struct Options {
    pub(crate) query: bool,
    pub(crate) auth: Auth,
    pub(crate) context: Option<Context>,
    pub(crate) invalidates: Vec<Ident>,
}

impl Options {
    pub(crate) fn parse(attr: TokenStream) -> syn::Result<Self> {
        syn::parse2(attr)
    }
}

impl Parse for Options {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut opts = Options { query: false, auth: Auth::Public, context: None, invalidates: Vec::new() };
        let mut seen: Vec<String> = Vec::new();
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            let name = key.to_string();
            if seen.contains(&name) {
                return Err(syn::Error::new(key.span(), format!("`{name}` is given twice")));
            }
            seen.push(name.clone());
            match name.as_str() {
                "query" => opts.query = true,
                "auth" => {
                    input.parse::<Token![=]>()?;
                    opts.auth = parse_auth(input)?;
                }
                "context" => {
                    input.parse::<Token![=]>()?;
                    let lit: LitStr = input.parse()?;
                    opts.context = Some(match lit.value().as_str() {
                        "global" => Context::Global,
                        "local" => Context::Local,
                        _ => {
                            return Err(syn::Error::new(
                                lit.span(),
                                "context must be \"global\" or \"local\"",
                            ));
                        }
                    });
                }
                "invalidates" => {
                    input.parse::<Token![=]>()?;
                    let content;
                    bracketed!(content in input);
                    let list: Punctuated<Ident, Token![,]> =
                        content.parse_terminated(Ident::parse, Token![,])?;
                    opts.invalidates = list.into_iter().collect();
                }
                _ => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown option `{name}`: expected `query`, `auth`, `context` or `invalidates`"
                        ),
                    ));
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(opts)
    }
}

fn parse_auth(input: ParseStream<'_>) -> syn::Result<Auth> {
    if input.peek(LitBool) {
        let b: LitBool = input.parse()?;
        return Ok(if b.value { Auth::Authenticated } else { Auth::Public });
    }
    if input.peek(LitStr) {
        let s: LitStr = input.parse()?;
        return match s.value().as_str() {
            "staff" => Ok(Auth::Staff),
            "superuser" => Ok(Auth::Superuser),
            "authenticated" => Ok(Auth::Authenticated),
            _ => Err(syn::Error::new(
                s.span(),
                "auth must be true, \"staff\", \"superuser\" or a path to an `async fn(&Request) -> mizan::Result<()>`",
            )),
        };
    }
    Ok(Auth::Custom(input.parse()?))
}
