//! Swagger 2.0 → OpenAPI 3.0: rewrites a (bundled) 2.0 document into the 3.0 form openapiv3
//! models, following the mapping the OpenAPI 3.0 specification implies, so that lowering and
//! every later stage see one shape.
//!
//! The document:
//! - `swagger: "2.0"` → `openapi: 3.0.3`; `info`, `tags`, `externalDocs`, `security` and
//!   extensions are kept;
//! - `host` + `basePath` + `schemes` → `servers`: one URL per scheme (`https` first, then
//!   `http`), `{scheme}://{host}{basePath}`; without `host`, the relative URL `basePath` (none
//!   without either, as 3.0 says when it lists no server).
//!   `x-servers` (a list of 3.0 server objects, as swagger2openapi reads it) wins over them;
//! - `definitions` → `components/schemas`; `parameters` → `components/parameters` (a body
//!   parameter → `components/requestBodies`; formData parameters are copied into each
//!   operation's form body); `responses` → `components/responses`; `securityDefinitions` →
//!   `components/securitySchemes` (`basic` → `http`/`basic`; `apiKey` as it is; `oauth2` with its
//!   `flow`: `implicit`, `password`, `application` → `clientCredentials`, `accessCode` →
//!   `authorizationCode`). Every `$ref` follows its target (`#/definitions/X` →
//!   `#/components/schemas/X`, ...). Component names are kept as written (`models.Pet`): what a
//!   name becomes in Rust is lowering's rule (see `lower::names`).
//!
//! Operations:
//! - `consumes` and `produces` (the operation's, else the document's; `application/json` when
//!   neither says, and first where only wildcards such as `*/*` would take JSON) are the media
//!   types of the request body and of each response's content, hence the `Accept` header;
//! - `in: body` → `requestBody` (`required`, `description`, one content entry per `consumes`
//!   type); `in: formData` → a `requestBody` whose schema is an object with one property per
//!   parameter (`type: file` → `type: string, format: binary`), `multipart/form-data` when
//!   `consumes` lists it or a parameter is a file, else `application/x-www-form-urlencoded`;
//!   path-level body and formData parameters move into each operation;
//! - other parameters get a `schema` made of their type keywords (`type`, `format`, `items`,
//!   `enum`, `default`, ranges, lengths, `pattern`, `uniqueItems`, `multipleOf`), or the
//!   `schema` they give instead (not 2.0, but the only way to give a query parameter a named
//!   type, which files written with 3.0 in mind do); `x-example` (and `example`, which real
//!   files put there) → `example`; a path parameter is required;
//! - `collectionFormat` (default `csv`) → `style`/`explode`: in a query, `csv` → `form`,
//!   `explode: false`; `multi` → `form`, `explode: true`; `ssv` → `spaceDelimited`; `pipes` →
//!   `pipeDelimited`; in a path or header `csv` is 3.0's `simple`. Where 3.0 has no style (`tsv`
//!   anywhere; `ssv`, `pipes` in a path or header; any format but `multi` of a form field,
//!   whose `explode: false` openapiv3 cannot tell from an absent one) the extension
//!   `x-desk-collection-format: <format>` carries it, on the parameter or the body's
//!   `encoding` entry. An array inside an array parameter carries its own format on its
//!   schema (`items: {x-desk-collection-format: pipes}`): lowering joins nested items with it;
//! - responses: `schema` → `content` for each `produces` type (a `type: file` schema → binary
//!   content of the non-JSON `produces` types, else `application/octet-stream`); `examples` →
//!   the `example` of the matching content; `headers` → header objects with a `schema`; a
//!   status written as a YAML integer (`200:`) is read as its text.
//!
//! Schemas: `x-nullable` (and AutoRest's `x-isnullable`) → `nullable` (beside a `$ref`, as is
//! `readOnly`: `allOf: [{$ref}]` with `nullable`, `readOnly` and the other siblings); `type: file` → binary string; `type: [T, "null"]` → `T`,
//! nullable; `discriminator: name` → `{propertyName: name, mapping}` whose entries are the
//! definitions that `allOf` the base (the value is the definition's
//! `x-ms-discriminator-value`, else its name), so lowering makes the same tagged union a 3.x
//! description gets; `x-example` → `example`; tuple `items` (a list) and `additionalItems` →
//! `items: {oneOf: [...]}`, with a warning.
//!
//! A construct 3.0 has no place for is dropped with a located warning; a keyword that real 2.0
//! files write where the specification does not allow it (a boolean `required` on a property,
//! an unknown `collectionFormat`) is read as far as it makes sense, with a warning, never refused.
//!
//! Every node moved is recorded in [`Origins`] (a layer over bundling's), so a diagnostic about
//! the upgraded document names the file, pointer, line and column in the 2.0 text the user wrote.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::bundle::Origins;
use super::Note;
use crate::error::DiagnosticKind;
use crate::locate::escape;

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];
const JSON: &str = "application/json";
const MULTIPART: &str = "multipart/form-data";
const URLENCODED: &str = "application/x-www-form-urlencoded";
/// The extension that carries a 2.0 `collectionFormat` 3.0 has no style for.
pub(crate) const COLLECTION_FORMAT: &str = "x-desk-collection-format";

/// The upgraded document, where its nodes came from, and what was dropped or read loosely (the
/// notes' pointers are in the 2.0 document: resolve them with [`Origins::resolve_before`]).
pub(super) struct Upgraded {
    pub value: Value,
    pub origins: Origins,
    pub notes: Vec<Note>,
}

/// Upgrades a bundled Swagger 2.0 document to OpenAPI 3.0 (see the module docs).
pub(super) fn upgrade(document: Value, origins: Origins) -> Upgraded {
    let mut upgrade = Upgrade {
        origins: origins.rewritten(),
        notes: Vec::new(),
        consumes: Vec::new(),
        produces: Vec::new(),
        parameters: Map::new(),
        responses: Map::new(),
        schemes: Vec::new(),
    };
    let value = match document {
        Value::Object(root) => Value::Object(upgrade.document(root)),
        other => other,
    };
    Upgraded {
        value,
        origins: upgrade.origins,
        notes: upgrade.notes,
    }
}

struct Upgrade {
    /// The layer of origins this rewrite records.
    origins: Origins,
    notes: Vec<Note>,
    /// The document's `consumes` and `produces`.
    consumes: Vec<String>,
    produces: Vec<String>,
    /// The document's `parameters` and `responses` as written, for operations that refer to
    /// them.
    parameters: Map<String, Value>,
    responses: Map<String, Value>,
    /// The document's `schemes` (lower-case), against which an operation's own are compared.
    schemes: Vec<String>,
}

/// A pointer one key further down (one allocation: this runs for every node moved).
fn child(pointer: &str, key: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + key.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in key.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// The media type without parameters, lower-case.
fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn is_json(media: &str) -> bool {
    essence(media).contains("json")
}

/// `#/definitions/X` → `#/components/schemas/X`, and the other sections alike.
fn upgraded_ref(reference: &str) -> String {
    for (old, new) in [
        ("#/definitions/", "#/components/schemas/"),
        ("#/parameters/", "#/components/parameters/"),
        ("#/responses/", "#/components/responses/"),
    ] {
        if let Some(rest) = reference.strip_prefix(old) {
            return format!("{new}{rest}");
        }
    }
    reference.to_owned()
}

/// The name of a local reference into `section` (`#/parameters/X` → `X`).
fn ref_name<'a>(value: &'a Value, prefix: &str) -> Option<&'a str> {
    let reference = value.get("$ref")?.as_str()?;
    let name = reference.strip_prefix(prefix)?;
    (!name.contains('/')).then_some(name)
}

