//! Bad and strange specs, one small file each under `tests/strange/`, and what the generator
//! must do with each: generate code that compiles without warnings (clippy included), or fail
//! with the listed kind of error at the listed place.
//!
//! The generated cases are written as modules of one scratch crate and checked with one
//! `cargo clippy -- -D warnings`, so the test pays for the dependencies once. What they
//! generate is pinned by the snapshots in `snapshots.rs` (`tests/snapshots/strange__*.snap`).

use std::path::{Path, PathBuf};
use std::process::Command;

use desk_codegen::{Config, DiagnosticKind, Error, Parts, Severity};

/// What a case must do.
enum Expect {
    /// Generates (the output is a snapshot), with one warning at each pointer.
    Generates { warns: &'static [&'static str] },
    /// Fails with an error of this kind at this JSON pointer (`None`: none given) and line.
    Fails {
        kind: DiagnosticKind,
        pointer: Option<&'static str>,
        line: Option<usize>,
    },
}

use DiagnosticKind as K;
use Expect::{Fails, Generates};

/// Generates without a warning.
const GENERATES: Expect = Generates { warns: &[] };

const fn fails(kind: DiagnosticKind, pointer: &'static str, line: usize) -> Expect {
    Fails {
        kind,
        pointer: Some(pointer),
        line: Some(line),
    }
}

