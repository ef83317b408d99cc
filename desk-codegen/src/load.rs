//! Stage 1: read a spec file (YAML or JSON) into `openapiv3` structures.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, DiagnosticKind, Position};
use crate::locate;

/// A parsed spec and the text it came from (kept for locating diagnostics).
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The file it was read from.
    pub path: PathBuf,
    /// The raw text.
    pub source: String,
    /// The parsed document.
    pub document: openapiv3::OpenAPI,
}

impl LoadedSpec {
    /// A diagnostic at `pointer` in this spec. Its line and column are filled in later, for all
    /// diagnostics at once, by [`LoadedSpec::locate_all`] (lowering does so before returning),
    /// so many diagnostics cost one pass over the text, not one each.
    pub fn diagnostic(&self, kind: DiagnosticKind, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(kind, &self.path, message).at(pointer)
    }

    /// Fills in the line and column of every diagnostic that has a pointer and no position yet,
    /// with one pass over the text.
    pub fn locate_all(&self, diagnostics: &mut [Diagnostic]) {
        locate::locate_all(&self.source, diagnostics);
    }
}

/// Reads and parses the spec at `path`.
pub fn load_file(path: &Path) -> Result<LoadedSpec, Diagnostic> {
    let source = std::fs::read_to_string(path).map_err(|err| {
        Diagnostic::error(DiagnosticKind::Io, path, format!("cannot read the spec: {err}"))
            .help("check the path given as the input spec")
    })?;
    load_str(path, source)
}

/// Parses `source` as the spec named `path` (the name is only used in diagnostics and to choose
/// the parser: `.json` files are read as JSON, anything else as YAML).
pub fn load_str(path: &Path, source: String) -> Result<LoadedSpec, Diagnostic> {
    let mut value = parse_value(path, &source)?;
    if check_version(path, &source, &value)? == Version::V3_1 {
        downgrade_3_1(&mut value).map_err(|(pointer, message, help)| {
            Diagnostic::error(DiagnosticKind::UnsupportedVersion, path, message)
                .with_position(locate::locate(&source, &pointer))
                .at(pointer)
                .help(help)
        })?;
    }
    let document = to_openapi(path, &source, value)?;
    Ok(LoadedSpec { path: path.to_owned(), source, document })
}

fn is_json(path: &Path, source: &str) -> bool {
    path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
        || source.trim_start().starts_with('{')
}

fn parse_value(path: &Path, source: &str) -> Result<serde_json::Value, Diagnostic> {
    if is_json(path, source) {
        serde_json::from_str(source).map_err(|err| {
            Diagnostic::error(DiagnosticKind::Syntax, path, format!("invalid JSON: {err}"))
                .with_position(Some(Position { line: err.line(), column: err.column() }))
                .help("fix the JSON syntax at the position shown")
        })
    } else {
        serde_yaml::from_str(source).map_err(|err| {
            let position = err.location().map(|loc| Position { line: loc.line(), column: loc.column() });
            Diagnostic::error(DiagnosticKind::Syntax, path, format!("invalid YAML: {err}"))
                .with_position(position)
                .help("fix the YAML syntax at the position shown (a YAML linter shows more)")
        })
    }
}

/// The OpenAPI versions read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V3_0,
    V3_1,
}

fn check_version(path: &Path, source: &str, value: &serde_json::Value) -> Result<Version, Diagnostic> {
    let located = |pointer: &str, message: String| {
        Diagnostic::error(DiagnosticKind::UnsupportedVersion, path, message)
            .at(pointer)
            .with_position(locate::locate(source, pointer))
    };
    let Some(object) = value.as_object() else {
        return Err(Diagnostic::error(
            DiagnosticKind::InvalidDocument,
            path,
            "the document is not a mapping of fields, so it is not an OpenAPI description",
        )
        .at("")
        .with_position(locate::locate(source, ""))
        .help("start the document with `openapi: 3.0.3`, then `info` and `paths`"));
    };
    if let Some(swagger) = object.get("swagger") {
        return Err(located(
            "/swagger",
            format!("Swagger {} (OpenAPI 2.0) is not supported", swagger.as_str().unwrap_or("2.0")),
        )
        .help("convert the description to OpenAPI 3.0 first, e.g. with swagger2openapi"));
    }
    match object.get("openapi") {
        Some(serde_json::Value::String(v)) if v.starts_with("3.0.") || v == "3.0" => Ok(Version::V3_0),
        Some(serde_json::Value::String(v)) if v.starts_with("3.1.") || v == "3.1" => Ok(Version::V3_1),
        Some(serde_json::Value::String(v)) => Err(located(
            "/openapi",
            format!("OpenAPI version {v} is not supported; desk reads 3.0.x, and 3.1.x where it maps onto 3.0"),
        )
        .help("describe the API in OpenAPI 3.0.x")),
        Some(other) => Err(located("/openapi", format!("`openapi` must be a version string such as \"3.0.3\", not `{other}`"))
            .help("quote the version: `openapi: \"3.0.3\"`")),
        None => Err(Diagnostic::error(
            DiagnosticKind::InvalidDocument,
            path,
            "missing `openapi` version field; this does not look like an OpenAPI description",
        )
        .at("")
        .help("start the document with `openapi: 3.0.3`")),
    }
}

