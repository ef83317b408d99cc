//! Snapshots (insta) of the whole generated output of every strange spec that generates, one
//! snapshot per spec under `tests/snapshots/`, so that every change to the output shows up in
//! review as a diff. What each case must do (generate, warn, fail at a place) is checked in
//! `strange_specs.rs`; this file only pins the text.
//!
//! After an intended change: `cargo insta review` (or `cargo insta test --review`) shows each
//! changed snapshot and accepts or rejects it. CI runs with `INSTA_UPDATE=no`, so a changed or
//! missing snapshot fails the test there instead of being written.
//!
//! `spec/` has no snapshot here: its output is checked in as `desk-generated/src/generated/`
//! and compared by the freshness test (`cargo xtask codegen --check`), which is a snapshot
//! already; a second copy would double every diff in review.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use desk_codegen::{Config, Parts};

fn case_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/strange")
}

/// Every file of the output, each after a `// ---- path` line.
fn whole_output(file: &str) -> Option<String> {
    whole_output_in(file, false)
}

/// [`whole_output`], of a stable API when `stable` (`Config::stable_api`).
fn whole_output_in(file: &str, stable: bool) -> Option<String> {
    let rendered = Config::new()
        .spec(case_dir().join(file))
        .parts(Parts::ALL)
        .stable_api(stable)
        .source_label(file)
        .render()
        .ok()?;
    let mut text = String::new();
    for generated in &rendered.files {
        let _ = writeln!(text, "// ---- {}", generated.path.display());
        text.push_str(&generated.contents);
    }
    Some(text)
}

#[test]
fn every_strange_spec_that_generates_matches_its_snapshot() {
    let mut files: Vec<String> = std::fs::read_dir(case_dir())
        .expect("tests/strange exists")
        .map(|entry| {
            entry
                .expect("a readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    let mut snapshotted = 0;
    for file in &files {
        let Some(text) = whole_output(file) else {
            continue;
        };
        let stem = file.split('.').next().unwrap_or(file);
        insta::with_settings!({
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("desk-codegen output for tests/strange/{file}"),
        }, {
            insta::assert_snapshot!(format!("strange__{stem}"), text);
        });
        snapshotted += 1;
    }
    assert!(snapshotted >= 40, "only {snapshotted} cases generated");
}

/// The mock modules of the spec with every kind of parameter, body and response (its *when*
/// methods: path, query and header parameters of each encoding, JSON and form bodies; its
/// *then* methods: typed, text, binary and empty answers, a range, `default`, documented
/// headers; the names that give way to the mock's own methods), and of Swagger 2.0's
/// collection formats (path, query and header arrays joined or repeated, nested arrays).
/// `spec/`'s mock module is checked in as `desk-generated/src/generated/mock.rs` and compared
/// by the freshness test.
#[test]
fn mock_modules_match_their_snapshots() {
    for case in ["every_parameter_kind", "swagger2_collection_formats"] {
        let file = format!("{case}.yaml");
        let rendered = Config::new()
            .spec(case_dir().join(&file))
            .mock_feature("mock")
            .source_label(&file)
            .render()
            .expect("generates");
        let mock = rendered
            .files
            .iter()
            .find(|f| f.path.ends_with("mock.rs"))
            .expect("a mock module");
        insta::with_settings!({
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("desk-codegen mock module for tests/strange/{file}"),
        }, {
            insta::assert_snapshot!(format!("mock__{case}"), mock.contents);
        });
    }
}

/// The stable API (`Config::stable_api`) of the spec with every kind of type users build or
/// match: `#[non_exhaustive]` on every struct and enum, a constructor and setters on every
/// struct (models, request forms, parameters, the multipart body), and a create form that is
/// its model sharing the model's. (Its exhaustive output is `strange__stable_api`, with the
/// others.)
#[test]
fn the_stable_api_matches_its_snapshot() {
    let file = "stable_api.yaml";
    let text = whole_output_in(file, true).expect("generates");
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => format!("desk-codegen output for tests/strange/{file}, stable API"),
    }, {
        insta::assert_snapshot!("stable__stable_api", text);
    });
}
