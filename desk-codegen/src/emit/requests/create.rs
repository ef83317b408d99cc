//! A create form's extras: `From<Model>` when lowering found every field convertible, the
//! constructor with the required fields, setters for the others and clearers for tri-state
//! fields, and `From<Inner>` for wrappers. (The struct itself, and its setters when every field is
//! optional, come from `models`.)

use super::super::models::{alias, builder, setters_impl, Shape};
use super::super::syntax::{self, Items};
use super::super::{EmitOptions, Form};
use super::{conv_callable, convert, default_value, from_impl, map_entries};
use crate::ir::{Field, FormDef, Ir, StructDef, TypeId, TypeKind, UnionDef, VariantPayload};

/// A create form that is its model (lowering's `create_is_model`): `pub type {Name}Create =
/// {Name};`, and for a struct the form's methods (on the model, through the alias) and
/// `From<Inner>` for wrappers. No `From<Model>`: the standard `From<T> for T` is that.
pub(super) fn same_as_model(ir: &Ir, id: TypeId, options: &EmitOptions) -> Items {
    let def = ir.ty(id);
    let name = def.name_in(Form::Create);
    let doc = format!(
        " [`{}`] as a request body: every field of it can be sent.",
        def.name
    );
    let mut items = Items::default();
    items.push(alias(
        vec![syntax::doc(&doc)],
        name,
        syntax::named_type(&def.name),
    ));
    if let (TypeKind::Struct(st), Some(create)) = (&def.kind, &def.forms.create) {
        // A stable API's model has them already (the same constructor and setters).
        let model_built = def
            .forms
            .model
            .as_ref()
            .is_some_and(|model| model.constructor.is_some());
        if !model_built {
            items.extend(setters_impl(
                ir,
                name,
                st,
                &create.form,
                Form::Create,
                options,
            ));
            items.push(builder(
                ir,
                name,
                st,
                &create.form,
                &create.constructor,
                Form::Create,
                options,
            ));
        }
        items.extend(super::wrapper_from(ir, id, Form::Create, options));
    }
    items
}

/// `From<Model>`, the constructor, setters and clearers of the create form of `st`, and
/// `From<Inner>` for single-field wrappers.
pub(super) fn extras(ir: &Ir, id: TypeId, st: &StructDef, options: &EmitOptions) -> Items {
    let def = ir.ty(id);
    let mut items = Items::default();
    let Some(create) = &def.forms.create else {
        return items;
    };
    if def.conversions.create_from_model {
        items.push(from_model(ir, id, st, &create.form, options));
    }
    items.push(builder(
        ir,
        def.name_in(Form::Create),
        st,
        &create.form,
        &create.constructor,
        Form::Create,
        options,
    ));
    items.extend(super::wrapper_from(ir, id, Form::Create, options));
    items
}

/// `impl From<Model> for {Name}Create`: every field the model has, converted; write-only
/// fields (which the model lacks) start empty.
fn from_model(
    ir: &Ir,
    id: TypeId,
    st: &StructDef,
    form: &FormDef,
    options: &EmitOptions,
) -> syn::Item {
    let def = ir.ty(id);
    let mut uses_value = st.additional.is_some();
    let mut inits: Vec<(&str, syn::Expr)> = st
        .fields
        .iter()
        .zip(&form.fields)
        .enumerate()
        .filter(|(_, (_, create))| create.shape != Shape::Omitted)
        .map(|(index, (field, create))| {
            let init = match def.model_shape(index) {
                // Not in the model form (write-only): nothing to copy.
                Shape::Omitted => default_value(),
                model => {
                    uses_value = true;
                    field_from_model(ir, field, model, create.shape, options)
                }
            };
            (field.rust_name.as_str(), init)
        })
        .collect();
    if let Some(ty) = &st.additional {
        let map = syntax::field(syntax::var("value"), &st.additional_name);
        let value = if ir.differs(ty, Form::Create) {
            map_entries(map, convert(ir, syntax::var("v"), ty, Form::Create))
        } else {
            map
        };
        inits.push((&st.additional_name, value));
    }
    let doc = format!(
        " Everything of a [`{}`] that can be sent, read-only fields left out.",
        def.name
    );
    from_impl(
        &def.name,
        def.name_in(Form::Create),
        &doc,
        if uses_value { "value" } else { "_value" },
        syntax::struct_expr("Self", inits),
    )
}

/// `value.field` (a model-form field of shape `model`) as the create form holds it (`create`).
fn field_from_model(
    ir: &Ir,
    field: &Field,
    model: Shape,
    create: Shape,
    options: &EmitOptions,
) -> syn::Expr {
    let value = syntax::field(syntax::var("value"), &field.rust_name);
    let plain = !ir.differs(&field.ty, Form::Create);
    match (model, create) {
        (Shape::Plain, Shape::Plain) => convert(ir, value, &field.ty, Form::Create),
        (Shape::Optional { .. }, Shape::Optional { .. }) if plain => value,
        (Shape::Optional { .. }, Shape::Optional { .. }) => {
            syntax::method_call(value, "map", [conv_callable(ir, &field.ty, Form::Create)])
        }
        (Shape::Optional { .. }, Shape::TriState) => {
            let wrap = if plain {
                syntax::expr_path(options.patch("Value"))
            } else {
                let converted = convert(ir, syntax::var("v"), &field.ty, Form::Create);
                syntax::closure(
                    vec![syntax::pat("v")],
                    syntax::call(syntax::expr_path(options.patch("Value")), [converted]),
                )
            };
            syntax::method_call(
                value,
                "map_or",
                [syntax::expr_path(options.patch("Absent")), wrap],
            )
        }
        _ => default_value(),
    }
}

/// `From<Model>` for the create form of a union, alternative by alternative.
pub(super) fn union_from_model(ir: &Ir, id: TypeId, union: &UnionDef) -> syn::Item {
    let def = ir.ty(id);
    let name = def.name_in(Form::Create);
    let model = &def.name;
    let arm = |variant: &str, value: syn::Expr| {
        let pattern =
            syntax::pat_tuple_struct(&format!("{model}::{variant}"), [syntax::pat("inner")]);
        let variant = syntax::expr_path(syntax::join(&syntax::path("Self"), variant));
        (pattern, syntax::call(variant, [value]))
    };
    let mut arms: Vec<(syn::Pat, syn::Expr)> = union
        .variants
        .iter()
        .map(|v| {
            if v.payload == VariantPayload::Unit {
                let pattern = syn::Pat::Path(syn::ExprPath {
                    attrs: Vec::new(),
                    qself: None,
                    path: syntax::path(&format!("{model}::{}", v.rust_name)),
                });
                let variant = syntax::join(&syntax::path("Self"), &v.rust_name);
                return (pattern, syntax::expr_path(variant));
            }
            let converted = convert(ir, syntax::var("inner"), &v.ty, Form::Create);
            arm(&v.rust_name, converted)
        })
        .collect();
    // Tagged unions keep unknown objects in their catch-all variant.
    if let Some(catch_all) = &union.catch_all {
        arms.push(arm(catch_all, syntax::var("inner")));
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
