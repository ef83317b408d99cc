//! What the links of a module find at run time: `link_decoders!(..)` for every type a
//! `desk_runtime::Link` of the module holds, and in `requests`, `link_conversions!(..)` and
//! `link_diffs!(..)` for the conversions that cross a link (`Link::convert`, `Link::diff`).
//!
//! A link's decoding and conversions must not name the code of the type behind it, or rustc
//! instantiates the decoders of a ring of types one inside the other until it passes its
//! recursion limit (see `desk_runtime::link` and `crate::lower::nesting`): generated code
//! registers them instead, one static each, and the runtime finds them by their type. Types
//! without links get nothing here.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::{syntax, ty_syn, EmitOptions, Form};
use crate::ir::{Holder, Ir, Layer, TypeKind, TypeRef};

/// The types links hold (what is inside each `Link<..>` in the IR), in id and slot order,
/// once each.
fn linked(ir: &Ir) -> Vec<&TypeRef> {
    fn walk<'a>(ty: &'a TypeRef, out: &mut Vec<&'a TypeRef>) {
        let mut next = ty;
        while let Some((layer, inner)) = next.layer() {
            let link = matches!(layer, Layer::Boxed(reason) if reason.holder() == Holder::Link);
            if link && !out.contains(&inner) {
                out.push(inner);
            }
            next = inner;
        }
    }
    let mut out = Vec::new();
    for id in ir.ids_in_order() {
        match &ir.ty(id).kind {
            TypeKind::Struct(def) => {
                for ty in def
                    .fields
                    .iter()
                    .map(|f| &f.ty)
                    .chain(def.additional.as_ref())
                {
                    walk(ty, &mut out);
                }
            }
            TypeKind::Union(def) => def.variants.iter().for_each(|v| walk(&v.ty, &mut out)),
            TypeKind::Alias(ty) => walk(ty, &mut out),
            TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => {}
        }
    }
    out
}

/// `runtime::{name}!(tokens);`
fn invocation(options: &EmitOptions, name: &str, tokens: TokenStream) -> syn::Item {
    syn::Item::Macro(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path: syntax::join(&options.runtime_path, name),
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens,
        },
        semi_token: Some(Default::default()),
    })
}

/// `link_decoders!(..)` for the types links hold in `forms` (the models, or the request
/// forms that are not the model), sorted; `None` when there are none.
pub fn decoders(ir: &Ir, forms: &[Form], options: &EmitOptions) -> Option<syn::Item> {
    let mut types: BTreeMap<String, syn::Type> = BTreeMap::new();
    for ty in linked(ir) {
        for &form in forms {
            if form == Form::Model || ir.differs(ty, form) {
                let held = ty_syn(ir, ty, form);
                types.insert(quote!(#held).to_string(), held);
            }
        }
    }
    if types.is_empty() {
        return None;
    }
    let types = types.values();
    Some(invocation(options, "link_decoders", quote!(#(#types),*)))
}

/// `link_conversions!(XPatch::from_model, ..)` and `link_diffs!(XPatch::diff, ..)`: every
/// conversion of a linked type into a request form that the request forms' conversions call
/// across a link (`Link::convert`, and `Link::diff` for nested patches), each sorted.
pub fn conversions(ir: &Ir, options: &EmitOptions) -> Vec<syn::Item> {
    let mut conversions: BTreeMap<String, TokenStream> = BTreeMap::new();
    let mut diffs: BTreeMap<String, TokenStream> = BTreeMap::new();
    for ty in linked(ir) {
        for form in [Form::Create, Form::Patch] {
            if !ir.differs(ty, form) || !converts(ir, ty, form) {
                continue;
            }
            let function = match super::requests::conv_callable(ir, ty, form) {
                // A closure names its argument's type: the registry finds it by its type.
                syn::Expr::Closure(closure) => {
                    let model = ty_syn(ir, ty, Form::Model);
                    let body = &closure.body;
                    quote!(|v: #model| #body)
                }
                path => quote!(#path),
            };
            conversions.insert(function.to_string(), function);
        }
        if let Some(id) = super::requests::nested_patch_struct(ir, ty) {
            if ir.ty(id).conversions.patch_from_model {
                let patch = syntax::path(ir.ty(id).name_in(Form::Patch));
                let function = quote!(#patch::diff);
                diffs.insert(function.to_string(), function);
            }
        }
    }
    [("link_conversions", conversions), ("link_diffs", diffs)]
        .into_iter()
        .filter(|(_, functions)| !functions.is_empty())
        .map(|(name, functions)| {
            let functions = functions.values();
            invocation(options, name, quote!(#(#functions),*))
        })
        .collect()
}

/// Whether the conversion of a model-form value of `ty` into `form` exists (each request
/// form's `From<Model>` and `from_model` exist only where lowering decided they do).
fn converts(ir: &Ir, ty: &TypeRef, form: Form) -> bool {
    let (leaf, form) = ty.leaf_in(form);
    let TypeRef::Named(id) = leaf else {
        return true;
    };
    let def = ir.ty(*id);
    match &def.kind {
        TypeKind::Alias(target) => converts(ir, target, form),
        TypeKind::Struct(_) if form == Form::Patch && def.patch_name.is_some() => {
            def.conversions.patch_from_model
        }
        _ => def.conversions.create_from_model || def.create_is_model,
    }
}