/// A failure of the 3.1 → 3.0 mapping: pointer, message, help.
type Unmappable = (String, String, String);

/// Rewrites an OpenAPI 3.1 document into the 3.0 form it maps onto, in place:
///
/// - `type: [T, "null"]` → `type: T, nullable: true` (and `type: "null"` alone → `nullable`);
/// - `oneOf`/`anyOf` with a `{type: "null"}` alternative → the other alternatives, `nullable: true`;
/// - `const: v` → `enum: [v]`;
/// - numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` with the 3.0 flag;
/// - a missing `paths` → empty paths.
///
/// A schema with several non-null types has no 3.0 form and is rejected with its location.
/// Positions stay valid: only values are rewritten, the source text is what errors point into.
fn downgrade_3_1(value: &mut serde_json::Value) -> Result<(), Unmappable> {
    let Some(root) = value.as_object_mut() else { return Ok(()) };
    root.insert("openapi".into(), serde_json::Value::String("3.0.3".into()));
    root.entry("paths").or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
    if let Some(schemas) = root.get_mut("components").and_then(|c| c.get_mut("schemas")).and_then(|s| s.as_object_mut()) {
        for (name, schema) in schemas.iter_mut() {
            downgrade_schema(schema, &format!("/components/schemas/{}", locate::escape(name)))?;
        }
    }
    for (key, node) in root.iter_mut() {
        if key != "components" {
            find_schemas(node, &format!("/{}", locate::escape(key)))?;
        }
    }
    if let Some(components) = root.get_mut("components").and_then(|c| c.as_object_mut()) {
        for (key, node) in components.iter_mut() {
            if key != "schemas" {
                find_schemas(node, &format!("/components/{}", locate::escape(key)))?;
            }
        }
    }
    Ok(())
}

