//! Stage 1: read a description — OpenAPI 3.1 or 3.0, or Swagger 2.0; one file, or a root file
//! and every file it refers to — into one `openapiv3` document.
//!
//! # Design
//!
//! openapiv3 (OpenAPI 3.0, every `$ref` local) stays the model the later stages read, so
//! loading normalises what it reads onto it, working on the JSON value before deserialising:
//!
//! 1. **Parse** the root file (YAML, or JSON by extension or a leading `{`) and check its
//!    version (3.0.x, 3.1.x, or Swagger 2.0).
//! 2. **Bundle** ([`bundle`](self#bundling)): follow every `$ref` as the kind of object it stands
//!    for. References to other local files (relative to the referring file, YAML or JSON, with
//!    or without a `#/fragment`, in any direction, cycles included) and references to any node
//!    of a document (not only `#/components/...`: `#/paths/...`, `$defs`) hoist a copy of their
//!    target into `components` under a deterministic, collision-free name (the fragment's last
//!    key, or the file's stem; `2`, `3`... when taken) and are rewritten to
//!    `#/components/<section>/<name>`; path items and operation callbacks given by `$ref` are
//!    replaced by their target. `http(s):` references are refused: generation uses no network.
//!    A Swagger 2.0 document is bundled in its own layout (`definitions`, `parameters`,
//!    `responses` at the root), then upgraded to 3.0 (see [`swagger2`](self#swagger-20)).
//! 3. **Normalise**: `webhooks` are dropped with a warning (desk generates clients, which do
//!    not receive webhooks); path keys with a query part become their path plus query
//!    parameters (see [`query`](self#path-keys-with-a-query)); a 3.1 document is rewritten into
//!    its 3.0 form (see [`v31`](self#openapi-31)).
//! 4. **Deserialise** into `openapiv3`. On failure, the error is narrowed to the smallest node
//!    that fails (openapiv3's untagged enums otherwise report the enclosing schema).
//!
//! Every node moved by steps 2 and 3 is recorded, so a diagnostic about the bundled document
//! names the file, JSON pointer, line and column the user wrote ([`LoadedSpec::diagnostic`]);
//! the Swagger 2.0 upgrade records its moves in a layer of its own over bundling's, so a
//! pointer into the upgraded document resolves to the 2.0 text, and messages name 2.0's
//! sections (`#/definitions/Pet`).
//! Every file read is listed by [`LoadedSpec::inputs`] (a build script reruns when one changes).
//!
//! # Bundling
//!
//! See the `bundle` submodule's docs for the exact naming and rewriting rules.
//!
//! # Path keys with a query
//!
//! `/search?kind=user&q={q}` becomes `/search`: `q` is a required query parameter (declared or
//! added), `kind` a required query parameter whose only value is `user`; operations are merged
//! with the path's own item, and each such key is reported as a warning.
//!
//! # Swagger 2.0
//!
//! The whole mapping (servers, media types, body and formData parameters, collection formats,
//! file responses, `x-nullable`, discriminators, security definitions, what real files write
//! beyond the 2.0 text) is in the `swagger2` submodule's docs.
//!
//! # OpenAPI 3.1
//!
//! Type arrays with `null` become `nullable`; with several other types, `oneOf` of one schema
//! per type (an untagged enum); `const` a one-value `enum`; `$ref` with sibling keywords
//! `allOf: [{$ref}]` plus the siblings; the schema keyword `examples` is dropped; references
//! into `$defs` are hoisted like any other.

mod bundle;
mod query;
mod structure;
mod swagger2;
mod v31;

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, DiagnosticKind, Position, Severity};
use crate::locate;

pub(crate) use bundle::Origins;

/// A file read while loading, with its text (kept for locating diagnostics).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path, as given for the root and relative to it (normalised) for the others.
    pub path: PathBuf,
    /// The raw text.
    pub source: String,
}

