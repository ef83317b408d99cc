//! Lowering paths and operations.

use std::collections::BTreeMap;

use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, Schema, StatusCode,
};

use super::members::setter_name;
use super::names::{self, Scope};
use super::outcomes;
use super::Lowerer;
use crate::error::DiagnosticKind;
use crate::ir::{
    Body, BodyForm, BodyKind, Collection, Delimiter, ListKind, MultipartDef, Operation,
    OperationMock, Outcome, Param, ParamArg, ParamEncoding, ParamLocation, ParamsType, PartDef,
    PartKind, PathPart, ResponseBody, ResponseContent, ResponseDef, TypeKind, TypeRef,
};
use crate::locate::escape;

/// The `UpperCamelCase` variant name for a status code.
fn status_variant(status: &StatusCode) -> String {
    match status {
        StatusCode::Code(code) => match code {
            200 => "Ok".into(),
            201 => "Created".into(),
            202 => "Accepted".into(),
            203 => "NonAuthoritativeInformation".into(),
            204 => "NoContent".into(),
            205 => "ResetContent".into(),
            206 => "PartialContent".into(),
            301 => "MovedPermanently".into(),
            302 => "Found".into(),
            304 => "NotModified".into(),
            307 => "TemporaryRedirect".into(),
            308 => "PermanentRedirect".into(),
            400 => "BadRequest".into(),
            401 => "Unauthorized".into(),
            403 => "Forbidden".into(),
            404 => "NotFound".into(),
            405 => "MethodNotAllowed".into(),
            406 => "NotAcceptable".into(),
            409 => "Conflict".into(),
            410 => "Gone".into(),
            412 => "PreconditionFailed".into(),
            413 => "PayloadTooLarge".into(),
            415 => "UnsupportedMediaType".into(),
            422 => "UnprocessableEntity".into(),
            429 => "TooManyRequests".into(),
            500 => "InternalServerError".into(),
            501 => "NotImplemented".into(),
            502 => "BadGateway".into(),
            503 => "ServiceUnavailable".into(),
            504 => "GatewayTimeout".into(),
            other => format!("Status{other}"),
        },
        StatusCode::Range(range) => format!("Status{range}xx"),
    }
}

/// Prefers JSON (`application/json`, then any `+json`/`json` type), else the first.
fn pick_media<T>(content: &indexmap::IndexMap<String, T>) -> Option<(&String, &T)> {
    content
        .iter()
        .find(|(k, _)| k.as_str() == "application/json")
        .or_else(|| content.iter().find(|(k, _)| k.contains("json")))
        .or_else(|| content.iter().next())
}

fn is_json(media: &str) -> bool {
    media.contains("json")
}

/// How a body of media type `media` is encoded; the rules are listed in the README
/// ("Request and response bodies").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
}

