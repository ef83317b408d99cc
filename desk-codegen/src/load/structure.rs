//! The shape of an OpenAPI document as far as loading needs it: which kind of object sits
//! where, so a `$ref` can be resolved as the kind it stands for and a parse error can be
//! narrowed to the node that has it.

use serde_json::Value;

/// The kinds of OpenAPI objects that loading tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Kind {
    Document,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Response,
    Header,
    Example,
    Link,
    Callback,
    SecurityScheme,
    Schema,
}

impl Kind {
    /// The `components` section that holds objects of this kind, if any.
    pub(crate) fn section(self) -> Option<&'static str> {
        Some(match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::Response => "responses",
            Kind::RequestBody => "requestBodies",
            Kind::Header => "headers",
            Kind::Example => "examples",
            Kind::Link => "links",
            Kind::Callback => "callbacks",
            Kind::SecurityScheme => "securitySchemes",
            Kind::PathItem => "pathItems",
            Kind::Document | Kind::Operation | Kind::MediaType | Kind::Encoding => return None,
        })
    }

    /// The kind held by `components/<section>`.
    pub(crate) fn of_section(section: &str) -> Option<Kind> {
        Some(match section {
            "schemas" => Kind::Schema,
            "parameters" => Kind::Parameter,
            "responses" => Kind::Response,
            "requestBodies" => Kind::RequestBody,
            "headers" => Kind::Header,
            "examples" => Kind::Example,
            "links" => Kind::Link,
            "callbacks" => Kind::Callback,
            "securitySchemes" => Kind::SecurityScheme,
            "pathItems" => Kind::PathItem,
            _ => return None,
        })
    }

    /// Whether a `$ref` of this kind is replaced by its target (openapiv3 has no reference
    /// form for path items and operation callbacks) rather than hoisted into `components`.
    pub(crate) fn is_inlined(self) -> bool {
        matches!(self, Kind::PathItem | Kind::Callback)
    }

    /// Checks `value` against openapiv3's model of this kind: the error message if it does
    /// not deserialise.
    pub(crate) fn check(self, value: &Value) -> Result<(), (String, String)> {
        use openapiv3 as o;
        fn try_as<T: serde::de::DeserializeOwned>(value: &Value) -> Result<(), (String, String)> {
            match <T as serde::Deserialize>::deserialize(value) {
                Ok(_) => Ok(()),
                Err(_) => match serde_path_to_error::deserialize::<_, T>(value) {
                    Ok(_) => Ok(()),
                    Err(err) => Err((super::pointer_of(err.path()), err.into_inner().to_string())),
                },
            }
        }
        match self {
            Kind::Document => try_as::<o::OpenAPI>(value),
            Kind::PathItem => try_as::<o::ReferenceOr<o::PathItem>>(value),
            Kind::Operation => try_as::<o::Operation>(value),
            Kind::Parameter => try_as::<o::ReferenceOr<o::Parameter>>(value),
            Kind::RequestBody => try_as::<o::ReferenceOr<o::RequestBody>>(value),
            Kind::MediaType => try_as::<o::MediaType>(value),
            Kind::Encoding => try_as::<o::Encoding>(value),
            Kind::Response => try_as::<o::ReferenceOr<o::Response>>(value),
            Kind::Header => try_as::<o::ReferenceOr<o::Header>>(value),
            Kind::Example => try_as::<o::ReferenceOr<o::Example>>(value),
            Kind::Link => try_as::<o::ReferenceOr<o::Link>>(value),
            Kind::Callback => try_as::<o::ReferenceOr<o::Callback>>(value),
            Kind::SecurityScheme => try_as::<o::ReferenceOr<o::SecurityScheme>>(value),
            Kind::Schema => try_as::<o::ReferenceOr<o::Schema>>(value),
        }
    }
}

/// Where a document keeps its reusable objects and what holds what: OpenAPI 3.x, or Swagger 2.0
/// (which is bundled in its own shape, then upgraded; see `load::swagger2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// `components/<section>`.
    OpenApi3,
    /// `definitions`, `parameters` and `responses` at the root; nothing else is reusable.
    Swagger2,
}

