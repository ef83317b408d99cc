//! Descriptions split across files (`tests/multifile/<case>/openapi.yaml` and the files it
//! refers to): what is generated, which files are read, and where problems are reported.

use std::path::{Path, PathBuf};
use std::process::Command;

use desk_codegen::{Config, DiagnosticKind, Error, Parts, Rendered};

fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/multifile")
        .join(name)
        .join("openapi.yaml")
}

fn render(name: &str, parts: Parts) -> Result<Rendered, Error> {
    Config::new()
        .spec(case(name))
        .parts(parts)
        .source_label(format!("{name}/openapi.yaml"))
        .render()
}

fn text(rendered: &Rendered) -> String {
    rendered
        .files
        .iter()
        .map(|f| f.contents.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first diagnostic of a render that must fail.
fn first_error(name: &str) -> desk_codegen::Diagnostic {
    match render(name, Parts::ALL) {
        Ok(_) => panic!("{name} must fail"),
        Err(err) => err
            .diagnostics()
            .first()
            .cloned()
            .unwrap_or_else(|| panic!("{name}: no diagnostic in {err}")),
    }
}

fn relative(path: &Path) -> String {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/multifile");
    path.strip_prefix(&base)
        .unwrap_or(path)
        .display()
        .to_string()
        .replace('\\', "/")
}

#[test]
fn files_referring_to_files_become_one_set_of_types() {
    let rendered = render("split", Parts::ALL).unwrap_or_else(|err| panic!("{err}"));
    // The snapshot shows, among the rest: a 3.1 type union in the root used from two other
    // files (`pub enum Id`); whole files and fragments of files named after the file or the
    // fragment (`Person`, `Team`, `Problem`); a cycle across files (Person → Team.json#/Team →
    // Person.yaml); two files with the same stem under distinct names (`Item`, `Item2`); path
    // items from other files, one from a JSON fragment (`get_person`, `list_teams`); a
    // path-level parameter referring back to the root and a response from a third file.
    let mut whole = String::new();
    for file in &rendered.files {
        whole.push_str(&format!("// ---- {}\n", file.path.display()));
        whole.push_str(&file.contents);
    }
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => "desk-codegen output for tests/multifile/split/openapi.yaml",
    }, {
        insta::assert_snapshot!("multifile__split", whole);
    });
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let inputs: Vec<String> = rendered.inputs.iter().map(|p| relative(p)).collect();
    assert_eq!(inputs[0], "split/openapi.yaml", "the root comes first");
    let mut read = inputs.clone();
    read.sort();
    assert_eq!(
        read,
        [
            "split/openapi.yaml",
            "split/paths/person.yaml",
            "split/paths/teams.json",
            "split/responses.yaml",
            "split/schemas/Item.yaml",
            "split/schemas/Person.yaml",
            "split/schemas/Team.json",
            "split/schemas/other/Item.yaml",
        ],
        "every file read, once, for `cargo:rerun-if-changed`"
    );
}

#[test]
fn bundling_is_deterministic() {
    let first = render("split", Parts::ALL).unwrap_or_else(|err| panic!("{err}"));
    let second = render("split", Parts::ALL).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(text(&first), text(&second));
    assert_eq!(first.inputs, second.inputs);
}

#[test]
fn a_missing_file_is_reported_in_the_file_that_refers_to_it() {
    let diagnostic = first_error("missing");
    assert_eq!(diagnostic.kind, DiagnosticKind::UnresolvedRef);
    assert_eq!(relative(&diagnostic.file), "missing/schemas/Present.yaml");
    assert_eq!(
        diagnostic.pointer.as_deref(),
        Some("/properties/customer/$ref")
    );
    assert_eq!(
        diagnostic.position.map(|p| (p.line, p.column)),
        Some((5, 5))
    );
    assert!(
        diagnostic.message.contains("schemas/Absent.yaml"),
        "names the missing path: {diagnostic}"
    );
    assert!(diagnostic.help.is_some());
}

#[test]
fn a_remote_reference_is_refused() {
    let diagnostic = first_error("remote");
    assert_eq!(diagnostic.kind, DiagnosticKind::UnsupportedRef);
    assert_eq!(relative(&diagnostic.file), "remote/openapi.yaml");
    assert_eq!(
        diagnostic.pointer.as_deref(),
        Some("/components/schemas/Pet/properties/owner/$ref")
    );
    assert_eq!(diagnostic.position.map(|p| p.line), Some(10));
    assert!(
        diagnostic
            .message
            .contains("https://example.com/schemas/Owner.yaml"),
        "{diagnostic}"
    );
    assert!(diagnostic.message.contains("no network"), "{diagnostic}");
}