fn unescape_name(name: &str) -> String {
    crate::locate::unescape(name)
}

/// The 2.0 keywords that say what a non-body parameter, a header or an `items` object holds,
/// copied into its 3.0 schema.
const TYPE_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];

impl Upgrade {
    fn note(&mut self, pointer: impl Into<String>, message: impl Into<String>, help: &str) {
        self.notes.push(Note {
            kind: DiagnosticKind::Fallback,
            pointer: pointer.into(),
            message: message.into(),
            help: help.to_owned(),
        });
    }

    fn was(&mut self, pointer: String, before: &str) {
        self.origins.was(pointer, before.to_owned());
    }

    /// A list of media types (`consumes`, `produces`).
    fn media_list(&mut self, value: Option<Value>, pointer: &str) -> Option<Vec<String>> {
        match value? {
            Value::Array(items) => Some(
                items
                    .into_iter()
                    .filter_map(|item| match item {
                        Value::String(media) => Some(media),
                        _ => None,
                    })
                    .collect(),
            ),
            Value::String(one) => Some(vec![one]),
            _ => {
                self.note(
                    pointer,
                    "this is not a list of media types; it is ignored",
                    "write a list such as `[application/json]`",
                );
                None
            }
        }
    }

    fn document(&mut self, mut root: Map<String, Value>) -> Map<String, Value> {
        let mut out = Map::new();
        root.shift_remove("swagger");
        out.insert("openapi".into(), Value::String("3.0.3".into()));
        self.was("/openapi".into(), "/swagger");
        if let Some(info) = root.shift_remove("info") {
            out.insert("info".into(), info);
        }
        let consumes = root.shift_remove("consumes");
        self.consumes = self.media_list(consumes, "/consumes").unwrap_or_default();
        let produces = root.shift_remove("produces");
        self.produces = self.media_list(produces, "/produces").unwrap_or_default();
        if let Some(servers) = self.servers(&mut root) {
            out.insert("servers".into(), servers);
        }
        let mut components = Map::new();
        if let Some(Value::Object(definitions)) = root.shift_remove("definitions") {
            let mappings = discriminator_mappings(&definitions);
            let mut schemas = Map::new();
            for (name, schema) in definitions {
                let old = child("/definitions", &name);
                let new = child("/components/schemas", &name);
                self.was(new.clone(), &old);
                let mapping = mappings.get(&name).cloned();
                schemas.insert(name, self.schema(schema, &new, &old, mapping));
            }
            components.insert("schemas".into(), Value::Object(schemas));
        }
        if let Some(Value::Object(parameters)) = root.shift_remove("parameters") {
            self.parameters = parameters;
        }
        if let Some(Value::Object(responses)) = root.shift_remove("responses") {
            self.responses = responses;
        }
        let (parameters, bodies) = self.global_parameters();
        if !parameters.is_empty() {
            components.insert("parameters".into(), Value::Object(parameters));
        }
        if !bodies.is_empty() {
            components.insert("requestBodies".into(), Value::Object(bodies));
        }
        let mut responses = Map::new();
        let globals: Vec<(String, Value)> = self
            .responses
            .iter()
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        let produces = self.produces.clone();
        for (name, response) in globals {
            let old = child("/responses", &name);
            let new = child("/components/responses", &name);
            let upgraded = self.response(response, &produces, &new, &old);
            responses.insert(name, upgraded);
        }
        if !responses.is_empty() {
            components.insert("responses".into(), Value::Object(responses));
        }
        if let Some(Value::Object(definitions)) = root.shift_remove("securityDefinitions") {
            let mut schemes = Map::new();
            for (name, scheme) in definitions {
                let old = child("/securityDefinitions", &name);
                if let Some(upgraded) = self.security_scheme(scheme, &old) {
                    self.was(child("/components/securitySchemes", &name), &old);
                    schemes.insert(name, upgraded);
                }
            }
            components.insert("securitySchemes".into(), Value::Object(schemes));
        }
        let mut paths = Map::new();
        if let Some(Value::Object(items)) = root.shift_remove("paths") {
            for (path, item) in items {
                let pointer = child("/paths", &path);
                let item = match item {
                    Value::Object(item) => Value::Object(self.path_item(item, &pointer)),
                    other => other,
                };
                paths.insert(path, item);
            }
        }
        out.insert("paths".into(), Value::Object(paths));
        for (key, value) in root {
            match key.as_str() {
                "tags" | "externalDocs" | "security" => {
                    out.insert(key, value);
                }
                _ if key.starts_with("x-") => {
                    out.insert(key, value);
                }
                _ => self.note(
                    child("", &key),
                    format!("`{key}` is not a Swagger 2.0 field and has no OpenAPI 3.0 meaning; it is ignored"),
                    "remove it, or prefix it with `x-` to keep it as an extension",
                ),
            }
        }
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        out
    }

    /// `servers` from `x-servers`, else from `host`, `basePath` and `schemes`.
    fn servers(&mut self, root: &mut Map<String, Value>) -> Option<Value> {
        let host = root.shift_remove("host");
        let base_path = root.shift_remove("basePath");
        let schemes = root.shift_remove("schemes");
        if let Some(servers) = root.shift_remove("x-servers") {
            if servers.is_array() {
                self.was("/servers".into(), "/x-servers");
                return Some(servers);
            }
            self.note(
                "/x-servers",
                "`x-servers` is not a list of server objects; it is ignored",
                "list OpenAPI 3.0 server objects (`- url: https://...`)",
            );
        }
        let listed = scheme_list(schemes.as_ref());
        self.schemes = listed.clone();
        let base = match &base_path {
            Some(Value::String(base)) => base.trim_end_matches('/').to_owned(),
            _ => String::new(),
        };
        let Some(Value::String(host)) = host else {
            // Relative to where the description is served; with no `basePath` either, 3.0's
            // default (no servers) says the same.
            if base.is_empty() {
                return None;
            }
            self.was("/servers".into(), "/basePath");
            return Some(Value::Array(vec![server(base)]));
        };
        let host = host.trim_end_matches('/');
        let mut ordered: Vec<&str> = Vec::new();
        for scheme in ["https", "http"] {
            if listed.iter().any(|s| s == scheme) {
                ordered.push(scheme);
            }
        }
        for (index, other) in listed.iter().enumerate() {
            if other != "https" && other != "http" {
                self.note(
                    format!("/schemes/{index}"),
                    format!("the scheme `{other}` is not HTTP; the client has no server for it"),
                    "nothing to do: the client speaks HTTP(S)",
                );
            }
        }
        if ordered.is_empty() {
            // 2.0: the scheme the description was fetched with; HTTPS is the safe guess.
            ordered.push("https");
        }
        self.was("/servers".into(), "/host");
        Some(Value::Array(
            ordered
                .into_iter()
                .map(|scheme| server(format!("{scheme}://{host}{base}")))
                .collect(),
        ))
    }

