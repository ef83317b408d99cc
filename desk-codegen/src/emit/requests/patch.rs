//! A patch form: the struct of tri-state fields (plus a per-key map for additional
//! properties), `new`, `is_empty`, a setter and a clearer per field as lowering named them,
//! `from_model`/`diff` when lowering found them possible ([`super::diff`]), and `From<Inner>`
//! for wrappers. Patch aliases are `type` aliases of the patch form of what they name.

use super::super::models::{
    additional_field, alias, default_call, field_decls, setter, struct_derive, Shape,
};
use super::super::syntax::{self, Items};
use super::super::{docs, ident, ty_syn, EmitOptions, Form};
use super::clearer;
use crate::ir::{Field, FormDef, FormField, Ir, RequestForm, StructDef, TypeId, TypeKind};

/// The patch form of `id` (a struct or an alias).
pub(super) fn emit(ir: &Ir, id: TypeId, options: &EmitOptions) -> Items {
    let def = ir.ty(id);
    let name = def.name_in(Form::Patch);
    let mut items = Items::default();
    let (st, patch) = match (&def.kind, &def.forms.patch) {
        (TypeKind::Struct(st), Some(patch)) => (st, patch),
        (TypeKind::Alias(target), _) => {
            let doc = format!(" Partial update of [`{}`].", def.name);
            let target = ty_syn(ir, target, Form::Patch);
            items.push(alias(vec![syntax::doc(&doc)], name, target));
            return items;
        }
        _ => return items,
    };
    items.push(structure(ir, id, st, &patch.form, options));
    items.push(methods(ir, name, st, patch, options));
    if def.conversions.patch_from_model {
        items.push(super::diff::conversions(ir, id, st, patch, options));
    }
    items.extend(super::wrapper_from(ir, id, Form::Patch, options));
    items
}

/// `pub struct {Name}Patch { pub field: Patch<T>, ... }` with its documentation.
fn structure(
    ir: &Ir,
    id: TypeId,
    st: &StructDef,
    form: &FormDef,
    options: &EmitOptions,
) -> syn::Item {
    let def = ir.ty(id);
    let name = def.name_in(Form::Patch);
    let mut intro = format!(
        "Partial update of [`{}`]: every field is absent (left unchanged), null (cleared) or a value (set).\n\n\
         Read-only fields are not part of this type. Build one with the setters",
        def.name
    );
    if def.conversions.patch_from_model {
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
    attrs.extend(super::super::non_exhaustive(ir));
    let fields: Vec<(&Field, Shape)> = form.kept(st).map(|(f, ff)| (f, ff.shape)).collect();
    let mut decls = field_decls(ir, st, &fields, Form::Patch, None);
    if let Some(ty) = &st.additional {
        let values = syntax::generic_type("Option", [ty_syn(ir, ty, Form::Create)]);
        decls.push(additional_field(
            st,
            &[
                " Properties not listed above, by name: a missing key is left unchanged, `None`",
                " clears the key (sends `null`), `Some` sets it.",
            ],
            values,
        ));
    }
    syntax::item_struct(attrs, name, decls)
}

/// `new`, `is_empty`, and each field's setter and clearer.
fn methods(
    ir: &Ir,
    name: &str,
    st: &StructDef,
    patch: &RequestForm,
    options: &EmitOptions,
) -> syn::Item {
    let kept: Vec<(&Field, &FormField)> = patch.form.kept(st).collect();
    let self_field = |name: &str| syntax::field(syntax::var("self"), name);
    let mut empties: Vec<syn::Expr> = kept
        .iter()
        .map(|(f, _)| syntax::method_call(self_field(&f.rust_name), "is_absent", []))
        .collect();
    if st.additional.is_some() {
        empties.push(syntax::method_call(
            self_field(&st.additional_name),
            "is_empty",
            [],
        ));
    }
    let is_empty_body = syntax::all_of(empties).unwrap_or_else(|| syntax::lit_bool(true));
    let mut items = vec![
        syntax::Method {
            attrs: vec![syntax::doc(
                " An empty patch: changes nothing (serialises as `{}`).",
            )],
            public: true,
            name: ident(&patch.constructor),
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
    for (field, form_field) in &kept {
        if let Some(set) = &form_field.setter {
            let doc = format!(" Sets `{}` to `value`.", field.wire_name);
            let inner = ty_syn(ir, &field.ty, Form::Patch);
            let wrap = options.patch("Value");
            items.push(setter(&doc, set, &field.rust_name, inner, wrap));
        }
        if let Some(clear) = &form_field.clearer {
            let doc = format!(" Clears `{}`: sends `null`.", field.wire_name);
            items.push(clearer(&doc, clear, &field.rust_name, options));
        }
    }
    syntax::item_impl(None, syntax::named_type(name), items)
}
