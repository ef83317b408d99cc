//! `allOf` composition: what each part constrains, whether the parts agree, and the order in
//! which components are lowered so that a merge never recurses.
//!
//! Every schema has a [`Shape`]: the kind of JSON value it admits, ignoring everything else.
//! An `allOf` is decided by the shapes of its parts (and of the schema's own keywords beside
//! it); the rules are listed in the module docs of `lower::schema`.
//!
//! Shapes of components are computed once and memoised, with an explicit stack, so a chain of
//! thousands of `allOf` references costs a loop, never the call stack. For the same reason
//! components are lowered in an order where every component an `allOf` merges (needs the fields
//! of) comes first.

use openapiv3::{ReferenceOr, Schema};

use super::schema::View;
use super::Lowerer;
use crate::ir::TypeId;

/// The kind of JSON value a schema admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// Only annotations (description, title, nullable, readOnly, writeOnly, default, example,
    /// deprecated, `required`, `x-*`): says nothing about the value's type.
    Annotation,
    /// An object (properties, `type: object`, `additionalProperties`).
    Object,
    /// `oneOf`/`anyOf`.
    Union,
    /// A string, integer, number, boolean or array.
    Scalar(Scalar),
    /// Anything else (`not`, an unknown `type`, parts that contradict each other).
    Opaque,
}

/// The non-object JSON types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scalar {
    String,
    Integer,
    Number,
    Boolean,
    Array,
}

impl Shape {
    /// Whether the schema constrains the value's type (an `allOf` part that is not only
    /// annotations).
    pub(super) fn bears(self) -> bool {
        self != Shape::Annotation
    }
}

/// The shape of a schema's own keywords, leaving its `allOf` aside.
pub(super) fn own_shape(view: &View<'_>) -> Shape {
    if view.not {
        return Shape::Opaque;
    }
    if !view.one_of.is_empty() || !view.any_of.is_empty() {
        return Shape::Union;
    }
    let values: Vec<&serde_json::Value> =
        view.enumeration.iter().filter(|v| !v.is_null()).collect();
    if view.typ.is_none() && !values.is_empty() {
        if values.iter().all(|v| v.is_string()) {
            return Shape::Scalar(Scalar::String);
        }
        if values.iter().all(|v| v.is_i64() || v.is_u64()) {
            return Shape::Scalar(Scalar::Integer);
        }
        return Shape::Opaque;
    }
    match view.typ {
        Some("string") => Shape::Scalar(Scalar::String),
        Some("integer") => Shape::Scalar(Scalar::Integer),
        Some("number") => Shape::Scalar(Scalar::Number),
        Some("boolean") => Shape::Scalar(Scalar::Boolean),
        Some("array") => Shape::Scalar(Scalar::Array),
        Some("object") => Shape::Object,
        Some(_) => Shape::Opaque,
        None if view.properties.is_some_and(|p| !p.is_empty())
            || view.additional.is_some()
            || view.items.is_some() =>
        {
            if view.items.is_some() && view.properties.is_none() && view.additional.is_none() {
                Shape::Scalar(Scalar::Array)
            } else {
                Shape::Object
            }
        }
        None => Shape::Annotation,
    }
}

/// The shape of several schemas that must all hold: the one schema-bearing shape; objects
/// (with at most one union among them, whose alternatives the objects complete); agreeing
/// scalars (`integer` within `number` is `integer`); anything else contradicts ([`Shape::Opaque`]).
pub(super) fn combine(shapes: &[Shape]) -> Shape {
    let bearing: Vec<Shape> = shapes.iter().copied().filter(|s| s.bears()).collect();
    match bearing.as_slice() {
        [] => Shape::Annotation,
        [one] => *one,
        _ => {
            let unions = bearing.iter().filter(|s| **s == Shape::Union).count();
            if bearing
                .iter()
                .all(|s| matches!(s, Shape::Object | Shape::Union))
            {
                return match unions {
                    0 => Shape::Object,
                    1 => Shape::Union,
                    _ => Shape::Opaque,
                };
            }
            let mut scalar = None;
            for shape in &bearing {
                let Shape::Scalar(next) = shape else {
                    return Shape::Opaque;
                };
                scalar = match (scalar, next) {
                    (None, next) => Some(*next),
                    (Some(a), b) if a == *b => Some(a),
                    (Some(Scalar::Integer), Scalar::Number)
                    | (Some(Scalar::Number), Scalar::Integer) => Some(Scalar::Integer),
                    _ => return Shape::Opaque,
                };
            }
            scalar.map_or(Shape::Opaque, Shape::Scalar)
        }
    }
}

impl<'a> Lowerer<'a> {
    /// The shape of an `allOf` part (or any schema use).
    pub(super) fn part_shape(&mut self, part: &ReferenceOr<Schema>) -> Shape {
        match part {
            ReferenceOr::Reference { reference } => match self.resolve_schema_ref(reference, "") {
                Ok(id) => self.component_shape(id),
                // Reported where the reference is lowered.
                Err(_) => Shape::Opaque,
            },
            ReferenceOr::Item(schema) => self.schema_shape(schema),
        }
    }

    /// The shape of an inline schema: its own keywords combined with its `allOf` parts.
    pub(super) fn schema_shape(&mut self, schema: &Schema) -> Shape {
        let view = View::of(schema);
        let own = own_shape(&view);
        if view.all_of.is_empty() || own == Shape::Opaque {
            return own;
        }
        let mut shapes = vec![own];
        for part in view.all_of {
            shapes.push(self.part_shape(part));
        }
        combine(&shapes)
    }

