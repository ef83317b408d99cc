//! The pipeline one stage at a time (load and select, lower, emit), for tools that need a stage's result ([`Spec::to_json`]
//! gives `cargo xtask conformance` the bundled document) or time the stages (the `generate`
//! benchmark). The values are opaque: the IR and the syntax trees are not public API.
//!
//! ```
//! use desk_codegen::{Config, Module};
//!
//! let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {x: {type: string}}}\n";
//! let config = Config::new();
//! let loaded = config.load_str("api.yaml", spec)?;
//! let lowered = config.lower(&loaded)?;
//! let models = config.emit(&lowered, Module::Models).print()?;
//! // The same text as `render_str` gives for `models.rs`.
//! let rendered = config.render_spec(&loaded)?;
//! assert_eq!(rendered.files[1].contents, models);
//! # Ok::<(), desk_codegen::Error>(())
//! ```

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

use crate::error::DiagnosticKind;
use crate::error::{Diagnostic, Error};
use crate::ir::Module;
use crate::render::{self, Header};
use crate::{emit, load, lower, select, Config, Rendered};

/// A spec read and bundled into one document (3.1 normalised onto 3.0): the first stage.
#[derive(Debug, Clone)]
pub struct Spec {
    pub(crate) loaded: load::LoadedSpec,
}

impl Spec {
    /// The bundled document as JSON: every file the root refers to is in it, so the pointers in
    /// diagnostics and in the [`TypeIndex`](crate::TypeIndex) resolve in it.
    pub fn to_json(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::to_value(&self.loaded.document)
    }

    /// Every file read: the root first, then the files it refers to.
    pub fn inputs(&self) -> impl Iterator<Item = &Path> {
        self.loaded.inputs()
    }

    /// Warnings about what loading dropped or rewrote.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.loaded.warnings
    }
}

/// A spec lowered to the generator's intermediate representation, where every name and policy
/// is decided: the second stage.
#[derive(Debug, Clone)]
pub struct Lowered {
    pub(crate) lowered: lower::Lowered,
    header: Header,
    spec_path: PathBuf,
}

impl Lowered {
    /// Lowering's warnings (documented fallbacks).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.lowered.warnings
    }

    /// How many operations the client gets a method for.
    pub fn operation_count(&self) -> usize {
        self.lowered.ir.operations.len()
    }

    /// The operations that get page methods, in method-name order, with the rule that decided
    /// and the style of their walk (for reports such as `cargo xtask pages`).
    pub fn paged_operations(&self) -> Vec<PagedOperation> {
        self.lowered
            .ir
            .operations
            .iter()
            .filter_map(|op| {
                let pagination = op.pagination.as_ref()?;
                Some(PagedOperation {
                    method: op.rust_name.clone(),
                    endpoint: format!("{} {}", op.method, op.path),
                    rule: pagination.rule.name(),
                    style: pagination.next.style(),
                    summary: pagination.summary(),
                })
            })
            .collect()
    }
}

/// An operation that gets page methods (`{method}_pages`, `{method}_stream`), as lowering
/// decided: see [`Lowered::paged_operations`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagedOperation {
    /// The operation's method name.
    pub method: String,
    /// The HTTP method and path template (`GET /things`).
    pub endpoint: String,
    /// The rule that decided (`x-ms-pageable`, `page numbers`, ...; see the README,
    /// "Pagination").
    pub rule: &'static str,
    /// How the walk asks for the next page: `page number`, `offset`, `token`, `last item`,
    /// `next link` or `Link header`.
    pub style: &'static str,
    /// What carries the next request, where the items are and what says "no more", on one
    /// line (`token body:nextPageToken -> query:pageToken; items books`).
    pub summary: String,
}

/// One module's syntax tree, as emitted and not yet printed: the third stage.
#[derive(Clone)]
pub struct Emitted {
    module: Module,
    inner: TokenStream,
    items: Vec<syn::Item>,
    header: Header,
    spec_path: PathBuf,
}

impl std::fmt::Debug for Emitted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emitted")
            .field("module", &self.module)
            .field("items", &self.items.len())
            .finish_non_exhaustive()
    }
}

impl Emitted {
    /// The module this is.
    pub fn module(&self) -> Module {
        self.module
    }

    /// Prints the module as its own file (header, docs, items), exactly as [`Config::render`]
    /// writes it with [`Layout::Modules`](crate::Layout::Modules); the tree is dropped.
    pub fn print(self) -> Result<String, Error> {
        Ok(render::format_items(
            self.inner,
            self.items,
            &self.header,
            &self.spec_path,
        )?)
    }
}

impl Config {
    /// Reads the spec given to [`Config::spec`] and the files it refers to, and keeps of it
    /// what the selection ([`Config::select_tag`], ...) reaches.
    pub fn load(&self) -> Result<Spec, Error> {
        self.load_path(self.spec_path()?)
    }

    /// [`Config::load`] of the spec at `path`.
    pub(crate) fn load_path(&self, path: &Path) -> Result<Spec, Error> {
        self.select_loaded(load::read_file(path)?)
    }

    /// Reads a spec given as text (`name` picks the parser by extension and labels errors), and
    /// keeps of it what the selection reaches.
    pub fn load_str(&self, name: &str, source: &str) -> Result<Spec, Error> {
        self.select_loaded(load::read_str(Path::new(name), source.to_owned())?)
    }

    /// The selection stage between reading and the OpenAPI model: cuts the bundled document
    /// to what the selected operations reach, then deserialises what is left.
    fn select_loaded(&self, mut bundled: load::Bundled) -> Result<Spec, Error> {
        if let Err(unmatched) = select::select(&mut bundled.document, &self.selection) {
            return Err(Error::Spec(
                unmatched
                    .into_iter()
                    .map(|u| {
                        bundled
                            .diagnostic(
                                DiagnosticKind::UnmatchedSelector,
                                select::Unmatched::POINTER,
                                u.message,
                            )
                            .help(u.help)
                    })
                    .collect(),
            ));
        }
        Ok(Spec {
            loaded: load::finish(bundled)?,
        })
    }

    /// Lowers `spec` with this configuration's options.
    pub fn lower(&self, spec: &Spec) -> Result<Lowered, Error> {
        Ok(Lowered {
            lowered: self.lower_spec(&spec.loaded)?,
            header: render::header(self, &spec.loaded, false),
            spec_path: spec.loaded.path.clone(),
        })
    }

    /// Emits one module of `lowered` (whether or not [`Config::parts`] includes it).
    pub fn emit(&self, lowered: &Lowered, module: Module) -> Emitted {
        let options = render::emit_options(self);
        Emitted {
            module,
            inner: render::module_inner(module),
            items: emit::emit_module(&lowered.lowered.ir, &options, module),
            header: lowered.header.clone(),
            spec_path: lowered.spec_path.clone(),
        }
    }

    /// Renders a loaded spec as [`Config::render`] does.
    pub fn render_spec(&self, spec: &Spec) -> Result<Rendered, Error> {
        render::render_loaded(
            self,
            &spec.loaded,
            self.layout.unwrap_or(crate::Layout::Modules),
            false,
        )
    }
}
