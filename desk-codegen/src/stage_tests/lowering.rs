//! Lowering, fact by fact: a small inline spec in, IR facts out (no snapshots).

use std::path::Path;

use crate::ir::{
    BoxReason, Ir, ParamEncoding, ParamLocation, PathPart, TypeDef, TypeKind, TypeRef,
};
use crate::{load, Config};

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Lowering, version: "1"}
security: [{bearerAuth: []}]
paths:
  /things/{thingId}.json:
    patch:
      operationId: updateThing
      parameters:
        - {name: thingId, in: path, required: true, schema: {type: integer, format: int64}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ThingAPIBody'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ThingAPIBody'}
        '400':
          description: bad
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Problem'}
  /things.json:
    get:
      operationId: listThings
      security: []
      parameters:
        - {name: page, in: query, schema: {type: integer, format: int32}}
        - name: filter
          in: query
          content:
            application/json:
              schema: {type: object, properties: {name: {type: string}}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  things: {type: array, items: {$ref: '#/components/schemas/Thing'}}
                  pagination:
                    type: object
                    properties:
                      hasMorePages: {type: boolean}
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ThingAPIBody'}
      responses:
        '201': {description: created}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
  schemas:
    ThingAPIBody:
      type: object
      required: [thing]
      properties:
        thing: {$ref: '#/components/schemas/Thing'}
    Thing:
      description: A thing.
      type: object
      required: [name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        contactId: {type: integer, format: int32, nullable: true}
        ticket_id: {type: integer}
        type: {type: string}
        owner:
          allOf: [{$ref: '#/components/schemas/Ref'}]
          nullable: true
          readOnly: true
        state: {$ref: '#/components/schemas/State'}
        size:
          type: object
          properties:
            width: {type: number}
        labels: {type: array, items: {type: string}}
        seen: {type: string, format: date-time}
        extra: {type: object, additionalProperties: {type: integer}}
        free: {type: object}
    State: {type: string, enum: [active, deleted, Other]}
    Ref:
      type: object
      properties:
        kind:
          oneOf: [{type: string}, {type: integer}]
    Node:
      type: object
      properties:
        parent: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
    Option: {type: object, properties: {a: {type: string}}}
    foo-bar: {type: string}
    FooBar: {type: integer}
    Problem:
      type: object
      properties:
        errors: {type: object, additionalProperties: {type: array, items: {type: string}}}
"##;

fn lower() -> Ir {
    let spec = load::load_str(Path::new("lowering.yaml"), SPEC.to_owned()).expect("loads");
    Config::new().lower_spec(&spec).expect("lowers").ir
}

fn by_name<'a>(ir: &'a Ir, name: &str) -> &'a TypeDef {
    ir.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}: {:?}", names(ir)))
}

fn names(ir: &Ir) -> Vec<&str> {
    ir.types.iter().map(|t| t.name.as_str()).collect()
}

fn id_of(ir: &Ir, name: &str) -> usize {
    ir.types
        .iter()
        .position(|t| t.name == name)
        .expect("type exists")
}

fn fields(def: &TypeDef) -> &[crate::ir::Field] {
    match &def.kind {
        TypeKind::Struct(st) => &st.fields,
        other => panic!("{} is not a struct: {other:?}", def.name),
    }
}

#[test]
fn names_are_decided_once_with_wire_names_kept() {
    let ir = lower();
    let thing = by_name(&ir, "Thing");
    let pairs: Vec<(&str, &str)> = fields(thing)
        .iter()
        .map(|f| (f.wire_name.as_str(), f.rust_name.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("id", "id"),
            ("name", "name"),
            ("contactId", "contact_id"),
            ("ticket_id", "ticket_id"),
            ("type", "type_"),
            ("owner", "owner"),
            ("state", "state"),
            ("size", "size"),
            ("labels", "labels"),
            ("seen", "seen"),
            ("extra", "extra"),
            ("free", "free"),
        ]
    );
    assert!(
        names(&ir).contains(&"ThingApiBody"),
        "acronyms become UpperCamelCase"
    );
    assert!(
        names(&ir).contains(&"OptionType"),
        "a schema named Option must not shadow std's"
    );
    // Two schemas whose names convert to one Rust name: the later one gets a suffix.
    assert!(matches!(
        by_name(&ir, "FooBar").kind,
        TypeKind::Alias(TypeRef::String)
    ));
    assert!(matches!(
        by_name(&ir, "FooBar2").kind,
        TypeKind::Alias(TypeRef::Int(_))
    ));
}

