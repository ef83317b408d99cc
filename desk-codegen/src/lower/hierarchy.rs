//! Discriminated hierarchies: a component schema with a `discriminator` and no
//! `oneOf`/`anyOf` of its own (a *base*, as in the OpenAPI 3.0 specification's `Pet` with
//! `Cat: {allOf: [{$ref: Pet}, ...]}`, and in every Swagger 2.0 `discriminator`) stands,
//! wherever it is used, for the schemas that extend it. Its type is the tagged union a
//! `oneOf` of them with that discriminator gets:
//!
//! - the alternatives are the component schemas that include the base through `allOf`,
//!   directly or through another such schema, in component order, then any other schema its
//!   `discriminator.mapping` names;
//! - each alternative's tag value is its `mapping` key, else its schema name (the 3.0 rule);
//! - the base's own properties still merge into each alternative (lowering reads the base's
//!   struct for every `allOf` before it becomes the union), and a value whose tag names no
//!   alternative (the base itself, a later subtype) is kept as sent in the catch-all variant;
//! - an alternative whose struct lacks the tag property (a 2.0 base that does not declare
//!   it) leaves the tag to the union, which writes it when encoding.
//!
//! A base that no schema extends and whose mapping names nothing stays a struct.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr, Schema};

use super::schema::View;
use super::Lowerer;
use crate::ir::{TypeKind, TypeRef};
use crate::locate::{escape, unescape};

const PREFIX: &str = "#/components/schemas/";

/// For each base (by component index), the references to its alternatives (see the module
/// docs). Empty when no component schema is a base, which costs one look at each.
pub(crate) fn hierarchies(doc: &OpenAPI) -> BTreeMap<usize, Vec<String>> {
    let Some(components) = &doc.components else {
        return BTreeMap::new();
    };
    let schemas = &components.schemas;
    let is_base = |schema: &ReferenceOr<Schema>| {
        schema.as_item().is_some_and(|schema| {
            let view = View::of(schema);
            schema.schema_data.discriminator.is_some()
                && view.one_of.is_empty()
                && view.any_of.is_empty()
        })
    };
    if !schemas.values().any(is_base) {
        return BTreeMap::new();
    }
    // Which components each component extends directly (its `allOf` references).
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); schemas.len()];
    for (index, (_, schema)) in schemas.iter().enumerate() {
        let Some(schema) = schema.as_item() else {
            continue;
        };
        for part in View::of(schema).all_of {
            let ReferenceOr::Reference { reference } = part else {
                continue;
            };
            let Some(parent) = reference
                .strip_prefix(PREFIX)
                .and_then(|name| schemas.get_index_of(&unescape(name)))
            else {
                continue;
            };
            if parent != index && !children[parent].contains(&index) {
                children[parent].push(index);
            }
        }
    }
    let mut found = BTreeMap::new();
    for (base, (_, schema)) in schemas.iter().enumerate() {
        if !is_base(schema) {
            continue;
        }
        let mut reached = vec![false; schemas.len()];
        reached[base] = true;
        let mut pending = vec![base];
        while let Some(next) = pending.pop() {
            for &child in &children[next] {
                if !reached[child] {
                    reached[child] = true;
                    pending.push(child);
                }
            }
        }
        let mut alternatives: Vec<String> = (0..schemas.len())
            .filter(|&index| index != base && reached[index])
            .filter_map(|index| schemas.get_index(index))
            .map(|(name, _)| format!("{PREFIX}{}", escape(name)))
            .collect();
        let mapping = schema
            .as_item()
            .and_then(|s| s.schema_data.discriminator.as_ref())
            .map(|d| &d.mapping);
        for target in mapping.into_iter().flat_map(|m| m.values()) {
            let reference = if target.starts_with('#') {
                target.clone()
            } else {
                format!("{PREFIX}{}", escape(target))
            };
            let known = reference
                .strip_prefix(PREFIX)
                .and_then(|name| schemas.get_index_of(&unescape(name)))
                .is_some_and(|index| index != base);
            if known && !alternatives.contains(&reference) {
                alternatives.push(reference);
            }
        }
        if !alternatives.is_empty() {
            found.insert(base, alternatives);
        }
    }
    found
}

impl Lowerer<'_> {
    /// Makes each base a tagged union of its alternatives (see the module docs). Runs after
    /// every schema is lowered, so the `allOf`s that merge a base's fields have read them.
    pub(super) fn lower_hierarchies(&mut self) {
        for (base, references) in hierarchies(self.doc) {
            if !matches!(self.types[base].def.kind, TypeKind::Struct(_)) {
                continue;
            }
            let Some((name, ReferenceOr::Item(schema))) = self
                .doc
                .components
                .as_ref()
                .and_then(|c| c.schemas.get_index(base))
            else {
                continue;
            };
            let pointer = format!("/components/schemas/{}", escape(name));
            let alternatives: Vec<ReferenceOr<Schema>> = references
                .into_iter()
                .map(|reference| ReferenceOr::Reference { reference })
                .collect();
            let mut kind = self.union(
                schema,
                &alternatives,
                &alternatives,
                "discriminator",
                &pointer,
                base,
            );
            if let TypeKind::Union(union) = &mut kind {
                if let Some(tag) = union.tag.clone() {
                    for variant in &mut union.variants {
                        if let TypeRef::Named(id) = variant.ty {
                            let holds_tag = match self.resolved_kind(id) {
                                Some(TypeKind::Struct(def)) => {
                                    def.fields.iter().any(|f| f.wire_name == tag)
                                }
                                _ => true,
                            };
                            variant.tag_in_object = holds_tag;
                        }
                    }
                }
            }
            self.types[base].def.kind = kind;
        }
    }
}
