//! Request types: `{Name}Create` for POST/PUT bodies and `{Name}Patch` for PATCH bodies.
//!
//! # Rules
//!
//! Both forms leave out `readOnly` properties: the server owns them, so a request type has no
//! field (and no setter) through which they could be sent. `writeOnly` properties are kept.
//!
//! **Create forms** follow the table in `design/type-mapping.md`: required properties are plain
//! values, optional ones `Option<T>` skipped when `None`, optional *and* nullable ones tri-state.
//! Every create struct gets
//! - chained setters named after the fields (`.state(..)`) for every field that is not required,
//!   and `clear_{field}()` for tri-state fields (sends `null`);
//! - `new()` taking the required fields (`impl Into<T>` each; no arguments when there are none);
//! - `From<Model>` when every writable field of the model can be converted (a required
//!   `writeOnly` field cannot: the model does not have it).
//!
//! **Patch forms** hold every writable property as `desk_runtime::Patch<T>`:
//! absent (not serialised: leave unchanged), null (serialised as `null`: clear) or a value (set).
//! Nested objects get their own patch forms (as in JSON merge patch), arrays, maps and unions
//! are replaced whole and so use create forms. `additionalProperties` beside the properties
//! become a flattened `BTreeMap<String, Option<T>>`: a missing key is left alone, `None` clears
//! the key, `Some` sets it. Every patch struct gets
//! - `new()` (the empty patch), `is_empty()`;
//! - `{field}(value)` and `clear_{field}()` setters (renamed by the scope rule on a clash with
//!   `new`, `is_empty`, `diff` or `from_model`);
//! - `diff(&old, &new)`: the smallest patch that turns one model into another: unchanged fields
//!   (compared in their request form, so changes to read-only data never count) are absent,
//!   fields that became `None` are `null`, nested objects are diffed recursively and left out
//!   when nothing in them changed, arrays are sent whole;
//! - `from_model(model)`: every writable field the model has, as a value — an overwrite.
//!
//! There is deliberately **no** `From<Model>` for a patch form: setters take `impl Into<...>`,
//! and an implicit conversion would let a whole fetched object be passed where a patch is
//! expected, overwriting fields the user never touched. `From<Inner>` exists for single-field
//! wrappers (`{"conversation": {...}}`), so a `ConversationPatch` goes wherever a
//! `ConversationApiBodyPatch` is expected.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::models::{emit_type, field_ty, shape, Shape};
use super::{doc_attrs, ident, ty_tokens, type_name, EmitOptions, Form};
use crate::ir::{Field, Ir, StructDef, TypeId, TypeKind, TypeRef, UnionDef};
use crate::names::Scope;

/// Which conversions from the model form exist.
struct Convertible {
    create: BTreeSet<TypeId>,
}

impl Convertible {
    /// Fixpoint: start from every create form and drop those with a field the model lacks
    /// (a required write-only field) or whose nested conversion is missing.
    fn compute(ir: &Ir) -> Self {
        let mut create: BTreeSet<TypeId> =
            ir.types.iter().enumerate().filter(|(_, d)| d.create_name.is_some()).map(|(i, _)| i).collect();
        loop {
            let before = create.len();
            let snapshot = create.clone();
            create.retain(|id| match &ir.ty(*id).kind {
                TypeKind::Struct(st) => {
                    st.fields.iter().all(|f| match shape(f, Form::Create) {
                        Shape::Omitted => true,
                        Shape::Plain if f.write_only => false,
                        _ => f.write_only || ty_convertible(ir, &snapshot, &f.ty),
                    }) && st.additional.as_ref().is_none_or(|t| ty_convertible(ir, &snapshot, t))
                }
                TypeKind::Union(u) => u.variants.iter().all(|v| ty_convertible(ir, &snapshot, &v.ty)),
                TypeKind::Alias(t) => ty_convertible(ir, &snapshot, t),
                _ => true,
            });
            if create.len() == before {
                return Self { create };
            }
        }
    }

    /// Whether the patch form of `id` can be built from its model (`from_model`, `diff`).
    fn patch_ok(&self, ir: &Ir, id: TypeId) -> bool {
        let mut seen = BTreeSet::new();
        self.patch_ok_inner(ir, id, &mut seen)
    }

