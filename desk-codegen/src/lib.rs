//! `desk-codegen` turns an OpenAPI 3.0 description into typed Rust: models, request types with
//! real partial-update semantics, and an async client.
//!
//! The public API is [`Config`] and its options, what it returns ([`Rendered`], the
//! [`TypeIndex`]) and its errors ([`Error`], [`Diagnostic`]). Inside, one private module per
//! stage: load (YAML or JSON, one file or a root and the files it refers to, bundled into one
//! document, 3.1 normalised onto 3.0), lower (resolve every `$ref` and decide every name and
//! policy once, producing the IR), emit (the IR to syntax trees; emitters only render) and
//! render (one module at a time: emit, print with `prettyplease` under the `@generated`
//! header; lay the files out as a folder, one file or a crate; compare, or write so that a
//! failure leaves the old files). [`Config::load`], [`Config::lower`] and
//! [`Config::emit`] run the stages one at a time, with opaque results, for tools that time
//! them or need the bundled document.
//!
//! [`Rendered::types`] says which Rust type holds each component schema and each JSON body, as
//! the IR decided: `cargo xtask conformance` decodes instances with it.
//!
//! # Use from a build script
//!
//! ```no_run
//! // build.rs: `fn main()` of the build script.
//! desk_codegen::Config::new()
//!     .spec("spec/conversations.yaml")
//!     .generate_or_exit(); // a bad spec fails the build with Cargo diagnostics, no panic
//! ```
//!
//! and in the crate: `include!(concat!(env!("OUT_DIR"), "/desk_api.rs"));`. The generated code
//! needs `desk-runtime` (its `client` feature for the client part), `serde` (with `derive`),
//! and `serde_json` and `chrono` (with `serde`) when the spec uses them;
//! [`Config::requirements`] lists them for a given output. [`Config::package`] writes a whole
//! crate instead.
//!
//! To generate part of a large API, select operations by tag, `operationId` or path
//! ([`Config::select_tag`], [`Config::select_operation`], [`Config::select_path`]): only they
//! and the models they reach are generated, and loading keeps only that part of the document.
//!
//! # Use as a library
//!
//! ```
//! let spec = r#"
//! openapi: 3.0.3
//! info: {title: Pets, version: "1"}
//! paths: {}
//! components:
//!   schemas:
//!     Pet:
//!       type: object
//!       required: [name]
//!       properties:
//!         name: {type: string}
//!         tag: {type: string, nullable: true}
//! "#;
//! let rendered = desk_codegen::Config::new()
//!     .parts(desk_codegen::Parts::MODELS)
//!     .render_str("pets.yaml", spec)
//!     .expect("a valid spec");
//! let models = &rendered.files.iter().find(|f| f.path.ends_with("models.rs")).unwrap().contents;
//! assert!(models.starts_with("// @generated"));
//! assert!(models.contains("pub struct Pet"));
//! ```
//!
//! # Type mapping
//!
//! See `design/type-mapping.md`; the rules this crate adds where that page is silent are in
//! the docs of its private modules `lower::names` (identifiers), `emit::models` and `emit::requests`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Diagnostics are large but only travel on the failure path; keeping them unboxed keeps the
// API plain.
#![allow(clippy::result_large_err)]

mod diff;
mod emit;
mod error;
mod ir;
mod load;
mod locate;
mod lower;
mod render;
mod select;
#[cfg(test)]
mod stage_tests;
mod staged;
mod type_index;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use diff::{ApiDiff, ApiMode, Bump, Change, ChangeKind, Group, Location, ReportFormat, Side};
pub use error::{Diagnostic, DiagnosticKind, Error, Position, Severity};
pub use ir::Module;
pub use lower::PageHint;
pub use render::{CrateOptions, Dependency, GeneratedFile, Rendered, Requirements, RuntimeSource};
pub use select::Selector;
pub use staged::{Emitted, Lowered, PagedOperation, Spec};
pub use type_index::{Direction, IndexedType, SkippedBody, TypeIndex, Usage};

/// Which parts of the API to emit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    /// Model (response) types.
    pub models: bool,
    /// Create and patch request types (needs models).
    pub requests: bool,
    /// The async client (needs models and requests).
    pub client: bool,
}

