//! Stage 3: lower an `openapiv3` document (loaded, and cut to the selection) to the [`Ir`].
//!
//! Every `$ref` is resolved here and every Rust name is decided here (see [`super::names`]);
//! emitters never look at the spec. Traversal follows spec order (`IndexMap`), so the same
//! spec always lowers to the same IR.

mod compose;
mod forms;
mod hierarchy;
mod members;
mod mock;
mod names;
mod needs;
mod nesting;
mod operations;
mod outcomes;
mod pagination;
mod schema;
mod security;
mod unions;

pub use pagination::PageHint;

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr};

use crate::error::{Diagnostic, DiagnosticKind};
use crate::ir::{Ir, Server, ServerVariable, TypeDef, TypeId, TypeKind, UrlPart};
use crate::load::LoadedSpec;
use crate::locate::escape;
use names::Scope;

/// Options that change lowering.
#[derive(Debug, Clone, Default)]
pub struct LowerOptions {
    /// Rust names for component schemas, by schema name (`"ConversationAPIBody" → "ConversationBody"`).
    pub type_overrides: BTreeMap<String, String>,
    /// The runtime crate's path (`::desk_runtime`): generated code names its `Link` there.
    pub runtime_crate: String,
    /// How operations page, said by hand, by operationId (see [`PageHint`]).
    pub pagination: BTreeMap<String, PageHint>,
    /// A stable API ([`Ir::stable_api`]).
    pub stable_api: bool,
}

/// The IR and the warnings for the fallbacks taken.
#[derive(Debug, Clone)]
pub struct Lowered {
    /// The IR.
    pub ir: Ir,
    /// Warnings (fallbacks); errors stop lowering instead.
    pub warnings: Vec<Diagnostic>,
}

/// Lowers `spec`; on failure returns every error found. Every diagnostic returned has its line
/// and column, found for all of them in one pass over the text.
pub fn lower(spec: &LoadedSpec, options: &LowerOptions) -> Result<Lowered, Vec<Diagnostic>> {
    let mut result = lower_unlocated(spec, options);
    match &mut result {
        Ok(lowered) => spec.locate_all(&mut lowered.warnings),
        Err(errors) => spec.locate_all(errors),
    }
    result
}

