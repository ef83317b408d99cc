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
//! - `{field}(value)` and (unless the field is required and not nullable) `clear_{field}()`
//!   setters (renamed by the scope rule on a clash with
//!   `new`, `is_empty`, `diff` or `from_model`);
//! - `diff(&old, &new)`: the smallest patch that turns one model into another: unchanged fields
//!   (compared in their request form, so changes to read-only data never count) are absent,
//!   fields that became `None` are `null`, nested objects are diffed recursively and left out
//!   when nothing in them changed, arrays are sent whole;
//! - `from_model(model)`: every writable field the model has, as a value — an overwrite.
//!
//! There is deliberately **no** `From<Model>` for a patch form: setters take `impl Into<...>`,
//! and an implicit conversion would let a whole fetched object be passed where a patch is
//! expected, overwriting fields the user never touched. `From<Inner>` exists for wrappers
//! (`{"conversation": {...}}`: one writable field, or one required field beside optional or
//! read-only ones, decided in lowering), so a `ConversationPatch` goes wherever a
//! `ConversationApiBodyPatch` is expected.
//!
//! A required, non-nullable property has no `clear_{field}()` in the patch form: it may be left
//! out (unchanged) or set, but `null` is not a value it can take.

use std::collections::BTreeSet;

use quote::quote;

use super::models::{alias, chained, emit_type, field_decls, setter, shape, struct_derive, Shape};
use super::syntax::{self, Items};
use super::{docs, ident, ty_syn, type_name, EmitOptions, Form};
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
        let mut create: BTreeSet<TypeId> = ir
            .types
            .iter()
            .enumerate()
            .filter(|(_, d)| d.create_name.is_some())
            .map(|(i, _)| i)
            .collect();
        loop {
            let before = create.len();
            let snapshot = create.clone();
            create.retain(|id| match &ir.ty(*id).kind {
                TypeKind::Struct(st) => {
                    st.fields.iter().all(|f| match shape(f, Form::Create) {
                        Shape::Omitted => true,
                        Shape::Plain if f.write_only => false,
                        _ => f.write_only || ty_convertible(ir, &snapshot, &f.ty),
                    }) && st
                        .additional
                        .as_ref()
                        .is_none_or(|t| ty_convertible(ir, &snapshot, t))
                }
                TypeKind::Union(u) => u
                    .variants
                    .iter()
                    .all(|v| ty_convertible(ir, &snapshot, &v.ty)),
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
                st.fields
                    .iter()
                    .filter(|f| !f.read_only && !f.write_only)
                    .all(|f| self.patch_field_ok(ir, &f.ty, seen))
                    && st
                        .additional
                        .as_ref()
                        .is_none_or(|t| ty_convertible(ir, &self.create, t))
            }
            TypeKind::Alias(t) => self.patch_field_ok(ir, t, seen),
            _ => true,
        }
    }

    fn patch_field_ok(&self, ir: &Ir, ty: &TypeRef, seen: &mut BTreeSet<TypeId>) -> bool {
        match ty {
            TypeRef::Named(id) if ir.ty(*id).patch_name.is_some() => {
                self.patch_ok_inner(ir, *id, seen)
            }
            TypeRef::Boxed(inner) => self.patch_field_ok(ir, inner, seen),
            other => ty_convertible(ir, &self.create, other),
        }
    }
}

fn ty_convertible(ir: &Ir, create: &BTreeSet<TypeId>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => ir.ty(*id).create_name.is_none() || create.contains(id),
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Boxed(inner)
        | TypeRef::Nullable(inner) => ty_convertible(ir, create, inner),
        _ => true,
    }
}

/// Whether a value of `ty` changes type between the model form and `form`.
fn differs(ir: &Ir, ty: &TypeRef, form: Form) -> bool {
    match ty {
        TypeRef::Named(id) => type_name(ir, *id, Form::Model) != type_name(ir, *id, form),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => differs(ir, inner, Form::Create),
        TypeRef::Boxed(inner) | TypeRef::Nullable(inner) => differs(ir, inner, form),
        _ => false,
    }
}

/// A path callable with one owned model-form value of `ty`, returning it in `form`, when the
/// conversion is a single call (`XCreate::from`, `XPatch::from_model`).
fn conv_fn(ir: &Ir, ty: &TypeRef, form: Form) -> Option<syn::Expr> {
    let TypeRef::Named(id) = ty else { return None };
    if !differs(ir, ty, form) {
        return None;
    }
    let def = ir.ty(*id);
    match &def.kind {
        // Aliases are `type` aliases in every form: convert what they stand for.
        TypeKind::Alias(target) => conv_fn(ir, target, form),
        TypeKind::Struct(_) if form == Form::Patch && def.patch_name.is_some() => {
            Some(syntax::expr_path(syntax::join(
                &syntax::path(type_name(ir, *id, Form::Patch)),
                "from_model",
            )))
        }
        _ => Some(syntax::expr_path(syntax::join(
            &syntax::path(type_name(ir, *id, form)),
            "from",
        ))),
    }
}