    /// The document's parameters: non-body ones as 3.0 parameters, body ones as request bodies
    /// (formData ones are copied into each operation's form body instead).
    fn global_parameters(&mut self) -> (Map<String, Value>, Map<String, Value>) {
        let mut parameters = Map::new();
        let mut bodies = Map::new();
        let globals: Vec<(String, Value)> = self
            .parameters
            .iter()
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        let consumes = self.consumes.clone();
        for (name, parameter) in globals {
            let old = child("/parameters", &name);
            let Value::Object(parameter) = parameter else {
                continue;
            };
            match parameter.get("in").and_then(Value::as_str) {
                Some("body") => {
                    let new = child("/components/requestBodies", &name);
                    let body = self.request_body(parameter, &consumes, &new, &old);
                    bodies.insert(name, body);
                }
                Some("formData") => {}
                _ => {
                    let new = child("/components/parameters", &name);
                    let upgraded = self.parameter(parameter, &new, &old);
                    parameters.insert(name, upgraded);
                }
            }
        }
        (parameters, bodies)
    }

    fn security_scheme(&mut self, scheme: Value, pointer: &str) -> Option<Value> {
        let Value::Object(scheme) = scheme else {
            return None;
        };
        let mut out = Map::new();
        let kind = scheme
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match kind {
            "basic" => {
                out.insert("type".into(), "http".into());
                out.insert("scheme".into(), "basic".into());
            }
            "apiKey" => {
                out.insert("type".into(), "apiKey".into());
                for key in ["name", "in"] {
                    if let Some(value) = scheme.get(key) {
                        out.insert(key.into(), value.clone());
                    }
                }
            }
            "oauth2" => {
                out.insert("type".into(), "oauth2".into());
                let flow = scheme
                    .get("flow")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let name = match flow {
                    "implicit" => "implicit",
                    "password" => "password",
                    "application" => "clientCredentials",
                    "accessCode" => "authorizationCode",
                    other => {
                        self.note(
                            child(pointer, "flow"),
                            format!("`{other}` is not an OAuth2 flow of Swagger 2.0; the scheme is read as `implicit`"),
                            "use `implicit`, `password`, `application` or `accessCode`",
                        );
                        "implicit"
                    }
                };
                let mut details = Map::new();
                for key in ["authorizationUrl", "tokenUrl"] {
                    if let Some(value) = scheme.get(key) {
                        details.insert(key.into(), value.clone());
                    }
                }
                details.insert(
                    "scopes".into(),
                    scheme
                        .get("scopes")
                        .cloned()
                        .unwrap_or_else(|| Value::Object(Map::new())),
                );
                out.insert(
                    "flows".into(),
                    Value::Object(Map::from_iter([(name.to_owned(), Value::Object(details))])),
                );
            }
            other => {
                self.note(
                    child(pointer, "type"),
                    format!("`{other}` is not a security scheme type of Swagger 2.0; the scheme is left out"),
                    "use `basic`, `apiKey` or `oauth2`",
                );
                return None;
            }
        }
        for (key, value) in scheme {
            if key == "description" || key.starts_with("x-") {
                out.insert(key, value);
            }
        }
        Some(Value::Object(out))
    }

    fn path_item(&mut self, item: Map<String, Value>, pointer: &str) -> Map<String, Value> {
        let mut out = Map::new();
        // Path-level body and formData parameters belong to each operation in 3.0.
        let mut shared_bodies: Vec<(Value, String)> = Vec::new();
        let mut shared = Vec::new();
        let mut operations = Vec::new();
        for (key, value) in item {
            match key.as_str() {
                "parameters" => {
                    let Value::Array(parameters) = value else {
                        continue;
                    };
                    for (index, parameter) in parameters.into_iter().enumerate() {
                        let old = format!("{pointer}/parameters/{index}");
                        if self.is_body_or_form(&parameter) {
                            shared_bodies.push((parameter, old));
                        } else {
                            shared.push((parameter, old));
                        }
                    }
                }
                method if METHODS.contains(&method) => operations.push((key, value)),
                _ if key.starts_with("x-") || key == "$ref" => {
                    out.insert(key, value);
                }
                _ => self.note(
                    child(pointer, &key),
                    format!("`{key}` is not a field of a Swagger 2.0 path item; it is ignored"),
                    "remove it, or prefix it with `x-` to keep it as an extension",
                ),
            }
        }
        if !shared.is_empty() {
            let mut list = Vec::new();
            for (parameter, old) in shared {
                let new = format!("{pointer}/parameters/{}", list.len());
                list.push(self.parameter_or_ref(parameter, &new, &old));
            }
            out.insert("parameters".into(), Value::Array(list));
        }
        for (method, operation) in operations {
            let op_pointer = child(pointer, &method);
            let operation = match operation {
                Value::Object(operation) => {
                    Value::Object(self.operation(operation, &shared_bodies, &op_pointer))
                }
                other => other,
            };
            out.insert(method, operation);
        }
        out
    }

    /// Whether `parameter` (inline, or a reference to a document parameter) is `in: body` or
    /// `in: formData`.
    fn is_body_or_form(&self, parameter: &Value) -> bool {
        matches!(self.location(parameter), Some("body" | "formData"))
    }

    /// The `in` of a parameter, following a reference to a document parameter.
    fn location<'a>(&'a self, parameter: &'a Value) -> Option<&'a str> {
        let target = match ref_name(parameter, "#/parameters/") {
            Some(name) => self.parameters.get(&unescape_name(name))?,
            None => parameter,
        };
        target.get("in").and_then(Value::as_str)
    }

    /// A non-body parameter, or a reference to one of the document's.
    fn parameter_or_ref(&mut self, parameter: Value, new: &str, old: &str) -> Value {
        match parameter {
            Value::Object(parameter) if parameter.contains_key("$ref") => {
                self.was(new.to_owned(), old);
                let reference = parameter
                    .get("$ref")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                Value::Object(Map::from_iter([(
                    "$ref".to_owned(),
                    Value::String(upgraded_ref(reference)),
                )]))
            }
            Value::Object(parameter) => self.parameter(parameter, new, old),
            other => other,
        }
    }

