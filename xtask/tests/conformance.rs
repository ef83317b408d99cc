//! `cargo xtask conformance`: a spec whose types hold their data passes; the same spec with a
//! type swapped for a wrong one (the command's test hook) is reported as a failure naming the
//! schema's pointer and carrying serde's message; skips are listed with their reason.
//!
//! The harness builds in the scratch workspace's usual target directory
//! (`target/conformance/target`), so after the first run only the small harness is compiled.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /pets/{id}/photo:
    put:
      operationId: putPhoto
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      requestBody:
        content:
          image/png:
            schema: {type: string, format: binary}
      responses:
        "204": {description: stored}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, format: int64, readOnly: true}
        name: {type: string}
        born: {type: string, format: date-time}
        tags: {type: array, items: {type: string}}
        kind: {type: string, enum: [cat, dog]}
    Pets:
      type: array
      items: {$ref: '#/components/schemas/Pet'}
"#;

fn conformance(dir: &Path, extra: &[&str]) -> Output {
    let spec = dir.join("pets.yaml");
    std::fs::write(&spec, SPEC).expect("write the spec");
    let target = root().join("target/conformance/target");
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("conformance")
        .arg(&spec)
        .arg("--out")
        .arg(dir.join("workspace"))
        .arg("--target-dir")
        .arg(target)
        .args(extra)
        .current_dir(root())
        .output()
        .expect("xtask runs")
}

#[test]
fn a_wrong_type_is_a_failure_with_the_pointer_and_serdes_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = conformance(dir.path(), &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    // Pet (component, request, response) and Pets: 4 schemas, every instance round-trips.
    assert!(stdout.contains("pets.yaml  "), "{stdout}");
    assert!(stdout.contains(" of 4 schemas: "), "{stdout}");
    assert!(stdout.contains("skipped: /paths/~1pets~1{id}~1photo/put/requestBody: the request body is `image/png`, not JSON"), "{stdout}");
    let line = stdout
        .lines()
        .find(|l| l.contains("pets.yaml"))
        .expect("the spec's line");
    let counts = line.split_once("pets.yaml").expect("the label").1;
    let numbers: Vec<usize> = counts
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    // `N instances of 4 schemas: D decoded, R round-tripped`
    assert!(
        numbers[0] >= 12 && numbers[2] == numbers[0] && numbers[3] == numbers[0],
        "{counts}"
    );

    // The same spec, with Pet decoded into `Vec<String>`: every Pet instance fails, with
    // serde's own message; the other schemas still pass.
    let wrong = dir.path().join("wrong");
    std::fs::create_dir_all(&wrong).expect("dir");
    let output = conformance(
        &wrong,
        &[
            "-v",
            "--override-type",
            "/components/schemas/Pet=Vec<String>",
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAILED /components/schemas/Pet (component schema, as `Vec<String>`)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("does not decode: invalid type: map, expected a sequence at line 1 column"),
        "{stdout}"
    );
    assert!(
        stdout.contains("instance: {\"id\":0,\"name\":\"\"}"),
        "the minimal instance is shown: {stdout}"
    );
    assert!(
        !stdout.contains("FAILED /components/schemas/Pets"),
        "{stdout}"
    );
    assert!(stdout.contains("FAILED (1 of 4 schemas)"), "{stdout}");
}
