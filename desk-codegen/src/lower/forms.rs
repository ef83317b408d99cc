//! Whole-IR passes after schemas are lowered: boxing cycles and deciding the write forms.

use super::names::Scope;
use crate::ir::{
    BodyForm, BoxReason, Field, Form, Ir, Layer, ParamLocation, Shape, StructDef, TypeId, TypeKind,
    TypeRef,
};

/// The shape of `field` in `form` (the table in `design/type-mapping.md`):
///
/// | field | model | create | patch |
/// |---|---|---|---|
/// | required | `T` | `T` | `Patch<T>` |
/// | required, nullable | `Option<T>` (`null` sent) | `Option<T>` (`null` sent) | `Patch<T>` |
/// | optional | `Option<T>`, skipped when `None` | the same | `Patch<T>` |
/// | optional, nullable | `Option<T>`, skipped when `None` | `Patch<T>` | `Patch<T>` |
/// | `readOnly` | as above | left out | left out |
/// | `writeOnly` | left out | as above | as above |
pub(crate) fn shape(field: &Field, form: Form) -> Shape {
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

/// Edges of the "contains directly" graph (no `Vec`/map in between), by where they sit.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Edge {
    Field(usize),
    Variant(usize),
    Alias,
    Additional,
}

fn direct_edges(kind: &TypeKind) -> Vec<(Edge, TypeId)> {
    // `Option<T>` (a nullable union alternative) holds `T` inline too.
    let direct = |ty: &TypeRef| match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Nullable(inner) => match **inner {
            TypeRef::Named(id) => Some(id),
            _ => None,
        },
        _ => None,
    };
    match kind {
        TypeKind::Struct(def) => def
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| direct(&f.ty).map(|id| (Edge::Field(i), id)))
            .chain(
                def.additional
                    .as_ref()
                    .and_then(direct)
                    .map(|id| (Edge::Additional, id)),
            )
            .collect(),
        TypeKind::Union(def) => def
            .variants
            .iter()
            .enumerate()
            .filter_map(|(i, v)| direct(&v.ty).map(|id| (Edge::Variant(i), id)))
            .collect(),
        TypeKind::Alias(ty) => direct(ty).map(|id| (Edge::Alias, id)).into_iter().collect(),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => Vec::new(),
    }
}

/// Replaces `Named(target)` inside `ty` by `serde_json::Value`.
fn cut(ty: &mut TypeRef, target: TypeId) {
    let leaf = ty.leaf_mut();
    if *leaf == TypeRef::Named(target) {
        *leaf = TypeRef::Json;
    }
}

/// Type aliases cannot be recursive in Rust (`type A = Vec<A>` does not compile, boxed or not).
/// A cycle made only of aliases (`A: {$ref: A}`, `A: {type: array, items: {$ref: A}}`) is cut
/// at the edge that closes it, which becomes `serde_json::Value`; the aliases cut are returned
/// so lowering can warn about the fallback. Cycles through a struct or enum are fine (boxed
/// by [`box_cycles`]).
pub(super) fn break_alias_cycles(ir: &mut Ir) -> Vec<TypeId> {
    #[derive(Clone, Copy, PartialEq)]
    enum Color {
        White,
        Gray,
        Black,
    }
    let count = ir.types.len();
    let alias_edges = |ir: &Ir, id: TypeId| -> Vec<TypeId> {
        let mut out = Vec::new();
        if let TypeKind::Alias(target) = &ir.types[id].kind {
            out.extend(target.named());
        }
        out.retain(|t| matches!(ir.types[*t].kind, TypeKind::Alias(_)));
        out
    };
    let mut color = vec![Color::White; count];
    let mut cuts: Vec<(TypeId, TypeId)> = Vec::new();
    for root in 0..count {
        if color[root] != Color::White || !matches!(ir.types[root].kind, TypeKind::Alias(_)) {
            continue;
        }
        let mut stack: Vec<(TypeId, Vec<TypeId>, usize)> = vec![(root, alias_edges(ir, root), 0)];
        color[root] = Color::Gray;
        while let Some((node, edges, next)) = stack.last_mut() {
            if let Some(&target) = edges.get(*next) {
                *next += 1;
                match color[target] {
                    Color::Gray => cuts.push((*node, target)),
                    Color::White => {
                        color[target] = Color::Gray;
                        let edges = alias_edges(ir, target);
                        stack.push((target, edges, 0));
                    }
                    Color::Black => {}
                }
            } else {
                color[*node] = Color::Black;
                stack.pop();
            }
        }
    }
    let mut cut_ids = Vec::new();
    for (id, target) in cuts {
        if let TypeKind::Alias(ty) = &mut ir.types[id].kind {
            cut(ty, target);
        }
        if !cut_ids.contains(&id) {
            cut_ids.push(id);
        }
    }
    cut_ids
}