/// [`lower`], with diagnostics not yet located: for callers that show no warnings (a diff),
/// and locate only errors.
pub(crate) fn lower_unlocated(
    spec: &LoadedSpec,
    options: &LowerOptions,
) -> Result<Lowered, Vec<Diagnostic>> {
    let doc = &spec.document;
    let mut lowerer = Lowerer::new(spec, doc, options);
    lowerer.lower_components();
    let (operations, mut method_names) = lowerer.lower_operations();
    lowerer.lower_hierarchies();
    let api_keys = lowerer.lower_api_keys();
    if !lowerer.errors.is_empty() {
        return Err(lowerer.errors);
    }
    let mut ir = Ir {
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        version: doc.info.version.clone(),
        servers: lower_servers(doc, &mut method_names),
        types: lowerer.types.into_iter().map(|slot| slot.def).collect(),
        operations,
        link_path: format!("{}::Link", options.runtime_crate),
        mock_server: String::new(),
        api_keys,
        api_keys_trait: None,
        needs: Default::default(),
        stable_api: options.stable_api,
        enum_order: if options.stable_api {
            crate::ir::EnumOrder::Wire
        } else {
            crate::ir::EnumOrder::Declaration
        },
    };
    let rings = unions::alias_rings(&ir);
    if !rings.is_empty() {
        return Err(rings
            .into_iter()
            .map(|ring| {
                let names: Vec<String> = ring.iter().chain(ring.first()).map(|id| format!("`{}`", ir.types[*id].name)).collect();
                spec.diagnostic(
                    DiagnosticKind::UnsupportedSchema,
                    &ir.types[ring[0]].pointer,
                    format!("these schemas only name each other and so describe no type: {}", names.join(" is ")),
                )
                .help("give one of them a type of its own (e.g. `type: object` with properties), or point it at the schema it stands for")
            })
            .collect());
    }
    unions::guard_untagged_unions(&mut ir);
    let mut warnings = lowerer.warnings;
    for id in forms::break_alias_cycles(&mut ir) {
        let mut diag = spec
            .diagnostic(
                DiagnosticKind::Fallback,
                &ir.types[id].pointer,
                format!("`{}` refers to itself only through references and arrays; the recursive part is typed `serde_json::Value`", ir.types[id].name),
            )
            .help("a type alias cannot contain itself: give the recursive schema properties (an object) so it becomes a struct");
        diag.severity = crate::error::Severity::Warning;
        warnings.push(diag);
    }
    forms::box_cycles(&mut ir);
    nesting::bound_inline_depth(&mut ir);
    nesting::bound_walks(&mut ir);
    if let Some(components) = &doc.components {
        // Component ids are allocated first, in spec order: a component's id is its index.
        for (id, (_, schema)) in components.schemas.iter().enumerate() {
            if let (Some(def), Some(schema)) = (ir.types.get_mut(id), schema.as_item()) {
                def.read_only = schema.schema_data.read_only;
            }
        }
    }
    forms::read_only_collections(&mut ir);
    let in_queries = forms::assign_forms(&mut ir, &mut lowerer.type_names);
    members::decide(&mut ir, &in_queries);
    members::decide_operations(&mut ir);
    let (errors, paging_warnings) =
        pagination::detect(&mut ir, doc, spec, &options.pagination, &mut method_names);
    if !errors.is_empty() {
        return Err(errors);
    }
    warnings.extend(paging_warnings);
    ir.operations.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    mock::name_mocks(&mut ir, &mut lowerer.type_names);
    if !ir.api_keys.is_empty() {
        ir.api_keys_trait = Some(lowerer.type_names.claim("ApiKeys".to_owned()));
    }
    needs::decide(&mut ir);
    Ok(Lowered { ir, warnings })
}

/// The servers, each with its client constructor named in `method_names` (after every
/// operation method): `x-desk-constructor` when given, else `for_{variables}`, else
/// `for_server_{index}`.
fn lower_servers(doc: &OpenAPI, method_names: &mut operations::MethodNames) -> Vec<Server> {
    doc.servers
        .iter()
        .enumerate()
        .map(|(index, server)| {
            let mut scope = Scope::default();
            let mut variables: Vec<ServerVariable> = server
                .variables
                .iter()
                .flatten()
                .map(|(name, var)| ServerVariable {
                    name: name.clone(),
                    rust_name: scope.claim(names::field_name(name)),
                    default: var.default.clone(),
                    in_url: false,
                })
                .collect();
            let wanted = match server
                .extensions
                .get("x-desk-constructor")
                .and_then(|v| v.as_str())
            {
                Some(name) => names::field_name(name),
                None if variables.is_empty() => format!("for_server_{index}"),
                None => {
                    let parts: Vec<&str> = variables
                        .iter()
                        .map(|v| v.rust_name.trim_end_matches('_'))
                        .collect();
                    format!("for_{}", parts.join("_"))
                }
            };
            let url_parts = url_parts(&server.url, &mut variables);
            Server {
                url: server.url.clone(),
                description: server.description.clone(),
                constructor: method_names.claim(wanted),
                variables,
                url_parts,
            }
        })
        .collect()
}

/// A server URL template split into text and the `{variables}` it names, each marked as named;
/// braces that name no declared variable stay text.
fn url_parts(url: &str, variables: &mut [ServerVariable]) -> Vec<UrlPart> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let named = after.find('}').and_then(|close| {
            let name = &after[..close];
            let index = variables.iter().position(|v| v.name == name)?;
            Some((index, close))
        });
        match named {
            Some((index, close)) => {
                text.push_str(&rest[..open]);
                if !text.is_empty() {
                    parts.push(UrlPart::Text(std::mem::take(&mut text)));
                }
                parts.push(UrlPart::Variable(index));
                variables[index].in_url = true;
                rest = &after[close + 1..];
            }
            None => {
                text.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        parts.push(UrlPart::Text(text));
    }
    parts
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Pending,
    InProgress,
    Done,
}

