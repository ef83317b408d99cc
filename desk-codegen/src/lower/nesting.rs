//! Bounding how deep types nest inline.
//!
//! A type that holds another by value makes rustc look through both for layout and drop-check,
//! one query inside the other. A long chain of types each holding the next inline (a ring of
//! 80 schemas each referring to the next, boxed once where the ring closes) exceeds rustc's
//! query depth ("queries overflow the depth limit", "overflow while adding drop-check rules").
//! After [`super::forms::box_cycles`] has boxed the edges that close cycles, the graph of
//! inline containment is acyclic; this pass boxes one more edge wherever a chain would grow
//! past [`MAX_INLINE_DEPTH`] types, so every type reaches at most that many others inline.
//!
//! Drop-check still walks through boxes, so one cycle of containment may not be longer than
//! about 120 types (rustc's `recursion_limit` of 128); no real description comes close.

use crate::ir::{Ir, TypeId, TypeKind, TypeRef};

/// The longest chain of types held inline, by value, before a `Box` is put in.
pub(super) const MAX_INLINE_DEPTH: usize = 16;

/// The named types `kind` holds directly (no `Vec`, map or `Box` in between), with a handle to
/// box each.
fn inline_edges(kind: &TypeKind) -> Vec<(usize, TypeId)> {
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
            .map(|f| &f.ty)
            .chain(def.additional.as_ref())
            .enumerate()
            .filter_map(|(i, ty)| direct(ty).map(|id| (i, id)))
            .collect(),
        TypeKind::Union(def) => def
            .variants
            .iter()
            .enumerate()
            .filter_map(|(i, v)| direct(&v.ty).map(|id| (i, id)))
            .collect(),
        TypeKind::Alias(ty) => direct(ty).map(|id| (0, id)).into_iter().collect(),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => Vec::new(),
    }
}

fn slot(kind: &mut TypeKind, edge: usize) -> Option<&mut TypeRef> {
    match kind {
        TypeKind::Struct(def) => {
            let fields = def.fields.len();
            if edge < fields {
                Some(&mut def.fields[edge].ty)
            } else {
                def.additional.as_mut()
            }
        }
        TypeKind::Union(def) => def.variants.get_mut(edge).map(|v| &mut v.ty),
        TypeKind::Alias(ty) => Some(ty),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => None,
    }
}

/// A node on the stack: the type, its inline edges, the next edge to follow.
type Visit = (TypeId, Vec<(usize, TypeId)>, usize);

/// Boxes the edges where a chain of inline containment would exceed [`MAX_INLINE_DEPTH`].
/// Depth-first from each type in id order, with an explicit stack, so the result is
/// deterministic and the pass never recurses.
pub(super) fn bound_inline_depth(ir: &mut Ir) {
    let count = ir.types.len();
    // `None`: not visited; `Some(0)`: on the stack (cannot happen twice: the graph is acyclic
    // once cycles are boxed, but an unexpected cycle is left alone instead of looping).
    let mut depth: Vec<Option<usize>> = vec![None; count];
    let mut to_box: Vec<(TypeId, usize)> = Vec::new();
    for root in 0..count {
        if depth[root].is_some() {
            continue;
        }
        depth[root] = Some(0);
        let mut stack: Vec<Visit> = vec![(root, inline_edges(&ir.types[root].kind), 0)];
        while let Some((node, edges, next)) = stack.last_mut() {
            if let Some(&(_, target)) = edges.get(*next) {
                *next += 1;
                if depth[target].is_none() {
                    depth[target] = Some(0);
                    let edges = inline_edges(&ir.types[target].kind);
                    stack.push((target, edges, 0));
                }
                continue;
            }
            let node = *node;
            // An alias is the type it names: it adds no level and is never boxed itself.
            let alias = matches!(ir.types[node].kind, TypeKind::Alias(_));
            let mut own = usize::from(!alias);
            for &(edge, target) in edges.iter() {
                let below = depth[target].unwrap_or(0);
                if alias {
                    own = below;
                } else if below >= MAX_INLINE_DEPTH {
                    to_box.push((node, edge));
                } else {
                    own = own.max(below + 1);
                }
            }
            depth[node] = Some(own);
            stack.pop();
        }
    }
    for (id, edge) in to_box {
        if let Some(ty) = slot(&mut ir.types[id].kind, edge) {
            let inner = std::mem::replace(ty, TypeRef::Json);
            *ty = TypeRef::Boxed(Box::new(inner));
        }
    }
}
