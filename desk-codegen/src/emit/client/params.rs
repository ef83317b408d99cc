//! Parameters: the struct of an operation's query and header parameters (with its setters),
//! and the builder call that adds each one to a request.

use proc_macro2::TokenStream;
use quote::quote;

use super::bodies::collection;
use crate::emit::{docs, ident, ty_tokens, Form};
use crate::ir::{
    Ir, ListKind, Operation, Param, ParamEncoding, ParamLocation, ParamsType, TypeRef,
};

/// The Rust type of a query or header parameter, and for an array parameter the item type:
/// `Vec<T>`, or `BTreeSet<T>` when lowering chose a set.
pub(in crate::emit) fn param_type(ir: &Ir, p: &Param) -> (TokenStream, Option<TokenStream>) {
    match (&p.ty, p.list) {
        (TypeRef::Vec(item), Some(collection)) => {
            let item_ty = ty_tokens(ir, item, Form::Model);
            let ty = match collection {
                ListKind::Set => quote!(::std::collections::BTreeSet<#item_ty>),
                ListKind::List => quote!(Vec<#item_ty>),
            };
            (ty, Some(item_ty))
        }
        (other, _) => (ty_tokens(ir, other, Form::Model), None),
    }
}

/// The struct of an operation's query and header parameters; `Default`, with a chained setter
/// per parameter, when lowering says so; in a stable API `#[non_exhaustive]`, with a
/// constructor and a setter per optional parameter.
pub(super) fn params_struct(ir: &Ir, op: &Operation, params_type: &ParamsType) -> TokenStream {
    let params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .collect();
    let fields = params.iter().map(|p| {
        let attrs = docs(p.docs.as_deref());
        let field = ident(&p.rust_name);
        let (ty, _) = param_type(ir, p);
        let ty = if p.required { ty } else { quote!(Option<#ty>) };
        quote!(#(#attrs)* pub #field: #ty)
    });
    let doc = format!(
        " Query and header parameters of [`Client::{}`].",
        op.rust_name
    );
    let name = ident(&params_type.name);
    let default = params_type.default.then(|| quote!(Default,));
    let non_exhaustive = super::super::non_exhaustive(ir);
    let constructor = params_type
        .constructor
        .as_deref()
        .map(|constructor| params_constructor(ir, constructor, &params));
    let methods: Vec<TokenStream> = constructor
        .into_iter()
        .chain(params.iter().filter_map(|p| setter(ir, p)))
        .collect();
    let methods = (!methods.is_empty()).then(|| quote!(impl #name { #(#methods)* }));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        #non_exhaustive
        pub struct #name {
            #(#fields,)*
        }

        #methods
    }
}

/// `pub fn new(required: impl Into<T>, ...) -> Self` (a stable API's, named `name` as lowering
/// named it): the required parameters set, the others `None`.
fn params_constructor(ir: &Ir, name: &str, params: &[&Param]) -> TokenStream {
    let name = ident(name);
    let required: Vec<&&Param> = params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let field = ident(&p.rust_name);
        let (ty, _) = param_type(ir, p);
        quote!(#field: impl Into<#ty>)
    });
    let inits = params.iter().map(|p| {
        let field = ident(&p.rust_name);
        if p.required {
            quote!(#field: #field.into())
        } else {
            quote!(#field: None)
        }
    });
    let doc = if required.is_empty() {
        " No parameter set; add them with the setters.".to_owned()
    } else {
        let names: Vec<String> = required
            .iter()
            .map(|p| format!("`{}`", p.wire_name))
            .collect();
        let rest = if params.len() > required.len() {
            "; add the others with the setters"
        } else {
            ""
        };
        format!(" The required {} set{rest}.", names.join(", "))
    };
    quote! {
        #[doc = #doc]
        pub fn #name(#(#args),*) -> Self {
            Self { #(#inits,)* }
        }
    }
}

/// The chained setter lowering named for `p`, when it has one: from any collection of values
/// for an array parameter, else from anything that converts.
fn setter(ir: &Ir, p: &Param) -> Option<TokenStream> {
    let name = ident(p.setter.as_deref()?);
    let field = ident(&p.rust_name);
    Some(match param_type(ir, p) {
        (_, Some(item)) => {
            let doc = format!(
                " Sets `{}` from any collection of values (an array, a `Vec`, an iterator).",
                p.wire_name
            );
            quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #name(mut self, values: impl IntoIterator<Item = impl Into<#item>>) -> Self {
                    self.#field = Some(values.into_iter().map(Into::into).collect());
                    self
                }
            }
        }
        (ty, None) => {
            let doc = format!(" Sets `{}`.", p.wire_name);
            quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #name(mut self, value: impl Into<#ty>) -> Self {
                    self.#field = Some(value.into());
                    self
                }
            }
        }
    })
}

/// The call that adds one query or header parameter (none for a path parameter).
pub(super) fn param_call(p: &Param) -> Option<TokenStream> {
    let wire = &p.wire_name;
    let field = ident(&p.rust_name);
    let value = if p.required {
        quote!(Some(&params.#field))
    } else {
        quote!(params.#field.as_ref())
    };
    let header = match p.location {
        ParamLocation::Path => return None,
        ParamLocation::Query => false,
        ParamLocation::Header => true,
    };
    Some(match (&p.encoding, p.list) {
        (ParamEncoding::Collection(items), _) => {
            let items = collection(items);
            if header {
                quote!(.header_collection(#wire, #value, #items))
            } else {
                quote!(.query_collection(#wire, #value, #items))
            }
        }
        (ParamEncoding::Json, _) if header => quote!(.header_json(#wire, #value)),
        (ParamEncoding::Json, _) => quote!(.query_json(#wire, #value)),
        (ParamEncoding::Plain { explode }, Some(_)) if header => {
            quote!(.header_list(#wire, #value, #explode))
        }
        (ParamEncoding::Plain { explode }, Some(_)) => {
            quote!(.query_list(#wire, #value, #explode))
        }
        (ParamEncoding::Plain { .. }, None) if header => quote!(.header(#wire, #value)),
        (ParamEncoding::Plain { .. }, None) => quote!(.query(#wire, #value)),
    })
}