impl Parts {
    /// Models only.
    pub const MODELS: Parts = Parts {
        models: true,
        requests: false,
        client: false,
    };
    /// Models and request types.
    pub const TYPES: Parts = Parts {
        models: true,
        requests: true,
        client: false,
    };
    /// Everything.
    pub const ALL: Parts = Parts {
        models: true,
        requests: true,
        client: true,
    };
}

impl Default for Parts {
    fn default() -> Self {
        Parts::ALL
    }
}

/// How the output is laid out on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `mod.rs` declaring `models.rs`, `requests.rs` and `client.rs`: for checked-in crates.
    Modules,
    /// One file (`desk_api.rs` by default) with inline modules: for `include!` from `OUT_DIR`.
    SingleFile,
}

impl Parts {
    /// The modules these parts emit, in order: requests need models and the client needs both.
    pub fn modules(self) -> Vec<Module> {
        let mut modules = Vec::with_capacity(3);
        if self.models || self.requests || self.client {
            modules.push(Module::Models);
        }
        if self.requests || self.client {
            modules.push(Module::Requests);
        }
        if self.client {
            modules.push(Module::Client);
        }
        modules
    }
}

/// Configures and runs the generator, in the spirit of `prost_build::Config`.
///
/// ```
/// use desk_codegen::{Config, Parts};
///
/// let spec = r#"{
///   "openapi": "3.0.3",
///   "info": {"title": "Shop", "version": "1"},
///   "paths": {},
///   "components": {"schemas": {
///     "order-line": {"type": "object", "properties": {"sku": {"type": "string"}}}
///   }}
/// }"#;
/// let rendered = Config::new()
///     .parts(Parts::MODELS)                  // models only: no request types, no client
///     .type_name("order-line", "LineItem")   // rename a schema's Rust type
///     .extra_derive("Eq")                    // added to every struct
///     .render_str("shop.json", spec)?;       // in memory; `generate()` writes
/// let models = &rendered.files.iter().find(|f| f.path.ends_with("models.rs")).unwrap().contents;
/// assert!(models.contains("pub struct LineItem"));
/// assert!(models.contains("#[derive(Debug, Clone, PartialEq, Default, Eq, ::serde::Serialize"));
/// # Ok::<(), desk_codegen::Error>(())
/// ```
///
/// Errors are typed: a broken spec gives [`Error::Spec`] with [`Diagnostic`]s that name the
/// file, the JSON pointer, the line and column, and what to do.
///
/// ```
/// use desk_codegen::{Config, DiagnosticKind, Error};
///
/// let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n";
/// let Err(Error::Spec(diagnostics)) = Config::new().render_str("api.yaml", spec) else { panic!() };
/// assert_eq!(diagnostics[0].kind, DiagnosticKind::UnresolvedRef);
/// assert_eq!(diagnostics[0].pointer.as_deref(), Some("/components/schemas/A/$ref"));
/// assert_eq!(diagnostics[0].position.map(|p| p.line), Some(6));
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    spec: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    parts: Parts,
    layout: Option<Layout>,
    file_name: String,
    type_overrides: BTreeMap<String, String>,
    extra_derives: Vec<String>,
    runtime_crate: String,
    client_feature: Option<String>,
    mock_feature: Option<String>,
    source_label: Option<String>,
    regenerate_command: Option<String>,
    package: Option<CrateOptions>,
    rerun_if_changed: Option<bool>,
    selection: Vec<Selector>,
    pagination: BTreeMap<String, PageHint>,
    stable_api: Option<bool>,
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

impl Config {
    /// A configuration with defaults: every part, the runtime at `::desk_runtime`, output to
    /// `OUT_DIR` as one file when run from a build script.
    pub fn new() -> Self {
        Self {
            spec: None,
            out_dir: None,
            parts: Parts::ALL,
            layout: None,
            file_name: "desk_api.rs".into(),
            type_overrides: BTreeMap::new(),
            extra_derives: Vec::new(),
            runtime_crate: "::desk_runtime".into(),
            client_feature: None,
            mock_feature: None,
            source_label: None,
            regenerate_command: None,
            package: None,
            rerun_if_changed: None,
            selection: Vec::new(),
            pagination: BTreeMap::new(),
            stable_api: None,
        }
    }

    /// The OpenAPI description to read (`.yaml`, `.yml` or `.json`); the local files its `$ref`s
    /// name are read too, and bundled into one document.
    pub fn spec(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.spec = Some(path.into());
        self
    }

