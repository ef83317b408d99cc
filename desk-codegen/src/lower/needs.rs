//! What each module of the generated code needs besides `serde`, decided from the IR (not from
//! the printed text): the crates the Cargo manifest of a generated crate lists
//! (`render::package`), and that `Config::requirements` prints.
//!
//! The rules follow what each module holds: a date or date-time anywhere in a type needs
//! `chrono`, a JSON value or object `serde_json`, a `Link` (an edge boxed to bound rustc's
//! walks) the runtime. Models need the runtime for open enums (its
//! `string_enum!`/`int_enum!`), for tagged unions whose alternatives hold only the tag or one
//! property (its `unions` helpers) and for guarded untagged unions (its `guarded_union!`, which
//! decodes through `serde_json` too); tagged unions keep unknown objects as `serde_json::Value`.
//! Request types need the runtime for tri-state fields (`Patch`) and for diffing additional
//! properties. The client always needs the runtime; it reaches `serde_json` through it.

use crate::ir::{
    Field, Form, Holder, Ir, Layer, ModuleNeeds, Needs, Shape, StructDef, TypeDef, TypeKind,
    TypeRef, UnionDef, VariantPayload,
};

/// Fills [`Ir::needs`].
pub(super) fn decide(ir: &mut Ir) {
    ir.needs = ModuleNeeds {
        models: models(ir),
        requests: requests(ir),
        client: client(ir),
        mock: mock(ir),
    };
}

const NOTHING: Needs = Needs {
    runtime: false,
    serde_json: false,
    chrono: false,
    link: false,
    patch: false,
};

const RUNTIME: Needs = Needs {
    runtime: true,
    serde_json: false,
    chrono: false,
    link: false,
    patch: false,
};

/// What writing `ty` needs: its leaf's crate (a named type's own needs are its module's), and
/// the runtime for a `Link` around it.
fn of_type(ty: &TypeRef) -> Needs {
    let linked = ty.fold(
        Form::Model,
        |_, _| false,
        |layer, _, inside| {
            inside || matches!(layer, Layer::Boxed(reason) if reason.holder() == Holder::Link)
        },
    );
    let leaf = match ty.leaf() {
        TypeRef::DateTime | TypeRef::Date => Needs {
            chrono: true,
            ..NOTHING
        },
        TypeRef::Json | TypeRef::JsonMap => Needs {
            serde_json: true,
            ..NOTHING
        },
        _ => NOTHING,
    };
    Needs {
        runtime: linked,
        link: linked,
        ..leaf
    }
}

fn all<'a>(types: impl IntoIterator<Item = &'a TypeRef>) -> Needs {
    types.into_iter().map(of_type).fold(NOTHING, Needs::and)
}

/// The fields of `st` a form keeps, with their shapes in it.
fn kept<'a>(st: &'a StructDef, shapes: &'a [Shape]) -> impl Iterator<Item = (&'a Field, Shape)> {
    st.fields
        .iter()
        .zip(shapes.iter().copied())
        .filter(|(_, shape)| *shape != Shape::Omitted)
}

fn shapes_of(form: Option<&crate::ir::FormDef>) -> Vec<Shape> {
    form.map(|form| form.fields.iter().map(|f| f.shape).collect())
        .unwrap_or_default()
}

/// A union's alternatives and its decoding.
fn union(union: &UnionDef) -> Needs {
    let held = union
        .variants
        .iter()
        .filter(|v| v.payload != VariantPayload::Unit)
        .map(|v| &v.ty);
    let mut needs = all(held);
    if union.tag.is_some() && union.catch_all.is_some() {
        needs.serde_json = true;
        needs.runtime |= union.variants.iter().any(|v| {
            matches!(
                v.payload,
                VariantPayload::Unit | VariantPayload::Property(_)
            )
        });
    } else if !union.attempts.is_empty() {
        needs.runtime = true;
        needs.serde_json = true;
    }
    needs
}

