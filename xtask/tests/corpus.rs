//! `cargo xtask corpus` works on the checkout it runs in, whichever checkout its binary was
//! built in, writes its scratch workspace into any folder, and names a folder of specs that is
//! not there.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn xtask(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("xtask runs")
}

fn utf8(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// Copies the checkout at `from` (its sources: no `target/`, no `.git`) to `to`.
fn copy_checkout(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("a readable folder") {
        let entry = entry.expect("an entry");
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_checkout(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("a copy");
        }
    }
}

/// `cargo metadata` of the scratch workspace at `dir`, offline: the manifest, the runtime it
/// points at and the lock file (ours, which Cargo completes with the member crates) resolve
/// without the network.
fn metadata(dir: &Path) -> String {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline"])
        .current_dir(dir)
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo metadata: {stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The binary under test was built in this checkout; run inside another checkout (a copy),
/// it writes a fresh folder whose scratch workspace uses that checkout's runtime and lock
/// file, not the ones of the checkout it was built in.
#[test]
fn corpus_uses_the_checkout_it_runs_in_and_writes_a_fresh_folder() {
    let base = tempfile::tempdir().expect("a temp dir");
    let other = base.path().join("another-checkout");
    copy_checkout(&root(), &other);
    let spec = other.join("spec/conversations.yaml");
    let out = base.path().join("fresh/scratch");

    // From a folder inside the other checkout: the workspace is found upwards.
    let output = xtask(
        &other.join("desk-codegen/src"),
        &["corpus", utf8(&spec), "--out", utf8(&out), "--no-compile"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("not compiling (--no-compile)"), "{stderr}");

    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    let runtime = format!("{:?}", utf8(&other.join("desk-runtime")));
    assert!(
        manifest.contains(&format!("desk-runtime = {{ path = {runtime}")),
        "the runtime of the checkout it runs in: {manifest}"
    );
    assert!(!manifest.contains(utf8(&root())), "{manifest}");
    assert!(out.join("Cargo.lock").is_file());
    let member = out.join("corpus_conversations_yaml/src/generated");
    for file in ["mod.rs", "models.rs", "requests.rs", "client.rs"] {
        assert!(
            member.join(file).is_file(),
            "{file} in {}",
            member.display()
        );
    }
    let resolved = metadata(&out);
    assert!(
        resolved.contains(utf8(&other.join("desk-runtime/Cargo.toml"))),
        "cargo resolves the other checkout's runtime"
    );
}

/// Run from a folder that is in no checkout, the binary falls back to the checkout it lies in
/// (where its target folder really is: `.ci/run`'s copy without `../shared` links its
/// `target/` to the original checkout's).
#[test]
fn corpus_from_outside_any_checkout_uses_the_binary_s_checkout() {
    let base = tempfile::tempdir().expect("a temp dir");
    let spec = root().join("spec/conversations.yaml");
    let out = base.path().join("scratch");
    let output = xtask(
        base.path(),
        &["corpus", utf8(&spec), "--out", utf8(&out), "--no-compile"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    let runtime = manifest
        .split_once("desk-runtime = { path = \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(path, _)| PathBuf::from(path))
        .unwrap_or_else(|| panic!("no runtime path: {manifest}"));
    assert!(runtime.join("Cargo.toml").is_file(), "{manifest}");
    let checkout = runtime.parent().expect("the checkout");
    let binary = std::fs::canonicalize(env!("CARGO_BIN_EXE_xtask")).expect("the binary");
    assert!(
        binary.starts_with(checkout),
        "{} is not in {}",
        binary.display(),
        checkout.display()
    );
}

/// A folder of specs that is not there (`../shared` missing beside a bare clone) fails the
/// command, naming it, for `corpus` and `conformance` alike.
#[test]
fn a_missing_folder_of_specs_fails_naming_it() {
    let base = tempfile::tempdir().expect("a temp dir");
    let missing = base.path().join("shared/corpus");
    for (command, dry) in [("corpus", "--no-compile"), ("conformance", "--no-build")] {
        let output = xtask(&root(), &[command, utf8(&missing), dry]);
        assert!(!output.status.success(), "{command}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("cannot read {}", missing.display())),
            "{command}: {stderr}"
        );
    }
}

/// In a folder, the files a split description reads through its `$ref`s are its fragments,
/// not specs that fail: `--deny-errors` passes; a file that no spec reads and that does not
/// generate is still an error.
#[test]
fn fragments_of_a_split_description_are_not_errors() {
    let base = tempfile::tempdir().expect("a temp dir");
    let specs = base.path().join("specs");
    std::fs::create_dir_all(specs.join("split")).expect("a folder");
    std::fs::write(
        specs.join("split/root.yaml"),
        "swagger: \"2.0\"\ninfo: {title: Split, version: \"1\"}\npaths:\n  /pets:\n    get:\n      \
         operationId: listPets\n      responses:\n        200:\n          description: ok\n          \
         schema: {$ref: 'Pet.yaml'}\n",
    )
    .expect("the root");
    std::fs::write(
        specs.join("split/Pet.yaml"),
        "type: object\nproperties:\n  name: {type: string}\n",
    )
    .expect("a fragment");
    let out = base.path().join("scratch");
    let run = |dir: &Path| {
        xtask(
            &root(),
            &[
                "corpus",
                utf8(dir),
                "--out",
                utf8(&out),
                "--no-compile",
                "--deny-errors",
            ],
        )
    };
    let output = run(&specs);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.lines().any(|line| line.starts_with("split/Pet.yaml")
            && line.contains("fragment of split/root.yaml")),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 generated, 1 fragments, 0 errors"),
        "{stdout}"
    );

    std::fs::write(specs.join("stray.yaml"), "type: object\n").expect("a stray file");
    let output = run(&specs);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{stdout}");
    assert!(stdout.contains("1 fragments, 1 errors"), "{stdout}");
}
