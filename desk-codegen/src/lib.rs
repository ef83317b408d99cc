//! `desk-codegen` turns an OpenAPI 3.0 description into typed Rust: models, request types with
//! real partial-update semantics, and an async client.
//!
//! The public API is [`Config`] and its options, what it returns ([`Rendered`], the
//! [`TypeIndex`]) and its errors ([`Error`], [`Diagnostic`]). Inside, one private module per
//! stage: load (YAML or JSON, one file or a root and the files it refers to, bundled into one
//! document, 3.1 normalised onto 3.0), lower (resolve every `$ref` and decide every name and
//! policy once, producing the IR), emit (the IR to syntax trees; emitters only render), format
//! (print with `prettyplease`, stamp the `@generated` header) and write (compare, or write
//! so that a failure leaves the old files). [`Config::load`], [`Config::lower`] and
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

mod build;
mod diff;
mod emit;
mod error;
mod format;
mod ir;
mod load;
mod locate;
mod lower;
mod package;
#[cfg(test)]
mod stage_tests;
mod staged;
mod type_index;
mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use format::Regenerate;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub use diff::{ApiDiff, ApiMode, Bump, Change, ChangeKind, Group, Location, ReportFormat, Side};
pub use error::{Diagnostic, DiagnosticKind, Error, Position, Severity};
pub use lower::{PageHint, Selector};
pub use package::{CrateOptions, Dependency, Requirements, RuntimeSource};
pub use staged::{Emitted, Lowered, PagedOperation, Spec};
pub use type_index::{Direction, IndexedType, SkippedBody, TypeIndex, Usage};
pub use write::GeneratedFile;

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

/// A module of the generated code. Each is rendered, printed and dropped before the next one
/// is built, in this order (each uses the ones before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Module {
    /// `models`: the API's types as the server sends them.
    Models,
    /// `requests`: `*Create` and `*Patch` request bodies.
    Requests,
    /// `client`: the async client.
    Client,
    /// `mock`: typed mocks of the API for tests (see [`Config::mock_feature`]).
    Mock,
}

impl Module {
    /// The module's name in the generated code (and its file's stem): `models`.
    pub fn name(self) -> &'static str {
        match self {
            Module::Models => "models",
            Module::Requests => "requests",
            Module::Client => "client",
            Module::Mock => "mock",
        }
    }

    /// The module's doc line, as its declaration carries it.
    fn doc(self) -> &'static str {
        match self {
            Module::Models => " Models: the API's types as the server sends them.",
            Module::Requests => " Request bodies: `*Create` types for POST/PUT and `*Patch` types (tri-state fields) for PATCH.",
            Module::Client => " The async client: one method per operation.",
            Module::Mock => " Typed mocks of the API for tests: a mock server with one method per operation.",
        }
    }
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

/// One module's own file: its doc and lints as inner attributes, then its items. The module's
/// tree is dropped once printed.
fn module_file(
    ir: &ir::Ir,
    options: &emit::EmitOptions,
    module: Module,
    header: &format::Header,
    spec_path: &Path,
) -> Result<String, Diagnostic> {
    let mut file = format::PiecewiseFile::new(module_inner(module), spec_path)?;
    emit::emit_module_batches(ir, options, module, |items| file.push(items))?;
    Ok(file.finish(header))
}