/// A node on the DFS stack: the type, its outgoing edges, the next edge to follow.
type Visit = (TypeId, Vec<(Edge, TypeId)>, usize);

/// Wraps in `Box` exactly the edges that close a cycle of direct containment, found by a
/// depth-first search in type order (so the choice is deterministic).
pub(super) fn box_cycles(ir: &mut Ir) {
    #[derive(Clone, Copy, PartialEq)]
    enum Color {
        White,
        Gray,
        Black,
    }
    let count = ir.types.len();
    let mut color = vec![Color::White; count];
    let mut back_edges: Vec<(TypeId, Edge)> = Vec::new();
    for root in 0..count {
        if color[root] != Color::White {
            continue;
        }
        // Iterative DFS: (node, its edges, next edge index).
        let mut stack: Vec<Visit> = vec![(root, direct_edges(&ir.types[root].kind), 0)];
        color[root] = Color::Gray;
        while let Some((node, edges, next)) = stack.last_mut() {
            if let Some(&(edge, target)) = edges.get(*next) {
                *next += 1;
                match color[target] {
                    Color::Gray => back_edges.push((*node, edge)),
                    Color::White => {
                        color[target] = Color::Gray;
                        stack.push((target, direct_edges(&ir.types[target].kind), 0));
                    }
                    Color::Black => {}
                }
            } else {
                color[*node] = Color::Black;
                stack.pop();
            }
        }
    }
    for (id, edge) in back_edges {
        let slot = match (&mut ir.types[id].kind, edge) {
            (TypeKind::Struct(def), Edge::Field(i)) => &mut def.fields[i].ty,
            (TypeKind::Struct(def), Edge::Additional) => match def.additional.as_mut() {
                Some(ty) => ty,
                None => continue,
            },
            (TypeKind::Union(def), Edge::Variant(i)) => &mut def.variants[i].ty,
            (TypeKind::Alias(ty), Edge::Alias) => ty,
            _ => continue,
        };
        let inner = std::mem::replace(slot, TypeRef::Json);
        *slot = TypeRef::Boxed(Box::new(inner), BoxReason::ClosesCycle);
    }
}

/// Whether `ty` holds values of a schema that is read-only as a whole, directly or through
/// arrays, maps and boxes.
fn holds_read_only(ir: &Ir, ty: &TypeRef) -> bool {
    ty.named().is_some_and(|id| ir.types[id].read_only)
}

/// A schema marked `readOnly` as a whole is read-only wherever it is used: a property that is
/// an array or a map of it (`users: [Reference]`) is read-only too, so request forms leave it
/// out as they leave out a direct reference.
pub(super) fn read_only_collections(ir: &mut Ir) {
    let marked: Vec<(TypeId, usize)> = ir
        .types
        .iter()
        .enumerate()
        .filter_map(|(id, def)| match &def.kind {
            TypeKind::Struct(st) => Some((id, st)),
            _ => None,
        })
        .flat_map(|(id, st)| {
            st.fields
                .iter()
                .enumerate()
                .filter(|(_, f)| !f.read_only && holds_read_only(ir, &f.ty))
                .map(move |(i, _)| (id, i))
        })
        .collect();
    for (id, index) in marked {
        if let TypeKind::Struct(st) = &mut ir.types[id].kind {
            st.fields[index].read_only = true;
        }
    }
}

/// The field a request body wraps its single value in (see [`crate::ir::TypeDef::wrapper_field`]):
/// among the writable fields, the only one, or the only required one when every other is
/// optional; it must be of a named type.
fn wrapper_field(st: &StructDef) -> Option<usize> {
    let writable: Vec<(usize, &Field)> = st
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.read_only)
        .collect();
    let candidate = match writable.as_slice() {
        [(index, _)] => *index,
        _ => {
            let required: Vec<usize> = writable
                .iter()
                .filter(|(_, f)| f.required)
                .map(|(i, _)| *i)
                .collect();
            match required.as_slice() {
                [index] => *index,
                _ => return None,
            }
        }
    };
    matches!(st.fields[candidate].ty, TypeRef::Named(_)).then_some(candidate)
}

#[derive(Default, Clone, Copy)]
struct Marks {
    patch: bool,
    create: bool,
}