/// A parsed spec and the text it came from (kept for locating diagnostics).
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The root file it was read from.
    pub path: PathBuf,
    /// The root file's raw text.
    pub source: String,
    /// The parsed document (every file bundled into one).
    pub document: openapiv3::OpenAPI,
    /// The other files read (referenced from the root, directly or not), in the order read.
    pub referenced: Vec<SourceFile>,
    /// Warnings about what loading dropped or rewrote (webhooks, path keys with a query).
    pub warnings: Vec<Diagnostic>,
    origins: Origins,
    /// The description was Swagger 2.0: diagnostics name its sections, not 3.0's.
    swagger2: bool,
}

impl LoadedSpec {
    /// A diagnostic at `pointer` in the bundled document: it names the file the node came from
    /// and the pointer in that file. Its line and column are filled in later, for all
    /// diagnostics at once, by [`LoadedSpec::locate_all`] (lowering does so before returning),
    /// so many diagnostics cost one pass over each file's text, not one each.
    pub fn diagnostic(
        &self,
        kind: DiagnosticKind,
        pointer: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Sources {
            root_path: &self.path,
            root_source: &self.source,
            referenced: &self.referenced,
            origins: &self.origins,
        }
        .unlocated(kind, pointer, message)
    }

    /// Fills in the line and column of every diagnostic that has a pointer and no position yet:
    /// one pass over the text of each file the diagnostics name. For a Swagger 2.0
    /// description, the references and sections messages name are put back in 2.0's terms
    /// (`#/definitions/Pet`, not the upgraded `#/components/schemas/Pet`).
    pub fn locate_all(&self, diagnostics: &mut [Diagnostic]) {
        if self.swagger2 {
            for diagnostic in diagnostics.iter_mut() {
                diagnostic.message = in_swagger2_terms(&diagnostic.message);
                diagnostic.help = diagnostic.help.as_deref().map(in_swagger2_terms);
            }
        }
        if self.referenced.is_empty() {
            return locate::locate_all(&self.source, diagnostics);
        }
        for file in self.inputs() {
            let Some(source) = self.source_of(file) else {
                continue;
            };
            let indexes: Vec<usize> = (0..diagnostics.len())
                .filter(|&i| diagnostics[i].file == file)
                .collect();
            if indexes.is_empty() {
                continue;
            }
            let mut batch: Vec<Diagnostic> =
                indexes.iter().map(|&i| diagnostics[i].clone()).collect();
            locate::locate_all(source, &mut batch);
            for (index, located) in indexes.into_iter().zip(batch) {
                diagnostics[index] = located;
            }
        }
    }

    /// The text of `file`, one of the files read (for locating diagnostics, which name it).
    pub fn source_of(&self, file: &Path) -> Option<&str> {
        if file == self.path {
            return Some(&self.source);
        }
        self.referenced
            .iter()
            .find(|f| f.path == file)
            .map(|f| f.source.as_str())
    }

    /// Every file read: the root first, then the files it refers to.
    pub fn inputs(&self) -> impl Iterator<Item = &Path> {
        std::iter::once(self.path.as_path()).chain(self.referenced.iter().map(|f| f.path.as_path()))
    }
}

/// A message about the upgraded document in the terms of the Swagger 2.0 text it came from.
fn in_swagger2_terms(text: &str) -> String {
    if !text.contains("components") {
        return text.to_owned();
    }
    text.replace("#/components/schemas/", "#/definitions/")
        .replace("#/components/parameters/", "#/parameters/")
        .replace("#/components/responses/", "#/responses/")
        .replace("`components/schemas`", "`definitions`")
        .replace("`components/parameters`", "`parameters`")
        .replace("`components/responses`", "`responses`")
}

/// The files read and where the bundled nodes came from: what locating a diagnostic needs.
struct Sources<'a> {
    root_path: &'a Path,
    root_source: &'a str,
    referenced: &'a [SourceFile],
    origins: &'a Origins,
}