    fn operation(
        &mut self,
        mut operation: Map<String, Value>,
        shared_bodies: &[(Value, String)],
        pointer: &str,
    ) -> Map<String, Value> {
        let consumes = operation.shift_remove("consumes");
        let consumes = self
            .media_list(consumes, &child(pointer, "consumes"))
            .unwrap_or_else(|| self.consumes.clone());
        let produces = operation.shift_remove("produces");
        let produces = self
            .media_list(produces, &child(pointer, "produces"))
            .unwrap_or_else(|| self.produces.clone());
        let mut out = Map::new();
        let mut parameters = Vec::new();
        let mut body: Option<Value> = None;
        let mut form: Vec<(Map<String, Value>, String)> = Vec::new();
        let own = match operation.shift_remove("parameters") {
            Some(Value::Array(own)) => own,
            _ => Vec::new(),
        };
        let mut all: Vec<(Value, String)> = own
            .into_iter()
            .enumerate()
            .map(|(index, p)| (p, format!("{pointer}/parameters/{index}")))
            .collect();
        for (parameter, old) in shared_bodies {
            let overridden = all.iter().any(|(p, _)| {
                self.identity(p).is_some() && self.identity(p) == self.identity(parameter)
            });
            if !overridden {
                all.push((parameter.clone(), old.clone()));
            }
        }
        let body_pointer = child(pointer, "requestBody");
        for (parameter, old) in all {
            let global = ref_name(&parameter, "#/parameters/").map(unescape_name);
            let location = self.location(&parameter).map(str::to_owned);
            match location.as_deref() {
                Some("body") => {
                    if body.is_some() {
                        self.note(
                            old,
                            "an operation has one body; this second body parameter is left out",
                            "keep one `in: body` parameter",
                        );
                        continue;
                    }
                    body = Some(match global {
                        // The document's body parameter is a request body component, unless this
                        // operation's media types differ from the document's.
                        Some(name) if consumes == self.consumes => {
                            self.was(body_pointer.clone(), &old);
                            Value::Object(Map::from_iter([(
                                "$ref".to_owned(),
                                Value::String(format!(
                                    "#/components/requestBodies/{}",
                                    escape(&name)
                                )),
                            )]))
                        }
                        Some(name) => {
                            let target = self.parameters.get(&name).cloned();
                            let old = child("/parameters", &name);
                            match target {
                                Some(Value::Object(target)) => {
                                    self.request_body(target, &consumes, &body_pointer, &old)
                                }
                                _ => continue,
                            }
                        }
                        None => match parameter {
                            Value::Object(parameter) => {
                                self.request_body(parameter, &consumes, &body_pointer, &old)
                            }
                            _ => continue,
                        },
                    });
                }
                Some("formData") => {
                    let (parameter, old) = match global {
                        Some(name) => (
                            self.parameters.get(&name).cloned(),
                            child("/parameters", &name),
                        ),
                        None => (Some(parameter), old),
                    };
                    if let Some(Value::Object(parameter)) = parameter {
                        form.push((parameter, old));
                    }
                }
                _ => {
                    let new = format!("{pointer}/parameters/{}", parameters.len());
                    parameters.push(self.parameter_or_ref(parameter, &new, &old));
                }
            }
        }
        for (key, value) in operation {
            match key.as_str() {
                "responses" => {
                    let responses = match value {
                        Value::Object(responses) => Value::Object(self.responses(
                            responses,
                            &produces,
                            &child(pointer, "responses"),
                        )),
                        other => other,
                    };
                    out.insert(key, responses);
                }
                "schemes" => {
                    let mut own = scheme_list(Some(&value));
                    own.sort();
                    let mut document = self.schemes.clone();
                    document.sort();
                    // Only where the document lists schemes of its own (its servers).
                    if !document.is_empty() && own != document {
                        self.note(
                            child(pointer, "schemes"),
                            "an operation's own `schemes` are not used: the client sends every operation to the server it was built for",
                            "nothing to do; build the client with the server this operation needs",
                        );
                    }
                }
                "tags" | "summary" | "description" | "externalDocs" | "operationId"
                | "deprecated" | "security" => {
                    out.insert(key, value);
                }
                _ if key.starts_with("x-") => {
                    out.insert(key, value);
                }
                _ => self.note(
                    child(pointer, &key),
                    format!("`{key}` is not a field of a Swagger 2.0 operation; it is ignored"),
                    "remove it, or prefix it with `x-` to keep it as an extension",
                ),
            }
        }
        if !parameters.is_empty() {
            out.insert("parameters".into(), Value::Array(parameters));
        }
        if !form.is_empty() {
            if body.is_some() {
                let old = form[0].1.clone();
                self.note(
                    old,
                    "an operation with an `in: body` parameter cannot have `in: formData` ones; they are left out",
                    "send the form fields in the body's schema, or drop the body parameter",
                );
            } else {
                body = Some(self.form_body(form, &consumes, &body_pointer));
            }
        }
        if let Some(body) = body {
            out.insert("requestBody".into(), body);
        }
        out
    }

    /// What overrides what between path-level and operation parameters: name and location.
    fn identity(&self, parameter: &Value) -> Option<(String, String)> {
        let target = match ref_name(parameter, "#/parameters/") {
            Some(name) => self.parameters.get(&unescape_name(name))?,
            None => parameter,
        };
        Some((
            target.get("name")?.as_str()?.to_owned(),
            target.get("in")?.as_str()?.to_owned(),
        ))
    }

    /// An `in: body` parameter as a 3.0 request body.
    fn request_body(
        &mut self,
        mut parameter: Map<String, Value>,
        consumes: &[String],
        new: &str,
        old: &str,
    ) -> Value {
        self.was(new.to_owned(), old);
        let mut out = Map::new();
        if let Some(description) = parameter.shift_remove("description") {
            out.insert("description".into(), description);
        }
        if let Some(required) = parameter.shift_remove("required") {
            out.insert("required".into(), required);
        }
        let schema = parameter
            .shift_remove("schema")
            .unwrap_or_else(|| Value::Object(Map::new()));
        let media_types = schema_media_types(consumes);
        let mut content = Map::new();
        let schema_old = child(old, "schema");
        let last = media_types.len().saturating_sub(1);
        let mut schema = Some(schema);
        for (index, media) in media_types.into_iter().enumerate() {
            let media_new = child(&child(new, "content"), &media);
            self.was(media_new.clone(), old);
            // Each media type holds the schema; the last one takes it.
            let written = if index == last {
                schema.take().unwrap_or_default()
            } else {
                schema.clone().unwrap_or_default()
            };
            let schema = self.schema(written, &child(&media_new, "schema"), &schema_old, None);
            content.insert(
                media,
                Value::Object(Map::from_iter([("schema".to_owned(), schema)])),
            );
        }
        out.insert("content".into(), Value::Object(content));
        for (key, value) in parameter {
            if key.starts_with("x-") {
                out.insert(key, value);
            }
        }
        Value::Object(out)
    }

