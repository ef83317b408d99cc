//! Cutting a huge description down to a selection before it is deserialised.
//!
//! Deserialising into `openapiv3` is most of loading's time and memory on a description such
//! as Microsoft Graph's (20–47 MB of JSON). When operations are selected (see
//! [`Selector`]), the bundled JSON value is cut down first: path items keep only the selected
//! operations, and `components/{schemas,parameters,requestBodies,responses,headers}` only the
//! entries some `$ref` reachable from them names. Every `$ref` counts, wherever it is (an
//! example, an extension), so this keeps at least what lowering's own, exact pruning
//! (`lower::select`) keeps, which then runs on the smaller document as on the whole one: the
//! output is the same either way. Keys are kept as they are, so every JSON pointer (and so
//! every diagnostic's place) is unchanged.
//!
//! When a selector matches no operation the value is left whole, so that lowering reports it
//! with the names it could have meant.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use crate::locate::unescape;
use crate::lower::Selector;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The sections whose entries are kept only when reached.
const SECTIONS: [&str; 5] = [
    "schemas",
    "parameters",
    "requestBodies",
    "responses",
    "headers",
];

/// Cuts `document` down to the operations `selectors` choose and what they reach (see the
/// module docs); leaves it whole when `selectors` is empty or one of them matches nothing.
pub(super) fn prune(document: &mut Value, selectors: &[Selector]) {
    if selectors.is_empty() {
        return;
    }
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return;
    };
    let mut matched = vec![false; selectors.len()];
    // (path, methods kept) in spec order.
    let mut kept: Vec<(String, Vec<&'static str>)> = Vec::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        let mut methods = Vec::new();
        for method in METHODS {
            let Some(operation) = item.get(method).and_then(Value::as_object) else {
                continue;
            };
            let mut selected = false;
            for (selector, matched) in selectors.iter().zip(matched.iter_mut()) {
                let hit = match selector {
                    Selector::Tag(tag) => operation
                        .get("tags")
                        .and_then(Value::as_array)
                        .is_some_and(|tags| tags.iter().any(|t| t.as_str() == Some(tag))),
                    Selector::OperationId(id) => {
                        operation.get("operationId").and_then(Value::as_str) == Some(id)
                    }
                    Selector::Path(pattern) => Selector::matches_path(pattern, method, path),
                };
                if hit {
                    *matched = true;
                    selected = true;
                }
            }
            if selected {
                methods.push(method);
            }
        }
        if !methods.is_empty() {
            kept.push((path.clone(), methods));
        }
    }
    if matched.contains(&false) {
        return;
    }
    let Some(root) = document.as_object_mut() else {
        return;
    };
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        let mut by_path: HashMap<String, Vec<&'static str>> = kept.into_iter().collect();
        paths.retain(|path, item| {
            let Some(methods) = by_path.remove(path) else {
                return false;
            };
            if let Some(item) = item.as_object_mut() {
                item.retain(|key, _| {
                    !METHODS.contains(&key.as_str()) || methods.contains(&key.as_str())
                });
            }
            true
        });
    }
    let reached = reached(root.get("paths"), root.get("components"));
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        for section in SECTIONS {
            if let Some(entries) = components.get_mut(section).and_then(Value::as_object_mut) {
                entries.retain(|name, _| reached.contains(&(section, name.clone())));
            }
        }
    }
}

/// Every `(section, name)` of [`SECTIONS`] that a `$ref` reachable from `paths` names, and
/// the schemas that extend a reached discriminated base (see `lower::hierarchy`: its type is
/// the union of them).
fn reached(paths: Option<&Value>, components: Option<&Value>) -> BTreeSet<(&'static str, String)> {
    let schemas = components
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object);
    let extended_by = schemas.map(extensions).unwrap_or_default();
    let mut reached = BTreeSet::new();
    let mut pending: Vec<&Value> = paths.into_iter().collect();
    let mut names: Vec<(&'static str, String)> = Vec::new();
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(object) => {
                if let Some(Value::String(reference)) = object.get("$ref") {
                    names.extend(component(reference));
                }
                if let Some(Value::Object(mapping)) =
                    object.get("discriminator").and_then(|d| d.get("mapping"))
                {
                    for target in mapping.values().filter_map(Value::as_str) {
                        match component(target) {
                            Some(found) => names.push(found),
                            None => names.push(("schemas", target.to_owned())),
                        }
                    }
                }
                pending.extend(object.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
        while let Some((section, name)) = names.pop() {
            let target = components
                .and_then(|c| c.get(section))
                .and_then(|entries| entries.get(&name));
            if section == "schemas" && target.is_some_and(|t| t.get("discriminator").is_some()) {
                // Every schema below it, however deep.
                let mut below: Vec<&str> = vec![name.as_str()];
                let mut seen: BTreeSet<&str> = BTreeSet::new();
                while let Some(parent) = below.pop() {
                    for child in extended_by.get(parent).into_iter().flatten() {
                        if seen.insert(child) {
                            below.push(child);
                        }
                    }
                }
                names.extend(seen.into_iter().map(|child| ("schemas", child.to_owned())));
            }
            if reached.insert((section, name)) {
                pending.extend(target);
            }
        }
    }
    reached
}

/// For each schema, the schemas whose `allOf` refers to it directly.
fn extensions(schemas: &serde_json::Map<String, Value>) -> HashMap<String, Vec<&str>> {
    let mut extended_by: HashMap<String, Vec<&str>> = HashMap::new();
    for (name, schema) in schemas {
        let Some(Value::Array(parts)) = schema.get("allOf") else {
            continue;
        };
        for part in parts {
            let reference = part.get("$ref").and_then(Value::as_str).unwrap_or_default();
            if let Some(("schemas", parent)) = component(reference) {
                extended_by.entry(parent).or_default().push(name);
            }
        }
    }
    extended_by
}

/// The section (one of [`SECTIONS`]) and entry name a `#/components/...` reference names.
fn component(reference: &str) -> Option<(&'static str, String)> {
    let rest = reference.strip_prefix("#/components/")?;
    let (section, name) = rest.split_once('/')?;
    let section = SECTIONS.into_iter().find(|s| *s == section)?;
    // A pointer into an entry keeps the whole entry.
    let name = name.split('/').next().unwrap_or(name);
    Some((section, unescape(name)))
}