/// Finds the `schema` of parameters, media types and headers anywhere below `node`.
fn find_schemas(node: &mut serde_json::Value, pointer: &str) -> Result<(), Unmappable> {
    match node {
        serde_json::Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let child_pointer = format!("{pointer}/{}", locate::escape(key));
                match key.as_str() {
                    "schema" => downgrade_schema(child, &child_pointer)?,
                    "example" | "examples" | "default" => {}
                    _ => find_schemas(child, &child_pointer)?,
                }
            }
        }
        serde_json::Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                find_schemas(child, &format!("{pointer}/{index}"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// `{type: "null"}` (or `type: ["null"]`), whatever annotations sit beside it.
fn is_null_schema(value: &serde_json::Value) -> bool {
    match value.get("type") {
        Some(serde_json::Value::String(t)) => t == "null",
        Some(serde_json::Value::Array(types)) => !types.is_empty() && types.iter().all(|t| t.as_str() == Some("null")),
        _ => false,
    }
}

fn downgrade_schema(node: &mut serde_json::Value, pointer: &str) -> Result<(), Unmappable> {
    use serde_json::Value;
    let Some(schema) = node.as_object_mut() else { return Ok(()) };
    let mut nullable = false;
    match schema.get("type") {
        Some(Value::Array(types)) => {
            let non_null: Vec<Value> = types.iter().filter(|t| t.as_str() != Some("null")).cloned().collect();
            nullable = non_null.len() < types.len();
            match non_null.as_slice() {
                [] => {
                    schema.remove("type");
                }
                [one] => {
                    schema.insert("type".into(), one.clone());
                }
                several => {
                    let listed: Vec<String> = several.iter().map(|t| t.to_string()).collect();
                    return Err((
                        format!("{pointer}/type"),
                        format!("a schema with several types ({}) has no OpenAPI 3.0 form", listed.join(", ")),
                        "use `oneOf` with one schema per type".into(),
                    ));
                }
            }
        }
        Some(Value::String(t)) if t == "null" => {
            schema.remove("type");
            nullable = true;
        }
        _ => {}
    }
    if let Some(constant) = schema.remove("const") {
        schema.entry("enum").or_insert_with(|| Value::Array(vec![constant]));
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
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
                    downgrade_schema(sub, &format!("{child_pointer}/{}", locate::escape(name)))?;
                }
            }
            ("items" | "additionalProperties" | "not" | "contains", sub @ Value::Object(_)) => {
                downgrade_schema(sub, &child_pointer)?;
            }
            ("allOf" | "oneOf" | "anyOf" | "prefixItems", Value::Array(subs)) => {
                for (index, sub) in subs.iter_mut().enumerate() {
                    downgrade_schema(sub, &format!("{child_pointer}/{index}"))?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn to_openapi(path: &Path, source: &str, value: serde_json::Value) -> Result<openapiv3::OpenAPI, Diagnostic> {
    // The fast path first: tracking the path of every node costs time on big specs and is only
    // needed to report a failure. Deserialising from a reference keeps `value` for that look.
    if let Ok(document) = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&value) {
        return Ok(document);
    }
    let err = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&value) {
        Ok(document) => return Ok(document),
        Err(err) => err,
    };
    let (pointer, message) = refine(&value).unwrap_or_else(|| (pointer_of(err.path()), err.into_inner().to_string()));
    Err(Diagnostic::error(DiagnosticKind::InvalidDocument, path, format!("not a valid OpenAPI 3.0 document: {message}"))
        .with_position(locate::locate(source, &pointer))
        .at(pointer)
        .help("compare this node with the OpenAPI 3.0 specification (a validator such as openapi-spec-validator shows more)"))
}

/// `openapiv3` flattens and untags much of the document, so serde's path to an error often
/// stops at `/paths` or `/components`. Deserialising the parts one by one finds the node.
fn refine(value: &serde_json::Value) -> Option<(String, String)> {
    /// A failure: where and what.
    type Found = Option<(String, String)>;
    /// Checks one component entry.
    type Checker = fn(&serde_json::Value, String) -> Found;
    fn check<T: serde::de::DeserializeOwned>(value: &serde_json::Value, pointer: String) -> Found {
        serde_path_to_error::deserialize::<_, T>(value)
            .err()
            .map(|err| (format!("{pointer}{}", pointer_of(err.path())), err.into_inner().to_string()))
    }
    const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    if let Some(paths) = value.get("paths").and_then(|p| p.as_object()) {
        for (path, item) in paths {
            let item_pointer = format!("/paths/{}", locate::escape(path));
            if let Some(item) = item.as_object() {
                for (key, op) in item {
                    if METHODS.contains(&key.as_str()) {
                        if let Some(found) = check::<openapiv3::Operation>(op, format!("{item_pointer}/{key}")) {
                            return Some(found);
                        }
                    }
                }
            }
            if let Some(found) = check::<openapiv3::ReferenceOr<openapiv3::PathItem>>(item, item_pointer) {
                return Some(found);
            }
        }
    }
    let components = value.get("components")?;
    let sections: [(&str, Checker); 6] = [
        ("schemas", check::<openapiv3::ReferenceOr<openapiv3::Schema>>),
        ("parameters", check::<openapiv3::ReferenceOr<openapiv3::Parameter>>),
        ("responses", check::<openapiv3::ReferenceOr<openapiv3::Response>>),
        ("requestBodies", check::<openapiv3::ReferenceOr<openapiv3::RequestBody>>),
        ("securitySchemes", check::<openapiv3::ReferenceOr<openapiv3::SecurityScheme>>),
        ("headers", check::<openapiv3::ReferenceOr<openapiv3::Header>>),
    ];
    for (section, check_one) in sections {
        for (name, item) in components.get(section).and_then(|s| s.as_object()).into_iter().flatten() {
            if let Some(found) = check_one(item, format!("/components/{section}/{}", locate::escape(name))) {
                return Some(found);
            }
        }
    }
    None
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&locate::escape(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_syntax_error_has_a_line() {
        let err = load_str(Path::new("bad.yaml"), "openapi: 3.0.3\ninfo: [unclosed\n".into()).unwrap_err();
        assert_eq!(err.kind, DiagnosticKind::Syntax);
        assert!(err.position.is_some(), "{err}");
    }

    #[test]
    fn swagger_two_is_rejected_with_its_location() {
        let err = load_str(Path::new("s.yaml"), "swagger: '2.0'\ninfo: {}\n".into()).unwrap_err();
        assert_eq!(err.kind, DiagnosticKind::UnsupportedVersion);
        assert_eq!(err.pointer.as_deref(), Some("/swagger"));
        assert_eq!(err.position.map(|p| p.line), Some(1));
    }

    #[test]
    fn invalid_node_is_pointed_at() {
        let src = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let err = load_str(Path::new("s.yaml"), src.into()).unwrap_err();
        assert_eq!(err.kind, DiagnosticKind::InvalidDocument);
        assert_eq!(err.pointer.as_deref(), Some("/paths/~1a/get/responses"));
        assert_eq!(err.position.map(|p| p.line), Some(6));
    }
}