fn media_kind(media: &str) -> MediaKind {
    let essence = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if is_json(&essence) {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence == "multipart/form-data" {
        MediaKind::Multipart
    } else if essence.starts_with("text/") {
        MediaKind::Text
    } else {
        MediaKind::Binary
    }
}

/// Whether `schema` is a `format: binary` string (a file).
fn is_binary_string(schema: &openapiv3::Schema) -> bool {
    let view = super::schema::View::of(schema);
    view.typ.is_none_or(|t| t == "string") && view.format == Some("binary")
}

/// The extension that carries a Swagger 2.0 `collectionFormat` where 3.0 has no style (set by
/// the load stage, see `load::swagger2`; descriptions may write it too): on a parameter, a
/// body's `encoding` entry, or the schema of an array nested in an array.
const COLLECTION_FORMAT: &str = "x-desk-collection-format";

/// A `collectionFormat`: whether it repeats the key (`multi`), and its delimiter.
fn collection_format(format: &str) -> Option<(bool, Option<Delimiter>)> {
    Some(match format {
        "csv" => (false, Some(Delimiter::Comma)),
        "ssv" => (false, Some(Delimiter::Space)),
        "tsv" => (false, Some(Delimiter::Tab)),
        "pipes" => (false, Some(Delimiter::Pipe)),
        "multi" => (true, None),
        _ => return None,
    })
}

/// The `collectionFormat` an object's extensions carry.
fn format_extension(
    extensions: &indexmap::IndexMap<String, serde_json::Value>,
) -> Option<(bool, Option<Delimiter>)> {
    extensions
        .get(COLLECTION_FORMAT)
        .and_then(serde_json::Value::as_str)
        .and_then(collection_format)
}

/// The delimiters of the arrays nested in an (inline) array schema, outermost first: each
/// nested array that carries a `collectionFormat` joins its items with it.
fn nested_delimiters(schema: Option<&Schema>) -> Vec<Delimiter> {
    let mut delimiters = Vec::new();
    let mut current = schema;
    while let Some(schema) = current {
        let view = super::schema::View::of(schema);
        let items = match view.items {
            Some(ReferenceOr::Item(items)) if view.typ == Some("array") => items.as_ref(),
            _ => break,
        };
        match format_extension(&items.schema_data.extensions) {
            Some((false, Some(delimiter)))
                if super::schema::View::of(items).typ == Some("array") =>
            {
                delimiters.push(delimiter)
            }
            _ => break,
        }
        current = Some(items);
    }
    delimiters
}

/// The collection an array is written as, unless it is the one written without
/// (`explode` with nothing nested: each item under the key, `Plain`'s default).
fn collection(
    explode: bool,
    delimiter: Delimiter,
    nested: Vec<Delimiter>,
    keep_comma: bool,
) -> Option<Collection> {
    if nested.is_empty() && (explode || (delimiter == Delimiter::Comma && keep_comma)) {
        return None;
    }
    let mut delimiters = if explode { Vec::new() } else { vec![delimiter] };
    delimiters.extend(nested);
    Some(Collection {
        explode,
        delimiters,
    })
}

/// How an array parameter is written (`Plain` for anything else): 3.0's default `form`
/// (query) and `simple` (header) styles stay `Plain`, as desk always wrote them; a
/// `spaceDelimited` or `pipeDelimited` query, a 2.0 `collectionFormat` carried as
/// `x-desk-collection-format`, arrays nested in arrays, and any array in a path (a segment
/// of items joined) are a [`Collection`].
fn param_encoding(
    param: &Parameter,
    schema: &ReferenceOr<Schema>,
    explode: bool,
    is_array: bool,
) -> ParamEncoding {
    if !is_array {
        return ParamEncoding::Plain { explode };
    }
    let mut explode = explode;
    let mut delimiter = match param {
        Parameter::Query {
            style: QueryStyle::SpaceDelimited,
            ..
        } => Delimiter::Space,
        Parameter::Query {
            style: QueryStyle::PipeDelimited,
            ..
        } => Delimiter::Pipe,
        _ => Delimiter::Comma,
    };
    if let Some((repeat, written)) = format_extension(&param.parameter_data_ref().extensions) {
        explode = repeat;
        delimiter = written.unwrap_or(delimiter);
    }
    let path = matches!(param, Parameter::Path { .. });
    // A path segment never repeats: its items are joined.
    let explode = explode && !path;
    match collection(
        explode,
        delimiter,
        nested_delimiters(schema.as_item()),
        !path,
    ) {
        Some(collection) => ParamEncoding::Collection(collection),
        None => ParamEncoding::Plain { explode },
    }
}

/// The object schema of a body: inline, or a component.
fn body_object<'d>(doc: &'d OpenAPI, schema: &'d ReferenceOr<Schema>) -> Option<&'d Schema> {
    match schema {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/schemas/")?;
            doc.components
                .as_ref()?
                .schemas
                .get(&crate::locate::unescape(name))?
                .as_item()
        }
    }
}

/// The client's own methods (see `emit::client`), taken before any operation. Every other
/// method of the client (operations, server constructors, page and stream methods) is named
/// in the same [`MethodNames`].
const CLIENT_METHODS: [&str; 8] = [
    "new",
    "builder",
    "base_url",
    "api",
    "for_server",
    "from_api",
    "with_timeout",
    "with_deadline",
];

/// The client's method names given so far.
pub(super) struct MethodNames {
    scope: Scope,
    /// Each name given as wanted → the operation's raw name and pointer (for the warning when
    /// another operation wants it).
    first_use: BTreeMap<String, (String, String)>,
}

impl MethodNames {
    /// `wanted`, or `wanted2`, ... when taken.
    pub(super) fn claim(&mut self, wanted: String) -> String {
        self.scope.claim(wanted)
    }

    /// Whether `name` is given already.
    pub(super) fn is_taken(&self, name: &str) -> bool {
        self.scope.contains(name)
    }
}

/// The names and types an operation's parameters and outcomes are emitted with.
struct OperationTypes {
    params_type: Option<ParamsType>,
    ok: Outcome,
    error: Outcome,
}