    /// The `in: formData` parameters of an operation as one form body.
    fn form_body(
        &mut self,
        parameters: Vec<(Map<String, Value>, String)>,
        consumes: &[String],
        new: &str,
    ) -> Value {
        let has_file = parameters
            .iter()
            .any(|(p, _)| p.get("type").and_then(Value::as_str) == Some("file"));
        let listed = |wanted: &str| consumes.iter().any(|c| essence(c) == wanted);
        let multipart = listed(MULTIPART) || (has_file && !listed(URLENCODED));
        let media = if multipart { MULTIPART } else { URLENCODED };
        if has_file && !multipart {
            let old = parameters[0].1.clone();
            self.note(
                old,
                "a file parameter in an `application/x-www-form-urlencoded` form is sent as text",
                "list `multipart/form-data` in `consumes` to upload files",
            );
        }
        if !consumes.is_empty() && !listed(media) {
            let old = parameters[0].1.clone();
            self.note(
                old,
                format!(
                    "formData parameters are sent as `{media}`, which `consumes` does not list"
                ),
                "list `multipart/form-data` or `application/x-www-form-urlencoded` in `consumes`",
            );
        }
        let first = parameters[0].1.clone();
        self.was(new.to_owned(), &first);
        let media_new = child(&child(new, "content"), media);
        let schema_new = child(&media_new, "schema");
        self.was(schema_new.clone(), &first);
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for (parameter, old) in parameters {
            let Some(name) = parameter
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_owned)
            else {
                continue;
            };
            let property_new = child(&child(&schema_new, "properties"), &name);
            self.was(property_new, &old);
            if parameter.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(Value::String(name.clone()));
            }
            let mut parameter = parameter;
            let encoding_entry = self.form_encoding(&parameter, &old, multipart);
            let mut schema = self.take_schema(&mut parameter, &old, true, false);
            for key in ["description"] {
                if let Some(value) = parameter.get(key) {
                    schema.insert(key.into(), value.clone());
                }
            }
            if let Some(example) = parameter
                .get("x-example")
                .or_else(|| parameter.get("example"))
            {
                schema.insert("example".into(), example.clone());
            }
            if let Some(entry) = encoding_entry {
                encoding.insert(name.clone(), Value::Object(entry));
            }
            parameter.shift_remove("collectionFormat");
            self.unknown_parameter_keys(&mut parameter, &old);
            properties.insert(name, Value::Object(schema));
        }
        let mut schema = Map::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(properties));
        let schema_required = !required.is_empty();
        if schema_required {
            schema.insert("required".into(), Value::Array(required));
        }
        let mut media_type = Map::new();
        media_type.insert("schema".into(), Value::Object(schema));
        if !encoding.is_empty() {
            media_type.insert("encoding".into(), Value::Object(encoding));
        }
        let mut body = Map::new();
        // A form with a required field cannot be left out.
        if schema_required {
            body.insert("required".into(), true.into());
        }
        body.insert(
            "content".into(),
            Value::Object(Map::from_iter([(
                media.to_owned(),
                Value::Object(media_type),
            )])),
        );
        Value::Object(body)
    }

    /// The `encoding` entry of a form field for its `collectionFormat` (none when 3.0's
    /// defaults already say it: `multi` in a form).
    fn form_encoding(
        &mut self,
        parameter: &Map<String, Value>,
        old: &str,
        multipart: bool,
    ) -> Option<Map<String, Value>> {
        if parameter.get("type").and_then(Value::as_str) != Some("array") {
            return None;
        }
        let format = self.collection_format(parameter, old, true);
        if format == "multi" {
            return None;
        }
        let mut entry = Map::new();
        if multipart {
            // 3.0 ignores `style` in multipart bodies: each item is a part.
            entry.insert(COLLECTION_FORMAT.into(), format.into());
            return Some(entry);
        }
        let style = match format {
            "ssv" => "spaceDelimited",
            "pipes" => "pipeDelimited",
            _ => "form",
        };
        entry.insert("style".into(), style.into());
        entry.insert("explode".into(), false.into());
        // openapiv3 cannot tell `explode: false` from an absent one (which means `true` for
        // `form`): the extension says it for lowering.
        entry.insert(COLLECTION_FORMAT.into(), format.into());
        Some(entry)
    }

    /// The `collectionFormat` of an array parameter or items object (`csv` when absent or not
    /// one of 2.0's; `multi` only where `multi_allowed`).
    fn collection_format(
        &mut self,
        map: &Map<String, Value>,
        old: &str,
        multi_allowed: bool,
    ) -> &'static str {
        let written = map.get("collectionFormat").and_then(Value::as_str);
        match written {
            None | Some("csv") => "csv",
            Some("ssv") => "ssv",
            Some("tsv") => "tsv",
            Some("pipes") => "pipes",
            Some("multi") if multi_allowed => "multi",
            Some("multi") => {
                self.note(
                    child(old, "collectionFormat"),
                    "`multi` applies to query and formData parameters only; the items are sent comma-separated (`csv`)",
                    "use `csv` here, or move the parameter to the query",
                );
                "csv"
            }
            Some(other) => {
                self.note(
                    child(old, "collectionFormat"),
                    format!("`{other}` is not a collectionFormat; the items are sent comma-separated (`csv`)"),
                    "use csv, ssv, tsv, pipes or multi",
                );
                "csv"
            }
        }
    }

    /// A non-body, non-formData parameter, rewritten in place (Kubernetes has thousands).
    fn parameter(&mut self, mut parameter: Map<String, Value>, new: &str, old: &str) -> Value {
        self.was(new.to_owned(), old);
        let location = parameter
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if location == "path" {
            parameter.insert("required".into(), true.into());
        } else if parameter.get("required").and_then(Value::as_bool) != Some(true) {
            parameter.shift_remove("required");
        }
        if location != "query" {
            parameter.shift_remove("allowEmptyValue");
        }
        if parameter.get("type").and_then(Value::as_str) == Some("file") {
            self.note(
                child(old, "type"),
                "`type: file` is for formData parameters; this parameter is sent as text",
                "move the parameter to `in: formData`, or give it `type: string`",
            );
        }
        // A `schema` instead of type keywords (what tools that think in 3.0 write, and the only
        // way a 2.0 file can give a query parameter a named type): the parameter's schema.
        let own_schema = if parameter.contains_key("type") {
            None
        } else {
            parameter.shift_remove("schema")
        };
        let kind = match &own_schema {
            Some(schema) => schema.get("type"),
            None => parameter.get("type"),
        };
        let mut style = Vec::new();
        if kind.and_then(Value::as_str) == Some("array") {
            let multi_allowed = location == "query";
            let format = self.collection_format(&parameter, old, multi_allowed);
            let (written, explode, extension) = match (location.as_str(), format) {
                ("query", "csv") => (Some("form"), Some(false), None),
                ("query", "multi") => (Some("form"), Some(true), None),
                ("query", "ssv") => (Some("spaceDelimited"), Some(false), None),
                ("query", "pipes") => (Some("pipeDelimited"), Some(false), None),
                ("query", other) => (Some("form"), Some(false), Some(other)),
                (_, "csv") => (None, None, None),
                (_, other) => (None, None, Some(other)),
            };
            style.extend(written.map(|s| ("style", Value::from(s))));
            style.extend(explode.map(|e| ("explode", Value::from(e))));
            style.extend(extension.map(|e| (COLLECTION_FORMAT, Value::from(e))));
        }
        parameter.shift_remove("collectionFormat");
        if let Some(example) = parameter.shift_remove("x-example") {
            parameter.insert("example".into(), example);
        }
        let schema = match own_schema {
            Some(schema) => {
                let schema_new = child(new, "schema");
                self.schema(schema, &schema_new, &child(old, "schema"), None)
            }
            None => {
                self.was(child(new, "schema"), old);
                Value::Object(self.take_schema(&mut parameter, old, false, false))
            }
        };
        self.unknown_parameter_keys(&mut parameter, old);
        for (key, value) in style {
            parameter.insert(key.into(), value);
        }
        parameter.insert("schema".into(), schema);
        Value::Object(parameter)
    }

    /// Removes, with a warning, the keys left on a non-body parameter (its type keywords
    /// already taken) that 2.0 does not define.
    fn unknown_parameter_keys(&mut self, parameter: &mut Map<String, Value>, old: &str) {
        let unknown: Vec<String> = parameter
            .keys()
            .filter(|key| {
                !key.starts_with("x-")
                    && !matches!(
                        key.as_str(),
                        "name"
                            | "in"
                            | "description"
                            | "required"
                            | "allowEmptyValue"
                            | "example"
                            | "deprecated"
                    )
            })
            .cloned()
            .collect();
        for key in unknown {
            parameter.shift_remove(&key);
            self.note(
                child(old, &key),
                format!("`{key}` has no meaning on a non-body parameter; it is ignored"),
                "remove it (a `schema` belongs to `in: body` parameters, or stands for the type keywords when they are absent)",
            );
        }
    }

    /// Moves the type keywords of a non-body parameter, a header or an `items` object out of
    /// `map` into a 3.0 schema (with its extensions too when `extensions`); a nested array
    /// carries its `collectionFormat` as `x-desk-collection-format`.
    fn take_schema(
        &mut self,
        map: &mut Map<String, Value>,
        old: &str,
        files_allowed: bool,
        extensions: bool,
    ) -> Map<String, Value> {
        let mut schema = Map::new();
        for key in TYPE_KEYWORDS {
            if let Some(value) = map.shift_remove(*key) {
                schema.insert((*key).into(), value);
            }
        }
        if schema.get("type").and_then(Value::as_str) == Some("file") {
            schema.insert("type".into(), "string".into());
            if files_allowed {
                schema.insert("format".into(), "binary".into());
            }
        }
        if let Some(Value::Array(types)) = schema.get("type").cloned() {
            self.type_list(&mut schema, &types, old);
        }
        if nullable_flag(map) {
            schema.insert("nullable".into(), true.into());
        }
        map.shift_remove("x-nullable");
        map.shift_remove("x-isnullable");
        let items = map.shift_remove("items");
        if schema.get("type").and_then(Value::as_str) == Some("array") {
            match items {
                Some(Value::Object(mut items)) => {
                    let items_old = child(old, "items");
                    let format = self.collection_format(&items, &items_old, false);
                    let mut inner = self.take_schema(&mut items, &items_old, false, true);
                    if inner.get("type").and_then(Value::as_str) == Some("array") {
                        inner.insert(COLLECTION_FORMAT.into(), format.into());
                    }
                    schema.insert("items".into(), Value::Object(inner));
                }
                _ => {
                    self.note(
                        child(old, "type"),
                        "an array without `items`: its items may be any value",
                        "give the array `items` with a type",
                    );
                    schema.insert("items".into(), Value::Object(Map::new()));
                }
            }
        }
        if extensions {
            let keys: Vec<String> = map
                .keys()
                .filter(|key| key.starts_with("x-") && key.as_str() != "x-example")
                .cloned()
                .collect();
            for key in keys {
                if let Some(value) = map.shift_remove(&key) {
                    schema.insert(key, value);
                }
            }
        }
        schema
    }

    /// `type: [T, "null"]` (which real 2.0 files write): `T`, nullable.
    fn type_list(&mut self, schema: &mut Map<String, Value>, types: &[Value], old: &str) {
        let named: Vec<&str> = types
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect();
        if named.len() < types.len() {
            schema.insert("nullable".into(), true.into());
        }
        match named.as_slice() {
            [one] => {
                schema.insert("type".into(), Value::String((*one).to_owned()));
            }
            [] => {
                schema.shift_remove("type");
            }
            several => {
                self.note(
                    child(old, "type"),
                    format!("a list of types ({}) has no Swagger 2.0 meaning; the value may be any of them", several.join(", ")),
                    "give one type (and `x-nullable: true` for null)",
                );
                schema.shift_remove("type");
            }
        }
    }

    fn responses(
        &mut self,
        responses: Map<String, Value>,
        produces: &[String],
        pointer: &str,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for (code, response) in responses {
            let new = child(pointer, &code);
            if code.starts_with("x-") {
                out.insert(code, response);
                continue;
            }
            let upgraded = match ref_name(&response, "#/responses/").map(unescape_name) {
                Some(name) if produces == self.produces.as_slice() => {
                    Value::Object(Map::from_iter([(
                        "$ref".to_owned(),
                        Value::String(format!("#/components/responses/{}", escape(&name))),
                    )]))
                }
                // This operation's media types differ from the document's: a copy with its own.
                Some(name) => match self.responses.get(&name).cloned() {
                    Some(target) => {
                        self.response(target, produces, &new, &child("/responses", &name))
                    }
                    None => response,
                },
                None => self.response(response, produces, &new, &new),
            };
            out.insert(code, upgraded);
        }
        out
    }

    /// A response, rewritten in place.
    fn response(&mut self, response: Value, produces: &[String], new: &str, old: &str) -> Value {
        let Value::Object(mut response) = response else {
            return response;
        };
        if response.contains_key("$ref") {
            if let Some(Value::String(reference)) = response.get_mut("$ref") {
                *reference = upgraded_ref(reference);
            }
            return Value::Object(response);
        }
        self.was(new.to_owned(), old);
        if !response.contains_key("description") {
            response.insert("description".into(), Value::String(String::new()));
        }
        let examples = response.shift_remove("examples");
        let mut content = Map::new();
        if let Some(schema) = response.shift_remove("schema") {
            let file = schema.get("type").and_then(Value::as_str) == Some("file");
            let media_types: Vec<String> = if file {
                let binary: Vec<String> =
                    produces.iter().filter(|m| !is_json(m)).cloned().collect();
                if binary.is_empty() {
                    vec!["application/octet-stream".to_owned()]
                } else {
                    binary
                }
            } else {
                schema_media_types(produces)
            };
            let schema_old = child(old, "schema");
            let content_new = child(new, "content");
            let last = media_types.len().saturating_sub(1);
            let mut schema = Some(schema);
            for (index, media) in media_types.into_iter().enumerate() {
                let media_new = child(&content_new, &media);
                self.was(media_new.clone(), old);
                // Each media type holds the schema; the last one takes it.
                let written = if index == last {
                    schema.take().unwrap_or_default()
                } else {
                    schema.clone().unwrap_or_default()
                };
                let upgraded =
                    self.schema(written, &child(&media_new, "schema"), &schema_old, None);
                content.insert(
                    media,
                    Value::Object(Map::from_iter([("schema".to_owned(), upgraded)])),
                );
            }
        }
        if let Some(Value::Object(examples)) = examples {
            let produced = |media: &str| {
                if produces.is_empty() {
                    essence(media) == JSON
                } else {
                    produces.iter().any(|p| p == media)
                }
            };
            for (media, example) in examples {
                let entry = match content.get_mut(&media) {
                    Some(entry) => entry.as_object_mut(),
                    // An example without a schema is still what the media type looks like.
                    None if produced(&media) => content
                        .entry(media.clone())
                        .or_insert_with(|| Value::Object(Map::new()))
                        .as_object_mut(),
                    None => None,
                };
                match entry {
                    Some(entry) => {
                        entry.insert("example".into(), example);
                    }
                    None => self.note(
                        child(&child(old, "examples"), &media),
                        format!("an example for `{media}`, which this response does not produce; it is ignored"),
                        "list the media type in `produces`, or remove the example",
                    ),
                }
            }
        }
        if !content.is_empty() {
            response.insert("content".into(), Value::Object(content));
        }
        if let Some(Value::Object(mut headers)) = response.shift_remove("headers") {
            for (name, header) in headers.iter_mut() {
                let header_old = child(&child(old, "headers"), name);
                let header_new = child(&child(new, "headers"), name);
                self.was(header_new.clone(), &header_old);
                let Value::Object(header) = header else {
                    continue;
                };
                let array = header.get("type").and_then(Value::as_str) == Some("array");
                let format = array.then(|| self.collection_format(header, &header_old, false));
                header.shift_remove("collectionFormat");
                let mut schema = self.take_schema(header, &header_old, false, false);
                if let Some(format) = format.filter(|f| *f != "csv") {
                    schema.insert(COLLECTION_FORMAT.into(), format.into());
                }
                self.was(child(&header_new, "schema"), &header_old);
                header.insert("schema".into(), Value::Object(schema));
            }
            response.insert("headers".into(), Value::Object(headers));
        }
        let unknown: Vec<String> = response
            .keys()
            .filter(|key| {
                !key.starts_with("x-")
                    && !matches!(key.as_str(), "description" | "content" | "headers")
            })
            .cloned()
            .collect();
        for key in unknown {
            response.shift_remove(&key);
            self.note(
                child(old, &key),
                format!("`{key}` is not a field of a Swagger 2.0 response; it is ignored"),
                "remove it, or prefix it with `x-` to keep it as an extension",
            );
        }
        Value::Object(response)
    }

    /// A 2.0 schema as 3.0 (see the module docs); `mapping` is the discriminator mapping of a
    /// definition that is a base of others.
    fn schema(
        &mut self,
        value: Value,
        new: &str,
        old: &str,
        mapping: Option<Map<String, Value>>,
    ) -> Value {
        let Value::Object(mut schema) = value else {
            return value;
        };
        let nullable = nullable_flag(&schema);
        schema.shift_remove("x-nullable");
        schema.shift_remove("x-isnullable");
        if let Some(Value::String(reference)) = schema.get_mut("$ref") {
            *reference = upgraded_ref(reference);
            let read_only = schema.get("readOnly").and_then(Value::as_bool) == Some(true);
            if nullable || read_only {
                // 3.0 ignores a `$ref`'s siblings, which real 2.0 files qualify references with
                // (go-swagger reads them): a nullable or read-only reference is `allOf` of one.
                let reference = schema.shift_remove("$ref").unwrap_or_default();
                self.was(format!("{new}/allOf/0"), old);
                schema.insert(
                    "allOf".into(),
                    Value::Array(vec![Value::Object(Map::from_iter([(
                        "$ref".to_owned(),
                        reference,
                    )]))]),
                );
                if nullable {
                    schema.insert("nullable".into(), true.into());
                }
            }
            return Value::Object(schema);
        }
        match schema.get("type").cloned() {
            Some(Value::String(kind)) if kind == "file" => {
                schema.insert("type".into(), "string".into());
                schema.insert("format".into(), "binary".into());
            }
            Some(Value::String(kind)) if kind == "null" => {
                schema.shift_remove("type");
                schema.insert("nullable".into(), true.into());
            }
            Some(Value::Array(types)) => self.type_list(&mut schema, &types, old),
            _ => {}
        }
        if nullable {
            schema.insert("nullable".into(), true.into());
        }
        if let Some(Value::String(property)) = schema.get("discriminator").cloned() {
            let mut discriminator = Map::new();
            discriminator.insert("propertyName".into(), Value::String(property));
            if let Some(mapping) = mapping.filter(|m| !m.is_empty()) {
                discriminator.insert("mapping".into(), Value::Object(mapping));
            }
            schema.insert("discriminator".into(), Value::Object(discriminator));
        }
        if let Some(example) = schema.shift_remove("x-example") {
            schema.entry("example").or_insert(example);
        }
        if let Some(required) = schema.get("required").filter(|r| !r.is_array()) {
            let shown = required.to_string();
            schema.shift_remove("required");
            self.note(
                child(old, "required"),
                format!("`required: {shown}` on a schema is not a list of property names; it is ignored"),
                "list the required properties in the enclosing object's `required`",
            );
        }
        if let Some(Value::Array(tuple)) = schema
            .get("items")
            .is_some_and(Value::is_array)
            .then(|| schema.shift_remove("items"))
            .flatten()
        {
            // Tuple items have no 3.0 form: each item may be any of the listed schemas.
            let mut alternatives = tuple;
            if let Some(extra @ Value::Object(_)) = schema.shift_remove("additionalItems") {
                alternatives.push(extra);
            }
            self.note(
                child(old, "items"),
                "tuple `items` (a list of schemas) have no OpenAPI 3.0 form: each item may be any of them",
                "give `items` one schema (a `oneOf` if items differ)",
            );
            let count = alternatives.len();
            for index in 0..count {
                self.was(format!("{new}/items/oneOf/{index}"), &child(old, "items"));
            }
            let alternatives = alternatives
                .into_iter()
                .enumerate()
                .map(|(index, alternative)| {
                    let alt_new = format!("{new}/items/oneOf/{index}");
                    let alt_old = format!("{old}/items/{index}");
                    self.schema(alternative, &alt_new, &alt_old, None)
                })
                .collect();
            schema.insert(
                "items".into(),
                Value::Object(Map::from_iter([(
                    "oneOf".to_owned(),
                    Value::Array(alternatives),
                )])),
            );
        } else if schema.shift_remove("additionalItems").is_some() {
            self.note(
                child(old, "additionalItems"),
                "`additionalItems` applies to tuple `items` only; it is ignored",
                "remove it",
            );
        }
        for (key, sub) in schema.iter_mut() {
            // The pointers are made only for the keys that hold schemas.
            let key_new = || child(new, key);
            let key_old = || child(old, key);
            match (key.as_str(), sub) {
                ("properties", Value::Object(properties)) => {
                    let (key_new, key_old) = (key_new(), key_old());
                    for (name, property) in properties.iter_mut() {
                        let taken = std::mem::take(property);
                        *property = self.schema(
                            taken,
                            &child(&key_new, name),
                            &child(&key_old, name),
                            None,
                        );
                    }
                }
                ("items" | "additionalProperties" | "not", sub @ Value::Object(_)) => {
                    let taken = std::mem::take(sub);
                    *sub = self.schema(taken, &key_new(), &key_old(), None);
                }
                ("allOf" | "oneOf" | "anyOf", Value::Array(parts)) => {
                    let (key_new, key_old) = (key_new(), key_old());
                    for (index, part) in parts.iter_mut().enumerate() {
                        let taken = std::mem::take(part);
                        *part = self.schema(
                            taken,
                            &format!("{key_new}/{index}"),
                            &format!("{key_old}/{index}"),
                            None,
                        );
                    }
                }
                _ => {}
            }
        }
        Value::Object(schema)
    }
}

