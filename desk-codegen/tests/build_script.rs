//! A crate whose build script runs desk-codegen on a bad spec: the build fails with Cargo's
//! own diagnostics (file, line, column, pointer, help) and without a panic or backtrace.
//!
//! The crate is written to a temporary folder with a copy of the workspace's `Cargo.lock` and
//! built offline into `target/cargo-tests/`, a target folder shared with desk-cli's tests, so
//! that desk-codegen's dependencies are compiled once.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_path_buf()
}

const BAD_SPEC: &str = "\
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
";

/// Builds a crate stating `rust_version` whose build script generates from [`BAD_SPEC`];
/// returns Cargo's exit status and standard error.
fn build_crate_with_bad_spec(rust_version: &str) -> (bool, String) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let root = dir.path();
    let codegen = workspace().join("desk-codegen");
    let manifest = format!(
        "[package]\nname = \"bad-spec\"\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"{rust_version}\"\n\n[workspace]\n\n[build-dependencies]\ndesk-codegen = {{ path = {codegen:?} }}\n"
    );
    std::fs::write(root.join("Cargo.toml"), manifest).expect("Cargo.toml");
    std::fs::write(root.join("build.rs"), "fn main() {\n    desk_codegen::Config::new().spec(\"openapi/api.yaml\").generate_or_exit();\n}\n").expect("build.rs");
    std::fs::create_dir_all(root.join("src")).expect("src");
    std::fs::write(root.join("src/lib.rs"), "pub mod api {}\n").expect("lib.rs");
    std::fs::create_dir_all(root.join("openapi")).expect("openapi");
    std::fs::write(root.join("openapi/api.yaml"), BAD_SPEC).expect("spec");
    std::fs::copy(workspace().join("Cargo.lock"), root.join("Cargo.lock")).expect("Cargo.lock");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--offline"])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", workspace().join("target/cargo-tests"))
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("cargo runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_located_without_panic(stderr: &str, prefix: &str) {
    assert!(!stderr.contains("panicked"), "no panic: {stderr}");
    assert!(
        !stderr.contains("stack backtrace"),
        "no backtrace: {stderr}"
    );
    assert!(
        stderr.contains(&format!("{prefix}openapi/api.yaml:10:")),
        "file, line and column: {stderr}"
    );
    assert!(
        stderr.contains("CustomerContakt"),
        "what is wrong: {stderr}"
    );
    assert!(
        stderr.contains("at /components/schemas/Conversation/properties/contact/$ref"),
        "the pointer: {stderr}"
    );
    assert!(stderr.contains("help: "), "what to do: {stderr}");
    assert!(stderr.contains("no file was written"), "{stderr}");
}

#[test]
fn a_bad_spec_fails_the_build_with_cargo_diagnostics() {
    let (success, stderr) = build_crate_with_bad_spec("1.88");
    assert!(!success, "the build must fail: {stderr}");
    assert_located_without_panic(&stderr, "error: bad-spec@0.1.0: ");
    // Cargo's errors are the whole report: the script's output is not repeated after them.
    assert!(stderr.contains("build script logged errors"), "{stderr}");
    assert!(!stderr.contains("--- stdout"), "{stderr}");

    // A package that states a Rust older than `cargo::error` (1.84) gets the same lines as
    // warnings, and the build still fails.
    let (success, stderr) = build_crate_with_bad_spec("1.70");
    assert!(!success, "the build must fail: {stderr}");
    assert_located_without_panic(&stderr, "warning: bad-spec@0.1.0: error: ");
}
