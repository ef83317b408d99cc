//! The method of one operation: its arguments, one request chain over the runtime's
//! `RequestBuilder` (path, parameters, body, `Accept`, credentials), then the status `match`.

use proc_macro2::TokenStream;
use quote::quote;

use super::bodies::{collection, request_body};
use super::outcomes::{decode, outcome_type};
use super::pages::page_methods;
use super::params::param_call;
use crate::emit::{docs, ident, ty_tokens, Form};
use crate::ir::{Ir, Operation, ParamArg, ParamEncoding, ParamLocation, PathPart};

/// The method of one operation (and its page methods, when it pages).
pub(super) fn operation(ir: &Ir, op: &Operation) -> TokenStream {
    let mut args = Vec::new();
    for p in op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
    {
        let name = ident(&p.rust_name);
        args.push(match p.arg {
            ParamArg::Str => quote!(#name: &str),
            ParamArg::Owned => {
                let ty = ty_tokens(ir, &p.ty, Form::Model);
                quote!(#name: #ty)
            }
        });
    }
    // The path spelt out as lowering split it: the template's text, then each parameter.
    let mut calls: Vec<TokenStream> = op
        .path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => quote!(.path_text(#text)),
            PathPart::Param(index) => {
                let param = &op.params[*index];
                let name = ident(&param.rust_name);
                match (&param.encoding, param.arg) {
                    // An array, its items joined into one segment.
                    (ParamEncoding::Collection(items), _) => {
                        let items = collection(items);
                        quote!(.path_collection(&#name, #items))
                    }
                    (_, ParamArg::Str) => quote!(.path_param(#name)),
                    (_, ParamArg::Owned) => quote!(.path_param(&#name)),
                }
            }
        })
        .collect();
    if let Some(params_type) = &op.params_type {
        let name = ident(&params_type.name);
        args.push(quote!(params: &#name));
        calls.extend(op.params.iter().filter_map(param_call));
    }
    if let Some(body) = &op.body {
        let (arg, call) = request_body(ir, body);
        args.push(arg);
        calls.push(call);
    }
    if let Some(accept) = &op.accept {
        calls.push(quote!(.accept(#accept)));
    }
    if !op.authenticated {
        calls.push(quote!(.public()));
    }
    let method = ident(op.method.as_str());
    let path = &op.path;
    let span_name = &op.span_name;
    let name = ident(&op.rust_name);
    let ok = outcome_type(ir, &op.ok, quote!(()));
    let err = outcome_type(ir, &op.error, quote!(::std::convert::Infallible));
    let attrs = operation_docs(op);
    let decode = decode(op);
    let pages = op
        .pagination
        .as_ref()
        .map(|pagination| page_methods(ir, op, pagination, &err));
    quote! {
        #(#attrs)*
        pub async fn #name(&self, #(#args),*) -> Result<#ok, rt::Error<#err>> {
            let response = self
                .api
                .request(rt::Method::#method, #path, #span_name)
                #(#calls)*
                .send()
                .await?;
            #decode
        }

        #pages
    }
}

/// The summary, the description, `METHOD /path`, whether it is public, and deprecation.
fn operation_docs(op: &Operation) -> Vec<syn::Attribute> {
    let mut doc = String::new();
    for text in [&op.summary, &op.description].into_iter().flatten() {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(text.trim());
    }
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("`{} {}`", op.method, op.path));
    if !op.authenticated {
        doc.push_str(" (public: sent without credentials)");
    }
    let mut attrs = docs(Some(&doc));
    if op.deprecated {
        attrs.push(syn::parse_quote!(#[doc = ""]));
        attrs.push(syn::parse_quote!(#[doc = " Deprecated by the API."]));
    }
    attrs
}
