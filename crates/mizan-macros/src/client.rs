//! The `#[mizan::client]` expansion.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, FnArg, GenericArgument, ItemFn, Pat, PathArguments, ReturnType, Type};

use crate::options::{Context, Options};
use crate::upload;

struct Arg {
    ident: syn::Ident,
    ty: Type,
    attrs: Vec<Attribute>,
    /// The argument takes files: its shape and `#[upload(...)]` limits.
    upload: Option<(upload::Shape, upload::Limits)>,
}

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let options = Options::parse(attr)?;
    let func: ItemFn = syn::parse2(item)?;
    let sig = &func.sig;
    if sig.asyncness.is_none() {
        return Err(syn::Error::new(sig.fn_token.span(), "#[mizan::client] functions must be `async`"));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        return Err(syn::Error::new(sig.generics.span(), "#[mizan::client] functions cannot be generic"));
    }
    if let Some(v) = &sig.variadic {
        return Err(syn::Error::new(v.span(), "variadic arguments are not supported"));
    }
    let mut inputs = sig.inputs.iter();
    let (req_pat, req_ty) = match inputs.next() {
        Some(FnArg::Typed(pt)) if is_request_ref(&pt.ty) => (&pt.pat, &pt.ty),
        Some(other) => {
            return Err(syn::Error::new(other.span(), "the first argument must be `&mizan::Request`"));
        }
        None => {
            return Err(syn::Error::new(
                sig.paren_token.span.join(),
                "the first argument must be `&mizan::Request`",
            ));
        }
    };
    let args = inputs.map(parse_arg).collect::<syn::Result<Vec<_>>>()?;
    let mut uploads = args.iter().filter(|a| a.upload.is_some());
    let upload_arg = uploads.next();
    if let Some(second) = uploads.next() {
        return Err(syn::Error::new(
            second.ident.span(),
            "a function takes at most one upload argument (a list of files is `mizan::Uploads`)",
        ));
    }
    if let Some(arg) = upload_arg {
        if options.query {
            return Err(syn::Error::new_spanned(
                &arg.ty,
                "uploads are mutations: a query (GET, cached) cannot take files; drop `query` to make this a mutation",
            ));
        }
        if options.context.is_some() {
            return Err(syn::Error::new_spanned(
                &arg.ty,
                "a context function cannot take files (its value is loaded as JSON with every page): \
                 take the file in a mutation without `context = …`",
            ));
        }
    }
    let upload_spec = match upload_arg {
        Some(Arg { ident, ty, upload: Some((shape, limits)), .. }) => {
            let spec = upload::spec(&ident.to_string(), ty, *shape, limits);
            quote!(::core::option::Option::Some(#spec))
        }
        _ => quote!(::core::option::Option::None),
    };
    let attach = match upload_arg {
        Some(Arg { ident, .. }) => quote! {
            fn attach(args: &mut __MizanArgs, files: ::mizan::upload::Files) {
                args.0.#ident.attach(files);
            }
        },
        None => quote!(),
    };
    let (output, error) = output_type(&sig.output, sig.ident.span())?;
    let error = error.map_or_else(|| quote!(::mizan::Error), |e| quote!(#e));

    let name = &sig.ident;
    let name_str = name.to_string();
    let vis = &func.vis;
    let body = &func.block;
    let docs = doc_string(&func.attrs);
    let doc_attrs: Vec<&Attribute> = func.attrs.iter().filter(|a| a.path().is_ident("doc")).collect();
    let other_attrs: Vec<&Attribute> = func.attrs.iter().filter(|a| !a.path().is_ident("doc")).collect();
    let ret = &sig.output;

    let arg_idents: Vec<&syn::Ident> = args.iter().map(|a| &a.ident).collect();
    let arg_names: Vec<String> = args.iter().map(|a| a.ident.to_string()).collect();
    let arg_tys: Vec<&Type> = args.iter().map(|a| &a.ty).collect();
    // An upload argument is kept in a slot the files are attached to, never
    // deserialized nor in the input's schema.
    let field_tys: Vec<TokenStream> = args
        .iter()
        .map(|a| {
            let ty = &a.ty;
            if a.upload.is_some() { quote!(::mizan::upload::Slot<#ty>) } else { quote!(#ty) }
        })
        .collect();
    let field_attrs: Vec<TokenStream> = args
        .iter()
        .map(|a| {
            if a.upload.is_some() {
                quote!(#[serde(skip)])
            } else {
                let attrs = &a.attrs;
                quote!(#(#attrs)*)
            }
        })
        .collect();
    let takes: Vec<TokenStream> = args
        .iter()
        .map(|a| {
            let ident = &a.ident;
            if a.upload.is_some() { quote!(#ident.take()) } else { quote!(#ident) }
        })
        .collect();
    let uses_garde = args.iter().any(|a| a.attrs.iter().any(|at| at.path().is_ident("garde")));
    // Arguments garde does not already walk into (no `dive`, no `skip`):
    // their own garde rules run when their type implements `Validate`,
    // chosen by autoref specialization (`mizan::__private::Nested`).
    let nested: Vec<(&syn::Ident, String)> = args
        .iter()
        .filter(|a| a.upload.is_none())
        .filter(|a| !a.attrs.iter().any(|at| at.path().is_ident("garde") && names_dive_or_skip(at)))
        .map(|a| (&a.ident, a.ident.to_string()))
        .collect();
    let nested_idents = nested.iter().map(|(i, _)| *i);
    let nested_names = nested.iter().map(|(_, n)| n);

    let validate = if uses_garde { quote!(::garde::Validate,) } else { quote!() };
    let garde_container = if uses_garde { quote!(#[garde(allow_unvalidated)]) } else { quote!() };
    let derived_rules = if uses_garde {
        quote!(::mizan::__private::garde::Validate::validate_into(&self.0, __mizan_ctx, __mizan_parent, __mizan_report);)
    } else {
        quote!()
    };

    let kind = if options.query { quote!(::mizan::Kind::Query) } else { quote!(::mizan::Kind::Mutation) };
    let auth = options.auth.tokens();
    let context = match options.context {
        None => quote!(::core::option::Option::None),
        Some(Context::Global) => quote!(::core::option::Option::Some(::mizan::Context::Global)),
        Some(Context::Local) => quote!(::core::option::Option::Some(::mizan::Context::Local)),
    };
    let invalidates: Vec<String> = options.invalidates.iter().map(|i| i.to_string()).collect();
    let invalidate_checks = options.invalidates.iter().map(|i| {
        quote_spanned! {i.span()=> __mizan_is_server_fn(&#i); }
    });
    let rate = match &options.rate {
        None => quote!(::core::option::Option::None),
        Some(r) => {
            let (count, seconds) = (r.count, r.seconds);
            quote!(::core::option::Option::Some(::mizan::Rate::new(#count, ::core::time::Duration::from_secs(#seconds))))
        }
    };
    let doc = match &docs {
        Some(d) => quote!(::core::option::Option::Some(#d)),
        None => quote!(::core::option::Option::None),
    };
    let args_schema_name = format!("{}Args", pascal(&name_str));
    let run_doc = format!("Runs `{name_str}` directly, without HTTP, auth or validation.");

    Ok(quote! {
        #(#doc_attrs)*
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, Default)]
        #vis struct #name;

        impl #name {
            #[doc = #run_doc]
            #(#other_attrs)*
            #vis async fn run(#req_pat: #req_ty, #(#arg_idents: #arg_tys),*) #ret #body
        }

        const _: () = {
            #[derive(::mizan::__private::serde::Deserialize, ::mizan::__private::schemars::JsonSchema, #validate)]
            #[serde(crate = "::mizan::__private::serde", deny_unknown_fields)]
            #[schemars(crate = "::mizan::__private::schemars", rename = #args_schema_name)]
            #garde_container
            #[doc(hidden)]
            pub struct __MizanFields {
                #( #field_attrs #arg_idents: #field_tys, )*
            }

            /// The arguments: their fields' serde and schema, and garde's
            /// rules for them plus those of each argument's own type.
            #[derive(::mizan::__private::serde::Deserialize)]
            #[serde(crate = "::mizan::__private::serde", transparent)]
            #[doc(hidden)]
            pub struct __MizanArgs(__MizanFields);

            impl ::mizan::__private::schemars::JsonSchema for __MizanArgs {
                fn inline_schema() -> bool {
                    <__MizanFields as ::mizan::__private::schemars::JsonSchema>::inline_schema()
                }
                fn schema_name() -> ::std::borrow::Cow<'static, str> {
                    <__MizanFields as ::mizan::__private::schemars::JsonSchema>::schema_name()
                }
                fn schema_id() -> ::std::borrow::Cow<'static, str> {
                    <__MizanFields as ::mizan::__private::schemars::JsonSchema>::schema_id()
                }
                fn json_schema(
                    generator: &mut ::mizan::__private::schemars::SchemaGenerator,
                ) -> ::mizan::__private::schemars::Schema {
                    <__MizanFields as ::mizan::__private::schemars::JsonSchema>::json_schema(generator)
                }
            }

            impl ::mizan::__private::garde::Validate for __MizanArgs {
                type Context = ();
                fn validate_into(
                    &self,
                    __mizan_ctx: &Self::Context,
                    __mizan_parent: &mut dyn FnMut() -> ::mizan::__private::garde::Path,
                    __mizan_report: &mut ::mizan::__private::garde::Report,
                ) {
                    #[allow(unused_imports)]
                    use ::mizan::__private::{ViaNothing as _, ViaValidate as _};
                    let _ = __mizan_ctx;
                    #derived_rules
                    #( (&::mizan::__private::Nested(&self.0.#nested_idents)).validate_nested(#nested_names, __mizan_parent, __mizan_report); )*
                }
            }

            fn __mizan_is_server_fn<F: ::mizan::ServerFn>(_: &F) {}
            fn __mizan_check_invalidates() {
                #(#invalidate_checks)*
            }

            impl ::mizan::ServerFn for #name {
                type Args = __MizanArgs;
                type Output = #output;
                type Error = #error;

                fn info(&self) -> ::mizan::FnInfo {
                    ::mizan::FnInfo {
                        name: #name_str,
                        kind: #kind,
                        auth: #auth,
                        context: #context,
                        invalidates: &[#(#invalidates),*],
                        rate: #rate,
                        doc: #doc,
                        args: &[#(#arg_names),*],
                        upload: #upload_spec,
                    }
                }

                #attach

                #[allow(clippy::manual_async_fn)]
                fn call(
                    req: &::mizan::Request,
                    args: __MizanArgs,
                ) -> impl ::core::future::Future<Output = ::core::result::Result<#output, #error>> + ::core::marker::Send + '_ {
                    let __MizanArgs(__MizanFields { #(#arg_idents),* }) = args;
                    #name::run(req, #(#takes),*)
                }
            }
        };
    })
}

/// Whether a `#[garde(...)]` names `dive` or `skip` anywhere (garde then
/// walks into the value itself, or is told not to).
fn names_dive_or_skip(attr: &Attribute) -> bool {
    fn walk(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|t| match t {
            proc_macro2::TokenTree::Ident(i) => i == "dive" || i == "skip",
            proc_macro2::TokenTree::Group(g) => walk(g.stream()),
            _ => false,
        })
    }
    match &attr.meta {
        syn::Meta::List(list) => walk(list.tokens.clone()),
        _ => false,
    }
}

fn is_request_ref(ty: &Type) -> bool {
    match ty {
        Type::Reference(r) if r.mutability.is_none() => match &*r.elem {
            Type::Path(p) => p.path.segments.last().is_some_and(|s| s.ident == "Request"),
            _ => false,
        },
        _ => false,
    }
}

fn parse_arg(arg: &FnArg) -> syn::Result<Arg> {
    let pt = match arg {
        FnArg::Typed(pt) => pt,
        FnArg::Receiver(r) => return Err(syn::Error::new(r.span(), "server functions cannot take `self`")),
    };
    let ident = match &*pt.pat {
        Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => pi.ident.clone(),
        other => {
            return Err(syn::Error::new(
                other.span(),
                "arguments must be plain names: they are the wire names",
            ));
        }
    };
    if let Type::Reference(r) = &*pt.ty {
        return Err(syn::Error::new(
            r.span(),
            "arguments are deserialized from the request: take an owned type",
        ));
    }
    let shape = upload::shape(&pt.ty)?;
    let upload_attrs: Vec<&Attribute> = pt.attrs.iter().filter(|a| a.path().is_ident("upload")).collect();
    if let Some(shape) = shape {
        if let Some(other) = pt.attrs.iter().find(|a| !a.path().is_ident("upload")) {
            return Err(syn::Error::new_spanned(
                other,
                "an upload argument takes only #[upload(max_bytes = …, max_count = …, mime = […])]: \
                 its files are checked by those limits, not by garde or serde",
            ));
        }
        let limits = upload::limits(&upload_attrs, shape)?;
        return Ok(Arg { ident, ty: (*pt.ty).clone(), attrs: Vec::new(), upload: Some((shape, limits)) });
    }
    if let Some(attr) = upload_attrs.first() {
        return Err(syn::Error::new_spanned(
            attr,
            "#[upload(...)] is for an argument that takes files: `mizan::Upload`, `Option<mizan::Upload>` or `mizan::Uploads`",
        ));
    }
    for attr in &pt.attrs {
        let path = attr.path();
        if !(path.is_ident("garde") || path.is_ident("serde") || path.is_ident("schemars")) {
            return Err(syn::Error::new(
                attr.span(),
                "only #[garde(...)], #[serde(...)] and #[schemars(...)] are allowed on arguments",
            ));
        }
        if path.is_ident("garde") && is_stringy(&pt.ty) {
            check_length_mode(attr)?;
        }
    }
    Ok(Arg { ident, ty: (*pt.ty).clone(), attrs: pt.attrs.clone(), upload: None })
}

/// `String`, `Cow<str>`, `Box<str>` or an `Option` of one.
pub(crate) fn is_stringy(ty: &Type) -> bool {
    let Type::Path(p) = ty else { return false };
    let Some(last) = p.path.segments.last() else { return false };
    match last.ident.to_string().as_str() {
        "String" | "str" => true,
        "Option" | "Cow" | "Box" | "Arc" | "Rc" => match &last.arguments {
            PathArguments::AngleBracketed(a) => a.args.iter().any(|g| match g {
                GenericArgument::Type(t) => is_stringy(t),
                _ => false,
            }),
            _ => false,
        },
        _ => false,
    }
}

/// String lengths count Unicode code points on both sides: `length(chars, …)`.
pub(crate) fn check_length_mode(attr: &Attribute) -> syn::Result<()> {
    let mut result = Ok(());
    let _ = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("length") {
            let mut mode = None;
            let _ = meta.parse_nested_meta(|inner| {
                for m in ["simple", "bytes", "graphemes", "utf16", "chars"] {
                    if inner.path.is_ident(m) {
                        mode = Some(m);
                    }
                }
                if inner.input.peek(syn::Token![=]) {
                    let _: syn::Expr = inner.value()?.parse()?;
                }
                Ok(())
            });
            if mode != Some("chars") {
                result = Err(syn::Error::new(
                    meta.path.span(),
                    "mizan counts lengths in Unicode code points on both sides: write `length(chars, min = …, max = …)`",
                ));
            }
        } else if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
            let _: TokenStream = meta.input.parse()?;
        }
        Ok(())
    });
    result
}

/// `T` and `E` of `mizan::Result<T, E>` (`None` for `mizan::Result<T>`).
fn output_type(ret: &ReturnType, span: Span) -> syn::Result<(Type, Option<Type>)> {
    let err = |s: Span| {
        syn::Error::new(
            s,
            "#[mizan::client] functions return `mizan::Result<T>`, or `mizan::Result<T, E>` with \
             `E` an ErrorType enum or `mizan::Failure<E>`",
        )
    };
    let ty = match ret {
        ReturnType::Type(_, ty) => ty,
        ReturnType::Default => return Err(err(span)),
    };
    let Type::Path(p) = &**ty else { return Err(err(ty.span())) };
    let Some(last) = p.path.segments.last() else { return Err(err(ty.span())) };
    if last.ident != "Result" {
        return Err(err(ty.span()));
    }
    let PathArguments::AngleBracketed(generics) = &last.arguments else { return Err(err(ty.span())) };
    let mut types = generics.args.iter().map(|g| match g {
        GenericArgument::Type(t) => Ok(t.clone()),
        _ => Err(err(g.span())),
    });
    match (types.next(), types.next(), types.next()) {
        (Some(output), error, None) => Ok((output?, error.transpose()?)),
        _ => Err(err(generics.span())),
    }
}

pub(crate) fn doc_string(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|l| l.strip_prefix(' ').unwrap_or(&l).to_owned())
        .collect();
    let text = lines.join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

fn pascal(name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
