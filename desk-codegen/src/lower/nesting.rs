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

use crate::ir::{BoxReason, Holder, Ir, TypeId, TypeKind, TypeRef};

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
            *ty = TypeRef::Boxed(Box::new(inner), BoxReason::BoundsDepth);
        }
    }
}

/// What rustc's walks may cost, in levels of its recursion limit (128 by default), from any
/// type to the end of the longest walk that starts there: drop-check, `Send` and `Sync`
/// follow every type a value owns, through `Option`, `Vec`, maps and boxes, one or more levels
/// per step (see [`step_cost`]), and stop only at a `Link`. The rest of the limit is left for
/// what surrounds a generated type (a client method's future, a user's own types).
pub(super) const WALK_BUDGET: usize = 96;

/// The levels one step of a walk costs: the step from a struct to a field's type (one level,
/// and one more for the `Option` an optional field is held in), from a union to a variant's
/// type (one) or from an alias to what it names (none), plus what each wrapper on the way
/// adds (`Option` 1, `Box` 2, `Vec` 3, `BTreeMap` 5: the types inside the std containers
/// that a walk passes, as measured against rustc 1.95's `Send` evaluation).
fn step_cost(owner: Owner, ty: &TypeRef) -> usize {
    let base = match owner {
        Owner::Struct => 2,
        Owner::Union => 1,
        Owner::Alias => 0,
    };
    let mut cost = base;
    let mut ty = ty;
    loop {
        match ty {
            TypeRef::Nullable(inner) => {
                cost += 1;
                ty = inner;
            }
            TypeRef::Boxed(inner, _) => {
                cost += 2;
                ty = inner;
            }
            TypeRef::Vec(inner) => {
                cost += 3;
                ty = inner;
            }
            TypeRef::Map(inner) => {
                cost += 5;
                ty = inner;
            }
            _ => return cost,
        }
    }
}

/// What kind of type a reference starts from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Owner {
    Struct,
    Union,
    Alias,
}

/// A reference that rustc's walks follow: from a slot of one type (see [`slot`]) to the named
/// type inside it, with the levels the step costs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Step {
    slot: usize,
    target: TypeId,
    cost: usize,
}

/// The named type inside `ty`, unless a `Link` is on the way (a walk stops there).
fn walked_target(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Boxed(_, reason) if reason.holder() == Holder::Link => None,
        TypeRef::Boxed(inner, _)
        | TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Nullable(inner) => walked_target(inner),
        _ => None,
    }
}

/// The steps out of `kind`, in slot order.
fn steps(kind: &TypeKind) -> Vec<Step> {
    let (owner, slots): (Owner, Vec<&TypeRef>) = match kind {
        TypeKind::Struct(def) => (
            Owner::Struct,
            def.fields
                .iter()
                .map(|f| &f.ty)
                .chain(def.additional.as_ref())
                .collect(),
        ),
        TypeKind::Union(def) => (Owner::Union, def.variants.iter().map(|v| &v.ty).collect()),
        TypeKind::Alias(ty) => (Owner::Alias, vec![ty]),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => (Owner::Struct, Vec::new()),
    };
    slots
        .into_iter()
        .enumerate()
        .filter_map(|(slot, ty)| {
            walked_target(ty).map(|target| Step {
                slot,
                target,
                cost: step_cost(owner, ty),
            })
        })
        .collect()
}

/// The steps of every type, by id, leaving out those in `cut`.
fn walk_graph(ir: &Ir) -> Vec<Vec<Step>> {
    ir.types.iter().map(|def| steps(&def.kind)).collect()
}

/// Strongly connected components of `graph`, in the order Tarjan's algorithm completes them:
/// every component comes after all the components it reaches. Iterative; members in id order.
fn components(graph: &[Vec<Step>]) -> Vec<Vec<TypeId>> {
    let count = graph.len();
    let mut index: Vec<Option<usize>> = vec![None; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack: Vec<TypeId> = Vec::new();
    let mut next_index = 0;
    let mut out: Vec<Vec<TypeId>> = Vec::new();
    for root in 0..count {
        if index[root].is_some() {
            continue;
        }
        // (node, next step to follow)
        let mut calls: Vec<(TypeId, usize)> = vec![(root, 0)];
        index[root] = Some(next_index);
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut next)) = calls.last_mut() {
            if let Some(step) = graph[node].get(*next) {
                *next += 1;
                let target = step.target;
                match index[target] {
                    None => {
                        index[target] = Some(next_index);
                        low[target] = next_index;
                        next_index += 1;
                        stack.push(target);
                        on_stack[target] = true;
                        calls.push((target, 0));
                    }
                    Some(target_index) if on_stack[target] => {
                        low[node] = low[node].min(target_index);
                    }
                    Some(_) => {}
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if Some(low[node]) == index[node] {
                let mut members = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    members.push(member);
                    if member == node {
                        break;
                    }
                }
                members.sort_unstable();
                out.push(members);
            }
        }
    }
    out
}