/// An expression converting `expr` (an owned model-form value of `ty`) into `form`.
fn convert(ir: &Ir, expr: syn::Expr, ty: &TypeRef, form: Form) -> syn::Expr {
    if !differs(ir, ty, form) {
        return expr;
    }
    if let Some(call) = conv_fn(ir, ty, form) {
        return syntax::call(call, [expr]);
    }
    match ty {
        TypeRef::Named(id) => match &ir.ty(*id).kind {
            TypeKind::Alias(target) => convert(ir, expr, target, form),
            _ => expr,
        },
        TypeRef::Vec(inner) => {
            let item = conv_fn(ir, inner, Form::Create).unwrap_or_else(|| {
                let converted = convert(ir, syntax::var("item"), inner, Form::Create);
                syntax::closure(vec![syntax::pat("item")], converted)
            });
            collect(syntax::method_call(
                syntax::method_call(expr, "into_iter", []),
                "map",
                [item],
            ))
        }
        TypeRef::Map(inner) => {
            let converted = convert(ir, syntax::var("item"), inner, Form::Create);
            let entry = syntax::closure(
                vec![syntax::pat_tuple([syntax::pat("key"), syntax::pat("item")])],
                syntax::tuple([syntax::var("key"), converted]),
            );
            collect(syntax::method_call(
                syntax::method_call(expr, "into_iter", []),
                "map",
                [entry],
            ))
        }
        TypeRef::Nullable(inner) => {
            let item = conv_fn(ir, inner, form).unwrap_or_else(|| {
                let converted = convert(ir, syntax::var("item"), inner, form);
                syntax::closure(vec![syntax::pat("item")], converted)
            });
            syntax::method_call(expr, "map", [item])
        }
        TypeRef::Boxed(inner) => match conv_fn(ir, inner, form) {
            Some(call) => syntax::call(
                syntax::var("Box::new"),
                [syntax::call(call, [syntax::deref(expr)])],
            ),
            None => {
                let converted = convert(ir, syntax::var("inner"), inner, form);
                syntax::block_expr(vec![
                    syntax::let_stmt(syntax::pat("inner"), None, syntax::deref(expr)),
                    syntax::tail(syntax::call(syntax::var("Box::new"), [converted])),
                ])
            }
        },
        _ => expr,
    }
}

/// `expr.collect()`.
fn collect(expr: syn::Expr) -> syn::Expr {
    syntax::method_call(expr, "collect", [])
}

/// Whether values of `ty` (model form) are `Copy`, so `*new` is used instead of a clone.
fn is_copy(ir: &Ir, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Bool
        | TypeRef::Int(_)
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::Date
        | TypeRef::DateTime => true,
        TypeRef::Named(id) => match &ir.ty(*id).kind {
            TypeKind::IntEnum(_) => true,
            TypeKind::Alias(target) => is_copy(ir, target),
            _ => false,
        },
        _ => false,
    }
}