impl Lowerer<'_> {
    /// The operations in path order, and the client's method names given to them.
    pub(super) fn lower_operations(&mut self) -> (Vec<Operation>, MethodNames) {
        // The client's own methods (see `emit::client`) are taken before any operation.
        let mut method_names = MethodNames {
            scope: Scope::with_reserved(CLIENT_METHODS),
            first_use: BTreeMap::new(),
        };
        let mut operations = Vec::new();
        for (path, item) in self.doc.paths.paths.iter() {
            let path_pointer = format!("/paths/{}", escape(path));
            self.check_path_characters(path, &path_pointer);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.error(
                        self.spec
                            .diagnostic(
                                DiagnosticKind::UnsupportedRef,
                                &path_pointer,
                                "path items given by `$ref` are not supported",
                            )
                            .help("write the path item inline"),
                    );
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let pointer = format!("{path_pointer}/{method}");
                if let Some(lowered) = self.lower_operation(
                    path,
                    method,
                    op,
                    &item.parameters,
                    &pointer,
                    &mut method_names,
                ) {
                    operations.push(lowered);
                }
            }
        }
        (operations, method_names)
    }

    fn lower_operation(
        &mut self,
        path: &str,
        method: &str,
        op: &openapiv3::Operation,
        shared_params: &[ReferenceOr<Parameter>],
        pointer: &str,
        method_names: &mut MethodNames,
    ) -> Option<Operation> {
        let raw_name = op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{method} {path}"));
        let rust_name = self.claim_method_name(method_names, &raw_name, pointer);
        // Inline schemas are named from this stem; the client's per-operation types get a stem
        // checked against every type name once the operation is lowered (see below).
        let type_stem = names::type_name(&rust_name);

        // Path-level parameters first, replaced by operation-level ones of the same name and place.
        let mut raw_params: Vec<(&Parameter, String)> = Vec::new();
        let path_pointer = pointer.rsplit_once('/').map_or(pointer, |(p, _)| p);
        let sources = shared_params
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{path_pointer}/parameters/{i}")))
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, format!("{pointer}/parameters/{i}"))),
            );
        for (param, param_pointer) in sources {
            let components = self.doc.components.as_ref();
            match self.resolve_component(
                param,
                "parameters",
                |n| components?.parameters.get(n),
                &param_pointer,
            ) {
                Ok((param, resolved_pointer)) => {
                    let data = param.parameter_data_ref();
                    let same = |(p, _): &(&Parameter, String)| {
                        p.parameter_data_ref().name == data.name
                            && std::mem::discriminant(*p) == std::mem::discriminant(param)
                    };
                    match raw_params.iter().position(same) {
                        Some(i) => raw_params[i] = (param, resolved_pointer),
                        None => raw_params.push((param, resolved_pointer)),
                    }
                }
                Err(diag) => self.error(diag),
            }
        }
        // Path parameters come first so generated signatures follow the URL.
        raw_params.sort_by_key(|(p, _)| !matches!(p, Parameter::Path { .. }));

        let mut param_scope =
            Scope::with_reserved(["body", "params", "request", "self_", "client"]);
        let mut params = Vec::new();
        for (param, param_pointer) in raw_params {
            let data = param.parameter_data_ref();
            let (location, explode_default) = match param {
                Parameter::Path { .. } => (ParamLocation::Path, false),
                Parameter::Query { .. } => (ParamLocation::Query, true),
                Parameter::Header { .. } => (ParamLocation::Header, false),
                Parameter::Cookie { .. } => {
                    self.warn(
                        DiagnosticKind::Fallback,
                        &param_pointer,
                        format!(
                            "cookie parameter `{}` is not sent by the generated client",
                            data.name
                        ),
                        "set the cookie through a custom transport",
                    );
                    continue;
                }
            };
            let hint = format!("{type_stem}{}", names::type_part(&data.name));
            let unique_items = match &data.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => matches!(
                    &schema.schema_kind,
                    openapiv3::SchemaKind::Type(openapiv3::Type::Array(array)) if array.unique_items
                ),
                _ => false,
            };
            let (use_, encoding) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let use_ = self.lower_use(schema, &format!("{param_pointer}/schema"), &hint);
                    let is_array = use_
                        .as_ref()
                        .is_some_and(|u| matches!(u.ty, TypeRef::Vec(_)));
                    let explode = data.explode.unwrap_or(explode_default);
                    (use_, param_encoding(param, schema, explode, is_array))
                }
                ParameterSchemaOrContent::Content(content) => match pick_media(content) {
                    Some((media, media_type)) => {
                        let media_pointer = format!("{param_pointer}/content/{}", escape(media));
                        let use_ = match &media_type.schema {
                            Some(schema) => {
                                self.lower_use(schema, &format!("{media_pointer}/schema"), &hint)
                            }
                            None => None,
                        };
                        let encoding = if is_json(media) {
                            ParamEncoding::Json
                        } else {
                            ParamEncoding::Plain { explode: false }
                        };
                        (use_, encoding)
                    }
                    None => (None, ParamEncoding::Plain { explode: false }),
                },
            };
            let ty = use_.map_or(TypeRef::String, |u| u.ty);
            // A set when the values must be unique and have an order to keep them in.
            let list = match &ty {
                TypeRef::Vec(item) if unique_items && self.is_ordered(item) => Some(ListKind::Set),
                TypeRef::Vec(_) => Some(ListKind::List),
                _ => None,
            };
            params.push(Param {
                wire_name: data.name.clone(),
                rust_name: param_scope.claim(names::field_name(&data.name)),
                location,
                encoding,
                arg: arg_of(&ty),
                list,
                ty,
                required: data.required || location == ParamLocation::Path,
                docs: data.description.clone(),
                setter: None,
            });
        }

        let path_parts = self.path_parts(path, &params, pointer)?;
        let body = self.lower_body(op, method, &type_stem, pointer);
        let responses = self.lower_responses(op, &type_stem, pointer);
        let types = self.claim_operation_types(&type_stem, &params, &responses);
        if types.params_type.as_ref().is_some_and(|p| p.default) {
            // Chained setters, in a scope of their own, never shadowing a trait method.
            let mut setters = Scope::default();
            for param in params
                .iter_mut()
                .filter(|p| p.location != ParamLocation::Path)
            {
                param.setter = Some(setters.claim(setter_name(&param.rust_name)));
            }
        }
        let arms = outcomes::status_arms(&responses, &types.ok, &types.error);
        let accept = outcomes::accept(&responses);
        let Ok(http_method) = http::Method::from_bytes(method.to_uppercase().as_bytes()) else {
            self.error(self.spec.diagnostic(
                DiagnosticKind::UnsupportedOperation,
                pointer,
                format!("`{method}` is not an HTTP method"),
            ));
            return None;
        };
        let authenticated = match &op.security {
            Some(requirements) => requirements.iter().any(|r| !r.is_empty()),
            None => self
                .doc
                .security
                .as_ref()
                .is_some_and(|r| r.iter().any(|r| !r.is_empty())),
        };
        Some(Operation {
            span_name: op.operation_id.clone().unwrap_or_else(|| rust_name.clone()),
            rust_name,
            operation_id: op.operation_id.clone(),
            method: http_method,
            path: path.to_owned(),
            path_parts,
            summary: op.summary.clone(),
            description: op.description.clone(),
            params,
            body,
            responses,
            arms,
            accept,
            authenticated,
            deprecated: op.deprecated,
            params_type: types.params_type,
            ok: types.ok,
            error: types.error,
            pagination: None,
            mock: OperationMock::default(),
        })
    }

    /// The types the client emits for an operation: `{Stem}Params` for query and header
    /// parameters, `{Stem}Response` for several success responses, `{Stem}Error` for several
    /// error types. The stem is `wanted`, or `wanted2`, `wanted3`, ... until none of the names
    /// it needs is taken by a schema, and those names are then claimed.
    fn claim_operation_types(
        &mut self,
        wanted: &str,
        params: &[Param],
        responses: &[ResponseDef],
    ) -> OperationTypes {
        let has_params = params.iter().any(|p| p.location != ParamLocation::Path);
        let successes: Vec<&ResponseDef> = responses.iter().filter(|r| r.is_success()).collect();
        let error_bodies: Vec<ResponseBody> = responses
            .iter()
            .filter(|r| !r.is_success())
            .filter_map(ResponseDef::body)
            .collect();
        let mut distinct_errors: Vec<&ResponseBody> = Vec::new();
        for body in &error_bodies {
            if !distinct_errors.contains(&body) {
                distinct_errors.push(body);
            }
        }
        let mut needed = Vec::new();
        if has_params {
            needed.push("Params");
        }
        if successes.len() > 1 {
            needed.push("Response");
        }
        if error_bodies.len() > 1 {
            needed.push("Error");
        }
        let free = |stem: &str, taken: &Scope| {
            needed
                .iter()
                .all(|suffix| !taken.contains(&format!("{stem}{suffix}")))
        };
        let mut stem = wanted.to_owned();
        let separator = if wanted.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let mut n = 2;
        while !free(&stem, &self.type_names) {
            stem = format!("{wanted}{separator}{n}");
            n += 1;
        }
        for suffix in &needed {
            self.type_names.claim(format!("{stem}{suffix}"));
        }
        let ok = match successes.as_slice() {
            [] => Outcome::None,
            [only] => only.body().map_or(Outcome::None, Outcome::Body),
            _ => Outcome::Enum(format!("{stem}Response")),
        };
        // Several error statuses with one body type share it; only different types need an enum.
        let error = match distinct_errors.as_slice() {
            [] => Outcome::None,
            [only] => Outcome::Body((*only).clone()),
            _ => Outcome::Enum(format!("{stem}Error")),
        };
        OperationTypes {
            params_type: has_params.then(|| ParamsType {
                name: format!("{stem}Params"),
                default: params
                    .iter()
                    .filter(|p| p.location != ParamLocation::Path)
                    .all(|p| !p.required),
                constructor: None,
            }),
            ok,
            error,
        }
    }

    /// The method name for an operation named `raw_name` (its operationId, or method and path):
    /// its `snake_case`, with a number added when another operation or one of the client's own
    /// methods has it already. A renamed method gets a warning naming both places, since
    /// callers looking for the operationId would not find it.
    fn claim_method_name(
        &mut self,
        names_so_far: &mut MethodNames,
        raw_name: &str,
        pointer: &str,
    ) -> String {
        let wanted = names::field_name(raw_name);
        let rust_name = names_so_far.scope.claim(wanted.clone());
        if rust_name == wanted {
            names_so_far
                .first_use
                .insert(wanted, (raw_name.to_owned(), pointer.to_owned()));
            return rust_name;
        }
        let (message, help) = match names_so_far.first_use.get(&wanted) {
            Some((first_raw, first_pointer)) if first_raw == raw_name => (
                format!("operationId `{raw_name}` is also the operationId of the operation at `{first_pointer}`; this one's method is named `{rust_name}`"),
                "operationIds must be unique: give this operation its own operationId",
            ),
            Some((first_raw, first_pointer)) => (
                format!("operationId `{raw_name}` and `{first_raw}` (the operation at `{first_pointer}`) both become the method name `{wanted}`; this one's method is named `{rust_name}`"),
                "give one of the operations an operationId that differs in more than case and separators",
            ),
            None if CLIENT_METHODS.contains(&wanted.as_str()) => (
                format!("operationId `{raw_name}` is the name of one of the client's own methods; the operation's method is named `{rust_name}`"),
                "rename the operationId if callers should find the method under that name",
            ),
            None => (
                format!("the method name `{wanted}` of operationId `{raw_name}` is taken by a renamed operation; this one's method is named `{rust_name}`"),
                "give the operations operationIds that do not collide once numbered",
            ),
        };
        self.warn(DiagnosticKind::Fallback, pointer, message, help);
        rust_name
    }

    /// Warns (once per path) about characters that cannot appear in a URL path, such as a stray
    /// `"` or a `#` that would start a fragment: the template is kept as written, so the
    /// request goes wherever the HTTP stack takes such a URL. Allowed: RFC 3986 `pchar`s, `/`,
    /// `%XX` escapes, the `{param}` braces and non-ASCII letters (an IRI path, which URL parsers
    /// percent-encode as UTF-8 the way the spec's author meant).
    fn check_path_characters(&mut self, path: &str, pointer: &str) {
        let mut bad: Vec<char> = Vec::new();
        let bytes = path.as_bytes();
        for (index, ch) in path.char_indices() {
            let allowed = !ch.is_ascii() && !ch.is_control() && !ch.is_whitespace()
                || ch.is_ascii_alphanumeric()
                || "-._~!$&'()*+,;=:@/{}".contains(ch)
                || (ch == '%'
                    && bytes.get(index + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(index + 2).is_some_and(u8::is_ascii_hexdigit));
            if !allowed && !bad.contains(&ch) {
                bad.push(ch);
            }
        }
        if bad.is_empty() {
            return;
        }
        let shown: Vec<String> = bad.iter().map(|c| format!("{c:?}")).collect();
        self.warn(
            DiagnosticKind::Fallback,
            pointer,
            format!(
                "path `{path}` contains {} that cannot appear in a URL path; it is kept as written (the HTTP stack percent-encodes such characters, and a `#` or `?` ends the path)",
                shown.join(", ")
            ),
            "remove the character from the path template, or percent-encode it (`%22` for `\"`) if the server expects it",
        );
    }

    /// The path template split into text and parameters (see [`Operation::path_parts`]); an
    /// error for an unclosed `{` or a `{name}` no path parameter declares.
    fn path_parts(&mut self, path: &str, params: &[Param], pointer: &str) -> Option<Vec<PathPart>> {
        let mut parts = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.error(
                    self.spec
                        .diagnostic(
                            DiagnosticKind::UnsupportedOperation,
                            pointer,
                            format!("unbalanced `{{` in path `{path}`"),
                        )
                        .help("close every `{param}` in the path template"),
                );
                return None;
            };
            let name = &rest[open + 1..open + close];
            match params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
            {
                Some(index) => parts.push(PathPart::Param(index)),
                None => {
                    self.error(
                        self.spec
                            .diagnostic(
                                DiagnosticKind::UnsupportedOperation,
                                pointer,
                                format!("path `{path}` uses `{{{name}}}` but no path parameter `{name}` is declared"),
                            )
                            .help(format!("add `- {{name: {name}, in: path, required: true, schema: {{type: string}}}}` to the parameters")),
                    );
                    return None;
                }
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        // A template without parameters is the path itself: nothing to spell out.
        if !parts.iter().any(|part| matches!(part, PathPart::Param(_))) {
            parts.clear();
        }
        Some(parts)
    }

    /// Whether values of `ty` have a total order, so that a set of them can be a `BTreeSet`.
    fn is_ordered(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::Int(_)
            | TypeRef::Date
            | TypeRef::DateTime => true,
            TypeRef::Named(id) => matches!(
                self.types[*id].def.kind,
                TypeKind::StringEnum(_) | TypeKind::IntEnum(_)
            ),
            _ => false,
        }
    }

    fn lower_body(
        &mut self,
        op: &openapiv3::Operation,
        method: &str,
        type_stem: &str,
        pointer: &str,
    ) -> Option<Body> {
        let body = op.request_body.as_ref()?;
        let components = self.doc.components.as_ref();
        let (body, body_pointer) = match self.resolve_component(
            body,
            "requestBodies",
            |n| components?.request_bodies.get(n),
            &format!("{pointer}/requestBody"),
        ) {
            Ok(found) => found,
            Err(diag) => {
                self.error(diag);
                return None;
            }
        };
        let (media, media_type) = pick_media(&body.content)?;
        let media_pointer = format!("{body_pointer}/content/{}", escape(media));
        let schema_pointer = format!("{media_pointer}/schema");
        let mut form_collections = Vec::new();
        let (kind, ty, schema_pointer) = match (&media_type.schema, media_kind(media)) {
            (Some(schema), media @ (MediaKind::Json | MediaKind::Form)) => {
                let ty = self
                    .lower_use(schema, &schema_pointer, &format!("{type_stem}Request"))
                    .map(|u| u.ty);
                let kind = if media == MediaKind::Json {
                    BodyKind::Json
                } else {
                    form_collections = self.form_collections(schema, media_type);
                    BodyKind::Form
                };
                (kind, ty, Some(schema_pointer))
            }
            (Some(schema), MediaKind::Multipart) => {
                match self.lower_multipart(schema, media_type, &schema_pointer, type_stem) {
                    Some(def) => (BodyKind::Multipart(def), None, None),
                    None => (BodyKind::Binary, None, None),
                }
            }
            (_, MediaKind::Text) => (BodyKind::Text, None, None),
            _ => (BodyKind::Binary, None, None),
        };
        Some(Body {
            media_type: media.clone(),
            kind,
            ty,
            schema_pointer,
            form: if method.eq_ignore_ascii_case("patch") {
                BodyForm::Patch
            } else {
                BodyForm::Create
            },
            required: body.required,
            docs: body.description.clone(),
            form_collections,
        })
    }

    /// The array fields of a urlencoded form whose `encoding` says to send them other than
    /// one `key=item` per item (3.0's default): a `spaceDelimited`/`pipeDelimited` style, a
    /// `collectionFormat` (`x-desk-collection-format`), nested arrays.
    fn form_collections(
        &self,
        schema: &ReferenceOr<Schema>,
        media_type: &openapiv3::MediaType,
    ) -> Vec<(String, Collection)> {
        if media_type.encoding.is_empty() {
            return Vec::new();
        }
        let Some(properties) = body_object(self.doc, schema)
            .and_then(|object| super::schema::View::of(object).properties)
        else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for (name, encoding) in &media_type.encoding {
            let property = properties.get(name).and_then(ReferenceOr::as_item);
            let Some(property) =
                property.filter(|p| super::schema::View::of(p).typ == Some("array"))
            else {
                continue;
            };
            // openapiv3 reads an absent `explode` as `false`, so only the delimited styles (whose
            // default it is) and the extension tell a field from the default `form`.
            let (mut delimiter, mut explode) = match encoding.style {
                Some(QueryStyle::SpaceDelimited) => (Delimiter::Space, encoding.explode),
                Some(QueryStyle::PipeDelimited) => (Delimiter::Pipe, encoding.explode),
                _ => (Delimiter::Comma, true),
            };
            if let Some((repeat, written)) = format_extension(&encoding.extensions) {
                explode = repeat;
                delimiter = written.unwrap_or(delimiter);
            }
            if let Some(collection) =
                collection(explode, delimiter, nested_delimiters(Some(property)), false)
            {
                found.push((name.clone(), collection));
            }
        }
        found
    }

    /// The parts of a `multipart/form-data` body whose schema is an object (inline or a
    /// component): `format: binary` properties (and arrays of them) become file parts, the
    /// others text parts. Any other schema gets a warning and `None` (the body is then sent as
    /// bytes the caller encodes).
    fn lower_multipart(
        &mut self,
        schema: &ReferenceOr<openapiv3::Schema>,
        media_type: &openapiv3::MediaType,
        pointer: &str,
        type_stem: &str,
    ) -> Option<MultipartDef> {
        let doc = self.doc;
        let (object, object_pointer) = match schema {
            ReferenceOr::Item(item) => (item, pointer.to_owned()),
            ReferenceOr::Reference { reference } => {
                let resolved = reference
                    .strip_prefix("#/components/schemas/")
                    .filter(|name| !name.contains('/'))
                    .map(crate::locate::unescape)
                    .and_then(|name| {
                        let schema = doc.components.as_ref()?.schemas.get(&name)?.as_item()?;
                        Some((schema, format!("/components/schemas/{}", escape(&name))))
                    });
                match resolved {
                    Some(found) => found,
                    None => {
                        self.warn(
                            DiagnosticKind::Fallback,
                            pointer,
                            format!("the multipart body schema `{reference}` is not an object component; the body is sent as bytes the caller encodes"),
                            "give the body an object schema (inline or under `components/schemas`)",
                        );
                        return None;
                    }
                }
            }
        };
        let view = super::schema::View::of(object);
        let Some(properties) = view.properties else {
            self.warn(
                DiagnosticKind::Fallback,
                pointer,
                "a multipart body without object properties is sent as bytes the caller encodes",
                "describe the parts as the properties of an object schema",
            );
            return None;
        };
        let required = view.required;
        let mut field_names = Scope::default();
        let mut parts = Vec::new();
        for (wire_name, property) in properties {
            let property_pointer = format!("{object_pointer}/properties/{}", escape(wire_name));
            let item = property.as_item().map(|b| b.as_ref());
            // The server owns read-only properties: they are never sent.
            if item.is_some_and(|s| s.schema_data.read_only) {
                continue;
            }
            let items = item.and_then(|schema| {
                let view = super::schema::View::of(schema);
                (view.typ == Some("array")).then_some(view.items).flatten()
            });
            // A 2.0 `collectionFormat` other than `multi` (3.0's multipart default: one part
            // per item); multipart ignores `style`, so only the extension says it.
            let part_collection = media_type
                .encoding
                .get(wire_name)
                .and_then(|e| format_extension(&e.extensions))
                .and_then(|(explode, delimiter)| {
                    collection(
                        explode,
                        delimiter.unwrap_or(Delimiter::Comma),
                        nested_delimiters(item),
                        false,
                    )
                });
            let kind = match (item, items) {
                (Some(schema), _) if is_binary_string(schema) => PartKind::File,
                (_, Some(ReferenceOr::Item(items))) if is_binary_string(items) => PartKind::Files,
                _ => {
                    let hint = format!("{type_stem}Multipart{}", names::type_part(wire_name));
                    let use_ = self.lower_boxed_use(property, &property_pointer, &hint);
                    match (use_.map(|u| u.ty), part_collection) {
                        (Some(ty @ TypeRef::Vec(_)), Some(collection)) => {
                            PartKind::Collection(ty, collection)
                        }
                        (Some(TypeRef::Vec(item)), None) => PartKind::Texts(*item),
                        (Some(ty), _) => PartKind::Text(ty),
                        (None, _) => continue,
                    }
                }
            };
            parts.push(PartDef {
                wire_name: wire_name.clone(),
                rust_name: field_names.claim(names::field_name(wire_name)),
                docs: item.and_then(|s| s.schema_data.description.clone()),
                kind,
                required: required.contains(wire_name),
                content_type: media_type
                    .encoding
                    .get(wire_name)
                    .and_then(|e| e.content_type.clone()),
                setter: None,
            });
        }
        Some(MultipartDef {
            name: self.type_names.claim(format!("{type_stem}Multipart")),
            default: parts.iter().all(|p| !p.required),
            parts,
            constructor: None,
        })
    }

    fn lower_responses(
        &mut self,
        op: &openapiv3::Operation,
        type_stem: &str,
        pointer: &str,
    ) -> Vec<ResponseDef> {
        let mut entries: Vec<(
            Option<StatusCode>,
            &ReferenceOr<openapiv3::Response>,
            String,
        )> = op
            .responses
            .responses
            .iter()
            .map(|(status, response)| {
                (
                    Some(status.clone()),
                    response,
                    format!("{pointer}/responses/{status}"),
                )
            })
            .collect();
        if let Some(default) = &op.responses.default {
            entries.push((None, default, format!("{pointer}/responses/default")));
        }
        let order = |status: &Option<StatusCode>| match status {
            Some(StatusCode::Code(code)) => (0, *code),
            Some(StatusCode::Range(range)) => (1, *range),
            None => (2, 0),
        };
        entries.sort_by_key(|(status, ..)| order(status));
        let mut variant_scope = Scope::default();
        let mut responses = Vec::new();
        for (status, response, response_pointer) in entries {
            let components = self.doc.components.as_ref();
            let (response, resolved_pointer) = match self.resolve_component(
                response,
                "responses",
                |n| components?.responses.get(n),
                &response_pointer,
            ) {
                Ok(found) => found,
                Err(diag) => {
                    self.error(diag);
                    continue;
                }
            };
            let variant = status
                .as_ref()
                .map_or_else(|| "Default".to_owned(), status_variant);
            let picked = pick_media(&response.content);
            let content = match picked.map(|(media, media_type)| (media_kind(media), media_type)) {
                None => ResponseContent::None,
                Some((MediaKind::Json, media_type)) if media_type.schema.is_some() => {
                    ResponseContent::Json
                }
                Some((MediaKind::Json, _)) => ResponseContent::None,
                Some((MediaKind::Text, _)) => ResponseContent::Text,
                Some(_) => ResponseContent::Binary,
            };
            let (ty, schema_pointer) = match picked {
                Some((media, media_type)) if is_json(media) => match &media_type.schema {
                    Some(schema) => {
                        let schema_pointer =
                            format!("{resolved_pointer}/content/{}/schema", escape(media));
                        let ty = self
                            .lower_use(
                                schema,
                                &schema_pointer,
                                &format!("{type_stem}{variant}Response"),
                            )
                            .map(|u| u.ty);
                        (ty, Some(schema_pointer))
                    }
                    None => (None, None),
                },
                _ => (None, None),
            };
            responses.push(ResponseDef {
                range: matches!(status, Some(StatusCode::Range(_))),
                status: match status {
                    Some(StatusCode::Code(code)) => Some(code),
                    Some(StatusCode::Range(range)) => Some(range * 100),
                    None => None,
                },
                rust_name: variant_scope.claim(variant),
                content: if content == ResponseContent::Json && ty.is_none() {
                    ResponseContent::None
                } else {
                    content
                },
                ty,
                media_type: picked.map(|(media, _)| media.clone()),
                schema_pointer,
                docs: Some(response.description.clone()).filter(|d| !d.is_empty()),
                headers: self.response_headers(response, &resolved_pointer),
            });
        }
        responses
    }
}

/// How a method takes a value of `ty` that it only reads (a path parameter, a header a mock
/// answers with): a string borrowed, anything else (numbers, enums: cheap to copy or clone)
/// owned.
pub(super) fn arg_of(ty: &TypeRef) -> ParamArg {
    if *ty == TypeRef::String {
        ParamArg::Str
    } else {
        ParamArg::Owned
    }
}
