//! The one reachability walk: from the selected operations to every component they reach.
//!
//! It follows the places the OpenAPI model reads references from, and no others (a `$ref` in
//! an example, a link or an extension reaches nothing): an operation's parameters, request body
//! and responses; a path item's shared parameters; a parameter's or header's `schema`, else its
//! `content`; a body's `content`; a response's `headers` and `content`; a media type's `schema`
//! and its encodings' `headers`; a schema's `properties`, `additionalProperties`, `items`,
//! `allOf`, `oneOf`, `anyOf` and `not`. An object with a `$ref` is a reference (its other keys
//! are not read); a reference reaches the component it names when it names one of the section
//! the place expects (a schema where a schema goes), and the walk goes on from there. A
//! discriminated base (a schema with a `discriminator` and no `oneOf`/`anyOf`, see
//! `lower::hierarchy`) reaches the schemas that extend it through `allOf`, however deep, and
//! those its `discriminator.mapping` names: its type is their union. Schemas are walked from a
//! worklist, so a deep description never recurses deeply.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{is_ref, operations};
use crate::locate::unescape;

/// The component sections whose entries are kept only when reached.
const SECTIONS: [&str; 5] = [
    "schemas",
    "parameters",
    "requestBodies",
    "responses",
    "headers",
];

/// Keeps of `root`'s components only what its (already selected) operations reach; the other
/// sections (security schemes, examples, links, ...) stay as they are.
pub(super) fn keep_reached(root: &mut Map<String, Value>) {
    let reached = {
        let mut reach = Reach {
            components: root.get("components").and_then(Value::as_object),
            reached: BTreeSet::new(),
            schemas: Vec::new(),
            extended_by: extensions(root),
        };
        for item in root
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(Map::values)
            .filter_map(Value::as_object)
            .filter(|item| !is_ref(item))
        {
            reach.list(item.get("parameters"), Reach::parameter);
            for (_, operation) in operations(item) {
                reach.operation(operation);
            }
        }
        reach.close();
        reach.reached
    };
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        for section in SECTIONS {
            if let Some(entries) = components.get_mut(section).and_then(Value::as_object_mut) {
                entries.retain(|name, _| reached.contains(&(section, name.clone())));
            }
        }
    }
}

/// For each component schema, the schemas whose `allOf` refers to it directly (empty when no
/// schema has a `discriminator`, which costs one look at each).
fn extensions(root: &Map<String, Value>) -> BTreeMap<String, Vec<String>> {
    let mut extended_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let Some(schemas) = root
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object)
    else {
        return extended_by;
    };
    if !schemas.values().any(|s| s.get("discriminator").is_some()) {
        return extended_by;
    }
    for (name, schema) in schemas {
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let parent = part
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"));
            if let Some(parent) = parent {
                extended_by
                    .entry(unescape(parent))
                    .or_default()
                    .push(name.clone());
            }
        }
    }
    extended_by
}

/// The walk's state: the components reached so far, by section and name, and the schemas
/// reached and not yet walked.
struct Reach<'d> {
    components: Option<&'d Map<String, Value>>,
    reached: BTreeSet<(&'static str, String)>,
    schemas: Vec<&'d Map<String, Value>>,
    /// For each schema, the schemas whose `allOf` names it directly.
    extended_by: BTreeMap<String, Vec<String>>,
}

impl<'d> Reach<'d> {
    fn operation(&mut self, operation: &'d Map<String, Value>) {
        self.list(operation.get("parameters"), Self::parameter);
        if let Some(body) = operation.get("requestBody") {
            self.request_body(body);
        }
        self.map(operation.get("responses"), Self::response);
    }