/// `expr` (a reference to a model-form value of `ty`) as an owned value.
fn owned(ir: &Ir, expr: syn::Expr, ty: &TypeRef) -> syn::Expr {
    if is_copy(ir, ty) {
        syntax::deref(expr)
    } else {
        syntax::method_call(expr, "clone", [])
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
pub fn emit(ir: &Ir, options: &EmitOptions) -> Items {
    let convertible = Convertible::compute(ir);
    let mut items = Items::default();
    for id in ir.ids_in_order() {
        let def = ir.ty(id);
        if def.create_name.is_some() {
            items.extend(emit_type(ir, def, Form::Create, options));
            match &def.kind {
                TypeKind::Struct(st) => {
                    items.extend(create_extras(ir, id, st, &convertible, options))
                }
                TypeKind::Union(u) if convertible.create.contains(&id) => {
                    items.push(union_from_model(ir, id, u))
                }
                _ => {}
            }
        }
        if def.patch_name.is_some() {
            items.extend(emit_patch(ir, id, &convertible, options));
        }
    }
    items
}

/// The fields of `st` that `form` keeps, with their shapes.
fn kept_fields(st: &StructDef, form: Form) -> Vec<(&Field, Shape)> {
    st.fields
        .iter()
        .map(|f| (f, shape(f, form)))
        .filter(|(_, s)| *s != Shape::Omitted)
        .collect()
}

/// `From<Model>`, `new`, setters and clearers for a create struct, and `From<inner>` for
/// single-field wrappers.
fn create_extras(
    ir: &Ir,
    id: TypeId,
    st: &StructDef,
    convertible: &Convertible,
    options: &EmitOptions,
) -> Items {
    let def = ir.ty(id);
    let name = type_name(ir, id, Form::Create);
    let fields = kept_fields(st, Form::Create);
    let mut items = Items::default();

    if convertible.create.contains(&id) {
        let value_of = |field: &Field| syntax::field(syntax::var("value"), &field.rust_name);
        let mut inits: Vec<(&str, syn::Expr)> = fields
            .iter()
            .map(|(field, create_shape)| {
                if field.write_only {
                    return (field.rust_name.as_str(), default_value());
                }
                let plain = !differs(ir, &field.ty, Form::Create);
                let init = match (shape(field, Form::Model), create_shape) {
                    (Shape::Plain, Shape::Plain) => {
                        convert(ir, value_of(field), &field.ty, Form::Create)
                    }
                    (Shape::Optional { .. }, Shape::Optional { .. }) if plain => value_of(field),
                    (Shape::Optional { .. }, Shape::Optional { .. }) => {
                        let call = conv_fn(ir, &field.ty, Form::Create).unwrap_or_else(|| {
                            syntax::closure(
                                vec![syntax::pat("v")],
                                convert(ir, syntax::var("v"), &field.ty, Form::Create),
                            )
                        });
                        syntax::method_call(value_of(field), "map", [call])
                    }
                    (Shape::Optional { .. }, Shape::TriState) => {
                        let wrap = if plain {
                            syntax::expr_path(options.patch("Value"))
                        } else {
                            let converted = convert(ir, syntax::var("v"), &field.ty, Form::Create);
                            syntax::closure(
                                vec![syntax::pat("v")],
                                syntax::call(
                                    syntax::expr_path(options.patch("Value")),
                                    [converted],
                                ),
                            )
                        };
                        syntax::method_call(
                            value_of(field),
                            "map_or",
                            [syntax::expr_path(options.patch("Absent")), wrap],
                        )
                    }
                    _ => default_value(),
                };
                (field.rust_name.as_str(), init)
            })
            .collect();
        if let Some(ty) = &st.additional {
            let map = syntax::field(syntax::var("value"), "additional_properties");
            let value = match conv_fn(ir, ty, Form::Create) {
                None if !differs(ir, ty, Form::Create) => map,
                _ => {
                    let converted = convert(ir, syntax::var("v"), ty, Form::Create);
                    map_entries(map, converted)
                }
            };
            inits.push(("additional_properties", value));
        }
        let used = if fields.iter().any(|(f, _)| !f.write_only) || st.additional.is_some() {
            "value"
        } else {
            "_value"
        };
        let doc = format!(
            " Everything of a [`{}`] that can be sent, read-only fields left out.",
            def.name
        );
        items.push(from_impl(
            &def.name,
            name,
            &doc,
            used,
            syntax::struct_expr("Self", inits),
        ));
    }

    items.push(create_builder(ir, name, st, &fields, options));
    items.extend(wrapper_from(ir, id, st, &fields, Form::Create, options));
    items
}

/// `Default::default()`.
fn default_value() -> syn::Expr {
    syntax::call(syntax::var("Default::default"), [])
}

/// `map.into_iter().map(|(k, v)| (k, value)).collect()`.
fn map_entries(map: syn::Expr, value: syn::Expr) -> syn::Expr {
    let entry = syntax::closure(
        vec![syntax::pat_tuple([syntax::pat("k"), syntax::pat("v")])],
        syntax::tuple([syntax::var("k"), value]),
    );
    collect(syntax::method_call(
        syntax::method_call(map, "into_iter", []),
        "map",
        [entry],
    ))
}

/// `impl From<source> for target { #[doc] fn from(arg: source) -> Self { body } }`.
fn from_impl(source: &str, target: &str, doc: &str, arg: &str, body: syn::Expr) -> syn::Item {
    let from = syntax::Method {
        attrs: vec![syntax::doc(doc)],
        public: false,
        name: ident("from"),
        receiver: syntax::SelfArg::None,
        args: vec![(ident(arg), syntax::named_type(source))],
        output: Some(syntax::named_type("Self")),
        body: vec![syntax::tail(body)],
    };
    let trait_path = syntax::with_args(syntax::path("From"), [syntax::named_type(source)]);
    syntax::item_impl(
        Some(trait_path),
        syntax::named_type(target),
        vec![from.build()],
    )
}

/// `new(required...)`, setters for the other fields and `clear_*` for tri-state fields.
///
/// When no field is required the setters are emitted with the struct itself (see
/// `models::emit_struct`); only `new()` and the clearers are added here.
fn create_builder(
    ir: &Ir,
    name: &str,
    st: &StructDef,
    fields: &[(&Field, Shape)],
    options: &EmitOptions,
) -> syn::Item {
    let required: Vec<&Field> = fields
        .iter()
        .filter(|(_, s)| *s == Shape::Plain)
        .map(|(f, _)| *f)
        .collect();
    let setters_elsewhere = required.is_empty();
    // Setters carry the field names, so they are taken first.
    let mut methods = Scope::with_reserved(fields.iter().map(|(f, _)| f.rust_name.as_str()));
    if st.additional.is_some() {
        methods.claim("additional_properties".into());
    }
    let new_name = methods.claim("new".into());

    let args = required
        .iter()
        .map(|f| {
            (
                ident(&f.rust_name),
                syntax::impl_trait("Into", ty_syn(ir, &f.ty, Form::Create)),
            )
        })
        .collect();
    let body = if setters_elsewhere {
        default_call()
    } else {
        let mut inits: Vec<(&str, syn::Expr)> = fields
            .iter()
            .map(|(f, _)| {
                let value = if required.iter().any(|r| r.rust_name == f.rust_name) {
                    syntax::method_call(syntax::var(&f.rust_name), "into", [])
                } else {
                    syntax::call(syntax::var("Default::default"), [])
                };
                (f.rust_name.as_str(), value)
            })
            .collect();
        if st.additional.is_some() {
            inits.push((
                "additional_properties",
                syntax::call(syntax::var("Default::default"), []),
            ));
        }
        syntax::struct_expr("Self", inits)
    };
    let new_doc = if required.is_empty() {
        " A body with nothing set; add fields with the setters.".to_owned()
    } else {
        let names: Vec<String> = required
            .iter()
            .map(|f| format!("`{}`", f.wire_name))
            .collect();
        let rest = if fields.len() > required.len() {
            "; add the others with the setters"
        } else {
            ""
        };
        format!(" A body with the required {} set{rest}.", names.join(", "))
    };

    let mut methods_out = vec![syntax::Method {
        attrs: vec![syntax::doc(&new_doc)],
        public: true,
        name: ident(&new_name),
        receiver: syntax::SelfArg::None,
        args,
        output: Some(syntax::named_type("Self")),
        body: vec![syntax::tail(body)],
    }
    .build()];
    for (field, shape) in fields {
        if !setters_elsewhere && *shape != Shape::Plain {
            let doc = format!(" Sets `{}`.", field.wire_name);
            let wrap = match shape {
                Shape::TriState => options.patch("Value"),
                _ => syntax::path("Some"),
            };
            methods_out.push(setter(
                &doc,
                &field.rust_name,
                &field.rust_name,
                ty_syn(ir, &field.ty, Form::Create),
                wrap,
            ));
        }
        if *shape == Shape::TriState {
            let clear = methods.claim(format!("clear_{}", field.rust_name));
            let doc = format!(" Clears `{}`: sends `null`.", field.wire_name);
            methods_out.push(clearer(&doc, &clear, &field.rust_name, options));
        }
    }
    syntax::item_impl(None, syntax::named_type(name), methods_out)
}

/// `#[must_use] pub fn name(mut self) -> Self { self.field = Patch::Null; self }`.
fn clearer(doc: &str, name: &str, field: &str, options: &EmitOptions) -> syn::ImplItem {
    chained(
        doc,
        name,
        Vec::new(),
        field,
        syntax::expr_path(options.patch("Null")),
    )
}

/// `<Self as Default>::default()`.
fn default_call() -> syn::Expr {
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

/// `From<Model>` for the create form of a union, variant by variant.
fn union_from_model(ir: &Ir, id: TypeId, union: &UnionDef) -> syn::Item {
    let name = type_name(ir, id, Form::Create);
    let model = type_name(ir, id, Form::Model);
    let arm = |variant: &str, value: syn::Expr| {
        let pattern =
            syntax::pat_tuple_struct(&format!("{model}::{variant}"), [syntax::pat("inner")]);
        (
            pattern,
            syntax::call(
                syntax::expr_path(syntax::join(&syntax::path("Self"), variant)),
                [value],
            ),
        )
    };
    let mut arms: Vec<(syn::Pat, syn::Expr)> = union
        .variants
        .iter()
        .map(|v| {
            arm(
                &v.rust_name,
                convert(ir, syntax::var("inner"), &v.ty, Form::Create),
            )
        })
        .collect();
    // Tagged unions keep unknown objects in an extra variant, named as `models` names it.
    if union.tag.is_some() {
        let mut scope = Scope::default();
        for v in &union.variants {
            scope.claim(v.rust_name.clone());
        }
        arms.push(arm(&scope.claim("Unknown".into()), syntax::var("inner")));
    }
    let doc = format!(" The same alternative of a [`{model}`], read-only fields left out.");
    from_impl(
        model,
        name,
        &doc,
        "value",
        syntax::match_expr(syntax::var("value"), arms),
    )
}

/// `impl From<Inner> for Wrapper` for a request body that wraps one value
/// (`{"conversation": {...}}`, [`crate::ir::TypeDef::wrapper_field`]), so the body can be given
/// as its inner value; every other field (optional, by the IR's rule) is left empty.
fn wrapper_from(
    ir: &Ir,
    id: TypeId,
    st: &StructDef,
    fields: &[(&Field, Shape)],
    form: Form,
    options: &EmitOptions,
) -> Option<syn::Item> {
    let index = ir.ty(id).wrapper_field?;
    let wrapped_field = st.fields.get(index)?;
    let TypeRef::Named(inner) = wrapped_field.ty else {
        return None;
    };
    let mut inits: Vec<(&str, syn::Expr)> = Vec::new();
    for (field, shape) in fields {
        let init = if std::ptr::eq(*field, wrapped_field) {
            match shape {
                Shape::Plain => syntax::var("value"),
                Shape::Optional { .. } => syntax::call(syntax::var("Some"), [syntax::var("value")]),
                Shape::TriState => syntax::call(
                    syntax::expr_path(options.patch("Value")),
                    [syntax::var("value")],
                ),
                Shape::Omitted => return None,
            }
        } else {
            default_value()
        };
        inits.push((field.rust_name.as_str(), init));
    }
    if st.additional.is_some() {
        inits.push(("additional_properties", default_value()));
    }
    let doc = format!(" Wraps the value as `{}`.", wrapped_field.wire_name);
    let body = syntax::struct_expr("Self", inits);
    Some(from_impl(
        type_name(ir, inner, form),
        type_name(ir, id, form),
        &doc,
        "value",
        body,
    ))
}

fn emit_patch(ir: &Ir, id: TypeId, convertible: &Convertible, options: &EmitOptions) -> Items {
    let def = ir.ty(id);
    let name_text = type_name(ir, id, Form::Patch);
    let name = ident(name_text);
    let mut items = Items::default();
    let st = match &def.kind {
        TypeKind::Struct(st) => st,
        TypeKind::Alias(target) => {
            let doc = format!(" Partial update of [`{}`].", def.name);
            items.push(alias(
                vec![syntax::doc(&doc)],
                name_text,
                ty_syn(ir, target, Form::Patch),
            ));
            return items;
        }
        _ => return items,
    };
    let fields: Vec<&Field> = kept_fields(st, Form::Patch)
        .into_iter()
        .map(|(f, _)| f)
        .collect();

    let convertible_patch = convertible.patch_ok(ir, id);
    let mut intro = format!(
        "Partial update of [`{}`]: every field is absent (left unchanged), null (cleared) or a value (set).\n\n\
         Read-only fields are not part of this type. Build one with the setters",
        def.name
    );
    if convertible_patch {
        intro.push_str(&format!(
            ", or with [`{name}::diff`] from two versions of the model"
        ));
    }
    intro.push('.');
    if let Some(docs) = &def.docs {
        intro.push_str("\n\n");
        intro.push_str(docs);
    }
    let mut attrs = docs(Some(&intro));
    attrs.push(struct_derive(true, options));
    let shaped: Vec<(&Field, Shape)> = fields.iter().map(|f| (*f, Shape::TriState)).collect();
    let mut decls = field_decls(ir, &shaped, Form::Patch, None, options);
    if let Some(ty) = &st.additional {
        let values = syntax::generic_type("Option", [ty_syn(ir, ty, Form::Create)]);
        let attrs = vec![
            syntax::doc(
                " Properties not listed above, by name: a missing key is left unchanged, `None`",
            ),
            syntax::doc(" clears the key (sends `null`), `Some` sets it."),
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
    items.push(syntax::item_struct(attrs, name_text, decls));

    let mut methods = Scope::with_reserved(["new", "is_empty", "diff", "from_model"]);
    let setters: Vec<_> = fields
        .iter()
        .map(|f| methods.claim(f.rust_name.clone()))
        .collect();
    // A required, non-nullable key can be left out of a patch but not cleared: no `clear_*`.
    let clearers: Vec<Option<String>> = fields
        .iter()
        .map(|f| {
            f.clearable()
                .then(|| methods.claim(format!("clear_{}", f.rust_name)))
        })
        .collect();
    let mut empties: Vec<syn::Expr> = fields
        .iter()
        .map(|f| {
            syntax::method_call(
                syntax::field(syntax::var("self"), &f.rust_name),
                "is_absent",
                [],
            )
        })
        .collect();
    if st.additional.is_some() {
        empties.push(syntax::method_call(
            syntax::field(syntax::var("self"), "additional_properties"),
            "is_empty",
            [],
        ));
    }
    let is_empty_body = syntax::all_of(empties).unwrap_or_else(|| syntax::lit_bool(true));
    let mut impl_items = vec![
        syntax::Method {
            attrs: vec![syntax::doc(
                " An empty patch: changes nothing (serialises as `{}`).",
            )],
            public: true,
            name: ident("new"),
            receiver: syntax::SelfArg::None,
            args: Vec::new(),
            output: Some(syntax::named_type("Self")),
            body: vec![syntax::tail(default_call())],
        }
        .build(),
        syntax::Method {
            attrs: vec![syntax::doc(
                " Whether the patch changes nothing (every field absent).",
            )],
            public: true,
            name: ident("is_empty"),
            receiver: syntax::SelfArg::Ref,
            args: Vec::new(),
            output: Some(syntax::named_type("bool")),
            body: vec![syntax::tail(is_empty_body)],
        }
        .build(),
    ];
    for (field, (set, clear)) in fields.iter().zip(setters.iter().zip(&clearers)) {
        let inner = ty_syn(ir, &field.ty, Form::Patch);
        let set_doc = format!(" Sets `{}` to `value`.", field.wire_name);
        let clear_doc = format!(" Clears `{}`: sends `null`.", field.wire_name);
        impl_items.push(setter(
            &set_doc,
            set,
            &field.rust_name,
            inner,
            options.patch("Value"),
        ));
        if let Some(clear) = clear {
            impl_items.push(clearer(&clear_doc, clear, &field.rust_name, options));
        }
    }
    items.push(syntax::item_impl(
        None,
        syntax::named_type(name_text),
        impl_items,
    ));

    if convertible_patch {
        items.push(patch_conversions(
            ir, name_text, &def.name, st, &fields, options,
        ));
    }
    items.extend(wrapper_from(ir, id, st, &shaped, Form::Patch, options));
    items
}

/// `from_model` and `diff` for a patch struct whose fields can all be built from the model.
fn patch_conversions(
    ir: &Ir,
    name: &str,
    model: &str,
    st: &StructDef,
    fields: &[&Field],
    options: &EmitOptions,
) -> syn::Item {
    let readable: Vec<&Field> = fields.iter().copied().filter(|f| !f.write_only).collect();
    let has_data = !readable.is_empty() || st.additional.is_some();
    let patch = |variant: &str| syntax::expr_path(options.patch(variant));
    let wrap = |value: syn::Expr| syntax::call(patch("Value"), [value]);

    let mut from_fields: Vec<(&str, syn::Expr)> = fields
        .iter()
        .map(|field| {
            let value = syntax::field(syntax::var("value"), &field.rust_name);
            let init = if field.write_only {
                patch("Absent")
            } else {
                match shape(field, Form::Model) {
                    Shape::Plain => wrap(convert(ir, value, &field.ty, Form::Patch)),
                    _ if !differs(ir, &field.ty, Form::Patch) => {
                        syntax::method_call(value, "map_or", [patch("Absent"), patch("Value")])
                    }
                    _ => {
                        let converted = convert(ir, syntax::var("v"), &field.ty, Form::Patch);
                        let closure = syntax::closure(vec![syntax::pat("v")], wrap(converted));
                        syntax::method_call(value, "map_or", [patch("Absent"), closure])
                    }
                }
            };
            (field.rust_name.as_str(), init)
        })
        .collect();
    if let Some(ty) = &st.additional {
        let converted = convert(ir, syntax::var("v"), ty, Form::Create);
        let map = syntax::field(syntax::var("value"), "additional_properties");
        from_fields.push((
            "additional_properties",
            map_entries(map, syntax::call(syntax::var("Some"), [converted])),
        ));
    }

    let mut diff_body = vec![syntax::let_stmt(
        if has_data {
            syntax::pat_mut("patch")
        } else {
            syntax::pat("patch")
        },
        None,
        syntax::call(syntax::var("Self::new"), []),
    )];
    for field in &readable {
        let both = diff_present(ir, &field.ty, options);
        let target = syntax::field(syntax::var("patch"), &field.rust_name);
        let old = syntax::borrow(syntax::field(syntax::var("old"), &field.rust_name));
        let new = syntax::borrow(syntax::field(syntax::var("new"), &field.rust_name));
        let value = match shape(field, Form::Model) {
            Shape::Plain => {
                let mut stmts = vec![syntax::let_stmt(
                    syntax::pat_tuple([syntax::pat("old"), syntax::pat("new")]),
                    None,
                    syntax::tuple([old, new]),
                )];
                stmts.extend(both);
                syntax::block_expr(stmts)
            }
            _ => {
                let whole = convert(
                    ir,
                    owned(ir, syntax::var("new"), &field.ty),
                    &field.ty,
                    Form::Patch,
                );
                let none = || syntax::pat("None");
                let some = |inner: syn::Pat| syntax::pat_tuple_struct("Some", [inner]);
                syntax::match_expr(
                    syntax::tuple([old, new]),
                    [
                        (syntax::pat_tuple([none(), none()]), patch("Absent")),
                        (
                            syntax::pat_tuple([some(syntax::pat_wild()), none()]),
                            patch("Null"),
                        ),
                        (
                            syntax::pat_tuple([none(), some(syntax::pat("new"))]),
                            wrap(whole),
                        ),
                        (
                            syntax::pat_tuple([some(syntax::pat("old")), some(syntax::pat("new"))]),
                            syntax::block_expr(both),
                        ),
                    ],
                )
            }
        };
        diff_body.push(syntax::semi(syntax::assign(target, value)));
    }
    if let Some(ty) = &st.additional {
        let converted = convert(
            ir,
            syntax::method_call(syntax::var("value"), "clone", []),
            ty,
            Form::Create,
        );
        diff_body.extend(syntax::parse_stmts(quote! {
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
        }));
    }
    diff_body.push(syntax::tail(syntax::var("patch")));
    if !has_data {
        // Nothing to compare (every field is read-only): `let patch = ..; patch` is clippy's
        // `let_and_return`.
        diff_body = vec![syntax::tail(syntax::call(syntax::var("Self::new"), []))];
    }

    let (value, old, new) = if has_data {
        ("value", "old", "new")
    } else {
        ("_value", "_old", "_new")
    };
    let from_doc = docs(Some(&format!(
        "Every writable field the [`{model}`] has, as a value (`None` fields stay absent): a patch \
         that overwrites. To send only what changed, use [`{name}::diff`]."
    )));
    let diff_doc = docs(Some(
        "The smallest patch that turns `old` into `new`.\n\n\
         Unchanged fields are absent, fields that became `None` are cleared (`null`), nested objects \
         are diffed field by field (and left out when nothing in them changed), arrays and maps are \
         replaced whole. Read-only fields, which the server owns, are ignored.",
    ));
    let model_ref = syntax::reference(syntax::named_type(model));
    let from_model = syntax::Method {
        attrs: from_doc,
        public: true,
        name: ident("from_model"),
        receiver: syntax::SelfArg::None,
        args: vec![(ident(value), syntax::named_type(model))],
        output: Some(syntax::named_type("Self")),
        body: vec![syntax::tail(syntax::struct_expr("Self", from_fields))],
    };
    let diff = syntax::Method {
        attrs: diff_doc,
        public: true,
        name: ident("diff"),
        receiver: syntax::SelfArg::None,
        args: vec![(ident(old), model_ref.clone()), (ident(new), model_ref)],
        output: Some(syntax::named_type("Self")),
        body: diff_body,
    };
    syntax::item_impl(
        None,
        syntax::named_type(name),
        vec![from_model.build(), diff.build()],
    )
}

/// Statements ending in a `Patch<..>` expression (to be put in a block) for a field present in
/// both versions, with `old` and `new` bound to references to the model-form values of `ty`.
fn diff_present(ir: &Ir, ty: &TypeRef, options: &EmitOptions) -> Vec<syn::Stmt> {
    let patch = |variant: &str| syntax::expr_path(options.patch(variant));
    let wrap = |value: syn::Expr| syntax::call(patch("Value"), [value]);
    if let Some((nested_id, boxed)) = nested_patch(ir, ty) {
        let nested = syntax::path(type_name(ir, nested_id, Form::Patch));
        // `&Box<T>` coerces to `&T` in the call.
        let value = if boxed {
            syntax::call(syntax::var("Box::new"), [syntax::var("nested")])
        } else {
            syntax::var("nested")
        };
        return vec![
            syntax::let_stmt(
                syntax::pat("nested"),
                None,
                syntax::call(
                    syntax::expr_path(syntax::join(&nested, "diff")),
                    [syntax::var("old"), syntax::var("new")],
                ),
            ),
            syntax::tail(syntax::if_else(
                syntax::method_call(syntax::var("nested"), "is_empty", []),
                patch("Absent"),
                wrap(value),
            )),
        ];
    }
    let unchanged = || syntax::eq(syntax::var("old"), syntax::var("new"));
    if differs(ir, ty, Form::Patch) {
        // Compare what would be sent: values differing only in read-only data are unchanged.
        let sent = ty_syn(ir, ty, Form::Patch);
        let clone = |name: &str| syntax::method_call(syntax::var(name), "clone", []);
        return vec![
            syntax::let_stmt(
                syntax::pat("old"),
                Some(sent.clone()),
                convert(ir, clone("old"), ty, Form::Patch),
            ),
            syntax::let_stmt(
                syntax::pat("new"),
                Some(sent),
                convert(ir, clone("new"), ty, Form::Patch),
            ),
            syntax::tail(syntax::if_else(
                unchanged(),
                patch("Absent"),
                wrap(syntax::var("new")),
            )),
        ];
    }
    vec![syntax::tail(syntax::if_else(
        unchanged(),
        patch("Absent"),
        wrap(owned(ir, syntax::var("new"), ty)),
    ))]
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

    /// A wrapper body with a required key beside an optional and a read-only one, and a schema
    /// that is read-only as a whole, used directly, in an array and in a map.
    const WRAPPER_SPEC: &str = r##"
openapi: 3.0.3
info: {title: Things, version: "1"}
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    patch:
      operationId: updateThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ThingBody'}
      responses:
        "200": {description: ok}
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ThingBody'}
      responses:
        "201": {description: created}
components:
  schemas:
    ThingBody:
      type: object
      required: [thing]
      properties:
        thing: {$ref: '#/components/schemas/Thing'}
        note: {type: string, nullable: true}
        included: {type: object, readOnly: true, additionalProperties: true}
    Thing:
      type: object
      properties:
        name: {type: string}
        owner: {$ref: '#/components/schemas/Ref'}
        refs: {type: array, items: {$ref: '#/components/schemas/Ref'}}
        byRole: {type: object, additionalProperties: {$ref: '#/components/schemas/Ref'}}
    Ref:
      type: object
      readOnly: true
      properties:
        id: {type: integer}
"##;

    fn wrapper_requests() -> String {
        let rendered = Config::new()
            .parts(Parts::TYPES)
            .render_str("things.yaml", WRAPPER_SPEC)
            .expect("a valid spec");
        rendered
            .files
            .iter()
            .find(|f| f.path.ends_with("requests.rs"))
            .expect("requests.rs")
            .contents
            .clone()
    }

    #[test]
    fn a_wrapper_with_optional_and_read_only_keys_converts_from_its_inner_value() {
        let text = wrapper_requests();
        assert!(
            text.contains("impl From<ThingPatch> for ThingBodyPatch"),
            "{text}"
        );
        assert!(
            text.contains("impl From<ThingCreate> for ThingBodyCreate"),
            "{text}"
        );
        // The other keys start empty; the read-only one is not there at all.
        assert_eq!(
            field_names(struct_body(&text, "ThingBodyPatch")),
            ["thing", "note"]
        );
    }

    #[test]
    fn a_required_key_cannot_be_cleared_in_a_patch() {
        let text = wrapper_requests();
        assert!(!text.contains("fn clear_thing("), "{text}");
        assert!(text.contains("pub fn thing(mut self"), "{text}");
        assert!(
            text.contains("pub fn clear_note(mut self)"),
            "an optional key can: {text}"
        );
    }

    #[test]
    fn arrays_and_maps_of_a_read_only_schema_are_read_only() {
        let text = wrapper_requests();
        assert_eq!(field_names(struct_body(&text, "ThingPatch")), ["name"]);
        assert_eq!(field_names(struct_body(&text, "ThingCreate")), ["name"]);
        assert!(
            !text.contains("RefCreate") && !text.contains("RefPatch"),
            "{text}"
        );
    }

    fn requests() -> String {
        let rendered = Config::new()
            .parts(Parts::TYPES)
            .render_str("shop.yaml", SPEC)
            .expect("a valid spec");
        rendered
            .files
            .iter()
            .find(|f| f.path.ends_with("requests.rs"))
            .expect("requests.rs")
            .contents
            .clone()
    }

    /// The text of `pub struct {name} { ... }`.
    fn struct_body<'a>(text: &'a str, name: &str) -> &'a str {
        let start = text
            .find(&format!("pub struct {name} {{"))
            .unwrap_or_else(|| panic!("no struct {name}:\n{text}"));
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
        assert_eq!(
            field_names(body),
            ["name", "note", "secret", "kind", "size", "parts", "labels", "parent"]
        );
        assert!(
            body.contains("pub name: ::desk_runtime::Patch<String>"),
            "{body}"
        );
        assert!(
            body.contains("pub size: ::desk_runtime::Patch<SizePatch>"),
            "nested objects are patched: {body}"
        );
        assert!(
            body.contains("pub parts: ::desk_runtime::Patch<Vec<PartCreate>>"),
            "arrays are replaced whole: {body}"
        );
        assert!(
            body.contains("pub kind: ::desk_runtime::Patch<Kind>"),
            "{body}"
        );
        assert!(
            body.contains("pub parent: ::desk_runtime::Patch<Box<ItemPatch>>"),
            "cycles stay boxed: {body}"
        );
        assert!(
            body.matches("skip_serializing_if = \"::desk_runtime::Patch::is_absent\"")
                .count()
                == 8,
            "{body}"
        );
    }

    #[test]
    fn read_only_fields_are_absent_from_every_request_form() {
        let text = requests();
        for name in [
            "ItemPatch",
            "ItemCreate",
            "SizePatch",
            "SizeCreate",
            "PartCreate",
        ] {
            let fields = field_names(struct_body(&text, name));
            assert!(
                !fields.contains(&"id")
                    && !fields.contains(&"created_at")
                    && !fields.contains(&"measured_at"),
                "{name}: {fields:?}"
            );
        }
        assert!(
            !text.contains("fn id("),
            "no setter reaches a read-only field"
        );
        assert!(!text.contains("fn created_at("));
    }

    #[test]
    fn create_forms_follow_the_optionality_table() {
        let text = requests();
        let body = struct_body(&text, "ItemCreate");
        assert!(body.contains("pub name: String"), "required: plain: {body}");
        assert!(
            body.contains("pub note: ::desk_runtime::Patch<String>"),
            "optional nullable: tri-state: {body}"
        );
        assert!(
            body.contains("pub secret: Option<String>"),
            "write-only kept: {body}"
        );
        assert!(
            body.contains("pub parent: Option<Box<ItemCreate>>"),
            "{body}"
        );
        assert!(
            text.contains("pub fn new(name: impl Into<String>) -> Self"),
            "required fields go to new():\n{text}"
        );
        assert!(text.contains("pub fn clear_note(mut self) -> Self"));
        assert!(text.contains("pub fn note(mut self, value: impl Into<String>) -> Self"));
        assert!(text.contains("pub fn new(width: impl Into<f64>) -> Self"));
    }

    #[test]
    fn patches_are_built_explicitly_never_converted_implicitly() {
        let text = requests();
        assert!(
            !text.contains("impl From<Item> for ItemPatch"),
            "a model must not pass for a patch"
        );
        assert!(!text.contains("impl From<Size> for SizePatch"));
        assert!(text.contains("pub fn diff(old: &Item, new: &Item) -> Self"));
        assert!(text.contains("pub fn from_model(value: Item) -> Self"));
        assert!(
            text.contains("SizePatch::diff(old, new)"),
            "nested objects are diffed:\n{text}"
        );
        assert!(
            text.contains("ItemPatch::diff(old, new)"),
            "boxed nested objects too"
        );
        assert!(text.contains("impl From<Item> for ItemCreate"));
    }

    #[test]
    fn additional_properties_beside_properties_are_patchable_per_key() {
        let text = requests();
        let body = struct_body(&text, "SizePatch");
        assert!(
            body.contains(
                "pub additional_properties: ::std::collections::BTreeMap<String, Option<f64>>"
            ),
            "{body}"
        );
        assert!(body.contains("#[serde(flatten)]"), "{body}");
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(requests(), requests());
    }
}
