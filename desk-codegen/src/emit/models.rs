//! Models: structs, enums, unions and aliases in their model (response) form, and the struct
//! emitter shared with the create form.
//!
//! Emission rules:
//!
//! - **Structs** derive `Debug, Clone, PartialEq, Serialize, Deserialize` (and `Default` when
//!   every field is optional). A field is `T`, `Option<T>` or `Patch<T>` by [`shape`]; the wire
//!   name is kept in `#[serde(rename)]` whenever the Rust name differs. `additionalProperties`
//!   beside properties is a `#[serde(flatten)]` `BTreeMap` named `additional_properties`.
//! - **Builder setters** (types used in query parameters, and create forms, when every field is
//!   optional) carry the names lowering gave them ([`crate::ir::FormField::setter`]).
//! - **String enums** have one variant per value plus a catch-all `Other(String)`; the runtime's
//!   `string_enum!` writes their conversions, so unknown values survive a round trip
//!   ([`enums`]). **Integer enums** do the same with `Other(i64)` and `int_enum!`.
//! - **Unions**: see [`unions`].
//! - **Aliases** are `pub type Name = T;`.
//! - Doc text from the spec is made safe for rustdoc (fenced code becomes `text` blocks), and
//!   the lints that spec-derived names and docs can trip (`clippy::enum_variant_names`,
//!   `clippy::wrong_self_convention`, ...) are allowed per module (see
//!   [`module_allows`](super::module_allows)).

mod enums;
mod unions;

use proc_macro2::TokenStream;
use quote::quote;

use super::syntax::{self, Items};
use super::{docs, ident, ty_syn, EmitOptions, Form};
pub use crate::ir::Shape;
use crate::ir::{Field, FormDef, Ir, StructDef, TypeDef, TypeKind};

/// Emits every type's model form, sorted by name.
pub fn emit(ir: &Ir, options: &EmitOptions) -> Items {
    let mut items = Items::default();
    for def in ir.types_in_order() {
        items.extend(emit_type(ir, def, Form::Model, options));
    }
    items.extend(super::links::decoders(ir, &[Form::Model], options));
    items
}

/// Emits `def` in `form` (`Model` or `Create`; patch forms are in `requests`).
pub fn emit_type(ir: &Ir, def: &TypeDef, form: Form, options: &EmitOptions) -> Items {
    let name = def.name_in(form);
    let attrs = docs(def.docs.as_deref());
    match &def.kind {
        TypeKind::Struct(st) => {
            let forms = &def.forms;
            let form_def = match form {
                Form::Create => forms.create.as_ref().map(|create| &create.form),
                _ => forms.model.as_ref(),
            };
            match form_def {
                Some(form_def) => structure(ir, name, attrs, st, form_def, form, options),
                None => Items::default(),
            }
        }
        TypeKind::StringEnum(def) => enums::string_enum(name, attrs, def, options),
        TypeKind::IntEnum(def) => enums::int_enum(name, attrs, def, options),
        TypeKind::Union(union) => unions::union(ir, name, attrs, union, form, options),
        TypeKind::Alias(target) => Items(vec![alias(attrs, name, ty_syn(ir, target, form))]),
    }
}

/// `pub type Name = target;`.
pub fn alias(attrs: Vec<syn::Attribute>, name: &str, target: syn::Type) -> syn::Item {
    syn::Item::Type(syn::ItemType {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        type_token: Default::default(),
        ident: ident(name),
        generics: Default::default(),
        eq_token: Default::default(),
        ty: Box::new(target),
        semi_token: Default::default(),
    })
}

