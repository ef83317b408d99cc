//! Request and response bodies of the client's operation methods, by the kind lowering chose
//! from the media type ([`BodyKind`], [`ResponseContent`]): the body argument and the
//! statements that put it on the request, the `multipart/form-data` request types, and the
//! decoding of each documented response. The machinery (form and multipart encoding, text and
//! binary bodies with their content type) is in `desk_runtime::client`; these only call it.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use super::syntax::{self, Items};
use super::{docs, ident, ty_syn, ty_tokens, Form};
use crate::ir::{
    Body, BodyForm, BodyKind, Ir, MultipartDef, Operation, PartKind, ResponseContent, ResponseDef,
};

/// How an operation method takes and sends its request body.
pub(super) struct RequestBody {
    /// The type of the `body` argument.
    pub arg: syn::Type,
    /// The statements that put `body` on `spec` (a `RequestSpec`).
    pub stmts: Vec<syn::Stmt>,
    /// Types the body needs (the `multipart/form-data` struct).
    pub types: Items,
}

/// The `body` argument and the statements that send it, for each [`BodyKind`]:
/// JSON and urlencoded forms from the schema's type (`impl Into<T>`, `Option<T>` when not
/// required), multipart from its generated struct, text as `impl Into<String>`, anything else
/// as `impl Into<Binary>` (bytes with an optional content type).
pub(super) fn request_body(ir: &Ir, op: &Operation, body: &Body, rt: &syn::Path) -> RequestBody {
    let rt = rt.to_token_stream();
    let media = body.media_type.as_str();
    let mut types = Items::default();
    let (arg, stmts): (TokenStream, TokenStream) = match (&body.kind, &body.ty) {
        (BodyKind::Json | BodyKind::Form, Some(ty)) => {
            let form = match body.form {
                BodyForm::Patch => Form::Patch,
                BodyForm::Create => Form::Create,
            };
            let ty = ty_tokens(ir, ty, form);
            let with = if body.kind == BodyKind::Json {
                quote!(with_json)
            } else {
                quote!(with_form)
            };
            if body.required {
                (
                    quote!(impl Into<#ty>),
                    quote! {
                        let body = body.into();
                        spec = spec.#with(&body)?;
                    },
                )
            } else {
                (
                    quote!(Option<#ty>),
                    quote! {
                        if let Some(body) = &body {
                            spec = spec.#with(body)?;
                        }
                    },
                )
            }
        }
        (BodyKind::Multipart(def), _) => {
            types.extend(multipart_types(ir, op, def, &rt));
            let name = ident(&def.name);
            if body.required {
                (quote!(#name), quote!(spec = spec.with_multipart(&body)?;))
            } else {
                (
                    quote!(Option<#name>),
                    quote! {
                        if let Some(body) = &body {
                            spec = spec.with_multipart(body)?;
                        }
                    },
                )
            }
        }
        (BodyKind::Text, _) => {
            if body.required {
                (
                    quote!(impl Into<String>),
                    quote!(spec = spec.with_text(body, #media);),
                )
            } else {
                (
                    quote!(Option<String>),
                    quote! {
                        if let Some(body) = body {
                            spec = spec.with_text(body, #media);
                        }
                    },
                )
            }
        }
        _ => {
            if body.required {
                (
                    quote!(impl Into<#rt::Binary>),
                    quote!(spec = spec.with_binary(body, #media);),
                )
            } else {
                (
                    quote!(Option<#rt::Binary>),
                    quote! {
                        if let Some(body) = body {
                            spec = spec.with_binary(body, #media);
                        }
                    },
                )
            }
        }
    };
    RequestBody {
        arg: syn::parse2(arg).unwrap_or_else(|_| syntax::unit_type()),
        stmts: syntax::parse_stmts(stmts),
        types,
    }
}

/// `{Stem}Multipart`: one public field per part (`FilePart` for files, `Vec<FilePart>` for
/// arrays of files, the property's type for text parts; `Option` when not required), and its
/// `ToMultipart` implementation, which adds the parts in property order.
fn multipart_types(ir: &Ir, op: &Operation, def: &MultipartDef, rt: &TokenStream) -> Items {
    let name = ident(&def.name);
    let mut fields = Vec::new();
    let mut adds = Vec::new();
    for part in &def.parts {
        let field = ident(&part.rust_name);
        let wire = part.wire_name.as_str();
        let content_type = match &part.content_type {
            Some(content_type) => quote!(Some(#content_type)),
            None => quote!(None),
        };
        let value = if part.required {
            quote!(&self.#field)
        } else {
            quote!(value)
        };
        let (ty, add) = match &part.kind {
            PartKind::Text(ty) => {
                let ty = ty_tokens(ir, ty, Form::Model);
                (ty, quote!(form.text(#wire, #value, #content_type)?;))
            }
            PartKind::Texts(item) => {
                let item = ty_tokens(ir, item, Form::Model);
                (
                    quote!(Vec<#item>),
                    quote!(form.texts(#wire, #value, #content_type)?;),
                )
            }
            PartKind::File => (
                quote!(#rt::FilePart),
                quote!(form.file(#wire, #value, #content_type);),
            ),
            PartKind::Files => (
                quote!(Vec<#rt::FilePart>),
                quote!(form.files(#wire, #value, #content_type);),
            ),
        };
        let doc_attrs = docs(part.docs.as_deref());
        if part.required {
            fields.push(quote!(#(#doc_attrs)* pub #field: #ty));
            adds.push(add);
        } else {
            fields.push(quote!(#(#doc_attrs)* pub #field: Option<#ty>));
            adds.push(quote! {
                if let Some(value) = &self.#field {
                    #add
                }
            });
        }
    }
    let default = if def.parts.iter().all(|p| !p.required) {
        quote!(Default,)
    } else {
        TokenStream::new()
    };
    let doc = format!(
        " The `multipart/form-data` body of [`Client::{}`]: one field per part.",
        op.rust_name
    );
    let form_mut = if def.parts.is_empty() {
        quote!(form)
    } else {
        quote!(mut form)
    };
    let mut items = Items::default();
    items.push_tokens(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#fields,)*
        }
    });
    items.push_tokens(quote! {
        impl #rt::ToMultipart for #name {
            fn to_multipart(&self) -> Result<#rt::Multipart, #rt::serde_json::Error> {
                let #form_mut = #rt::Multipart::new();
                #(#adds)*
                Ok(form)
            }
        }
    });
    items
}

/// The Rust type a documented response's body is returned as: its JSON type, `Text` for
/// `text/*`, `Binary` for any other media type; `None` when it has no body.
pub(super) fn response_body_type(ir: &Ir, r: &ResponseDef, rt: &syn::Path) -> Option<syn::Type> {
    let rt = syntax::path_text(rt);
    match r.content {
        ResponseContent::Json => r.ty.as_ref().map(|ty| ty_syn(ir, ty, Form::Model)),
        ResponseContent::Text => Some(syntax::named_type(&format!("{rt}::Text"))),
        ResponseContent::Binary => Some(syntax::named_type(&format!("{rt}::Binary"))),
        ResponseContent::None => None,
    }
}

/// The expression that decodes `response` into [`response_body_type`]: `decode_json` (an
/// `Error::Decode` on failure, hence `?`), `decode_text` or `decode_binary` (which keep the
/// content type and cannot fail).
pub(super) fn response_decode(
    ir: &Ir,
    r: &ResponseDef,
    rt: &syn::Path,
    err_ty: &syn::Type,
) -> Option<syn::Expr> {
    let rt_tokens = rt.to_token_stream();
    let tokens = match r.content {
        ResponseContent::Json => {
            let ty = ty_tokens(ir, r.ty.as_ref()?, Form::Model);
            quote!(#rt_tokens::decode_json::<#ty, #err_ty>(&response)?)
        }
        ResponseContent::Text => quote!(#rt_tokens::decode_text(&response)),
        ResponseContent::Binary => quote!(#rt_tokens::decode_binary(&response)),
        ResponseContent::None => return None,
    };
    syn::parse2(tokens).ok()
}

/// `spec = spec.with_accept("...")` when a documented response is not JSON: the media types
/// of the documented responses, in status order, without repeats.
pub(super) fn accept_statement(op: &Operation) -> Vec<syn::Stmt> {
    let other = op
        .responses
        .iter()
        .any(|r| matches!(r.content, ResponseContent::Text | ResponseContent::Binary));
    if !other {
        return Vec::new();
    }
    let mut media_types: Vec<&str> = Vec::new();
    for media in op.responses.iter().filter_map(|r| r.media_type.as_deref()) {
        if !media_types.contains(&media) {
            media_types.push(media);
        }
    }
    let accept = media_types.join(", ");
    syntax::parse_stmts(quote!(spec = spec.with_accept(#accept);))
}