    fn patch_ok_inner(&self, ir: &Ir, id: TypeId, seen: &mut BTreeSet<TypeId>) -> bool {
        if !seen.insert(id) {
            return true;
        }
        match &ir.ty(id).kind {
            TypeKind::Struct(st) => {
                st.fields.iter().filter(|f| !f.read_only && !f.write_only).all(|f| self.patch_field_ok(ir, &f.ty, seen))
                    && st.additional.as_ref().is_none_or(|t| ty_convertible(ir, &self.create, t))
            }
            TypeKind::Alias(t) => self.patch_field_ok(ir, t, seen),
            _ => true,
        }
    }

    fn patch_field_ok(&self, ir: &Ir, ty: &TypeRef, seen: &mut BTreeSet<TypeId>) -> bool {
        match ty {
            TypeRef::Named(id) if ir.ty(*id).patch_name.is_some() => self.patch_ok_inner(ir, *id, seen),
            TypeRef::Boxed(inner) => self.patch_field_ok(ir, inner, seen),
            other => ty_convertible(ir, &self.create, other),
        }
    }
}

fn ty_convertible(ir: &Ir, create: &BTreeSet<TypeId>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => ir.ty(*id).create_name.is_none() || create.contains(id),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => ty_convertible(ir, create, inner),
        _ => true,
    }
}

/// Whether a value of `ty` changes type between the model form and `form`.
fn differs(ir: &Ir, ty: &TypeRef, form: Form) -> bool {
    match ty {
        TypeRef::Named(id) => type_name(ir, *id, Form::Model) != type_name(ir, *id, form),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => differs(ir, inner, Form::Create),
        TypeRef::Boxed(inner) => differs(ir, inner, form),
        _ => false,
    }
}

