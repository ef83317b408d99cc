//! Request and response bodies of the client's operation methods, by the kind lowering chose
//! from the media type ([`BodyKind`], [`ResponseBody`]): the body argument and the builder
//! call that sends it, the `multipart/form-data` request types, and the type of each documented
//! response. The machinery (form and multipart encoding,
//! text and binary bodies with their content type) is in `desk_runtime::client` (`rt` in the
//! generated module); these only call it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{docs, ident, ty_tokens, Form};
use crate::ir::{Body, BodyKind, Collection, Ir, MultipartDef, Operation, PartKind, ResponseBody};

/// `rt::Collection::joined(&[",", "|"])` or `rt::Collection::exploded(&[...])`.
pub(in crate::emit) fn collection(collection: &Collection) -> TokenStream {
    let delimiters = collection.delimiters.iter().map(|d| d.text());
    if collection.explode {
        quote!(rt::Collection::exploded(&[#(#delimiters),*]))
    } else {
        quote!(rt::Collection::joined(&[#(#delimiters),*]))
    }
}

/// The array fields of a urlencoded form that go on the wire other than one pair per item,
/// with their collections: `&[("tags", rt::Collection::joined(&["|"]))]`.
pub(in crate::emit) fn form_collections(body: &Body) -> TokenStream {
    let fields = body.form_collections.iter().map(|(name, items)| {
        let items = collection(items);
        quote!((#name, #items))
    });
    quote!(&[#(#fields),*])
}

/// The `body` argument and the builder call that sends it, for each [`BodyKind`]: JSON and
/// urlencoded forms from the schema's type (`impl Into<T>`, `Option<T>` when not required),
/// multipart from its generated struct, text as `impl Into<String>`, anything else as
/// `impl Into<Binary>` (bytes with an optional content type).
pub(super) fn request_body(ir: &Ir, body: &Body) -> (TokenStream, TokenStream) {
    let media = body.media_type.as_str();
    let required = body.required;
    match (&body.kind, &body.ty) {
        (BodyKind::Json | BodyKind::Form, Some(ty)) => {
            let ty = ty_tokens(ir, ty, body.form.form());
            let call = if body.kind == BodyKind::Json {
                quote!(json)
            } else if body.form_collections.is_empty() {
                quote!(form)
            } else {
                quote!(form_with)
            };
            let with = (!body.form_collections.is_empty()).then(|| {
                let fields = form_collections(body);
                quote!(, #fields)
            });
            if required {
                (
                    quote!(body: impl Into<#ty>),
                    quote!(.#call(Some(&body.into()) #with)),
                )
            } else {
                (
                    quote!(body: Option<#ty>),
                    quote!(.#call(body.as_ref() #with)),
                )
            }
        }
        (BodyKind::Multipart(def), _) => {
            let name = ident(&def.name);
            if required {
                (quote!(body: #name), quote!(.multipart(Some(&body))))
            } else {
                (
                    quote!(body: Option<#name>),
                    quote!(.multipart(body.as_ref())),
                )
            }
        }
        (BodyKind::Text, _) if required => (
            quote!(body: impl Into<String>),
            quote!(.text(Some(body), #media)),
        ),
        (BodyKind::Text, _) => (quote!(body: Option<String>), quote!(.text(body, #media))),
        _ if required => (
            quote!(body: impl Into<rt::Binary>),
            quote!(.binary(Some(body), #media)),
        ),
        _ => (
            quote!(body: Option<rt::Binary>),
            quote!(.binary(body, #media)),
        ),
    }
}

/// `{Stem}Multipart`: one public field per part (`FilePart` for files, `Vec<FilePart>` for
/// arrays of files, the property's type for text parts; `Option` when not required), and its
/// `ToMultipart` implementation, which adds the parts in property order; in a stable API, the
/// constructor and setters lowering named.
pub(super) fn multipart_struct(ir: &Ir, op: &Operation, def: &MultipartDef) -> TokenStream {
    let name = ident(&def.name);
    let mut fields = Vec::new();
    let mut adds = Vec::new();
    let (mut args, mut inits, mut setters) = (Vec::new(), Vec::new(), Vec::new());
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
            PartKind::Collection(ty, items) => {
                let items = collection(items);
                (
                    ty_tokens(ir, ty, Form::Model),
                    quote!(form.collection(#wire, #value, #items, #content_type)?;),
                )
            }
            PartKind::File => (
                quote!(rt::FilePart),
                quote!(form.file(#wire, #value, #content_type);),
            ),
            PartKind::Files => (
                quote!(Vec<rt::FilePart>),
                quote!(form.files(#wire, #value, #content_type);),
            ),
        };
        let doc_attrs = docs(part.docs.as_deref());
        if part.required {
            args.push(quote!(#field: impl Into<#ty>));
            inits.push(quote!(#field: #field.into()));
        } else {
            inits.push(quote!(#field: None));
        }
        if let Some(setter) = &part.setter {
            let setter = ident(setter);
            let doc = format!(" Sets `{wire}`.");
            setters.push(quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #setter(mut self, value: impl Into<#ty>) -> Self {
                    self.#field = Some(value.into());
                    self
                }
            });
        }
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
    let default = def.default.then(|| quote!(Default,));
    let doc = format!(
        " The `multipart/form-data` body of [`Client::{}`]: one field per part.",
        op.rust_name
    );
    let form_mut = if def.parts.is_empty() {
        quote!(form)
    } else {
        quote!(mut form)
    };
    let non_exhaustive = super::super::non_exhaustive(ir);
    let methods = def.constructor.as_deref().map(|constructor| {
        let constructor = ident(constructor);
        let doc = match (args.is_empty(), setters.is_empty()) {
            (true, _) => " No part set; add them with the setters.",
            (false, true) => " A body of these parts.",
            (false, false) => " The required parts set; add the others with the setters.",
        };
        quote! {
            impl #name {
                #[doc = #doc]
                pub fn #constructor(#(#args),*) -> Self {
                    Self { #(#inits,)* }
                }

                #(#setters)*
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        #non_exhaustive
        pub struct #name {
            #(#fields,)*
        }

        #methods

        impl rt::ToMultipart for #name {
            fn to_multipart(&self) -> Result<rt::Multipart, rt::serde_json::Error> {
                let #form_mut = rt::Multipart::new();
                #(#adds)*
                Ok(form)
            }
        }
    }
}

/// The Rust type a response body is returned as: its JSON type, `Text` for `text/*`, `Binary`
/// for any other media type.
pub(super) fn body_type(ir: &Ir, body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Json(ty) => ty_tokens(ir, ty, Form::Model),
        ResponseBody::Text => quote!(rt::Text),
        ResponseBody::Binary => quote!(rt::Binary),
    }
}
