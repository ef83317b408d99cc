//! What the `mock` module needs from lowering: the headers responses document, and every name
//! of the mock (the server type, each operation's server method, *when* and *then* types and
//! their typed methods).
//!
//! Mock names are claimed after every other name, so generating the mock module never renames
//! anything else. In each scope the methods the runtime's macros add (`mock_when!`,
//! `mock_then!`) and the runtime server's own methods (reached through `Deref`) are reserved,
//! so a generated method never shadows one.

use openapiv3::{ParameterSchemaOrContent, ReferenceOr, SchemaKind, Type};

use super::names::{self, Scope};
use super::Lowerer;
use crate::ir::{
    BodyKind, BodyMethods, Ir, MockHeader, OperationMock, ResponseContent, ResponseDef,
    ResponseHeader, ResponseMethod, TypeRef,
};
use crate::locate::escape;

/// The generated server's own methods, and the runtime server's it reaches through `Deref`.
const SERVER_METHODS: [&str; 15] = [
    "start",
    "client",
    "uri",
    "address",
    "api",
    "when",
    "then",
    "register",
    "record_requests",
    "received",
    "failures",
    "take_failures",
    "verify",
    "connections",
    "deref",
];

/// What `desk_runtime::mock_when!` adds to a *when* type.
const WHEN_METHODS: [&str; 5] = [
    "with_auth",
    "without_auth",
    "authorization",
    "matching",
    "absent",
];

/// What `desk_runtime::mock_then!` adds to a *then* type.
const THEN_METHODS: [&str; 11] = [
    "rate_limited",
    "rate_limited_until",
    "server_error",
    "reset_connection",
    "delay",
    "close_mid_body",
    "times",
    "cycle",
    "header",
    "json_value",
    "raw",
];

impl Lowerer<'_> {
    /// The headers `response` documents (`$ref`s to `components/headers` followed), in spec
    /// order. A header's type is its schema's when that is a scalar or a reference to a
    /// component, and text otherwise: a header is text on the wire, and an inline enum or
    /// object here would add a model type only the mock uses.
    pub(super) fn response_headers(
        &mut self,
        response: &openapiv3::Response,
        pointer: &str,
    ) -> Vec<ResponseHeader> {
        let mut headers = Vec::new();
        for (name, header) in &response.headers {
            let header_pointer = format!("{pointer}/headers/{}", escape(name));
            let components = self.doc.components.as_ref();
            let (header, resolved) = match self.resolve_component(
                header,
                "headers",
                |n| components?.headers.get(n),
                &header_pointer,
            ) {
                Ok(found) => found,
                Err(mut diag) => {
                    // The client does not read headers: a broken one costs the mock its method,
                    // not the generation.
                    diag.severity = crate::error::Severity::Warning;
                    self.warnings.push(diag);
                    continue;
                }
            };
            let ty = match &header.format {
                ParameterSchemaOrContent::Schema(schema) if is_scalar_or_ref(schema) => self
                    .lower_use(schema, &format!("{resolved}/schema"), "Header")
                    .map_or(TypeRef::String, |u| u.ty),
                _ => TypeRef::String,
            };
            headers.push(ResponseHeader {
                wire_name: name.clone(),
                ty,
                required: header.required,
                docs: header.description.clone(),
            });
        }
        headers
    }
}

/// Names the mock of every operation (in `ir`'s order), and the server type, in `type_names`.
pub(super) fn name_mocks(ir: &mut Ir, type_names: &mut Scope) {
    ir.mock_server = type_names.claim("MockServer".to_owned());
    let mut server_methods = Scope::with_reserved(SERVER_METHODS);
    for op in &mut ir.operations {
        let stem = names::type_name(&op.rust_name);
        let mut when = Scope::with_reserved(WHEN_METHODS);
        let param_methods = op
            .params
            .iter()
            .map(|p| when.claim(p.rust_name.clone()))
            .collect();
        // A multipart body's boundary is random: it is matched with a predicate, if at all.
        let body_methods = op
            .body
            .as_ref()
            .filter(|body| match body.kind {
                BodyKind::Json | BodyKind::Form => body.ty.is_some(),
                BodyKind::Text | BodyKind::Binary => true,
                BodyKind::Multipart(_) => false,
            })
            .map(|body| BodyMethods {
                exact: when.claim("body".to_owned()),
                matching: (body.kind == BodyKind::Json)
                    .then(|| when.claim("body_matching".to_owned())),
            });
        let mut then = Scope::with_reserved(THEN_METHODS);
        let response_methods = op
            .responses
            .iter()
            .map(|r| ResponseMethod {
                name: then.claim(names::field_name(&r.rust_name)),
                media_type: answer_media(r),
            })
            .collect();
        let mut headers: Vec<MockHeader> = Vec::new();
        for header in op.responses.iter().flat_map(|r| &r.headers) {
            let known = headers
                .iter()
                .any(|h| h.wire_name.eq_ignore_ascii_case(&header.wire_name));
            if !known {
                headers.push(MockHeader {
                    wire_name: header.wire_name.clone(),
                    method: then.claim(names::field_name(&header.wire_name)),
                    arg: super::operations::arg_of(&header.ty),
                    ty: header.ty.clone(),
                    docs: header.docs.clone(),
                });
            }
        }
        op.mock = OperationMock {
            method: server_methods.claim(op.rust_name.clone()),
            when_type: type_names.claim(format!("{stem}When")),
            then_type: type_names.claim(format!("{stem}Then")),
            param_methods,
            body_methods,
            response_methods,
            headers,
        };
    }
}

/// The content type a mock answers `r` with: the documented one, unless it is a wildcard,
/// which a response cannot carry (text then goes as `text/plain`, bytes as
/// `application/octet-stream`).
fn answer_media(r: &ResponseDef) -> String {
    let media = r.media_type.as_deref().unwrap_or_default();
    match r.content {
        ResponseContent::Text if media.contains('*') => "text/plain".to_owned(),
        ResponseContent::Binary if media.contains('*') => "application/octet-stream".to_owned(),
        _ => media.to_owned(),
    }
}

/// A schema that is a reference, or a string, number, integer or boolean without an enum.
fn is_scalar_or_ref(schema: &ReferenceOr<openapiv3::Schema>) -> bool {
    match schema {
        ReferenceOr::Reference { .. } => true,
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => string.enumeration.is_empty(),
            SchemaKind::Type(Type::Integer(integer)) => integer.enumeration.is_empty(),
            SchemaKind::Type(Type::Number(number)) => number.enumeration.is_empty(),
            SchemaKind::Type(Type::Boolean(_)) => true,
            _ => false,
        },
    }
}
