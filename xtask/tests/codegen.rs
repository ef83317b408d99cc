//! `cargo xtask codegen`: freshness of the checked-in output, `--check`, and bad input that
//! must be reported with file, pointer and line while leaving existing files untouched.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("xtask runs")
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("readable dir")
        .map(|entry| {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("readable file");
            (path, bytes)
        })
        .collect()
}

/// A folder holding a copy of the checked-in generated files.
fn copy_of_generated() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, bytes) in snapshot(&root().join("desk-generated/src/generated")) {
        std::fs::write(dir.path().join(path.file_name().expect("file name")), bytes).expect("copy");
    }
    dir
}

#[test]
fn checked_in_output_is_fresh() {
    let output = xtask(&["codegen", "--check"]);
    assert!(
        output.status.success(),
        "desk-generated/src/generated is stale: run `cargo xtask codegen` and commit.\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn check_names_stale_files_and_writes_nothing() {
    let dir = copy_of_generated();
    let models = dir.path().join("models.rs");
    std::fs::write(&models, "// edited by hand\n").expect("edit");
    std::fs::remove_file(dir.path().join("client.rs")).expect("remove");
    let before = snapshot(dir.path());

    let out = dir.path().to_str().expect("utf-8 path");
    let output = xtask(&[
        "codegen",
        "--check",
        "--spec",
        "spec/conversations.yaml",
        "--out",
        out,
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("models.rs"), "{stderr}");
    assert!(stderr.contains("client.rs"), "{stderr}");
    assert!(
        !stderr.contains("requests.rs"),
        "an up-to-date file is not stale: {stderr}"
    );
    assert_eq!(snapshot(dir.path()), before, "--check must not write");

    // Without --check the same command repairs the folder.
    let output = xtask(&["codegen", "--spec", "spec/conversations.yaml", "--out", out]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The four files the command writes (with `--spec` and `--out` no module is behind a
    // feature, so there is no mock module), and the copied `mock.rs`, which it leaves alone.
    assert_eq!(snapshot(dir.path()).len(), 5);
    let models = std::fs::read_to_string(models).expect("models");
    assert!(models.starts_with("// @generated"));
}

/// Runs codegen on `spec_text` into a folder of existing generated files and returns stderr,
/// after asserting failure and that no file changed.
fn fails_without_writing(file_name: &str, spec_text: &str) -> String {
    let dir = copy_of_generated();
    let spec_dir = tempfile::tempdir().expect("temp dir");
    let spec = spec_dir.path().join(file_name);
    std::fs::write(&spec, spec_text).expect("write spec");
    let before = snapshot(dir.path());
    let output = xtask(&[
        "codegen",
        "--spec",
        spec.to_str().expect("utf-8"),
        "--out",
        dir.path().to_str().expect("utf-8"),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(
        snapshot(dir.path()),
        before,
        "a failed generation must leave files byte-for-byte as they were"
    );
    assert!(
        stderr.contains(spec.to_str().expect("utf-8")),
        "names the spec file: {stderr}"
    );
    assert!(stderr.contains("no file was written"), "{stderr}");
    stderr
}

#[test]
fn invalid_yaml_is_reported_with_its_line() {
    let spec =
        "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get: [unclosed\n";
    let stderr = fails_without_writing("broken.yaml", spec);
    assert!(stderr.contains("invalid YAML"), "{stderr}");
    assert!(
        stderr.contains("broken.yaml:8:") || stderr.contains("broken.yaml:7:"),
        "line and column: {stderr}"
    );
}

#[test]
fn missing_ref_is_reported_with_pointer_and_line() {
    let spec = "\
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Conversation:
      type: object
      properties:
        contact:
          $ref: '#/components/schemas/CustomerContakt'
    CustomerContact:
      type: object
";
    let stderr = fails_without_writing("missing-ref.yaml", spec);
    assert!(
        stderr.contains("/components/schemas/Conversation/properties/contact/$ref"),
        "pointer: {stderr}"
    );
    assert!(stderr.contains("missing-ref.yaml:10:"), "line: {stderr}");
    assert!(
        stderr.contains("CustomerContakt"),
        "names the target: {stderr}"
    );
    assert!(stderr.contains("help:"), "says what to do: {stderr}");
}

/// Five operations with one operationId: four renamed methods, one kind of warning.
const REPEATED_IDS: &str = r#"openapi: 3.0.3
info: {title: Repeated operationIds, version: "1"}
paths:
  /a: {get: {operationId: same, responses: {"204": {description: ok}}}}
  /b: {get: {operationId: same, responses: {"204": {description: ok}}}}
  /c: {get: {operationId: same, responses: {"204": {description: ok}}}}
  /d: {get: {operationId: same, responses: {"204": {description: ok}}}}
  /e: {get: {operationId: same, responses: {"204": {description: ok}}}}
"#;

#[test]
fn warnings_of_one_kind_are_printed_once_with_a_count_and_three_locations() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("api.yaml");
    std::fs::write(&spec, REPEATED_IDS).expect("write the spec");
    let out = dir.path().join("out");
    let (spec, out) = (spec.to_str().expect("utf-8"), out.to_str().expect("utf-8"));

    let output = xtask(&["codegen", "--spec", spec, "--out", out]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        stderr.matches("warning: ").count(),
        1,
        "one block for the kind:\n{stderr}"
    );
    assert!(stderr.contains("is also the operationId of the operation at `/paths/~1a/get`; this one's method is named `same2` (4 times)"), "{stderr}");
    assert_eq!(stderr.matches("  --> ").count(), 3, "{stderr}");
    assert!(
        stderr.contains("api.yaml:5:"),
        "with line and column: {stderr}"
    );
    assert!(
        stderr.contains("  ... and 1 more (-v prints all)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: operationIds must be unique"),
        "{stderr}"
    );

    let output = xtask(&["codegen", "--spec", spec, "--out", out, "-v"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.matches("  --> ").count(),
        4,
        "-v prints every location:\n{stderr}"
    );
    assert!(
        stderr.contains("/paths/~1e/get: operationId `same` is also"),
        "{stderr}"
    );
}
