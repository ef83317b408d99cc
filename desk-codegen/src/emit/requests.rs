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
//! A create form that would repeat its model field for field (lowering's `create_is_model`) is
//! `pub type {Name}Create = {Name};` instead, with the same constructor and setters on the alias
//! and no `From<Model>` (the standard `From<T> for T` is that conversion).
//!
//! **Patch forms** hold every writable property as `desk_runtime::Patch<T>`:
//! absent (not serialised: leave unchanged), null (serialised as `null`: clear) or a value (set).
//! Nested objects get their own patch forms (as in JSON merge patch), arrays, maps and unions
//! are replaced whole and so use create forms. `additionalProperties` beside the properties
//! become a flattened `BTreeMap<String, Option<T>>`: a missing key is left alone, `None` clears
//! the key, `Some` sets it. Every patch struct gets
//! - `new()` (the empty patch), `is_empty()`;
//! - `{field}(value)` and (unless the field is required and not nullable) `clear_{field}()`
//!   setters (named in lowering, `crate::lower::members`);
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
//!
//! Units: [`create`] (a create form's constructor, setters and conversions), [`patch`] (a patch
//! form and its methods), [`diff`] (`from_model` and `diff`, through the runtime's `Patch`
//! helpers); this module holds what they share: expressions that convert a model value into a
//! request form, `From` impls and the wrapper conversion.

mod create;
mod diff;
mod patch;

pub(super) use diff::nested_patch_struct;

use super::models::{clearer, default_value, emit_type};
use super::syntax::{self, Items};
use super::{ident, EmitOptions, Form};
use crate::ir::{BoxReason, Holder, Ir, Layer, Shape, TypeId, TypeKind, TypeRef};

/// Emits the create and patch forms of every type, sorted by name.
pub fn emit(ir: &Ir, options: &EmitOptions) -> Items {
    let mut items = Items::default();
    for id in ir.ids_in_order() {
        let def = ir.ty(id);
        if def.create_is_model {
            items.extend(create::same_as_model(ir, id, options));
        } else if def.create_name.is_some() {
            items.extend(emit_type(ir, def, Form::Create, options));
            match &def.kind {
                TypeKind::Struct(st) => items.extend(create::extras(ir, id, st, options)),
                TypeKind::Union(u) if def.conversions.create_from_model => {
                    items.push(create::union_from_model(ir, id, u))
                }
                _ => {}
            }
        }
        if def.patch_name.is_some() {
            items.extend(patch::emit(ir, id, options));
        }
    }
    let forms = [Form::Create, Form::Patch];
    items.extend(super::links::decoders(ir, &forms, options));
    items.extend(super::links::conversions(ir, options));
    items
}

/// How a model-form value becomes the same value in another form, built by one fold over the
/// value's type from the leaf out ([`conversion`]).
enum Conversion<'a> {
    /// Nothing to do: the value has the same type in both forms.
    Same,
    /// One call of a path (`XCreate::from`, `XPatch::from_model`).
    Call(syn::Expr),
    /// An expression around the value (`value.into_iter().map(..).collect()`).
    Wrap(Box<dyn Fn(syn::Expr) -> syn::Expr + 'a>),
}

impl Conversion<'_> {
    /// `expr` converted.
    fn apply(&self, expr: syn::Expr) -> syn::Expr {
        match self {
            Conversion::Same => expr,
            Conversion::Call(path) => syntax::call(path.clone(), [expr]),
            Conversion::Wrap(wrap) => wrap(expr),
        }
    }

    /// A function of one value: the path, or a closure `|var| ...`.
    fn callable(&self, var: &str) -> syn::Expr {
        match self {
            Conversion::Call(path) => path.clone(),
            other => syntax::closure(vec![syntax::pat(var)], other.apply(syntax::var(var))),
        }
    }
}

/// How an owned model-form value of `ty` becomes a value in `form`.
fn conversion<'a>(ir: &'a Ir, ty: &TypeRef, form: Form) -> Conversion<'a> {
    // What each layer holds, outermost first: the fold takes them innermost first.
    let mut held = Vec::new();
    let mut next = ty;
    while let Some((_, inner)) = next.layer() {
        held.push(inner);
        next = inner;
    }
    ty.fold(
        form,
        |leaf, form| leaf_conversion(ir, leaf, form),
        |layer, form, inner| {
            let inner_ty = held.pop().expect("one held type per layer");
            if let Conversion::Same = inner {
                return Conversion::Same;
            }
            if let Layer::Boxed(reason) = layer {
                if reason.holder() == Holder::Link {
                    // Across a link the runtime finds the conversion (see `super::links`).
                    return Conversion::Call(link_call(ir, reason, "convert", inner_ty, form));
                }
            }
            let into_iter_map = |expr: syn::Expr, f: syn::Expr| {
                collect(syntax::method_call(
                    syntax::method_call(expr, "into_iter", []),
                    "map",
                    [f],
                ))
            };
            Conversion::Wrap(match (layer, inner) {
                (Layer::Vec, inner) => {
                    Box::new(move |expr| into_iter_map(expr, inner.callable("item")))
                }
                (Layer::Map, inner) => Box::new(move |expr| {
                    let entry = syntax::closure(
                        vec![syntax::pat_tuple([syntax::pat("key"), syntax::pat("item")])],
                        syntax::tuple([syntax::var("key"), inner.apply(syntax::var("item"))]),
                    );
                    into_iter_map(expr, entry)
                }),
                (Layer::Nullable, inner) => {
                    Box::new(move |expr| syntax::method_call(expr, "map", [inner.callable("item")]))
                }
                (Layer::Boxed(reason), Conversion::Call(path)) => Box::new(move |expr| {
                    syntax::call(
                        boxing(ir, reason),
                        [syntax::call(path.clone(), [unboxed(ir, reason, expr)])],
                    )
                }),
                (Layer::Boxed(reason), inner) => Box::new(move |expr| {
                    syntax::block_expr(vec![
                        syntax::let_stmt(syntax::pat("inner"), None, unboxed(ir, reason, expr)),
                        syntax::tail(syntax::call(
                            boxing(ir, reason),
                            [inner.apply(syntax::var("inner"))],
                        )),
                    ])
                }),
            })
        },
    )
}