struct Slot {
    def: TypeDef,
    state: State,
}

/// Lowering state shared by the schema and operation passes.
pub(crate) struct Lowerer<'a> {
    spec: &'a LoadedSpec,
    doc: &'a OpenAPI,
    types: Vec<Slot>,
    /// Component schema name → its type, in spec order.
    components: IndexMap<String, TypeId>,
    type_names: Scope,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Memoised shapes of component schemas, by id (see [`compose`]).
    shapes: Vec<Option<compose::Shape>>,
    /// Components whose shape is being computed (a cycle guard).
    shape_busy: Vec<bool>,
    /// Union components whose alternatives are being merged with `allOf` objects (a cycle guard).
    distributing: Vec<TypeId>,
}

impl<'a> Lowerer<'a> {
    fn new(spec: &'a LoadedSpec, doc: &'a OpenAPI, options: &LowerOptions) -> Self {
        let mut lowerer = Self {
            spec,
            doc,
            types: Vec::new(),
            components: IndexMap::new(),
            // The requests module imports the runtime's `Patch`: no type may take its name.
            type_names: Scope::with_reserved(["Patch"]),
            errors: Vec::new(),
            warnings: Vec::new(),
            shapes: Vec::new(),
            shape_busy: Vec::new(),
            distributing: Vec::new(),
        };
        // Component names are claimed before any inline name, so they never get a suffix
        // because of an inline schema.
        if let Some(components) = &lowerer.doc.components {
            let raw: Vec<&str> = components.schemas.keys().map(String::as_str).collect();
            let unqualified = names::schema_type_names(&raw);
            for (name, short) in components.schemas.keys().zip(unqualified) {
                let pointer = format!("/components/schemas/{}", escape(name));
                let rust = match options.type_overrides.get(name) {
                    Some(wanted) if names::is_type_ident(wanted) => wanted.clone(),
                    Some(wanted) => {
                        let diag = spec
                            .diagnostic(
                                DiagnosticKind::InvalidDocument,
                                &pointer,
                                format!("the Rust name `{wanted}` configured for schema `{name}` is not a type identifier"),
                            )
                            .help("pass an `UpperCamelCase` identifier to `Config::type_name`");
                        lowerer.errors.push(diag);
                        short
                    }
                    None => short,
                };
                let id = lowerer.alloc_type(rust, pointer);
                lowerer.components.insert(name.clone(), id);
            }
        }
        lowerer.shapes = vec![None; lowerer.components.len()];
        lowerer.shape_busy = vec![false; lowerer.components.len()];
        lowerer
    }

    /// Reserves a named type; its kind is filled in later.
    fn alloc_type(&mut self, wanted: String, pointer: String) -> TypeId {
        let name = self.type_names.claim(wanted);
        self.types.push(Slot {
            def: TypeDef {
                name,
                pointer,
                docs: None,
                kind: TypeKind::Alias(crate::ir::TypeRef::Json),
                patch_name: None,
                create_name: None,
                create_is_model: false,
                in_create: Default::default(),
                in_patch: Default::default(),
                read_only: false,
                wrapper_field: None,
                forms: Default::default(),
                conversions: Default::default(),
            },
            state: State::Pending,
        });
        self.types.len() - 1
    }

    fn lower_components(&mut self) {
        for id in self.lowering_order() {
            self.ensure_lowered(id);
        }
    }

    /// Lowers component `id` unless done; used so `allOf` can read another component's fields.
    fn ensure_lowered(&mut self, id: TypeId) -> bool {
        match self.types[id].state {
            State::Done => return true,
            State::InProgress => return false,
            State::Pending => {}
        }
        self.types[id].state = State::InProgress;
        // Component ids are allocated first, in spec order, so a component's id is its index.
        let Some((name, schema)) = self
            .doc
            .components
            .as_ref()
            .and_then(|c| c.schemas.get_index(id))
        else {
            self.types[id].state = State::Done;
            return true;
        };
        let pointer = format!("/components/schemas/{}", escape(name));
        self.lower_named(id, schema, &pointer);
        self.types[id].state = State::Done;
        true
    }