/// A path callable with one owned model-form value of `ty`, returning it in `form`, when the
/// conversion is a single call (`XCreate::from`, `XPatch::from_model`).
fn conv_fn(ir: &Ir, ty: &TypeRef, form: Form) -> Option<TokenStream> {
    let TypeRef::Named(id) = ty else { return None };
    if !differs(ir, ty, form) {
        return None;
    }
    let def = ir.ty(*id);
    match &def.kind {
        // Aliases are `type` aliases in every form: convert what they stand for.
        TypeKind::Alias(target) => conv_fn(ir, target, form),
        TypeKind::Struct(_) if form == Form::Patch && def.patch_name.is_some() => {
            let patch = ident(type_name(ir, *id, Form::Patch));
            Some(quote!(#patch::from_model))
        }
        _ => {
            let target = ident(type_name(ir, *id, form));
            Some(quote!(#target::from))
        }
    }
}

/// An expression converting `expr` (an owned model-form value of `ty`) into `form`.
fn convert(ir: &Ir, expr: TokenStream, ty: &TypeRef, form: Form) -> TokenStream {
    if !differs(ir, ty, form) {
        return expr;
    }
    if let Some(call) = conv_fn(ir, ty, form) {
        return quote!(#call(#expr));
    }
    match ty {
        TypeRef::Named(id) => match &ir.ty(*id).kind {
            TypeKind::Alias(target) => convert(ir, expr, target, form),
            _ => expr,
        },
        TypeRef::Vec(inner) => {
            let item = conv_fn(ir, inner, Form::Create).unwrap_or_else(|| {
                let converted = convert(ir, quote!(item), inner, Form::Create);
                quote!(|item| #converted)
            });
            quote!(#expr.into_iter().map(#item).collect())
        }
        TypeRef::Map(inner) => {
            let converted = convert(ir, quote!(item), inner, Form::Create);
            quote!(#expr.into_iter().map(|(key, item)| (key, #converted)).collect())
        }
        TypeRef::Boxed(inner) => match conv_fn(ir, inner, form) {
            Some(call) => quote!(Box::new(#call(*#expr))),
            None => {
                let converted = convert(ir, quote!(inner), inner, form);
                quote!({
                    let inner = *#expr;
                    Box::new(#converted)
                })
            }
        },
        _ => expr,
    }
}

/// Whether values of `ty` (model form) are `Copy`, so `*new` is used instead of a clone.
fn is_copy(ir: &Ir, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Bool | TypeRef::Int(_) | TypeRef::F32 | TypeRef::F64 | TypeRef::Date | TypeRef::DateTime => true,
        TypeRef::Named(id) => match &ir.ty(*id).kind {
            TypeKind::IntEnum(_) => true,
            TypeKind::Alias(target) => is_copy(ir, target),
            _ => false,
        },
        _ => false,
    }
}

/// `expr` (a reference to a model-form value of `ty`) as an owned value.
fn owned(ir: &Ir, expr: TokenStream, ty: &TypeRef) -> TokenStream {
    if is_copy(ir, ty) {
        quote!(*#expr)
    } else {
        quote!(#expr.clone())
    }
}

/// The patch struct a field of type `ty` is diffed with, following aliases, and whether the
/// field is boxed. `None` when the field is replaced whole.
fn nested_patch(ir: &Ir, ty: &TypeRef) -> Option<(TypeId, bool)> {
    match ty {
        TypeRef::Named(id) => {
            let def = ir.ty(*id);
            match &def.kind {
                TypeKind::Struct(_) if def.patch_name.is_some() => Some((*id, false)),
                TypeKind::Alias(target) if def.patch_name.is_some() => nested_patch(ir, target),
                _ => None,
            }
        }
        TypeRef::Boxed(inner) => nested_patch(ir, inner).map(|(id, _)| (id, true)),
        _ => None,
    }
}

/// Emits the create and patch forms of every type, sorted by name.
pub fn emit(ir: &Ir, options: &EmitOptions) -> TokenStream {
    let runtime = &options.runtime;
    let convertible = Convertible::compute(ir);
    let mut items = Vec::new();
    for id in ir.ids_in_order() {
        let def = ir.ty(id);
        if def.create_name.is_some() {
            items.push(emit_type(ir, def, Form::Create, options));
            match &def.kind {
                TypeKind::Struct(st) => items.push(create_extras(ir, id, st, &convertible, runtime)),
                TypeKind::Union(u) if convertible.create.contains(&id) => items.push(union_from_model(ir, id, u)),
                _ => {}
            }
        }
        if def.patch_name.is_some() {
            items.push(emit_patch(ir, id, &convertible, options));
        }
    }
    quote!(#(#items)*)
}

/// The fields of `st` that `form` keeps, with their shapes.
fn kept_fields(st: &StructDef, form: Form) -> Vec<(&Field, Shape)> {
    st.fields.iter().map(|f| (f, shape(f, form))).filter(|(_, s)| *s != Shape::Omitted).collect()
}

/// Field docs with the deprecation note, as the model form has them.
fn field_docs(field: &Field) -> TokenStream {
    let mut text = field.docs.clone().unwrap_or_default();
    if field.deprecated {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str("Deprecated by the API.");
    }
    doc_attrs(Some(text.as_str()).filter(|t| !t.is_empty()))
}

/// `From<Model>`, `new`, setters and clearers for a create struct, and `From<inner>` for
/// single-field wrappers.
fn create_extras(ir: &Ir, id: TypeId, st: &StructDef, convertible: &Convertible, runtime: &TokenStream) -> TokenStream {
    let def = ir.ty(id);
    let name = ident(type_name(ir, id, Form::Create));
    let model = ident(&def.name);
    let fields = kept_fields(st, Form::Create);
    let mut out = TokenStream::new();

    if convertible.create.contains(&id) {
        let inits = fields.iter().map(|(field, create_shape)| {
            let rust = ident(&field.rust_name);
            if field.write_only {
                return quote!(#rust: Default::default(),);
            }
            let value = quote!(value.#rust);
            let converted = convert(ir, quote!(v), &field.ty, Form::Create);
            let plain = !differs(ir, &field.ty, Form::Create);
            let init = match (shape(field, Form::Model), create_shape) {
                (Shape::Plain, Shape::Plain) => convert(ir, value, &field.ty, Form::Create),
                (Shape::Optional { .. }, Shape::Optional { .. }) if plain => value,
                (Shape::Optional { .. }, Shape::Optional { .. }) => match conv_fn(ir, &field.ty, Form::Create) {
                    Some(call) => quote!(#value.map(#call)),
                    None => quote!(#value.map(|v| #converted)),
                },
                (Shape::Optional { .. }, Shape::TriState) if plain => {
                    quote!(#value.map_or(#runtime::Patch::Absent, #runtime::Patch::Value))
                }
                (Shape::Optional { .. }, Shape::TriState) => {
                    quote!(#value.map_or(#runtime::Patch::Absent, |v| #runtime::Patch::Value(#converted)))
                }
                _ => quote!(Default::default()),
            };
            quote!(#rust: #init,)
        });
        let extra = st.additional.as_ref().map(|ty| match conv_fn(ir, ty, Form::Create) {
            None if !differs(ir, ty, Form::Create) => quote!(additional_properties: value.additional_properties,),
            _ => {
                let converted = convert(ir, quote!(v), ty, Form::Create);
                quote!(additional_properties: value.additional_properties.into_iter().map(|(k, v)| (k, #converted)).collect(),)
            }
        });
        let used = if fields.iter().any(|(f, _)| !f.write_only) || extra.is_some() { quote!(value) } else { quote!(_value) };
        let doc = format!(" Everything of a [`{}`] that can be sent, read-only fields left out.", def.name);
        out.extend(quote! {
            impl From<#model> for #name {
                #[doc = #doc]
                fn from(#used: #model) -> Self {
                    Self { #(#inits)* #extra }
                }
            }
        });
    }

    out.extend(create_builder(ir, &name, st, &fields, runtime));
    out.extend(single_field_from(ir, &name, &fields, Form::Create, runtime));
    out
}

/// `new(required...)`, setters for the other fields and `clear_*` for tri-state fields.
///
/// When no field is required the setters are emitted with the struct itself (see
/// `models::emit_struct`); only `new()` and the clearers are added here.
fn create_builder(ir: &Ir, name: &Ident, st: &StructDef, fields: &[(&Field, Shape)], runtime: &TokenStream) -> TokenStream {
    let required: Vec<&Field> = fields.iter().filter(|(_, s)| *s == Shape::Plain).map(|(f, _)| *f).collect();
    let setters_elsewhere = required.is_empty();
    // Setters carry the field names, so they are taken first.
    let mut methods = Scope::with_reserved(fields.iter().map(|(f, _)| f.rust_name.as_str()));
    if st.additional.is_some() {
        methods.claim("additional_properties".into());
    }
    let new_name = ident(&methods.claim("new".into()));

    let args = required.iter().map(|f| {
        let rust = ident(&f.rust_name);
        let ty = ty_tokens(ir, &f.ty, Form::Create);
        quote!(#rust: impl Into<#ty>)
    });
    let body = if setters_elsewhere {
        quote!(<Self as Default>::default())
    } else {
        let inits = fields.iter().map(|(f, _)| {
            let rust = ident(&f.rust_name);
            if required.iter().any(|r| r.rust_name == f.rust_name) {
                quote!(#rust: #rust.into(),)
            } else {
                quote!(#rust: Default::default(),)
            }
        });
        let extra = st.additional.as_ref().map(|_| quote!(additional_properties: Default::default(),));
        quote!(Self { #(#inits)* #extra })
    };
    let new_doc = if required.is_empty() {
        " A body with nothing set; add fields with the setters.".to_owned()
    } else {
        let names: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire_name)).collect();
        let rest = if fields.len() > required.len() { "; add the others with the setters" } else { "" };
        format!(" A body with the required {} set{rest}.", names.join(", "))
    };

    let mut methods_out = Vec::new();
    for (field, shape) in fields {
        let rust = ident(&field.rust_name);
        let inner = ty_tokens(ir, &field.ty, Form::Create);
        if !setters_elsewhere && *shape != Shape::Plain {
            let doc = format!(" Sets `{}`.", field.wire_name);
            let wrapped = match shape {
                Shape::TriState => quote!(#runtime::Patch::Value(value.into())),
                _ => quote!(Some(value.into())),
            };
            methods_out.push(quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #rust(mut self, value: impl Into<#inner>) -> Self {
                    self.#rust = #wrapped;
                    self
                }
            });
        }
        if *shape == Shape::TriState {
            let clear = ident(&methods.claim(format!("clear_{}", field.rust_name)));
            let doc = format!(" Clears `{}`: sends `null`.", field.wire_name);
            methods_out.push(quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #clear(mut self) -> Self {
                    self.#rust = #runtime::Patch::Null;
                    self
                }
            });
        }
    }
    quote! {
        impl #name {
            #[doc = #new_doc]
            pub fn #new_name(#(#args),*) -> Self {
                #body
            }
            #(#methods_out)*
        }
    }
}

/// `From<Model>` for the create form of a union, variant by variant.
fn union_from_model(ir: &Ir, id: TypeId, union: &UnionDef) -> TokenStream {
    let name = ident(type_name(ir, id, Form::Create));
    let model = ident(type_name(ir, id, Form::Model));
    let arms = union.variants.iter().map(|v| {
        let rust = ident(&v.rust_name);
        let converted = convert(ir, quote!(inner), &v.ty, Form::Create);
        quote!(#model::#rust(inner) => Self::#rust(#converted),)
    });
    // Tagged unions keep unknown objects in an extra variant, named as `models` names it.
    let unknown = union.tag.as_ref().map(|_| {
        let mut scope = Scope::default();
        for v in &union.variants {
            scope.claim(v.rust_name.clone());
        }
        let unknown = ident(&scope.claim("Unknown".into()));
        quote!(#model::#unknown(inner) => Self::#unknown(inner),)
    });
    let doc = format!(" The same alternative of a [`{model}`], read-only fields left out.");
    quote! {
        impl From<#model> for #name {
            #[doc = #doc]
            fn from(value: #model) -> Self {
                match value { #(#arms)* #unknown }
            }
        }
    }
}

/// `impl From<Inner> for Wrapper` when the request type has one field of a named type, so a
/// body like `{"conversation": {...}}` can be given as its inner value.
fn single_field_from(ir: &Ir, name: &Ident, fields: &[(&Field, Shape)], form: Form, runtime: &TokenStream) -> TokenStream {
    let [(field, shape)] = fields else { return TokenStream::new() };
    if !matches!(field.ty, TypeRef::Named(_)) {
        return TokenStream::new();
    }
    let inner = ty_tokens(ir, &field.ty, form);
    let rust = ident(&field.rust_name);
    let wrapped = match shape {
        Shape::Plain => quote!(value),
        Shape::Optional { .. } => quote!(Some(value)),
        Shape::TriState => quote!(#runtime::Patch::Value(value)),
        Shape::Omitted => return TokenStream::new(),
    };
    let doc = format!(" Wraps the value as `{}`.", field.wire_name);
    quote! {
        impl From<#inner> for #name {
            #[doc = #doc]
            fn from(value: #inner) -> Self {
                Self { #rust: #wrapped }
            }
        }
    }
}

fn emit_patch(ir: &Ir, id: TypeId, convertible: &Convertible, options: &EmitOptions) -> TokenStream {
    let runtime = &options.runtime;
    let extra_derives = options.derives();
    let def = ir.ty(id);
    let name = ident(type_name(ir, id, Form::Patch));
    let st = match &def.kind {
        TypeKind::Struct(st) => st,
        TypeKind::Alias(target) => {
            let target = ty_tokens(ir, target, Form::Patch);
            let doc = format!(" Partial update of [`{}`].", def.name);
            return quote! { #[doc = #doc] pub type #name = #target; };
        }
        _ => return TokenStream::new(),
    };
    let model = ident(&def.name);
    let fields: Vec<&Field> = kept_fields(st, Form::Patch).into_iter().map(|(f, _)| f).collect();
    let patch = |inner: TokenStream| quote!(#runtime::Patch::#inner);

    let convertible_patch = convertible.patch_ok(ir, id);
    let mut intro = format!(
        "Partial update of [`{}`]: every field is absent (left unchanged), null (cleared) or a value (set).\n\n\
         Read-only fields are not part of this type. Build one with the setters",
        def.name
    );
    if convertible_patch {
        intro.push_str(&format!(", or with [`{name}::diff`] from two versions of the model"));
    }
    intro.push('.');
    if let Some(docs) = &def.docs {
        intro.push_str("\n\n");
        intro.push_str(docs);
    }
    let docs = doc_attrs(Some(&intro));
    let skip = format!("{runtime}::Patch::is_absent").replace(' ', "");
    let decls = fields.iter().map(|field| {
        let docs = field_docs(field);
        let rename = (field.rust_name != field.wire_name).then(|| {
            let wire = &field.wire_name;
            quote!(rename = #wire,)
        });
        let rust = ident(&field.rust_name);
        let ty = field_ty(ir, field, Shape::TriState, Form::Patch, runtime);
        quote! {
            #docs
            #[serde(#rename default, skip_serializing_if = #skip)]
            pub #rust: #ty,
        }
    });
    let additional_decl = st.additional.as_ref().map(|ty| {
        let ty = ty_tokens(ir, ty, Form::Create);
        quote! {
            /// Properties not listed above, by name: a missing key is left unchanged, `None`
            /// clears the key (sends `null`), `Some` sets it.
            #[serde(flatten)]
            pub additional_properties: ::std::collections::BTreeMap<String, Option<#ty>>,
        }
    });

    let mut methods = Scope::with_reserved(["new", "is_empty", "diff", "from_model"]);
    let setters: Vec<_> = fields.iter().map(|f| methods.claim(f.rust_name.clone())).collect();
    let clearers: Vec<_> = fields.iter().map(|f| methods.claim(format!("clear_{}", f.rust_name))).collect();
    let accessors = fields.iter().zip(setters.iter().zip(&clearers)).map(|(field, (set, clear))| {
        let rust = ident(&field.rust_name);
        let set = ident(set);
        let clear = ident(clear);
        let inner = ty_tokens(ir, &field.ty, Form::Patch);
        let set_doc = format!(" Sets `{}` to `value`.", field.wire_name);
        let clear_doc = format!(" Clears `{}`: sends `null`.", field.wire_name);
        let value = patch(quote!(Value(value.into())));
        let null = patch(quote!(Null));
        quote! {
            #[doc = #set_doc]
            #[must_use]
            pub fn #set(mut self, value: impl Into<#inner>) -> Self {
                self.#rust = #value;
                self
            }
            #[doc = #clear_doc]
            #[must_use]
            pub fn #clear(mut self) -> Self {
                self.#rust = #null;
                self
            }
        }
    });
    let mut empties: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let rust = ident(&f.rust_name);
            quote!(self.#rust.is_absent())
        })
        .collect();
    if st.additional.is_some() {
        empties.push(quote!(self.additional_properties.is_empty()));
    }
    let is_empty_body = if empties.is_empty() { quote!(true) } else { quote!(#(#empties)&&*) };

    let conversions = if convertible_patch {
        patch_conversions(ir, &name, &model, st, &fields, runtime)
    } else {
        TokenStream::new()
    };
    let single = single_field_from(
        ir,
        &name,
        &fields.iter().map(|f| (*f, Shape::TriState)).collect::<Vec<_>>(),
        Form::Patch,
        runtime,
    );
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Default, #extra_derives ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#decls)*
            #additional_decl
        }
        impl #name {
            /// An empty patch: changes nothing (serialises as `{}`).
            pub fn new() -> Self {
                <Self as Default>::default()
            }
            /// Whether the patch changes nothing (every field absent).
            pub fn is_empty(&self) -> bool {
                #is_empty_body
            }
            #(#accessors)*
        }
        #conversions
        #single
    }
}

/// `from_model` and `diff` for a patch struct whose fields can all be built from the model.
fn patch_conversions(
    ir: &Ir,
    name: &Ident,
    model: &Ident,
    st: &StructDef,
    fields: &[&Field],
    runtime: &TokenStream,
) -> TokenStream {
    let readable: Vec<&Field> = fields.iter().copied().filter(|f| !f.write_only).collect();
    let has_data = !readable.is_empty() || st.additional.is_some();

    let from_fields = fields.iter().map(|field| {
        let rust = ident(&field.rust_name);
        if field.write_only {
            return quote!(#rust: #runtime::Patch::Absent,);
        }
        match shape(field, Form::Model) {
            Shape::Plain => {
                let value = convert(ir, quote!(value.#rust), &field.ty, Form::Patch);
                quote!(#rust: #runtime::Patch::Value(#value),)
            }
            _ if !differs(ir, &field.ty, Form::Patch) => {
                quote!(#rust: value.#rust.map_or(#runtime::Patch::Absent, #runtime::Patch::Value),)
            }
            _ => {
                let converted = convert(ir, quote!(v), &field.ty, Form::Patch);
                quote!(#rust: value.#rust.map_or(#runtime::Patch::Absent, |v| #runtime::Patch::Value(#converted)),)
            }
        }
    });
    let from_extra = st.additional.as_ref().map(|ty| {
        let converted = convert(ir, quote!(v), ty, Form::Create);
        quote!(additional_properties: value.additional_properties.into_iter().map(|(k, v)| (k, Some(#converted))).collect(),)
    });

    let diff_fields = readable.iter().map(|field| {
        let rust = ident(&field.rust_name);
        let both = diff_present(ir, &field.ty, runtime);
        match shape(field, Form::Model) {
            Shape::Plain => quote! {
                patch.#rust = {
                    let (old, new) = (&old.#rust, &new.#rust);
                    #both
                };
            },
            _ => {
                let whole = convert(ir, owned(ir, quote!(new), &field.ty), &field.ty, Form::Patch);
                quote! {
                    patch.#rust = match (&old.#rust, &new.#rust) {
                        (None, None) => #runtime::Patch::Absent,
                        (Some(_), None) => #runtime::Patch::Null,
                        (None, Some(new)) => #runtime::Patch::Value(#whole),
                        (Some(old), Some(new)) => { #both }
                    };
                }
            }
        }
    });
    let diff_extra = st.additional.as_ref().map(|ty| {
        let converted = convert(ir, quote!(value.clone()), ty, Form::Create);
        quote! {
            for (key, value) in &new.additional_properties {
                if old.additional_properties.get(key) != Some(value) {
                    patch.additional_properties.insert(key.clone(), Some(#converted));
                }
            }
            for key in old.additional_properties.keys() {
                if !new.additional_properties.contains_key(key) {
                    patch.additional_properties.insert(key.clone(), None);
                }
            }
        }
    });

    let (value, old, new, mut_kw) =
        if has_data { (quote!(value), quote!(old), quote!(new), quote!(mut)) } else { (quote!(_value), quote!(_old), quote!(_new), quote!()) };
    let from_doc = doc_attrs(Some(&format!(
        "Every writable field the [`{model}`] has, as a value (`None` fields stay absent): a patch \
         that overwrites. To send only what changed, use [`{name}::diff`]."
    )));
    let diff_doc = doc_attrs(Some(
        "The smallest patch that turns `old` into `new`.\n\n\
         Unchanged fields are absent, fields that became `None` are cleared (`null`), nested objects \
         are diffed field by field (and left out when nothing in them changed), arrays and maps are \
         replaced whole. Read-only fields, which the server owns, are ignored.",
    ));
    quote! {
        impl #name {
            #from_doc
            pub fn from_model(#value: #model) -> Self {
                Self { #(#from_fields)* #from_extra }
            }
            #diff_doc
            pub fn diff(#old: &#model, #new: &#model) -> Self {
                let #mut_kw patch = Self::new();
                #(#diff_fields)*
                #diff_extra
                patch
            }
        }
    }
}

/// Statements ending in a `Patch<..>` expression (to be put in a block) for a field present in
/// both versions, with `old` and `new` bound to references to the model-form values of `ty`.
fn diff_present(ir: &Ir, ty: &TypeRef, runtime: &TokenStream) -> TokenStream {
    if let Some((nested_id, boxed)) = nested_patch(ir, ty) {
        let nested = ident(type_name(ir, nested_id, Form::Patch));
        // `&Box<T>` coerces to `&T` in the call.
        let value = if boxed { quote!(Box::new(nested)) } else { quote!(nested) };
        return quote! {
            let nested = #nested::diff(old, new);
            if nested.is_empty() { #runtime::Patch::Absent } else { #runtime::Patch::Value(#value) }
        };
    }
    if differs(ir, ty, Form::Patch) {
        // Compare what would be sent: values differing only in read-only data are unchanged.
        let sent = ty_tokens(ir, ty, Form::Patch);
        let old_sent = convert(ir, quote!(old.clone()), ty, Form::Patch);
        let new_sent = convert(ir, quote!(new.clone()), ty, Form::Patch);
        return quote! {
            let old: #sent = #old_sent;
            let new: #sent = #new_sent;
            if old == new { #runtime::Patch::Absent } else { #runtime::Patch::Value(new) }
        };
    }
    let new_owned = owned(ir, quote!(new), ty);
    quote! {
        if old == new { #runtime::Patch::Absent } else { #runtime::Patch::Value(#new_owned) }
    }
}

#[cfg(test)]
mod tests {
    //! The emitter on a spec of its own (nested objects, arrays, enums, nullable, read-only,
    //! write-only, `allOf`, additional properties, a reference cycle): the rules hold for any
    //! spec, not only for the Conversation API. Behaviour (JSON on the wire) is tested by
    //! compiling such output in `desk-consumer`.
    use crate::{Config, Parts};

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Shop, version: "1"}
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    patch:
      operationId: updateItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
      responses:
        "200": {description: ok}
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
      responses:
        "201": {description: created}
components:
  schemas:
    Base:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        createdAt: {type: string, format: date-time, readOnly: true}
    Item:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [name]
          properties:
            name: {type: string}
            note: {type: string, nullable: true}
            secret: {type: string, writeOnly: true}
            kind: {$ref: '#/components/schemas/Kind'}
            size: {$ref: '#/components/schemas/Size'}
            parts:
              type: array
              items: {$ref: '#/components/schemas/Part'}
            labels:
              type: object
              additionalProperties: {type: string}
            parent: {$ref: '#/components/schemas/Item'}
    Kind:
      type: string
      enum: [small, large]
    Size:
      type: object
      required: [width]
      properties:
        width: {type: number}
        unit: {type: string, nullable: true}
        measuredAt: {type: string, format: date-time, readOnly: true}
      additionalProperties: {type: number}
    Part:
      type: object
      required: [sku]
      properties:
        id: {type: integer, readOnly: true}
        sku: {type: string}
        qty: {type: integer, nullable: true}
"##;

    fn requests() -> String {
        let rendered = Config::new().parts(Parts::TYPES).render_str("shop.yaml", SPEC).expect("a valid spec");
        rendered.files.iter().find(|f| f.path.ends_with("requests.rs")).expect("requests.rs").contents.clone()
    }

    /// The text of `pub struct {name} { ... }`.
    fn struct_body<'a>(text: &'a str, name: &str) -> &'a str {
        let start = text.find(&format!("pub struct {name} {{")).unwrap_or_else(|| panic!("no struct {name}:\n{text}"));
        let rest = &text[start..];
        &rest[..rest.find("\n}").expect("struct end")]
    }

    fn field_names(body: &str) -> Vec<&str> {
        body.lines()
            .filter_map(|l| l.trim().strip_prefix("pub "))
            .filter_map(|l| l.split_once(':').map(|(name, _)| name))
            .filter(|n| !n.starts_with("struct"))
            .collect()
    }

    #[test]
    fn patch_forms_hold_every_writable_field_tri_state() {
        let text = requests();
        let body = struct_body(&text, "ItemPatch");
        assert_eq!(field_names(body), ["name", "note", "secret", "kind", "size", "parts", "labels", "parent"]);
        assert!(body.contains("pub name: ::desk_runtime::Patch<String>"), "{body}");
        assert!(body.contains("pub size: ::desk_runtime::Patch<SizePatch>"), "nested objects are patched: {body}");
        assert!(body.contains("pub parts: ::desk_runtime::Patch<Vec<PartCreate>>"), "arrays are replaced whole: {body}");
        assert!(body.contains("pub kind: ::desk_runtime::Patch<Kind>"), "{body}");
        assert!(body.contains("pub parent: ::desk_runtime::Patch<Box<ItemPatch>>"), "cycles stay boxed: {body}");
        assert!(body.matches("skip_serializing_if = \"::desk_runtime::Patch::is_absent\"").count() == 8, "{body}");
    }

    #[test]
    fn read_only_fields_are_absent_from_every_request_form() {
        let text = requests();
        for name in ["ItemPatch", "ItemCreate", "SizePatch", "SizeCreate", "PartCreate"] {
            let fields = field_names(struct_body(&text, name));
            assert!(!fields.contains(&"id") && !fields.contains(&"created_at") && !fields.contains(&"measured_at"), "{name}: {fields:?}");
        }
        assert!(!text.contains("fn id("), "no setter reaches a read-only field");
        assert!(!text.contains("fn created_at("));
    }

    #[test]
    fn create_forms_follow_the_optionality_table() {
        let text = requests();
        let body = struct_body(&text, "ItemCreate");
        assert!(body.contains("pub name: String"), "required: plain: {body}");
        assert!(body.contains("pub note: ::desk_runtime::Patch<String>"), "optional nullable: tri-state: {body}");
        assert!(body.contains("pub secret: Option<String>"), "write-only kept: {body}");
        assert!(body.contains("pub parent: Option<Box<ItemCreate>>"), "{body}");
        assert!(text.contains("pub fn new(name: impl Into<String>) -> Self"), "required fields go to new():\n{text}");
        assert!(text.contains("pub fn clear_note(mut self) -> Self"));
        assert!(text.contains("pub fn note(mut self, value: impl Into<String>) -> Self"));
        assert!(text.contains("pub fn new(width: impl Into<f64>) -> Self"));
    }

    #[test]
    fn patches_are_built_explicitly_never_converted_implicitly() {
        let text = requests();
        assert!(!text.contains("impl From<Item> for ItemPatch"), "a model must not pass for a patch");
        assert!(!text.contains("impl From<Size> for SizePatch"));
        assert!(text.contains("pub fn diff(old: &Item, new: &Item) -> Self"));
        assert!(text.contains("pub fn from_model(value: Item) -> Self"));
        assert!(text.contains("SizePatch::diff(old, new)"), "nested objects are diffed:\n{text}");
        assert!(text.contains("ItemPatch::diff(old, new)"), "boxed nested objects too");
        assert!(text.contains("impl From<Item> for ItemCreate"));
    }

    #[test]
    fn additional_properties_beside_properties_are_patchable_per_key() {
        let text = requests();
        let body = struct_body(&text, "SizePatch");
        assert!(body.contains("pub additional_properties: ::std::collections::BTreeMap<String, Option<f64>>"), "{body}");
        assert!(body.contains("#[serde(flatten)]"), "{body}");
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(requests(), requests());
    }
}