#[test]
fn an_invalid_node_in_another_file_is_reported_there() {
    let diagnostic = first_error("bad_node");
    assert_eq!(diagnostic.kind, DiagnosticKind::InvalidDocument);
    assert_eq!(relative(&diagnostic.file), "bad_node/schemas/Widget.yaml");
    assert_eq!(
        diagnostic.pointer.as_deref(),
        Some("/properties/name/maxLength")
    );
    assert_eq!(diagnostic.position.map(|p| p.line), Some(5));
    let shown = diagnostic.to_string();
    assert!(shown.contains("Widget.yaml:5:"), "{shown}");
}

#[test]
fn a_lowering_error_in_an_inlined_path_item_is_reported_in_its_file() {
    let diagnostic = first_error("lowering_error");
    assert_eq!(diagnostic.kind, DiagnosticKind::UnsupportedOperation);
    assert_eq!(
        relative(&diagnostic.file),
        "lowering_error/paths/things.yaml"
    );
    assert_eq!(diagnostic.pointer.as_deref(), Some("/get"));
    assert_eq!(diagnostic.position.map(|p| p.line), Some(2));
}

#[test]
fn a_swagger2_description_split_over_files_becomes_one_set_of_types() {
    let rendered = render("swagger2_split", Parts::ALL).unwrap_or_else(|err| panic!("{err}"));
    // Parameters, a body parameter, definitions, a response and a path item from other files
    // (which refer to further files, and back to the root), as in petstore-separate.
    let mut whole = String::new();
    for file in &rendered.files {
        whole.push_str(&format!("// ---- {}\n", file.path.display()));
        whole.push_str(&file.contents);
    }
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => "desk-codegen output for tests/multifile/swagger2_split/openapi.yaml",
    }, {
        insta::assert_snapshot!("multifile__swagger2_split", whole);
    });
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let mut read: Vec<String> = rendered.inputs.iter().map(|p| relative(p)).collect();
    read.sort();
    assert_eq!(
        read,
        [
            "swagger2_split/common/Error.yaml",
            "swagger2_split/definitions/NewPet.yaml",
            "swagger2_split/definitions/Pet.yaml",
            "swagger2_split/openapi.yaml",
            "swagger2_split/parameters.yaml",
            "swagger2_split/paths/pet.yaml",
            "swagger2_split/responses.yaml",
        ]
    );
}

#[test]
fn an_error_in_a_file_a_swagger2_description_refers_to_is_reported_there() {
    let diagnostic = first_error("swagger2_error");
    assert_eq!(diagnostic.kind, DiagnosticKind::UnsupportedSchema);
    assert_eq!(relative(&diagnostic.file), "swagger2_error/Loop.yaml");
    assert_eq!(diagnostic.pointer.as_deref(), Some("/allOf/0"));
    let position = diagnostic.position.expect("a position");
    assert_eq!((position.line, position.column), (3, 9));
}

#[test]
fn a_swagger2_diagnostic_names_the_file_line_column_and_pointer_written() {
    // A body parameter's schema (3.0: the request body's) after a parameter that is no
    // longer at the same index (3.0 moves the body out of `parameters`), and a property of a
    // definition (3.0: a component schema), each reported where the 2.0 text has it.
    let spec = "swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /a:
    post:
      parameters:
        - name: b
          in: body
          schema:
            $ref: '#/definitions/Missing'
        - {name: q, in: query, type: array, items: {type: integer}, collectionFormat: tsv}
      responses:
        200: {description: ok}
definitions:
  Thing:
    properties:
      other: {$ref: '#/definitions/Gone'}
";
    let Err(err) = Config::new().render_str("old.yaml", spec) else {
        panic!("a missing definition must fail")
    };
    // Each diagnostic as (file, pointer, (line, column)).
    type Shown = (String, Option<String>, Option<(usize, usize)>);
    let shown: Vec<Shown> = err
        .diagnostics()
        .iter()
        .map(|d| {
            (
                d.file.display().to_string(),
                d.pointer.clone(),
                d.position.map(|p| (p.line, p.column)),
            )
        })
        .collect();
    assert!(
        shown.contains(&(
            "old.yaml".to_owned(),
            Some("/paths/~1a/post/parameters/0/schema/$ref".to_owned()),
            Some((10, 13)),
        )),
        "{shown:?}"
    );
    assert!(
        shown.contains(&(
            "old.yaml".to_owned(),
            Some("/definitions/Thing/properties/other/$ref".to_owned()),
            Some((17, 15)),
        )),
        "{shown:?}"
    );
    // Messages name the references as written.
    let messages: Vec<String> = err.diagnostics().iter().map(ToString::to_string).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`$ref: #/definitions/Missing`")),
        "{messages:?}"
    );
    assert!(
        messages.iter().all(|m| !m.contains("components")),
        "{messages:?}"
    );
}

