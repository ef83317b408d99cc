//! Choosing what to generate: operations selected by tag, `operationId` or path, and only the
//! components they reach.
//!
//! Selection happens before lowering, on the document: [`prune`] returns a copy of the
//! description that keeps the selected operations (in spec order, with their path items'
//! shared parameters) and every component they reach through `$ref`s — schemas through
//! properties, items, `additionalProperties`, `allOf`/`oneOf`/`anyOf`/`not`; parameters,
//! request bodies, responses and headers, and the components those refer to — in spec order.
//! Lowering then runs on that copy as it would on a description that only ever had those
//! operations, so nothing downstream knows about selection, and a model no selected operation
//! reaches is never lowered. Only the selected parts are copied: on a huge description, a
//! small selection costs little beyond loading.
//!
//! Names are decided on the pruned document, so a type keeps its name unless another schema
//! of the full description competed for it (`Foo` and `foo`): then the selected output may
//! give it the shorter name.
//!
//! Every selector must match at least one operation; one that matches none is an error
//! ([`DiagnosticKind::UnmatchedSelector`]) naming it, with close matches when there are some.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, Components, Header, OpenAPI, Operation, Parameter,
    ParameterSchemaOrContent, PathItem, Paths, ReferenceOr, RequestBody, Response, Schema,
    SchemaKind, Type,
};

use crate::error::{Diagnostic, DiagnosticKind};
use crate::load::LoadedSpec;
use crate::locate::unescape;

/// One way to choose operations to generate (see [`crate::Config::select_tag`]).
///
/// An operation is generated when any selector matches it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Selector {
    /// Every operation that lists this tag (exact, case-sensitive).
    Tag(String),
    /// The operation with this `operationId` (exact, case-sensitive).
    OperationId(String),
    /// The operations under the paths this pattern matches, optionally only those of one
    /// method: `[METHOD ]PATTERN` (see [`Selector::matches_path`]).
    Path(String),
}

impl Selector {
    /// What the selector is, for messages (`tag`, `operationId`, `path`).
    fn kind(&self) -> &'static str {
        match self {
            Selector::Tag(_) => "tag",
            Selector::OperationId(_) => "operationId",
            Selector::Path(_) => "path",
        }
    }

    /// The text the user gave.
    fn text(&self) -> &str {
        match self {
            Selector::Tag(text) | Selector::OperationId(text) | Selector::Path(text) => text,
        }
    }

    fn matches(&self, path: &str, method: &str, operation: &Operation) -> bool {
        match self {
            Selector::Tag(tag) => operation.tags.iter().any(|t| t == tag),
            Selector::OperationId(id) => operation.operation_id.as_deref() == Some(id.as_str()),
            Selector::Path(pattern) => Self::matches_path(pattern, method, path),
        }
    }

    /// Whether the path pattern `pattern` matches the operation `method` (lower case, as in the
    /// description) at the path key `path`.
    ///
    /// A pattern is a path key as written in the description (`/repos/{owner}/{repo}`), in
    /// which a segment may use `*` for any run of characters within that segment
    /// (`/repos/*/*/issues`) and a segment `**` stands for any number of segments, none
    /// included (`/repos/**` selects `/repos` and everything below it). It may start with an
    /// HTTP method and a space (`GET /user`, any case) to select only that operation.
    ///
    /// ```
    /// use desk_codegen::Selector;
    ///
    /// assert!(Selector::matches_path("/repos/**", "get", "/repos/{owner}/{repo}"));
    /// assert!(Selector::matches_path("/repos/*/*", "delete", "/repos/{owner}/{repo}"));
    /// assert!(Selector::matches_path("GET /user", "get", "/user"));
    /// assert!(!Selector::matches_path("POST /user", "get", "/user"));
    /// assert!(!Selector::matches_path("/repos/*", "get", "/repos/{owner}/{repo}"));
    /// ```
    pub fn matches_path(pattern: &str, method: &str, path: &str) -> bool {
        let pattern = pattern.trim();
        let pattern = match pattern.split_once(' ') {
            Some((wanted, rest)) if !wanted.starts_with('/') => {
                if !wanted.eq_ignore_ascii_case(method) {
                    return false;
                }
                rest.trim_start()
            }
            _ => pattern,
        };
        let pattern: Vec<&str> = pattern.split('/').collect();
        let path: Vec<&str> = path.split('/').collect();
        segments_match(&pattern, &path)
    }
}

