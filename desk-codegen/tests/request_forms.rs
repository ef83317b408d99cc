//! The request forms (`requests.rs`) on a spec of their own (nested objects, arrays, enums,
//! nullable, read-only, write-only, `allOf`, additional properties, a reference cycle): the
//! rules hold for any spec, not only for the Conversation API. Behaviour (JSON on the wire) is tested by
//! compiling such output in `desk-consumer`.

use desk_codegen::{Config, Parts};

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Shop, version: "1"}
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    patch:
      operationId: updateItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
      responses:
        "200": {description: ok}
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
      responses:
        "201": {description: created}
components:
  schemas:
    Base:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        createdAt: {type: string, format: date-time, readOnly: true}
    Item:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [name]
          properties:
            name: {type: string}
            note: {type: string, nullable: true}
            secret: {type: string, writeOnly: true}
            kind: {$ref: '#/components/schemas/Kind'}
            size: {$ref: '#/components/schemas/Size'}
            parts:
              type: array
              items: {$ref: '#/components/schemas/Part'}
            labels:
              type: object
              additionalProperties: {type: string}
            parent: {$ref: '#/components/schemas/Item'}
    Kind:
      type: string
      enum: [small, large]
    Size:
      type: object
      required: [width]
      properties:
        width: {type: number}
        unit: {type: string, nullable: true}
        measuredAt: {type: string, format: date-time, readOnly: true}
      additionalProperties: {type: number}
    Part:
      type: object
      required: [sku]
      properties:
        id: {type: integer, readOnly: true}
        sku: {type: string}
        qty: {type: integer, nullable: true}
"##;

/// A wrapper body with a required key beside an optional and a read-only one, and a schema
/// that is read-only as a whole, used directly, in an array and in a map.
const WRAPPER_SPEC: &str = r##"
openapi: 3.0.3
info: {title: Things, version: "1"}
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    patch:
      operationId: updateThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ThingBody'}
      responses:
        "200": {description: ok}
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ThingBody'}
      responses:
        "201": {description: created}
components:
  schemas:
    ThingBody:
      type: object
      required: [thing]
      properties:
        thing: {$ref: '#/components/schemas/Thing'}
        note: {type: string, nullable: true}
        included: {type: object, readOnly: true, additionalProperties: true}
    Thing:
      type: object
      properties:
        name: {type: string}
        owner: {$ref: '#/components/schemas/Ref'}
        refs: {type: array, items: {$ref: '#/components/schemas/Ref'}}
        byRole: {type: object, additionalProperties: {$ref: '#/components/schemas/Ref'}}
    Ref:
      type: object
      readOnly: true
      properties:
        id: {type: integer}
"##;

fn wrapper_requests() -> String {
    requests_of("things.yaml", WRAPPER_SPEC)
}

#[test]
fn a_wrapper_with_optional_and_read_only_keys_converts_from_its_inner_value() {
    let text = wrapper_requests();
    assert!(
        text.contains("impl From<ThingPatch> for ThingBodyPatch"),
        "{text}"
    );
    assert!(
        text.contains("impl From<ThingCreate> for ThingBodyCreate"),
        "{text}"
    );
    // The other keys start empty; the read-only one is not there at all.
    assert_eq!(
        field_names(struct_body(&text, "ThingBodyPatch")),
        ["thing", "note"]
    );
}

#[test]
fn a_required_key_cannot_be_cleared_in_a_patch() {
    let text = wrapper_requests();
    assert!(!text.contains("fn clear_thing("), "{text}");
    assert!(text.contains("pub fn thing(mut self"), "{text}");
    assert!(
        text.contains("pub fn clear_note(mut self)"),
        "an optional key can: {text}"
    );
}

#[test]
fn arrays_and_maps_of_a_read_only_schema_are_read_only() {
    let text = wrapper_requests();
    assert_eq!(field_names(struct_body(&text, "ThingPatch")), ["name"]);
    assert_eq!(field_names(struct_body(&text, "ThingCreate")), ["name"]);
    assert!(
        !text.contains("RefCreate") && !text.contains("RefPatch"),
        "{text}"
    );
}

fn requests() -> String {
    requests_of("shop.yaml", SPEC)
}

/// The `requests.rs` generated (types only) from `spec`, read as `name`.
fn requests_of(name: &str, spec: &str) -> String {
    let rendered = Config::new()
        .parts(Parts::TYPES)
        .render_str(name, spec)
        .expect("a valid spec");
    rendered
        .files
        .iter()
        .find(|f| f.path.ends_with("requests.rs"))
        .expect("requests.rs")
        .contents
        .clone()
}

/// The text of `pub struct {name} { ... }`.
fn struct_body<'a>(text: &'a str, name: &str) -> &'a str {
    let start = text
        .find(&format!("pub struct {name} {{"))
        .unwrap_or_else(|| panic!("no struct {name}:\n{text}"));
    let rest = &text[start..];
    &rest[..rest.find("\n}").expect("struct end")]
}

