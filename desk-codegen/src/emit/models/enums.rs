//! Open string and integer enums: the definition, then one `string_enum!`/`int_enum!` line
//! from the runtime that writes the conversions (`as_str`/`value`, `From`, `FromStr`,
//! `Display`, serde) from the listed wire values. Unknown values land in the catch-all variant
//! lowering named, and re-serialise unchanged.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::syntax::{self, Items};
use super::super::{ident, non_exhaustive, EmitOptions};
use crate::ir::{EnumDef, EnumVariant, Ir};

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
    let derive = quote!(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord);
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
    Items(vec![definition, invocation])
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
    let derive = quote!(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord);
    let definition = definition(ir, name, attrs, variants, (catch_all, doc, "i64"), derive);
    let values = variants.iter().map(|v| Literal::i64_unsuffixed(v.value));
    let invocation = invocation(name, variants, catch_all, values, "int_enum", options);
    Items(vec![definition, invocation])
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
