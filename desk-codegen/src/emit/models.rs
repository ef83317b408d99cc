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
use crate::ir::{Field, FormDef, FormField, Ir, StructDef, TypeDef, TypeKind, TypeRef};

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
                Form::Create => forms.create.as_ref().map(|create| (&create.form, None)),
                _ => forms
                    .model
                    .as_ref()
                    .map(|model| (&model.form, model.constructor.as_deref())),
            };
            match form_def {
                Some((form_def, constructor)) => {
                    structure(ir, name, attrs, st, form_def, constructor, form, options)
                }
                None => Items::default(),
            }
        }
        TypeKind::StringEnum(def) => enums::string_enum(ir, name, attrs, def, options),
        TypeKind::IntEnum(def) => enums::int_enum(ir, name, attrs, def, options),
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

/// A chained setter: `#[must_use] pub fn name(mut self, value: impl Into<T>) -> Self { self.field = wrap(value.into()); self }`;
/// for a field of type `()` (a schema whose only value is `null`), `name(mut self)` setting
/// `wrap(())` (passing `()` around is clippy's `unit_arg`).
pub fn setter(
    doc: &str,
    name: &str,
    field: &str,
    inner: syn::Type,
    wrap: syn::Path,
) -> syn::ImplItem {
    if is_unit(&inner) {
        let value = syntax::call(syntax::expr_path(wrap), [syntax::tuple([])]);
        return chained(doc, name, Vec::new(), field, value);
    }
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

/// Whether `ty` is `()`.
fn is_unit(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Tuple(tuple) if tuple.elems.is_empty())
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

/// A struct in `form` (model or create), with the chained setters its form names; a stable
/// API's model also with its constructor (`constructor`).
#[allow(clippy::too_many_arguments)]
fn structure(
    ir: &Ir,
    name: &str,
    mut attrs: Vec<syn::Attribute>,
    st: &StructDef,
    form_def: &FormDef,
    constructor: Option<&str>,
    form: Form,
    options: &EmitOptions,
) -> Items {
    let fields: Vec<(&Field, Shape)> = form_def.kept(st).map(|(f, ff)| (f, ff.shape)).collect();
    let additional = st.additional.as_ref().map(|extra| ty_syn(ir, extra, form));
    attrs.push(struct_derive(form_def.default, options));
    attrs.extend(super::non_exhaustive(ir));
    let mut items = Items::default();
    items.push(syntax::item_struct(
        attrs,
        name,
        field_decls(ir, st, &fields, form, additional),
    ));
    if let Some(constructor) = constructor {
        // A stable API's model: its constructor and every setter in one block.
        items.push(builder(ir, name, st, form_def, constructor, form, options));
    } else {
        // (A create form's constructor and clearers come with its other extras, in `requests`.)
        items.extend(setters_impl(ir, name, st, form_def, form, options));
    }
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

/// The constructor (required fields as `impl Into<T>`, named `constructor` as lowering named
/// it), setters for the other fields, and clearers: the members of a create form (whose setters
/// [`setters_impl`] wrote beside the struct when every field is optional), and of a stable API's
/// model form (all of them here).
pub fn builder(
    ir: &Ir,
    name: &str,
    st: &StructDef,
    form_def: &FormDef,
    constructor: &str,
    form: Form,
    options: &EmitOptions,
) -> syn::Item {
    let kept: Vec<(&Field, &FormField)> = form_def.kept(st).collect();
    let required: Vec<&Field> = kept
        .iter()
        .filter(|(_, f)| f.shape == Shape::Plain)
        .map(|(f, _)| *f)
        .collect();
    let mut methods = vec![constructor_method(
        ir,
        st,
        form_def,
        constructor,
        form,
        &kept,
        &required,
    )];
    // A create form whose fields are all optional has its setters beside the struct.
    let setters_here = !form_def.default || form == Form::Model;
    for (field, form_field) in &kept {
        if let (true, Some(name)) = (setters_here, &form_field.setter) {
            let doc = format!(" Sets `{}`.", field.wire_name);
            let wrap = match form_field.shape {
                Shape::TriState => options.patch("Value"),
                _ => syntax::path("Some"),
            };
            let inner = ty_syn(ir, &field.ty, form);
            methods.push(setter(&doc, name, &field.rust_name, inner, wrap));
        }
        if let Some(name) = &form_field.clearer {
            let doc = format!(" Clears `{}`: sends `null`.", field.wire_name);
            methods.push(clearer(&doc, name, &field.rust_name, options));
        }
    }
    syntax::item_impl(None, syntax::named_type(name), methods)
}

/// `pub fn new(required: impl Into<T>, ...) -> Self` (named `name`): the required fields are
/// its arguments.
fn constructor_method(
    ir: &Ir,
    st: &StructDef,
    form_def: &FormDef,
    name: &str,
    form: Form,
    kept: &[(&Field, &FormField)],
    required: &[&Field],
) -> syn::ImplItem {
    // A field of type `()` takes no argument: its one value is the default.
    let args = required
        .iter()
        .filter(|f| f.ty != TypeRef::Null)
        .map(|f| {
            let ty = syntax::impl_trait("Into", ty_syn(ir, &f.ty, form));
            (ident(&f.rust_name), ty)
        })
        .collect();
    let body = if form_def.default {
        default_call()
    } else {
        let mut inits: Vec<(&str, syn::Expr)> = kept
            .iter()
            .map(|(f, form_field)| {
                let value = if form_field.shape == Shape::Plain && f.ty != TypeRef::Null {
                    syntax::method_call(syntax::var(&f.rust_name), "into", [])
                } else {
                    default_value()
                };
                (f.rust_name.as_str(), value)
            })
            .collect();
        if st.additional.is_some() {
            inits.push((&st.additional_name, default_value()));
        }
        syntax::struct_expr("Self", inits)
    };
    let noun = if form == Form::Model {
        "A value"
    } else {
        "A body"
    };
    let doc = if form_def.default {
        format!(" {noun} with nothing set; add fields with the setters.")
    } else {
        let names: Vec<String> = required
            .iter()
            .map(|f| format!("`{}`", f.wire_name))
            .collect();
        let rest = if kept.len() > required.len() {
            "; add the others with the setters"
        } else {
            ""
        };
        format!(" {noun} with the required {} set{rest}.", names.join(", "))
    };
    syntax::Method {
        attrs: vec![syntax::doc(&doc)],
        public: true,
        name: ident(name),
        receiver: syntax::SelfArg::None,
        args,
        output: Some(syntax::named_type("Self")),
        body: vec![syntax::tail(body)],
    }
    .build()
}

/// `<Self as Default>::default()`.
pub fn default_call() -> syn::Expr {
    let qself = syn::QSelf {
        lt_token: Default::default(),
        ty: Box::new(syntax::named_type("Self")),
        position: 1,
        as_token: Some(Default::default()),
        gt_token: Default::default(),
    };
    let func = syn::Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: Some(qself),
        path: syntax::path("Default::default"),
    });
    syntax::call(func, [])
}

/// `#[must_use] pub fn name(mut self) -> Self { self.field = Patch::Null; self }`.
pub fn clearer(doc: &str, name: &str, field: &str, options: &EmitOptions) -> syn::ImplItem {
    chained(
        doc,
        name,
        Vec::new(),
        field,
        syntax::expr_path(options.patch("Null")),
    )
}

/// `Default::default()`.
pub fn default_value() -> syn::Expr {
    syntax::call(syntax::var("Default::default"), [])
}
