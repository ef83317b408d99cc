//! Whole-IR checks on how types name each other: guards for untagged unions, and type aliases
//! that only name each other.

use crate::ir::{Ir, JsonKind, TypeId, TypeKind, TypeRef, VariantGuard};

/// Follows aliases (and boxes) from `ty` to what it is; a cycle of aliases ends at `Json`.
fn resolve<'i>(ir: &'i Ir, mut ty: &'i TypeRef) -> Result<&'i TypeRef, TypeId> {
    for _ in 0..=ir.types.len() {
        match ty {
            TypeRef::Boxed(inner) => ty = inner,
            TypeRef::Named(id) => match &ir.types[*id].kind {
                TypeKind::Alias(inner) => ty = inner,
                _ => return Err(*id),
            },
            other => return Ok(other),
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

/// Fills [`VariantGuard`]s of untagged unions: the JSON type each alternative decodes from, and
/// the values its string-enum properties list.
pub(super) fn guard_untagged_unions(ir: &mut Ir) {
    let mut guards: Vec<(TypeId, usize, VariantGuard)> = Vec::new();
    for (id, def) in ir.types.iter().enumerate() {
        let TypeKind::Union(union) = &def.kind else { continue };
        if union.tag.is_some() {
            continue;
        }
        let start = guards.len();
        for (index, variant) in union.variants.iter().enumerate() {
            let mut guard = VariantGuard { json: json_kind(ir, &variant.ty), listed: Vec::new(), known: None };
            if let Err(target) = resolve(ir, &variant.ty) {
                if let TypeKind::Struct(st) = &ir.types[target].kind {
                    if st.additional.is_none() {
                        guard.known = Some(st.fields.iter().map(|f| f.wire_name.clone()).collect());
                    }
                    for field in &st.fields {
                        if let Err(enum_id) = resolve(ir, &field.ty) {
                            if let TypeKind::StringEnum(values) = &ir.types[enum_id].kind {
                                let listed = values.iter().map(|v| v.value.clone()).collect();
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
        // alternatives would each take the others' objects (ignoring the keys they lack).
        let mine = &mut guards[start..];
        let kinds: Vec<Option<JsonKind>> = mine.iter().map(|(_, _, g)| g.json).collect();
        let objects = kinds.iter().filter(|k| **k == Some(JsonKind::Object)).count();
        let needed = mine.iter().any(|(_, _, g)| !g.listed.is_empty())
            || (objects > 0 && kinds.contains(&Some(JsonKind::Array)))
            || (objects > 1 && mine.iter().any(|(_, _, g)| g.known.is_some()));
        if !needed {
            guards.truncate(start);
        }
    }
    for (id, index, guard) in guards {
        if let TypeKind::Union(union) = &mut ir.types[id].kind {
            union.variants[index].guard = guard;
        }
    }
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
                    let first = ring.iter().enumerate().min_by_key(|(_, id)| **id).map_or(0, |(i, _)| i);
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