/// A module file's inner attributes: its doc and the lints generated code allows.
fn module_inner(module: Module) -> TokenStream {
    let allows = emit::module_allows();
    let doc_inner = format!(" {}", module.doc().trim());
    quote!(#![doc = #doc_inner] #allows)
}

/// The generated files and what was learnt on the way.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The files, with paths relative to the output directory, in a fixed order.
    pub files: Vec<GeneratedFile>,
    /// Warnings for documented fallbacks.
    pub warnings: Vec<Diagnostic>,
    /// The spec files read, the root first (for `cargo:rerun-if-changed`).
    pub inputs: Vec<PathBuf>,
    /// Which Rust type holds each component schema and JSON body (for conformance checks).
    pub types: TypeIndex,
    /// What [`Config::generate`] changed in the public API of the generated code it replaced
    /// (read from the files on disk; see [`ApiDiff`]); `None` when nothing was there or
    /// nothing changed, and for output rendered in memory.
    pub api_changes: Option<ApiDiff>,
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
        let client = rendered.files.iter().any(|file| {
            file.path.ends_with("client.rs") || file.contents.contains("pub mod client")
        });
        let mock = rendered
            .files
            .iter()
            .any(|file| file.path.ends_with("mock.rs") || file.contents.contains("pub mod mock"));
        package::requirements(
            rendered.files.iter().map(|file| file.contents.as_str()),
            &self.runtime_crate,
            runtime,
            client,
            package::Features {
                client: self.effective_client_feature(),
                mock: self.effective_mock_feature().filter(|_| mock),
            },
        )
    }

    fn effective_mock_feature(&self) -> Option<&str> {
        match (&self.mock_feature, &self.package) {
            (Some(feature), _) => Some(feature),
            (None, Some(_)) => Some("mock"),
            (None, None) => None,
        }
    }

    /// The modules to emit: the parts', and the mock with the client when it has a feature.
    fn modules(&self) -> Vec<Module> {
        let mut modules = self.parts.modules();
        if modules.contains(&Module::Client) && self.effective_mock_feature().is_some() {
            modules.push(Module::Mock);
        }
        modules
    }

    fn effective_client_feature(&self) -> Option<&str> {
        match (&self.client_feature, &self.package) {
            (Some(feature), _) => Some(feature),
            (None, Some(_)) => Some("client"),
            (None, None) => None,
        }
    }

    fn header(&self, spec: &load::LoadedSpec, to_out_dir_env: bool) -> format::Header {
        let source = self
            .source_label
            .clone()
            .unwrap_or_else(|| match spec.path.file_name() {
                Some(name) => name.to_string_lossy().into_owned(),
                None => spec.path.display().to_string().replace('\\', "/"),
            });
        let regenerate = match &self.regenerate_command {
            Some(command) => Regenerate::Command(command.clone()),
            None if to_out_dir_env => Regenerate::BuildScript,
            None => Regenerate::Unspecified,
        };
        format::Header { source, regenerate }
    }

    fn out_dir_resolved(&self) -> Result<(PathBuf, bool), Error> {
        match (&self.out_dir, std::env::var_os("OUT_DIR")) {
            (Some(dir), _) => Ok((dir.clone(), false)),
            (None, Some(dir)) => Ok((PathBuf::from(dir), true)),
            (None, None) => Err(Error::Config(
                "no output directory: call `Config::out_dir` (OUT_DIR is not set)".into(),
            )),
        }
    }

    /// Reads the spec and renders every file in memory; writes nothing.
    pub fn render(&self) -> Result<Rendered, Error> {
        let spec = load::load_file_selected(self.spec_path()?, &self.selection)?;
        self.render_owned(spec, self.layout.unwrap_or(Layout::Modules), false)
    }

    /// Renders a spec given as text (`name` picks the parser by extension and labels errors).
    pub fn render_str(&self, name: &str, source: &str) -> Result<Rendered, Error> {
        let spec = load::load_str_selected(Path::new(name), source.to_owned(), &self.selection)?;
        self.render_owned(spec, self.layout.unwrap_or(Layout::Modules), false)
    }

    /// Lowers a loaded spec with this configuration's options.
    pub(crate) fn lower_spec(&self, spec: &load::LoadedSpec) -> Result<lower::Lowered, Error> {
        let options = lower::LowerOptions {
            type_overrides: self.type_overrides.clone(),
            selection: self.selection.clone(),
            runtime_crate: self.runtime_crate.clone(),
            pagination: self.pagination.clone(),
        };
        lower::lower(spec, &options).map_err(Error::Spec)
    }

    /// Refuses options that cannot render, before any work.
    fn validate(&self) -> Result<(), Error> {
        if syn::parse_str::<syn::Path>(&self.runtime_crate).is_err() {
            return Err(Error::Config(format!(
                "the runtime crate `{}` is not a Rust path: give one such as `::desk_runtime` or `crate::runtime`",
                self.runtime_crate
            )));
        }
        if let Some(options) = &self.package {
            options.validate()?;
        }
        Ok(())
    }

    /// Renders a spec the caller keeps.
    fn render_loaded(
        &self,
        spec: &load::LoadedSpec,
        layout: Layout,
        to_out_dir_env: bool,
    ) -> Result<Rendered, Error> {
        self.validate()?;
        let lowered = self.lower_spec(spec)?;
        self.render_lowered(spec, lowered, layout, to_out_dir_env)
    }

    /// Renders a spec nobody needs afterwards: the parsed document is freed once lowered, before
    /// any syntax tree is built (the IR holds all emitting needs; the spec's text stays, for
    /// the paths and the header).
    fn render_owned(
        &self,
        mut spec: load::LoadedSpec,
        layout: Layout,
        to_out_dir_env: bool,
    ) -> Result<Rendered, Error> {
        self.validate()?;
        let lowered = self.lower_spec(&spec)?;
        spec.document = openapiv3::OpenAPI::default();
        self.render_lowered(&spec, lowered, layout, to_out_dir_env)
    }

    fn render_lowered(
        &self,
        spec: &load::LoadedSpec,
        lowered: lower::Lowered,
        layout: Layout,
        to_out_dir_env: bool,
    ) -> Result<Rendered, Error> {
        let label = self.header(spec, to_out_dir_env);
        let modules = self.modules();
        let options = self.emit_options();
        if let Some(package) = &self.package {
            return self.render_package(package, spec, lowered, &modules, &options, label);
        }
        // One module at a time: its syntax tree is built, printed and dropped before the next
        // one is built, so only one tree is ever alive (see BENCHMARKS.md, "Memory").
        let files = match layout {
            Layout::Modules => {
                let mut files = Vec::with_capacity(modules.len() + 1);
                let decls = modules.iter().map(|module| self.module_decl(*module));
                let title = format!(
                    " Generated from {} (version {}).",
                    lowered.ir.title, lowered.ir.version
                );
                let root = quote!(#![doc = #title] #(#decls)*);
                files.push(GeneratedFile {
                    path: PathBuf::from("mod.rs"),
                    contents: format::format_file(root, &label, &spec.path)?,
                });
                for module in modules {
                    files.push(GeneratedFile {
                        path: PathBuf::from(format!("{}.rs", module.name())),
                        contents: module_file(&lowered.ir, &options, module, &label, &spec.path)?,
                    });
                }
                files
            }
            Layout::SingleFile => {
                let mut printed = Vec::with_capacity(modules.len());
                for module in modules {
                    let ident = format_ident!("{}", module.name());
                    let doc = module.doc();
                    let cfg = self.module_cfg(module);
                    let allows = emit::module_allows();
                    let wrapper = quote!(#[doc = #doc] #cfg pub mod #ident { #allows });
                    let items = emit::emit_module(&lowered.ir, &options, module);
                    printed.push(format::print_inline_module(wrapper, items, &spec.path)?);
                }
                vec![GeneratedFile {
                    path: PathBuf::from(&self.file_name),
                    contents: format::join_printed(&printed, &label),
                }]
            }
        };
        Ok(self.rendered(files, spec, lowered))
    }

    /// A complete crate: the modules under `src/`, a crate root with docs, `Cargo.toml` and
    /// `README.md`.
    fn render_package(
        &self,
        package: &CrateOptions,
        spec: &load::LoadedSpec,
        lowered: lower::Lowered,
        modules: &[Module],
        options: &emit::EmitOptions,
        header: format::Header,
    ) -> Result<Rendered, Error> {
        let decls: Vec<TokenStream> = modules.iter().map(|m| self.module_decl(*m)).collect();
        let mut files = vec![GeneratedFile {
            path: PathBuf::from("src/lib.rs"),
            contents: String::new(),
        }];
        for module in modules {
            files.push(GeneratedFile {
                path: PathBuf::from(format!("src/{}.rs", module.name())),
                contents: module_file(&lowered.ir, options, *module, &header, &spec.path)?,
            });
        }
        let requirements = package::requirements(
            files.iter().map(|file| file.contents.as_str()),
            &self.runtime_crate,
            &package.runtime,
            modules.contains(&Module::Client),
            package::Features {
                client: self.effective_client_feature(),
                mock: self
                    .effective_mock_feature()
                    .filter(|_| modules.contains(&Module::Mock)),
            },
        );
        let facts = package::CrateFacts {
            options: package,
            title: &lowered.ir.title,
            api_version: &lowered.ir.version,
            description: lowered.ir.description.as_deref(),
            source: &header.source,
            modules,
            requirements: &requirements,
        };
        // One attribute per line, so that the docs print as `//!` lines.
        let crate_doc = package::lib_docs(&facts);
        let doc_lines = crate_doc.lines().map(|line| quote!(#![doc = #line]));
        let root = quote!(#(#doc_lines)* #![forbid(unsafe_code)] #(#decls)*);
        files[0].contents = format::format_file(root, &header, &spec.path)?;
        files.insert(
            0,
            GeneratedFile {
                path: PathBuf::from("Cargo.toml"),
                contents: package::cargo_toml(&facts),
            },
        );
        files.insert(
            1,
            GeneratedFile {
                path: PathBuf::from("README.md"),
                contents: package::readme(&facts),
            },
        );
        Ok(self.rendered(files, spec, lowered))
    }

    /// The outcome of one rendering: its files, every warning (loading's, then lowering's), the
    /// files read and the type index.
    fn rendered(
        &self,
        files: Vec<GeneratedFile>,
        spec: &load::LoadedSpec,
        lowered: lower::Lowered,
    ) -> Rendered {
        let mut warnings = spec.warnings.clone();
        warnings.extend(lowered.warnings);
        let types =
            type_index::TypeIndex::new(&lowered.ir, self.parts.requests || self.parts.client);
        Rendered {
            files,
            warnings,
            inputs: spec.inputs().map(Path::to_path_buf).collect(),
            types,
            api_changes: None,
        }
    }

    fn emit_options(&self) -> emit::EmitOptions {
        emit::EmitOptions::new(&self.runtime_crate, self.extra_derives.clone())
    }

    /// `#[doc = "..."] pub mod name;`, behind the client feature for the client.
    fn module_decl(&self, module: Module) -> TokenStream {
        let ident = format_ident!("{}", module.name());
        let doc = module.doc();
        let cfg = self.module_cfg(module);
        quote!(#[doc = #doc] #cfg pub mod #ident;)
    }

    fn module_cfg(&self, module: Module) -> TokenStream {
        let feature = match module {
            Module::Client => self.effective_client_feature(),
            Module::Mock => self.effective_mock_feature(),
            Module::Models | Module::Requests => None,
        };
        match feature {
            Some(feature) => quote!(#[cfg(feature = #feature)]),
            None => TokenStream::new(),
        }
    }

    /// Renders and writes the output; on any error nothing is written. Prints
    /// `cargo:rerun-if-changed` for the inputs when run from a build script.
    pub fn generate(&self) -> Result<Rendered, Error> {
        let (dir, from_env) = self.out_dir_resolved()?;
        let layout = self.layout.unwrap_or(if from_env {
            Layout::SingleFile
        } else {
            Layout::Modules
        });
        let path = self.spec_path()?;
        let rerun_if_changed = self.rerun_if_changed.unwrap_or(from_env);
        if rerun_if_changed {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        let spec = load::load_file_selected(path, &self.selection)?;
        if rerun_if_changed {
            // The files the root refers to, known once it is loaded.
            for input in spec.inputs().skip(1) {
                println!("cargo:rerun-if-changed={}", input.display());
            }
        }
        let mut rendered = self.render_owned(spec, layout, from_env)?;
        rendered.api_changes = diff::on_regeneration(&dir, &rendered.files);
        write::write_all(&dir, &rendered.files)?;
        Ok(rendered)
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
        let in_build_script = std::env::var_os("OUT_DIR").is_some();
        let directives = build::Directives::from_env();
        match self.generate() {
            Ok(rendered) => {
                if in_build_script {
                    print!("{}", build::warning_lines(&rendered.warnings, directives));
                    if let Some(changes) = &rendered.api_changes {
                        print!("{}", build::api_change_lines(changes, directives));
                    }
                } else {
                    for warning in &rendered.warnings {
                        eprintln!("{warning}\n");
                    }
                    if let Some(changes) = &rendered.api_changes {
                        eprint!("{}", changes.summary(false));
                    }
                }
                rendered
            }
            Err(err) if in_build_script => {
                print!("{}", build::error_lines(&err, directives));
                let _ = std::io::Write::flush(&mut std::io::stdout());
                // Cargo fails the build on a `cargo::error` line whatever the exit status;
                // exiting with success keeps it from repeating the script's whole output.
                std::process::exit(match directives {
                    build::Directives::Modern => 0,
                    build::Directives::Legacy => 1,
                })
            }
            Err(err) => {
                eprintln!("{err}");
                std::process::exit(1)
            }
        }
    }

    /// Renders and compares with what is on disk; writes nothing. `Err(Error::Stale)` names
    /// the files that differ or are missing.
    pub fn check(&self) -> Result<Rendered, Error> {
        let (dir, from_env) = self.out_dir_resolved()?;
        let layout = self.layout.unwrap_or(if from_env {
            Layout::SingleFile
        } else {
            Layout::Modules
        });
        let spec = load::load_file_selected(self.spec_path()?, &self.selection)?;
        let rendered = self.render_owned(spec, layout, from_env)?;
        let stale = write::stale_files(&dir, &rendered.files);
        if stale.is_empty() {
            Ok(rendered)
        } else {
            Err(Error::Stale(stale))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {x: {type: string}}}\n";

    fn first_lines(rendered: &Rendered) -> Vec<String> {
        rendered
            .files
            .iter()
            .map(|file| file.contents.lines().take(2).collect::<Vec<_>>().join("\n"))
            .collect()
    }

    #[test]
    fn the_header_names_the_spec_by_file_name_whatever_the_path() {
        let config = Config::new();
        let spellings = [
            "api.yaml",
            "specs/api.yaml",
            "./specs/../specs/api.yaml",
            "/home/someone/work/specs/api.yaml",
        ];
        let outputs: Vec<Rendered> = spellings
            .iter()
            .map(|name| config.render_str(name, SPEC).expect("renders"))
            .collect();
        for rendered in &outputs {
            for header in first_lines(rendered) {
                assert_eq!(header, "// @generated by desk-codegen from api.yaml.\n// Do not edit by hand: change the spec and generate again.");
            }
            assert_eq!(rendered.files, outputs[0].files);
        }
    }

    #[test]
    fn the_header_says_how_to_regenerate() {
        let mut config = Config::new();
        config
            .regenerate_command("cargo xtask codegen")
            .source_label("spec/api.yaml");
        let rendered = config.render_str("/tmp/x/api.yaml", SPEC).expect("renders");
        assert!(first_lines(&rendered).iter().all(|h| h == "// @generated by desk-codegen from spec/api.yaml.\n// Do not edit by hand: change the spec and run `cargo xtask codegen`."));
    }

    #[test]
    fn a_selection_pruned_while_loading_renders_what_lowering_alone_renders() {
        const SHOP: &str = include_str!("../tests/select/shop.yaml");
        let whole = load::load_str(Path::new("shop.yaml"), SHOP.into()).expect("loads");
        let selections: [&[Selector]; 4] = [
            &[Selector::Tag("orders".into())],
            &[Selector::OperationId("getStock".into())],
            &[
                Selector::Path("/stock/**".into()),
                Selector::Tag("admin".into()),
            ],
            &[Selector::Path("/**".into())],
        ];
        for selection in selections {
            let mut config = Config::new();
            for selector in selection {
                config.select(selector.clone());
            }
            let from_whole = config
                .render_loaded(&whole, Layout::Modules, false)
                .expect("renders");
            let pruned = config.render_str("shop.yaml", SHOP).expect("renders");
            assert_eq!(pruned.files, from_whole.files, "{selection:?}");
        }
        // What loading keeps: the selected operation and what its `$ref`s reach, plus (a harmless
        // excess) what a `$ref`-like example names; lowering drops that.
        let cut = load::load_str_selected(
            Path::new("shop.yaml"),
            SHOP.into(),
            &[Selector::OperationId("getStock".into())],
        )
        .expect("loads");
        let kept: Vec<&str> = cut
            .document
            .components
            .as_ref()
            .unwrap()
            .schemas
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(kept, ["Stock", "WarehouseId", "Orphan"]);
        assert_eq!(
            cut.document.paths.paths.keys().collect::<Vec<_>>(),
            ["/stock"]
        );
        // A selector that matches nothing leaves the document whole (lowering reports it).
        let whole_again = load::load_str_selected(
            Path::new("shop.yaml"),
            SHOP.into(),
            &[
                Selector::OperationId("getStock".into()),
                Selector::Tag("nope".into()),
            ],
        )
        .expect("loads");
        assert_eq!(whole_again.document.paths.paths.len(), 3);
    }

    #[test]
    fn a_package_is_a_crate_around_the_modules() {
        let mut config = Config::new();
        config
            .parts(Parts::MODELS)
            .package(CrateOptions::new("pets-api"));
        let rendered = config.render_str("pets.yaml", SPEC).expect("renders");
        let paths: Vec<_> = rendered
            .files
            .iter()
            .map(|f| f.path.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            paths,
            ["Cargo.toml", "README.md", "src/lib.rs", "src/models.rs"]
        );
        let manifest = &rendered.files[0].contents;
        assert!(
            manifest.contains("name = \"pets-api\"")
                && manifest.contains("serde = { version = \"1\", features = [\"derive\"] }"),
            "{manifest}"
        );
        assert!(
            !manifest.contains("desk-runtime") && !manifest.contains("chrono"),
            "only what the code uses: {manifest}"
        );
        let lib = &rendered.files[2].contents;
        assert!(
            lib.contains(
                "//! Typed Rust for t (API version 1), generated by desk from `pets.yaml`."
            ) && lib.contains("pub mod models;"),
            "{lib}"
        );

        config.package(CrateOptions::new("1 bad"));
        assert!(matches!(
            config.render_str("pets.yaml", SPEC),
            Err(Error::Config(_))
        ));
    }
}