#[test]
fn optional_nullable_and_read_only_flags() {
    let ir = lower();
    let thing = fields(by_name(&ir, "Thing"));
    let field = |wire: &str| thing.iter().find(|f| f.wire_name == wire).expect("field");
    assert!(field("name").required && !field("name").nullable);
    assert!(!field("contactId").required && field("contactId").nullable);
    assert!(field("id").read_only);
    // `allOf: [$ref]` with siblings: the flags of the wrapper apply to the reference.
    let owner = field("owner");
    assert!(owner.nullable && owner.read_only);
    assert_eq!(owner.ty, TypeRef::Named(id_of(&ir, "Ref")));
    assert_eq!(field("seen").ty, TypeRef::DateTime);
    assert_eq!(field("labels").ty, TypeRef::Vec(Box::new(TypeRef::String)));
    assert_eq!(
        field("extra").ty,
        TypeRef::Map(Box::new(TypeRef::Int(crate::ir::IntKind::I64)))
    );
    assert_eq!(field("free").ty, TypeRef::JsonMap);
    assert_eq!(field("contactId").ty, TypeRef::Int(crate::ir::IntKind::I32));
    assert_eq!(field("state").ty, TypeRef::Named(id_of(&ir, "State")));
}

#[test]
fn inline_schemas_are_named_from_where_they_appear() {
    let ir = lower();
    let size = by_name(&ir, "ThingSize");
    assert_eq!(fields(size)[0].wire_name, "width");
    assert_eq!(fields(size)[0].ty, TypeRef::F64);
    // The inline list response and its inline pagination object.
    let response = by_name(&ir, "ListThingsOkResponse");
    assert_eq!(
        fields(response)[1].ty,
        TypeRef::Named(id_of(&ir, "ListThingsOkResponsePagination"))
    );
}

#[test]
fn enums_unions_and_cycles() {
    let ir = lower();
    match &by_name(&ir, "State").kind {
        TypeKind::StringEnum(def) => {
            let v: Vec<(&str, &str)> = def
                .variants
                .iter()
                .map(|v| (v.rust_name.as_str(), v.value.as_str()))
                .collect();
            // `Other` is reserved for unknown values, so the listed value `Other` gets a suffix.
            assert_eq!(
                v,
                [
                    ("Active", "active"),
                    ("Deleted", "deleted"),
                    ("Other2", "Other")
                ]
            );
        }
        other => panic!("State: {other:?}"),
    }
    let kind = &fields(by_name(&ir, "Ref"))[0].ty;
    let TypeRef::Named(union_id) = kind else {
        panic!("kind: {kind:?}")
    };
    match &ir.types[*union_id].kind {
        TypeKind::Union(union) => {
            assert_eq!(union.tag, None);
            let v: Vec<&str> = union
                .variants
                .iter()
                .map(|v| v.rust_name.as_str())
                .collect();
            assert_eq!(v, ["String", "Integer"]);
        }
        other => panic!("{other:?}"),
    }
    let node = fields(by_name(&ir, "Node"));
    let node_id = id_of(&ir, "Node");
    assert_eq!(
        node[0].ty,
        TypeRef::Boxed(Box::new(TypeRef::Named(node_id)), BoxReason::ClosesCycle),
        "the direct cycle is boxed"
    );
    assert_eq!(
        node[1].ty,
        TypeRef::Vec(Box::new(TypeRef::Named(node_id))),
        "a Vec breaks the cycle already"
    );
}

#[test]
fn request_forms_follow_the_bodies() {
    let ir = lower();
    let body = by_name(&ir, "ThingApiBody");
    assert_eq!(body.patch_name.as_deref(), Some("ThingApiBodyPatch"));
    assert_eq!(body.create_name.as_deref(), Some("ThingApiBodyCreate"));
    let thing = by_name(&ir, "Thing");
    assert_eq!(thing.patch_name.as_deref(), Some("ThingPatch"));
    assert_eq!(thing.create_name.as_deref(), Some("ThingCreate"));
    // Only reached through a read-only field: no write forms.
    assert_eq!(by_name(&ir, "Ref").patch_name, None);
    assert_eq!(
        by_name(&ir, "ThingSize").patch_name.as_deref(),
        Some("ThingSizePatch")
    );
    assert_eq!(by_name(&ir, "Problem").create_name, None);
}