#[test]
fn a_path_item_that_refers_to_itself_is_an_error() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: '#/paths/~1b'\n  /b:\n    $ref: '#/paths/~1a'\n";
    let Err(err) = Config::new().render_str("loop.yaml", spec) else {
        panic!("a path item cycle must fail")
    };
    let diagnostic = &err.diagnostics()[0];
    assert_eq!(diagnostic.kind, DiagnosticKind::UnresolvedRef);
    assert_eq!(diagnostic.pointer.as_deref(), Some("/paths/~1a/$ref"));
    assert_eq!(diagnostic.position.map(|p| p.line), Some(5));
}

/// The models of `split` in a scratch crate whose program decodes and re-encodes instances:
/// the 3.1 union takes both a string and an integer, and the cross-file types round-trip.
#[test]
fn the_split_models_hold_their_data() {
    let rendered = render("split", Parts::MODELS).unwrap_or_else(|err| panic!("{err}"));
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("multifile-decode");
    let api = root.join("src/api");
    std::fs::create_dir_all(&api).expect("create the scratch crate");
    for file in &rendered.files {
        std::fs::write(api.join(&file.path), &file.contents).expect("write a generated file");
    }
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"multifile-decode\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n[profile.dev]\ndebug = false\n\n[dependencies]\n\
         serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n\
         chrono = { version = \"0.4\", default-features = false, features = [\"std\", \"serde\", \"clock\"] }\n",
    )
    .expect("write Cargo.toml");
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root");
    if !root.join("Cargo.lock").exists() {
        std::fs::copy(workspace.join("Cargo.lock"), root.join("Cargo.lock"))
            .expect("copy Cargo.lock");
    }
    std::fs::write(
        root.join("src/main.rs"),
        r##"mod api;
use api::models::{Id, Person};

fn round_trip(json: &str) -> Person {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    let person: Person = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(serde_json::to_value(&person).unwrap(), value, "re-encodes unchanged");
    person
}

fn main() {
    let by_name = round_trip(r#"{"id": "p-1", "name": "Ann"}"#);
    assert_eq!(by_name.id, Id::String("p-1".into()));
    let by_number = round_trip(
        r#"{"id": 7, "name": "Bo", "team": {"name": "T", "members": [{"id": "p-2", "name": "Cy"}]},
            "other_item": {"label": "x", "next": {"sku": "s"}}}"#,
    );
    assert_eq!(by_number.id, Id::Integer(7));
    assert_eq!(by_number.team.unwrap().members.unwrap()[0].id, Id::String("p-2".into()));
    assert!(serde_json::from_str::<Person>(r#"{"id": true, "name": "Di"}"#).is_err());
    println!("decoded");
}
"##,
    )
    .expect("write main.rs");
    let cargo = env!("CARGO");
    let run = |offline: bool| {
        let mut command = Command::new(cargo);
        command.current_dir(&root).args(["run", "--quiet"]);
        if offline {
            command.arg("--offline");
        }
        command
            .arg("--target-dir")
            .arg(root.join("target"))
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("RUSTFLAGS")
            .output()
            .expect("run cargo")
    };
    let mut output = run(true);
    if !output.status.success() && String::from_utf8_lossy(&output.stderr).contains("offline") {
        output = run(false);
    }
    assert!(
        output.status.success() && String::from_utf8_lossy(&output.stdout).contains("decoded"),
        "the scratch program failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
            .lines()
            .take(60)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// A file reached by two spellings of its path (`../split/schemas/Item.yaml` and
/// `schemas/Item.yaml`) is read once and gives one type.
#[test]
fn one_file_by_two_paths_is_one_file() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("api");
    std::fs::create_dir_all(root.join("schemas")).expect("create folders");
    std::fs::write(
        root.join("schemas/Item.yaml"),
        "type: object\nproperties:\n  sku: {type: string}\n",
    )
    .expect("write Item");
    std::fs::write(
        root.join("openapi.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Order:\n      type: object\n      properties:\n        \
         a: {$ref: schemas/Item.yaml}\n        b: {$ref: ../api/schemas/Item.yaml}\n        c: {$ref: '../api/openapi.yaml#/components/schemas/Order'}\n",
    )
    .expect("write the root");
    let rendered = Config::new()
        .spec(root.join("openapi.yaml"))
        .parts(Parts::MODELS)
        .render()
        .unwrap_or_else(|err| panic!("{err}"));
    let code = text(&rendered);
    assert!(
        code.contains("pub a: Option<Item>,") && code.contains("pub b: Option<Item>,"),
        "{code}"
    );
    assert!(code.contains("pub c: Option<Box<Order>>,"), "{code}");
    assert!(
        !code.contains("Item2") && !code.contains("Order2"),
        "{code}"
    );
    assert_eq!(rendered.inputs.len(), 2, "{:?}", rendered.inputs);
}