/// `#[serde(...)]` for a field, when it needs one.
pub fn serde_field_attr(field: &Field, shape: Shape) -> Option<syn::Attribute> {
    let mut parts: Vec<TokenStream> = Vec::new();
    if let Some(wire) = field.renamed_from() {
        parts.push(quote!(rename = #wire));
    }
    match shape {
        Shape::Optional { skip: true } => {
            parts.push(quote!(default));
            parts.push(quote!(skip_serializing_if = "Option::is_none"));
        }
        Shape::Optional { skip: false } => parts.push(quote!(default)),
        Shape::TriState => {
            parts.push(quote!(default));
            parts.push(quote!(skip_serializing_if = "Patch::is_absent"));
        }
        Shape::Plain | Shape::Omitted => {}
    }
    (!parts.is_empty()).then(|| syntax::attr_list("serde", quote!(#(#parts),*)))
}

/// The field's type in `form`, wrapped per its shape (`Patch` is the runtime's, which the
/// requests module imports).
pub fn field_ty(ir: &Ir, field: &Field, shape: Shape, form: Form) -> syn::Type {
    let inner = ty_syn(ir, &field.ty, form);
    match shape {
        Shape::Optional { .. } => syntax::generic_type("Option", [inner]),
        Shape::TriState => syntax::path_type(syntax::with_args(syntax::path("Patch"), [inner])),
        Shape::Plain | Shape::Omitted => inner,
    }
}

/// A field's docs with the deprecation note.
pub fn field_docs(field: &Field) -> Vec<syn::Attribute> {
    if !field.deprecated {
        return docs(field.docs.as_deref().filter(|t| !t.is_empty()));
    }
    let mut text = field.docs.clone().unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str("Deprecated by the API.");
    docs(Some(&text))
}

/// The struct's field declarations in `form` (docs, serde attributes, type), plus the flattened
/// map (named by lowering) holding `additional` values.
pub fn field_decls(
    ir: &Ir,
    st: &StructDef,
    fields: &[(&Field, Shape)],
    form: Form,
    additional: Option<syn::Type>,
) -> Vec<syn::Field> {
    let mut decls: Vec<syn::Field> = fields
        .iter()
        .map(|(field, shape)| {
            let mut attrs = field_docs(field);
            attrs.extend(serde_field_attr(field, *shape));
            syntax::named_field(
                attrs,
                true,
                &field.rust_name,
                field_ty(ir, field, *shape, form),
            )
        })
        .collect();
    if let Some(values) = additional {
        decls.push(additional_field(
            st,
            &[" Properties not listed above, by name."],
            values,
        ));
    }
    decls
}

/// `pub additional_properties: BTreeMap<String, values>` (the name lowering gave the map of
/// `st`), flattened, documented by `doc_lines`.
pub fn additional_field(st: &StructDef, doc_lines: &[&str], values: syn::Type) -> syn::Field {
    let mut attrs: Vec<syn::Attribute> = doc_lines.iter().map(|line| syntax::doc(line)).collect();
    attrs.push(syntax::attr_list("serde", quote!(flatten)));
    let ty = syntax::generic_type(
        "::std::collections::BTreeMap",
        [syntax::named_type("String"), values],
    );
    syntax::named_field(attrs, true, &st.additional_name, ty)
}

/// `#[derive(Debug, Clone, PartialEq, [Default,] extra..., Serialize, Deserialize)]`.
pub fn struct_derive(default: bool, options: &EmitOptions) -> syn::Attribute {
    let extra = options.derives();
    let default = default.then(|| quote!(Default,));
    syntax::attr_list(
        "derive",
        quote!(Debug, Clone, PartialEq, #default #extra ::serde::Serialize, ::serde::Deserialize),
    )
}

/// A chained setter: `#[must_use] pub fn name(mut self, value: impl Into<T>) -> Self { self.field = wrap(value.into()); self }`.
pub fn setter(
    doc: &str,
    name: &str,
    field: &str,
    inner: syn::Type,
    wrap: syn::Path,
) -> syn::ImplItem {
    let value = syntax::call(
        syntax::expr_path(wrap),
        [syntax::method_call(syntax::var("value"), "into", [])],
    );
    chained(
        doc,
        name,
        vec![(ident("value"), syntax::impl_trait("Into", inner))],
        field,
        value,
    )
}

/// `#[must_use] pub fn name(mut self, args) -> Self { self.field = value; self }`.
pub fn chained(
    doc: &str,
    name: &str,
    args: Vec<(proc_macro2::Ident, syn::Type)>,
    field: &str,
    value: syn::Expr,
) -> syn::ImplItem {
    syntax::Method {
        attrs: vec![syntax::doc(doc), syntax::attr_word("must_use")],
        public: true,
        name: ident(name),
        receiver: syntax::SelfArg::MutValue,
        args,
        output: Some(syntax::named_type("Self")),
        body: vec![
            syntax::semi(syntax::assign(
                syntax::field(syntax::var("self"), field),
                value,
            )),
            syntax::tail(syntax::var("self")),
        ],
    }
    .build()
}

/// A struct in `form` (model or create), with the chained setters its form names.
fn structure(
    ir: &Ir,
    name: &str,
    mut attrs: Vec<syn::Attribute>,
    st: &StructDef,
    form_def: &FormDef,
    form: Form,
    options: &EmitOptions,
) -> Items {
    let fields: Vec<(&Field, Shape)> = form_def.kept(st).map(|(f, ff)| (f, ff.shape)).collect();
    let additional = st.additional.as_ref().map(|extra| ty_syn(ir, extra, form));
    attrs.push(struct_derive(form_def.default, options));
    let mut items = Items::default();
    items.push(syntax::item_struct(
        attrs,
        name,
        field_decls(ir, st, &fields, form, additional),
    ));
    items.extend(setters_impl(ir, name, st, form_def, form, options));
    items
}

/// The chained setters of a struct form whose fields are all optional. (A create form with
/// required fields puts its setters beside `new`, in `requests`.)
pub fn setters_impl(
    ir: &Ir,
    name: &str,
    st: &StructDef,
    form_def: &FormDef,
    form: Form,
    options: &EmitOptions,
) -> Option<syn::Item> {
    if !form_def.default {
        return None;
    }
    let methods: Vec<syn::ImplItem> = form_def
        .kept(st)
        .filter_map(|(field, form_field)| {
            let setter_name = form_field.setter.as_deref()?;
            let doc = format!(" Sets `{}`.", field.wire_name);
            let wrap = match form_field.shape {
                Shape::TriState => options.patch("Value"),
                _ => syntax::path("Some"),
            };
            let inner = ty_syn(ir, &field.ty, form);
            Some(setter(&doc, setter_name, &field.rust_name, inner, wrap))
        })
        .collect();
    (!methods.is_empty()).then(|| syntax::item_impl(None, syntax::named_type(name), methods))
}
