//! Which Rust type holds each schema: the IR's decisions, for tools that check the generated
//! code against the spec (`cargo xtask conformance` decodes instances of every schema into
//! the type listed here).
//!
//! The index lists every component schema (its model type) and every operation's JSON
//! request body (its create or patch form) and JSON response body (its model type), by the JSON
//! pointer of the schema in the spec. Types are written as emitted, without a module prefix:
//! they resolve in a scope that has `use <generated>::models::*;` and
//! `use <generated>::requests::*;` (type names are unique across both modules). Every type
//! listed implements `serde::Serialize` and `serde::Deserialize`. Bodies that are not JSON
//! are listed in [`TypeIndex::skipped`] with the reason, and the properties request types leave
//! out in [`TypeIndex::read_only`].

use std::collections::BTreeMap;

use quote::ToTokens;

use crate::emit::{self, Form};
use crate::ir::{Ir, TypeKind};
use crate::locate::escape;

/// Which way the data travels, and so which properties an instance leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// What the server sends (components and responses): `writeOnly` properties are absent.
    Response,
    /// What the client sends (request bodies): `readOnly` properties are absent.
    Request,
}

/// Where in the API a schema is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Usage {
    /// `components/schemas/<name>`, as its model type.
    Component,
    /// An operation's request body (`method` upper case, `path` as written).
    RequestBody {
        /// HTTP method.
        method: String,
        /// Path template.
        path: String,
    },
    /// An operation's response body for a status (`None`: `default`).
    ResponseBody {
        /// HTTP method.
        method: String,
        /// Path template.
        path: String,
        /// Status code (a range `2XX` as 200), or `None` for `default`.
        status: Option<u16>,
    },
}

/// One schema and the Rust type that holds its instances.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedType {
    /// JSON pointer of the schema in the spec (it may itself be a `$ref`).
    pub pointer: String,
    /// Where it is used.
    pub usage: Usage,
    /// Which properties instances leave out.
    pub direction: Direction,
    /// The Rust type, as emitted (e.g. `Pet`, `Vec<PetCreate>`, `::serde_json::Value`).
    pub rust_type: String,
}

/// A body the index does not give a type for, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedBody {
    /// JSON pointer of the request body or response.
    pub pointer: String,
    /// Why (e.g. the media type is not JSON).
    pub reason: String,
}

/// The schemas of a spec and their Rust types, in a fixed order: components in spec order,
/// then operations in the generated client's order, each with its request body then its
/// responses by status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeIndex {
    /// The typed schemas.
    pub types: Vec<IndexedType>,
    /// Bodies without a JSON type.
    pub skipped: Vec<SkippedBody>,
    /// The properties the request (create and patch) forms leave out, as lowering decided:
    /// for the JSON pointer of each object schema that became a struct, the wire names of its
    /// read-only properties (`readOnly` itself, through an annotation-only `allOf`, or a
    /// component marked `readOnly` held directly or in arrays and maps), in field order.
    /// Objects without any are not listed.
    pub read_only: BTreeMap<String, Vec<String>>,
}