/// Every file in `tests/strange/` and what it must do.
const CASES: &[(&str, Expect)] = &[
    // Input that is not an OpenAPI 3.0 description.
    ("bad_yaml.yaml", Fails { kind: K::Syntax, pointer: None, line: Some(8) }),
    ("bad_json.json", Fails { kind: K::Syntax, pointer: None, line: Some(5) }),
    ("not_a_mapping.yaml", fails(K::InvalidDocument, "", 1)),
    ("swagger2.yaml", fails(K::UnsupportedVersion, "/swagger", 1)),
    ("version_number.yaml", fails(K::UnsupportedVersion, "/openapi", 1)),
    ("version_4.yaml", fails(K::UnsupportedVersion, "/openapi", 2)),
    ("invalid_node.yaml", fails(K::InvalidDocument, "/paths/~1things/get/responses", 7)),
    // The error is at the offending keyword, not at the enclosing schema.
    (
        "invalid_nested_schema.yaml",
        fails(
            K::InvalidDocument,
            "/paths/~1things/get/responses/200/content/application~1json/schema/properties/items/items/properties/size/minimum",
            21,
        ),
    ),
    // References.
    ("missing_ref.yaml", fails(K::UnresolvedRef, "/components/schemas/Pet/properties/owner/$ref", 11)),
    (
        "ref_wrong_case.yaml",
        fails(K::UnresolvedRef, "/paths/~1pets/get/responses/200/content/application~1json/schema/items/$ref", 13),
    ),
    ("ref_to_parameter.yaml", fails(K::UnsupportedRef, "/components/schemas/Page/properties/limit/$ref", 12)),
    ("allof_cycle.yaml", fails(K::UnsupportedSchema, "/components/schemas/A/allOf/0", 8)),
    // A reference to a file that is not there (multi-file cases are in tests/multifile.rs).
    ("external_ref.yaml", fails(K::UnresolvedRef, "/components/schemas/Order/properties/customer/$ref", 11)),
    // References to any node, not only components: copied into components, shared by both places.
    ("ref_into_paths.yaml", GENERATES),
    // Callbacks given by `$ref` (valid 3.0; the client does not receive callbacks).
    ("callback_ref.yaml", GENERATES),
    // Path keys with a query part: the path, plus required query parameters.
    (
        "path_query_keys.yaml",
        Generates { warns: &["/paths/~1search?kind=user&q={q}", "/paths/~1search?kind=team", "/paths/~1search?kind=team/get"] },
    ),
    // Operations.
    ("missing_path_param.yaml", fails(K::UnsupportedOperation, "/paths/~1things~1{thingId}/get", 5)),
    // OpenAPI 3.1 where it maps onto 3.0.
    ("openapi31.yaml", GENERATES),
    // Several types: one alternative per type, an untagged enum.
    ("openapi31_several_types.yaml", GENERATES),
    // `$defs`, `const`, `$ref` with siblings, the `examples` keyword; webhooks are dropped with a warning.
    (
        "openapi31_features.yaml",
        Generates { warns: &["/webhooks"] },
    ),
    // A 3.1 `$ref` with siblings becomes `allOf: [{$ref}]`; the error still points at the `$ref` written.
    ("openapi31_ref_siblings_missing.yaml", fails(K::UnresolvedRef, "/components/schemas/Order/properties/shipping/$ref", 10)),
    // Types.
    ("recursive.yaml", GENERATES),
    (
        "alias_cycle.yaml",
        Generates { warns: &["/components/schemas/Nested", "/components/schemas/Loop", "/components/schemas/Right"] },
    ),
    (
        "discriminated_oneof.yaml",
        Generates { warns: &["/components/schemas/Shape/discriminator"] },
    ),
    ("untagged_anyof.yaml", GENERATES),
    // No discriminator, but each alternative pins a required property to its own value.
    ("implicit_tag.yaml", GENERATES),
    (
        "allof_merge.yaml",
        Generates { warns: &["/components/schemas/NotAnObject/allOf/1"] },
    ),
    ("additional_properties.yaml", GENERATES),
    (
        "integer_enums.yaml",
        Generates { warns: &["/components/schemas/Numbers/properties/mixed/enum"] },
    ),
    ("defaults.yaml", GENERATES),
    ("nested_inline.yaml", GENERATES),
    (
        "odd_schemas.yaml",
        Generates { warns: &["/components/schemas/Not", "/components/schemas/UnknownType/type"] },
    ),
    // Names.
    ("keyword_names.yaml", GENERATES),
    ("non_ascii.yaml", GENERATES),
    ("digit_names.yaml", GENERATES),
    ("colliding_names.yaml", GENERATES),
    ("reserved_types.yaml", GENERATES),
    (
        "duplicate_operation_ids.yaml",
        Generates {
            // Every renamed method is a warning at the renamed operation.
            warns: &["/paths/~1b/get", "/paths/~1c/get", "/paths/~1d/get", "/paths/~1e/get", "/paths/~1f/get"],
        },
    ),
    (
        "path_characters.yaml",
        Generates { warns: &["/paths/~1things~1{id}\"", "/paths/~1tags~1{arn}#tagKeys"] },
    ),
    ("no_operation_id.yaml", GENERATES),
    // Operations.
    (
        "header_params.yaml",
        Generates { warns: &["/paths/~1orgs~1{org}~1repos~1{repo}/get/parameters/7"] },
    ),
    ("multiple_media_types.yaml", GENERATES),
    // Bodies by media type (see the README, "Request and response bodies").
    (
        "body_multipart.yaml",
        // A multipart schema that is not an object: bytes the caller encodes.
        Generates { warns: &["/paths/~1raw/post/requestBody/content/multipart~1form-data/schema"] },
    ),
    // 3.1: `contentMediaType` without `contentEncoding` is a file; read-only parts are not sent.
    ("openapi31_multipart.yaml", GENERATES),
    ("body_form.yaml", GENERATES),
    ("body_binary.yaml", GENERATES),
    ("body_text.yaml", GENERATES),
    ("responses_without_bodies.yaml", GENERATES),
    ("server_variables.yaml", GENERATES),
    ("empty.yaml", GENERATES),
    // A wrapper whose one field is `value`: `From<Inner>` must not write `value: value`.
    ("wrapper_named_value.yaml", GENERATES),
    // Composition (issue 11): each rule keeps the data; `DECODES` below decodes samples.
    ("allof_single_part.yaml", GENERATES),
    (
        "allof_agreeing_parts.yaml",
        Generates { warns: &["/components/schemas/Limits/properties/broken/allOf/1"] },
    ),
    ("empty_objects.yaml", GENERATES),
    ("union_by_enum_property.yaml", GENERATES),
    ("extra_properties_kept.yaml", GENERATES),
    // Recursion through `allOf: [{$ref}, {description}]` is not an `allOf` cycle (AWS ce, kendra).
    ("allof_recursive.yaml", GENERATES),
    // A ring of 90 schemas: boxed every 16 types, or rustc overflows its query depth.
    ("reference_ring.yaml", GENERATES),
    ("alias_ring.yaml", fails(K::UnsupportedSchema, "/components/schemas/A", 10)),
    // Merging objects into a union whose alternatives lead back to it would never end.
    (
        "allof_union_cycle.yaml",
        Generates { warns: &["/components/schemas/U"] },
    ),
    // Nullable array items, map values and extra entries are `Option<T>`; `enum: [null]` is `()`.
    ("nullable_in_containers.yaml", GENERATES),
    // A patch form whose fields are all read-only: `diff` has nothing to compare (clippy's
    // `let_and_return` fired on `let patch = Self::new(); patch`).
    ("patch_diffs.yaml", GENERATES),
    ("read_only_patch.yaml", GENERATES),
    ("paged_under_path_param.yaml", GENERATES),
];