/// The media types a body or response with a (non-file) schema is described with: those
/// listed, `application/json` when none is; with `application/json` first when only wildcards
/// (`*/*`, `application/*`) would take JSON (Kubernetes consumes `*/*`: its objects are JSON).
fn schema_media_types(listed: &[String]) -> Vec<String> {
    if listed.is_empty() {
        return vec![JSON.to_owned()];
    }
    let wildcard = listed
        .iter()
        .any(|m| matches!(essence(m).as_str(), "*/*" | "application/*"));
    if wildcard && !listed.iter().any(|m| is_json(m)) {
        return std::iter::once(JSON.to_owned())
            .chain(listed.iter().cloned())
            .collect();
    }
    listed.to_vec()
}

/// The schemes listed (lower-case).
fn scheme_list(schemes: Option<&Value>) -> Vec<String> {
    match schemes {
        Some(Value::Array(schemes)) => schemes
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_ascii_lowercase)
            .collect(),
        _ => Vec::new(),
    }
}

fn server(url: String) -> Value {
    Value::Object(Map::from_iter([("url".to_owned(), Value::String(url))]))
}

/// `x-nullable: true` or `x-isnullable: true` (AutoRest's spelling).
fn nullable_flag(map: &Map<String, Value>) -> bool {
    ["x-nullable", "x-isnullable"]
        .iter()
        .any(|key| map.get(*key).and_then(Value::as_bool) == Some(true))
}

