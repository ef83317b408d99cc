//! What a new description changes in the generated Rust API, and the semver bump it needs.
//!
//! Two descriptions ([`Config::diff`]) or the code on disk and a new description (on
//! regeneration, [`crate::Rendered::api_changes`]) are read into one public API model (the
//! items, fields, variants, methods and trait derives users can rely on; `model`), compared by
//! one engine (`engine`), and reported as [`ApiDiff`]: every change in Rust terms, with its
//! class (breaking or not, and why, in one line) and where it is in both descriptions.
//!
//! Reading the model from the IR (`from_ir`) costs a load and a lowering per description, no
//! emitting; reading it from generated code (`from_rust`) parses the files with `syn`. A test
//! keeps the two readings equal on every spec desk owns.
//!
//! # Classes, in the judged mode
//!
//! [`ApiDiff::mode`] says which API the verdict judges; the judge is the compiler, as for
//! cargo-semver-checks, item by item:
//!
//! - [`ApiMode::Exhaustive`] (the default of module output): structs with public fields and
//!   enums, none `#[non_exhaustive]`. Any new field breaks struct literals and any new variant
//!   (an enum value, a union alternative, a documented status of an outcome enum) breaks
//!   exhaustive `match`es, even though desk's enums are open on the wire (an unknown value
//!   decodes into `Other`).
//! - [`ApiMode::Stable`] ([`Config::stable_api`], the default of crate output): every struct and
//!   enum is `#[non_exhaustive]`, and built outside the crate through constructors and setters.
//!   A new optional field or parameter, a new enum value, a new alternative of a tagged union
//!   (unknown tags were kept in its catch-all) and a new documented status are additions. A new
//!   required field still breaks (the constructor takes it); a new alternative of an untagged
//!   union is breaking and silent (values another alternative took may decode as it).
//!
//! On regeneration the mode is read from the code: `#[non_exhaustive]` on the items.
//!
//! Some changes compile and still change what a program does (a documented status removed,
//! an operation that now needs credentials): they are breaking with [`Change::silent`] set.

mod engine;
mod from_ir;
pub(crate) mod from_rust;
mod model;
mod render;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Diagnostic, DiagnosticKind, Error};
use crate::{load, Config, GeneratedFile};

pub use render::ReportFormat;

/// Which generated API the verdict judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiMode {
    /// Structs with public fields and enums, none `#[non_exhaustive]`: additions to them break
    /// struct literals and exhaustive `match`es.
    Exhaustive,
    /// Structs and enums `#[non_exhaustive]`, built through constructors and setters
    /// ([`Config::stable_api`]): new optional fields, enum values and operations are additions.
    Stable,
}

impl ApiMode {
    /// The mode in words, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            ApiMode::Exhaustive => {
                "exhaustive: structs and enums are not `#[non_exhaustive]`, so new fields and variants break"
            }
            ApiMode::Stable => {
                "stable: structs and enums are `#[non_exhaustive]` and built through constructors and setters, so new optional fields, enum values and operations are additions"
            }
        }
    }
}

/// The semver bump a change (or a whole diff) needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// Nothing users can see changed.
    Patch,
    /// Additions: new operations, types, methods, trait impls, decoded statuses.
    Minor,
    /// Something that breaks a user's build or silently changes what their program does.
    Major,
}

