//! Tagged and untagged unions (`oneOf`/`anyOf`).
//!
//! Without a tag a union is `#[serde(untagged)]` (alternatives tried in spec order); when
//! lowering gave the alternatives guards, `Deserialize` comes from the runtime's
//! `guarded_union!`, given the attempts in the order lowering decided (alternative, JSON type,
//! known keys, listed enum values). With a tag, `Deserialize` reads the tag property and decodes the matching
//! alternative (the tag stays inside its object), and an unknown tag is kept as raw JSON in the
//! catch-all variant lowering named; those serde impls are rare and generic, so they stay
//! `quote!` tokens.

use quote::quote;

use super::super::syntax::{self, Items};
use super::super::{docs, ident, non_exhaustive, ty_syn, EmitOptions, Form};
use crate::ir::{Ir, JsonKind, UnionDef, UnionVariant, VariantPayload};

/// The union `name` in `form`.
pub(super) fn union(
    ir: &Ir,
    name: &str,
    attrs: Vec<syn::Attribute>,
    union: &UnionDef,
    form: Form,
    options: &EmitOptions,
) -> Items {
    let variants: Vec<syn::Variant> = union
        .variants
        .iter()
        .map(|v| {
            let held = (v.payload != VariantPayload::Unit).then(|| ty_syn(ir, &v.ty, form));
            syntax::variant(docs(v.docs.as_deref()), &v.rust_name, held)
        })
        .collect();
    let marker = non_exhaustive(ir);
    match (&union.tag, &union.catch_all) {
        (Some(tag), Some(catch_all)) => {
            let names = (name, tag.as_str(), catch_all.as_str());
            tagged(names, attrs, marker, variants, union, options)
        }
        _ => untagged(name, attrs, marker, variants, union, options),
    }
}

/// `#[serde(untagged)]`, with serde's derived `Deserialize` unless an alternative has a guard.
fn untagged(
    name: &str,
    mut attrs: Vec<syn::Attribute>,
    marker: Option<syn::Attribute>,
    variants: Vec<syn::Variant>,
    union: &UnionDef,
    options: &EmitOptions,
) -> Items {
    let guarded = !union.attempts.is_empty();
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
    attrs.extend(marker);
    attrs.push(syntax::attr_list("serde", quote!(untagged)));
    let mut items = Items(vec![syntax::item_enum(attrs, name, variants)]);
    if guarded {
        items.push(guarded_deserialize(name, union, options));
    }
    items
}

/// A tagged union: the tag stays inside the alternative's object (it is usually one of its
/// properties) unless lowering left it to the union (an inline alternative of an implicitly
/// tagged union, which may hold only the tag or the tag and one property), and an unknown tag
/// is kept as raw JSON in the catch-all instead of failing.
fn tagged(
    (name, tag, catch_all): (&str, &str, &str),
    mut attrs: Vec<syn::Attribute>,
    marker: Option<syn::Attribute>,
    mut variants: Vec<syn::Variant>,
    union: &UnionDef,
    options: &EmitOptions,
) -> Items {
    let doc =
        format!(" The `{tag}` value is one this description does not list; the object as sent.");
    variants.push(syntax::variant(
        vec![syntax::doc(&doc)],
        catch_all,
        Some(syntax::named_type("::serde_json::Value")),
    ));
    attrs.push(syntax::attr_list("derive", quote!(Debug, Clone, PartialEq)));
    attrs.extend(marker);
    let mut items = Items(vec![syntax::item_enum(attrs, name, variants)]);

    // The two serde impls are rare (only tagged unions) and generic: kept as tokens.
    let name = ident(name);
    let unknown = ident(catch_all);
    let unions = syntax::join(&options.runtime_path, "unions");
    let arms = union.variants.iter().map(|v| {
        let rust = ident(&v.rust_name);
        let value = v.tag_value.as_deref().unwrap_or_default();
        let decoded = match &v.payload {
            VariantPayload::Object => quote!(::serde_json::from_value(value)),
            VariantPayload::Unit => return quote! { Some(#value) => Ok(Self::#rust), },
            VariantPayload::Property(property) => {
                quote!(#unions::variant_property(&value, #property))
            }
        };
        quote! {
            Some(#value) => #decoded.map(Self::#rust).map_err(::serde::de::Error::custom),
        }
    });
    let whole = |v: &UnionVariant| v.tag_in_object;
    let serialize = if union.variants.iter().all(whole) {
        let ser_arms = union.variants.iter().map(|v| {
            let rust = ident(&v.rust_name);
            quote! { Self::#rust(value) => ::serde::Serialize::serialize(value, serializer), }
        });
        quote! {
            match self {
                #(#ser_arms)*
                Self::#unknown(value) => ::serde::Serialize::serialize(value, serializer),
            }
        }
    } else {
        // Some alternatives leave the tag to the union: encode them, then add it.
        let ser_arms = union.variants.iter().map(|v| {
            let rust = ident(&v.rust_name);
            let value = v.tag_value.as_deref().unwrap_or_default();
            match &v.payload {
                VariantPayload::Object if v.tag_in_object => {
                    quote! { Self::#rust(value) => return ::serde::Serialize::serialize(value, serializer), }
                }
                VariantPayload::Object => {
                    quote! { Self::#rust(value) => (#value, ::serde_json::to_value(value)), }
                }
                VariantPayload::Unit => quote! { Self::#rust => (#value, #unions::empty_object()), },
                VariantPayload::Property(property) => quote! {
                    Self::#rust(value) => (#value, #unions::property_object(#property, value)),
                },
            }
        });
        quote! {
            let (tag, value) = match self {
                #(#ser_arms)*
                Self::#unknown(value) => return ::serde::Serialize::serialize(value, serializer),
            };
            let mut value = value.map_err(::serde::ser::Error::custom)?;
            if let Some(object) = value.as_object_mut() {
                object.insert(#tag.to_owned(), tag.into());
            }
            ::serde::Serialize::serialize(&value, serializer)
        }
    };
    items.push_tokens(quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
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

/// `Deserialize` for an untagged union whose alternatives have guards, through the runtime's
/// `guarded_union!`: the value is read once, then the alternatives are tried in the order
/// lowering gave ([`UnionDef::attempts`]), each when the value passes its guard's parts.
fn guarded_deserialize(name: &str, union: &UnionDef, options: &EmitOptions) -> syn::Item {
    let attempts = union.attempts.iter().map(|attempt| {
        let alternative = &union.variants[attempt.variant];
        let guard = &alternative.guard;
        let variant = ident(&alternative.rust_name);
        let kind = ident(match attempt.json {
            None => "any",
            Some(JsonKind::Object) => "object",
            Some(JsonKind::Array) => "array",
            Some(JsonKind::String) => "string",
            Some(JsonKind::Number) => "number",
            Some(JsonKind::Bool) => "boolean",
        });
        let known = guard
            .known
            .as_ref()
            .filter(|_| attempt.known)
            .map(|keys| quote!([#(#keys),*]));
        let listed: &[(String, Vec<String>)] = if attempt.listed { &guard.listed } else { &[] };
        let listed = listed
            .iter()
            .map(|(property, values)| quote!(#property = [#(#values),*]));
        quote!(#variant: #kind #known #(#listed)*)
    });
    let name = ident(name);
    syn::Item::Macro(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path: syntax::join(&options.runtime_path, "guarded_union"),
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens: quote!(#name { #(#attempts);* }),
        },
        semi_token: Some(Default::default()),
    })
}