/// Decides which types get a `{Name}Patch` and `{Name}Create` form, following the request
/// bodies: a PATCH body's objects get patch forms, nested objects too (as in JSON merge patch),
/// while arrays, maps and unions inside it are replaced whole and so use create forms. Returns,
/// by type id, whether a query or header parameter reaches the type (its model form then gets
/// setters: see `members`).
pub(super) fn assign_forms(ir: &mut Ir, names: &mut Scope) -> Vec<bool> {
    let mut marks = vec![Marks::default(); ir.types.len()];
    for op in &ir.operations {
        if let Some(ty) = op.body.as_ref().and_then(|b| b.ty.as_ref()) {
            let form = op.body.as_ref().map(|b| b.form);
            match form {
                Some(BodyForm::Patch) => mark_patch(ir, &mut marks, ty),
                _ => mark_create(ir, &mut marks, ty),
            }
        }
    }
    let mut builder = vec![false; ir.types.len()];
    for op in &ir.operations {
        for param in op
            .params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
        {
            mark_builder(ir, &mut builder, &param.ty);
        }
    }
    let wrappers: Vec<Option<usize>> = ir
        .types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Struct(st) => wrapper_field(st),
            _ => None,
        })
        .collect();
    for (id, def) in ir.types.iter_mut().enumerate() {
        def.wrapper_field = wrappers[id];
        if marks[id].patch {
            def.patch_name = Some(names.claim(format!("{}Patch", def.name)));
        }
        if marks[id].create {
            def.create_name = Some(names.claim(format!("{}Create", def.name)));
        }
    }
    builder
}

/// Whether a type has write forms of its own: structs and unions do; an alias does when what it
/// names does (`Tags = Vec<Tag>` gets `TagsCreate = Vec<TagCreate>`, while `Slot = u8` and
/// aliases of enums have one form, used everywhere).
fn needs_form(ir: &Ir, kind: &TypeKind) -> bool {
    match kind {
        TypeKind::Struct(_) | TypeKind::Union(_) => true,
        TypeKind::Alias(target) => ref_needs_form(ir, target, 0),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => false,
    }
}

fn ref_needs_form(ir: &Ir, ty: &TypeRef, depth: usize) -> bool {
    // Aliases of aliases are followed a bounded number of times (a cycle of aliases has no
    // form to find).
    if depth > 32 {
        return false;
    }
    match ty.named().map(|id| &ir.types[id].kind) {
        Some(TypeKind::Alias(target)) => ref_needs_form(ir, target, depth + 1),
        Some(kind) => needs_form(ir, kind),
        None => false,
    }
}

/// Marks what a value of `ty` in a PATCH body reaches: objects get patch forms (a box holds
/// one too), while what arrays, maps and options hold is replaced whole (create forms).
fn mark_patch(ir: &Ir, marks: &mut [Marks], ty: &TypeRef) {
    match ty.layer() {
        Some((Layer::Boxed(_), inner)) => return mark_patch(ir, marks, inner),
        Some((_, inner)) => return mark_create(ir, marks, inner),
        None => {}
    }
    let Some(id) = ty.named() else { return };
    let kind = &ir.types[id].kind;
    if !needs_form(ir, kind) || marks[id].patch {
        return;
    }
    match kind {
        TypeKind::Struct(def) => {
            marks[id].patch = true;
            for field in def.fields.iter().filter(|f| !f.read_only) {
                mark_patch(ir, marks, &field.ty);
            }
            if let Some(extra) = &def.additional {
                mark_create(ir, marks, extra);
            }
        }
        TypeKind::Alias(inner) => {
            marks[id].patch = true;
            mark_patch(ir, marks, inner);
        }
        _ => mark_create(ir, marks, ty),
    }
}

/// Marks what a value of `ty` in a POST/PUT body (or replaced whole in a patch) reaches.
fn mark_create(ir: &Ir, marks: &mut [Marks], ty: &TypeRef) {
    let Some(id) = ty.named() else { return };
    let kind = &ir.types[id].kind;
    if !needs_form(ir, kind) || marks[id].create {
        return;
    }
    marks[id].create = true;
    match kind {
        TypeKind::Struct(def) => {
            for field in def.fields.iter().filter(|f| !f.read_only) {
                mark_create(ir, marks, &field.ty);
            }
            if let Some(extra) = &def.additional {
                mark_create(ir, marks, extra);
            }
        }
        TypeKind::Union(def) => {
            for variant in &def.variants {
                mark_create(ir, marks, &variant.ty);
            }
        }
        TypeKind::Alias(inner) => mark_create(ir, marks, inner),
        _ => {}
    }
}

/// Marks the types a query or header parameter of type `ty` reaches (they get setters).
fn mark_builder(ir: &Ir, builder: &mut [bool], ty: &TypeRef) {
    let Some(id) = ty.named() else { return };
    if builder[id] {
        return;
    }
    builder[id] = true;
    match &ir.types[id].kind {
        TypeKind::Struct(def) => {
            for field in &def.fields {
                mark_builder(ir, builder, &field.ty);
            }
        }
        TypeKind::Alias(inner) => mark_builder(ir, builder, inner),
        _ => {}
    }
}