    /// Where to write; defaults to `$OUT_DIR` (set by Cargo for build scripts).
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Which parts to emit. Requests imply models and the client implies both.
    pub fn parts(&mut self, parts: Parts) -> &mut Self {
        self.parts = parts;
        self
    }

    /// The layout; defaults to [`Layout::SingleFile`] when the output goes to `OUT_DIR`, else
    /// [`Layout::Modules`].
    pub fn layout(&mut self, layout: Layout) -> &mut Self {
        self.layout = Some(layout);
        self
    }

    /// The file name for [`Layout::SingleFile`] (default `desk_api.rs`).
    pub fn file_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.file_name = name.into();
        self
    }

    /// Names the Rust type of component schema `schema` (instead of its `UpperCamelCase` name).
    pub fn type_name(
        &mut self,
        schema: impl Into<String>,
        rust_name: impl Into<String>,
    ) -> &mut Self {
        self.type_overrides.insert(schema.into(), rust_name.into());
        self
    }

    /// Adds a derive (a path such as `Eq` or `schemars::JsonSchema`) to every generated struct.
    pub fn extra_derive(&mut self, path: impl Into<String>) -> &mut Self {
        self.extra_derives.push(path.into());
        self
    }

    /// Where generated code finds the runtime (default `::desk_runtime`; `crate::runtime`
    /// when the crate re-exports it). Rendering fails with [`Error::Config`] when it is not a
    /// Rust path.
    pub fn runtime_crate(&mut self, path: impl Into<String>) -> &mut Self {
        self.runtime_crate = path.into();
        self
    }

    /// Puts the client module behind `#[cfg(feature = "...")]`.
    pub fn client_feature(&mut self, feature: impl Into<String>) -> &mut Self {
        self.client_feature = Some(feature.into());
        self
    }

    /// Also emits the `mock` module (typed mocks of the API for tests, over the runtime's `mock`
    /// feature), behind `#[cfg(feature = "...")]`. It needs the client, and is emitted only with
    /// it. [`Config::package`] offers it as the feature `mock` (off by default) unless this names
    /// another.
    pub fn mock_feature(&mut self, feature: impl Into<String>) -> &mut Self {
        self.mock_feature = Some(feature.into());
        self
    }

    /// How the header names the spec (default: its file name, so that the output does not
    /// depend on the working directory, on how the path is spelt, or on the machine).
    pub fn source_label(&mut self, label: impl Into<String>) -> &mut Self {
        self.source_label = Some(label.into());
        self
    }

    /// The command the header tells readers to run after changing the spec (`cargo xtask
    /// codegen`). Without one, output written to `OUT_DIR` says the build script rewrites it,
    /// and other output says to change the spec and generate again.
    pub fn regenerate_command(&mut self, command: impl Into<String>) -> &mut Self {
        self.regenerate_command = Some(command.into());
        self
    }

    /// Writes a complete crate instead of a module folder: `Cargo.toml` (with exactly the
    /// dependencies and features the code uses), `README.md`, and `src/lib.rs` with crate docs
    /// beside the modules. The client, when emitted, is behind the feature `client` (on by
    /// default) unless [`Config::client_feature`] names another.
    pub fn package(&mut self, options: CrateOptions) -> &mut Self {
        self.package = Some(options);
        self
    }

    /// Generates a stable API (`true`) or an exhaustive one (`false`); the default is stable for
    /// crate output ([`Config::package`]) and exhaustive for modules.
    ///
    /// A stable API is one a new version of the description can add to without breaking code
    /// that uses it from another crate, as the AWS SDK for Rust does: every struct and enum it
    /// defines (models, request forms, parameter and multipart structs, the enums of documented
    /// responses) is `#[non_exhaustive]`, and every struct gets a constructor taking its
    /// required fields (`new`) and a chained setter per optional field. Code outside the crate
    /// builds values through them (no struct literals, no `..Default::default()`) and matches
    /// enums with a wildcard arm, so a new optional property, a new enum value, a new
    /// alternative of a tagged union, a new documented status or a new operation is a minor
    /// change ([`Config::diff`] judges it so, [`ApiMode::Stable`]).
    ///
    /// `#[non_exhaustive]` binds only other crates: module output compiled into the crate that
    /// uses it gains nothing from it, which is why modules are exhaustive unless asked.
    ///
    /// ```
    /// use desk_codegen::Config;
    ///
    /// let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet: {type: object, required: [name], properties: {name: {type: string}, tag: {type: string}}}\n";
    /// let rendered = Config::new().stable_api(true).render_str("api.yaml", spec)?;
    /// let models = &rendered.files.iter().find(|f| f.path.ends_with("models.rs")).unwrap().contents;
    /// assert!(models.contains("#[non_exhaustive]\npub struct Pet"));
    /// assert!(models.contains("pub fn new(name: impl Into<String>) -> Self"));
    /// assert!(models.contains("pub fn tag(mut self, value: impl Into<String>) -> Self"));
    /// # Ok::<(), desk_codegen::Error>(())
    /// ```
    pub fn stable_api(&mut self, stable: bool) -> &mut Self {
        self.stable_api = Some(stable);
        self
    }

    /// Whether the API is stable: as set, else for crate output only.
    fn effective_stable_api(&self) -> bool {
        self.stable_api.unwrap_or(self.package.is_some())
    }

    /// Whether to print `cargo:rerun-if-changed` lines (default: when `OUT_DIR` is set).
    pub fn rerun_if_changed(&mut self, enabled: bool) -> &mut Self {
        self.rerun_if_changed = Some(enabled);
        self
    }

    /// Generates the operations tagged `tag` (exact, case-sensitive), and of the models only
    /// those the selected operations reach.
    ///
    /// Without any `select_*` call every operation and every component schema is generated.
    /// With some, an operation is generated when any selector matches it, and a component
    /// (schema, parameter, body, response) only when a selected operation reaches it through
    /// `$ref`s, however deep: through properties, items, `additionalProperties`, `allOf`,
    /// `oneOf`, `anyOf`. A selector that matches no operation fails rendering with a
    /// [`DiagnosticKind::UnmatchedSelector`] diagnostic naming it (and close matches).
    ///
    /// ```
    /// use desk_codegen::{Config, DiagnosticKind, Error};
    ///
    /// let spec = r##"
    /// openapi: 3.0.3
    /// info: {title: Shop, version: "1"}
    /// paths:
    ///   /orders:
    ///     get:
    ///       operationId: listOrders
    ///       tags: [orders]
    ///       responses:
    ///         "200":
    ///           description: the orders
    ///           content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}
    ///   /stock:
    ///     get:
    ///       operationId: getStock
    ///       tags: [stock]
    ///       responses:
    ///         "200":
    ///           description: the stock
    ///           content: {application/json: {schema: {$ref: "#/components/schemas/Stock"}}}
    /// components:
    ///   schemas:
    ///     Order: {type: object, properties: {line: {$ref: "#/components/schemas/Line"}}}
    ///     Line: {type: object, properties: {sku: {type: string}}}
    ///     Stock: {type: object, properties: {count: {type: integer}}}
    /// "##;
    /// let rendered = Config::new().select_tag("orders").render_str("shop.yaml", spec)?;
    /// let models = &rendered.files.iter().find(|f| f.path.ends_with("models.rs")).unwrap().contents;
    /// assert!(models.contains("pub struct Order") && models.contains("pub struct Line"));
    /// assert!(!models.contains("pub struct Stock"));
    ///
    /// let Err(Error::Spec(diagnostics)) = Config::new().select_tag("order").render_str("shop.yaml", spec)
    /// else { panic!() };
    /// assert_eq!(diagnostics[0].kind, DiagnosticKind::UnmatchedSelector);
    /// assert_eq!(diagnostics[0].help.as_deref(), Some("did you mean `orders`?"));
    /// # Ok::<(), desk_codegen::Error>(())
    /// ```
    pub fn select_tag(&mut self, tag: impl Into<String>) -> &mut Self {
        self.selection.push(Selector::Tag(tag.into()));
        self
    }

    /// Generates the operation whose `operationId` is `id` (exact, case-sensitive); see
    /// [`Config::select_tag`] for what else is generated.
    pub fn select_operation(&mut self, id: impl Into<String>) -> &mut Self {
        self.selection.push(Selector::OperationId(id.into()));
        self
    }

    /// Generates the operations under the paths `pattern` matches: a path key as written in the
    /// description, where `*` matches within one segment and a segment `**` matches any number
    /// of segments (`/repos/**` is a prefix), optionally after a method (`GET /user`); see
    /// [`Selector::matches_path`], and [`Config::select_tag`] for what else is generated.
    pub fn select_path(&mut self, pattern: impl Into<String>) -> &mut Self {
        self.selection.push(Selector::Path(pattern.into()));
        self
    }

    /// Says how the operation whose `operationId` is `operation` pages, where detection
    /// cannot tell or tells wrong (see [`PageHint`], and the rules in the README's
    /// "Pagination"); [`PageHint::none`] turns its page methods off. It wins over the
    /// operation's `x-desk-pagination` extension and every rule. An operationId that no
    /// generated operation has, or a hint that does not fit the operation, fails rendering with
    /// a diagnostic.
    pub fn pagination(&mut self, operation: impl Into<String>, hint: PageHint) -> &mut Self {
        self.pagination.insert(operation.into(), hint);
        self
    }

    /// Adds a selector of any kind (see [`Config::select_tag`]).
    pub fn select(&mut self, selector: Selector) -> &mut Self {
        self.selection.push(selector);
        self
    }

    fn spec_path(&self) -> Result<&Path, Error> {
        self.spec
            .as_deref()
            .ok_or_else(|| Error::Config("no spec given: call `Config::spec`".into()))
    }

    /// What a crate holding `rendered` needs in its `Cargo.toml`, taking `desk-runtime` from
    /// `runtime` (for module output; [`Config::package`] writes it into the crate).
    pub fn requirements(&self, rendered: &Rendered, runtime: &RuntimeSource) -> Requirements {
        render::requirements(self, rendered, runtime)
    }

    /// Reads the spec and renders every file in memory; writes nothing.
    pub fn render(&self) -> Result<Rendered, Error> {
        let spec = self.load()?.loaded;
        render::render_owned(self, spec, self.layout.unwrap_or(Layout::Modules), false)
    }

    /// Renders a spec given as text (`name` picks the parser by extension and labels errors).
    pub fn render_str(&self, name: &str, source: &str) -> Result<Rendered, Error> {
        let spec = self.load_str(name, source)?.loaded;
        render::render_owned(self, spec, self.layout.unwrap_or(Layout::Modules), false)
    }

    /// Lowers a loaded spec with this configuration's options.
    pub(crate) fn lower_spec(&self, spec: &load::LoadedSpec) -> Result<lower::Lowered, Error> {
        lower::lower(spec, &self.lower_options()).map_err(Error::Spec)
    }

    fn lower_options(&self) -> lower::LowerOptions {
        lower::LowerOptions {
            type_overrides: self.type_overrides.clone(),
            runtime_crate: self.runtime_crate.clone(),
            pagination: self.pagination.clone(),
            stable_api: self.effective_stable_api(),
        }
    }

    /// [`Config::lower_spec`] for a caller that shows no warnings (a diff): they are not located,
    /// which costs a pass over each file that has any; errors are.
    pub(crate) fn lower_spec_unlocated(
        &self,
        spec: &load::LoadedSpec,
    ) -> Result<lower::Lowered, Error> {
        lower::lower_unlocated(spec, &self.lower_options()).map_err(|mut errors| {
            spec.locate_all(&mut errors);
            Error::Spec(errors)
        })
    }

    /// Renders and writes the output; on any error nothing is written. Prints
    /// `cargo:rerun-if-changed` for the inputs when run from a build script.
    pub fn generate(&self) -> Result<Rendered, Error> {
        render::generate(self)
    }

    /// [`Config::generate`] for build scripts: reports problems the way Cargo shows a build
    /// script's, instead of a panic and its backtrace.
    ///
    /// Warnings become `cargo::warning=` lines. On an error, each diagnostic becomes
    /// `cargo::error=` lines (file, line and column, message, JSON pointer, help), nothing is
    /// written, and the build script ends: Cargo then fails the build and shows the lines as
    /// its own errors. A package that states a `rust-version` before 1.84 (whose Cargo has no
    /// `cargo::error`) gets the same lines as `cargo:warning=` and a failing exit status.
    /// Outside a build script (no `OUT_DIR`), the diagnostics go to standard error and the
    /// process exits with status 1.
    ///
    /// ```no_run
    /// // build.rs: `fn main()` of the build script.
    /// desk_codegen::Config::new().spec("openapi/api.yaml").generate_or_exit();
    /// ```
    pub fn generate_or_exit(&self) -> Rendered {
        render::generate_or_exit(self)
    }

    /// Renders and compares with what is on disk; writes nothing. `Err(Error::Stale)` names
    /// the files that differ or are missing.
    pub fn check(&self) -> Result<Rendered, Error> {
        render::check(self)
    }
}