fn models(ir: &Ir) -> Needs {
    ir.types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Struct(st) => {
                let shapes = shapes_of(def.forms.model.as_ref().map(|m| &m.form));
                all(kept(st, &shapes).map(|(f, _)| &f.ty)).and(all(&st.additional))
            }
            TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => RUNTIME,
            TypeKind::Union(u) => union(u),
            TypeKind::Alias(target) => of_type(target),
        })
        .fold(NOTHING, Needs::and)
}

fn requests(ir: &Ir) -> Needs {
    ir.types
        .iter()
        .map(|def| create_form(def).and(patch_form(def)))
        .fold(NOTHING, Needs::and)
}

/// A create form: the model under another name (with the form's methods, whose arguments are
/// its fields), or a type of its own.
fn create_form(def: &TypeDef) -> Needs {
    if def.create_name.is_none() {
        return NOTHING;
    }
    match &def.kind {
        TypeKind::Struct(st) => {
            let shapes = shapes_of(def.forms.create.as_ref().map(|c| &c.form));
            let fields = kept(st, &shapes);
            let mut needs = NOTHING;
            for (field, shape) in fields {
                needs = needs.and(of_type(&field.ty));
                needs.runtime |= shape == Shape::TriState;
                needs.patch |= shape == Shape::TriState;
            }
            if def.create_is_model {
                needs
            } else {
                needs.and(all(&st.additional))
            }
        }
        _ if def.create_is_model => NOTHING,
        TypeKind::Union(u) => union(u),
        TypeKind::Alias(target) => of_type(target),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => RUNTIME,
    }
}

/// A patch form: `Patch` fields (and the runtime's `diff_map` for additional properties).
fn patch_form(def: &TypeDef) -> Needs {
    if def.patch_name.is_none() {
        return NOTHING;
    }
    match &def.kind {
        TypeKind::Struct(st) => {
            let shapes = shapes_of(def.forms.patch.as_ref().map(|p| &p.form));
            let mut needs = all(kept(st, &shapes).map(|(f, _)| &f.ty)).and(all(&st.additional));
            // Every field a patch keeps is tri-state.
            needs.patch = kept(st, &shapes).next().is_some();
            needs.runtime =
                needs.patch || (st.additional.is_some() && def.conversions.patch_from_model);
            needs
        }
        TypeKind::Alias(target) => of_type(target),
        _ => NOTHING,
    }
}

/// The mock: the runtime (its `mock` feature), the types the client's operation methods take
/// and give, and those of the documented response headers.
fn mock(ir: &Ir) -> Needs {
    let headers = ir
        .operations
        .iter()
        .flat_map(|op| op.mock.headers.iter().map(|header| &header.ty));
    operations(ir).and(all(headers))
}

/// The client: the runtime, the types its operation methods take and give, and the page and
/// item types of its page methods (`rt::Items<'a, Item, _>`).
fn client(ir: &Ir) -> Needs {
    let pages = ir
        .operations
        .iter()
        .filter_map(|op| op.pagination.as_ref())
        .flat_map(|pagination| [&pagination.body_ty, &pagination.item_ty]);
    operations(ir).and(all(pages))
}

/// The runtime, and the types of the operations' parameters, bodies and responses.
fn operations(ir: &Ir) -> Needs {
    let mut needs = RUNTIME;
    for op in &ir.operations {
        needs = needs.and(all(op.params.iter().map(|p| &p.ty)));
        if let Some(body) = &op.body {
            needs = needs.and(all(&body.ty));
            if let crate::ir::BodyKind::Multipart(def) = &body.kind {
                for part in &def.parts {
                    if let crate::ir::PartKind::Text(ty) | crate::ir::PartKind::Texts(ty) =
                        &part.kind
                    {
                        needs = needs.and(of_type(ty));
                    }
                }
            }
        }
        for response in &op.responses {
            if let Some(crate::ir::ResponseBody::Json(ty)) = response.body() {
                needs = needs.and(of_type(&ty));
            }
        }
    }
    needs
}