    /// The component schema a local `$ref` names, or a diagnostic.
    fn resolve_schema_ref(&self, reference: &str, pointer: &str) -> Result<TypeId, Diagnostic> {
        let ref_pointer = format!("{pointer}/$ref");
        let Some(fragment) = reference.strip_prefix('#') else {
            return Err(self
                .spec
                .diagnostic(
                    DiagnosticKind::UnsupportedRef,
                    &ref_pointer,
                    format!("external reference `{reference}` is not supported"),
                )
                .help("bundle the description into one file first (e.g. `redocly bundle`)"));
        };
        match fragment.strip_prefix("/components/schemas/") {
            Some(name) if !name.contains('/') => {
                let name = crate::locate::unescape(name);
                self.components.get(&name).copied().ok_or_else(|| {
                    self.spec
                        .diagnostic(
                            DiagnosticKind::UnresolvedRef,
                            &ref_pointer,
                            format!("`$ref: {reference}` points to a schema that does not exist"),
                        )
                        .help(format!(
                            "define `{name}` under `components/schemas`, or correct the reference{}",
                            self.closest_component(&name).map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default()
                        ))
                })
            }
            _ => Err(self
                .spec
                .diagnostic(
                    DiagnosticKind::UnsupportedRef,
                    &ref_pointer,
                    format!(
                        "`$ref: {reference}` does not name a schema under `#/components/schemas/`"
                    ),
                )
                .help("move the referenced schema to `components/schemas` and reference it there")),
        }
    }

    fn closest_component(&self, name: &str) -> Option<&str> {
        let lower = name.to_lowercase();
        self.components
            .keys()
            .map(String::as_str)
            .find(|c| c.to_lowercase() == lower)
    }

    /// Looks up a `#/components/<section>/<name>` reference of a non-schema kind.
    fn resolve_component<'d, T>(
        &self,
        item: &'d ReferenceOr<T>,
        section: &str,
        lookup: impl Fn(&str) -> Option<&'d ReferenceOr<T>>,
        pointer: &str,
    ) -> Result<(&'d T, String), Diagnostic> {
        let mut current = item;
        let mut current_pointer = pointer.to_owned();
        // Components may alias each other; a bound keeps a cycle from looping.
        for _ in 0..16 {
            match current {
                ReferenceOr::Item(value) => return Ok((value, current_pointer)),
                ReferenceOr::Reference { reference } => {
                    let prefix = format!("#/components/{section}/");
                    let Some(name) = reference.strip_prefix(&prefix) else {
                        return Err(self
                            .spec
                            .diagnostic(
                                DiagnosticKind::UnsupportedRef,
                                &format!("{current_pointer}/$ref"),
                                format!("`$ref: {reference}` must point under `#/components/{section}/`"),
                            )
                            .help("bundle external files into one description and reference components locally"));
                    };
                    let name = crate::locate::unescape(name);
                    current = lookup(&name).ok_or_else(|| {
                        self.spec
                            .diagnostic(
                                DiagnosticKind::UnresolvedRef,
                                &format!("{current_pointer}/$ref"),
                                format!("`$ref: {reference}` points to nothing"),
                            )
                            .help(format!("define `{name}` under `components/{section}`"))
                    })?;
                    current_pointer = format!("/components/{section}/{}", escape(&name));
                }
            }
        }
        Err(self
            .spec
            .diagnostic(
                DiagnosticKind::UnresolvedRef,
                pointer,
                "reference cycle between components",
            )
            .help("make one of the components a definition instead of a `$ref`"))
    }

    fn warn(
        &mut self,
        kind: DiagnosticKind,
        pointer: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let mut diag = self.spec.diagnostic(kind, pointer, message).help(help);
        diag.severity = crate::error::Severity::Warning;
        self.warnings.push(diag);
    }

    fn error(&mut self, diag: Diagnostic) {
        self.errors.push(diag);
    }
}