/// Whether the pattern segments match the path segments (`**` any number of segments).
fn segments_match(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| segments_match(rest, &path[skip..])),
        Some((first, rest)) => path
            .split_first()
            .is_some_and(|(segment, path)| glob(first, segment) && segments_match(rest, path)),
    }
}

/// Whether `text` matches `pattern`, in which `*` stands for any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// The description cut down to the operations `selectors` choose and the components they
/// reach; an error for each selector that matches no operation.
pub(super) fn prune(spec: &LoadedSpec, selectors: &[Selector]) -> Result<OpenAPI, Vec<Diagnostic>> {
    let doc = &spec.document;
    let mut matched = vec![false; selectors.len()];
    let mut paths = IndexMap::new();
    let mut reach = Reach::new(doc);
    for (path, item) in &doc.paths.paths {
        // Path items given by `$ref` were inlined by loading; one left is not selectable.
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let mut kept = PathItem {
            get: None,
            put: None,
            post: None,
            delete: None,
            options: None,
            head: None,
            patch: None,
            trace: None,
            ..item.clone()
        };
        let mut any = false;
        for (method, operation) in item.iter() {
            let mut selected = false;
            for (selector, matched) in selectors.iter().zip(matched.iter_mut()) {
                if selector.matches(path, method, operation) {
                    *matched = true;
                    selected = true;
                }
            }
            if !selected {
                continue;
            }
            any = true;
            reach.operation(operation);
            let slot = match method {
                "get" => &mut kept.get,
                "put" => &mut kept.put,
                "post" => &mut kept.post,
                "delete" => &mut kept.delete,
                "options" => &mut kept.options,
                "head" => &mut kept.head,
                "patch" => &mut kept.patch,
                _ => &mut kept.trace,
            };
            *slot = Some(operation.clone());
        }
        if any {
            reach.parameters(&item.parameters);
            paths.insert(path.clone(), ReferenceOr::Item(kept));
        }
    }
    let unmatched: Vec<Diagnostic> = selectors
        .iter()
        .zip(&matched)
        .filter(|(_, matched)| !**matched)
        .map(|(selector, _)| unmatched(spec, selector))
        .collect();
    if !unmatched.is_empty() {
        return Err(unmatched);
    }
    reach.close();
    Ok(OpenAPI {
        openapi: doc.openapi.clone(),
        info: doc.info.clone(),
        servers: doc.servers.clone(),
        paths: Paths {
            paths,
            extensions: doc.paths.extensions.clone(),
        },
        components: doc.components.as_ref().map(|c| reach.components(c)),
        security: doc.security.clone(),
        tags: doc.tags.clone(),
        external_docs: doc.external_docs.clone(),
        extensions: doc.extensions.clone(),
    })
}

