//! A deterministic, seeded generator of valid JSON instances of OpenAPI 3.0 schemas.
//!
//! It reads the schema as JSON (the document as the generator parsed it, so OpenAPI 3.1 input
//! is already mapped onto 3.0) and follows local `$ref`s. Each schema gets [`Shape`]s of
//! instances: a minimal one (required properties only, smallest arrays, lower bounds), a full
//! one (every property, a few extra entries where `additionalProperties` allows them, upper
//! bounds) and random ones (each optional property with even odds, `null` now and then where
//! `nullable`, random alternatives of `oneOf`/`anyOf`).
//!
//! What it honours: `type`, `nullable`, `enum`, `format` (`date-time`, `date`, `uuid`, `byte`,
//! `email`, `uri`, the integer formats `int8`…`uint64`, `float`/`double`), `minimum`/`maximum`
//! (and the exclusive flags), `multipleOf` on integers, `minLength`/`maxLength`,
//! `minItems`/`maxItems`/`uniqueItems`, `properties`/`required`/`additionalProperties`,
//! `allOf` (parts merged into one schema), `oneOf`/`anyOf` (one alternative, with the
//! discriminator property set to the alternative's mapping value), `readOnly` (left out of
//! requests) and `writeOnly` (left out of responses). It does not honour `pattern` or `not`
//! (the generated types do not validate them either), so an instance may break a `pattern`.
//!
//! `allOf` parts must all hold, so their scalar keywords intersect: `integer` ∧ `number` is
//! `integer`, lower bounds (`minimum`, `minLength`, `minItems`, `minProperties`) take the
//! larger and upper bounds the smaller, enums keep their common values, integer `multipleOf`s
//! combine to their least common multiple; a property, `items` or `additionalProperties`
//! given by several parts must satisfy each.
//!
//! Read-only, in request bodies, is what the generator decided: [`mark_read_only`] writes the
//! generator's list ([`desk_codegen::TypeIndex::read_only`]: for each object schema that became
//! a struct, the properties its request forms leave out) into the document, and an instance of
//! a request body leaves out exactly those properties. The mark travels with the schema through
//! `$ref`s and `allOf` merges; the object part of a union merged with objects takes the chosen
//! alternative's mark, as the generator merges the objects' fields into each alternative.
//!
//! Recursion is bounded two ways: below [`MAX_DEPTH`] levels of nesting only what is required is
//! generated (optional properties left out, arrays at their minimum length, `null` where
//! allowed), and an instance stops growing optional parts once it has [`NODE_BUDGET`] nodes.
//! A schema whose required properties recurse without end has no instance ([`None`]).
//!
//! The top level of an instance is never `null`: a nullable schema's type holds its non-null
//! values, and `null` is held by the `Option` around it where the schema is used.

use std::collections::BTreeMap;

pub use desk_codegen::Direction;
use serde_json::{Map, Number, Value};

/// Below this depth only required parts are generated.
pub const MAX_DEPTH: usize = 6;
/// Past this many nodes in one instance, optional parts are left out.
pub const NODE_BUDGET: usize = 4_000;
/// Hard limit: deeper than this, generation gives up (required recursion without end).
const GIVE_UP_DEPTH: usize = 40;

/// Which kind of instance to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Required properties only, smallest values.
    Minimal,
    /// Every property, largest values.
    Full,
    /// Random choices.
    Random,
}

/// The key [`mark_read_only`] adds to an object schema: the wire names of the properties its
/// request forms leave out.
const READ_ONLY_MARK: &str = "x-desk-conformance-read-only";

/// `document` with the generator's read-only decisions written in: each object schema listed
/// in `read_only` (by JSON pointer, see [`desk_codegen::TypeIndex::read_only`]) gets its list
/// under a key of its own, which request instances follow. Pointers that do not resolve in the
/// document are ignored.
pub fn mark_read_only(mut document: Value, read_only: &BTreeMap<String, Vec<String>>) -> Value {
    for (pointer, names) in read_only {
        if let Some(Value::Object(schema)) = document.pointer_mut(pointer) {
            schema.insert(READ_ONLY_MARK.into(), names.clone().into());
        }
    }
    document
}

/// The read-only mark of `schema` itself (empty without one).
fn marked(schema: &Value) -> Vec<String> {
    schema
        .get(READ_ONLY_MARK)
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// `schema` with `more` added to its read-only mark.
fn add_mark(schema: &mut Value, more: Vec<String>) {
    if more.is_empty() {
        return;
    }
    let mut names = marked(schema);
    for name in more {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if let Some(object) = schema.as_object_mut() {
        object.insert(READ_ONLY_MARK.into(), names.into());
    }
}

/// The draws the generator makes, over fastrand's seeded generator (the same numbers for the
/// same seed on every platform).
trait Draw {
    /// A number in `0..n` (`0` when `n` is `0`).
    fn below(&mut self, n: u64) -> u64;
    /// True with probability `1 / n`.
    fn one_in(&mut self, n: u64) -> bool;
}

impl Draw for fastrand::Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.u64(..n.max(1))
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }
}

/// A stable seed for a string (FNV-1a), so each schema's instances do not depend on the order
/// schemas are visited in.
pub fn seed_of(text: &str, seed: u64) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64 ^ seed;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Generates instances of the schemas of one document.
pub struct Generator<'a> {
    document: &'a Value,
    direction: Direction,
    shape: Shape,
    rng: fastrand::Rng,
    nodes: usize,
}

impl<'a> Generator<'a> {
    /// A generator over `document` (the whole OpenAPI document, for `$ref`s).
    pub fn new(document: &'a Value, direction: Direction, shape: Shape, seed: u64) -> Self {
        Generator {
            document,
            direction,
            shape,
            rng: fastrand::Rng::with_seed(seed),
            nodes: 0,
        }
    }

