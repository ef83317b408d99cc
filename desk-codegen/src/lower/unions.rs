//! Whole-IR checks on how types name each other: guards for untagged unions, and type aliases
//! that only name each other.
//!
//! Guards keep the data: an object goes first to an alternative that knows all its keys, then
//! to one that keeps any key (a `serde_json::Value` fallback, a map, a struct with
//! `additionalProperties`, a union holding one; a union alternative knows the keys of its own
//! alternatives together), and only then to one that must drop the keys it does not know. So
//! a union whose alternative fell back to `Value` keeps the keys only that alternative would
//! have held, and a union of typed alternatives still decodes an object with keys the server
//! added later, into the first alternative of its JSON type.

use crate::ir::{Attempt, Ir, JsonKind, Layer, TypeId, TypeKind, TypeRef, UnionDef, VariantGuard};

/// Follows aliases (and boxes) from `ty` to what it is; a cycle of aliases ends at `Json`.
fn resolve<'i>(ir: &'i Ir, mut ty: &'i TypeRef) -> Result<&'i TypeRef, TypeId> {
    for _ in 0..=ir.types.len() {
        match (ty.layer(), ty) {
            (Some((Layer::Boxed(_), inner)), _) => ty = inner,
            (_, TypeRef::Named(id)) => match &ir.types[*id].kind {
                TypeKind::Alias(inner) => ty = inner,
                _ => return Err(*id),
            },
            (_, other) => return Ok(other),
        }
    }
    Ok(&TypeRef::Json)
}

fn json_kind(ir: &Ir, ty: &TypeRef) -> Option<JsonKind> {
    match resolve(ir, ty) {
        Ok(TypeRef::String | TypeRef::DateTime | TypeRef::Date) => Some(JsonKind::String),
        Ok(TypeRef::Int(_) | TypeRef::F32 | TypeRef::F64) => Some(JsonKind::Number),
        Ok(TypeRef::Bool) => Some(JsonKind::Bool),
        Ok(TypeRef::Vec(_)) => Some(JsonKind::Array),
        Ok(TypeRef::Map(_) | TypeRef::JsonMap) => Some(JsonKind::Object),
        Ok(_) => None,
        Err(id) => match &ir.types[id].kind {
            TypeKind::Struct(_) => Some(JsonKind::Object),
            TypeKind::StringEnum(_) => Some(JsonKind::String),
            TypeKind::IntEnum(_) => Some(JsonKind::Number),
            TypeKind::Union(_) | TypeKind::Alias(_) => None,
        },
    }
}

/// Which keys of an object a type keeps when it decodes one.
enum ObjectKeys {
    /// It does not decode objects.
    None,
    /// Exactly these keys; others are dropped.
    Known(Vec<String>),
    /// Every key (a map, a `Value`, a struct with `additionalProperties`).
    Any,
}

/// The keys `ty` keeps of an object, looking through aliases and into unions (a union keeps
/// what its alternatives keep together); `seen` stops at a union reached again.
fn object_keys(ir: &Ir, ty: &TypeRef, seen: &mut Vec<TypeId>) -> ObjectKeys {
    let id = match resolve(ir, ty) {
        Ok(TypeRef::Json | TypeRef::JsonMap | TypeRef::Map(_)) => return ObjectKeys::Any,
        Ok(TypeRef::Nullable(inner)) => return object_keys(ir, inner, seen),
        Ok(_) => return ObjectKeys::None,
        Err(id) => id,
    };
    match &ir.types[id].kind {
        TypeKind::Struct(st) if st.additional.is_some() => ObjectKeys::Any,
        TypeKind::Struct(st) => {
            ObjectKeys::Known(st.fields.iter().map(|f| f.wire_name.clone()).collect())
        }
        TypeKind::Union(union) if !seen.contains(&id) => {
            seen.push(id);
            let mut keys: Option<Vec<String>> = None;
            let mut any = false;
            for variant in &union.variants {
                match object_keys(ir, &variant.ty, seen) {
                    ObjectKeys::Any => any = true,
                    ObjectKeys::Known(names) => keys.get_or_insert_with(Vec::new).extend(names),
                    ObjectKeys::None => {}
                }
            }
            seen.pop();
            if any {
                return ObjectKeys::Any;
            }
            match keys {
                Some(mut names) => {
                    names.extend(union.tag.clone());
                    names.sort();
                    names.dedup();
                    ObjectKeys::Known(names)
                }
                None => ObjectKeys::None,
            }
        }
        _ => ObjectKeys::None,
    }
}

