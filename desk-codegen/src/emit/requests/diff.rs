//! `from_model` and `diff` of a patch form, for types whose every writable field converts
//! (lowering decides: [`crate::ir::Conversions::patch_from_model`]).
//!
//! Each field of `diff` is one call of a runtime helper on `Patch`: `diff`/`diff_option` for
//! values sent as they are, `diff_into`/`diff_option_into` for values compared in their request
//! form (so changes to read-only data never count), and `diff_nested`/`diff_option_nested` for
//! nested objects (their own patch, left out when nothing in it changed); additional properties
//! go through `patch::diff_map` (changed keys set, removed keys cleared).

use super::super::syntax;
use super::super::{docs, ident, EmitOptions, Form};
use super::{boxing, conv_callable, convert, link_call, map_entries, unboxed};
use crate::ir::{
    BoxReason, Field, Holder, Ir, Layer, RequestForm, Shape, StructDef, TypeId, TypeKind, TypeRef,
};

/// `impl {Name}Patch { pub fn from_model(..) -> Self; pub fn diff(..) -> Self }`.
pub(super) fn conversions(
    ir: &Ir,
    id: TypeId,
    st: &StructDef,
    patch: &RequestForm,
    options: &EmitOptions,
) -> syn::Item {
    let def = ir.ty(id);
    let (name, model) = (ir.ty(id).name_in(Form::Patch), def.name.as_str());
    // Each kept field with its shape in the model form.
    let fields: Vec<(&Field, Shape)> = st
        .fields
        .iter()
        .zip(&patch.form.fields)
        .enumerate()
        .filter(|(_, (_, f))| f.shape != Shape::Omitted)
        .map(|(index, (field, _))| (field, def.model_shape(index)))
        .collect();
    // Fields the model form leaves out (write-only) cannot be read from a model.
    let readable = fields.iter().any(|(_, s)| *s != Shape::Omitted) || st.additional.is_some();
    let (value, old, new) = if readable {
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
        body: vec![syntax::tail(from_model_body(ir, st, &fields, options))],
    };
    let diff = syntax::Method {
        attrs: diff_doc,
        public: true,
        name: ident("diff"),
        receiver: syntax::SelfArg::None,
        args: vec![(ident(old), model_ref.clone()), (ident(new), model_ref)],
        output: Some(syntax::named_type("Self")),
        body: diff_body(ir, st, &patch.constructor, &fields, readable, options),
    };
    syntax::item_impl(
        None,
        syntax::named_type(name),
        vec![from_model.build(), diff.build()],
    )
}

/// `Self { field: Patch::Value(value.field), ... }`: every field the model has, set.
fn from_model_body(
    ir: &Ir,
    st: &StructDef,
    fields: &[(&Field, Shape)],
    options: &EmitOptions,
) -> syn::Expr {
    let patch = |variant: &str| syntax::expr_path(options.patch(variant));
    let wrap = |value: syn::Expr| syntax::call(patch("Value"), [value]);
    let mut inits: Vec<(&str, syn::Expr)> = fields
        .iter()
        .map(|(field, model_shape)| {
            let value = syntax::field(syntax::var("value"), &field.rust_name);
            let init = if *model_shape == Shape::Omitted {
                patch("Absent")
            } else if *model_shape == Shape::Plain {
                wrap(convert(ir, value, &field.ty, Form::Patch))
            } else if !ir.differs(&field.ty, Form::Patch) {
                syntax::method_call(value, "map_or", [patch("Absent"), patch("Value")])
            } else {
                let converted = convert(ir, syntax::var("v"), &field.ty, Form::Patch);
                let closure = syntax::closure(vec![syntax::pat("v")], wrap(converted));
                syntax::method_call(value, "map_or", [patch("Absent"), closure])
            };
            (field.rust_name.as_str(), init)
        })
        .collect();
    if let Some(ty) = &st.additional {
        let converted = convert(ir, syntax::var("v"), ty, Form::Create);
        let map = syntax::field(syntax::var("value"), &st.additional_name);
        let entry = syntax::call(syntax::var("Some"), [converted]);
        inits.push((&st.additional_name, map_entries(map, entry)));
    }
    syntax::struct_expr("Self", inits)
}