impl Sources<'_> {
    /// The file the node at `pointer` came from, its text and the pointer in it.
    fn origin(&self, pointer: &str) -> (&Path, &str, String) {
        self.file_of(self.origins.resolve(pointer))
    }

    /// The file numbered `file` (0 is the root), its text and `pointer`.
    fn file_of(&self, (file, pointer): (usize, String)) -> (&Path, &str, String) {
        match file
            .checked_sub(1)
            .and_then(|index| self.referenced.get(index))
        {
            Some(file) => (file.path.as_path(), file.source.as_str(), pointer),
            None => (self.root_path, self.root_source, pointer),
        }
    }

    /// A diagnostic naming the file and pointer the node came from, with its position.
    fn diagnostic(
        &self,
        kind: DiagnosticKind,
        pointer: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (path, source, pointer) = self.origin(pointer);
        let position = locate::locate(source, &pointer);
        Diagnostic::error(kind, path, message)
            .at(pointer)
            .with_position(position)
    }

    /// [`Sources::unlocated`] for a pointer into the document as it was before the Swagger 2.0
    /// upgrade rewrote it.
    fn unlocated_before(
        &self,
        kind: DiagnosticKind,
        pointer: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (path, _, pointer) = self.file_of(self.origins.resolve_before(pointer));
        Diagnostic::error(kind, path, message).at(pointer)
    }

    /// The same without the position (see [`LoadedSpec::locate_all`]).
    fn unlocated(
        &self,
        kind: DiagnosticKind,
        pointer: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (path, _, pointer) = self.origin(pointer);
        Diagnostic::error(kind, path, message).at(pointer)
    }
}

/// Something loading rewrote or dropped, reported as a warning once the document is built.
struct Note {
    kind: DiagnosticKind,
    /// In the bundled document.
    pointer: String,
    message: String,
    help: String,
}

/// A description read and bundled into one JSON document, not yet checked against the
/// OpenAPI model: what selection cuts (`crate::select`) before [`finish`] deserialises it.
pub(crate) struct Bundled {
    /// The bundled document (3.1 normalised onto 3.0, path keys with a query split).
    pub document: serde_json::Value,
    root: SourceFile,
    files: Vec<SourceFile>,
    origins: Origins,
    notes: Vec<Note>,
    /// Notes about the Swagger 2.0 document, by pointers into it (before the upgrade).
    upgrade_notes: Vec<Note>,
    /// The description was Swagger 2.0 (see [`LoadedSpec::locate_all`]).
    swagger2: bool,
}

impl Bundled {
    fn sources(&self) -> Sources<'_> {
        Sources {
            root_path: &self.root.path,
            root_source: &self.root.source,
            referenced: &self.files,
            origins: &self.origins,
        }
    }

    /// An error at `pointer` of the bundled document, naming the file, pointer, line and
    /// column the user wrote.
    pub fn diagnostic(
        &self,
        kind: DiagnosticKind,
        pointer: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.sources().diagnostic(kind, pointer, message)
    }
}

/// Parses `source` as the spec named `path` (the name chooses the parser: `.json` files are read
/// as JSON, anything else as YAML; relative references are resolved from its folder); the
/// stages' tests load so. ([`Config::load`](crate::Config::load) selects between reading and
/// [`finish`].)
#[cfg(test)]
pub fn load_str(path: &Path, source: String) -> Result<LoadedSpec, Diagnostic> {
    finish(read_str(path, source)?)
}

/// Reads the spec at `path` and every file it refers to, bundled into one document.
pub(crate) fn read_file(path: &Path) -> Result<Bundled, Diagnostic> {
    let source = std::fs::read_to_string(path).map_err(|err| {
        Diagnostic::error(
            DiagnosticKind::Io,
            path,
            format!("cannot read the spec: {err}"),
        )
        .help("check the path given as the input spec")
    })?;
    read_str(path, source)
}

