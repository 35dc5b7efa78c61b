//! Parsing `#[mizan::client(...)]` options.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Ident, LitBool, LitStr, Path, Token, bracketed};

pub(crate) enum Auth {
    Public,
    Authenticated,
    Staff,
    Superuser,
    Custom(Path),
}

impl Auth {
    /// The `::mizan::Auth` value the level stands for.
    pub(crate) fn tokens(&self) -> TokenStream {
        match self {
            Auth::Public => quote!(::mizan::Auth::Public),
            Auth::Authenticated => quote!(::mizan::Auth::Authenticated),
            Auth::Staff => quote!(::mizan::Auth::Staff),
            Auth::Superuser => quote!(::mizan::Auth::Superuser),
            Auth::Custom(path) => {
                let path_str = quote!(#path).to_string().replace(' ', "");
                quote_spanned! {path.span()=>
                    ::mizan::Auth::Custom(#path_str, {
                        fn __mizan_check<'a>(req: &'a ::mizan::Request) -> ::mizan::BoxFuture<'a, ::mizan::Result<()>> {
                            ::std::boxed::Box::pin(#path(req))
                        }
                        __mizan_check
                    })
                }
            }
        }
    }
}

pub(crate) enum Context {
    Global,
    Local,
}

/// `rate = "N/period"`: `count` calls per `seconds`.
pub(crate) struct Rate {
    pub(crate) count: u32,
    pub(crate) seconds: u64,
}

pub(crate) struct Options {
    pub(crate) query: bool,
    pub(crate) rate: Option<Rate>,
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
        let mut opts =
            Options { query: false, rate: None, auth: Auth::Public, context: None, invalidates: Vec::new() };
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
                "rate" => {
                    input.parse::<Token![=]>()?;
                    opts.rate = Some(parse_rate(&input.parse()?)?);
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
                            "unknown option `{name}`: expected `query`, `auth`, `context`, `invalidates` or `rate`"
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

pub(crate) fn parse_auth(input: ParseStream<'_>) -> syn::Result<Auth> {
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

/// `"N/period"`: a positive count of calls, then `s`/`sec`/`second`,
/// `min`/`minute`, `h`/`hour` or `day` (plurals too).
fn parse_rate(lit: &LitStr) -> syn::Result<Rate> {
    let refuse = |why: &str| {
        syn::Error::new(
            lit.span(),
            format!(
                "{why}: rate must be \"N/period\" with N a positive count and period one of s, min, h, day (e.g. \"10/min\")"
            ),
        )
    };
    let value = lit.value();
    let Some((count, period)) = value.split_once('/') else { return Err(refuse("no `/`")) };
    let count: u32 = match count.trim().parse() {
        Ok(0) => return Err(refuse("a count of 0 allows no call")),
        Ok(n) => n,
        Err(_) => return Err(refuse(&format!("`{}` is not a count", count.trim()))),
    };
    let seconds = match period.trim() {
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hour" | "hours" => 3600,
        "day" | "days" => 86_400,
        other => return Err(refuse(&format!("`{other}` is not a period"))),
    };
    Ok(Rate { count, seconds })
}