/// For each definition with a `discriminator` (a property name), the mapping of its subtypes:
/// the definitions whose `allOf` refers to it, each under its `x-ms-discriminator-value` or,
/// as 2.0 says, its own name; in definition order.
fn discriminator_mappings(definitions: &Map<String, Value>) -> HashMap<String, Map<String, Value>> {
    let mut mappings: HashMap<String, Map<String, Value>> = definitions
        .iter()
        .filter(|(_, schema)| schema.get("discriminator").is_some_and(Value::is_string))
        .map(|(name, _)| (name.clone(), Map::new()))
        .collect();
    if mappings.is_empty() {
        return mappings;
    }
    for (name, schema) in definitions {
        let Some(Value::Array(parts)) = schema.get("allOf") else {
            continue;
        };
        for part in parts {
            let Some(base) = ref_name(part, "#/definitions/").map(unescape_name) else {
                continue;
            };
            let Some(mapping) = mappings.get_mut(&base) else {
                continue;
            };
            let tag = schema
                .get("x-ms-discriminator-value")
                .and_then(Value::as_str)
                .unwrap_or(name);
            mapping
                .entry(tag.to_owned())
                .or_insert_with(|| Value::String(format!("#/components/schemas/{}", escape(name))));
        }
    }
    mappings
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn upgraded(document: Value) -> (Value, Vec<String>) {
        let Upgraded { value, notes, .. } = upgrade(document, Origins::default());
        (value, notes.into_iter().map(|n| n.pointer).collect())
    }

    #[test]
    fn servers_come_from_host_base_path_and_schemes() {
        let (value, _) = upgraded(json!({
            "swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "host": "api.example.com", "basePath": "/v1/", "schemes": ["http", "https"]
        }));
        assert_eq!(
            value["servers"],
            json!([{"url": "https://api.example.com/v1"}, {"url": "http://api.example.com/v1"}])
        );
        let (value, _) = upgraded(json!({"swagger": "2.0", "paths": {}, "basePath": "/api"}));
        assert_eq!(value["servers"], json!([{"url": "/api"}]));
        let (value, _) = upgraded(json!({"swagger": "2.0", "paths": {}, "host": "h"}));
        assert_eq!(value["servers"], json!([{"url": "https://h"}]));
        let (value, _) = upgraded(json!({"swagger": "2.0", "paths": {}}));
        assert_eq!(value.get("servers"), None);
    }

    #[test]
    fn collection_formats_become_styles_or_the_extension() {
        let parameter = |format: &str, location: &str| json!({"name": "p", "in": location, "type": "array", "items": {"type": "string"}, "collectionFormat": format});
        let (value, notes) = upgraded(json!({
            "swagger": "2.0", "paths": {"/a/{p}": {"get": {"parameters": [
                parameter("csv", "query"), parameter("multi", "query"), parameter("ssv", "query"),
                parameter("pipes", "query"), parameter("tsv", "query"), parameter("pipes", "path"),
                parameter("multi", "header"),
            ], "responses": {"200": {"description": "ok"}}}}}
        }));
        let params = &value["paths"]["/a/{p}"]["get"]["parameters"];
        let shown: Vec<(Value, Value, Value)> = (0..7)
            .map(|i| {
                let p = &params[i];
                (
                    p["style"].clone(),
                    p["explode"].clone(),
                    p[COLLECTION_FORMAT].clone(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                (json!("form"), json!(false), Value::Null),
                (json!("form"), json!(true), Value::Null),
                (json!("spaceDelimited"), json!(false), Value::Null),
                (json!("pipeDelimited"), json!(false), Value::Null),
                (json!("form"), json!(false), json!("tsv")),
                (Value::Null, Value::Null, json!("pipes")),
                (Value::Null, Value::Null, Value::Null),
            ]
        );
        assert_eq!(params[5]["required"], json!(true));
        assert_eq!(notes, ["/paths/~1a~1{p}/get/parameters/6/collectionFormat"]);
    }

    #[test]
    fn bodies_forms_and_responses_follow_consumes_and_produces() {
        let (value, _) = upgraded(json!({
            "swagger": "2.0", "consumes": ["application/json"], "produces": ["application/json"],
            "paths": {
                "/up": {"post": {
                    "consumes": ["multipart/form-data"],
                    "parameters": [
                        {"name": "file", "in": "formData", "type": "file", "required": true},
                        {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "ok", "schema": {"type": "file"}}}
                }},
                "/pets": {"post": {
                    "parameters": [{"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}}],
                    "responses": {"201": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}}}
                }}
            },
            "definitions": {"Pet": {"type": "object", "properties": {"tag": {"type": "string", "x-nullable": true}}}}
        }));
        let up = &value["paths"]["/up"]["post"];
        let form = &up["requestBody"]["content"]["multipart/form-data"];
        assert_eq!(
            form["schema"]["properties"]["file"],
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(form["schema"]["required"], json!(["file"]));
        assert_eq!(form["encoding"]["tags"], json!({COLLECTION_FORMAT: "csv"}));
        assert_eq!(
            up["responses"]["200"]["content"]["application/octet-stream"]["schema"],
            json!({"type": "string", "format": "binary"})
        );
        let pets = &value["paths"]["/pets"]["post"];
        assert_eq!(
            pets["requestBody"],
            json!({"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}})
        );
        assert_eq!(
            value["components"]["schemas"]["Pet"]["properties"]["tag"],
            json!({"type": "string", "nullable": true})
        );
    }

    #[test]
    fn a_discriminator_maps_the_definitions_that_extend_the_base() {
        let (value, _) = upgraded(json!({
            "swagger": "2.0", "paths": {},
            "definitions": {
                "Pet": {"type": "object", "discriminator": "petType", "required": ["petType"],
                        "properties": {"petType": {"type": "string"}}},
                "Cat": {"allOf": [{"$ref": "#/definitions/Pet"}, {"properties": {"lives": {"type": "integer"}}}]},
                "Dog": {"x-ms-discriminator-value": "dog", "allOf": [{"$ref": "#/definitions/Pet"}]}
            }
        }));
        assert_eq!(
            value["components"]["schemas"]["Pet"]["discriminator"],
            json!({"propertyName": "petType", "mapping": {
                "Cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"
            }})
        );
    }

    #[test]
    fn moved_nodes_resolve_to_their_place_in_the_two_point_zero_document() {
        let Upgraded { origins, .. } = upgrade(
            json!({
                "swagger": "2.0",
                "paths": {"/a": {"post": {"parameters": [
                    {"name": "b", "in": "body", "schema": {"$ref": "#/definitions/Missing"}},
                    {"name": "q", "in": "query", "type": "integer"}
                ], "responses": {"200": {"description": "ok", "schema": {"type": "string"}}}}}},
                "definitions": {"X": {"$ref": "#/definitions/Y", "x-nullable": true}}
            }),
            Origins::default(),
        );
        let resolve = |pointer: &str| origins.resolve(pointer).1;
        assert_eq!(
            resolve("/paths/~1a/post/requestBody/content/application~1json/schema/$ref"),
            "/paths/~1a/post/parameters/0/schema/$ref"
        );
        assert_eq!(
            resolve("/paths/~1a/post/parameters/0/schema/type"),
            "/paths/~1a/post/parameters/1/type"
        );
        assert_eq!(
            resolve("/paths/~1a/post/responses/200/content/application~1json/schema/type"),
            "/paths/~1a/post/responses/200/schema/type"
        );
        assert_eq!(
            resolve("/components/schemas/X/allOf/0/$ref"),
            "/definitions/X/$ref"
        );
    }
}