/// `let mut patch = Self::new(); patch.field = Patch::diff..(&old.field, &new.field, ..); ... patch`
/// (`new` being the patch's `constructor`).
fn diff_body(
    ir: &Ir,
    st: &StructDef,
    constructor: &str,
    fields: &[(&Field, Shape)],
    readable: bool,
    options: &EmitOptions,
) -> Vec<syn::Stmt> {
    let new_patch = syntax::call(syntax::var(&format!("Self::{constructor}")), []);
    if !readable {
        // Nothing to compare (every field is read-only or write-only): `let patch = ..; patch`
        // is clippy's `let_and_return`.
        return vec![syntax::tail(new_patch)];
    }
    let mut body = vec![syntax::let_stmt(syntax::pat_mut("patch"), None, new_patch)];
    for (field, model_shape) in fields.iter().filter(|(_, s)| *s != Shape::Omitted) {
        let target = syntax::field(syntax::var("patch"), &field.rust_name);
        let value = field_diff(ir, field, *model_shape == Shape::Plain, options);
        body.push(syntax::semi(syntax::assign(target, value)));
    }
    if let Some(ty) = &st.additional {
        let into = if ir.differs(ty, Form::Create) {
            conv_callable(ir, ty, Form::Create)
        } else {
            syntax::var("::std::convert::identity")
        };
        let side =
            |side: &str| syntax::borrow(syntax::field(syntax::var(side), &st.additional_name));
        let runtime = syntax::join(&options.runtime_path, "patch");
        let diff_map = syntax::expr_path(syntax::join(&runtime, "diff_map"));
        body.push(syntax::semi(syntax::assign(
            syntax::field(syntax::var("patch"), &st.additional_name),
            syntax::call(diff_map, [side("old"), side("new"), into]),
        )));
    }
    body.push(syntax::tail(syntax::var("patch")));
    body
}

/// The runtime call that diffs one field (`required`: held as `T` in the model, else
/// `Option<T>`).
fn field_diff(ir: &Ir, field: &Field, required: bool, options: &EmitOptions) -> syn::Expr {
    let side = |side: &str| syntax::borrow(syntax::field(syntax::var(side), &field.rust_name));
    let helper = |plain: &str, optional: &str| {
        syntax::expr_path(options.patch(if required { plain } else { optional }))
    };
    let mut args = vec![side("old"), side("new")];
    let function = if let Some((nested, boxed)) = nested_patch(ir, &field.ty) {
        let patch = syntax::path(ir.ty(nested).name_in(Form::Patch));
        let method = |name: &str| syntax::expr_path(syntax::join(&patch, name));
        // Across a link, the runtime calls the nested patch's `from_model` and `diff`.
        if let (TypeRef::Boxed(inner, reason), Some(_)) = (&field.ty, boxed) {
            if reason.holder() == Holder::Link {
                if !required {
                    args.push(link_call(ir, *reason, "convert", inner, Form::Patch));
                }
                args.push(link_call(ir, *reason, "diff", inner, Form::Patch));
                let is_empty = syntax::method_call(syntax::var("patch"), "is_empty", []);
                args.push(syntax::closure(vec![syntax::pat("patch")], is_empty));
                return syntax::call(helper("diff_nested", "diff_option_nested"), args);
            }
        }
        let boxed_call = |reason: BoxReason, name: &str, args: Vec<syn::Expr>| {
            syntax::call(boxing(ir, reason), [syntax::call(method(name), args)])
        };
        if !required {
            args.push(if let Some(reason) = boxed {
                let new = unboxed(ir, reason, syntax::var("new"));
                let from_model = boxed_call(reason, "from_model", vec![new]);
                syntax::closure(vec![syntax::pat("new")], from_model)
            } else {
                method("from_model")
            });
        }
        if let Some(reason) = boxed {
            let diff = boxed_call(reason, "diff", vec![syntax::var("old"), syntax::var("new")]);
            args.push(syntax::closure(
                vec![syntax::pat("old"), syntax::pat("new")],
                diff,
            ));
            let is_empty = syntax::method_call(syntax::var("patch"), "is_empty", []);
            args.push(syntax::closure(vec![syntax::pat("patch")], is_empty));
        } else {
            args.extend([method("diff"), method("is_empty")]);
        }
        helper("diff_nested", "diff_option_nested")
    } else if ir.differs(&field.ty, Form::Patch) {
        args.push(conv_callable(ir, &field.ty, Form::Patch));
        helper("diff_into", "diff_option_into")
    } else {
        helper("diff", "diff_option")
    };
    syntax::call(function, args)
}

/// The patch struct a field of type `ty` is diffed with, following aliases (see
/// [`nested_patch`]).
pub(in crate::emit) fn nested_patch_struct(ir: &Ir, ty: &TypeRef) -> Option<TypeId> {
    nested_patch(ir, ty).map(|(id, _)| id)
}

/// The patch struct a field of type `ty` is diffed with, following aliases, and whether the
/// field is boxed. `None` when the field is replaced whole.
fn nested_patch(ir: &Ir, ty: &TypeRef) -> Option<(TypeId, Option<BoxReason>)> {
    match ty.layer() {
        Some((Layer::Boxed(reason), inner)) => {
            nested_patch(ir, inner).map(|(id, _)| (id, Some(reason)))
        }
        Some(_) => None,
        None => {
            let id = ty.named()?;
            let def = ir.ty(id);
            match &def.kind {
                TypeKind::Struct(_) if def.patch_name.is_some() => Some((id, None)),
                TypeKind::Alias(target) if def.patch_name.is_some() => nested_patch(ir, target),
                _ => None,
            }
        }
    }
}
