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
    /// A diagnostic located at `pointer` in this spec (line and column filled in when found).
    pub fn diagnostic(&self, kind: DiagnosticKind, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(kind, &self.path, message)
            .at(pointer)
            .with_position(locate::locate(&self.source, pointer))
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
    let value = parse_value(path, &source)?;
    check_version(path, &source, &value)?;
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

fn check_version(path: &Path, source: &str, value: &serde_json::Value) -> Result<(), Diagnostic> {
    let located = |pointer: &str, message: String| {
        Diagnostic::error(DiagnosticKind::UnsupportedVersion, path, message)
            .at(pointer)
            .with_position(locate::locate(source, pointer))
    };
    let Some(object) = value.as_object() else {
        return Err(Diagnostic::error(
            DiagnosticKind::InvalidDocument,
            path,
            "the document is not an object; an OpenAPI description starts with `openapi: 3.0.x`",
        )
        .at(""));
    };
    if let Some(swagger) = object.get("swagger") {
        return Err(located(
            "/swagger",
            format!("Swagger {} (OpenAPI 2.0) is not supported", swagger.as_str().unwrap_or("2.0")),
        )
        .help("convert the description to OpenAPI 3.0 first, e.g. with swagger2openapi"));
    }
    match object.get("openapi").and_then(|v| v.as_str()) {
        Some(v) if v.starts_with("3.0") => Ok(()),
        Some(v) => Err(located("/openapi", format!("OpenAPI version {v} is not supported; desk reads 3.0.x"))
            .help("describe the API in OpenAPI 3.0.x")),
        None => Err(Diagnostic::error(
            DiagnosticKind::InvalidDocument,
            path,
            "missing `openapi` version field; this does not look like an OpenAPI description",
        )
        .at("")
        .help("start the document with `openapi: 3.0.3`")),
    }
}

fn to_openapi(path: &Path, source: &str, value: serde_json::Value) -> Result<openapiv3::OpenAPI, Diagnostic> {
    // Deserialising from a reference keeps `value` for a closer look when it fails.
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
