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
//!   optional) are named after the field, or `set_{field}` when that would shadow a trait
//!   method code calls by name (`clone`, `into`, `default`, ...).
//! - **String enums** have one variant per value plus `Other(String)`, and serialise through
//!   `as_str`/`From<&str>`, so unknown values survive a round trip. **Integer enums** do the
//!   same with `Other(i64)`.
//! - **Unions** without a tag are `#[serde(untagged)]` (variants tried in spec order); when
//!   lowering gave the variants guards, `Deserialize` is written out instead and checks each
//!   guard (JSON type, listed enum values, known keys) before trying a variant; with a
//!   tag, `Deserialize` reads the tag property and decodes the matching variant (the tag stays
//!   inside the variant's object), and an unknown tag is kept as `Unknown(serde_json::Value)`.
//! - **Aliases** are `pub type Name = T;`.
//! - Doc text from the spec is made safe for rustdoc (fenced code becomes `text` blocks), and
//!   the lints that spec-derived names and docs can trip (`clippy::enum_variant_names`,
//!   `clippy::wrong_self_convention`, ...) are allowed per module (see
//!   [`module_allows`](super::module_allows)).

use proc_macro2::TokenStream;
use quote::quote;

use super::syntax::{self, Items};
use super::{docs, ident, ty_syn, EmitOptions, Form};
use crate::ir::{
    EnumVariant, Field, Ir, JsonKind, StructDef, TypeDef, TypeKind, UnionDef, VariantGuard,
};

/// How a field is held in a given form (the table in `design/type-mapping.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Left out of this form.
    Omitted,
    /// `T`, always sent.
    Plain,
    /// `Option<T>`; `skip` when `None` is left off the wire (otherwise sent as `null`).
    Optional {
        /// Skip serialising `None`.
        skip: bool,
    },
    /// `Patch<T>`: absent, null or a value.
    TriState,
}

/// The shape of `field` in `form`.
pub fn shape(field: &Field, form: Form) -> Shape {
    match form {
        Form::Model if field.write_only => Shape::Omitted,
        Form::Create | Form::Patch if field.read_only => Shape::Omitted,
        Form::Patch => Shape::TriState,
        Form::Model => match (field.required, field.nullable) {
            (true, false) => Shape::Plain,
            (true, true) => Shape::Optional { skip: false },
            (false, _) => Shape::Optional { skip: true },
        },
        Form::Create => match (field.required, field.nullable) {
            (true, false) => Shape::Plain,
            (true, true) => Shape::Optional { skip: false },
            (false, false) => Shape::Optional { skip: true },
            (false, true) => Shape::TriState,
        },
    }
}

/// Emits every type's model form, sorted by name.
pub fn emit(ir: &Ir, options: &EmitOptions) -> Items {
    let mut items = Items::default();
    for def in ir.types_in_order() {
        items.extend(emit_type(ir, def, Form::Model, options));
    }
    items
}

