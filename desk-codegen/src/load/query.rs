//! Path keys with a query part (`/search?kind=user&q={q}`).
//!
//! OpenAPI path keys are paths only, but some descriptions put a query in them to tell
//! operations apart. Such a key becomes its path (`/search`), and each part of its query a
//! query parameter of each of its operations:
//!
//! - `name={name}` (a template): the parameter named `name` (declared with `in: query`, or
//!   wrongly with `in: path`, which is corrected) is required; one is added if none is declared;
//! - `name=value` (fixed): a required parameter whose schema allows only `value` (a one-value
//!   enum), so the call still sends it;
//! - `name` alone: dropped.
//!
//! When the path is also a key of its own (or of another key with a query), the operations
//! are merged into one path item; an operation whose method is already taken is dropped. Each
//! such key gets a warning at its place.

use serde_json::{Map, Value};

use super::bundle::Origins;
use super::Note;
use crate::error::DiagnosticKind;
use crate::locate::escape;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub(super) fn split_query_keys(document: &mut Value, origins: &mut Origins, notes: &mut Vec<Note>) {
    let Some(Value::Object(paths)) = document.get_mut("paths") else {
        return;
    };
    if !paths.keys().any(|key| key.contains('?')) {
        return;
    }
    // Keys without a query first, so a path's own item (with its path-level parameters) is
    // the one the others merge into.
    let old = std::mem::take(paths);
    let mut with_query = Vec::new();
    for (key, item) in old {
        if key.contains('?') {
            with_query.push((key, item));
        } else {
            paths.insert(key, item);
        }
    }
    for (key, item) in with_query {
        let Some((path, query)) = key.split_once('?') else {
            continue;
        };
        let old_pointer = format!("/paths/{}", escape(&key));
        let item = with_query_parameters(item, query, &old_pointer);
        let names: Vec<String> = query
            .split('&')
            .filter(|p| p.contains('='))
            .map(|p| format!("`{}`", p.split('=').next().unwrap_or(p)))
            .collect();
        notes.push(Note {
            kind: DiagnosticKind::Fallback,
            pointer: old_pointer.clone(),
            message: format!(
                "the path key `{key}` has a query part: its operations use the path `{path}` with the required query parameters {}",
                if names.is_empty() { "(none)".to_owned() } else { names.join(", ") }
            ),
            help: "write the path without `?...` and declare the query parameters (`in: query`) on the operations".into(),
        });
        match paths.get_mut(path) {
            Some(existing) => merge(existing, item, path, &key, origins, notes),
            None => {
                origins.moved(format!("/paths/{}", escape(path)), old_pointer);
                paths.insert(path.to_owned(), item);
            }
        }
    }
}

/// Moves the operations of `item` (from key `from`) into `existing` (at key `path`).
fn merge(
    existing: &mut Value,
    item: Value,
    path: &str,
    from: &str,
    origins: &mut Origins,
    notes: &mut Vec<Note>,
) {
    let (Some(existing), Value::Object(item)) = (existing.as_object_mut(), item) else {
        return;
    };
    // The existing item's path-level parameters are its own operations', not the newcomers'.
    if let Some(Value::Array(shared)) = existing.shift_remove("parameters") {
        for (key, operation) in existing.iter_mut() {
            if METHODS.contains(&key.as_str()) {
                add_parameters(operation, &shared);
            }
        }
    }
    for (key, operation) in item {
        if !METHODS.contains(&key.as_str()) {
            continue;
        }
        let old_pointer = format!("/paths/{}/{key}", escape(from));
        if existing.contains_key(&key) {
            notes.push(Note {
                kind: DiagnosticKind::Fallback,
                pointer: old_pointer,
                message: format!("`{key} {path}` is already defined by another path key; this operation is left out"),
                help: "give the operations different paths".into(),
            });
            continue;
        }
        origins.moved(format!("/paths/{}/{key}", escape(path)), old_pointer);
        existing.insert(key, operation);
    }
}

/// The path item with its path-level parameters and the query's parameters moved into each
/// operation (so the item can merge with another one of the same path).
fn with_query_parameters(item: Value, query: &str, pointer: &str) -> Value {
    let Value::Object(mut item) = item else {
        return item;
    };
    let shared = match item.shift_remove("parameters") {
        Some(Value::Array(shared)) => shared,
        _ => Vec::new(),
    };
    for (key, operation) in item.iter_mut() {
        if !METHODS.contains(&key.as_str()) {
            continue;
        }
        add_parameters(operation, &shared);
        let Some(Value::Array(parameters)) = operation.get_mut("parameters") else {
            continue;
        };
        for part in query.split('&') {
            let Some((name, value)) = part.split_once('=') else {
                continue;
            };
            if value.starts_with('{') && value.ends_with('}') {
                let existing = parameters.iter_mut().find(|p| {
                    p.get("name").and_then(Value::as_str) == Some(name)
                        && matches!(p.get("in").and_then(Value::as_str), Some("query" | "path"))
                });
                match existing {
                    Some(Value::Object(parameter)) => {
                        parameter.insert("in".into(), Value::String("query".into()));
                        parameter.insert("required".into(), Value::Bool(true));
                    }
                    _ => parameters.push(query_parameter(
                        name,
                        Map::from_iter([("type".into(), "string".into())]),
                        pointer,
                    )),
                }
            } else {
                let schema = Map::from_iter([
                    ("type".into(), Value::String("string".into())),
                    (
                        "enum".into(),
                        Value::Array(vec![Value::String(value.to_owned())]),
                    ),
                ]);
                parameters.push(query_parameter(name, schema, pointer));
            }
        }
    }
    Value::Object(item)
}

fn query_parameter(name: &str, schema: Map<String, Value>, pointer: &str) -> Value {
    Value::Object(Map::from_iter([
        ("name".into(), Value::String(name.to_owned())),
        ("in".into(), Value::String("query".into())),
        ("required".into(), Value::Bool(true)),
        (
            "description".into(),
            Value::String(format!(
                "From the query part of the path key at `{pointer}`."
            )),
        ),
        ("schema".into(), Value::Object(schema)),
    ]))
}

/// Appends path-level `parameters` to an operation's, except those it overrides (same name
/// and location).
fn add_parameters(operation: &mut Value, shared: &[Value]) {
    let Some(operation) = operation.as_object_mut() else {
        return;
    };
    let parameters = operation
        .entry("parameters")
        .or_insert_with(|| Value::Array(Vec::new()));
    let Value::Array(parameters) = parameters else {
        return;
    };
    for parameter in shared {
        let declared = parameters
            .iter()
            .any(|p| p.get("name") == parameter.get("name") && p.get("in") == parameter.get("in"));
        if !declared {
            parameters.push(parameter.clone());
        }
    }
}