/// The edges to put a `Link` on so that no walk costs more than `budget` levels (see the
/// module docs): `(type, slot)` pairs in a deterministic order.
///
/// 1. A cycle whose own steps cost more than the budget is cut open: the steps that close
///    cycles in a depth-first search of its members (in id and slot order) get a `Link`.
/// 2. Then, from the types that reach nothing (Tarjan's completion order), each component's
///    cost is its own steps plus the costliest step out of it and what follows; a step out
///    that would take the cost past the budget gets a `Link`.
fn plan_links(graph: &[Vec<Step>], budget: usize) -> Vec<(TypeId, usize)> {
    let mut cut: Vec<(TypeId, usize)> = Vec::new();
    let mut graph: Vec<Vec<Step>> = graph.to_vec();
    // 1. Cycles too long to keep.
    let mut component_of = vec![0; graph.len()];
    let found = components(&graph);
    for (number, members) in found.iter().enumerate() {
        for &member in members {
            component_of[member] = number;
        }
    }
    for (number, members) in found.iter().enumerate() {
        if own_cost(&graph, members, &component_of, number) <= budget {
            continue;
        }
        for (node, slot) in back_steps(&graph, members, &component_of, number) {
            cut.push((node, slot));
            graph[node].retain(|s| s.slot != slot);
        }
    }
    // 2. Walks too long through what is left.
    let found = components(&graph);
    for (number, members) in found.iter().enumerate() {
        for &member in members {
            component_of[member] = number;
        }
    }
    let mut height = vec![0; found.len()];
    for (number, members) in found.iter().enumerate() {
        let own = own_cost(&graph, members, &component_of, number);
        let mut longest = own;
        for &node in members {
            for step in &graph[node] {
                let target = component_of[step.target];
                if target == number {
                    continue;
                }
                let total = own + step.cost + height[target];
                if total > budget {
                    cut.push((node, step.slot));
                } else {
                    longest = longest.max(total);
                }
            }
        }
        height[number] = longest;
    }
    cut
}

/// What the steps inside one component cost at most: a walk may pass each member once, by
/// its costliest step to another member.
fn own_cost(
    graph: &[Vec<Step>],
    members: &[TypeId],
    component_of: &[usize],
    number: usize,
) -> usize {
    members
        .iter()
        .map(|&node| {
            graph[node]
                .iter()
                .filter(|s| component_of[s.target] == number)
                .map(|s| s.cost)
                .max()
                .unwrap_or(0)
        })
        .sum()
}

/// The steps that close cycles in a depth-first search of one component's members, from
/// each member in id order, following steps in slot order: without them the component has
/// no cycle left.
fn back_steps(
    graph: &[Vec<Step>],
    members: &[TypeId],
    component_of: &[usize],
    number: usize,
) -> Vec<(TypeId, usize)> {
    #[derive(Clone, Copy, PartialEq)]
    enum Color {
        White,
        Gray,
        Black,
    }
    let inside = |step: &Step| component_of[step.target] == number;
    let mut color = vec![Color::White; graph.len()];
    let mut back = Vec::new();
    for &root in members {
        if color[root] != Color::White {
            continue;
        }
        color[root] = Color::Gray;
        let mut calls: Vec<(TypeId, usize)> = vec![(root, 0)];
        while let Some(&mut (node, ref mut next)) = calls.last_mut() {
            if let Some(step) = graph[node].get(*next) {
                *next += 1;
                if !inside(step) {
                    continue;
                }
                match color[step.target] {
                    Color::White => {
                        color[step.target] = Color::Gray;
                        calls.push((step.target, 0));
                    }
                    Color::Gray => back.push((node, step.slot)),
                    Color::Black => {}
                }
                continue;
            }
            color[node] = Color::Black;
            calls.pop();
        }
    }
    back
}

/// Puts a `Link` on the named type inside `ty`, in place of a `Box` already there.
fn link(ty: &mut TypeRef) {
    match ty {
        TypeRef::Boxed(_, reason) => *reason = BoxReason::BoundsWalk,
        TypeRef::Named(_) => {
            let inner = std::mem::replace(ty, TypeRef::Json);
            *ty = TypeRef::Boxed(Box::new(inner), BoxReason::BoundsWalk);
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => link(inner),
        _ => {}
    }
}

/// Puts a `Link` on the edges where a walk of rustc's drop-check or auto-trait checks would
/// cost more than [`WALK_BUDGET`] levels (see the module docs).
pub(super) fn bound_walks(ir: &mut Ir) {
    let graph = walk_graph(ir);
    if std::env::var_os("DESK_WALK_STATS").is_some() {
        let cuts = plan_links(&graph, usize::MAX / 4);
        assert!(cuts.is_empty());
        let found = components(&graph);
        let mut component_of = vec![0; graph.len()];
        for (n, m) in found.iter().enumerate() {
            for &x in m {
                component_of[x] = n;
            }
        }
        let mut height = vec![0; found.len()];
        let mut max_own = 0;
        let mut max_size = 0;
        for (n, members) in found.iter().enumerate() {
            let own = own_cost(&graph, members, &component_of, n);
            max_own = max_own.max(own);
            max_size = max_size.max(members.len());
            let mut longest = own;
            for &node in members {
                for st in &graph[node] {
                    let t = component_of[st.target];
                    if t != n {
                        longest = longest.max(own + st.cost + height[t]);
                    }
                }
            }
            height[n] = longest;
        }
        eprintln!(
            "WALKSTATS types={} max_scc={} max_own={} max_height={} cuts={}",
            graph.len(),
            max_size,
            max_own,
            height.iter().max().unwrap_or(&0),
            plan_links(&graph, WALK_BUDGET).len()
        );
    }
    for (id, slot_index) in plan_links(&graph, WALK_BUDGET) {
        if let Some(ty) = slot(&mut ir.types[id].kind, slot_index) {
            link(ty);
        }
    }
}