/// Parses `source` as the spec named `path` (see [`load_str`]), bundled into one document.
pub(crate) fn read_str(path: &Path, source: String) -> Result<Bundled, Diagnostic> {
    let value = parse_value(path, &source)?;
    let version = check_version(path, &source, &value)?;
    let layout = match version {
        Version::Swagger2 => structure::Layout::Swagger2,
        Version::V3_0 | Version::V3_1 => structure::Layout::OpenApi3,
    };
    let bundle::Bundled {
        mut value,
        mut files,
        mut origins,
    } = bundle::bundle(path, source, value, layout).map_err(|mut errors| errors.swap_remove(0))?;
    let root = files.remove(0);
    let mut notes = Vec::new();
    // Notes about the 2.0 document, by pointers into it.
    let mut upgrade_notes = Vec::new();
    if version == Version::Swagger2 {
        let upgraded = swagger2::upgrade(value, origins);
        value = upgraded.value;
        origins = upgraded.origins;
        upgrade_notes = upgraded.notes;
    }
    if let Some(root_map) = value.as_object_mut() {
        let webhooks = root_map.shift_remove("webhooks");
        if webhooks
            .as_ref()
            .and_then(|w| w.as_object())
            .is_some_and(|w| !w.is_empty())
        {
            notes.push(Note {
                kind: DiagnosticKind::Fallback,
                pointer: "/webhooks".into(),
                message: "`webhooks` are not generated: they describe requests the API sends, and desk generates a client".into(),
                help: "nothing to do; describe the payloads under `components/schemas` to get their types".into(),
            });
        }
        // 3.1's reusable path items were inlined where used.
        if let Some(components) = root_map
            .get_mut("components")
            .and_then(|c| c.as_object_mut())
        {
            components.shift_remove("pathItems");
        }
    }
    query::split_query_keys(&mut value, &mut origins, &mut notes);
    let mut bundled = Bundled {
        document: value,
        root,
        files,
        origins,
        notes,
        upgrade_notes,
        swagger2: version == Version::Swagger2,
    };
    if version == Version::V3_1 {
        v31::downgrade(&mut bundled.document, &mut bundled.origins).map_err(
            |(pointer, message, help)| {
                bundled
                    .diagnostic(DiagnosticKind::UnsupportedVersion, &pointer, message)
                    .help(help)
            },
        )?;
    }
    Ok(bundled)
}

/// Deserialises a bundled document into the OpenAPI model (an invalid node is reported at the
/// smallest place that fails), with the warnings of what loading rewrote.
pub(crate) fn finish(bundled: Bundled) -> Result<LoadedSpec, Diagnostic> {
    let sources = bundled.sources();
    let document = to_openapi(&sources, &bundled.document)?;
    // Located below, all at once: a 2.0 description can have hundreds of notes, and locating
    // one parses its file.
    let before_upgrade = bundled.upgrade_notes.iter().map(|note| (note, true));
    let mut warnings: Vec<Diagnostic> = before_upgrade
        .chain(bundled.notes.iter().map(|note| (note, false)))
        .map(|(note, before)| {
            let mut diagnostic = if before {
                sources.unlocated_before(note.kind, &note.pointer, note.message.clone())
            } else {
                sources.unlocated(note.kind, &note.pointer, note.message.clone())
            }
            .help(note.help.clone());
            diagnostic.severity = Severity::Warning;
            diagnostic
        })
        .collect();
    let Bundled {
        root,
        files,
        origins,
        swagger2,
        ..
    } = bundled;
    let mut spec = LoadedSpec {
        path: root.path,
        source: root.source,
        document,
        referenced: files,
        warnings: Vec::new(),
        origins,
        swagger2,
    };
    spec.locate_all(&mut warnings);
    spec.warnings = warnings;
    Ok(spec)
}

/// Whether the spec file is read as JSON (by extension, or by its first character).
fn reads_as_json(path: &Path, source: &str) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
        || source.trim_start().starts_with('{')
}

fn parse_value(path: &Path, source: &str) -> Result<serde_json::Value, Diagnostic> {
    if reads_as_json(path, source) {
        serde_json::from_str(source).map_err(|err| {
            Diagnostic::error(DiagnosticKind::Syntax, path, format!("invalid JSON: {err}"))
                .with_position(Some(Position {
                    line: err.line(),
                    column: err.column(),
                }))
                .help("fix the JSON syntax at the position shown")
        })
    } else {
        serde_yaml::from_str(source).map_err(|err| {
            let position = err.location().map(|loc| Position {
                line: loc.line(),
                column: loc.column(),
            });
            Diagnostic::error(DiagnosticKind::Syntax, path, format!("invalid YAML: {err}"))
                .with_position(position)
                .help("fix the YAML syntax at the position shown (a YAML linter shows more)")
        })
    }
}

