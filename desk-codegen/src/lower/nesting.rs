//! Where a pointer goes: every cycle broken, inline nesting bounded, every walk bounded.
//!
//! Three passes after schemas are lowered put edges behind a pointer, each recording why in
//! [`TypeRef::Boxed`]'s [`BoxReason`] (which also decides the pointer: [`BoxReason::holder`]):
//!
//! 1. **`ClosesCycle`** (`Box<T>`, [`super::forms::box_cycles`]): a depth-first search of the
//!    types held inline (by value or in an `Option`, not in a `Vec` or map) in id order
//!    boxes each edge that closes a cycle, so no type contains itself.
//! 2. **`BoundsDepth`** (`Box<T>`, [`bound_inline_depth`]): a type that holds another by
//!    value makes rustc compute both layouts and drop-check rules one query inside the other;
//!    where a chain of types held inline would pass [`MAX_INLINE_DEPTH`] (16) types, its next
//!    edge is boxed ("queries overflow the depth limit" came at about 80).
//! 3. **`BoundsWalk`** (`desk_runtime::Link<T>`, [`bound_walks`]): drop-check and the auto
//!    traits (`Send`, `Sync`, `UnwindSafe`: a client method's future must be `Send`) follow
//!    every type a value owns, through `Option`, `Vec`, maps and `Box` alike, and fail past
//!    rustc's recursion limit of 128 levels (E0320 "overflow while adding drop-check rules",
//!    E0275 "overflow evaluating the requirement `S0: Send`"). A `Box` does not stop them, so a
//!    ring of 1,500 schemas each holding the next failed whatever was boxed. They stop at a
//!    `Link`, a box whose contents are a trait object. Each step of a walk costs levels
//!    ([`step_cost`]: measured against rustc 1.95, from 2 for an optional field to 7 for a
//!    map of a field); the rule keeps the costliest walk from any type within
//!    [`WALK_BUDGET`] (96, leaving the rest of the limit to what encloses a generated type):
//!    - a strongly connected component (a set of types that reach each other) whose own steps
//!      may cost more than the budget is cut open at the steps that close cycles in a
//!      depth-first search of its members, in id and slot order;
//!    - then, from the components that reach nothing back to those that reach them, a
//!      component costs its own steps plus its costliest step out and what follows; a step out
//!      that would take it past the budget gets a `Link`.
//!
//!    So cycles of a few types and whatever real descriptions hold keep their `Box` and get no
//!    `Link`: over the corpus (GitHub's REST API, nexus, aiplatform, Lex v2, the other
//!    progenitor and APIs.guru samples) the costliest walk is 40 levels (Lex v2; GitHub 21,
//!    nexus 16, `spec/` 16), and no cycle costs more than 10. The rule only acts on
//!    graphs no smaller one compiles: the strange ring of 90 (`reference_ring.yaml`, 192
//!    levels) gets two links. A link on an edge already boxed replaces the `Box`; elsewhere it
//!    goes on the named type inside the edge (`Vec<Link<T>>`).
//!
//! Building the code is a third walk, which the same links stop: rustc's monomorphization
//! collector instantiates every generic function a function calls, depth first, and refuses
//! to nest one generic function in itself more than 128 times ("reached the recursion limit
//! while instantiating"); decoding a type calls serde's generic functions once per type it
//! reaches, as do encoding and the request forms' conversions (`from_model`, `diff`, `From`).
//! So a link names none of the code of the type it holds: `Clone`, `Debug`, `PartialEq` and
//! `Serialize` go through its vtable, and its decoder and the conversions across it
//! (`Link::convert`, `Link::diff`) are found at run time among functions the generated
//! modules register (`link_decoders!`, `link_conversions!`, `link_diffs!`: see the emitter
//! `emit::links` and `desk_runtime::link`); so the collector meets each run of types between
//! two links on its own. Debug info is the last walk: it describes a generic struct with its
//! type parameters, so `Link<T>` is a box of a trait object (`LinkBox<dyn Linked<T>>`) whose
//! description names `T` without describing it (a `struct Link<T>` overflowed rustc's stack on
//! the ring of 1,500 in a debug build).
//!
//! Measured (rustc 1.95, default recursion limit, 2 busy cores): with links placed by this
//! rule, a ring of 1,500 schemas each holding the next (optional properties, or arrays) with
//! its request forms and client (178,000 lines) passes `cargo clippy -D warnings`, its
//! types `Send + Sync` and a client call's future `Send`, in 2.5 to 5.5 minutes; with `Box`es
//! alone it failed with 110,000 errors. It builds too (clippy, build and tests of the ring in
//! 5.5 minutes from a cold target folder; the chain of 1,500 likewise), and values decode,
//! re-encode and convert through its links (`deep_specs.rs`); before the links' decoders and
//! conversions were found at run time, building failed past about 120 types (the ring of 300
//! at `Patch::<S260Patch>::diff_option_nested`, the ring of 1,500 at `S129Patch::from_model`).

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