#[test]
fn operations_params_and_security() {
    let ir = lower();
    let names: Vec<&str> = ir.operations.iter().map(|o| o.rust_name.as_str()).collect();
    assert_eq!(
        names,
        ["list_things", "post_things_json", "update_thing"],
        "sorted; no operationId → method + path"
    );
    let update = &ir.operations[2];
    assert_eq!(update.method, http::Method::PATCH);
    assert!(update.authenticated);
    assert_eq!(update.params[0].rust_name, "thing_id");
    assert_eq!(update.params[0].location, ParamLocation::Path);
    assert!(
        matches!(update.path_parts.as_slice(), [PathPart::Literal(a), PathPart::Param(0), PathPart::Literal(b)] if a == "/things/" && b == ".json")
    );
    let statuses: Vec<(Option<u16>, &str)> = update
        .responses
        .iter()
        .map(|r| (r.status, r.rust_name.as_str()))
        .collect();
    assert_eq!(statuses, [(Some(200), "Ok"), (Some(400), "BadRequest")]);

    let list = &ir.operations[0];
    assert!(!list.authenticated, "`security: []` turns credentials off");
    assert_eq!(list.params[1].encoding, ParamEncoding::Json);
    assert_eq!(list.params[2].location, ParamLocation::Header);
    assert_eq!(list.params[2].rust_name, "x_trace");
    let pagination = list.pagination.as_ref().expect("detected");
    assert_eq!(pagination.rule, crate::ir::PageRule::PageNumber);
    assert_eq!(
        pagination.next,
        crate::ir::PageNext::Number {
            param: "page".into(),
            first: 1
        }
    );
    assert_eq!(pagination.items[0].rust_name, "things");
    assert!(pagination.items[0].optional);
    assert_eq!(pagination.more, [["pagination", "hasMorePages"]]);
    assert_eq!(
        (
            pagination.pages_method.as_str(),
            pagination.items_method.as_str()
        ),
        ("list_things_pages", "list_things_stream")
    );
}

#[test]
fn client_method_names_share_one_scope() {
    // Two list operations page alike; `listA_pages` is also an operation, so `list_a` gives its
    // page methods up (the operation keeps its name), while `list_b` gets them. A server whose
    // constructor wants an operation's name is numbered; outcomes are typed in the IR.
    let list = |id: &str| {
        format!(
            r#"
    get:
      operationId: {id}
      parameters: [{{name: page, in: query, schema: {{type: integer}}}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Page'}}
        '404': {{description: missing, content: {{application/json: {{schema: {{type: string}}}}}}}}
        '500': {{description: broken, content: {{application/json: {{schema: {{type: integer}}}}}}}}"#
        )
    };
    let spec = format!(
        r#"
openapi: 3.0.3
info: {{title: Names, version: "1"}}
servers:
  - {{url: "https://a.test", x-desk-constructor: list_b}}
paths:
  /a:{}
  /b:{}
  /a/pages:
    get:
      operationId: listA_pages
      responses: {{'204': {{description: none}}}}
components:
  schemas:
    Page:
      type: object
      required: [items]
      properties:
        items: {{type: array, items: {{type: string}}}}
        meta: {{type: object, properties: {{hasMore: {{type: boolean}}}}}}
"#,
        list("listA"),
        list("listB")
    );
    let spec = load::load_str(Path::new("names.yaml"), spec).expect("loads");
    let ir = Config::new().lower_spec(&spec).expect("lowers").ir;
    let op = |name: &str| {
        ir.operations
            .iter()
            .find(|o| o.rust_name == name)
            .unwrap_or_else(|| panic!("no operation {name}"))
    };
    assert!(op("list_a").pagination.is_none());
    assert!(op("list_a_pages").pagination.is_none());
    let pages = op("list_b").pagination.as_ref().expect("list_b pages");
    assert_eq!(
        (pages.pages_method.as_str(), pages.items_method.as_str()),
        ("list_b_pages", "list_b_stream")
    );
    assert!(!pages.items[0].optional, "`items` is required");
    assert_eq!(ir.servers[0].constructor, "list_b2");
    assert_eq!(op("list_b").method, http::Method::GET);
    assert_eq!(
        op("list_b").params_type.as_ref().map(|p| p.name.as_str()),
        Some("ListBParams")
    );
    assert_eq!(
        op("list_b").error,
        crate::ir::Outcome::Enum("ListBError".to_owned()),
        "two error body types"
    );
    assert_eq!(op("list_a_pages").ok, crate::ir::Outcome::None);
}