impl Layout {
    /// The pointer of the map holding the reusable objects of `section` (see [`Kind::section`]),
    /// when this layout has one.
    pub(crate) fn container(self, section: &str) -> Option<&'static str> {
        Some(match (self, section) {
            (Layout::OpenApi3, "schemas") => "/components/schemas",
            (Layout::OpenApi3, "parameters") => "/components/parameters",
            (Layout::OpenApi3, "responses") => "/components/responses",
            (Layout::OpenApi3, "requestBodies") => "/components/requestBodies",
            (Layout::OpenApi3, "headers") => "/components/headers",
            (Layout::OpenApi3, "examples") => "/components/examples",
            (Layout::OpenApi3, "links") => "/components/links",
            (Layout::OpenApi3, "callbacks") => "/components/callbacks",
            (Layout::OpenApi3, "securitySchemes") => "/components/securitySchemes",
            (Layout::OpenApi3, "pathItems") => "/components/pathItems",
            (Layout::Swagger2, "schemas") => "/definitions",
            (Layout::Swagger2, "parameters") => "/parameters",
            (Layout::Swagger2, "responses") => "/responses",
            _ => return None,
        })
    }

    /// The sections this layout has a container for.
    pub(crate) fn sections(self) -> &'static [&'static str] {
        match self {
            Layout::OpenApi3 => &[
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
            ],
            Layout::Swagger2 => &["schemas", "parameters", "responses"],
        }
    }

    /// [`children`] in this layout.
    pub(crate) fn children<'v>(
        self,
        kind: Kind,
        value: &'v Value,
        visit: &mut dyn FnMut(Kind, &[Seg<'v>], &'v Value),
    ) {
        match self {
            Layout::OpenApi3 => children(kind, value, visit),
            Layout::Swagger2 => children_v2(kind, value, visit),
        }
    }
}

/// [`children`] for a Swagger 2.0 document: only schemas, parameters, responses and path items
/// can be given by `$ref` there.
fn children_v2<'v>(
    kind: Kind,
    value: &'v Value,
    visit: &mut dyn FnMut(Kind, &[Seg<'v>], &'v Value),
) {
    let Some(object) = value.as_object() else {
        return;
    };
    let map_of =
        |key: &'v str, child_kind: Kind, visit: &mut dyn FnMut(Kind, &[Seg<'v>], &'v Value)| {
            if let Some(Value::Object(entries)) = object.get(key) {
                for (name, child) in entries {
                    visit(child_kind, &[Seg::Key(key), Seg::Key(name)], child);
                }
            }
        };
    match kind {
        Kind::Document => {
            map_of("paths", Kind::PathItem, visit);
            map_of("definitions", Kind::Schema, visit);
            map_of("parameters", Kind::Parameter, visit);
            map_of("responses", Kind::Response, visit);
        }
        Kind::PathItem => {
            for (key, child) in object {
                if METHODS.contains(&key.as_str()) {
                    visit(Kind::Operation, &[Seg::Key(key)], child);
                }
            }
            list_of(object, "parameters", Kind::Parameter, visit);
        }
        Kind::Operation => {
            list_of(object, "parameters", Kind::Parameter, visit);
            map_of("responses", Kind::Response, visit);
        }
        Kind::Parameter | Kind::Response => {
            if let Some(schema) = object.get("schema") {
                visit(Kind::Schema, &[Seg::Key("schema")], schema);
            }
        }
        Kind::Schema => children(kind, value, visit),
        _ => {}
    }
}