/// The steps of every type, by id.
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
    for (id, slot_index) in plan_links(&graph, WALK_BUDGET) {
        if let Some(ty) = slot(&mut ir.types[id].kind, slot_index) {
            link(ty);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `count` types, each with one optional field of the next (`S{count-1}` back to `S0` when
    /// `ring`), as steps of the given cost.
    fn ring(count: usize, cost: usize, ring: bool) -> Vec<Vec<Step>> {
        (0..count)
            .map(|i| {
                let next = i + 1;
                if next == count && !ring {
                    Vec::new()
                } else {
                    vec![Step {
                        slot: 0,
                        target: next % count,
                        cost,
                    }]
                }
            })
            .collect()
    }

    fn without(graph: &[Vec<Step>], cut: &[(TypeId, usize)]) -> Vec<Vec<Step>> {
        graph
            .iter()
            .enumerate()
            .map(|(id, steps)| {
                steps
                    .iter()
                    .filter(|s| !cut.contains(&(id, s.slot)))
                    .copied()
                    .collect()
            })
            .collect()
    }

    /// The costliest walk from any type, by the rule's own measure.
    fn costliest(graph: &[Vec<Step>]) -> usize {
        let found = components(graph);
        let mut component_of = vec![0; graph.len()];
        for (number, members) in found.iter().enumerate() {
            for &member in members {
                component_of[member] = number;
            }
        }
        let mut height = vec![0; found.len()];
        for (number, members) in found.iter().enumerate() {
            let own = own_cost(graph, members, &component_of, number);
            height[number] = members
                .iter()
                .flat_map(|&node| &graph[node])
                .filter(|s| component_of[s.target] != number)
                .map(|s| own + s.cost + height[component_of[s.target]])
                .fold(own, usize::max);
        }
        height.into_iter().max().unwrap_or(0)
    }

    #[test]
    fn small_cycles_and_real_depths_get_no_link() {
        for count in 1..=10 {
            assert!(plan_links(&ring(count, 2, true), WALK_BUDGET).is_empty());
            // A cycle through maps of optional fields, the costliest step there is.
            assert!(plan_links(&ring(count, 7, true), WALK_BUDGET).is_empty());
        }
        assert!(plan_links(&ring(48, 2, false), WALK_BUDGET).is_empty());
    }

    #[test]
    fn a_ring_of_1500_is_cut_open_and_every_walk_bounded() {
        for cost in [2, 4, 7] {
            let graph = ring(1_500, cost, true);
            let cut = plan_links(&graph, WALK_BUDGET);
            let rest = without(&graph, &cut);
            assert!(
                components(&rest).iter().all(|c| c.len() == 1),
                "no cycle is left"
            );
            assert!(costliest(&rest) <= WALK_BUDGET);
            // The closing step, then one in every budget's worth of steps: no more.
            assert_eq!(cut[0], (1_499, 0), "the step that closes the ring");
            let per_link = WALK_BUDGET / cost;
            assert!(cut.len() <= 1 + 1_500 / per_link + 1, "{} links", cut.len());
            assert!(
                plan_links(&rest, WALK_BUDGET).is_empty(),
                "nothing left to cut"
            );
        }
    }

    #[test]
    fn a_long_chain_is_cut_every_budget() {
        let graph = ring(1_500, 2, false);
        let cut = plan_links(&graph, WALK_BUDGET);
        // From the end: S1499 costs 0, S1451 reaches it for 96 levels, S1450 would pass.
        assert_eq!(cut.first(), Some(&(1_450, 0)));
        assert_eq!(cut.len(), 1_500 / 49);
        let rest = without(&graph, &cut);
        assert!(costliest(&rest) <= WALK_BUDGET);
        assert_eq!(plan_links(&graph, WALK_BUDGET), cut, "deterministic");
    }

    #[test]
    fn steps_out_of_a_kept_cycle_count_its_own_cost() {
        // A 10-cycle of costly steps (70 levels) that reaches a chain of 20 cheap ones.
        let mut graph = ring(10, 7, true);
        let chain = ring(20, 2, false);
        graph[9].push(Step {
            slot: 1,
            target: 10,
            cost: 2,
        });
        graph.extend(chain.into_iter().map(|steps| {
            steps
                .into_iter()
                .map(|s| Step {
                    target: s.target + 10,
                    ..s
                })
                .collect()
        }));
        let cut = plan_links(&graph, WALK_BUDGET);
        assert_eq!(cut, vec![(9, 1)], "the cycle stays, its way out is linked");
        assert!(costliest(&without(&graph, &cut)) <= WALK_BUDGET);
    }

    #[test]
    fn aliases_cost_nothing_of_their_own() {
        assert_eq!(step_cost(Owner::Alias, &TypeRef::Named(0)), 0);
        assert_eq!(step_cost(Owner::Struct, &TypeRef::Named(0)), 2);
        let map_of_vec = TypeRef::Map(Box::new(TypeRef::Vec(Box::new(TypeRef::Named(0)))));
        assert_eq!(step_cost(Owner::Union, &map_of_vec), 1 + 5 + 3);
        // 10,000 aliases in a row are no walk at all.
        assert!(plan_links(&ring(10_000, 0, false), WALK_BUDGET).is_empty());
    }

    #[test]
    fn a_link_stops_the_walk_and_replaces_a_box() {
        let linked = TypeRef::Boxed(Box::new(TypeRef::Named(3)), BoxReason::BoundsWalk);
        assert_eq!(walked_target(&TypeRef::Vec(Box::new(linked))), None);
        let mut boxed = TypeRef::Boxed(Box::new(TypeRef::Named(3)), BoxReason::ClosesCycle);
        link(&mut boxed);
        assert_eq!(
            boxed,
            TypeRef::Boxed(Box::new(TypeRef::Named(3)), BoxReason::BoundsWalk)
        );
        let mut items = TypeRef::Vec(Box::new(TypeRef::Named(3)));
        link(&mut items);
        assert_eq!(
            items,
            TypeRef::Vec(Box::new(TypeRef::Boxed(
                Box::new(TypeRef::Named(3)),
                BoxReason::BoundsWalk
            )))
        );
    }
}