/// The error for a selector that matches no operation, with close matches when there are.
fn unmatched(spec: &LoadedSpec, selector: &Selector) -> Diagnostic {
    let doc = &spec.document;
    let operations = || {
        doc.paths
            .paths
            .iter()
            .filter_map(|(path, item)| Some((path, item.as_item()?)))
            .flat_map(|(path, item)| {
                item.iter()
                    .map(move |(method, operation)| (path, method, operation))
            })
    };
    let candidates: BTreeSet<String> = match selector {
        Selector::Tag(_) => operations()
            .flat_map(|(_, _, operation)| operation.tags.iter().cloned())
            .chain(doc.tags.iter().map(|tag| tag.name.clone()))
            .collect(),
        Selector::OperationId(_) => operations()
            .filter_map(|(_, _, operation)| operation.operation_id.clone())
            .collect(),
        Selector::Path(_) => doc.paths.paths.keys().cloned().collect(),
    };
    let wanted = match selector {
        Selector::Path(pattern) => {
            // Compare the path part of `GET /x`.
            let pattern = pattern.trim();
            match pattern.split_once(' ') {
                Some((method, rest)) if !method.starts_with('/') => rest.trim_start(),
                _ => pattern,
            }
        }
        other => other.text(),
    };
    let close = close_matches(wanted, &candidates);
    let help = if close.is_empty() {
        match selector {
            Selector::Tag(_) if candidates.is_empty() => {
                "the description tags no operation: select by operationId or path instead".to_owned()
            }
            Selector::Tag(_) => format!("the tags are: {}", listed(&candidates)),
            Selector::OperationId(_) => "operationIds are case-sensitive; check the spelling in the description".to_owned(),
            Selector::Path(_) => "write a path key as in the description (`/repos/{owner}/{repo}`); `*` matches within a segment, `**` any number of segments, and `GET /path` one method".to_owned(),
        }
    } else {
        format!("did you mean {}?", listed(close))
    };
    spec.diagnostic(
        DiagnosticKind::UnmatchedSelector,
        "/paths",
        format!(
            "the {} selector `{}` matches no operation",
            selector.kind(),
            selector.text()
        ),
    )
    .help(help)
}

/// At most a dozen names, quoted, then how many more.
fn listed<'a>(names: impl IntoIterator<Item = &'a String>) -> String {
    let names: Vec<&String> = names.into_iter().collect();
    let mut shown: Vec<String> = names.iter().take(12).map(|n| format!("`{n}`")).collect();
    if names.len() > 12 {
        shown.push(format!("and {} more", names.len() - 12));
    }
    shown.join(", ")
}

/// Up to three candidates close to `wanted`: equal but for case, containing it or contained
/// in it, or a few edits away; closest first.
fn close_matches<'a>(wanted: &str, candidates: &'a BTreeSet<String>) -> Vec<&'a String> {
    let lower = wanted.to_lowercase();
    let mut scored: Vec<(usize, &String)> = candidates
        .iter()
        .filter_map(|candidate| {
            let candidate_lower = candidate.to_lowercase();
            let distance = strsim::levenshtein(&lower, &candidate_lower);
            let near = distance <= (lower.chars().count() / 4).max(2);
            let related = lower.len() >= 3
                && (candidate_lower.contains(&lower) || lower.contains(&candidate_lower));
            (near || related).then_some((distance, candidate))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, name)| name).collect()
}

/// The components reached so far, by section, as indexes into the description's maps.
struct Reach<'d> {
    doc: &'d OpenAPI,
    schemas: BTreeSet<usize>,
    parameters: BTreeSet<usize>,
    request_bodies: BTreeSet<usize>,
    responses: BTreeSet<usize>,
    headers: BTreeSet<usize>,
    /// Schemas reached and not yet walked (a worklist: deep schemas never recurse).
    pending: Vec<&'d Schema>,
    /// The alternatives of each discriminated base (see `hierarchy`): reaching a base reaches
    /// them.
    subtypes: std::collections::BTreeMap<usize, Vec<String>>,
}

impl<'d> Reach<'d> {
    fn new(doc: &'d OpenAPI) -> Self {
        Self {
            doc,
            schemas: BTreeSet::new(),
            parameters: BTreeSet::new(),
            request_bodies: BTreeSet::new(),
            responses: BTreeSet::new(),
            headers: BTreeSet::new(),
            pending: Vec::new(),
            subtypes: super::hierarchy::hierarchies(doc),
        }
    }

    fn operation(&mut self, operation: &'d Operation) {
        self.parameters(&operation.parameters);
        if let Some(body) = &operation.request_body {
            self.request_body(body);
        }
        let responses = &operation.responses;
        for response in responses.default.iter().chain(responses.responses.values()) {
            self.response(response);
        }
    }

    fn parameters(&mut self, parameters: &'d [ReferenceOr<Parameter>]) {
        for parameter in parameters {
            self.parameter(parameter);
        }
    }