impl Bump {
    /// `major`, `minor` or `patch`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// What changed. Operation kinds are grouped under the operation's method, the others under
/// their type (or under the operation when the type is the operation's own: `*Params`,
/// `*Multipart`, `*Response`, `*Error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangeKind {
    /// A new operation method.
    OperationAdded,
    /// An operation method removed.
    OperationRemoved,
    /// An operation's method renamed (its `operationId`, or a collision, changed the name).
    OperationRenamed,
    /// An operation method that now sends another HTTP method or path.
    OperationMoved,
    /// A new required parameter (a path argument, or a required query or header field).
    RequiredParameterAdded,
    /// A new optional query or header parameter.
    OptionalParameterAdded,
    /// A parameter removed.
    ParameterRemoved,
    /// A parameter whose Rust type changed (required or optional included).
    ParameterTypeChanged,
    /// The request body added, removed, or of another type.
    RequestBodyChanged,
    /// The result type of an operation (or of one status) changed.
    ResponseTypeChanged,
    /// A documented status the method now decodes.
    StatusAdded,
    /// A documented status the method no longer decodes.
    StatusRemoved,
    /// The operation now needs credentials.
    AuthRequired,
    /// The operation no longer needs credentials.
    AuthDropped,
    /// A new type.
    TypeAdded,
    /// A type removed.
    TypeRemoved,
    /// A type whose Rust name changed (a naming collision, or the schema's name).
    TypeRenamed,
    /// A type that is now of another kind, or an alias of another type.
    TypeChanged,
    /// A new required field (request forms: the constructor takes it).
    RequiredFieldAdded,
    /// A new optional field.
    OptionalFieldAdded,
    /// A field removed.
    FieldRemoved,
    /// A field of a request form that became read-only, so the form lost it.
    FieldNowReadOnly,
    /// A field whose Rust type changed.
    FieldTypeChanged,
    /// A response field that the server may now leave out or send as `null` (`T` → `Option<T>`).
    FieldNowOptional,
    /// A request field that must now be sent (`Option<T>` → `T`).
    FieldNowRequired,
    /// A field whose Rust name changed (same property).
    FieldRenamed,
    /// A new value of an open enum.
    EnumValueAdded,
    /// A value of an open enum removed.
    EnumValueRemoved,
    /// A new alternative of a union.
    UnionVariantAdded,
    /// An alternative of a union removed.
    UnionVariantRemoved,
    /// An alternative of a union that now holds another type.
    UnionVariantChanged,
    /// Values of an enum that derives `PartialOrd`/`Ord` listed in another order: comparisons
    /// and sorting give another order.
    EnumValuesReordered,
    /// A trait the type derived and no longer does (`Default` when a field became required).
    TraitImplRemoved,
    /// A trait the type now derives.
    TraitImplAdded,
    /// A new method.
    MethodAdded,
    /// A method removed.
    MethodRemoved,
    /// A method whose signature changed.
    MethodChanged,
    /// A struct or enum that became `#[non_exhaustive]`: literals and exhaustive `match`es of
    /// it outside the crate stop compiling.
    TypeNowNonExhaustive,
    /// A struct or enum that is no longer `#[non_exhaustive]`.
    TypeNowExhaustive,
}

impl ChangeKind {
    /// The kind in words (`field removed`).
    pub fn describe(self) -> String {
        let json = serde_json::to_value(self).ok();
        json.as_ref()
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .replace('_', " ")
    }

    /// The class this kind has when nothing more specific is known; `absorbed` says that the
    /// item changed is `#[non_exhaustive]` and takes the addition (see the module docs).
    fn bump(self, absorbed: bool) -> Bump {
        use ChangeKind::*;
        match self {
            OperationAdded | TypeAdded | TraitImplAdded | MethodAdded | StatusAdded
            | AuthDropped | TypeNowExhaustive => Bump::Minor,
            // Additions to exhaustive structs and enums break literals and matches.
            OptionalParameterAdded | OptionalFieldAdded | EnumValueAdded | UnionVariantAdded
                if absorbed =>
            {
                Bump::Minor
            }
            _ => Bump::Major,
        }
    }

    /// Whether code keeps compiling while the program changes behaviour.
    fn silent(self) -> bool {
        matches!(self, ChangeKind::AuthRequired | ChangeKind::OperationMoved)
    }
}

/// Where a change is reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "by", content = "name", rename_all = "snake_case")]
pub enum Group {
    /// Under an operation, by its client method's name (the new one when renamed).
    Operation(String),
    /// Under a type, by its path (`models::Conversation`).
    Type(String),
}

impl Group {
    /// The operation's method name or the type's path.
    pub fn name(&self) -> &str {
        match self {
            Group::Operation(name) | Group::Type(name) => name,
        }
    }

    fn order(&self) -> u8 {
        match self {
            Group::Operation(_) => 0,
            Group::Type(_) => 1,
        }
    }
}

/// A place in a description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file, as given (the root) or relative to it (the files it refers to).
    pub file: PathBuf,
    /// Line, from 1, where the file's format gives one.
    pub line: Option<usize>,
    /// Column, from 1.
    pub column: Option<usize>,
    /// The JSON pointer in that file.
    pub pointer: String,
}

/// One side of a change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Side {
    /// The Rust on that side: a type, a signature, a name.
    pub rust: Option<String>,
    /// Where it is in that side's description (none when read from generated code).
    pub location: Option<Location>,
}

