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

/// Every `(section, name)` of [`SECTIONS`] that a `$ref` reachable from `paths` names.
fn reached(paths: Option<&Value>, components: Option<&Value>) -> BTreeSet<(&'static str, String)> {
    let mut reached = BTreeSet::new();
    let mut pending: Vec<&Value> = paths.into_iter().collect();
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(object) => {
                if let Some(Value::String(reference)) = object.get("$ref") {
                    if let Some((section, name)) = component(reference) {
                        let target = components
                            .and_then(|c| c.get(section))
                            .and_then(|entries| entries.get(&name));
                        if reached.insert((section, name)) {
                            pending.extend(target);
                        }
                    }
                }
                pending.extend(object.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    reached
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
