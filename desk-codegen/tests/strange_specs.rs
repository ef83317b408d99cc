//! Bad and strange specs, one small file each under `tests/strange/`, and what the generator
//! must do with each: generate code that compiles without warnings (clippy included), or fail
//! with the listed kind of error at the listed place.
//!
//! The generated cases are written as modules of one scratch crate and checked with one
//! `cargo clippy -- -D warnings`, so the test pays for the dependencies once.

use std::path::{Path, PathBuf};
use std::process::Command;

use desk_codegen::{Config, DiagnosticKind, Error, Parts, Severity};

/// What a case must do.
enum Expect {
    /// Generates; the output contains every snippet, and there is one warning at each pointer.
    Generates { contains: &'static [&'static str], warns: &'static [&'static str] },
    /// Fails with an error of this kind at this JSON pointer (`None`: none given) and line.
    Fails { kind: DiagnosticKind, pointer: Option<&'static str>, line: Option<usize> },
}

use DiagnosticKind as K;
use Expect::{Fails, Generates};

const fn generates(contains: &'static [&'static str]) -> Expect {
    Generates { contains, warns: &[] }
}

const fn fails(kind: DiagnosticKind, pointer: &'static str, line: usize) -> Expect {
    Fails { kind, pointer: Some(pointer), line: Some(line) }
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
    ("openapi31_several_types.yaml", fails(K::UnsupportedVersion, "/components/schemas/Id/properties/value/type", 9)),
    // References.
    ("missing_ref.yaml", fails(K::UnresolvedRef, "/components/schemas/Pet/properties/owner/$ref", 11)),
    (
        "ref_wrong_case.yaml",
        fails(K::UnresolvedRef, "/paths/~1pets/get/responses/200/content/application~1json/schema/items/$ref", 13),
    ),
    ("ref_to_parameter.yaml", fails(K::UnsupportedRef, "/components/schemas/Page/properties/limit/$ref", 12)),
    ("external_ref.yaml", fails(K::UnsupportedRef, "/components/schemas/Order/properties/customer/$ref", 11)),
    ("allof_cycle.yaml", fails(K::UnsupportedSchema, "/components/schemas/B/allOf/0", 12)),
    // Operations.
    ("missing_path_param.yaml", fails(K::UnsupportedOperation, "/paths/~1things~1{thingId}/get", 5)),
    // OpenAPI 3.1 where it maps onto 3.0.
    (
        "openapi31.yaml",
        generates(&[
            "pub title: Option<String>",
            "pub body: Option<String>",
            "pub parent: Option<Box<Note>>",
            "pub kind: NoteKind",
            "pub rank: Option<i64>",
            "pub nothing: Option<::serde_json::Value>",
        ]),
    ),
    // Types.
    (
        "recursive.yaml",
        generates(&[
            "pub parent: Option<Box<Tree>>",
            "pub children: Option<Vec<Tree>>",
            "pub index: Option<::std::collections::BTreeMap<String, Tree>>",
            "pub ping: Box<Ping>",
            "pub pong: Option<Pong>",
            "Sum(Sum)",
            "pub left: Box<Expr>",
            "pub right: Box<Expr>",
        ]),
    ),
    (
        "alias_cycle.yaml",
        Generates {
            contains: &["pub type Nested = Vec<::serde_json::Value>;", "pub type Loop = ::serde_json::Value;"],
            warns: &["/components/schemas/Nested", "/components/schemas/Loop", "/components/schemas/Right"],
        },
    ),
    (
        "discriminated_oneof.yaml",
        Generates {
            contains: &[
                r#".get("petType")"#,
                r#"Some("cat") =>"#,
                r#"Some("dog") =>"#,
                r#"Some("Lizard") =>"#,
                "Unknown(::serde_json::Value)",
                "pub enum PetCreate",
            ],
            warns: &["/components/schemas/Shape/discriminator"],
        },
    ),
    (
        "untagged_anyof.yaml",
        generates(&[
            "#[serde(untagged)]",
            "String(String)",
            "Integer(i64)",
            "Number(f64)",
            "Bool(bool)",
            "Array(Vec<String>)",
            "NamedVariant(ValueTypeNamedVariant)",
            "Other(Other)",
            "pub single: Option<Other>",
        ]),
    ),
    (
        "allof_merge.yaml",
        Generates {
            contains: &[
                "pub struct Employee {",
                "pub created: ::chrono::DateTime<::chrono::FixedOffset>,",
                "pub nickname: Option<String>,",
                "pub team: Option<String>,",
                "overrides the Person field",
                "pub salary: Option<f32>",
                "pub boss: Option<Employee>",
                "pub struct EmployeeCreate",
            ],
            warns: &["/components/schemas/NotAnObject/allOf/1"],
        },
    ),
    (
        "additional_properties.yaml",
        generates(&[
            "pub type Labels = ::std::collections::BTreeMap<String, String>;",
            "pub type Counts = ::std::collections::BTreeMap<String, i32>;",
            "pub type ByName = ::std::collections::BTreeMap<String, Item>;",
            "#[serde(flatten)]",
            "pub additional_properties: ::std::collections::BTreeMap<String, f64>,",
            "pub type FreeForm = ::serde_json::Map<String, ::serde_json::Value>;",
            "pub type Anything = ::serde_json::Value;",
            "pub type NestedMaps = ::std::collections::BTreeMap<\n    String,\n    ::std::collections::BTreeMap<String, Vec<String>>,\n>;",
            "pub struct InlineValuesValue",
        ]),
    ),
    (
        "integer_enums.yaml",
        Generates {
            contains: &[
                "pub enum Level {",
                "Minus1,",
                "V100,",
                "Other(i64),",
                "pub i8: Option<i8>",
                "pub u64: Option<u64>",
                "pub unknown: Option<i64>",
                "pub f: Option<f32>",
                "pub n: Option<f64>",
                "pub levels: Option<Vec<Level>>",
                "pub enum NullableLevel {",
            ],
            warns: &["/components/schemas/Numbers/properties/mixed/enum"],
        },
    ),
    (
        "defaults.yaml",
        generates(&[
            "/// Default: `true`.",
            "/// Default: `3`.",
            "/// Default: `\"a 'quoted' default\"`.",
            "/// Default: `[\"a\",\"b\"]`.",
        ]),
    ),
    (
        "nested_inline.yaml",
        generates(&[
            "pub struct CreateOrderRequest {",
            "pub struct CreateOrderRequestLinesItem {",
            "pub struct CreateOrderRequestLinesItemOptionsItem {",
            "pub enum CreateOrderRequestLinesItemOptionsItemKind {",
            "pub enum CreateOrderRequestLinesItemOptionsItemValue {",
            "pub struct CreateOrderRequestAddressGeo {",
            "pub enum CreateOrderCreatedResponseStatus {",
            "pub struct PatchOrdersRequestPatch {",
        ]),
    ),
    (
        "odd_schemas.yaml",
        Generates {
            contains: &[
                "pub type Not = ::serde_json::Value;",
                "pub type UnknownType = ::serde_json::Value;",
                "pub type EmptyObject = ::serde_json::Map<String, ::serde_json::Value>;",
                "pub type ArrayWithoutItems = Vec<::serde_json::Value>;",
                "pub type AliasOfAlias = Alias;",
                "```text",
            ],
            warns: &["/components/schemas/Not", "/components/schemas/UnknownType/type"],
        },
    ),
    // Names.
    (
        "keyword_names.yaml",
        generates(&[
            "pub type_: String,",
            "pub self_: String,",
            "pub self_2: Option<String>,",
            "pub crate_: Option<String>,",
            "pub super_: Option<i64>,",
            "pub async_: Option<bool>,",
            "pub match_: Option<FnTypeMatch>,",
            "pub empty: Option<String>,",
            "pub additional_properties2: Option<String>,",
            "pub struct FnType",
            "pub async fn match_(",
        ]),
    ),
    (
        "non_ascii.yaml",
        generates(&["pub struct CafU00e9 {", "pub na_u00ef_ve: Option<String>,", "rename = \"日本語\"", "pub async fn obtenir_caf_u00e9("]),
    ),
    (
        "digit_names.yaml",
        generates(&["pub struct T2faMethod {", "pub _1st: Option<String>,", "pub struct T404 {", "V1,", "pub async fn _2fa_enable("]),
    ),
    (
        "colliding_names.yaml",
        generates(&[
            "pub foo_bar: Option<String>,",
            "pub foo_bar2: Option<String>,",
            "pub foo_bar3: Option<i64>,",
            "pub foo_bar4: Option<bool>,",
            "pub struct MyType {",
            "pub struct MyType2 {",
            "pub type MyType3 = String;",
            "pub struct ListThingsParams {",
            "pub struct ListThings2Params {",
            "pub page_size2: Option<i64>,",
        ]),
    ),
    (
        "reserved_types.yaml",
        generates(&[
            "pub struct OptionType {",
            "pub struct ResultType {",
            "pub struct BoxType {",
            "pub struct ErrorType {",
            "pub type VecType = Vec<StringType>;",
            "pub struct ClientType {",
            "pub struct ClientBuilderType {",
            "pub struct PatchType {",
            "pub struct ValueType {",
            "pub struct SelfType {",
        ]),
    ),
    (
        "duplicate_operation_ids.yaml",
        Generates {
            contains: &[
                "pub async fn get_thing(",
                "pub async fn get_thing2(",
                "pub async fn get_thing3(",
                "pub async fn new2(",
                "pub async fn builder2(",
                "pub async fn with_timeout2(",
            ],
            // Every renamed method is a warning at the renamed operation.
            warns: &["/paths/~1b/get", "/paths/~1c/get", "/paths/~1d/get", "/paths/~1e/get", "/paths/~1f/get"],
        },
    ),
    (
        "path_characters.yaml",
        Generates {
            contains: &["\"/things/{}\\\"\"", "\"/tags/{}#tagKeys\"", "pub async fn fine("],
            warns: &["/paths/~1things~1{id}\"", "/paths/~1tags~1{arn}#tagKeys"],
        },
    ),
    (
        "no_operation_id.yaml",
        generates(&[
            "pub async fn get(",
            "pub async fn get_items_id_json(",
            "pub async fn delete_items_id_json(",
            "pub async fn put_items_id_sub_items_sub_id(",
            "pub struct GetItemsIdJsonOkResponse",
        ]),
    ),
    // Operations.
    (
        "header_params.yaml",
        Generates {
            contains: &["pub x_request_id: String,", "pub if_none_match: Option<String>,", "pub ids: Option<Vec<i64>>,", "pub sort: GetRepoSort,"],
            warns: &["/paths/~1orgs~1{org}~1repos~1{repo}/get/parameters/7"],
        },
    ),
    ("multiple_media_types.yaml", generates(&["pub async fn upload(", "body: Vec<u8>", "body: Option<DocCreate>"])),
    ("responses_without_bodies.yaml", generates(&["200..=299 => Ok(())", "pub async fn delete_a(", "pub async fn get_b(", "pub async fn head_f(", "pub enum HeadFResponse"])),
    ("server_variables.yaml", generates(&["pub fn for_server_0() -> ClientBuilder", "pub fn for_host_scheme(host: &str, scheme: &str)"])),
    ("empty.yaml", generates(&["pub struct Client {"])),
    // A wrapper whose one field is `value`: `From<Inner>` must not write `value: value`.
    ("wrapper_named_value.yaml", generates(&["Self { value }", "impl From<SettingCreate> for SettingBodyCreate"])),
];

