//! Bad and strange specs, one small file each under `tests/strange/`, and what the generator
//! must do with each: generate code that compiles without warnings (clippy included), or fail
//! with the listed kind of error at the listed place.
//!
//! The generated cases are written as modules of one scratch crate and checked with one
//! `cargo clippy -- -D warnings`, so the test pays for the dependencies once. What they
//! generate is pinned by the snapshots in `snapshots.rs` (`tests/snapshots/strange__*.snap`).
//! What some of them do (the composition cases decode sample bodies, the body cases' clients
//! send what they should) is tested by the workspace crate in `tests/strange_usage/`, which
//! generates them from its build script.

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
    // The mock module's case: every parameter kind, body and response; its mock is a snapshot.
    (
        "every_parameter_kind.yaml",
        Generates { warns: &["/paths/~1shops~1{shop}~1items~1{item}.{format}/get/parameters/14"] },
    ),
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
    // Every kind of type users build or match; `snapshots.rs` also pins its stable API, and
    // `strange_usage/tests/stable_api.rs` builds it from another crate.
    ("stable_api.yaml", GENERATES),
    // Pagination, one style a case (see `lower/pagination.rs` for the rules).
    ("paged_under_path_param.yaml", GENERATES),
    ("paged_page_number.yaml", GENERATES),
    ("paged_offset.yaml", GENERATES),
    ("paged_token.yaml", GENERATES),
    ("paged_last_item.yaml", GENERATES),
    ("paged_next_link.yaml", GENERATES),
    ("paged_link_header.yaml", GENERATES),
    // An `x-ms-pageable` whose `nextLinkName` the body does not have: a warning, no page methods.
    (
        "paged_ms_pageable.yaml",
        Generates { warns: &["/paths/~1providers~1Microsoft.Web~1kinds/get/x-ms-pageable"] },
    ),
    ("paged_dropshot.yaml", GENERATES),
    ("paged_speakeasy.yaml", GENERATES),
    ("paged_desk_hint.yaml", GENERATES),
    // A hint naming a parameter the operation does not have: an error at the hint's key.
    ("paged_bad_hint.yaml", fails(K::InvalidDocument, "/paths/~1things/get/x-desk-pagination/param", 21)),
    ("paged_not_lists.yaml", GENERATES),
    // Setters named after `clone`, `default`, `into` and `fmt` would shadow the trait methods
    // (code calling `params.clone()` would not compile).
    ("paged_params_named_like_trait_methods.yaml", GENERATES),
    // A page parameter of `integer` without a format (`i64`): no conversion clippy rejects.
    ("paged_page_i64.yaml", GENERATES),
    // Swagger 2.0, upgraded by the load stage; diagnostics point into the 2.0 text.
    ("swagger2.yaml", GENERATES),
    (
        "swagger2_form_upload.yaml",
        // A file parameter makes a multipart body, which the document's `consumes` does not list.
        Generates { warns: &["/paths/~1files~1stream/post/parameters/0"] },
    ),
    ("swagger2_collection_formats.yaml", GENERATES),
    ("swagger2_discriminator.yaml", GENERATES),
    ("swagger2_global_parameters.yaml", GENERATES),
    ("swagger2_file_response.yaml", GENERATES),
    ("swagger2_security.yaml", GENERATES),
    ("swagger2_nullable.yaml", GENERATES),
    // Pagination rules see the upgraded document: `x-ms-pageable`, offset and limit.
    ("swagger2_pageable.yaml", GENERATES),
    (
        "swagger2_tolerated.yaml",
        Generates {
            warns: &[
                "/definitions/Thing/properties/name/required",
                "/definitions/Thing/properties/pair/items",
                "/paths/~1things/get/parameters/0/collectionFormat",
                "/paths/~1things/get/parameters/1/collectionFormat",
                "/paths/~1things/get/parameters/2/schema",
                "/paths/~1things/get/parameters/3/type",
                "/paths/~1things/get/schemes",
                "/paths/~1things/get/responses/200/examples/text~1html",
            ],
        },
    ),
    ("swagger2_bad_ref.yaml", fails(K::UnresolvedRef, "/paths/~1pets/post/parameters/0/schema/$ref", 13)),
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
/// serde, serde_json and chrono; returns its root, with `src/` emptied. Its feature `mock`, which
/// the generated mock modules are behind, is on by default.
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
             [workspace]\n\n[profile.dev]\ndebug = false\n\n\
             [features]\ndefault = [\"mock\"]\nmock = []\n\n[dependencies]\n\
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

/// Writes the rendered files of `file` as module `src/{folder}/{module}/` of the scratch crate at
/// `root` (a stable API when `stable`).
fn write_module(root: &Path, folder: &str, file: &str, parts: Parts, stable: bool) -> String {
    let mut config = Config::new();
    config
        .spec(case_dir().join(file))
        .parts(parts)
        .mock_feature("mock")
        .stable_api(stable)
        .source_label(file);
    let rendered = config
        .render()
        .unwrap_or_else(|err| panic!("{file} must generate:\n{err}"));
    let module = module_name(file);
    let dir = root.join("src").join(folder).join(&module);
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

/// Writes every generating case as a module of one crate, its mock module included, twice: an
/// exhaustive API (`exhaustive::case`) and a stable one (`stable::case`, `Config::stable_api`);
/// and runs clippy on it once.
#[test]
fn generated_cases_compile_without_warnings() {
    // `link`: the reference ring's links.
    let root = scratch_crate(
        "strange-specs",
        "features = [\"client\", \"mock\", \"link\"]",
    );
    let mut lib = String::from("//! Every generating case of tests/strange, one module each.\n\n");
    for (folder, stable) in [("exhaustive", false), ("stable", true)] {
        let mut modules = String::new();
        for (file, expect) in CASES {
            if !matches!(expect, Generates { .. }) {
                continue;
            }
            let module = write_module(&root, folder, file, Parts::ALL, stable);
            modules.push_str(&format!("pub mod {module};\n"));
        }
        std::fs::write(root.join("src").join(format!("{folder}.rs")), modules)
            .expect("write a folder's module");
        lib.push_str(&format!("pub mod {folder};\n"));
    }
    std::fs::write(root.join("src/lib.rs"), lib).expect("write lib.rs");
    run_cargo(
        &root,
        &["clippy", "--", "-D", "warnings"],
        "the generated cases do not compile without warnings",
    );
}
