//! OpenAPI 3.1 → 3.0: rewrites a (bundled) 3.1 document into the 3.0 form openapiv3 models.
//!
//! - `type: [T, "null"]` → `type: T, nullable: true` (and `type: "null"` alone → `nullable`);
//! - `type: [A, B, ...]` (several non-null types) → `oneOf` with one schema per type, each
//!   taking the keywords that apply to its type (an untagged enum downstream);
//! - `oneOf`/`anyOf` with a `{type: "null"}` alternative → the other alternatives, `nullable: true`;
//! - `const: v` → `enum: [v]`;
//! - a string with `contentMediaType` and no `contentEncoding` (raw bytes) → `format: binary`;
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` with the 3.0 flag;
//! - `$ref` with sibling keywords → `allOf: [{$ref}]` plus the siblings (3.0 ignores siblings;
//!   3.1 applies both);
//! - the schema keyword `examples` (an array in 3.1) → dropped;
//! - `$defs` stay where they are: references into them are hoisted by bundling;
//! - a missing `paths` → empty paths.
//!
//! Rewrites that move a node record it in [`Origins`], so diagnostics still point into the
//! text the user wrote.

use serde_json::{Map, Value};

use super::bundle::Origins;
use crate::locate;

/// A failure of the 3.1 → 3.0 mapping: pointer (in the bundled document), message, help.
pub(super) type Unmappable = (String, String, String);

pub(super) fn downgrade(value: &mut Value, origins: &mut Origins) -> Result<(), Unmappable> {
    let Some(root) = value.as_object_mut() else {
        return Ok(());
    };
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    root.entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(schemas) = root
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
        .and_then(|s| s.as_object_mut())
    {
        for (name, schema) in schemas.iter_mut() {
            downgrade_schema(
                schema,
                &format!("/components/schemas/{}", locate::escape(name)),
                origins,
            )?;
        }
    }
    for (key, node) in root.iter_mut() {
        if key != "components" {
            find_schemas(node, &format!("/{}", locate::escape(key)), origins)?;
        }
    }
    if let Some(components) = root.get_mut("components").and_then(|c| c.as_object_mut()) {
        for (key, node) in components.iter_mut() {
            if key != "schemas" {
                find_schemas(
                    node,
                    &format!("/components/{}", locate::escape(key)),
                    origins,
                )?;
            }
        }
    }
    Ok(())
}

/// Finds the `schema` of parameters, media types and headers anywhere below `node`.
fn find_schemas(node: &mut Value, pointer: &str, origins: &mut Origins) -> Result<(), Unmappable> {
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let child_pointer = format!("{pointer}/{}", locate::escape(key));
                match key.as_str() {
                    "schema" => downgrade_schema(child, &child_pointer, origins)?,
                    "example" | "examples" | "default" => {}
                    _ => find_schemas(child, &child_pointer, origins)?,
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                find_schemas(child, &format!("{pointer}/{index}"), origins)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// `{type: "null"}` (or `type: ["null"]`), whatever annotations sit beside it.
fn is_null_schema(value: &Value) -> bool {
    match value.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => {
            !types.is_empty() && types.iter().all(|t| t.as_str() == Some("null"))
        }
        _ => false,
    }
}

/// The keywords that constrain values of one JSON type (they move into that type's
/// alternative when a type array is split).
fn keywords_of(json_type: &str) -> &'static [&'static str] {
    match json_type {
        "string" => &[
            "minLength",
            "maxLength",
            "pattern",
            "contentEncoding",
            "contentMediaType",
        ],
        "integer" | "number" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "array" => &[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
            "contains",
            "minContains",
            "maxContains",
        ],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "patternProperties",
            "propertyNames",
            "minProperties",
            "maxProperties",
            "discriminator",
        ],
        _ => &[],
    }
}

/// Whether `format` belongs to values of `json_type`.
fn format_fits(format: &str, json_type: &str) -> bool {
    match format {
        "int32" | "int64" => json_type == "integer",
        "float" | "double" => json_type == "number",
        _ => json_type == "string",
    }
}

fn value_fits(value: &Value, json_type: &str) -> bool {
    match json_type {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// Splits a schema of several types into `oneOf: [{type: A, ...}, {type: B, ...}]`.
fn split_types(
    schema: &mut Map<String, Value>,
    types: &[Value],
    pointer: &str,
    origins: &mut Origins,
) -> Result<(), Unmappable> {
    if schema.contains_key("oneOf") {
        let listed: Vec<String> = types.iter().map(ToString::to_string).collect();
        return Err((
            format!("{pointer}/type"),
            format!(
                "a schema with several types ({}) and a `oneOf` has no OpenAPI 3.0 form",
                listed.join(", ")
            ),
            "move the types into the `oneOf` alternatives".into(),
        ));
    }
    let mut alternatives = Vec::with_capacity(types.len());
    for json_type in types {
        let Some(name) = json_type.as_str() else {
            return Err((
                format!("{pointer}/type"),
                format!("`{json_type}` is not a type name"),
                "list type names such as \"string\"".into(),
            ));
        };
        let mut alternative = Map::new();
        alternative.insert("type".into(), json_type.clone());
        for keyword in keywords_of(name) {
            if let Some(value) = schema.get(*keyword) {
                alternative.insert((*keyword).into(), value.clone());
            }
        }
        if let Some(Value::String(format)) = schema.get("format") {
            if format_fits(format, name) {
                alternative.insert("format".into(), Value::String(format.clone()));
            }
        }
        if let Some(Value::Array(values)) = schema.get("enum") {
            let fitting: Vec<Value> = values
                .iter()
                .filter(|v| value_fits(v, name))
                .cloned()
                .collect();
            if fitting.is_empty() {
                continue;
            }
            alternative.insert("enum".into(), Value::Array(fitting));
        }
        alternatives.push(Value::Object(alternative));
    }
    for json_type in types.iter().filter_map(Value::as_str) {
        for keyword in keywords_of(json_type) {
            schema.remove(*keyword);
        }
    }
    schema.remove("format");
    schema.remove("enum");
    schema.remove("type");
    for index in 0..alternatives.len() {
        origins.moved(format!("{pointer}/oneOf/{index}"), pointer.to_owned());
    }
    schema.insert("oneOf".into(), Value::Array(alternatives));
    Ok(())
}

fn downgrade_schema(
    node: &mut Value,
    pointer: &str,
    origins: &mut Origins,
) -> Result<(), Unmappable> {
    let Some(schema) = node.as_object_mut() else {
        return Ok(());
    };
    schema.remove("examples");
    if schema.len() > 1 && schema.contains_key("$ref") {
        if let Some(reference) = schema.remove("$ref") {
            let all_of = schema
                .entry("allOf")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(all_of) = all_of {
                origins.moved(
                    format!("{pointer}/allOf/{}", all_of.len()),
                    pointer.to_owned(),
                );
                all_of.push(Value::Object(Map::from_iter([(
                    "$ref".to_owned(),
                    reference,
                )])));
            }
        }
    }
    let mut nullable = false;
    match schema.get("type") {
        Some(Value::Array(types)) => {
            let non_null: Vec<Value> = types
                .iter()
                .filter(|t| t.as_str() != Some("null"))
                .cloned()
                .collect();
            nullable = non_null.len() < types.len();
            match non_null.as_slice() {
                [] => {
                    schema.remove("type");
                }
                [one] => {
                    schema.insert("type".into(), one.clone());
                }
                several => split_types(schema, several, pointer, origins)?,
            }
        }
        Some(Value::String(t)) if t == "null" => {
            schema.remove("type");
            nullable = true;
        }
        _ => {}
    }
    if let Some(constant) = schema.remove("const") {
        schema
            .entry("enum")
            .or_insert_with(|| Value::Array(vec![constant]));
    }
    // Raw bytes: a string with `contentMediaType` and no `contentEncoding` is 3.0's
    // `format: binary` (a file part of a multipart body, a binary body).
    if schema.get("type").and_then(Value::as_str) == Some("string")
        && schema.contains_key("contentMediaType")
        && !schema.contains_key("contentEncoding")
        && !schema.contains_key("format")
    {
        schema.insert("format".into(), Value::String("binary".into()));
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(limit)) = schema.get(exclusive).cloned() {
            schema.insert(bound.into(), Value::Number(limit));
            schema.insert(exclusive.into(), Value::Bool(true));
        }
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(alternatives)) = schema.get_mut(keyword) {
            let before = alternatives.len();
            alternatives.retain(|alt| !is_null_schema(alt));
            if alternatives.len() < before {
                nullable = true;
            }
        }
    }
    if nullable {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    for (key, child) in schema.iter_mut() {
        let child_pointer = format!("{pointer}/{}", locate::escape(key));
        match (key.as_str(), child) {
            ("properties" | "patternProperties" | "$defs" | "definitions", Value::Object(map)) => {
                for (name, sub) in map.iter_mut() {
                    downgrade_schema(
                        sub,
                        &format!("{child_pointer}/{}", locate::escape(name)),
                        origins,
                    )?;
                }
            }
            ("items" | "additionalProperties" | "not" | "contains", sub @ Value::Object(_)) => {
                downgrade_schema(sub, &child_pointer, origins)?;
            }
            ("allOf" | "oneOf" | "anyOf" | "prefixItems", Value::Array(subs)) => {
                for (index, sub) in subs.iter_mut().enumerate() {
                    downgrade_schema(sub, &format!("{child_pointer}/{index}"), origins)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}