    /// An instance of the schema at `pointer`, or `None` when it has none this generator can
    /// make (e.g. required properties that recurse without end).
    pub fn instance_at(&mut self, pointer: &str) -> Option<Value> {
        let schema = self.document.pointer(pointer)?;
        self.nodes = 0;
        self.instance(schema, 0)
    }

    /// Whether optional parts are still generated at `depth`.
    fn generous(&self, depth: usize) -> bool {
        depth < MAX_DEPTH && self.nodes < NODE_BUDGET
    }

    /// Follows `$ref`s (a chain of them) to the schema they name.
    fn resolve<'s>(&self, mut schema: &'s Value) -> Option<&'s Value>
    where
        'a: 's,
    {
        for _ in 0..64 {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    let pointer = reference.strip_prefix('#')?;
                    schema = self.document.pointer(pointer)?;
                }
                None => return Some(schema),
            }
        }
        None
    }

    /// `schema` with its `allOf` parts merged in (properties and required lists united; a
    /// property, `items` or `additionalProperties` given by several parts must satisfy each;
    /// the first value of every other keyword kept), `$ref`s followed. A read-only mark on a
    /// `$ref` (the generator's type for that use of the target) is kept on the result.
    fn flatten(&self, schema: &Value, depth: usize) -> Option<Value> {
        let mark = marked(schema);
        let mut flat = self.flatten_resolved(self.resolve(schema)?, depth)?;
        add_mark(&mut flat, mark);
        Some(flat)
    }

    fn flatten_resolved(&self, schema: &Value, depth: usize) -> Option<Value> {
        let Some(parts) = schema.get("allOf").and_then(Value::as_array) else {
            return Some(schema.clone());
        };
        if depth > GIVE_UP_DEPTH {
            return None;
        }
        let mut merged = schema.as_object()?.clone();
        merged.remove("allOf");
        for part in parts {
            let part = self.flatten(part, depth + 1)?;
            let Some(part) = part.as_object() else {
                continue;
            };
            intersect_scalars(&mut merged, part);
            for (key, value) in part {
                if SCALAR_KEYWORDS.contains(&key.as_str()) && merged.contains_key(key) {
                    continue;
                }
                match (key.as_str(), merged.get_mut(key)) {
                    ("properties", Some(Value::Object(properties))) => {
                        if let Value::Object(more) = value {
                            for (name, property) in more {
                                match properties.get_mut(name) {
                                    // A property in two parts must satisfy both.
                                    Some(existing) => *existing = both(existing, property),
                                    None => {
                                        properties.insert(name.clone(), property.clone());
                                    }
                                }
                            }
                        }
                    }
                    ("items" | "additionalProperties", Some(existing))
                        if value.is_object() && existing.is_object() =>
                    {
                        *existing = both(existing, value);
                    }
                    ("required", Some(Value::Array(required))) => {
                        if let Value::Array(more) = value {
                            for name in more {
                                if !required.contains(name) {
                                    required.push(name.clone());
                                }
                            }
                        }
                    }
                    (_, Some(_)) => {}
                    (_, None) => {
                        merged.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        Some(Value::Object(merged))
    }

    fn instance(&mut self, schema: &Value, depth: usize) -> Option<Value> {
        if depth > GIVE_UP_DEPTH {
            return None;
        }
        self.nodes += 1;
        let schema = self.flatten(schema, depth)?;
        // The top level is never `null`: a nullable schema is held as `Option<T>` where it is
        // used (a field, an item), and its own type `T` holds the non-null values.
        let nullable = depth > 0
            && schema
                .get("nullable")
                .and_then(Value::as_bool)
                .unwrap_or(false);
        if nullable
            && (!self.generous(depth) || (self.shape == Shape::Random && self.rng.one_in(5)))
        {
            return Some(Value::Null);
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            // `enum: [null]` (a "unit" response) has `null` as its only instance, even at the top.
            let only_null = values.iter().all(Value::is_null);
            let values: Vec<&Value> = values
                .iter()
                .filter(|v| nullable || only_null || !v.is_null())
                .collect();
            if values.is_empty() {
                return None;
            }
            let index = match self.shape {
                Shape::Minimal => 0,
                Shape::Full => values.len() - 1,
                Shape::Random => self.rng.below(values.len() as u64) as usize,
            };
            return Some(values[index].clone());
        }
        let alternatives = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Value::as_array);
        if let Some(alternatives) = alternatives.filter(|a| !a.is_empty()) {
            if schema.get("properties").is_some() && alternatives.iter().all(constrains_only) {
                // `anyOf: [{required: [a]}, {required: [b]}, {maxProperties: 0}]` beside
                // properties: each alternative only says which of the object's own properties
                // must (or may) be there.
                let chosen = &alternatives[self.pick(alternatives.len())];
                let own_required = schema.get("required").and_then(Value::as_array);
                if chosen.get("maxProperties").and_then(Value::as_u64) == Some(0)
                    && own_required.is_none_or(Vec::is_empty)
                {
                    return Some(Value::Object(Map::new()));
                }
                return self.object(&with_required_of(&schema, chosen), depth);
            }
            let (chosen, index) = self.alternative(&schema, alternatives, depth)?;
            // `allOf` with a union part, or properties beside `oneOf`: the object's own
            // properties and the alternative's, together. The generator merges the object's
            // fields into each alternative, so the alternative's mark says which are read-only.
            if schema.get("properties").is_none() {
                return Some(chosen);
            }
            let mut mark = marked(&alternatives[index]);
            mark.extend(
                self.resolve(&alternatives[index])
                    .map(marked)
                    .unwrap_or_default(),
            );
            let mut own_schema = schema.clone();
            add_mark(&mut own_schema, mark);
            let Value::Object(mut own) = self.object(&own_schema, depth)? else {
                return None;
            };
            match chosen {
                Value::Object(fields) => {
                    for (key, value) in fields {
                        own.entry(key).or_insert(value);
                    }
                    return Some(Value::Object(own));
                }
                _ => return None,
            }
        }
        let ty = schema.get("type").and_then(Value::as_str);
        match ty {
            Some("object") => self.object(&schema, depth),
            None if schema.get("properties").is_some()
                || schema.get("additionalProperties").is_some() =>
            {
                self.object(&schema, depth)
            }
            Some("array") => self.array(&schema, depth),
            Some("string") => Some(Value::String(self.string(&schema))),
            Some("integer") => self.integer(&schema).map(Value::Number),
            Some("number") => self.number(&schema).map(Value::Number),
            Some("boolean") => Some(Value::Bool(match self.shape {
                Shape::Minimal => false,
                Shape::Full => true,
                Shape::Random => self.rng.one_in(2),
            })),
            // No type: any JSON value.
            _ => Some(self.any()),
        }
    }

    /// Which of `count` alternatives this instance takes: the first for the minimal and full
    /// shapes, a random one otherwise.
    fn pick(&mut self, count: usize) -> usize {
        match self.shape {
            Shape::Minimal | Shape::Full => 0,
            Shape::Random => self.rng.below(count as u64) as usize,
        }
    }

    /// One alternative of a `oneOf`/`anyOf`, with the discriminator set when there is one, and
    /// the index of the alternative taken.
    fn alternative(
        &mut self,
        schema: &Value,
        alternatives: &[Value],
        depth: usize,
    ) -> Option<(Value, usize)> {
        let start = self.pick(alternatives.len());
        // Try the chosen alternative first, then the others (one may recurse without end).
        for offset in 0..alternatives.len() {
            let index = (start + offset) % alternatives.len();
            let chosen = &alternatives[index];
            let Some(mut value) = self.instance(chosen, depth + 1) else {
                continue;
            };
            if let (Some(discriminator), Some(object)) =
                (schema.get("discriminator"), value.as_object_mut())
            {
                if let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) {
                    if let Some(tag) = tag_value(discriminator, chosen) {
                        object.insert(property.to_owned(), Value::String(tag));
                    }
                }
            }
            return Some((value, index));
        }
        None
    }

    fn object(&mut self, schema: &Value, depth: usize) -> Option<Value> {
        let mut object = Map::new();
        let read_only = marked(schema);
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let empty = Map::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for (name, property) in properties {
            let Some(resolved) = self.resolve(property) else {
                continue;
            };
            let left_out = match self.direction {
                Direction::Request => read_only.contains(name),
                Direction::Response => {
                    resolved
                        .get("writeOnly")
                        .and_then(Value::as_bool)
                        .unwrap_or(false)
                        || property
                            .get("writeOnly")
                            .and_then(Value::as_bool)
                            .unwrap_or(false)
                }
            };
            if left_out {
                continue;
            }
            let is_required = required.contains(&name.as_str());
            let wanted = is_required
                || (self.generous(depth)
                    && match self.shape {
                        Shape::Minimal => false,
                        Shape::Full => true,
                        Shape::Random => self.rng.one_in(2),
                    });
            if !wanted {
                continue;
            }
            let value = self.instance(property, depth + 1);
            match value {
                Some(value) => {
                    object.insert(name.clone(), value);
                }
                None if is_required => return None,
                None => {}
            }
        }
        let extra = match schema.get("additionalProperties") {
            Some(Value::Bool(true)) => Some(Value::Object(Map::new())),
            Some(Value::Object(extra)) => Some(Value::Object(extra.clone())),
            _ => None,
        };
        if let Some(extra) = extra {
            let count = match self.shape {
                _ if !self.generous(depth) => 0,
                Shape::Minimal => 0,
                Shape::Full => 2,
                Shape::Random => self.rng.below(3),
            };
            for n in 0..count {
                let key = format!("extra{}_{n}", self.rng.below(1000));
                if properties.contains_key(&key) || object.contains_key(&key) {
                    continue;
                }
                if let Some(value) = self.instance(&extra, depth + 1) {
                    object.insert(key, value);
                }
            }
        }
        Some(Value::Object(object))
    }

    fn array(&mut self, schema: &Value, depth: usize) -> Option<Value> {
        let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        let max = schema
            .get("maxItems")
            .and_then(Value::as_u64)
            .unwrap_or(min.max(3))
            .max(min);
        let count = if !self.generous(depth) {
            min
        } else {
            match self.shape {
                Shape::Minimal => min,
                Shape::Full => max.min(min.max(2)),
                Shape::Random => min + self.rng.below(max.min(min + 3) - min + 1),
            }
        };
        let items = schema
            .get("items")
            .cloned()
            .unwrap_or(Value::Object(Map::new()));
        let unique = schema
            .get("uniqueItems")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut values = Vec::new();
        let mut attempts = 0;
        while (values.len() as u64) < count && attempts < count * 4 + 4 {
            attempts += 1;
            let value = self.instance(&items, depth + 1)?;
            if unique && values.contains(&value) {
                continue;
            }
            values.push(value);
        }
        if (values.len() as u64) < min {
            return None;
        }
        Some(Value::Array(values))
    }

    fn string(&mut self, schema: &Value) -> String {
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        let rng = &mut self.rng;
        match format {
            "date-time" => {
                let (y, mo, d, h, mi, s) = (
                    2000 + rng.below(40),
                    1 + rng.below(12),
                    1 + rng.below(28),
                    rng.below(24),
                    rng.below(60),
                    rng.below(60),
                );
                let fraction = match rng.below(3) {
                    0 => String::new(),
                    1 => format!(".{:03}", rng.below(1000)),
                    _ => format!(".{:06}", rng.below(1_000_000)),
                };
                let offset = match (self.shape, rng.below(3)) {
                    (Shape::Minimal, _) | (_, 0) => "Z".to_owned(),
                    (_, 1) => format!("+{:02}:30", rng.below(12)),
                    _ => format!("-{:02}:00", rng.below(12)),
                };
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{fraction}{offset}")
            }
            "date" => format!(
                "{:04}-{:02}-{:02}",
                2000 + rng.below(40),
                1 + rng.below(12),
                1 + rng.below(28)
            ),
            "uuid" => {
                let (a, b) = (rng.u64(..), rng.u64(..));
                format!(
                    "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
                    a >> 32,
                    (a >> 16) & 0xffff,
                    a & 0xfff,
                    0x8000 | (b >> 48) & 0x3fff,
                    b & 0xffff_ffff_ffff
                )
            }
            "byte" => {
                const ALPHABET: &[u8] =
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                let groups = 1 + rng.below(4);
                (0..groups * 4)
                    .map(|_| ALPHABET[rng.below(64) as usize] as char)
                    .collect()
            }
            "email" => format!("user{}@example.com", rng.below(1000)),
            "uri" | "url" => format!("https://example.com/item/{}", rng.below(1000)),
            _ => {
                let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
                let max = schema
                    .get("maxLength")
                    .and_then(Value::as_u64)
                    .unwrap_or(min.max(12))
                    .max(min);
                let length = match self.shape {
                    Shape::Minimal => min,
                    Shape::Full => max.min(min.max(16)),
                    Shape::Random => min + rng.below(max.min(min + 12) - min + 1),
                };
                const LETTERS: &[u8] =
                    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_";
                (0..length)
                    .map(|_| LETTERS[rng.below(LETTERS.len() as u64) as usize] as char)
                    .collect()
            }
        }
    }

    /// An integer within the format's range and the schema's bounds.
    fn integer(&mut self, schema: &Value) -> Option<Number> {
        let (format_min, format_max): (i128, i128) =
            match schema.get("format").and_then(Value::as_str) {
                Some("int8") => (i8::MIN.into(), i8::MAX.into()),
                Some("int16") => (i16::MIN.into(), i16::MAX.into()),
                Some("int32") => (i32::MIN.into(), i32::MAX.into()),
                Some("uint8") => (0, u8::MAX.into()),
                Some("uint16") => (0, u16::MAX.into()),
                Some("uint32") => (0, u32::MAX.into()),
                Some("uint64" | "uint") => (0, u64::MAX.into()),
                _ => (i64::MIN.into(), i64::MAX.into()),
            };
        let bound = |key: &str, exclusive: &str, step: i128| {
            schema.get(key).and_then(Value::as_f64).map(|b| {
                let excl = schema
                    .get(exclusive)
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let b = if step > 0 {
                    b.ceil() as i128
                } else {
                    b.floor() as i128
                };
                if excl && (b as f64) == schema.get(key).and_then(Value::as_f64).unwrap_or(0.0) {
                    b + step
                } else {
                    b
                }
            })
        };
        let min = bound("minimum", "exclusiveMinimum", 1).map_or(format_min, |b| b.max(format_min));
        let max =
            bound("maximum", "exclusiveMaximum", -1).map_or(format_max, |b| b.min(format_max));
        if min > max {
            return None;
        }
        let multiple = schema
            .get("multipleOf")
            .and_then(Value::as_u64)
            .filter(|m| *m > 1)
            .map(i128::from);
        let value = match self.shape {
            Shape::Minimal => min.max(0).min(max),
            // The largest value the type must hold, unless the spec bounds it.
            Shape::Full => max,
            Shape::Random => {
                let (low, high) = (min.max(-1000), max.min(1000));
                if low > high {
                    min
                } else {
                    low + self.rng.below((high - low + 1) as u64) as i128
                }
            }
        };
        let value = match multiple {
            Some(m) => {
                let rounded = value - value.rem_euclid(m);
                if rounded < min {
                    rounded + m
                } else {
                    rounded
                }
            }
            None => value,
        };
        if value < min || value > max {
            return None;
        }
        if let Ok(v) = i64::try_from(value) {
            Some(Number::from(v))
        } else {
            u64::try_from(value).ok().map(Number::from)
        }
    }

    /// A number with a fraction exact in binary (so `f32` holds it), within the bounds.
    fn number(&mut self, schema: &Value) -> Option<Number> {
        let min = schema
            .get("minimum")
            .and_then(Value::as_f64)
            .unwrap_or(-1.0e6);
        let max = schema
            .get("maximum")
            .and_then(Value::as_f64)
            .unwrap_or(1.0e6);
        if min > max {
            return None;
        }
        let value = match self.shape {
            Shape::Minimal => 0.0_f64.clamp(min, max),
            Shape::Full => 1234.5_f64.clamp(min, max),
            Shape::Random => {
                let quarters = self.rng.below(8000) as f64 / 4.0 - 1000.0;
                quarters.clamp(min, max)
            }
        };
        Number::from_f64(value)
    }

    /// Any JSON value (for schemas without a type).
    fn any(&mut self) -> Value {
        match (self.shape, self.rng.below(4)) {
            (Shape::Minimal, _) => Value::Object(Map::new()),
            (_, 0) => Value::String("any".into()),
            (_, 1) => Value::from(42),
            (_, 2) => serde_json::json!({"key": [1, "two", null, {"three": true}]}),
            _ => Value::Bool(true),
        }
    }
}

/// Whether `alternative` only constrains the object it sits in (which of its properties are
/// required, how many there are) and brings no type, property or reference of its own.
fn constrains_only(alternative: &Value) -> bool {
    alternative.as_object().is_some_and(|keywords| {
        keywords
            .iter()
            .all(|(keyword, value)| match keyword.as_str() {
                "required" | "minProperties" | "maxProperties" | "description" | "title" => true,
                "type" => value == "object",
                _ => false,
            })
    })
}

/// `schema` without its `oneOf`/`anyOf`, with the `required` of `alternative` added.
fn with_required_of(schema: &Value, alternative: &Value) -> Value {
    let mut merged = schema.clone();
    let Some(object) = merged.as_object_mut() else {
        return merged;
    };
    object.remove("oneOf");
    object.remove("anyOf");
    let mut required: Vec<Value> = object
        .get("required")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for name in alternative
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if !required.contains(name) {
            required.push(name.clone());
        }
    }
    object.insert("required".into(), Value::Array(required));
    merged
}