/// The OpenAPI versions read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    /// Swagger 2.0 (OpenAPI 2.0), upgraded to 3.0 (see [`swagger2`]).
    Swagger2,
    V3_0,
    V3_1,
}

fn check_version(
    path: &Path,
    source: &str,
    value: &serde_json::Value,
) -> Result<Version, Diagnostic> {
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
        // `swagger: 2.0` unquoted is a YAML number.
        let two = match swagger {
            serde_json::Value::String(v) => v == "2.0" || v == "2",
            serde_json::Value::Number(n) => n.as_f64() == Some(2.0),
            _ => false,
        };
        if two {
            return Ok(Version::Swagger2);
        }
        return Err(located(
            "/swagger",
            format!("Swagger version {swagger} is not supported; desk reads Swagger 2.0 and OpenAPI 3.0.x and 3.1.x"),
        )
        .help("write `swagger: \"2.0\"`, or describe the API in OpenAPI 3.0.x"));
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

fn to_openapi(
    sources: &Sources<'_>,
    value: &serde_json::Value,
) -> Result<openapiv3::OpenAPI, Diagnostic> {
    // The fast path first: tracking the path of every node costs time on big specs and is only
    // needed to report a failure. Deserialising from a reference keeps `value` for that look.
    if let Ok(document) = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(value) {
        return Ok(document);
    }
    let (pointer, message) = narrow(structure::Kind::Document, value, String::new())
        .unwrap_or_else(|| {
            (
                String::new(),
                "the document does not match the OpenAPI 3.0 model".into(),
            )
        });
    Err(sources
        .diagnostic(DiagnosticKind::InvalidDocument, &pointer, format!("not a valid OpenAPI 3.0 document: {message}"))
        .help("compare this node with the OpenAPI 3.0 specification (a validator such as openapi-spec-validator shows more)"))
}

/// The smallest node below `value` (an object of `kind` at `pointer`) that fails to
/// deserialise, and why; `None` when `value` is valid.
///
/// openapiv3 flattens and untags much of the document, so serde's path to an error often
/// stops at an enclosing object (a whole schema: the untagged enum swallows the inner error).
/// So: a failing child is a better answer than its parent; then serde's own path, when it
/// goes deeper; then, for an untagged object, the one key whose removal makes it valid.
fn narrow(
    kind: structure::Kind,
    value: &serde_json::Value,
    pointer: String,
) -> Option<(String, String)> {
    let (path, message) = kind.check(value).err()?;
    let mut found = None;
    structure::children(kind, value, &mut |child_kind, segments, child| {
        if found.is_some() {
            return;
        }
        let mut child_pointer = pointer.clone();
        for segment in segments {
            child_pointer.push('/');
            match segment {
                structure::Seg::Key(key) => child_pointer.push_str(&locate::escape(key)),
                structure::Seg::Index(index) => child_pointer.push_str(&index.to_string()),
            }
        }
        found = narrow(child_kind, child, child_pointer);
    });
    if found.is_some() {
        return found;
    }
    if !path.is_empty() {
        return Some((format!("{pointer}{path}"), message));
    }
    if let Some(object) = value.as_object() {
        for (key, child) in object {
            let mut without = object.clone();
            without.remove(key);
            if kind.check(&serde_json::Value::Object(without)).is_ok() {
                let shown = if message.contains("untagged enum") {
                    String::new()
                } else {
                    format!(": {message}")
                };
                return Some((
                    format!("{pointer}/{}", locate::escape(key)),
                    format!("`{key}: {child}` is not valid here{shown}"),
                ));
            }
        }
    }
    Some((pointer, message))
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
        let err = load_str(
            Path::new("bad.yaml"),
            "openapi: 3.0.3\ninfo: [unclosed\n".into(),
        )
        .unwrap_err();
        assert_eq!(err.kind, DiagnosticKind::Syntax);
        assert!(err.position.is_some(), "{err}");
    }

    #[test]
    fn other_swagger_versions_are_rejected_with_their_location() {
        let err = load_str(Path::new("s.yaml"), "swagger: '1.2'\ninfo: {}\n".into()).unwrap_err();
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