/// Emits `def` in `form` (`Model` or `Create`; patch forms are in `requests`).
pub fn emit_type(ir: &Ir, def: &TypeDef, form: Form, options: &EmitOptions) -> Items {
    let name = match form {
        Form::Model => &def.name,
        Form::Create => def.create_name.as_deref().unwrap_or(&def.name),
        Form::Patch => def.patch_name.as_deref().unwrap_or(&def.name),
    };
    let mut items = Items::default();
    match &def.kind {
        TypeKind::Struct(st) => {
            let docs = docs(def.docs.as_deref());
            items.extend(emit_struct(
                ir,
                name,
                docs,
                st,
                form,
                def.builder || form == Form::Create,
                options,
            ));
        }
        TypeKind::StringEnum(variants) => items.extend(emit_string_enum(
            name,
            docs(def.docs.as_deref()),
            variants,
            options,
        )),
        TypeKind::IntEnum(variants) => items.extend(emit_int_enum(
            name,
            docs(def.docs.as_deref()),
            variants,
            options,
        )),
        TypeKind::Union(union) => {
            items.extend(emit_union(ir, name, docs(def.docs.as_deref()), union, form))
        }
        TypeKind::Alias(target) => items.push(alias(
            docs(def.docs.as_deref()),
            name,
            ty_syn(ir, target, form),
        )),
    }
    items
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
pub fn serde_field_attr(
    field: &Field,
    shape: Shape,
    options: &EmitOptions,
) -> Option<syn::Attribute> {
    let mut parts: Vec<TokenStream> = Vec::new();
    if field.rust_name != field.wire_name {
        let wire = &field.wire_name;
        parts.push(quote!(rename = #wire));
    }
    match shape {
        Shape::Optional { skip: true } => {
            parts.push(quote!(default));
            parts.push(quote!(skip_serializing_if = "Option::is_none"));
        }
        Shape::Optional { skip: false } => parts.push(quote!(default)),
        Shape::TriState => {
            let skip = format!(
                "{}::Patch::is_absent",
                syntax::path_text(&options.runtime_path)
            );
            parts.push(quote!(default));
            parts.push(quote!(skip_serializing_if = #skip));
        }
        Shape::Plain | Shape::Omitted => {}
    }
    (!parts.is_empty()).then(|| syntax::attr_list("serde", quote!(#(#parts),*)))
}

/// The field's type in `form`, wrapped per its shape.
pub fn field_ty(
    ir: &Ir,
    field: &Field,
    shape: Shape,
    form: Form,
    options: &EmitOptions,
) -> syn::Type {
    let inner = ty_syn(ir, &field.ty, form);
    match shape {
        Shape::Optional { .. } => syntax::generic_type("Option", [inner]),
        Shape::TriState => syntax::path_type(syntax::with_args(
            syntax::join(&options.runtime_path, "Patch"),
            [inner],
        )),
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
/// `additional_properties` map holding `additional` values.
pub fn field_decls(
    ir: &Ir,
    fields: &[(&Field, Shape)],
    form: Form,
    additional: Option<syn::Type>,
    options: &EmitOptions,
) -> Vec<syn::Field> {
    let mut decls: Vec<syn::Field> = fields
        .iter()
        .map(|(field, shape)| {
            let mut attrs = field_docs(field);
            attrs.extend(serde_field_attr(field, *shape, options));
            syntax::named_field(
                attrs,
                true,
                &field.rust_name,
                field_ty(ir, field, *shape, form, options),
            )
        })
        .collect();
    if let Some(values) = additional {
        let attrs = vec![
            syntax::doc(" Properties not listed above, by name."),
            syntax::attr_list("serde", quote!(flatten)),
        ];
        let ty = syntax::generic_type(
            "::std::collections::BTreeMap",
            [syntax::named_type("String"), values],
        );
        decls.push(syntax::named_field(
            attrs,
            true,
            "additional_properties",
            ty,
        ));
    }
    decls
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

fn emit_struct(
    ir: &Ir,
    name: &str,
    mut attrs: Vec<syn::Attribute>,
    st: &StructDef,
    form: Form,
    builder: bool,
    options: &EmitOptions,
) -> Items {
    let fields: Vec<(&Field, Shape)> = st
        .fields
        .iter()
        .map(|f| (f, shape(f, form)))
        .filter(|(_, s)| *s != Shape::Omitted)
        .collect();
    let all_optional = fields.iter().all(|(_, s)| *s != Shape::Plain);
    let additional = st.additional.as_ref().map(|extra| ty_syn(ir, extra, form));
    attrs.push(struct_derive(all_optional, options));
    let mut items = Items::default();
    items.push(syntax::item_struct(
        attrs,
        name,
        field_decls(ir, &fields, form, additional, options),
    ));
    if builder && all_optional {
        let mut method_names = crate::names::Scope::default();
        let methods = fields
            .iter()
            .map(|(field, shape)| {
                let setter_name = method_names.claim(setter_name(&field.rust_name));
                let inner = ty_syn(ir, &field.ty, form);
                let doc = format!(" Sets `{}`.", field.wire_name);
                let wrap = match shape {
                    Shape::TriState => options.patch("Value"),
                    _ => syntax::path("Some"),
                };
                setter(&doc, &setter_name, &field.rust_name, inner, wrap)
            })
            .collect();
        items.push(syntax::item_impl(None, syntax::named_type(name), methods));
    }
    items
}

/// Trait methods that code calls by method or path syntax (`value.clone()`, `value.into()`,
/// `Type::default()`): an inherent setter of the same name would shadow them. (`eq`/`ne` are
/// left alone: `==` does not go through method lookup, and `filter.eq(x)` reads well.)
const TRAIT_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "fmt",
    "hash",
    "serialize",
    "deserialize",
    "default",
    "into",
    "from",
    "try_into",
    "try_from",
    "to_owned",
    "to_string",
    "borrow",
    "borrow_mut",
    "type_id",
];

/// A builder setter is named after its field, or `set_{field}` when that would shadow a trait
/// method.
fn setter_name(field: &str) -> String {
    if TRAIT_METHODS.contains(&field) {
        format!("set_{field}")
    } else {
        field.to_owned()
    }
}

fn emit_string_enum(
    name: &str,
    attrs: Vec<syn::Attribute>,
    variants: &[EnumVariant<String>],
    options: &EmitOptions,
) -> Items {
    let self_variant = |variant: &str| syntax::join(&syntax::path("Self"), variant);
    let mut decls: Vec<syn::Variant> = variants
        .iter()
        .map(|v| {
            let doc = format!(" `{}`", v.value.replace('`', "'"));
            syntax::variant(vec![syntax::doc(&doc)], &v.rust_name, None)
        })
        .collect();
    decls.push(syntax::variant(
        vec![syntax::doc(
            " A value this description does not list; kept as sent so it re-serialises unchanged.",
        )],
        "Other",
        Some(syntax::named_type("String")),
    ));
    let mut attrs = attrs;
    attrs.push(syntax::attr_list(
        "derive",
        quote!(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord),
    ));
    let mut items = Items::default();
    items.push(syntax::item_enum(attrs, name, decls));

    let known = syntax::ImplConst {
        doc: " Every value the description lists.",
        name: "KNOWN",
        ty: syntax::static_slice(syntax::named_type("Self")),
        value: syntax::borrow(syntax::array(
            variants
                .iter()
                .map(|v| syntax::expr_path(self_variant(&v.rust_name))),
        )),
    };
    let mut to_str: Vec<(syn::Pat, syn::Expr)> = variants
        .iter()
        .map(|v| {
            (
                syntax::pat_path(self_variant(&v.rust_name)),
                syntax::lit_str(&v.value),
            )
        })
        .collect();
    to_str.push((
        syntax::pat_tuple_struct("Self::Other", [syntax::pat("value")]),
        syntax::var("value"),
    ));
    let as_str = syntax::Method {
        attrs: vec![syntax::doc(" The value on the wire.")],
        public: true,
        name: ident("as_str"),
        receiver: syntax::SelfArg::Ref,
        args: Vec::new(),
        output: Some(syntax::reference(syntax::named_type("str"))),
        body: vec![syntax::tail(syntax::match_expr(
            syntax::var("self"),
            to_str,
        ))],
    };
    items.push(syntax::item_impl(
        None,
        syntax::named_type(name),
        vec![known.build(), as_str.build()],
    ));

    let mut from_str: Vec<(syn::Pat, syn::Expr)> = variants
        .iter()
        .map(|v| {
            (
                syntax::pat_lit_str(&v.value),
                syntax::expr_path(self_variant(&v.rust_name)),
            )
        })
        .collect();
    from_str.push((
        syntax::pat("other"),
        syntax::call(
            syntax::var("Self::Other"),
            [syntax::method_call(syntax::var("other"), "to_owned", [])],
        ),
    ));
    let from = syntax::Method {
        attrs: Vec::new(),
        public: false,
        name: ident("from"),
        receiver: syntax::SelfArg::None,
        args: vec![(ident("value"), syntax::reference(syntax::named_type("str")))],
        output: Some(syntax::named_type("Self")),
        body: vec![syntax::tail(syntax::match_expr(
            syntax::var("value"),
            from_str,
        ))],
    };
    let from_trait = syntax::with_args(
        syntax::path("From"),
        [syntax::reference(syntax::named_type("str"))],
    );
    items.push(syntax::item_impl(
        Some(from_trait),
        syntax::named_type(name),
        vec![from.build()],
    ));
    items.extend(options.templates.string_enum_impls(name));
    items
}

fn emit_int_enum(
    name: &str,
    attrs: Vec<syn::Attribute>,
    variants: &[EnumVariant<i64>],
    options: &EmitOptions,
) -> Items {
    let self_variant = |variant: &str| syntax::join(&syntax::path("Self"), variant);
    let literal = |value: i64| syn::Lit::Int(proc_macro2::Literal::i64_suffixed(value).into());
    let mut decls: Vec<syn::Variant> = variants
        .iter()
        .map(|v| {
            syntax::variant(
                vec![syntax::doc(&format!(" `{}`", v.value))],
                &v.rust_name,
                None,
            )
        })
        .collect();
    decls.push(syntax::variant(
        vec![syntax::doc(
            " A value this description does not list; kept as sent.",
        )],
        "Other",
        Some(syntax::named_type("i64")),
    ));
    let mut attrs = attrs;
    attrs.push(syntax::attr_list(
        "derive",
        quote!(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord),
    ));
    let mut items = Items::default();
    items.push(syntax::item_enum(attrs, name, decls));

    let mut to_int: Vec<(syn::Pat, syn::Expr)> = variants
        .iter()
        .map(|v| {
            (
                syntax::pat_path(self_variant(&v.rust_name)),
                syntax::lit(literal(v.value)),
            )
        })
        .collect();
    to_int.push((
        syntax::pat_tuple_struct("Self::Other", [syntax::pat("value")]),
        syntax::var("value"),
    ));
    let value = syntax::Method {
        attrs: vec![syntax::doc(" The value on the wire.")],
        public: true,
        name: ident("value"),
        receiver: syntax::SelfArg::Value,
        args: Vec::new(),
        output: Some(syntax::named_type("i64")),
        body: vec![syntax::tail(syntax::match_expr(
            syntax::var("self"),
            to_int,
        ))],
    };
    items.push(syntax::item_impl(
        None,
        syntax::named_type(name),
        vec![value.build()],
    ));

    let mut from_int: Vec<(syn::Pat, syn::Expr)> = variants
        .iter()
        .map(|v| {
            (
                syntax::pat_lit(syntax::lit(literal(v.value))),
                syntax::expr_path(self_variant(&v.rust_name)),
            )
        })
        .collect();
    from_int.push((
        syntax::pat("other"),
        syntax::call(syntax::var("Self::Other"), [syntax::var("other")]),
    ));
    let from = syntax::Method {
        attrs: Vec::new(),
        public: false,
        name: ident("from"),
        receiver: syntax::SelfArg::None,
        args: vec![(ident("value"), syntax::named_type("i64"))],
        output: Some(syntax::named_type("Self")),
        body: vec![syntax::tail(syntax::match_expr(
            syntax::var("value"),
            from_int,
        ))],
    };
    let from_trait = syntax::with_args(syntax::path("From"), [syntax::named_type("i64")]);
    items.push(syntax::item_impl(
        Some(from_trait),
        syntax::named_type(name),
        vec![from.build()],
    ));
    items.extend(options.templates.int_enum_impls(name));
    items
}

fn emit_union(
    ir: &Ir,
    name: &str,
    mut attrs: Vec<syn::Attribute>,
    union: &UnionDef,
    form: Form,
) -> Items {
    let mut decls: Vec<syn::Variant> = union
        .variants
        .iter()
        .map(|v| syntax::variant(Vec::new(), &v.rust_name, Some(ty_syn(ir, &v.ty, form))))
        .collect();
    let mut items = Items::default();
    let Some(tag) = &union.tag else {
        let guarded = union
            .variants
            .iter()
            .any(|v| v.guard != VariantGuard::default());
        if !guarded {
            attrs.push(syntax::attr_list(
                "derive",
                quote!(
                    Debug,
                    Clone,
                    PartialEq,
                    ::serde::Serialize,
                    ::serde::Deserialize
                ),
            ));
            attrs.push(syntax::attr_list("serde", quote!(untagged)));
            items.push(syntax::item_enum(attrs, name, decls));
            return items;
        }
        attrs.push(syntax::attr_list(
            "derive",
            quote!(Debug, Clone, PartialEq, ::serde::Serialize),
        ));
        attrs.push(syntax::attr_list("serde", quote!(untagged)));
        items.push(syntax::item_enum(attrs, name, decls));
        items.push_tokens(guarded_deserialize(name, union));
        return items;
    };
    // Tagged: the tag stays inside the variant's object (it is usually one of its properties),
    // and an unknown tag is kept as raw JSON instead of failing.
    let mut scope = crate::names::Scope::default();
    for v in &union.variants {
        scope.claim(v.rust_name.clone());
    }
    let unknown_name = scope.claim("Unknown".into());
    let doc =
        format!(" The `{tag}` value is one this description does not list; the object as sent.");
    decls.push(syntax::variant(
        vec![syntax::doc(&doc)],
        &unknown_name,
        Some(syntax::named_type("::serde_json::Value")),
    ));
    attrs.push(syntax::attr_list("derive", quote!(Debug, Clone, PartialEq)));
    items.push(syntax::item_enum(attrs, name, decls));

    // The two serde impls are rare (only discriminated unions) and generic: kept as tokens.
    let name = ident(name);
    let unknown = ident(&unknown_name);
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
