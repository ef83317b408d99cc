//! Bundling: every file a description reaches, and every node a `$ref` points at, become one
//! document whose references all have the form `#/components/<section>/<name>`.
//!
//! The walk follows the document's structure (see [`super::structure`]), so each `$ref` is
//! resolved as the kind of object it stands for:
//!
//! - a reference to a component of the root file (`#/components/schemas/Pet`, or
//!   `../openapi.yaml#/components/schemas/Pet` from another file) stays (or becomes) local;
//! - a reference to anything else (another file, with or without a fragment, or any other
//!   node: `#/paths/~1pets/get/responses/200/content/application~1json/schema`, `$defs`) hoists
//!   a copy of its target into `components/<section>` under a name taken from the fragment's last
//!   component or the file's stem (`Booking.yaml` → `Booking`), made unique with a number, and
//!   the reference is rewritten to it. The same target always gets the same name, which is also
//!   what ends cycles across files;
//! - path items and operation callbacks (openapiv3 has no reference form for them) are
//!   replaced by their target.
//!
//! Nothing is mutated during the walk: it records edits (by pointer into the bundled document)
//! and hoisted copies, applied at the end in the order found. [`Origins`] remembers where each
//! hoisted or inlined node came from, so diagnostics name the original file and pointer.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use serde_json::Value;

use super::structure::{self, Kind, Layout, Seg};
use super::{parse_value, SourceFile};
use crate::error::{Diagnostic, DiagnosticKind};
use crate::locate::{self, escape, unescape};

/// Where the nodes of the bundled document come from.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origins {
    map: HashMap<String, Origin>,
    /// The origins of the document as it was before a rewrite that renamed its nodes wholesale
    /// (the Swagger 2.0 upgrade): a pointer `map` says nothing about is looked up there as it is.
    before: Option<Box<Origins>>,
}

#[derive(Debug, Clone)]
enum Origin {
    /// The node at this pointer is the node at `pointer` in file number `file`.
    File { file: usize, pointer: String },
    /// The node at this pointer was at another pointer of the bundled document before a
    /// rewrite (3.1 normalisation, a path key's query part).
    Moved(String),
    /// The node at this pointer was at this pointer of the document before the rewrite that
    /// started this layer (see [`Origins::rewritten`]).
    Before(String),
}

impl Origins {
    /// Records that the bundled node at `pointer` is `source` in file `file`.
    pub(crate) fn came_from(&mut self, pointer: String, file: usize, source: String) {
        self.map.insert(
            pointer,
            Origin::File {
                file,
                pointer: source,
            },
        );
    }

    /// Records that the bundled node at `pointer` was at `before` until a rewrite.
    pub(crate) fn moved(&mut self, pointer: String, before: String) {
        self.map.insert(pointer, Origin::Moved(before));
    }

    /// A new layer over these origins, for a rewrite that builds a new document from the old
    /// one (the Swagger 2.0 upgrade): it records with [`Origins::was`] where each node it
    /// moved was before; every other pointer resolves as it did before the rewrite.
    pub(crate) fn rewritten(self) -> Origins {
        Origins {
            map: HashMap::new(),
            before: Some(Box::new(self)),
        }
    }

    /// Records that the node at `pointer` was at `before` in the document before the rewrite
    /// that started this layer.
    pub(crate) fn was(&mut self, pointer: String, before: String) {
        self.map.insert(pointer, Origin::Before(before));
    }

    /// The file (index into the files read; 0 is the root) and the pointer in it of the
    /// bundled node at `pointer`.
    pub(crate) fn resolve(&self, pointer: &str) -> (usize, String) {
        let mut pointer = pointer.to_owned();
        // Rewrites never chain deeper than a few steps; the bound only guards against a loop.
        for _ in 0..64 {
            match self.longest_prefix(&pointer) {
                None => break,
                Some((
                    end,
                    Origin::File {
                        file,
                        pointer: base,
                    },
                )) => return (*file, format!("{base}{}", &pointer[end..])),
                Some((end, Origin::Moved(before))) => {
                    pointer = format!("{before}{}", &pointer[end..])
                }
                Some((end, Origin::Before(before))) => {
                    let earlier = format!("{before}{}", &pointer[end..]);
                    return self.resolve_before(&earlier);
                }
            }
        }
        self.resolve_before(&pointer)
    }