impl TypeIndex {
    /// The index of `ir`; request bodies only when request types are emitted.
    pub fn new(ir: &Ir, with_requests: bool) -> Self {
        let mut index = TypeIndex::default();
        for def in &ir.types {
            if let TypeKind::Struct(st) = &def.kind {
                let names: Vec<String> = st
                    .fields
                    .iter()
                    .filter(|f| f.read_only)
                    .map(|f| f.wire_name.clone())
                    .collect();
                if !names.is_empty() {
                    index.read_only.insert(def.pointer.clone(), names);
                }
            }
            if def.pointer.starts_with("/components/schemas/")
                && !def.pointer["/components/schemas/".len()..].contains('/')
            {
                index.types.push(IndexedType {
                    pointer: def.pointer.clone(),
                    usage: Usage::Component,
                    direction: Direction::Response,
                    rust_type: def.name.clone(),
                });
            }
        }
        for op in &ir.operations {
            let op_pointer = format!(
                "/paths/{}/{}",
                escape(&op.path),
                op.method.as_str().to_lowercase()
            );
            if let (Some(body), true) = (&op.body, with_requests) {
                match (&body.ty, &body.schema_pointer) {
                    (Some(ty), Some(pointer)) => {
                        let form = body.form.form();
                        index.types.push(IndexedType {
                            pointer: pointer.clone(),
                            usage: Usage::RequestBody {
                                method: op.method.to_string(),
                                path: op.path.clone(),
                            },
                            direction: Direction::Request,
                            rust_type: type_text(ir, ty, form),
                        });
                    }
                    _ => index.skipped.push(SkippedBody {
                        pointer: format!("{op_pointer}/requestBody"),
                        reason: format!("the request body is `{}`, not JSON", body.media_type),
                    }),
                }
            }
            for response in &op.responses {
                let status = response
                    .status
                    .map_or_else(|| "default".to_owned(), |s| s.to_string());
                match (&response.ty, &response.schema_pointer, &response.media_type) {
                    (Some(ty), Some(pointer), _) => index.types.push(IndexedType {
                        pointer: pointer.clone(),
                        usage: Usage::ResponseBody {
                            method: op.method.to_string(),
                            path: op.path.clone(),
                            status: response.status,
                        },
                        direction: Direction::Response,
                        rust_type: type_text(ir, ty, Form::Model),
                    }),
                    (None, None, Some(media)) => index.skipped.push(SkippedBody {
                        pointer: format!("{op_pointer}/responses/{status}"),
                        reason: format!("the response body is `{media}`, not JSON"),
                    }),
                    // No content, or JSON content without a schema: nothing to check.
                    _ => {}
                }
            }
        }
        index
    }
}

/// `ty` in `form` as Rust source, without spaces (`Vec<Pet>`).
fn type_text(ir: &Ir, ty: &crate::ir::TypeRef, form: Form) -> String {
    emit::ty_syn(ir, ty, form)
        .to_token_stream()
        .to_string()
        .replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    patch:
      operationId: updatePet
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}}
        "404": {description: gone, content: {text/plain: {schema: {type: string}}}}
        "204": {description: nothing}
  /upload:
    post:
      operationId: upload
      requestBody: {content: {multipart/form-data: {schema: {type: object}}}}
      responses:
        default: {$ref: '#/components/responses/Problem'}
components:
  responses:
    Problem: {description: p, content: {application/problem+json: {schema: {$ref: '#/components/schemas/Problem'}}}}
  schemas:
    Pet:
      type: object
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
    Problem: {type: object, properties: {title: {type: string}}}
"#;

    #[test]
    fn lists_components_and_bodies_with_the_emitted_types() {
        let config = crate::Config::new();
        let spec = config.load_str("api.yaml", SPEC).expect("loads");
        let lowered = config.lower(&spec).expect("lowers");
        let index = TypeIndex::new(&lowered.lowered.ir, true);
        let rows: Vec<(&str, &str, Direction)> = index
            .types
            .iter()
            .map(|t| (t.pointer.as_str(), t.rust_type.as_str(), t.direction))
            .collect();
        assert_eq!(
            rows,
            [
                ("/components/schemas/Pet", "Pet", Direction::Response),
                (
                    "/components/schemas/Problem",
                    "Problem",
                    Direction::Response
                ),
                (
                    "/paths/~1pets~1{id}/patch/requestBody/content/application~1json/schema",
                    "PetPatch",
                    Direction::Request
                ),
                (
                    "/paths/~1pets~1{id}/patch/responses/200/content/application~1json/schema",
                    "Vec<Pet>",
                    Direction::Response
                ),
                (
                    "/components/responses/Problem/content/application~1problem+json/schema",
                    "Problem",
                    Direction::Response
                ),
            ]
        );
        let skipped: Vec<(&str, &str)> = index
            .skipped
            .iter()
            .map(|s| (s.pointer.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(
            skipped,
            [
                (
                    "/paths/~1pets~1{id}/patch/responses/404",
                    "the response body is `text/plain`, not JSON"
                ),
                (
                    "/paths/~1upload/post/requestBody",
                    "the request body is `multipart/form-data`, not JSON"
                ),
            ]
        );
        assert_eq!(
            index.read_only,
            BTreeMap::from([("/components/schemas/Pet".to_owned(), vec!["id".to_owned()])])
        );
        assert!(TypeIndex::new(&lowered.lowered.ir, false)
            .types
            .iter()
            .all(|t| t.direction == Direction::Response));
    }
}
