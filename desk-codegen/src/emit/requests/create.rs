//! A create form's extras: `From<Model>` when lowering found every field convertible, the
//! constructor with the required fields, setters for the others and clearers for tri-state
//! fields, and `From<Inner>` for wrappers. (The struct itself, and its setters when every field is
//! optional, come from `models`.)

use super::super::models::{alias, setter, setters_impl, Shape};
use super::super::syntax::{self, Items};
use super::super::{ident, ty_syn, EmitOptions, Form};
use super::{clearer, conv_callable, convert, default_value, from_impl, map_entries};
use crate::ir::{
    Field, FormDef, FormField, Ir, RequestForm, StructDef, TypeId, TypeKind, UnionDef,
    VariantPayload,
};

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
        items.extend(setters_impl(
            ir,
            name,
            st,
            &create.form,
            Form::Create,
            options,
        ));
        items.push(builder(ir, name, st, create, options));
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
    items.push(builder(ir, def.name_in(Form::Create), st, create, options));
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

/// The constructor (required fields as `impl Into<T>`), setters for the other fields when the
/// struct has required ones (otherwise `models` wrote them with the struct), and clearers.
fn builder(
    ir: &Ir,
    name: &str,
    st: &StructDef,
    create: &RequestForm,
    options: &EmitOptions,
) -> syn::Item {
    let kept: Vec<(&Field, &FormField)> = create.form.kept(st).collect();
    let required: Vec<&Field> = kept
        .iter()
        .filter(|(_, f)| f.shape == Shape::Plain)
        .map(|(f, _)| *f)
        .collect();
    let mut methods = vec![constructor(ir, st, create, &kept, &required)];
    for (field, form_field) in &kept {
        // A form whose fields are all optional has its setters beside the struct (`models`).
        if let (false, Some(name)) = (create.form.default, &form_field.setter) {
            let doc = format!(" Sets `{}`.", field.wire_name);
            let wrap = match form_field.shape {
                Shape::TriState => options.patch("Value"),
                _ => syntax::path("Some"),
            };
            let inner = ty_syn(ir, &field.ty, Form::Create);
            methods.push(setter(&doc, name, &field.rust_name, inner, wrap));
        }
        if let Some(name) = &form_field.clearer {
            let doc = format!(" Clears `{}`: sends `null`.", field.wire_name);
            methods.push(clearer(&doc, name, &field.rust_name, options));
        }
    }
    syntax::item_impl(None, syntax::named_type(name), methods)
}

/// `pub fn new(required: impl Into<T>, ...) -> Self` (named as lowering named the form's
/// constructor): the required fields are its arguments.
fn constructor(
    ir: &Ir,
    st: &StructDef,
    create: &RequestForm,
    kept: &[(&Field, &FormField)],
    required: &[&Field],
) -> syn::ImplItem {
    let args = required
        .iter()
        .map(|f| {
            let ty = syntax::impl_trait("Into", ty_syn(ir, &f.ty, Form::Create));
            (ident(&f.rust_name), ty)
        })
        .collect();
    let body = if create.form.default {
        default_call()
    } else {
        let mut inits: Vec<(&str, syn::Expr)> = kept
            .iter()
            .map(|(f, form_field)| {
                let value = if form_field.shape == Shape::Plain {
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
    let doc = if create.form.default {
        " A body with nothing set; add fields with the setters.".to_owned()
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
        format!(" A body with the required {} set{rest}.", names.join(", "))
    };
    syntax::Method {
        attrs: vec![syntax::doc(&doc)],
        public: true,
        name: ident(&create.constructor),
        receiver: syntax::SelfArg::None,
        args,
        output: Some(syntax::named_type("Self")),
        body: vec![syntax::tail(body)],
    }
    .build()
}

/// `<Self as Default>::default()`.
pub(super) fn default_call() -> syn::Expr {
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