    /// [`Origins::resolve`] for a pointer into the document as it was before the rewrite that
    /// started this layer (the same as `resolve` when there was none).
    pub(crate) fn resolve_before(&self, pointer: &str) -> (usize, String) {
        match &self.before {
            Some(before) => before.resolve(pointer),
            None => (0, pointer.to_owned()),
        }
    }

    fn longest_prefix(&self, pointer: &str) -> Option<(usize, &Origin)> {
        if self.map.is_empty() {
            return None;
        }
        let mut end = pointer.len();
        loop {
            if let Some(origin) = self.map.get(&pointer[..end]) {
                return Some((end, origin));
            }
            end = pointer[..end].rfind('/')?;
        }
    }
}

/// The bundled document and what it was made from.
pub(super) struct Bundled {
    pub value: Value,
    pub files: Vec<SourceFile>,
    pub origins: Origins,
}

/// Bundles `root` (already parsed, a document of `layout`) and every file it reaches. On
/// failure, every error found.
pub(super) fn bundle(
    root_path: &Path,
    root_source: String,
    root: Value,
    layout: Layout,
) -> Result<Bundled, Vec<Diagnostic>> {
    if !has_work(&root, layout) {
        // Most descriptions are one file whose references all name components: nothing to do,
        // and one plain pass over the document (no structure) is all it costs to know.
        let files = vec![SourceFile {
            path: root_path.to_owned(),
            source: root_source,
        }];
        return Ok(Bundled {
            value: root,
            files,
            origins: Origins::default(),
        });
    }
    let mut bundler = Bundler::new(root_path, root_source, root, layout);
    let root_file = Rc::clone(&bundler.files[0]);
    let ctx = Ctx {
        file: 0,
        source_base: String::new(),
        bundled_base: String::new(),
    };
    bundler.walk(Kind::Document, &root_file.value, &ctx, &At::ROOT);
    drop(root_file);
    bundler.hoist_pending();
    if !bundler.errors.is_empty() {
        return Err(bundler.errors);
    }
    Ok(bundler.finish())
}

struct FileData {
    path: PathBuf,
    source: String,
    value: Value,
}

/// A change to the bundled document, by pointer.
enum Edit {
    SetRef(String),
    Replace(Value),
}

/// A target waiting to be copied into `components`.
struct Pending {
    kind: Kind,
    section: &'static str,
    name: String,
    file: usize,
    fragment: String,
}

/// Where the walk is: the file, and the pointers (in that file and in the bundled document)
/// of the node the walk started from.
struct Ctx {
    file: usize,
    source_base: String,
    bundled_base: String,
}

/// A pointer relative to the walk's start, as a chain of steps (built only when needed).
struct At<'a> {
    parent: Option<&'a At<'a>>,
    segs: &'a [Seg<'a>],
}

impl At<'_> {
    const ROOT: At<'static> = At {
        parent: None,
        segs: &[],
    };

    fn write(&self, out: &mut String) {
        if let Some(parent) = self.parent {
            parent.write(out);
        }
        for seg in self.segs {
            out.push('/');
            match seg {
                Seg::Key(key) => out.push_str(&escape(key)),
                Seg::Index(index) => out.push_str(&index.to_string()),
            }
        }
    }

    fn under(&self, base: &str) -> String {
        let mut out = base.to_owned();
        self.write(&mut out);
        out
    }
}