fn case_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/strange")
}

fn render(file: &str) -> Result<desk_codegen::Rendered, Error> {
    let mut config = Config::new();
    config.spec(case_dir().join(file)).parts(Parts::ALL).source_label(file);
    config.render()
}

fn module_name(file: &str) -> String {
    file.split('.').next().unwrap_or(file).replace('-', "_")
}

#[test]
fn every_file_is_listed_once() {
    let mut files: Vec<String> = std::fs::read_dir(case_dir())
        .expect("tests/strange exists")
        .map(|e| e.expect("a readable entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut listed: Vec<String> = CASES.iter().map(|(f, _)| (*f).to_owned()).collect();
    listed.sort();
    assert_eq!(files, listed, "tests/strange and CASES must name the same files");
    assert!(CASES.len() >= 25);
}

#[test]
fn renamed_operations_and_odd_paths_say_where_and_why() {
    let rendered = render("duplicate_operation_ids.yaml").expect("generates");
    let shown: Vec<String> = rendered.warnings.iter().map(ToString::to_string).collect();
    // A repeated operationId names both operations; the line is the second one's.
    let repeated = &shown[0];
    assert!(repeated.contains("operationId `getThing` is also the operationId of the operation at `/paths/~1a/get`"), "{repeated}");
    assert!(repeated.contains("named `get_thing2`") && repeated.contains("duplicate_operation_ids.yaml:10:"), "{repeated}");
    assert!(shown[1].contains("`get_thing` and `getThing` (the operation at `/paths/~1a/get`)"), "{}", shown[1]);
    assert!(shown[2].contains("operationId `new` is the name of one of the client's own methods"), "{}", shown[2]);

    let rendered = render("path_characters.yaml").expect("generates");
    let shown: Vec<String> = rendered.warnings.iter().map(ToString::to_string).collect();
    assert!(shown[0].contains("path `/things/{id}\"` contains '\"'") && shown[0].contains("path_characters.yaml:6:"), "{}", shown[0]);
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
            (Generates { contains, warns }, Ok(rendered)) => {
                let text: String = rendered.files.iter().map(|f| f.contents.as_str()).collect::<Vec<_>>().join("\n");
                for snippet in *contains {
                    if !text.contains(snippet) {
                        problems.push(format!("{file}: the output lacks `{snippet}`"));
                    }
                }
                let pointers: Vec<&str> = rendered.warnings.iter().filter_map(|w| w.pointer.as_deref()).collect();
                if pointers.len() != warns.len() || warns.iter().any(|w| !pointers.contains(w)) {
                    problems.push(format!("{file}: expected warnings at {warns:?}, got {pointers:?}"));
                }
                for warning in &rendered.warnings {
                    if warning.severity != Severity::Warning || warning.help.is_none() || warning.position.is_none() {
                        problems.push(format!("{file}: a warning without severity, help or position: {warning}"));
                    }
                }
            }
            (Generates { .. }, Err(err)) => problems.push(format!("{file}: expected code, got\n{err}")),
            (Fails { .. }, Ok(_)) => problems.push(format!("{file}: expected an error, but it generated")),
            (Fails { kind, pointer, line }, Err(err)) => {
                let Some(first) = err.diagnostics().first() else {
                    problems.push(format!("{file}: expected a diagnostic, got {err}"));
                    continue;
                };
                let got_line = first.position.map(|p| p.line);
                if first.kind != *kind || first.pointer.as_deref() != *pointer || got_line != *line {
                    problems.push(format!(
                        "{file}: expected {kind:?} at {pointer:?} line {line:?}, got {:?} at {:?} line {got_line:?}:\n{first}",
                        first.kind, first.pointer
                    ));
                }
                let shown = first.to_string();
                if !shown.contains(file) || first.help.is_none() || first.severity != Severity::Error {
                    problems.push(format!("{file}: the error must name the file and say what to do:\n{shown}"));
                }
                if let Some(line) = line {
                    if !shown.contains(&format!("{file}:{line}:")) {
                        problems.push(format!("{file}: the error must show `file:line:column`:\n{shown}"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n\n{}", problems.len(), problems.join("\n\n"));
}

/// Writes every generating case as a module of one crate and runs clippy on it once.
#[test]
fn generated_cases_compile_without_warnings() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("strange-specs");
    let src = root.join("src");
    if src.exists() {
        std::fs::remove_dir_all(&src).expect("remove the old sources");
    }
    std::fs::create_dir_all(&src).expect("create the scratch crate");
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root");
    let runtime = workspace.join("desk-runtime");
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[package]\nname = \"strange-specs\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [workspace]\n\n[profile.dev]\ndebug = false\n\n[dependencies]\n\
             desk-runtime = {{ path = {:?}, features = [\"client\"] }}\n\
             serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\
             chrono = {{ version = \"0.4\", default-features = false, features = [\"std\", \"serde\", \"clock\"] }}\n",
            runtime.display().to_string()
        ),
    )
    .expect("write Cargo.toml");
    if !root.join("Cargo.lock").exists() {
        std::fs::copy(workspace.join("Cargo.lock"), root.join("Cargo.lock")).expect("copy Cargo.lock");
    }
    let mut lib = String::from("//! Every generating case of tests/strange, one module each.\n\n");
    for (file, expect) in CASES {
        if !matches!(expect, Generates { .. }) {
            continue;
        }
        let rendered = render(file).unwrap_or_else(|err| panic!("{file} must generate:\n{err}"));
        let module = module_name(file);
        let dir = src.join(&module);
        std::fs::create_dir_all(&dir).expect("create a module folder");
        for generated in &rendered.files {
            std::fs::write(dir.join(&generated.path), &generated.contents).expect("write a generated file");
        }
        lib.push_str(&format!("pub mod {module};\n"));
    }
    std::fs::write(src.join("lib.rs"), lib).expect("write lib.rs");

    let cargo = env!("CARGO");
    let run = |offline: bool| {
        let mut command = Command::new(cargo);
        command.current_dir(&root).arg("clippy");
        if offline {
            command.arg("--offline");
        }
        command
            .args(["--quiet", "--message-format", "short", "--target-dir"])
            .arg(root.join("target"))
            .args(["--", "-D", "warnings"])
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("RUSTFLAGS")
            .output()
            .expect("run cargo clippy")
    };
    let mut output = run(true);
    if !output.status.success() && String::from_utf8_lossy(&output.stderr).contains("offline") {
        output = run(false);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the generated cases do not compile without warnings:\n{}",
        stderr.lines().take(80).collect::<Vec<_>>().join("\n")
    );
}
