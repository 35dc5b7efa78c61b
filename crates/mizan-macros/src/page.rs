//! The `#[mizan::page("components/X.tsx")]` expansion: an async fn taking
//! the `mizan::Request` and returning `mizan::Result<mizan::Page<Props>>`
//! becomes a unit struct implementing `mizan::PageFn`.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{FnArg, GenericArgument, Ident, ItemFn, LitStr, PathArguments, ReturnType, Token, Type};

use crate::client::doc_string;
use crate::options::{Auth, parse_auth};

/// `"components/X.tsx"` then, optionally, `auth = …` and `layout = "…"`
/// (repeated for nested layouts, outermost first).
struct Options {
    component: LitStr,
    auth: Auth,
    layouts: Vec<LitStr>,
}

impl Parse for Options {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(syn::Error::new(
                Span::call_site(),
                "#[mizan::page] needs the component: #[mizan::page(\"components/Todos.tsx\")]",
            ));
        }
        let component: LitStr = input.parse().map_err(|e| {
            syn::Error::new(e.span(), "the first option is the component, a string: \"components/Todos.tsx\"")
        })?;
        check_component(&component)?;
        let mut auth = Auth::Public;
        let mut seen_auth = false;
        let mut layouts: Vec<LitStr> = Vec::new();
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            if key == "layout" {
                input.parse::<Token![=]>()?;
                let layout: LitStr = input.parse().map_err(|e| {
                    syn::Error::new(
                        e.span(),
                        "a layout is a component, a string: layout = \"components/Layout.tsx\"",
                    )
                })?;
                check_component(&layout)?;
                if layout.value() == component.value() {
                    return Err(syn::Error::new(layout.span(), "a page cannot be its own layout"));
                }
                if layouts.iter().any(|l| l.value() == layout.value()) {
                    return Err(syn::Error::new(layout.span(), "this layout is given twice"));
                }
                layouts.push(layout);
                continue;
            }
            if key != "auth" {
                return Err(syn::Error::new(
                    key.span(),
                    format!("unknown option `{key}`: expected `auth` or `layout`"),
                ));
            }
            if seen_auth {
                return Err(syn::Error::new(key.span(), "`auth` is given twice"));
            }
            seen_auth = true;
            input.parse::<Token![=]>()?;
            auth = if input.peek(LitStr) {
                let level: LitStr = input.parse()?;
                match level.value().as_str() {
                    "user" | "authenticated" => Auth::Authenticated,
                    "staff" => Auth::Staff,
                    "superuser" => Auth::Superuser,
                    _ => {
                        return Err(syn::Error::new(
                            level.span(),
                            "a page's auth must be true, \"user\", \"staff\", \"superuser\" or a path to an \
                             `async fn(&Request) -> mizan::Result<()>`",
                        ));
                    }
                }
            } else {
                parse_auth(input)?
            };
        }
        Ok(Self { component, auth, layouts })
    }
}

/// A component path: relative, inside the dirs, a script file.
fn check_component(lit: &LitStr) -> syn::Result<()> {
    let value = lit.value();
    let refuse = |why: &str| Err(syn::Error::new(lit.span(), format!("the component {why}")));
    if value.is_empty() {
        return refuse("is empty: name its file, relative to the SSR dirs (\"components/Todos.tsx\")");
    }
    if value.starts_with('/') || value.contains('\\') || value.split('/').any(|s| s == ".." || s.is_empty()) {
        return refuse("must be a path relative to the SSR dirs, without `..`, `//` or a leading `/`");
    }
    if ![".tsx", ".jsx", ".ts", ".js"].iter().any(|ext| value.ends_with(ext)) {
        return refuse("must be a .tsx, .jsx, .ts or .js file");
    }
    Ok(())
}

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let options: Options = syn::parse2(attr)?;
    let func: ItemFn = syn::parse2(item)?;
    let sig = &func.sig;
    if sig.asyncness.is_none() {
        return Err(syn::Error::new(sig.fn_token.span(), "#[mizan::page] functions must be `async`"));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        return Err(syn::Error::new(sig.generics.span(), "#[mizan::page] functions cannot be generic"));
    }
    let request_only = "a page function takes one argument, the `mizan::Request` (owned)";
    let mut inputs = sig.inputs.iter();
    let (req_pat, req_ty) = match inputs.next() {
        Some(FnArg::Typed(pt)) if is_owned_request(&pt.ty) => (&pt.pat, &pt.ty),
        Some(other) => return Err(syn::Error::new(other.span(), request_only)),
        None => return Err(syn::Error::new(sig.paren_token.span.join(), request_only)),
    };
    if let Some(extra) = inputs.next() {
        return Err(syn::Error::new(
            extra.span(),
            "a page function takes only the `mizan::Request`: read route parameters with `req.path_param(\"id\")`",
        ));
    }
    let props = props_type(&sig.output, sig.ident.span())?;

    let name = &sig.ident;
    let name_str = name.to_string();
    let vis = &func.vis;
    let body = &func.block;
    let ret = &sig.output;
    let component = &options.component;
    let layouts = &options.layouts;
    let auth = options.auth.tokens();
    let doc = match doc_string(&func.attrs) {
        Some(d) => quote!(::core::option::Option::Some(#d)),
        None => quote!(::core::option::Option::None),
    };
    let doc_attrs = func.attrs.iter().filter(|a| a.path().is_ident("doc"));
    let other_attrs = func.attrs.iter().filter(|a| !a.path().is_ident("doc"));
    let run_doc = format!("Runs the page `{name_str}` directly, without HTTP or auth.");

    Ok(quote! {
        #(#doc_attrs)*
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, Default)]
        #vis struct #name;

        impl #name {
            #[doc = #run_doc]
            #(#other_attrs)*
            #vis async fn run(#req_pat: #req_ty) #ret #body
        }

        impl ::mizan::PageFn for #name {
            type Props = #props;

            fn info(&self) -> ::mizan::PageInfo {
                ::mizan::PageInfo {
                    name: #name_str,
                    component: #component,
                    layouts: &[#(#layouts),*],
                    auth: #auth,
                    doc: #doc,
                }
            }

            fn call(
                &self,
                req: ::mizan::Request,
            ) -> ::mizan::BoxFuture<'static, ::mizan::Result<::mizan::Page<Self::Props>>> {
                ::std::boxed::Box::pin(Self::run(req))
            }
        }
    })
}

/// `Request` or `mizan::Request`, not a reference.
fn is_owned_request(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == "Request"))
}

/// `T` of `mizan::Result<mizan::Page<T>>`.
fn props_type(ret: &ReturnType, span: Span) -> syn::Result<Type> {
    let err =
        |s: Span| syn::Error::new(s, "#[mizan::page] functions return `mizan::Result<mizan::Page<Props>>`");
    let ty = match ret {
        ReturnType::Type(_, ty) => ty,
        ReturnType::Default => return Err(err(span)),
    };
    let result = single_arg(ty, "Result").ok_or_else(|| err(ty.span()))?;
    let props = single_arg(result, "Page").ok_or_else(|| err(result.span()))?;
    Ok(props.clone())
}

/// The one type argument of `…::{ident}<T>`.
fn single_arg<'a>(ty: &'a Type, ident: &str) -> Option<&'a Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != ident {
        return None;
    }
    let PathArguments::AngleBracketed(generics) = &last.arguments else { return None };
    let mut args = generics.args.iter();
    match (args.next(), args.next()) {
        (Some(GenericArgument::Type(t)), None) => Some(t),
        _ => None,
    }
}
