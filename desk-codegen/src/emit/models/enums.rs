//! Open string and integer enums: the definition, then one `string_enum!`/`int_enum!` line
//! from the runtime that writes the conversions (`as_str`/`value`, `From`, `FromStr`,
//! `Display`, serde) from the listed wire values. Unknown values land in the catch-all variant
//! lowering named, and re-serialise unchanged. The order is derived (the declaration's), or in a
//! stable API the wire values' (`wire_order!`, [`EnumOrder`]), which a new value leaves alone.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::syntax::{self, Items};
use super::super::{ident, non_exhaustive, EmitOptions};
use crate::ir::{EnumDef, EnumOrder, EnumVariant, Ir};

/// `#[derive(..)] pub enum Name { Variant, ..., Other(String) }` and `string_enum!(..)`.
pub(super) fn string_enum(
    ir: &Ir,
    name: &str,
    attrs: Vec<syn::Attribute>,
    def: &EnumDef<String>,
    options: &EmitOptions,
) -> Items {
    let (variants, catch_all) = (&def.variants, def.catch_all.as_str());
    let doc =
        " A value this description does not list; kept as sent so it re-serialises unchanged.";
    let derive = derive_with_order(ir, quote!(Debug, Clone, PartialEq, Eq, Hash));
    let definition = definition(
        ir,
        name,
        attrs,
        variants,
        (catch_all, doc, "String"),
        derive,
    );
    let values = variants.iter().map(|v| Literal::string(&v.value));
    let invocation = invocation(name, variants, catch_all, values, "string_enum", options);
    let mut items = Items(vec![definition, invocation]);
    items.extend(wire_order(ir, name, catch_all, "string", options));
    items
}

/// `#[derive(..)] pub enum Name { Variant, ..., Other(i64) }` and `int_enum!(..)`.
pub(super) fn int_enum(
    ir: &Ir,
    name: &str,
    attrs: Vec<syn::Attribute>,
    def: &EnumDef<i64>,
    options: &EmitOptions,
) -> Items {
    let (variants, catch_all) = (&def.variants, def.catch_all.as_str());
    let doc = " A value this description does not list; kept as sent.";
    let derive = derive_with_order(ir, quote!(Debug, Clone, Copy, PartialEq, Eq, Hash));
    let definition = definition(ir, name, attrs, variants, (catch_all, doc, "i64"), derive);
    let values = variants.iter().map(|v| Literal::i64_unsuffixed(v.value));
    let invocation = invocation(name, variants, catch_all, values, "int_enum", options);
    let mut items = Items(vec![definition, invocation]);
    items.extend(wire_order(ir, name, catch_all, "int", options));
    items
}

/// `derives`, with `PartialOrd, Ord` when the order is the declaration's.
fn derive_with_order(ir: &Ir, derives: TokenStream) -> TokenStream {
    match ir.enum_order {
        EnumOrder::Declaration => quote!(#derives, PartialOrd, Ord),
        EnumOrder::Wire => derives,
    }
}

/// `runtime::wire_order!(kind Name, Other);` when enums are ordered by wire value.
fn wire_order(
    ir: &Ir,
    name: &str,
    catch_all: &str,
    kind: &str,
    options: &EmitOptions,
) -> Option<syn::Item> {
    if ir.enum_order != EnumOrder::Wire {
        return None;
    }
    let (name, catch_all, kind) = (ident(name), ident(catch_all), ident(kind));
    Some(syn::Item::Macro(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path: syntax::join(&options.runtime_path, "wire_order"),
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens: quote!(#kind #name, #catch_all),
        },
        semi_token: Some(Default::default()),
    }))
}

/// The enum: one documented unit variant per listed value, then the catch-all
/// `(name, doc, held type)`.
fn definition<V: std::fmt::Display>(
    ir: &Ir,
    name: &str,
    mut attrs: Vec<syn::Attribute>,
    variants: &[EnumVariant<V>],
    (catch_all, doc, held): (&str, &str, &str),
    derive: TokenStream,
) -> syn::Item {
    let mut decls: Vec<syn::Variant> = variants
        .iter()
        .map(|v| {
            let doc = format!(" `{}`", v.value.to_string().replace('`', "'"));
            syntax::variant(vec![syntax::doc(&doc)], &v.rust_name, None)
        })
        .collect();
    decls.push(syntax::variant(
        vec![syntax::doc(doc)],
        catch_all,
        Some(syntax::named_type(held)),
    ));
    attrs.push(syntax::attr_list("derive", derive));
    attrs.extend(non_exhaustive(ir));
    syntax::item_enum(attrs, name, decls)
}

/// `runtime::macro_name!(Name, Other { Variant = value, ... });`.
fn invocation<V>(
    name: &str,
    variants: &[EnumVariant<V>],
    catch_all: &str,
    values: impl Iterator<Item = Literal>,
    macro_name: &str,
    options: &EmitOptions,
) -> syn::Item {
    let (name, catch_all) = (ident(name), ident(catch_all));
    let names = variants.iter().map(|v| ident(&v.rust_name));
    syn::Item::Macro(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path: syntax::join(&options.runtime_path, macro_name),
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens: quote!(#name, #catch_all { #(#names = #values),* }),
        },
        semi_token: Some(Default::default()),
    })
}