/// One step of a JSON pointer.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Calls `visit(kind, segments, child)` for every child object of `value` (an object of
/// `kind`) that loading looks into, in document order. `webhooks` are not visited: they are
/// dropped (see the module docs of `load`).
pub(crate) fn children<'v>(
    kind: Kind,
    value: &'v Value,
    visit: &mut dyn FnMut(Kind, &[Seg<'v>], &'v Value),
) {
    let Some(object) = value.as_object() else {
        return;
    };
    let map_of =
        |key: &'v str, child_kind: Kind, visit: &mut dyn FnMut(Kind, &[Seg<'v>], &'v Value)| {
            if let Some(Value::Object(entries)) = object.get(key) {
                for (name, child) in entries {
                    visit(child_kind, &[Seg::Key(key), Seg::Key(name)], child);
                }
            }
        };
    match kind {
        Kind::Document => {
            map_of("paths", Kind::PathItem, visit);
            if let Some(Value::Object(components)) = object.get("components") {
                for (section, entries) in components {
                    // 3.1's `components/pathItems` has no 3.0 form; it is used through `$ref`s.
                    let Some(child_kind) =
                        Kind::of_section(section).filter(|k| *k != Kind::PathItem)
                    else {
                        continue;
                    };
                    for (name, child) in entries.as_object().into_iter().flatten() {
                        visit(
                            child_kind,
                            &[Seg::Key("components"), Seg::Key(section), Seg::Key(name)],
                            child,
                        );
                    }
                }
            }
        }
        Kind::PathItem => {
            for (key, child) in object {
                if METHODS.contains(&key.as_str()) {
                    visit(Kind::Operation, &[Seg::Key(key)], child);
                }
            }
            list_of(object, "parameters", Kind::Parameter, visit);
        }
        Kind::Operation => {
            list_of(object, "parameters", Kind::Parameter, visit);
            if let Some(body) = object.get("requestBody") {
                visit(Kind::RequestBody, &[Seg::Key("requestBody")], body);
            }
            map_of("responses", Kind::Response, visit);
            map_of("callbacks", Kind::Callback, visit);
        }
        Kind::Callback => {
            for (expression, item) in object {
                if !expression.starts_with("x-") {
                    visit(Kind::PathItem, &[Seg::Key(expression)], item);
                }
            }
        }
        Kind::Parameter | Kind::Header => {
            if let Some(schema) = object.get("schema") {
                visit(Kind::Schema, &[Seg::Key("schema")], schema);
            }
            map_of("content", Kind::MediaType, visit);
            map_of("examples", Kind::Example, visit);
        }
        Kind::RequestBody => map_of("content", Kind::MediaType, visit),
        Kind::MediaType => {
            if let Some(schema) = object.get("schema") {
                visit(Kind::Schema, &[Seg::Key("schema")], schema);
            }
            map_of("examples", Kind::Example, visit);
            map_of("encoding", Kind::Encoding, visit);
        }
        Kind::Encoding => map_of("headers", Kind::Header, visit),
        Kind::Response => {
            map_of("headers", Kind::Header, visit);
            map_of("content", Kind::MediaType, visit);
            map_of("links", Kind::Link, visit);
        }
        Kind::Schema => {
            for (key, child) in object {
                match (key.as_str(), child) {
                    (
                        "properties" | "patternProperties" | "$defs" | "definitions"
                        | "dependentSchemas",
                        Value::Object(map),
                    ) => {
                        for (name, sub) in map {
                            visit(Kind::Schema, &[Seg::Key(key), Seg::Key(name)], sub);
                        }
                    }
                    (
                        "items"
                        | "additionalProperties"
                        | "not"
                        | "contains"
                        | "propertyNames"
                        | "if"
                        | "then"
                        | "else"
                        | "unevaluatedItems"
                        | "unevaluatedProperties"
                        | "additionalItems",
                        sub @ Value::Object(_),
                    ) => visit(Kind::Schema, &[Seg::Key(key)], sub),
                    ("allOf" | "oneOf" | "anyOf" | "prefixItems" | "items", Value::Array(subs)) => {
                        for (index, sub) in subs.iter().enumerate() {
                            visit(Kind::Schema, &[Seg::Key(key), Seg::Index(index)], sub);
                        }
                    }
                    _ => {}
                }
            }
        }
        Kind::Example | Kind::Link | Kind::SecurityScheme => {}
    }
}

fn list_of<'v>(
    object: &'v serde_json::Map<String, Value>,
    key: &'v str,
    kind: Kind,
    visit: &mut dyn FnMut(Kind, &[Seg<'v>], &'v Value),
) {
    if let Some(Value::Array(items)) = object.get(key) {
        for (index, item) in items.iter().enumerate() {
            visit(kind, &[Seg::Key(key), Seg::Index(index)], item);
        }
    }
}

/// The kind of the node at `pointer` (a decoded JSON pointer) in `document`, when the
/// document's structure reaches it (`None` for nodes inside examples, extensions and the like).
pub(crate) fn kind_at(layout: Layout, document: &Value, pointer: &str) -> Option<Kind> {
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(crate::locate::unescape)
        .collect();
    let mut kind = Kind::Document;
    let mut node = document;
    let mut rest: &[String] = &segments;
    while !rest.is_empty() {
        let mut next = None;
        layout.children(kind, node, &mut |child_kind, segs, child| {
            let matches = next.is_none()
                && segs.len() <= rest.len()
                && segs.iter().zip(rest).all(|(seg, wanted)| match seg {
                    Seg::Key(key) => key == wanted,
                    Seg::Index(index) => index.to_string() == *wanted,
                });
            if matches {
                next = Some((child_kind, child, segs.len()));
            }
        });
        let (child_kind, child, used) = next?;
        kind = child_kind;
        node = child;
        rest = &rest[used..];
    }
    Some(kind)
}