/// One change to the generated public API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// Whether it can break users: their build, or (with `silent`) what their program does.
    pub breaking: bool,
    /// The bump it needs on its own.
    pub bump: Bump,
    /// Breaking without a compile error: the program behaves differently.
    pub silent: bool,
    /// Why, in one line.
    pub reason: String,
    /// The operation or type it is reported under.
    pub group: Group,
    /// The Rust item: `models::Conversation`, `client::Client::list_conversations`.
    pub item: String,
    /// The field, variant, parameter, method, trait or status, when the change is about one.
    pub member: Option<String>,
    /// Before.
    pub old: Side,
    /// After.
    pub new: Side,
}

impl Change {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        kind: ChangeKind,
        absorbed: bool,
        group: Group,
        item: &str,
        member: Option<&str>,
        reason: String,
        old: Option<String>,
        new: Option<String>,
    ) -> Self {
        let bump = kind.bump(absorbed);
        Change {
            kind,
            breaking: bump == Bump::Major,
            bump,
            silent: kind.silent(),
            reason,
            group,
            item: item.to_owned(),
            member: member.map(str::to_owned),
            old: Side {
                rust: old,
                location: None,
            },
            new: Side {
                rust: new,
                location: None,
            },
        }
    }
}

/// The changes a new description makes to the generated public Rust API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiDiff {
    /// The old side: a description's file, or the folder of generated code.
    pub old: String,
    /// The new side.
    pub new: String,
    /// The API the verdict judges.
    pub mode: ApiMode,
    /// The bump the generated crate needs: the largest of its changes' (`patch` when none).
    pub verdict: Bump,
    /// Every change, operations first (by method name), then types (by path).
    pub changes: Vec<Change>,
}

impl ApiDiff {
    fn new(old: String, new: String, mode: ApiMode, changes: Vec<Change>) -> Self {
        let verdict = changes.iter().map(|c| c.bump).max().unwrap_or(Bump::Patch);
        ApiDiff {
            old,
            new,
            mode,
            verdict,
            changes,
        }
    }

    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaking)
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The report in `format` (JSON, markdown or text).
    pub fn render(&self, format: ReportFormat) -> String {
        render::render(self, format)
    }

    /// A short summary: the verdict, then one line per kind of change with its count (with
    /// `verbose`, every change): what regeneration prints.
    pub fn summary(&self, verbose: bool) -> String {
        render::summary(self, verbose)
    }
}

/// One description, loaded and lowered, and its model.
struct Described {
    loaded: load::LoadedSpec,
    model: model::ApiModel,
}

impl Config {
    /// What changes in the generated public API from the description `old` to `new` (each a
    /// root file: YAML or JSON, split across files or not), with this configuration's parts,
    /// type names, derives and selection.
    ///
    /// ```
    /// use desk_codegen::{Bump, ChangeKind, Config};
    ///
    /// let old = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet: {type: object, required: [name], properties: {name: {type: string}, tag: {type: string}}}\n";
    /// let new = old.replace(", tag: {type: string}", "");
    /// let diff = Config::new().diff_str(("v1.yaml", old), ("v2.yaml", &new))?;
    /// assert_eq!(diff.verdict, Bump::Major);
    /// assert!(diff.changes.iter().any(|c| c.kind == ChangeKind::FieldRemoved && c.member.as_deref() == Some("tag")));
    /// # Ok::<(), desk_codegen::Error>(())
    /// ```
    pub fn diff(&self, old: impl AsRef<Path>, new: impl AsRef<Path>) -> Result<ApiDiff, Error> {
        let (old, new) = (old.as_ref(), new.as_ref());
        // The two sides are independent: read them side by side.
        let (a, b) = std::thread::scope(|scope| {
            let a = scope.spawn(|| self.diff_side(self.load_path(old)));
            let b = self.diff_side(self.load_path(new));
            (a.join().expect("reading a description does not panic"), b)
        });
        self.diff_sides(a?, b?)
    }

    /// [`Config::diff`] of descriptions given as text: `(name, text)`, the name picking the
    /// parser by extension and labelling locations.
    pub fn diff_str(&self, old: (&str, &str), new: (&str, &str)) -> Result<ApiDiff, Error> {
        let load = |(name, text): (&str, &str)| self.load_str(name, text);
        let a = self.diff_side(load(old))?;
        let b = self.diff_side(load(new))?;
        self.diff_sides(a, b)
    }