/// The conversion of a leaf held in `form`: a named type that differs converts by its form's
/// `from` (a patch struct's `from_model`: patches have no `From<Model>`); aliases are `type`
/// aliases in every form, so they convert what they stand for.
fn leaf_conversion<'a>(ir: &'a Ir, leaf: &TypeRef, form: Form) -> Conversion<'a> {
    let TypeRef::Named(id) = leaf else {
        return Conversion::Same;
    };
    let def = ir.ty(*id);
    if !def.differs_in(form) {
        return Conversion::Same;
    }
    let method = match &def.kind {
        TypeKind::Alias(target) => return conversion(ir, target, form),
        TypeKind::Struct(_) if form == Form::Patch && def.patch_name.is_some() => "from_model",
        _ => "from",
    };
    let owner = syntax::path(def.name_in(form));
    Conversion::Call(syntax::expr_path(syntax::join(&owner, method)))
}

/// `Link::{function}::<T>`: a conversion across a link into `inner` in `form`, which the
/// runtime finds at run time among the conversions [`super::links`] registers (so rustc never
/// instantiates the conversion of the linked type inside the one that holds it).
fn link_call(ir: &Ir, reason: BoxReason, function: &str, inner: &TypeRef, form: Form) -> syn::Expr {
    let (link, function) = (
        syntax::path(super::holder_path(ir, reason)),
        ident(function),
    );
    let target = super::ty_syn(ir, inner, form);
    syn::parse_quote!(#link::#function::<#target>)
}

/// A function of one owned model-form value of `ty` returning it in `form`: a path when the
/// conversion is one call, a closure `|v| ...` otherwise.
pub(super) fn conv_callable(ir: &Ir, ty: &TypeRef, form: Form) -> syn::Expr {
    conversion(ir, ty, form).callable("v")
}

/// An expression converting `expr` (an owned model-form value of `ty`) into `form`.
fn convert(ir: &Ir, expr: syn::Expr, ty: &TypeRef, form: Form) -> syn::Expr {
    conversion(ir, ty, form).apply(expr)
}

/// The constructor of the pointer an edge boxed for `reason` is held in (`Box::new`,
/// `Link::new`).
pub(super) fn boxing(ir: &Ir, reason: BoxReason) -> syn::Expr {
    syntax::expr_path(syntax::join(
        &syntax::path(super::holder_path(ir, reason)),
        "new",
    ))
}

/// The value `expr` (an owned pointer to an edge boxed for `reason`) holds: `*expr` for a
/// `Box`, `Link::into_inner(expr)` for a `Link`.
pub(super) fn unboxed(ir: &Ir, reason: BoxReason, expr: syn::Expr) -> syn::Expr {
    match reason.holder() {
        Holder::Box => syntax::deref(expr),
        Holder::Link => syntax::call(
            syntax::expr_path(syntax::join(
                &syntax::path(super::holder_path(ir, reason)),
                "into_inner",
            )),
            [expr],
        ),
    }
}

/// `expr.collect()`.
fn collect(expr: syn::Expr) -> syn::Expr {
    syntax::method_call(expr, "collect", [])
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

/// `impl From<Inner> for Wrapper` for a request body that wraps one value
/// (`{"conversation": {...}}`, [`crate::ir::TypeDef::wrapper_field`]), so the body can be given
/// as its inner value; every other field (optional, by the IR's rule) is left empty.
fn wrapper_from(ir: &Ir, id: TypeId, form: Form, options: &EmitOptions) -> Option<syn::Item> {
    let def = ir.ty(id);
    let TypeKind::Struct(st) = &def.kind else {
        return None;
    };
    let form_def = match form {
        Form::Patch => &def.forms.patch.as_ref()?.form,
        _ => &def.forms.create.as_ref()?.form,
    };
    let index = def.wrapper_field?;
    let wrapped = st.fields.get(index)?;
    let TypeRef::Named(inner) = wrapped.ty else {
        return None;
    };
    let mut inits: Vec<(&str, syn::Expr)> = Vec::new();
    for (position, (field, form_field)) in st.fields.iter().zip(&form_def.fields).enumerate() {
        let init = if position != index {
            default_value()
        } else {
            match form_field.shape {
                Shape::Plain => syntax::var("value"),
                Shape::Optional { .. } => syntax::call(syntax::var("Some"), [syntax::var("value")]),
                Shape::TriState => syntax::call(
                    syntax::expr_path(options.patch("Value")),
                    [syntax::var("value")],
                ),
                Shape::Omitted => return None,
            }
        };
        if form_field.shape != Shape::Omitted {
            inits.push((field.rust_name.as_str(), init));
        }
    }
    if st.additional.is_some() {
        inits.push((&st.additional_name, default_value()));
    }
    let doc = format!(" Wraps the value as `{}`.", wrapped.wire_name);
    let body = syntax::struct_expr("Self", inits);
    Some(from_impl(
        ir.ty(inner).name_in(form),
        def.name_in(form),
        &doc,
        "value",
        body,
    ))
}