    /// `visit` on each item of the array `value`, when it is one.
    fn list(&mut self, value: Option<&'d Value>, visit: fn(&mut Self, &'d Value)) {
        for item in value.and_then(Value::as_array).into_iter().flatten() {
            visit(self, item);
        }
    }

    /// `visit` on each value of the object `value`, when it is one.
    fn map(&mut self, value: Option<&'d Value>, visit: fn(&mut Self, &'d Value)) {
        for item in value
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(Map::values)
        {
            visit(self, item);
        }
    }

    /// The object `value` is, followed to the component it names when it is a reference to
    /// one of `section` not reached before; `None` for a reference already followed (or to
    /// nothing: lowering reports that).
    fn item(&mut self, value: &'d Value, section: &'static str) -> Option<&'d Map<String, Value>> {
        let mut object = value.as_object()?;
        // Components may name each other; each is followed once, so a cycle ends.
        while let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            let name = reference
                .strip_prefix("#/components/")?
                .strip_prefix(section)?
                .strip_prefix('/')
                .map(unescape)?;
            let target = self.components?.get(section)?.get(&name)?;
            if !self.reached.insert((section, name.clone())) {
                return None;
            }
            object = target.as_object()?;
            if section == "schemas" {
                self.alternatives(&name, object);
            }
        }
        Some(object)
    }

    /// When the schema `name` is a discriminated base, reaches its alternatives (see the
    /// module docs).
    fn alternatives(&mut self, name: &str, schema: &'d Map<String, Value>) {
        let Some(discriminator) = schema.get("discriminator") else {
            return;
        };
        if schema.contains_key("oneOf") || schema.contains_key("anyOf") {
            return;
        }
        let mut found: Vec<String> = Vec::new();
        let mut below = vec![name.to_owned()];
        while let Some(parent) = below.pop() {
            for child in self.extended_by.get(&parent).into_iter().flatten() {
                if child != name && !found.contains(child) {
                    found.push(child.clone());
                    below.push(child.clone());
                }
            }
        }
        for target in discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(Map::values)
            .filter_map(Value::as_str)
        {
            found.push(match target.strip_prefix("#/components/schemas/") {
                Some(rest) => unescape(rest),
                None if target.starts_with('#') => continue,
                None => target.to_owned(),
            });
        }
        for child in found {
            let target = self
                .components
                .and_then(|c| c.get("schemas"))
                .and_then(|schemas| schemas.get(&child))
                .and_then(Value::as_object);
            if let Some(target) = target {
                if self.reached.insert(("schemas", child.clone())) {
                    self.schemas.push(target);
                    self.alternatives(&child, target);
                }
            }
        }
    }

    fn parameter(&mut self, value: &'d Value) {
        if let Some(parameter) = self.item(value, "parameters") {
            self.schema_or_content(parameter);
        }
    }

    fn header(&mut self, value: &'d Value) {
        if let Some(header) = self.item(value, "headers") {
            self.schema_or_content(header);
        }
    }

    /// A parameter's or header's `schema`, else its `content`.
    fn schema_or_content(&mut self, object: &'d Map<String, Value>) {
        match object.get("schema") {
            Some(schema) => self.schema(schema),
            None => self.content(object.get("content")),
        }
    }

    fn request_body(&mut self, value: &'d Value) {
        if let Some(body) = self.item(value, "requestBodies") {
            self.content(body.get("content"));
        }
    }

    fn response(&mut self, value: &'d Value) {
        if let Some(response) = self.item(value, "responses") {
            self.map(response.get("headers"), Self::header);
            self.content(response.get("content"));
        }
    }

    fn content(&mut self, content: Option<&'d Value>) {
        for media in content
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(Map::values)
        {
            if let Some(schema) = media.get("schema") {
                self.schema(schema);
            }
            for encoding in media
                .get("encoding")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(Map::values)
            {
                self.map(encoding.get("headers"), Self::header);
            }
        }
    }

    /// A schema (or a reference to one) to walk.
    fn schema(&mut self, value: &'d Value) {
        if let Some(schema) = self.item(value, "schemas") {
            self.schemas.push(schema);
        }
    }

    /// Walks every schema reached until none is left.
    fn close(&mut self) {
        while let Some(schema) = self.schemas.pop() {
            self.map(schema.get("properties"), Self::schema);
            // `additionalProperties: true` names no schema.
            if let Some(additional) = schema.get("additionalProperties").filter(|v| v.is_object()) {
                self.schema(additional);
            }
            if let Some(items) = schema.get("items") {
                self.schema(items);
            }
            for key in ["allOf", "oneOf", "anyOf"] {
                self.list(schema.get(key), Self::schema);
            }
            if let Some(not) = schema.get("not") {
                self.schema(not);
            }
        }
    }
}