/// Composition cases whose generated types must hold sample bodies: Rust code (tests) compiled
/// into the case's module, with `round_trip::<T>(json)` decoding `json` as `T`, re-encoding it
/// and asserting the JSON is unchanged. Assigning a field to a binding of the expected type is
/// the compile-time check of the field's type. Samples never send `null` for an optional field
/// (the models read it as absent and leave it out).
const DECODES: &[(&str, &str)] = &[
    (
        "allof_single_part.yaml",
        r##"
        #[test]
        fn each_field_has_its_part_type() {
            let run: Run = round_trip(
                r#"{"dryRun": true, "name": "n", "count": 3, "tags": ["a", "b"], "mode": "fast",
                    "owner": {"id": "o"}, "previous": {"id": "p"}, "createdBy": {"id": "c"},
                    "inlineLimit": 5, "history": ["safe", "later"], "byName": {"x": 1}, "either": 7}"#,
            );
            let _: Option<bool> = run.dry_run;
            let _: Option<String> = run.name;
            let _: Option<i32> = run.count;
            let _: Option<Vec<String>> = run.tags;
            assert_eq!(run.mode, Some(Mode::Fast));
            let _: Option<Owner> = run.owner;
            let _: Option<Owner> = run.previous;
            let _: Option<Owner> = run.created_by;
            let _: Option<i64> = run.inline_limit;
            assert_eq!(run.history, Some(vec![Mode::Safe, Mode::Other("later".into())]));
            let _: Option<::std::collections::BTreeMap<String, i32>> = run.by_name;
            assert_eq!(run.either, Some(RunEither::Count(7)));
            let list: Run = round_trip(r#"{"either": ["a"]}"#);
            assert_eq!(list.either, Some(RunEither::Names(vec!["a".into()])));
            let _: bool = round_trip::<Flag>("false");
        }
        "##,
    ),
    (
        "allof_agreeing_parts.yaml",
        r##"
        #[test]
        fn agreeing_parts_merge_and_contradictions_keep_the_value() {
            let limits: Limits =
                round_trip(r#"{"code": "ab", "level": "high", "whole": 3, "word": "abc", "broken": {"a": "x"}}"#);
            let _: Option<String> = limits.code;
            assert_eq!(limits.level, Some(Level::High));
            let _: Option<i64> = limits.whole;
            let _: Option<String> = limits.word;
            let _: Option<::serde_json::Value> = limits.broken;
            let _: Limits = round_trip(r#"{"broken": "just a string"}"#);
        }
        "##,
    ),
    (
        "empty_objects.yaml",
        r##"
        #[test]
        fn objects_without_properties_keep_what_is_sent() {
            let holder: Holder = round_trip(
                r#"{"settings": {"any": [1, {"x": null}]}, "described": {"k": 1}, "wrapped": {"w": true},
                    "merged": {"m": "v"}, "items": [{"a": 1}, {}]}"#,
            );
            let _: Option<::serde_json::Map<String, ::serde_json::Value>> = holder.settings;
            let _: Option<::serde_json::Map<String, ::serde_json::Value>> = holder.wrapped;
            let _: Option<Vec<::serde_json::Map<String, ::serde_json::Value>>> = holder.items;
            let _: Anything = round_trip(r#"{"deep": {"er": [true]}}"#);
        }
        "##,
    ),
    (
        "nullable_in_containers.yaml",
        r##"
        #[test]
        fn null_entries_are_kept() {
            let slate: Slate = round_trip(
                r#"{"slots": ["x", null], "reasons": [null, "spam"], "names": [null, "n"],
                    "files": {"a": {"size": 1}, "b": null}, "scores": {"s": null, "t": 2}, "nothing": null}"#,
            );
            assert_eq!(slate.slots, Some(vec![Some("x".to_owned()), None]));
            assert_eq!(slate.reasons, Some(vec![None, Some(Reason::Spam)]));
            let _: Option<Vec<Option<String>>> = slate.names;
            let _: Option<::std::collections::BTreeMap<String, Option<File>>> = slate.files;
            let _: Option<::std::collections::BTreeMap<String, Option<i64>>> = slate.scores;
            let tagged: Tagged = round_trip(r#"{"id": "i", "note": null, "other": "o"}"#);
            assert_eq!(tagged.additional_properties.get("note"), Some(&None));
            let () = round_trip::<()>("null");
            assert_eq!(round_trip::<Tree>("null"), Tree::String(None));
            let tree: Tree = round_trip(r#"{"child": {"child": "leaf"}, "size": 2}"#);
            assert!(matches!(tree, Tree::Branch(_)));
        }
        "##,
    ),
    (
        "allof_union_cycle.yaml",
        r##"
        #[test]
        fn keys_one_alternative_lacks_go_to_the_one_that_keeps_them() {
            let x: X = round_trip(r#"{"id": "o", "b": "9"}"#);
            assert!(matches!(x, X::U2(Xu2::B(_))));
            let a: X = round_trip(r#"{"id": "o", "a": "1"}"#);
            assert!(matches!(a, X::A(_)));
            let _: X = round_trip(r#"{"id": "o", "z": [1]}"#);
        }
        "##,
    ),
    (
        "implicit_tag.yaml",
        r##"
        #[test]
        fn the_pinned_property_tags_the_union() {
            let log: Log = round_trip(
                r#"{"events": [{"kind": "created", "id": "1"}, {"reason": "gone", "kind": "deleted"},
                               {"kind": "renamed", "to": "b"}, {"kind": "ping"}, {"kind": "later", "n": 1},
                               {"kind": "counted", "count": 3}, {"kind": "noted", "note": null},
                               {"kind": "moved", "to": {"kind": "renamed", "to": "c"}}],
                    "repeated": {"kind": "same", "b": 2}, "text": "plain",
                    "optional": {"y": "no kind"}}"#,
            );
            let events = log.events.expect("events");
            // Named after the tag value, holding the one other property: no struct of its own.
            assert!(matches!(&events[0], Event::Created(id) if id == "1"));
            assert!(matches!(&events[1], Event::Deleted(e) if e.reason.as_deref() == Some("gone")));
            assert!(matches!(&events[2], Event::Renamed(r) if r.to == "b" && r.kind == RenamedKind::Renamed));
            assert_eq!(events[3], Event::Ping);
            assert!(matches!(&events[4], Event::Unknown(_)));
            assert_eq!(events[5], Event::Counted(3));
            assert!(matches!(&events[6], Event::Noted(EventNoted { note: None })));
            assert!(matches!(&events[7], Event::MovedAway(r) if r.to == "c"));
            assert!(matches!(log.repeated, Some(Repeated::Variant1(_))));
            assert!(matches!(log.text, Some(TaggedOrText::String(_))));
            assert!(matches!(log.optional, Some(Optional::Variant1(_))));
            // A known tag without its property is an error, not the catch-all.
            assert!(serde_json::from_str::<Event>(r#"{"kind": "counted"}"#).is_err());
            assert!(serde_json::from_str::<Event>(r#"{"kind": "counted", "count": "x"}"#).is_err());
        }

        #[test]
        fn a_tagged_union_is_sent_without_its_read_only_parts() {
            let change: Change = round_trip(r#"{"op": "move", "path": "/a", "at": "2024-01-02T03:04:05Z"}"#);
            assert_eq!(round_trip::<Change>(r#"{"op": "reset"}"#), Change::Reset);
            let sent = serde_json::to_value(super::requests::ChangeCreate::from(change)).unwrap();
            assert_eq!(sent, serde_json::json!({"op": "move", "path": "/a"}));
            let sent = serde_json::to_value(super::requests::ChangeCreate::from(Change::Reset)).unwrap();
            assert_eq!(sent, serde_json::json!({"op": "reset"}));
            let set = Change::Set(Renamed { kind: RenamedKind::Renamed, to: "x".into() });
            let sent = serde_json::to_value(super::requests::ChangeCreate::from(set)).unwrap();
            assert_eq!(sent, serde_json::json!({"op": "set", "value": {"kind": "renamed", "to": "x"}}));
        }
        "##,
    ),
    (
        "union_by_enum_property.yaml",
        r##"
        #[test]
        fn the_enum_property_picks_the_alternative() {
            let page: Page = round_trip(
                r#"{"blocks": [{"type": "markdown", "text": "hi"}, {"type": "mosaic", "tiles": ["a", "b"]},
                               {"type": "video", "text": "later"}]}"#,
            );
            let blocks = page.blocks.expect("blocks");
            assert!(matches!(&blocks[0], Block::Markdown(m) if m.text.as_deref() == Some("hi")));
            assert!(matches!(&blocks[1], Block::Mosaic(m) if m.tiles.as_ref().is_some_and(|t| t.len() == 2)));
            // Each alternative pins `type` to its own value: a tagged union, so a value none
            // lists is kept as sent.
            assert!(matches!(&blocks[2], Block::Unknown(_)));
            assert_eq!(round_trip::<LooseOrList>("[]"), LooseOrList::Array(Vec::new()));
            assert!(matches!(round_trip::<LooseOrList>(r#"{"note": "n"}"#), LooseOrList::Loose(_)));
        }
        "##,
    ),
    (
        "extra_properties_kept.yaml",
        r##"
        #[test]
        fn extra_entries_and_union_fields_are_kept() {
            let open: Open = round_trip(r#"{"id": "1", "extra": {"deep": [1]}, "flag": false}"#);
            assert_eq!(open.additional_properties.len(), 2);
            let counted: Counted = round_trip(r#"{"total": 2, "a": 1, "b": 5}"#);
            let _: ::std::collections::BTreeMap<String, i64> = counted.additional_properties;
            let card: Payment = round_trip(r#"{"id": "p", "number": "4111"}"#);
            assert!(matches!(card, Payment::Card(PaymentCard { ref id, number: Some(_) }) if id == "p"));
            let transfer: Payment = round_trip(r#"{"id": "p", "iban": "DE00"}"#);
            assert!(matches!(transfer, Payment::Transfer(PaymentTransfer { iban: Some(_), .. })));
            let dog: Pet = round_trip(r#"{"id": "d", "kind": "dog", "bark": true}"#);
            assert!(matches!(dog, Pet::Dog(PetDog { bark: Some(true), .. })));
            let _: String = match dog {
                Pet::Dog(dog) => dog.id,
                _ => unreachable!(),
            };
        }
        "##,
    ),
    (
        "allof_recursive.yaml",
        r##"
        #[test]
        fn recursive_expressions_decode() {
            let expression: Expression = round_trip(
                r#"{"Not": {"Or": [{"Dimensions": {"Key": "k", "Parent": {"And": []}}}, {}]}}"#,
            );
            let _: Option<Box<Expression>> = expression.not;
        }
        "##,
    ),
    (
        "reference_ring.yaml",
        r##"
        #[test]
        fn a_long_ring_decodes() {
            let node: Node0 = round_trip(r#"{"label": "a", "next": {"label": "b", "next": {"next": {}}}}"#);
            assert_eq!(node.next.and_then(|n| n.label).as_deref(), Some("b"));
        }
        "##,
    ),
];

fn case_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/strange")
}

fn render(file: &str) -> Result<desk_codegen::Rendered, Error> {
    let mut config = Config::new();
    config
        .spec(case_dir().join(file))
        .parts(Parts::ALL)
        .source_label(file);
    config.render()
}

fn module_name(file: &str) -> String {
    file.split('.').next().unwrap_or(file).replace('-', "_")
}

#[test]
fn every_file_is_listed_once() {
    let mut files: Vec<String> = std::fs::read_dir(case_dir())
        .expect("tests/strange exists")
        .map(|e| {
            e.expect("a readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    let mut listed: Vec<String> = CASES.iter().map(|(f, _)| (*f).to_owned()).collect();
    listed.sort();
    assert_eq!(
        files, listed,
        "tests/strange and CASES must name the same files"
    );
    assert!(CASES.len() >= 25);
}

#[test]
fn renamed_operations_and_odd_paths_say_where_and_why() {
    let rendered = render("duplicate_operation_ids.yaml").expect("generates");
    let shown: Vec<String> = rendered.warnings.iter().map(ToString::to_string).collect();
    // A repeated operationId names both operations; the line is the second one's.
    let repeated = &shown[0];
    assert!(
        repeated.contains(
            "operationId `getThing` is also the operationId of the operation at `/paths/~1a/get`"
        ),
        "{repeated}"
    );
    assert!(
        repeated.contains("named `get_thing2`")
            && repeated.contains("duplicate_operation_ids.yaml:10:"),
        "{repeated}"
    );
    assert!(
        shown[1].contains("`get_thing` and `getThing` (the operation at `/paths/~1a/get`)"),
        "{}",
        shown[1]
    );
    assert!(
        shown[2].contains("operationId `new` is the name of one of the client's own methods"),
        "{}",
        shown[2]
    );

    let rendered = render("path_characters.yaml").expect("generates");
    let shown: Vec<String> = rendered.warnings.iter().map(ToString::to_string).collect();
    assert!(
        shown[0].contains("path `/things/{id}\"` contains '\"'")
            && shown[0].contains("path_characters.yaml:6:"),
        "{}",
        shown[0]
    );
    assert!(shown[1].contains("contains '#'"), "{}", shown[1]);
}

#[test]
fn each_case_generates_or_fails_as_listed() {
    let mut problems = Vec::new();
    for (file, expect) in CASES {
        let result = std::panic::catch_unwind(|| render(file));
        let Ok(result) = result else {
            problems.push(format!("{file}: the generator panicked"));
            continue;
        };
        match (expect, result) {
            (Generates { warns }, Ok(rendered)) => {
                let pointers: Vec<&str> = rendered
                    .warnings
                    .iter()
                    .filter_map(|w| w.pointer.as_deref())
                    .collect();
                if pointers.len() != warns.len() || warns.iter().any(|w| !pointers.contains(w)) {
                    problems.push(format!(
                        "{file}: expected warnings at {warns:?}, got {pointers:?}"
                    ));
                }
                for warning in &rendered.warnings {
                    if warning.severity != Severity::Warning
                        || warning.help.is_none()
                        || warning.position.is_none()
                    {
                        problems.push(format!(
                            "{file}: a warning without severity, help or position: {warning}"
                        ));
                    }
                }
            }
            (Generates { .. }, Err(err)) => {
                problems.push(format!("{file}: expected code, got\n{err}"))
            }
            (Fails { .. }, Ok(_)) => {
                problems.push(format!("{file}: expected an error, but it generated"))
            }
            (
                Fails {
                    kind,
                    pointer,
                    line,
                },
                Err(err),
            ) => {
                let Some(first) = err.diagnostics().first() else {
                    problems.push(format!("{file}: expected a diagnostic, got {err}"));
                    continue;
                };
                let got_line = first.position.map(|p| p.line);
                if first.kind != *kind || first.pointer.as_deref() != *pointer || got_line != *line
                {
                    problems.push(format!(
                        "{file}: expected {kind:?} at {pointer:?} line {line:?}, got {:?} at {:?} line {got_line:?}:\n{first}",
                        first.kind, first.pointer
                    ));
                }
                let shown = first.to_string();
                if !shown.contains(file)
                    || first.help.is_none()
                    || first.severity != Severity::Error
                {
                    problems.push(format!(
                        "{file}: the error must name the file and say what to do:\n{shown}"
                    ));
                }
                if let Some(line) = line {
                    if !shown.contains(&format!("{file}:{line}:")) {
                        problems.push(format!(
                            "{file}: the error must show `file:line:column`:\n{shown}"
                        ));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

/// A scratch crate under the test target dir depending on the runtime (with `runtime_features`),
/// serde, serde_json and chrono; returns its root, with `src/` emptied.
fn scratch_crate(name: &str, runtime_features: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let src = root.join("src");
    if src.exists() {
        std::fs::remove_dir_all(&src).expect("remove the old sources");
    }
    std::fs::create_dir_all(&src).expect("create the scratch crate");
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root");
    let runtime = workspace.join("desk-runtime");
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [workspace]\n\n[profile.dev]\ndebug = false\n\n[dependencies]\n\
             desk-runtime = {{ path = {:?}, {runtime_features} }}\n\
             serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\
             chrono = {{ version = \"0.4\", default-features = false, features = [\"std\", \"serde\", \"clock\"] }}\n",
            runtime.display().to_string()
        ),
    )
    .expect("write Cargo.toml");
    if !root.join("Cargo.lock").exists() {
        std::fs::copy(workspace.join("Cargo.lock"), root.join("Cargo.lock"))
            .expect("copy Cargo.lock");
    }
    root
}

/// Writes the rendered files of `file` as module `src/{module}/` of the scratch crate at `root`.
fn write_module(root: &Path, file: &str, parts: Parts) -> String {
    let mut config = Config::new();
    config
        .spec(case_dir().join(file))
        .parts(parts)
        .source_label(file);
    let rendered = config
        .render()
        .unwrap_or_else(|err| panic!("{file} must generate:\n{err}"));
    let module = module_name(file);
    let dir = root.join("src").join(&module);
    std::fs::create_dir_all(&dir).expect("create a module folder");
    for generated in &rendered.files {
        std::fs::write(dir.join(&generated.path), &generated.contents)
            .expect("write a generated file");
    }
    module
}

/// Runs `cargo {args}` in the scratch crate (offline first: the dependencies are usually in
/// the local registry already) and asserts it succeeds.
fn run_cargo(root: &Path, args: &[&str], what: &str) {
    let cargo = env!("CARGO");
    let run = |offline: bool| {
        let mut command = Command::new(cargo);
        command.current_dir(root).arg(args[0]);
        if offline {
            command.arg("--offline");
        }
        command
            .args(["--quiet", "--message-format", "short", "--target-dir"])
            .arg(root.join("target"))
            .args(&args[1..])
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("RUSTFLAGS")
            .output()
            .expect("run cargo")
    };
    let mut output = run(true);
    if !output.status.success() && String::from_utf8_lossy(&output.stderr).contains("offline") {
        output = run(false);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{what}:\n{}\n{}",
        stderr.lines().take(80).collect::<Vec<_>>().join("\n"),
        stdout
            .lines()
            .rev()
            .take(60)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Writes every generating case as a module of one crate and runs clippy on it once.
#[test]
fn generated_cases_compile_without_warnings() {
    let root = scratch_crate("strange-specs", "features = [\"client\"]");
    let mut lib = String::from("//! Every generating case of tests/strange, one module each.\n\n");
    for (file, expect) in CASES {
        if !matches!(expect, Generates { .. }) {
            continue;
        }
        let module = write_module(&root, file, Parts::ALL);
        lib.push_str(&format!("pub mod {module};\n"));
    }
    std::fs::write(root.join("src/lib.rs"), lib).expect("write lib.rs");
    run_cargo(
        &root,
        &["clippy", "--", "-D", "warnings"],
        "the generated cases do not compile without warnings",
    );
}

/// The composition cases decode their sample bodies and re-encode them unchanged (the types and
/// request forms only: the runtime without its HTTP client keeps the build small).
#[test]
fn composition_cases_decode_and_round_trip() {
    let root = scratch_crate("strange-decodes", "default-features = false");
    let mut lib = String::from(
        "//! Composition cases of tests/strange with sample bodies.\n\n\
         /// Decodes `json` as `T`, re-encodes it and asserts the JSON is unchanged.\n\
         #[cfg(test)]\n\
         fn round_trip<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(json: &str) -> T {\n\
         \x20   let original: ::serde_json::Value = ::serde_json::from_str(json).expect(\"the sample is JSON\");\n\
         \x20   let decoded: T = ::serde_json::from_value(original.clone())\n\
         \x20       .unwrap_or_else(|err| panic!(\"{json} does not decode: {err}\"));\n\
         \x20   let again = ::serde_json::to_value(&decoded).expect(\"re-encodes\");\n\
         \x20   assert_eq!(again, original, \"{json} does not round-trip\");\n\
         \x20   decoded\n\
         }\n\n",
    );
    for (file, checks) in DECODES {
        assert!(
            CASES
                .iter()
                .any(|(f, e)| f == file && matches!(e, Generates { .. })),
            "{file} is a generating case"
        );
        let module = write_module(&root, file, Parts::TYPES);
        let dir = root.join("src").join(&module);
        std::fs::write(
            dir.join("checks.rs"),
            format!("use super::models::*;\nuse crate::round_trip;\n{checks}\n"),
        )
        .expect("write checks.rs");
        let mod_rs = dir.join("mod.rs");
        let mut text = std::fs::read_to_string(&mod_rs).expect("read mod.rs");
        text.push_str("\n#[cfg(test)]\nmod checks;\n");
        std::fs::write(&mod_rs, text).expect("write mod.rs");
        lib.push_str(&format!("pub mod {module};\n"));
    }
    std::fs::write(root.join("src/lib.rs"), lib).expect("write lib.rs");
    run_cargo(
        &root,
        &["test"],
        "the composition cases do not decode their samples",
    );
}

/// The body cases' generated clients, run against a transport that records each request and
/// answers with a canned response: the bytes and headers the generated methods hand to the
/// transport (what the default transport writes on the wire unchanged; the runtime's loopback
/// tests, `desk-runtime/tests/bodies.rs`, check that part), and what the caller gets back. The
/// runtime without its HTTP stack keeps the build small.
#[test]
fn generated_bodies_reach_the_transport_as_written() {
    let root = scratch_crate(
        "strange-bodies",
        "default-features = false, features = [\"client-core\"]",
    );
    let manifest = root.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("read Cargo.toml");
    text.push_str("tokio = { version = \"1\", features = [\"rt\", \"macros\"] }\n");
    std::fs::write(&manifest, text).expect("write Cargo.toml");
    let mut lib = String::from("//! The body cases of tests/strange, run.\n\n");
    for file in [
        "body_multipart.yaml",
        "body_form.yaml",
        "body_binary.yaml",
        "body_text.yaml",
    ] {
        let module = write_module(&root, file, Parts::ALL);
        lib.push_str(&format!("pub mod {module};\n"));
    }
    lib.push_str("\n#[cfg(test)]\nmod wire;\n");
    std::fs::write(root.join("src/lib.rs"), lib).expect("write lib.rs");
    std::fs::write(root.join("src/wire.rs"), BODIES_ON_THE_WIRE).expect("write wire.rs");
    run_cargo(
        &root,
        &["test"],
        "the generated body methods do not send or return what they should",
    );
}

const BODIES_ON_THE_WIRE: &str = r####"
use std::sync::{Arc, Mutex};

use desk_runtime::client::{
    http, BoxFuture, Error, FilePart, Request, Response, Transport, TransportError,
};

/// Records every request; answers each with `answer`.
#[derive(Clone)]
struct Recorder {
    requests: Arc<Mutex<Vec<Request>>>,
    answer: Response,
}

impl Transport for Recorder {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, TransportError>> {
        self.requests.lock().unwrap().push(request);
        let answer = self.answer.clone();
        Box::pin(async move { Ok(answer) })
    }
}

fn answering(status: u16, content_type: &str, body: &[u8]) -> Recorder {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_str(content_type).unwrap(),
    );
    Recorder {
        requests: Arc::default(),
        answer: Response {
            status: http::StatusCode::from_u16(status).unwrap(),
            headers,
            body: desk_runtime::client::bytes::Bytes::copy_from_slice(body),
        },
    }
}

impl Recorder {
    fn only(&self) -> Request {
        let requests = self.requests.lock().unwrap();
        assert_eq!(requests.len(), 1);
        requests[0].clone()
    }
}

fn header(request: &Request, name: &str) -> String {
    request.headers.get(name).unwrap().to_str().unwrap().to_owned()
}

fn body_text(request: &Request) -> String {
    String::from_utf8_lossy(request.body.as_deref().unwrap_or_default()).into_owned()
}

#[tokio::test]
async fn multipart_parts_are_sent_in_property_order() {
    use crate::body_multipart::client::{Client, PutDocumentMultipart, UploadAvatarMultipart};
    use crate::body_multipart::models::Crop;
    let recorder = answering(201, "application/json", br#"{"x":3,"y":4}"#);
    let client = Client::builder("http://127.0.0.1:9").transport(recorder.clone()).build().unwrap();
    let crop = client
        .upload_avatar(UploadAvatarMultipart {
            user_id: 7,
            caption: None,
            public: Some(true),
            image: FilePart::new(&b"PNG"[..]).file_name("me.png"),
            thumbnails: Some(vec![FilePart::new(&b"t"[..]).content_type("image/jpeg")]),
            tags: Some(vec!["a".into(), "b".into()]),
            crop: Some(Crop { x: 1, y: 2 }),
            meta: None,
        })
        .await
        .unwrap();
    assert_eq!(crop, Crop { x: 3, y: 4 });
    let request = recorder.only();
    let content_type = header(&request, "content-type");
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
    let expected = [
        "--B\r\nContent-Disposition: form-data; name=\"user_id\"\r\n\r\n7\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"public\"\r\n\r\ntrue\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"image\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\nPNG\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"thumbnails\"; filename=\"thumbnails\"\r\nContent-Type: image/jpeg\r\n\r\nt\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\na\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nb\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"crop\"\r\nContent-Type: application/vnd.crop+json\r\n\r\n{\"x\":1,\"y\":2}\r\n",
        "--B--\r\n",
    ]
    .concat()
    .replace("--B", &format!("--{boundary}"));
    assert_eq!(body_text(&request), expected);

    let recorder = answering(204, "text/plain", b"");
    let client = Client::builder("http://127.0.0.1:9").transport(recorder.clone()).build().unwrap();
    client.put_document(None).await.unwrap();
    assert!(recorder.only().body.is_none());
    let recorder = answering(204, "text/plain", b"");
    let client = Client::builder("http://127.0.0.1:9").transport(recorder.clone()).build().unwrap();
    client
        .put_document(Some(PutDocumentMultipart {
            title: Some("T".into()),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert!(body_text(&recorder.only()).contains("name=\"title\"\r\n\r\nT\r\n"));
}

#[tokio::test]
async fn forms_are_sent_urlencoded() {
    use crate::body_form::client::Client;
    use crate::body_form::models::TokenRequestGrantType;
    use crate::body_form::requests::TokenRequestCreate;
    let recorder = answering(200, "application/json", br#"{"access_token":"t"}"#);
    let client = Client::builder("http://127.0.0.1:9").transport(recorder.clone()).build().unwrap();
    let token = client
        .create_token(TokenRequestCreate {
            grant_type: TokenRequestGrantType::ClientCredentials,
            scope: Some("read write".into()),
            refresh_token: None,
        })
        .await
        .unwrap();
    assert_eq!(token.access_token.as_deref(), Some("t"));
    let request = recorder.only();
    assert_eq!(header(&request, "content-type"), "application/x-www-form-urlencoded");
    assert_eq!(body_text(&request), "grant_type=client_credentials&scope=read+write");
}

#[tokio::test]
async fn binary_bodies_keep_their_content_type() {
    use crate::body_binary::client::{Client, GetReportResponse};
    let recorder = answering(204, "text/plain", b"");
    let client = Client::builder("http://127.0.0.1:9").transport(recorder.clone()).build().unwrap();
    client.put_file("a b", vec![0u8, 255]).await.unwrap();
    let request = recorder.only();
    assert!(request.url.ends_with("/files/a%20b"), "{}", request.url);
    assert_eq!(header(&request, "content-type"), "application/octet-stream");
    assert_eq!(request.body.as_deref(), Some(&[0u8, 255][..]));

    let recorder = answering(200, "application/zip", b"PK\x03\x04");
    let client = Client::builder("http://127.0.0.1:9").transport(recorder.clone()).build().unwrap();
    let file = client.get_file("x").await.unwrap();
    assert_eq!(file.content_type.as_deref(), Some("application/zip"));
    assert_eq!(&file.bytes[..], b"PK\x03\x04");
    assert_eq!(header(&recorder.only(), "accept"), "application/octet-stream, application/json");

    let recorder = answering(200, "application/pdf", b"%PDF");
    let client = Client::builder("http://127.0.0.1:9").transport(recorder.clone()).build().unwrap();
    match client.get_report(1).await.unwrap() {
        GetReportResponse::Ok(pdf) => {
            assert_eq!(pdf.content_type.as_deref(), Some("application/pdf"));
            assert_eq!(&pdf.bytes[..], b"%PDF");
        }
        other => panic!("{other:?}"),
    }

    let recorder = answering(200, "image/webp", b"RIFF");
    let client = Client::builder("http://127.0.0.1:9").transport(recorder.clone()).build().unwrap();
    let image = desk_runtime::client::Binary::new(vec![1u8]).content_type("image/gif");
    let stored = client.post_image(Some(image)).await.unwrap();
    assert_eq!(stored.content_type.as_deref(), Some("image/webp"));
    assert_eq!(header(&recorder.only(), "content-type"), "image/gif");
}

#[tokio::test]
async fn text_bodies_and_text_errors() {
    use crate::body_text::client::{Client, ExportCsvError};
    let recorder = answering(200, "text/html; charset=utf-8", "<p>é</p>".as_bytes());
    let client = Client::builder("http://127.0.0.1:9").transport(recorder.clone()).build().unwrap();
    let html = client.post_note("é\n").await.unwrap();
    assert_eq!(html.text, "<p>é</p>");
    assert_eq!(html.content_type.as_deref(), Some("text/html; charset=utf-8"));
    let request = recorder.only();
    assert_eq!(header(&request, "content-type"), "text/plain");
    assert_eq!(body_text(&request), "é\n");

    let recorder = answering(400, "text/plain", b"empty note");
    let client = Client::builder("http://127.0.0.1:9").transport(recorder.clone()).build().unwrap();
    match client.post_note("").await {
        Err(Error::Api { body, status, .. }) => {
            assert_eq!(status.as_u16(), 400);
            assert_eq!(body.text, "empty note");
        }
        other => panic!("{other:?}"),
    }

    let recorder = answering(418, "text/plain", b"down for maintenance");
    let client = Client::builder("http://127.0.0.1:9").transport(recorder.clone()).build().unwrap();
    match client.export_csv().await {
        Err(Error::Api { body: ExportCsvError::Default(text), .. }) => {
            assert_eq!(text.text, "down for maintenance");
        }
        other => panic!("{other:?}"),
    }
}
"####;