/// `schema[key]` as a flag (absent is `false`).
fn flag(schema: &Value, key: &str) -> bool {
    schema.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// The keywords [`intersect_scalars`] merges; the merge in `flatten` leaves them alone.
const SCALAR_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "enum",
    "minimum",
    "exclusiveMinimum",
    "maximum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "multipleOf",
];

/// Merges the scalar keywords of an `allOf` part into `merged` so that an instance of the
/// result satisfies both: `integer` ∧ `number` is `integer` (with the integer part's
/// `format`), lower bounds take the larger, upper bounds the smaller (with the exclusive flag
/// of the bound kept), enums intersect, integer `multipleOf`s combine to their least common
/// multiple. Keywords only one side has are taken as they are.
fn intersect_scalars(merged: &mut Map<String, Value>, part: &Map<String, Value>) {
    let text = |map: &Map<String, Value>, key: &str| {
        map.get(key).and_then(Value::as_str).map(str::to_owned)
    };
    match (
        text(merged, "type").as_deref(),
        text(part, "type").as_deref(),
    ) {
        (Some("number"), Some("integer")) => {
            merged.insert("type".into(), "integer".into());
            match part.get("format") {
                Some(format) => merged.insert("format".into(), format.clone()),
                None => merged.remove("format"),
            };
        }
        (None, Some(_)) => {
            merged.insert("type".into(), part["type"].clone());
            if let Some(format) = part.get("format") {
                merged.insert("format".into(), format.clone());
            }
        }
        _ => {
            if let (None, Some(format)) = (merged.get("format"), part.get("format")) {
                merged.insert("format".into(), format.clone());
            }
        }
    }
    for (bound, exclusive, larger) in [
        ("minimum", Some("exclusiveMinimum"), true),
        ("maximum", Some("exclusiveMaximum"), false),
        ("minLength", None, true),
        ("maxLength", None, false),
        ("minItems", None, true),
        ("maxItems", None, false),
        ("minProperties", None, true),
        ("maxProperties", None, false),
    ] {
        let Some(theirs) = part.get(bound).and_then(Value::as_f64) else {
            continue;
        };
        let replace = match merged.get(bound).and_then(Value::as_f64) {
            None => true,
            Some(ours) if ours == theirs => {
                // The same bound: exclusive when either says so.
                if let Some(exclusive) = exclusive.filter(|e| flag(&Value::Object(part.clone()), e))
                {
                    merged.insert(exclusive.into(), true.into());
                }
                false
            }
            Some(ours) => (theirs > ours) == larger,
        };
        if replace {
            merged.insert(bound.into(), part[bound].clone());
            if let Some(exclusive) = exclusive {
                match part.get(exclusive) {
                    Some(flag) => merged.insert(exclusive.into(), flag.clone()),
                    None => merged.remove(exclusive),
                };
            }
        }
    }
    match (
        merged.get("enum").and_then(Value::as_array),
        part.get("enum").and_then(Value::as_array),
    ) {
        (Some(ours), Some(theirs)) => {
            let common: Vec<Value> = ours
                .iter()
                .filter(|v| theirs.contains(v))
                .cloned()
                .collect();
            merged.insert("enum".into(), Value::Array(common));
        }
        (None, Some(theirs)) => {
            merged.insert("enum".into(), Value::Array(theirs.clone()));
        }
        _ => {}
    }
    match (merged.get("multipleOf"), part.get("multipleOf")) {
        (Some(ours), Some(theirs)) => {
            if let (Some(a), Some(b)) = (ours.as_u64(), theirs.as_u64()) {
                if a > 0 && b > 0 {
                    merged.insert("multipleOf".into(), (a / gcd(a, b) * b).into());
                }
            }
        }
        (None, Some(theirs)) => {
            merged.insert("multipleOf".into(), theirs.clone());
        }
        _ => {}
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// A schema that is `a` and `b` at once.
fn both(a: &Value, b: &Value) -> Value {
    serde_json::json!({"allOf": [a, b]})
}

/// The discriminator value that selects `alternative`: its key in `mapping`, else the
/// referenced schema's name.
fn tag_value(discriminator: &Value, alternative: &Value) -> Option<String> {
    let reference = alternative.get("$ref").and_then(Value::as_str)?;
    if let Some(mapping) = discriminator.get("mapping").and_then(Value::as_object) {
        if let Some((key, _)) = mapping
            .iter()
            .find(|(_, target)| target.as_str() == Some(reference))
        {
            return Some(key.clone());
        }
    }
    reference.rsplit('/').next().map(crate::unescape_segment)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `document` (its components) as a whole description, with the generator's read-only
    /// decisions marked as a conformance run marks them.
    fn as_generated(document: Value) -> Value {
        let mut whole =
            json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}});
        whole["components"] = document["components"].clone();
        let rendered = desk_codegen::Config::new()
            .parts(desk_codegen::Parts::TYPES)
            .render_str("test.json", &whole.to_string())
            .expect("the test document generates");
        mark_read_only(whole, &rendered.types.read_only)
    }

    fn document() -> Value {
        as_generated(json!({
            "components": {"schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["id", "kind", "name"],
                    "properties": {
                        "id": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 50, "readOnly": true},
                        "kind": {"type": "string", "enum": ["cat", "dog"]},
                        "name": {"type": "string", "minLength": 2, "maxLength": 5},
                        "secret": {"type": "string", "writeOnly": true},
                        "born": {"type": "string", "format": "date-time"},
                        "day": {"type": "string", "format": "date"},
                        "uid": {"type": "string", "format": "uuid"},
                        "photo": {"type": "string", "format": "byte"},
                        "weight": {"type": "number", "minimum": 0.5, "maximum": 80},
                        "tags": {"type": "array", "minItems": 1, "maxItems": 2, "uniqueItems": true, "items": {"type": "string"}},
                        "owner": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Owner"}], "description": "annotated ref"},
                        "labels": {"type": "object", "additionalProperties": {"type": "integer", "format": "uint8"}}
                    }
                },
                "Owner": {"type": "object", "required": ["email"], "properties": {"email": {"type": "string", "format": "email"}}},
                "Tree": {
                    "type": "object",
                    "required": ["value"],
                    "properties": {
                        "value": {"type": "integer"},
                        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
                        "parent": {"$ref": "#/components/schemas/Tree"}
                    }
                },
                "Endless": {"type": "object", "required": ["next"], "properties": {"next": {"$ref": "#/components/schemas/Endless"}}},
                "Shape": {
                    "oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}],
                    "discriminator": {"propertyName": "kind", "mapping": {"round": "#/components/schemas/Circle"}}
                },
                "Circle": {"type": "object", "required": ["kind", "r"], "properties": {"kind": {"type": "string"}, "r": {"type": "integer", "multipleOf": 5, "minimum": 1, "maximum": 12}}},
                "Square": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}, "side": {"type": "number"}}}
            }}
        }))
    }

    fn instances(pointer: &str, direction: Direction, seed: u64) -> Vec<Value> {
        let document = document();
        [
            Shape::Minimal,
            Shape::Full,
            Shape::Random,
            Shape::Random,
            Shape::Random,
            Shape::Random,
        ]
        .iter()
        .enumerate()
        .filter_map(|(n, shape)| {
            Generator::new(
                &document,
                direction,
                *shape,
                seed_of(pointer, seed + n as u64),
            )
            .instance_at(pointer)
        })
        .collect()
    }

    #[test]
    fn same_seed_same_instances_and_another_seed_others() {
        let first = instances("/components/schemas/Pet", Direction::Response, 7);
        assert_eq!(
            first,
            instances("/components/schemas/Pet", Direction::Response, 7)
        );
        assert_ne!(
            first,
            instances("/components/schemas/Pet", Direction::Response, 8)
        );
        assert_eq!(first.len(), 6);
    }

    #[test]
    fn instances_of_a_small_schema_are_valid() {
        for seed in 0..20 {
            for pet in instances("/components/schemas/Pet", Direction::Response, seed) {
                let pet = pet.as_object().expect("an object");
                let id = pet["id"].as_i64().expect("id is required");
                assert!((1..=50).contains(&id), "{id}");
                assert!(["cat", "dog"].contains(&pet["kind"].as_str().unwrap()));
                let name = pet["name"].as_str().unwrap();
                assert!((2..=5).contains(&name.len()), "{name:?}");
                assert!(
                    !pet.contains_key("secret"),
                    "writeOnly is left out of responses"
                );
                if let Some(born) = pet.get("born") {
                    chrono::DateTime::parse_from_rfc3339(born.as_str().unwrap())
                        .expect("an RFC 3339 date-time");
                }
                if let Some(day) = pet.get("day") {
                    chrono::NaiveDate::parse_from_str(day.as_str().unwrap(), "%Y-%m-%d")
                        .expect("a date");
                }
                if let Some(uid) = pet.get("uid") {
                    let uid = uid.as_str().unwrap();
                    assert_eq!(uid.len(), 36);
                    assert_eq!(uid.matches('-').count(), 4);
                }
                if let Some(photo) = pet.get("photo") {
                    assert_eq!(
                        photo.as_str().unwrap().len() % 4,
                        0,
                        "base64 comes in groups of four"
                    );
                }
                if let Some(weight) = pet.get("weight") {
                    let weight = weight.as_f64().unwrap();
                    assert!((0.5..=80.0).contains(&weight), "{weight}");
                    assert_eq!(weight as f32 as f64, weight, "f32 holds it exactly");
                }
                if let Some(tags) = pet.get("tags") {
                    let tags = tags.as_array().unwrap();
                    assert!((1..=2).contains(&tags.len()));
                    assert!(tags.len() < 2 || tags[0] != tags[1], "uniqueItems");
                }
                match pet.get("owner") {
                    Some(Value::Null) | None => {}
                    Some(owner) => assert!(
                        owner["email"].as_str().unwrap().contains('@'),
                        "the allOf'd ref is the owner: {owner}"
                    ),
                }
                for value in pet
                    .get("labels")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flat_map(|m| m.values())
                {
                    assert!(value.as_u64().unwrap() <= 255);
                }
            }
        }
    }

    #[test]
    fn shapes_differ_minimal_has_only_required_full_has_everything() {
        let document = document();
        let minimal = Generator::new(&document, Direction::Response, Shape::Minimal, 1)
            .instance_at("/components/schemas/Pet")
            .unwrap();
        let keys: Vec<&str> = minimal
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["id", "kind", "name"]);
        let full = Generator::new(&document, Direction::Request, Shape::Full, 1)
            .instance_at("/components/schemas/Pet")
            .unwrap();
        let full = full.as_object().unwrap();
        assert!(!full.contains_key("id"), "readOnly is left out of requests");
        for key in [
            "kind", "name", "secret", "born", "day", "uid", "photo", "weight", "tags", "owner",
            "labels",
        ] {
            assert!(full.contains_key(key), "{key} in {full:?}");
        }
        assert_eq!(
            full["labels"].as_object().unwrap().len(),
            2,
            "extra entries where additionalProperties allows them"
        );
    }

    #[test]
    fn recursion_is_bounded_and_endless_recursion_has_no_instance() {
        let document = document();
        for seed in 0..10 {
            for shape in [Shape::Full, Shape::Random] {
                let tree = Generator::new(&document, Direction::Response, shape, seed)
                    .instance_at("/components/schemas/Tree")
                    .unwrap();
                assert!(
                    depth(&tree) <= 2 * MAX_DEPTH + 2,
                    "depth {} for seed {seed}",
                    depth(&tree)
                );
            }
        }
        assert_eq!(
            Generator::new(&document, Direction::Response, Shape::Full, 1)
                .instance_at("/components/schemas/Endless"),
            None
        );
    }

    #[test]
    fn unions_pick_an_alternative_and_set_its_discriminator() {
        let mut seen = Vec::new();
        for seed in 0..30 {
            for shape in instances("/components/schemas/Shape", Direction::Response, seed) {
                let kind = shape["kind"].as_str().unwrap().to_owned();
                match kind.as_str() {
                    "round" => {
                        let r = shape["r"].as_i64().unwrap();
                        assert!(r == 5 || r == 10, "multipleOf 5 within 1..=12: {r}");
                    }
                    "Square" => assert!(shape.get("r").is_none()),
                    other => panic!("unexpected tag {other}"),
                }
                if !seen.contains(&kind) {
                    seen.push(kind);
                }
            }
        }
        assert_eq!(seen.len(), 2, "both alternatives are generated");
    }

    #[test]
    fn a_property_refined_by_a_later_all_of_part_satisfies_both() {
        // The Train Travel pattern: a generic wrapper whose `data` items a later part narrows.
        let document = json!({"components": {"schemas": {
            "Wrapper": {"type": "object", "properties": {"data": {"type": "array", "items": {"type": "object"}}}},
            "Station": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "format": "uuid"}}},
            "Stations": {"allOf": [
                {"$ref": "#/components/schemas/Wrapper"},
                {"properties": {"data": {"items": {"$ref": "#/components/schemas/Station"}}}}
            ]}
        }}});
        for seed in 0..10 {
            let value = Generator::new(&document, Direction::Response, Shape::Full, seed)
                .instance_at("/components/schemas/Stations")
                .unwrap();
            let items = value["data"].as_array().expect("data is an array");
            assert!(!items.is_empty());
            assert!(
                items
                    .iter()
                    .all(|item| item["id"].as_str().is_some_and(|id| id.len() == 36)),
                "{value}"
            );
        }
    }

    /// Every instance of `pointer` in `document` for a few seeds and all shapes.
    fn all_instances(document: &Value, pointer: &str, direction: Direction) -> Vec<Value> {
        let mut all = Vec::new();
        for seed in 0..10 {
            for shape in [Shape::Minimal, Shape::Full, Shape::Random] {
                if let Some(value) =
                    Generator::new(document, direction, shape, seed).instance_at(pointer)
                {
                    all.push(value);
                }
            }
        }
        assert!(!all.is_empty());
        all
    }

    fn read_only_document() -> Value {
        as_generated(json!({"components": {"schemas": {
            "Reference": {"type": "object", "readOnly": true, "properties": {"id": {"type": "integer"}}},
            "Plain": {"type": "object", "properties": {"id": {"type": "integer"}}},
            "Alias": {"$ref": "#/components/schemas/Reference"},
            "Body": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "one": {"$ref": "#/components/schemas/Reference"},
                    "users": {"type": "array", "items": {"$ref": "#/components/schemas/Reference"}},
                    "grid": {"type": "array", "items": {"type": "array", "items": {"$ref": "#/components/schemas/Reference"}}},
                    "byName": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Reference"}},
                    "annotated": {"allOf": [{"$ref": "#/components/schemas/Plain"}, {"readOnly": true, "description": "Set by the server."}]},
                    "wrapped": {"allOf": [{"$ref": "#/components/schemas/Reference"}], "description": "a reference with a description"},
                    "wrappedList": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/Reference"}], "description": "an item"}},
                    "plain": {"$ref": "#/components/schemas/Plain"},
                    "plainList": {"type": "array", "items": {"$ref": "#/components/schemas/Plain"}},
                    "twoParts": {"allOf": [{"$ref": "#/components/schemas/Plain"}, {"type": "object", "readOnly": true, "properties": {"more": {"type": "string"}}}]},
                    "inlineItems": {"type": "array", "items": {"type": "object", "readOnly": true, "properties": {"x": {"type": "string"}}}},
                    "chained": {"$ref": "#/components/schemas/Alias"},
                    "mixed": {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"$ref": "#/components/schemas/Reference"}}
                }
            }
        }}}))
    }

    #[test]
    fn request_bodies_leave_out_what_the_generator_reads_as_read_only() {
        let document = read_only_document();
        let read_only = [
            "one",
            "users",
            "grid",
            "byName",
            "annotated",
            "wrapped",
            "wrappedList",
        ];
        // Kept, as the generator keeps them in request forms: a component that is not
        // read-only, an allOf of two schema-bearing parts, inline items (their type is a new
        // struct, not the component), a `$ref` chain, an object with properties beside its map.
        let writable = [
            "name",
            "plain",
            "plainList",
            "twoParts",
            "inlineItems",
            "chained",
            "mixed",
        ];
        let requests = all_instances(&document, "/components/schemas/Body", Direction::Request);
        for body in &requests {
            for key in read_only {
                assert!(body.get(key).is_none(), "{key} is read-only: {body}");
            }
        }
        let full = Generator::new(&document, Direction::Request, Shape::Full, 1)
            .instance_at("/components/schemas/Body")
            .unwrap();
        for key in writable {
            assert!(full.get(key).is_some(), "{key} is sent: {full}");
        }
        // Responses carry them all.
        let response = Generator::new(&document, Direction::Response, Shape::Full, 1)
            .instance_at("/components/schemas/Body")
            .unwrap();
        for key in read_only.iter().chain(&writable) {
            assert!(
                response.get(*key).is_some(),
                "{key} is received: {response}"
            );
        }
    }

    #[test]
    fn required_only_alternatives_constrain_the_object_s_own_properties() {
        // GitHub's requested_reviewers body: `anyOf: [{required: [reviewers]}, {required: [team_reviewers]}]`.
        let document = json!({"components": {"schemas": {
            "Reviewers": {
                "type": "object",
                "properties": {
                    "reviewers": {"type": "array", "items": {"type": "string"}},
                    "team_reviewers": {"type": "array", "items": {"type": "string"}}
                },
                "anyOf": [{"required": ["reviewers"]}, {"required": ["team_reviewers"]}]
            },
            // GitHub's gist update: a file entry may also be empty.
            "File": {
                "type": "object",
                "properties": {"content": {"type": "string"}, "filename": {"type": "string"}},
                "anyOf": [{"required": ["content"]}, {"required": ["filename"]}, {"type": "object", "maxProperties": 0}]
            }
        }}});
        let instances = all_instances(
            &document,
            "/components/schemas/Reviewers",
            Direction::Request,
        );
        assert!(!instances.is_empty());
        for value in instances {
            let object = value
                .as_object()
                .unwrap_or_else(|| panic!("{value} is an object"));
            assert!(
                object
                    .keys()
                    .all(|key| key == "reviewers" || key == "team_reviewers"),
                "only the object's own properties: {value}"
            );
            assert!(
                object.contains_key("reviewers") || object.contains_key("team_reviewers"),
                "one alternative's required property is there: {value}"
            );
        }
    }

    #[test]
    fn all_of_integer_and_number_is_an_integer() {
        let document = json!({"components": {"schemas": {
            "Amount": {"type": "number", "format": "double", "minimum": -5000.5},
            "Whole": {"allOf": [{"$ref": "#/components/schemas/Amount"}, {"type": "integer", "format": "int32"}]},
            "Flipped": {"allOf": [{"type": "integer"}, {"$ref": "#/components/schemas/Amount"}]}
        }}});
        for pointer in ["/components/schemas/Whole", "/components/schemas/Flipped"] {
            for value in all_instances(&document, pointer, Direction::Response) {
                let whole = value
                    .as_i64()
                    .unwrap_or_else(|| panic!("{pointer}: {value} is an integer"));
                assert!(
                    whole >= -5000,
                    "{pointer}: the number part's minimum holds: {whole}"
                );
                if pointer.ends_with("Whole") {
                    assert!(i32::try_from(whole).is_ok(), "int32: {whole}");
                }
            }
        }
    }

    #[test]
    fn all_of_bounds_intersect_and_enums_intersect() {
        let document = json!({"components": {"schemas": {
            "Code": {"type": "string", "minLength": 2, "maxLength": 8},
            "Narrow": {"allOf": [{"$ref": "#/components/schemas/Code"}, {"type": "string", "minLength": 4, "maxLength": 20}]},
            "Count": {"allOf": [
                {"type": "integer", "minimum": 0, "maximum": 100, "multipleOf": 2},
                {"type": "integer", "minimum": 10, "maximum": 50, "exclusiveMaximum": true, "multipleOf": 3}
            ]},
            "Level": {"type": "string", "enum": ["low", "mid", "high"]},
            "Upper": {"allOf": [{"$ref": "#/components/schemas/Level"}, {"enum": ["mid", "high", "max"]}]},
            "List": {"allOf": [{"type": "array", "items": {"type": "string"}, "maxItems": 5}, {"minItems": 3, "maxItems": 9}]}
        }}});
        for value in all_instances(&document, "/components/schemas/Narrow", Direction::Response) {
            let length = value.as_str().unwrap().len();
            assert!((4..=8).contains(&length), "{value}");
        }
        for value in all_instances(&document, "/components/schemas/Count", Direction::Response) {
            let count = value.as_i64().unwrap();
            assert!((10..50).contains(&count) && count % 6 == 0, "{count}");
        }
        let mut levels = Vec::new();
        for value in all_instances(&document, "/components/schemas/Upper", Direction::Response) {
            let level = value.as_str().unwrap().to_owned();
            assert!(level == "mid" || level == "high", "{level}");
            if !levels.contains(&level) {
                levels.push(level);
            }
        }
        assert_eq!(levels.len(), 2, "both common values are generated");
        for value in all_instances(&document, "/components/schemas/List", Direction::Response) {
            let length = value.as_array().unwrap().len();
            assert!((3..=5).contains(&length), "{value}");
        }
    }

    fn depth(value: &Value) -> usize {
        match value {
            Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
            Value::Object(members) => 1 + members.values().map(depth).max().unwrap_or(0),
            _ => 0,
        }
    }
}