fn field_names(body: &str) -> Vec<&str> {
    body.lines()
        .filter_map(|l| l.trim().strip_prefix("pub "))
        .filter_map(|l| l.split_once(':').map(|(name, _)| name))
        .filter(|n| !n.starts_with("struct"))
        .collect()
}

#[test]
fn patch_forms_hold_every_writable_field_tri_state() {
    let text = requests();
    let body = struct_body(&text, "ItemPatch");
    assert_eq!(
        field_names(body),
        ["name", "note", "secret", "kind", "size", "parts", "labels", "parent"]
    );
    assert!(body.contains("pub name: Patch<String>"), "{body}");
    assert!(
        body.contains("pub size: Patch<SizePatch>"),
        "nested objects are patched: {body}"
    );
    assert!(
        body.contains("pub parts: Patch<Vec<PartCreate>>"),
        "arrays are replaced whole: {body}"
    );
    assert!(body.contains("pub kind: Patch<Kind>"), "{body}");
    assert!(
        body.contains("pub parent: Patch<Box<ItemPatch>>"),
        "cycles stay boxed: {body}"
    );
    assert!(
        body.matches("skip_serializing_if = \"Patch::is_absent\"")
            .count()
            == 8,
        "{body}"
    );
}

#[test]
fn read_only_fields_are_absent_from_every_request_form() {
    let text = requests();
    for name in [
        "ItemPatch",
        "ItemCreate",
        "SizePatch",
        "SizeCreate",
        "PartCreate",
    ] {
        let fields = field_names(struct_body(&text, name));
        assert!(
            !fields.contains(&"id")
                && !fields.contains(&"created_at")
                && !fields.contains(&"measured_at"),
            "{name}: {fields:?}"
        );
    }
    assert!(
        !text.contains("fn id("),
        "no setter reaches a read-only field"
    );
    assert!(!text.contains("fn created_at("));
}

#[test]
fn create_forms_follow_the_optionality_table() {
    let text = requests();
    let body = struct_body(&text, "ItemCreate");
    assert!(body.contains("pub name: String"), "required: plain: {body}");
    assert!(
        body.contains("pub note: Patch<String>"),
        "optional nullable: tri-state: {body}"
    );
    assert!(
        body.contains("pub secret: Option<String>"),
        "write-only kept: {body}"
    );
    assert!(
        body.contains("pub parent: Option<Box<ItemCreate>>"),
        "{body}"
    );
    assert!(
        text.contains("pub fn new(name: impl Into<String>) -> Self"),
        "required fields go to new():\n{text}"
    );
    assert!(text.contains("pub fn clear_note(mut self) -> Self"));
    assert!(text.contains("pub fn note(mut self, value: impl Into<String>) -> Self"));
    assert!(text.contains("pub fn new(width: impl Into<f64>) -> Self"));
}

#[test]
fn patches_are_built_explicitly_never_converted_implicitly() {
    let text = requests();
    assert!(
        !text.contains("impl From<Item> for ItemPatch"),
        "a model must not pass for a patch"
    );
    assert!(!text.contains("impl From<Size> for SizePatch"));
    assert!(text.contains("pub fn diff(old: &Item, new: &Item) -> Self"));
    assert!(text.contains("pub fn from_model(value: Item) -> Self"));
    assert!(
        text.contains("SizePatch::diff,"),
        "nested objects are diffed:\n{text}"
    );
    assert!(
        text.contains("Box::new(ItemPatch::diff(old, new))"),
        "boxed nested objects too:\n{text}"
    );
    assert!(
        text.contains("Patch::diff_option_into(\n            &old.parts,"),
        "arrays of converted items are compared as sent:\n{text}"
    );
    assert!(text.contains("impl From<Item> for ItemCreate"));
}

#[test]
fn additional_properties_beside_properties_are_patchable_per_key() {
    let text = requests();
    let body = struct_body(&text, "SizePatch");
    assert!(
        body.contains(
            "pub additional_properties: ::std::collections::BTreeMap<String, Option<f64>>"
        ),
        "{body}"
    );
    assert!(body.contains("#[serde(flatten)]"), "{body}");
}

/// Names are decided in lowering (`lower/members.rs`): the emitters render them and never
/// claim one themselves (no emitter source under `src/emit/` reaches the name scope).
#[test]
fn type_emitters_never_reach_the_name_scope() {
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a readable folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let emit = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/emit");
    let mut files = Vec::new();
    sources(&emit, &mut files);
    assert!(
        files.iter().any(|f| f.ends_with("requests.rs")),
        "the emitters are under {}",
        emit.display()
    );
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a readable source");
        for word in ["names::", "Scope"] {
            assert!(!text.contains(word), "{} mentions `{word}`", file.display());
        }
    }
}

#[test]
fn output_is_deterministic() {
    assert_eq!(requests(), requests());
}