    /// The component `reference` names in `section`, when it is one, marked as reached; `None`
    /// when it was reached before (or names nothing: lowering reports that).
    fn component<T>(
        reference: &str,
        section: &str,
        map: &'d IndexMap<String, ReferenceOr<T>>,
        reached: &mut BTreeSet<usize>,
    ) -> Option<&'d ReferenceOr<T>> {
        let name = reference
            .strip_prefix("#/components/")?
            .strip_prefix(section)?
            .strip_prefix('/')?;
        let (index, _, target) = map.get_full(&unescape(name))?;
        reached.insert(index).then_some(target)
    }

    fn components_of(&self) -> Option<&'d Components> {
        self.doc.components.as_ref()
    }

    fn parameter(&mut self, parameter: &'d ReferenceOr<Parameter>) {
        match parameter {
            ReferenceOr::Item(parameter) => self.format(&parameter.parameter_data_ref().format),
            ReferenceOr::Reference { reference } => {
                let Some(components) = self.components_of() else {
                    return;
                };
                if let Some(target) = Self::component(
                    reference,
                    "parameters",
                    &components.parameters,
                    &mut self.parameters,
                ) {
                    self.parameter(target);
                }
            }
        }
    }

    fn header(&mut self, header: &'d ReferenceOr<Header>) {
        match header {
            ReferenceOr::Item(header) => self.format(&header.format),
            ReferenceOr::Reference { reference } => {
                let Some(components) = self.components_of() else {
                    return;
                };
                if let Some(target) =
                    Self::component(reference, "headers", &components.headers, &mut self.headers)
                {
                    self.header(target);
                }
            }
        }
    }

    fn request_body(&mut self, body: &'d ReferenceOr<RequestBody>) {
        match body {
            ReferenceOr::Item(body) => self.content(&body.content),
            ReferenceOr::Reference { reference } => {
                let Some(components) = self.components_of() else {
                    return;
                };
                if let Some(target) = Self::component(
                    reference,
                    "requestBodies",
                    &components.request_bodies,
                    &mut self.request_bodies,
                ) {
                    self.request_body(target);
                }
            }
        }
    }

    fn response(&mut self, response: &'d ReferenceOr<Response>) {
        match response {
            ReferenceOr::Item(response) => {
                for header in response.headers.values() {
                    self.header(header);
                }
                self.content(&response.content);
            }
            ReferenceOr::Reference { reference } => {
                let Some(components) = self.components_of() else {
                    return;
                };
                if let Some(target) = Self::component(
                    reference,
                    "responses",
                    &components.responses,
                    &mut self.responses,
                ) {
                    self.response(target);
                }
            }
        }
    }

    fn format(&mut self, format: &'d ParameterSchemaOrContent) {
        match format {
            ParameterSchemaOrContent::Schema(schema) => self.schema(schema),
            ParameterSchemaOrContent::Content(content) => self.content(content),
        }
    }

    fn content(&mut self, content: &'d openapiv3::Content) {
        for media in content.values() {
            if let Some(schema) = &media.schema {
                self.schema(schema);
            }
            for encoding in media.encoding.values() {
                for header in encoding.headers.values() {
                    self.header(header);
                }
            }
        }
    }

    fn schema(&mut self, schema: &'d ReferenceOr<Schema>) {
        match schema {
            ReferenceOr::Item(schema) => self.pending.push(schema),
            ReferenceOr::Reference { reference } => self.schema_ref(reference),
        }
    }

    fn boxed_schema(&mut self, schema: &'d ReferenceOr<Box<Schema>>) {
        match schema {
            ReferenceOr::Item(schema) => self.pending.push(schema),
            ReferenceOr::Reference { reference } => self.schema_ref(reference),
        }
    }

    fn schema_ref(&mut self, reference: &str) {
        let Some(components) = self.components_of() else {
            return;
        };
        if let Some(target) =
            Self::component(reference, "schemas", &components.schemas, &mut self.schemas)
        {
            self.schema(target);
            let index = reference
                .strip_prefix("#/components/schemas/")
                .and_then(|name| components.schemas.get_index_of(&unescape(name)));
            if let Some(subtypes) = index.and_then(|index| self.subtypes.get(&index)) {
                for subtype in subtypes.clone() {
                    self.schema_ref(&subtype);
                }
            }
        }
    }

    fn additional(&mut self, additional: &'d Option<AdditionalProperties>) {
        if let Some(AdditionalProperties::Schema(schema)) = additional {
            self.schema(schema);
        }
    }

    /// Walks every schema reached until none is left.
    fn close(&mut self) {
        while let Some(schema) = self.pending.pop() {
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => {
                    for property in object.properties.values() {
                        self.boxed_schema(property);
                    }
                    self.additional(&object.additional_properties);
                }
                SchemaKind::Type(Type::Array(array)) => {
                    if let Some(items) = &array.items {
                        self.boxed_schema(items);
                    }
                }
                SchemaKind::Type(_) => {}
                SchemaKind::OneOf { one_of: list }
                | SchemaKind::AllOf { all_of: list }
                | SchemaKind::AnyOf { any_of: list } => {
                    for alternative in list {
                        self.schema(alternative);
                    }
                }
                SchemaKind::Not { not } => self.schema(not),
                SchemaKind::Any(any) => {
                    for property in any.properties.values() {
                        self.boxed_schema(property);
                    }
                    self.additional(&any.additional_properties);
                    if let Some(items) = &any.items {
                        self.boxed_schema(items);
                    }
                    for alternative in any.one_of.iter().chain(&any.all_of).chain(&any.any_of) {
                        self.schema(alternative);
                    }
                    if let Some(not) = &any.not {
                        self.schema(not);
                    }
                }
            }
        }
    }

    /// The components reached, in spec order; security schemes all kept (the client applies
    /// them by name), examples, links and callbacks dropped (lowering does not read them).
    fn components(&self, components: &Components) -> Components {
        fn kept<T: Clone>(
            map: &IndexMap<String, ReferenceOr<T>>,
            reached: &BTreeSet<usize>,
        ) -> IndexMap<String, ReferenceOr<T>> {
            reached
                .iter()
                .filter_map(|&index| map.get_index(index))
                .map(|(name, item)| (name.clone(), item.clone()))
                .collect()
        }
        Components {
            schemas: kept(&components.schemas, &self.schemas),
            responses: kept(&components.responses, &self.responses),
            parameters: kept(&components.parameters, &self.parameters),
            request_bodies: kept(&components.request_bodies, &self.request_bodies),
            headers: kept(&components.headers, &self.headers),
            security_schemes: components.security_schemes.clone(),
            extensions: components.extensions.clone(),
            ..Components::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_patterns() {
        let m = Selector::matches_path;
        assert!(m("/user", "get", "/user"));
        assert!(!m("/user", "get", "/users"));
        assert!(!m("/user", "get", "/user/repos"));
        assert!(m("/user/**", "get", "/user"));
        assert!(m("/user/**", "get", "/user/repos"));
        assert!(m("/user/**", "get", "/user/{id}/repos"));
        assert!(!m("/user/**", "get", "/users"));
        assert!(m("/**/issues", "get", "/repos/{owner}/{repo}/issues"));
        assert!(m(
            "/repos/*/*/issues",
            "post",
            "/repos/{owner}/{repo}/issues"
        ));
        assert!(!m(
            "/repos/*/issues",
            "post",
            "/repos/{owner}/{repo}/issues"
        ));
        assert!(m(
            "/repos/{owner}/{repo}/pulls*",
            "get",
            "/repos/{owner}/{repo}/pulls"
        ));
        assert!(!m("/me/*Messages", "get", "/me/mailFolders"));
        assert!(m("/me/*Folders", "get", "/me/mailFolders"));
        assert!(m("/me/m*l*s", "get", "/me/mailFolders"));
        assert!(!m("/me/m*l*x", "get", "/me/mailFolders"));
        assert!(m("post /user", "post", "/user"));
        assert!(m("POST   /user", "post", "/user"));
        assert!(!m("GET /user", "post", "/user"));
    }

    #[test]
    fn close_matches_prefer_the_nearest() {
        let candidates: BTreeSet<String> = ["repos", "issues", "pulls", "users", "reactions"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(close_matches("repo", &candidates), ["repos"]);
        assert_eq!(close_matches("Issues", &candidates), ["issues"]);
        assert!(close_matches("billing", &candidates).is_empty());
    }
}