    fn diff_side(&self, loaded: Result<crate::Spec, Error>) -> Result<Described, Error> {
        crate::render::validate(self)?;
        let mut loaded = loaded?.loaded;
        // The report shows no warnings: do not pay for locating them.
        let lowered = self.lower_spec_unlocated(&loaded)?;
        let model = from_ir::from_ir(&lowered.ir, &crate::render::emit_options(self), self.parts);
        // Only the files' text and origins are needed from here on (to locate changes): free
        // the document and the IR on this side's thread, while they are at hand.
        drop(lowered);
        loaded.document = openapiv3::OpenAPI::default();
        Ok(Described { loaded, model })
    }

    fn diff_sides(&self, a: Described, b: Described) -> Result<ApiDiff, Error> {
        let found = engine::compare(&a.model, &b.model);
        let changes = locate(found, Some(&a.loaded), Some(&b.loaded));
        let mode = if self.effective_stable_api() {
            ApiMode::Stable
        } else {
            ApiMode::Exhaustive
        };
        Ok(ApiDiff::new(
            a.loaded.path.display().to_string(),
            b.loaded.path.display().to_string(),
            mode,
            changes,
        ))
    }
}

/// Fills in each change's locations: one pass over each description's files for all pointers.
fn locate(
    found: Vec<engine::Found>,
    old: Option<&load::LoadedSpec>,
    new: Option<&load::LoadedSpec>,
) -> Vec<Change> {
    let side = |spec: Option<&load::LoadedSpec>, pointers: Vec<Option<String>>| {
        let Some(spec) = spec else {
            return vec![None; pointers.len()];
        };
        let mut diagnostics: Vec<Diagnostic> = pointers
            .iter()
            .map(|p| {
                spec.diagnostic(
                    DiagnosticKind::InvalidDocument,
                    p.as_deref().unwrap_or(""),
                    "",
                )
            })
            .collect();
        spec.locate_all(&mut diagnostics);
        pointers
            .iter()
            .zip(diagnostics)
            .map(|(pointer, d)| {
                pointer.as_ref()?;
                Some(Location {
                    file: d.file,
                    line: d.position.map(|p| p.line),
                    column: d.position.map(|p| p.column),
                    pointer: d.pointer.unwrap_or_default(),
                })
            })
            .collect::<Vec<_>>()
    };
    // One pass over each side's files: side by side.
    let (olds, news) = std::thread::scope(|scope| {
        let olds = scope.spawn(|| side(old, found.iter().map(|f| f.old_pointer.clone()).collect()));
        let news = side(new, found.iter().map(|f| f.new_pointer.clone()).collect());
        (olds.join().expect("locating does not panic"), news)
    });
    found
        .into_iter()
        .zip(olds.into_iter().zip(news))
        .map(|(f, (old, new))| {
            let mut change = f.change;
            change.old.location = old;
            change.new.location = new;
            change
        })
        .collect()
}

/// The API changes from the generated files on disk in `dir` to `files` (what is about to be
/// written), when both hold generated code and it differs; `None` when there is nothing on disk
/// to compare with, or nothing changed.
pub(crate) fn on_regeneration(dir: &Path, files: &[GeneratedFile]) -> Option<ApiDiff> {
    let mut old_texts: Vec<(String, String)> = Vec::new();
    let mut changed = false;
    for file in files {
        let path = dir.join(&file.path);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        changed |= text != file.contents;
        old_texts.push((file.path.display().to_string(), text));
    }
    if old_texts.is_empty() || !changed {
        return None;
    }
    let old =
        from_rust::from_files(old_texts.iter().map(|(p, t)| (p.as_str(), t.as_str()))).ok()?;
    let new = from_rust::from_files(
        files
            .iter()
            .map(|f| (f.path.to_str().unwrap_or_default(), f.contents.as_str())),
    )
    .ok()?;
    let found = engine::compare(&old, &new);
    let changes = locate(found, None, None);
    let label = dir.display().to_string();
    Some(ApiDiff::new(
        format!("{label} (on disk)"),
        format!("{label} (regenerated)"),
        new.mode(),
        changes,
    ))
}
