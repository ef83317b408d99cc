//! Tagged and untagged unions (`oneOf`/`anyOf`).
//!
//! Without a tag a union is `#[serde(untagged)]` (alternatives tried in spec order); when
//! lowering gave the alternatives guards, `Deserialize` is written out instead and checks each
//! guard (JSON type, listed enum values, known keys) before trying an alternative. With a tag,
//! `Deserialize` reads the tag property and decodes the matching alternative (the tag stays
//! inside its object), and an unknown tag is kept as raw JSON in the catch-all variant lowering
//! named. The serde impls of both are rare and generic, so they stay `quote!` tokens.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::syntax::{self, Items};
use super::super::{ident, ty_syn, Form};
use crate::ir::{Ir, JsonKind, UnionDef, VariantGuard};

/// The union `name` in `form`; `catch_all` is the variant lowering named for unknown tags.
pub(super) fn union(
    ir: &Ir,
    name: &str,
    attrs: Vec<syn::Attribute>,
    union: &UnionDef,
    catch_all: Option<&str>,
    form: Form,
) -> Items {
    let variants: Vec<syn::Variant> = union
        .variants
        .iter()
        .map(|v| syntax::variant(Vec::new(), &v.rust_name, Some(ty_syn(ir, &v.ty, form))))
        .collect();
    match (&union.tag, catch_all) {
        (Some(tag), Some(catch_all)) => tagged(name, attrs, variants, union, tag, catch_all),
        _ => untagged(name, attrs, variants, union),
    }
}

/// `#[serde(untagged)]`, with serde's derived `Deserialize` unless an alternative has a guard.
fn untagged(
    name: &str,
    mut attrs: Vec<syn::Attribute>,
    variants: Vec<syn::Variant>,
    union: &UnionDef,
) -> Items {
    let guarded = union
        .variants
        .iter()
        .any(|v| v.guard != VariantGuard::default());
    let derive = if guarded {
        quote!(Debug, Clone, PartialEq, ::serde::Serialize)
    } else {
        quote!(
            Debug,
            Clone,
            PartialEq,
            ::serde::Serialize,
            ::serde::Deserialize
        )
    };
    attrs.push(syntax::attr_list("derive", derive));
    attrs.push(syntax::attr_list("serde", quote!(untagged)));
    let mut items = Items(vec![syntax::item_enum(attrs, name, variants)]);
    if guarded {
        items.push_tokens(guarded_deserialize(name, union));
    }
    items
}

/// A tagged union: the tag stays inside the alternative's object (it is usually one of its
/// properties), and an unknown tag is kept as raw JSON in the catch-all instead of failing.
fn tagged(
    name: &str,
    mut attrs: Vec<syn::Attribute>,
    mut variants: Vec<syn::Variant>,
    union: &UnionDef,
    tag: &str,
    catch_all: &str,
) -> Items {
    let doc =
        format!(" The `{tag}` value is one this description does not list; the object as sent.");
    variants.push(syntax::variant(
        vec![syntax::doc(&doc)],
        catch_all,
        Some(syntax::named_type("::serde_json::Value")),
    ));
    attrs.push(syntax::attr_list("derive", quote!(Debug, Clone, PartialEq)));
    let mut items = Items(vec![syntax::item_enum(attrs, name, variants)]);

    // The two serde impls are rare (only discriminated unions) and generic: kept as tokens.
    let name = ident(name);
    let unknown = ident(catch_all);
    let arms = union.variants.iter().map(|v| {
        let rust = ident(&v.rust_name);
        let value = v.tag_value.as_deref().unwrap_or_default();
        quote! {
            Some(#value) => ::serde_json::from_value(value).map(Self::#rust).map_err(::serde::de::Error::custom),
        }
    });
    let ser_arms = union.variants.iter().map(|v| {
        let rust = ident(&v.rust_name);
        quote! { Self::#rust(value) => ::serde::Serialize::serialize(value, serializer), }
    });
    items.push_tokens(quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                    Self::#unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(::serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    _ => Ok(Self::#unknown(value)),
                }
            }
        }
    });
    items
}

/// `Deserialize` for an untagged union whose alternatives have guards: the value is read once,
/// then each alternative is tried in spec order when the value has its JSON type and its
/// string-enum properties hold listed values; then, for values none lists (the catch-all of an
/// enum), the alternatives of the right JSON type in order. Kept as tokens: generic and rare.
fn guarded_deserialize(name: &str, union: &UnionDef) -> TokenStream {
    let message = format!("the value matches no alternative of `{name}`");
    let name = ident(name);
    let attempt = |rust: &str, checks: Vec<TokenStream>| {
        let rust = ident(rust);
        if checks.is_empty() {
            quote! {
                if let Ok(decoded) = ::serde_json::from_value(value.clone()) {
                    return Ok(Self::#rust(decoded));
                }
            }
        } else {
            // One `if let` (no nested `if`, which clippy would collapse into a let chain).
            let all = if checks.len() == 1 {
                quote!(#(#checks)*)
            } else {
                quote!((#(#checks)&&*))
            };
            quote! {
                if let Some(Ok(decoded)) = #all.then(|| ::serde_json::from_value(value.clone())) {
                    return Ok(Self::#rust(decoded));
                }
            }
        }
    };
    let kind_check = |guard: &VariantGuard| -> Option<TokenStream> {
        guard.json.map(|kind| match kind {
            JsonKind::Object => quote!(value.is_object()),
            JsonKind::Array => quote!(value.is_array()),
            JsonKind::String => quote!(value.is_string()),
            JsonKind::Number => quote!(value.is_number()),
            JsonKind::Bool => quote!(value.is_boolean()),
        })
    };
    // Three passes, each only with the alternatives it adds something for: every key known and
    // every listed value matching; listed values matching; the JSON type alone.
    let (mut first, mut second, mut third) = (Vec::new(), Vec::new(), Vec::new());
    for variant in &union.variants {
        let guard = &variant.guard;
        let mut checks: Vec<TokenStream> = kind_check(guard).into_iter().collect();
        for (property, listed) in &guard.listed {
            checks.push(quote! {
                value.get(#property).and_then(::serde_json::Value::as_str).is_none_or(|v| [#(#listed),*].contains(&v))
            });
        }
        if let Some(known) = &guard.known {
            let mut strict = checks.clone();
            strict.push(quote! {
                value.as_object().is_some_and(|object| object.keys().all(|key| [#(#known),*].contains(&key.as_str())))
            });
            first.push(attempt(&variant.rust_name, strict));
        } else if guard.keeps_any_object {
            // Before any alternative that would drop keys it does not know.
            let mut open = checks.clone();
            if guard.json.is_none() {
                open.push(quote!(value.is_object()));
            }
            first.push(attempt(&variant.rust_name, open));
        }
        let loose_listed = !guard.listed.is_empty();
        second.push(attempt(&variant.rust_name, checks));
        if loose_listed {
            third.push(attempt(
                &variant.rust_name,
                kind_check(guard).into_iter().collect(),
            ));
        }
    }
    let mut first: Vec<TokenStream> = first;
    first.extend(second);
    let second = third;
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #(#first)*
                #(#second)*
                Err(::serde::de::Error::custom(#message))
            }
        }
    }
}