struct Bundler {
    layout: Layout,
    files: Vec<Rc<FileData>>,
    /// A file's [`identity`] → its index in `files`.
    by_path: HashMap<PathBuf, usize>,
    /// (file, fragment, section) → the component name its copy got.
    names: HashMap<(usize, String, &'static str), String>,
    /// Names used in each `components` section (filled when first needed).
    taken: HashMap<&'static str, HashSet<String>>,
    pending: VecDeque<Pending>,
    hoisted: Vec<(&'static str, String, Value)>,
    edits: Vec<(String, Edit)>,
    /// Originals in the root document replaced by a reference to their copy; applied last,
    /// after the edits made inside them (to their copies' origins, the originals themselves).
    shared: Vec<(String, Edit)>,
    origins: Origins,
    /// The path items and callbacks being inlined (a `$ref` back to one is a cycle).
    inlining: Vec<(usize, String)>,
    errors: Vec<Diagnostic>,
}

impl Bundler {
    fn new(root_path: &Path, root_source: String, root: Value, layout: Layout) -> Self {
        let mut by_path = HashMap::new();
        by_path.insert(identity(&normalize(root_path)), 0);
        Self {
            layout,
            files: vec![Rc::new(FileData {
                path: root_path.to_owned(),
                source: root_source,
                value: root,
            })],
            by_path,
            names: HashMap::new(),
            taken: HashMap::new(),
            pending: VecDeque::new(),
            hoisted: Vec::new(),
            edits: Vec::new(),
            shared: Vec::new(),
            origins: Origins::default(),
            inlining: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn walk(&mut self, kind: Kind, value: &Value, ctx: &Ctx, at: &At<'_>) {
        if let Some(Value::String(reference)) = value.get("$ref") {
            self.reference(kind, reference, value, ctx, at);
            // A schema's siblings of `$ref` (3.1) may hold schemas of their own.
            if kind != Kind::Schema {
                return;
            }
        }
        let layout = self.layout;
        layout.children(kind, value, &mut |child_kind, segs, child| {
            self.walk(
                child_kind,
                child,
                ctx,
                &At {
                    parent: Some(at),
                    segs,
                },
            );
        });
    }

    /// An error at the `$ref` of the node at `at`.
    fn ref_error(
        &mut self,
        kind: DiagnosticKind,
        ctx: &Ctx,
        at: &At<'_>,
        message: String,
        help: &str,
    ) {
        let file = &self.files[ctx.file];
        let pointer = format!("{}/$ref", at.under(&ctx.source_base));
        let position = locate::locate(&file.source, &pointer);
        self.errors.push(
            Diagnostic::error(kind, &file.path, message)
                .at(pointer)
                .with_position(position)
                .help(help),
        );
    }

    fn reference(&mut self, kind: Kind, reference: &str, node: &Value, ctx: &Ctx, at: &At<'_>) {
        let Some(section) = kind.section() else {
            return;
        };
        let Some((file, fragment)) = self.resolve(reference, ctx, at) else {
            return;
        };
        let layout = self.layout;
        let direct = (file == 0 && !kind.is_inlined())
            .then(|| direct_name(layout, &fragment, section))
            .flatten();
        if let Some(name) = direct {
            if !reference.starts_with('#') || ctx.file != 0 {
                let local = local_ref(layout, section, &name);
                self.edits.push((
                    format!("{}/$ref", at.under(&ctx.bundled_base)),
                    Edit::SetRef(local),
                ));
            }
            // A local reference to a missing component is reported by lowering, which knows
            // the names to suggest.
            return;
        }
        if self.files[file].value.pointer(&fragment).is_none() {
            let shown = self.files[file].path.display().to_string();
            self.ref_error(
                DiagnosticKind::UnresolvedRef,
                ctx,
                at,
                format!("`$ref: {reference}` points to nothing: {shown} has no node at `{fragment}`"),
                "correct the JSON pointer after `#` (a `/`-separated path of keys, with `~1` for `/` and `~0` for `~`)",
            );
            return;
        }
        if let Some(other) = component_section(layout, &fragment).filter(|other| *other != section)
        {
            self.ref_error(
                DiagnosticKind::UnsupportedRef,
                ctx,
                at,
                format!("`$ref: {reference}` points to a `{other}` component where one of `{section}` belongs"),
                &format!("reference an object under `components/{section}`"),
            );
            return;
        }
        if kind.is_inlined() {
            self.inline(kind, file, fragment, node, ctx, at);
            return;
        }
        if layout.container(section).is_none() {
            return;
        }
        let name = self.name_for(kind, section, file, fragment);
        let local = local_ref(layout, section, &name);
        self.edits.push((
            format!("{}/$ref", at.under(&ctx.bundled_base)),
            Edit::SetRef(local),
        ));
    }

    /// For a copy of a node of the root document (`#/paths/...`, a property of a component):
    /// the original becomes a reference to the copy, so both places share one type. Only
    /// where the document's structure puts an object of the same kind (not inside an example).
    fn share_original(&mut self, kind: Kind, section: &str, name: &str, fragment: &str) {
        if structure::kind_at(self.layout, &self.files[0].value, fragment) == Some(kind) {
            let local = local_ref(self.layout, section, name);
            let reference = Value::Object(serde_json::Map::from_iter([(
                "$ref".to_owned(),
                Value::String(local),
            )]));
            self.shared
                .push((fragment.to_owned(), Edit::Replace(reference)));
        }
    }

    /// The file and the (decoded) fragment a reference names, loading the file if needed.
    fn resolve(&mut self, reference: &str, ctx: &Ctx, at: &At<'_>) -> Option<(usize, String)> {
        let (uri, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if has_scheme(uri) {
            self.ref_error(
                DiagnosticKind::UnsupportedRef,
                ctx,
                at,
                format!("`$ref: {reference}` is a remote reference; desk reads local files only and uses no network while generating"),
                "download the file next to the description and refer to it by a relative path",
            );
            return None;
        }
        let fragment = percent_decode(fragment);
        if !fragment.is_empty() && !fragment.starts_with('/') {
            self.ref_error(
                DiagnosticKind::UnsupportedRef,
                ctx,
                at,
                format!("`$ref: {reference}` names an anchor, not a JSON pointer"),
                "refer to the node by its JSON pointer (`#/components/schemas/Name`)",
            );
            return None;
        }
        let file = if uri.is_empty() {
            ctx.file
        } else {
            self.load(reference, &percent_decode(uri), ctx, at)?
        };
        Some((file, fragment))
    }

    fn load(&mut self, reference: &str, relative: &str, ctx: &Ctx, at: &At<'_>) -> Option<usize> {
        let base = self.files[ctx.file].path.parent().unwrap_or(Path::new(""));
        let path = normalize(&base.join(relative));
        let key = identity(&path);
        if let Some(index) = self.by_path.get(&key) {
            return Some(*index);
        }
        let source = match std::fs::read_to_string(&path) {
            Ok(source) => source,
            Err(err) => {
                self.ref_error(
                    DiagnosticKind::UnresolvedRef,
                    ctx,
                    at,
                    format!("`$ref: {reference}` names the file {}, which cannot be read: {err}", path.display()),
                    "correct the path: it is relative to the folder of the file that holds the `$ref`",
                );
                return None;
            }
        };
        let value = match parse_value(&path, &source) {
            Ok(value) => value,
            Err(diagnostic) => {
                self.errors.push(diagnostic);
                return None;
            }
        };
        let index = self.files.len();
        self.files.push(Rc::new(FileData {
            path: path.clone(),
            source,
            value,
        }));
        self.by_path.insert(key, index);
        Some(index)
    }

    /// Replaces the `$ref` node at `at` by a copy of its target, walked in its own file.
    fn inline(
        &mut self,
        kind: Kind,
        file: usize,
        fragment: String,
        node: &Value,
        ctx: &Ctx,
        at: &At<'_>,
    ) {
        if self
            .inlining
            .iter()
            .any(|(f, p)| *f == file && *p == fragment)
        {
            self.ref_error(
                DiagnosticKind::UnresolvedRef,
                ctx,
                at,
                "this `$ref` leads back to itself: a path item or callback cannot contain itself"
                    .into(),
                "make one of the referenced objects a definition instead of a `$ref`",
            );
            return;
        }
        let target_file = Rc::clone(&self.files[file]);
        let Some(target) = target_file.value.pointer(&fragment) else {
            return;
        };
        let mut copy = target.clone();
        // Fields beside `$ref` (a summary, a description) are kept over the target's.
        if let (Some(copy), Some(siblings)) = (copy.as_object_mut(), node.as_object()) {
            for (key, sibling) in siblings.iter().filter(|(key, _)| *key != "$ref") {
                copy.insert(key.clone(), sibling.clone());
            }
        }
        let bundled = at.under(&ctx.bundled_base);
        self.origins
            .came_from(bundled.clone(), file, fragment.clone());
        self.edits.push((bundled.clone(), Edit::Replace(copy)));
        self.inlining.push((file, fragment.clone()));
        let inner = Ctx {
            file,
            source_base: fragment,
            bundled_base: bundled,
        };
        self.walk(kind, target, &inner, &At::ROOT);
        self.inlining.pop();
    }

    /// The component name of the copy of `fragment` in `file`, queued for copying the first
    /// time it is asked for.
    fn name_for(
        &mut self,
        kind: Kind,
        section: &'static str,
        file: usize,
        fragment: String,
    ) -> String {
        let key = (file, fragment, section);
        if let Some(name) = self.names.get(&key) {
            return name.clone();
        }
        let wanted = hoisted_name(&self.files[file].path, &key.1, section);
        let root = &self.files[0].value;
        let container = self.layout.container(section).unwrap_or_default();
        let taken = self.taken.entry(section).or_insert_with(|| {
            // The root's own names, gathered the first time a copy needs a name in this section.
            let own = root.pointer(container).and_then(Value::as_object);
            own.into_iter()
                .flatten()
                .map(|(name, _)| name.clone())
                .collect()
        });
        let mut name = wanted.clone();
        let mut counter = 2;
        while taken.contains(&name) {
            name = format!("{wanted}{counter}");
            counter += 1;
        }
        taken.insert(name.clone());
        if file == 0 {
            self.share_original(kind, section, &name, &key.1);
        }
        self.pending.push_back(Pending {
            kind,
            section,
            name: name.clone(),
            file,
            fragment: key.1.clone(),
        });
        self.names.insert(key, name.clone());
        name
    }

    /// Copies every queued target into `components`, walking each (which may queue more).
    fn hoist_pending(&mut self) {
        while let Some(pending) = self.pending.pop_front() {
            let file = Rc::clone(&self.files[pending.file]);
            let Some(target) = file.value.pointer(&pending.fragment) else {
                continue;
            };
            let container = self.layout.container(pending.section).unwrap_or_default();
            let bundled = format!("{container}/{}", escape(&pending.name));
            self.origins
                .came_from(bundled.clone(), pending.file, pending.fragment.clone());
            let ctx = Ctx {
                file: pending.file,
                source_base: pending.fragment,
                bundled_base: bundled,
            };
            self.walk(pending.kind, target, &ctx, &At::ROOT);
            self.hoisted
                .push((pending.section, pending.name, target.clone()));
        }
    }

    fn finish(self) -> Bundled {
        let mut files = Vec::with_capacity(self.files.len());
        let mut root = Value::Null;
        for (index, file) in self.files.into_iter().enumerate() {
            let FileData {
                path,
                source,
                value,
            } = Rc::try_unwrap(file).unwrap_or_else(|shared| FileData {
                path: shared.path.clone(),
                source: shared.source.clone(),
                value: shared.value.clone(),
            });
            if index == 0 {
                root = value;
            }
            files.push(SourceFile { path, source });
        }
        for (section, name, value) in self.hoisted {
            let Some(container) = self.layout.container(section) else {
                continue;
            };
            // The container's keys, created where missing (`components`, then the section).
            let mut node = Some(&mut root);
            for key in container.split('/').skip(1) {
                node = node.and_then(Value::as_object_mut).map(|map| {
                    map.entry(key)
                        .or_insert_with(|| Value::Object(Default::default()))
                });
            }
            if let Some(entries) = node.and_then(Value::as_object_mut) {
                entries.insert(name, value);
            }
        }
        for (pointer, edit) in self.edits.into_iter().chain(self.shared) {
            let Some(node) = root.pointer_mut(&pointer) else {
                continue;
            };
            match edit {
                Edit::Replace(value) => *node = value,
                Edit::SetRef(reference) => *node = Value::String(reference),
            }
        }
        Bundled {
            value: root,
            files,
            origins: self.origins,
        }
    }
}

/// Whether any `$ref` below `value` needs bundling: one that names another file or a node
/// other than a component of a section whose references openapiv3 keeps (in 2.0: an entry of
/// `definitions`, `parameters` or `responses`).
fn has_work(value: &Value, layout: Layout) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(key, child)| match child {
            Value::String(reference) if key == "$ref" => !is_plain_component_ref(reference, layout),
            Value::Object(_) | Value::Array(_) => has_work(child, layout),
            _ => false,
        }),
        Value::Array(items) => items.iter().any(|item| has_work(item, layout)),
        _ => false,
    }
}

/// `#/components/<section>/<name>` (2.0: `#/definitions/<name>`, ...) for a section openapiv3
/// reads references to, with nothing to decode.
fn is_plain_component_ref(reference: &str, layout: Layout) -> bool {
    const SECTIONS: &[&str] = &[
        "schemas",
        "parameters",
        "responses",
        "requestBodies",
        "headers",
        "examples",
        "links",
        "securitySchemes",
    ];
    let Some(fragment) = reference.strip_prefix('#') else {
        return false;
    };
    SECTIONS
        .iter()
        .any(|section| direct_name(layout, fragment, section).is_some() && !fragment.contains('%'))
}

/// `#/components/<section>/<name>` (2.0: `#/definitions/<name>`, ...): the reference to an entry.
fn local_ref(layout: Layout, section: &str, name: &str) -> String {
    let container = layout.container(section).unwrap_or_default();
    format!("#{container}/{}", escape(name))
}

/// `Name` if `fragment` is `/components/<section>/<Name>` (2.0: `/definitions/<Name>`, ...).
fn direct_name(layout: Layout, fragment: &str, section: &str) -> Option<String> {
    let rest = fragment
        .strip_prefix(layout.container(section)?)?
        .strip_prefix('/')?;
    (!rest.contains('/')).then(|| unescape(rest))
}

/// The section of `/components/<section>/<name>` (2.0: `/definitions/<name>`, ...), when
/// `fragment` has that form.
fn component_section(layout: Layout, fragment: &str) -> Option<&'static str> {
    layout
        .sections()
        .iter()
        .copied()
        .find(|section| direct_name(layout, fragment, section).is_some())
        .and_then(|section| Kind::of_section(section).and_then(Kind::section))
}

/// The name a hoisted copy wants: the last key of the fragment when it names an entry of a
/// collection (`/components/schemas/Pet`, `/$defs/Pet`, `/Pet`), the file's stem for a whole
/// file, else the fragment's telling keys joined (`/paths/~1pets/get/responses/200/...`).
fn hoisted_name(path: &Path, fragment: &str, section: &str) -> String {
    const COLLECTIONS: &[&str] = &[
        "schemas",
        "parameters",
        "responses",
        "requestBodies",
        "headers",
        "examples",
        "links",
        "callbacks",
        "securitySchemes",
        "pathItems",
        "$defs",
        "definitions",
    ];
    const STRUCTURAL: &[&str] = &[
        "paths",
        "components",
        "content",
        "schema",
        "schemas",
        "properties",
        "items",
        "$defs",
        "definitions",
    ];
    let segments: Vec<String> = fragment.split('/').skip(1).map(unescape).collect();
    let raw = match segments.as_slice() {
        [] => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        [name] => name.clone(),
        [.., collection, name] if COLLECTIONS.contains(&collection.as_str()) => name.clone(),
        _ => segments
            .iter()
            .filter(|s| !STRUCTURAL.contains(&s.as_str()))
            .cloned()
            .collect::<Vec<_>>()
            .join("-"),
    };
    let mut name = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_alphanumeric() || c == '_' {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    if name.is_empty() {
        section.trim_end_matches('s').to_owned()
    } else {
        name.to_owned()
    }
}

/// Whether a reference's file part is a URI with a scheme (`https:`, `file:`, `urn:`), not a
/// relative path. One letter before `:` is a Windows drive, not a scheme.
fn has_scheme(uri: &str) -> bool {
    match uri.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

fn percent_decode(text: &str) -> String {
    if text.contains('%') {
        percent_encoding::percent_decode_str(text)
            .decode_utf8_lossy()
            .into_owned()
    } else {
        text.to_owned()
    }
}

/// What tells files apart: the canonical path when the file exists (so `../spec/openapi.yaml`
/// from a subfolder is the root itself), else the normalised one. Only a key: diagnostics show
/// the normalised path.
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// `a/./b/../c` → `a/c`, without touching the file system (no symlinks resolved, no absolute
/// paths made), so diagnostics show paths as the user wrote them.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if out.file_name().is_some() {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_fragment_or_the_file() {
        let file = Path::new("components/schemas/Links-Self.yaml");
        assert_eq!(hoisted_name(file, "", "schemas"), "Links-Self");
        assert_eq!(
            hoisted_name(file, "/components/schemas/Pet", "schemas"),
            "Pet"
        );
        assert_eq!(hoisted_name(file, "/Pet", "schemas"), "Pet");
        assert_eq!(
            hoisted_name(file, "/components/schemas/Pet/$defs/Tag", "schemas"),
            "Tag"
        );
        assert_eq!(
            hoisted_name(
                file,
                "/paths/~1pets/get/responses/200/content/application~1json/schema",
                "schemas"
            ),
            "pets-get-responses-200-application-json"
        );
    }

    #[test]
    fn paths_are_normalised_lexically() {
        assert_eq!(
            normalize(Path::new("a/./paths/../components/x.yaml")),
            PathBuf::from("a/components/x.yaml")
        );
        assert_eq!(
            normalize(Path::new("../shared/./x.yaml")),
            PathBuf::from("../shared/x.yaml")
        );
        assert_eq!(
            normalize(Path::new("paths/../../x.yaml")),
            PathBuf::from("../x.yaml")
        );
    }

    #[test]
    fn schemes_are_told_from_paths() {
        assert!(has_scheme("https://example.com/a.yaml"));
        assert!(has_scheme("http://example.com/a.yaml"));
        assert!(has_scheme("urn:example:a"));
        assert!(!has_scheme("C:/specs/a.yaml"));
        assert!(!has_scheme("../a.yaml"));
    }

    #[test]
    fn origins_follow_moves_to_files() {
        let mut origins = Origins::default();
        origins.came_from("/components/schemas/Pet".into(), 2, "/Pet".into());
        origins.moved(
            "/components/schemas/Pet/allOf/1".into(),
            "/components/schemas/Pet".into(),
        );
        assert_eq!(
            origins.resolve("/components/schemas/Pet/allOf/1/$ref"),
            (2, "/Pet/$ref".into())
        );
        assert_eq!(
            origins.resolve("/components/schemas/Pet/properties/a"),
            (2, "/Pet/properties/a".into())
        );
        assert_eq!(origins.resolve("/paths/~1a"), (0, "/paths/~1a".into()));
    }
}