/// Fills [`VariantGuard`]s of untagged unions: the JSON type each alternative decodes from, and
/// the values its string-enum properties list.
pub(super) fn guard_untagged_unions(ir: &mut Ir) {
    let mut guards: Vec<(TypeId, usize, VariantGuard)> = Vec::new();
    for (id, def) in ir.types.iter().enumerate() {
        let TypeKind::Union(union) = &def.kind else {
            continue;
        };
        if union.tag.is_some() {
            continue;
        }
        let start = guards.len();
        for (index, variant) in union.variants.iter().enumerate() {
            let mut guard = VariantGuard {
                json: json_kind(ir, &variant.ty),
                ..Default::default()
            };
            match object_keys(ir, &variant.ty, &mut vec![id]) {
                ObjectKeys::Known(names) => guard.known = Some(names),
                ObjectKeys::Any => guard.keeps_any_object = true,
                ObjectKeys::None => {}
            }
            if let Err(target) = resolve(ir, &variant.ty) {
                if let TypeKind::Struct(st) = &ir.types[target].kind {
                    for field in &st.fields {
                        if let Err(enum_id) = resolve(ir, &field.ty) {
                            if let TypeKind::StringEnum(values) = &ir.types[enum_id].kind {
                                let listed =
                                    values.variants.iter().map(|v| v.value.clone()).collect();
                                guard.listed.push((field.wire_name.clone(), listed));
                            }
                        }
                    }
                }
            }
            guards.push((id, index, guard));
        }
        // serde's untagged enums already tell strings, numbers and booleans apart; guards are
        // needed when an enum property decides, when an object alternative (a derived struct
        // also decodes from an array) sits beside an array alternative, or when several object
        // alternatives would each take the others' objects (ignoring the keys they lack), or
        // when an alternative that keeps every key (a `Value` fallback, a map) would lose an
        // object to one that drops the keys it does not know.
        let mine = &mut guards[start..];
        let kinds: Vec<Option<JsonKind>> = mine.iter().map(|(_, _, g)| g.json).collect();
        let objects = kinds
            .iter()
            .filter(|k| **k == Some(JsonKind::Object))
            .count();
        let knowing = mine.iter().filter(|(_, _, g)| g.known.is_some()).count();
        let keeping = mine.iter().any(|(_, _, g)| g.keeps_any_object);
        let needed = mine.iter().any(|(_, _, g)| !g.listed.is_empty())
            || (objects > 0 && kinds.contains(&Some(JsonKind::Array)))
            || (objects > 1 && knowing > 0)
            || (knowing > 0 && (keeping || knowing > 1));
        if !needed {
            guards.truncate(start);
        }
    }
    for (id, index, guard) in guards {
        if let TypeKind::Union(union) = &mut ir.types[id].kind {
            union.variants[index].guard = guard;
        }
    }
    for def in &mut ir.types {
        if let TypeKind::Union(union) = &mut def.kind {
            union.attempts = attempts(union);
        }
    }
}

/// The order an untagged union with guards tries its alternatives in: three passes, each
/// with only the alternatives it adds something for. First every alternative that knows its
/// keys, with every key known and every listed value matching, and those that keep any
/// object, as objects (before any alternative that would drop keys it does not know); then
/// every alternative with its JSON type and listed values matching; then, for values none
/// lists (an enum's catch-all), the alternatives with listed values, by JSON type alone.
fn attempts(union: &UnionDef) -> Vec<Attempt> {
    if union
        .variants
        .iter()
        .all(|v| v.guard == VariantGuard::default())
    {
        return Vec::new();
    }
    let (mut first, mut second, mut third) = (Vec::new(), Vec::new(), Vec::new());
    for (index, variant) in union.variants.iter().enumerate() {
        let guard = &variant.guard;
        let attempt = |json, known, listed| Attempt {
            variant: index,
            json,
            known,
            listed,
        };
        if guard.known.is_some() {
            first.push(attempt(guard.json, true, true));
        } else if guard.keeps_any_object {
            first.push(attempt(guard.json.or(Some(JsonKind::Object)), false, true));
        }
        second.push(attempt(guard.json, false, true));
        if !guard.listed.is_empty() {
            third.push(attempt(guard.json, false, false));
        }
    }
    first.into_iter().chain(second).chain(third).collect()
}

/// Rings of type aliases that only name each other (`A` is `B`, `B` is `A`): they describe
/// no type. Each ring once, as its members in order starting from the first in spec order.
pub(super) fn alias_rings(ir: &Ir) -> Vec<Vec<TypeId>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    let mut mark = vec![Mark::New; ir.types.len()];
    let mut rings = Vec::new();
    for start in 0..ir.types.len() {
        let mut path = Vec::new();
        let mut current = start;
        loop {
            match mark[current] {
                Mark::Done => break,
                Mark::OnPath => {
                    let from = path.iter().position(|id| *id == current).unwrap_or(0);
                    let mut ring: Vec<TypeId> = path[from..].to_vec();
                    let first = ring
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, id)| **id)
                        .map_or(0, |(i, _)| i);
                    ring.rotate_left(first);
                    rings.push(ring);
                    break;
                }
                Mark::New => {}
            }
            mark[current] = Mark::OnPath;
            path.push(current);
            match &ir.types[current].kind {
                TypeKind::Alias(TypeRef::Named(next)) => current = *next,
                _ => break,
            }
        }
        for id in path {
            mark[id] = Mark::Done;
        }
    }
    rings
}