    /// The shape of component `id`, memoised. Components it depends on are computed first from
    /// an explicit stack; a component met again while its own shape is being computed (an
    /// `allOf` or alias cycle) counts as [`Shape::Annotation`] there, and the cycle is reported
    /// when the types are lowered.
    pub(super) fn component_shape(&mut self, id: TypeId) -> Shape {
        if let Some(shape) = self.shapes.get(id).copied().flatten() {
            return shape;
        }
        if id >= self.shapes.len() || self.shape_busy[id] {
            return Shape::Annotation;
        }
        let mut stack = vec![id];
        self.shape_busy[id] = true;
        while let Some(&top) = stack.last() {
            let Some(schema) = self.component_schema(top) else {
                self.shapes[top] = Some(Shape::Opaque);
                self.shape_busy[top] = false;
                stack.pop();
                continue;
            };
            let mut deps = Vec::new();
            self.shape_deps(schema, &mut deps);
            if let Some(next) = deps
                .into_iter()
                .find(|d| self.shapes[*d].is_none() && !self.shape_busy[*d])
            {
                self.shape_busy[next] = true;
                stack.push(next);
                continue;
            }
            let shape = self.part_shape(schema);
            self.shapes[top] = Some(shape);
            self.shape_busy[top] = false;
            stack.pop();
        }
        self.shapes[id].unwrap_or(Shape::Opaque)
    }

    fn component_schema(&self, id: TypeId) -> Option<&'a ReferenceOr<Schema>> {
        let doc: &'a openapiv3::OpenAPI = self.doc;
        doc.components
            .as_ref()?
            .schemas
            .get_index(id)
            .map(|(_, schema)| schema)
    }

    /// Components whose shape decides the shape of `schema`: a bare reference, or the
    /// references among its `allOf` parts (inline parts included).
    fn shape_deps(&self, schema: &ReferenceOr<Schema>, out: &mut Vec<TypeId>) {
        match schema {
            ReferenceOr::Reference { reference } => {
                out.extend(self.resolve_schema_ref(reference, "").ok())
            }
            ReferenceOr::Item(schema) => {
                for part in View::of(schema).all_of {
                    self.shape_deps(part, out);
                }
            }
        }
    }

    /// Component ids in the order to lower them: spec order, except that a component whose
    /// `allOf` merges another (anywhere inside it) comes after that one. Computed with an
    /// explicit stack; a cycle keeps spec order at the edge that closes it (and lowering reports
    /// it if the merge really includes itself).
    pub(super) fn lowering_order(&mut self) -> Vec<TypeId> {
        let count = self.shapes.len();
        let mut deps: Vec<Vec<TypeId>> = Vec::with_capacity(count);
        for id in 0..count {
            let mut refs = Vec::new();
            if let Some(ReferenceOr::Item(schema)) = self.component_schema(id) {
                collect_all_of_refs(schema, &mut refs);
            }
            let mut merged = Vec::new();
            for reference in refs {
                let Ok(target) = self.resolve_schema_ref(&reference, "") else {
                    continue;
                };
                if matches!(self.component_shape(target), Shape::Object | Shape::Union)
                    && !merged.contains(&target)
                {
                    merged.push(target);
                }
            }
            deps.push(merged);
        }
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Open,
            Done,
        }
        let mut mark = vec![Mark::New; count];
        let mut order = Vec::with_capacity(count);
        for root in 0..count {
            if mark[root] != Mark::New {
                continue;
            }
            mark[root] = Mark::Open;
            let mut stack = vec![(root, 0usize)];
            while let Some((node, next)) = stack.last_mut() {
                let node = *node;
                if let Some(&dep) = deps[node].get(*next) {
                    *next += 1;
                    if mark[dep] == Mark::New {
                        mark[dep] = Mark::Open;
                        stack.push((dep, 0));
                    }
                } else {
                    mark[node] = Mark::Done;
                    order.push(node);
                    stack.pop();
                }
            }
        }
        order
    }
}

/// Every `$ref` that is an `allOf` part anywhere inside `schema` (not following references).
fn collect_all_of_refs(schema: &Schema, out: &mut Vec<String>) {
    fn boxed(child: &ReferenceOr<Box<Schema>>) -> Option<&Schema> {
        match child {
            ReferenceOr::Item(inner) => Some(inner.as_ref()),
            ReferenceOr::Reference { .. } => None,
        }
    }
    let view = View::of(schema);
    for part in view.all_of {
        match part {
            ReferenceOr::Reference { reference } => out.push(reference.clone()),
            ReferenceOr::Item(inner) => collect_all_of_refs(inner, out),
        }
    }
    for alternative in view.one_of.iter().chain(view.any_of) {
        if let ReferenceOr::Item(inner) = alternative {
            collect_all_of_refs(inner, out);
        }
    }
    for property in view.properties.into_iter().flat_map(|p| p.values()) {
        if let Some(inner) = boxed(property) {
            collect_all_of_refs(inner, out);
        }
    }
    if let Some(inner) = view.items.and_then(boxed) {
        collect_all_of_refs(inner, out);
    }
    if let Some(openapiv3::AdditionalProperties::Schema(inner)) = view.additional {
        if let ReferenceOr::Item(inner) = inner.as_ref() {
            collect_all_of_refs(inner, out);
        }
    }
}
