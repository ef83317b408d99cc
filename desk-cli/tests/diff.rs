//! `desk diff` end to end (report formats, `--fail-on` and the exit status), and the summary
//! `desk generate` prints when regenerating changes the public API of the code on disk.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_path_buf()
}

/// A pair of descriptions of `desk-codegen/tests/diff/`.
fn pair(name: &str) -> String {
    workspace()
        .join("desk-codegen/tests/diff")
        .join(name)
        .to_str()
        .expect("UTF-8")
        .to_owned()
}

fn desk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_desk"))
        .args(args)
        .output()
        .expect("desk runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn fail_on_breaking_sets_the_exit_status() {
    let (base, removed, added) = (
        pair("base.yaml"),
        pair("field_removed.yaml"),
        pair("operation_added.yaml"),
    );
    let breaking = desk(&["diff", &base, &removed, "--fail-on", "breaking"]);
    assert_eq!(breaking.status.code(), Some(1), "{}", stderr(&breaking));
    assert!(stdout(&breaking).contains("[breaking] field removed: `message`"));
    assert!(stdout(&breaking).contains("verdict: major"));

    let compatible = desk(&["diff", &base, &added, "--fail-on", "breaking"]);
    assert_eq!(compatible.status.code(), Some(0));
    assert!(stdout(&compatible).contains("verdict: minor"));

    let any = desk(&["diff", &base, &added, "--fail-on", "any"]);
    assert_eq!(any.status.code(), Some(1));
    let same = desk(&["diff", &base, &base, "--fail-on", "any"]);
    assert_eq!(same.status.code(), Some(0));

    // Without --fail-on, a report is a success whatever it says.
    let report = desk(&["diff", &base, &removed]);
    assert_eq!(report.status.code(), Some(0));

    let missing = desk(&["diff", &base, "no-such-file.yaml", "--fail-on", "breaking"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no-such-file.yaml"));
}

/// `--stable-api` judges the API `desk generate --crate` writes: a new optional field is an
/// addition there, and the report names the mode.
#[test]
fn stable_api_judges_additions_as_minor() {
    let (base, added) = (pair("base.yaml"), pair("optional_field_added.yaml"));
    let exhaustive = desk(&["diff", &base, &added, "--fail-on", "breaking"]);
    assert_eq!(exhaustive.status.code(), Some(1), "{}", stdout(&exhaustive));
    assert!(stdout(&exhaustive).contains("mode: exhaustive"));
    let stable = desk(&[
        "diff",
        &base,
        &added,
        "--stable-api",
        "--fail-on",
        "breaking",
        "--format",
        "json",
    ]);
    assert_eq!(stable.status.code(), Some(0), "{}", stdout(&stable));
    let value: serde_json::Value = serde_json::from_str(&stdout(&stable)).expect("JSON");
    assert_eq!(value["mode"], "stable");
    assert_eq!(value["verdict"], "minor");
    assert_eq!(value["changes"][0]["kind"], "optional_field_added");
    assert_eq!(value["changes"][0]["breaking"], false);

    // The three additions are minor in stable mode, and every format names the mode;
    // a new required field still breaks (the constructor takes it).
    for (new, verdict) in [
        ("enum_value_added.yaml", "verdict: minor"),
        ("operation_added.yaml", "verdict: minor"),
        ("required_field_added.yaml", "verdict: major"),
    ] {
        let new = pair(new);
        let text = stdout(&desk(&["diff", &base, &new, "--stable-api"]));
        assert!(text.contains("\nmode: stable: "), "{text}");
        assert!(text.contains(verdict), "{new}: {text}");
        let markdown = stdout(&desk(&[
            "diff",
            &base,
            &new,
            "--stable-api",
            "--format",
            "markdown",
        ]));
        assert!(markdown.contains(&format!("**{verdict} ")), "{markdown}");
        assert!(markdown.contains("— mode: stable: "), "{markdown}");
    }
    let exhaustive = stdout(&desk(&[
        "diff",
        &base,
        &pair("enum_value_added.yaml"),
        "--format",
        "markdown",
    ]));
    assert!(exhaustive.contains("**verdict: major "), "{exhaustive}");
    assert!(exhaustive.contains("— mode: exhaustive: "), "{exhaustive}");
}

/// The text at a report location (its line and column, from 1) starts with `expected`.
fn text_at(location: &serde_json::Value, expected: &str) {
    let file = location["file"].as_str().expect("a file");
    let text = std::fs::read_to_string(file).expect("the file");
    let line = location["line"].as_u64().expect("a line") as usize;
    let column = location["column"].as_u64().expect("a column") as usize;
    let at: String = text
        .lines()
        .nth(line - 1)
        .expect("the line")
        .chars()
        .skip(column - 1)
        .collect();
    assert!(at.starts_with(expected), "{location}: `{at}`");
}

/// JSON descriptions are located by the JSON scan: each side's line and column point at the
/// member the change is about (GitHub's description, a field removed from `issue`).
#[test]
fn changes_in_json_descriptions_are_located_on_both_sides() {
    let old = workspace().join("desk-cli/tests/fixtures/api.github.com.trimmed.json");
    let mut description: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&old).expect("the fixture")).expect("JSON");
    let properties = &mut description["components"]["schemas"]["issue"]["properties"];
    properties
        .as_object_mut()
        .expect("properties")
        .remove("locked");
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let new = scratch.path().join("new.json");
    let text = serde_json::to_string_pretty(&description).expect("JSON");
    std::fs::write(&new, text).expect("written");
    let output = desk(&[
        "diff",
        old.to_str().expect("UTF-8"),
        new.to_str().expect("UTF-8"),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let change = &report["changes"][0];
    assert_eq!(change["kind"], "field_removed", "{report}");
    assert_eq!(
        change["old"]["location"]["pointer"],
        "/components/schemas/issue/properties/locked"
    );
    text_at(&change["old"]["location"], "\"locked\": {");
    assert_eq!(
        change["new"]["location"]["pointer"],
        "/components/schemas/issue"
    );
    text_at(&change["new"]["location"], "\"issue\": {");
}

#[test]
fn formats() {
    let (base, new) = (pair("base.yaml"), pair("enum_value_added.yaml"));
    let json = desk(&["diff", &base, &new, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON");
    assert_eq!(value["verdict"], "major");
    assert_eq!(value["changes"][0]["kind"], "enum_value_added");
    let markdown = stdout(&desk(&["diff", &base, &new, "--format", "markdown"]));
    assert!(markdown.starts_with("## API changes"), "{markdown}");
    assert!(markdown.contains("### type `models::PetStatus`"));
    assert!(markdown.contains("- **breaking** enum value added: `Pending`"));
}

#[test]
fn regenerating_prints_what_changed_in_the_public_api() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let spec = scratch.path().join("conversations.yaml");
    let original = std::fs::read_to_string(workspace().join("spec/conversations.yaml")).unwrap();
    std::fs::write(&spec, &original).unwrap();
    let out = scratch.path().join("api");
    let (spec_arg, out_arg) = (spec.to_str().unwrap(), out.to_str().unwrap());

    let first = desk(&["generate", spec_arg, "--out", out_arg]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        !stderr(&first).contains("public API changes"),
        "nothing on disk to compare with"
    );

    // A new value of ConversationState, and `socket_id` gone from Conversation.
    let changed = original
        .replacen("        - active\n        - deleted\n", "        - active\n        - archived\n        - deleted\n", 1)
        .replacen(
            "        socket_id:\n          type: string\n          nullable: true\n          description: The pusher socket id of the connection.\n",
            "",
            1,
        );
    assert_ne!(changed, original);
    std::fs::write(&spec, &changed).unwrap();

    let second = desk(&["generate", spec_arg, "--out", out_arg]);
    assert!(second.status.success(), "{}", stderr(&second));
    let summary = stderr(&second);
    assert!(
        summary.contains("public API changes: verdict: major"),
        "{summary}"
    );
    assert!(
        summary.contains("  breaking: enum value added ×1"),
        "{summary}"
    );
    assert!(summary.contains("  breaking: field removed ×"), "{summary}");
    assert!(summary.contains("(-v lists every change)"), "{summary}");
    assert!(
        !summary.contains("models::Conversation `socket_id`"),
        "one line per kind without -v"
    );

    // Back and forth with -v: every change, by item.
    std::fs::write(&spec, &original).unwrap();
    let third = desk(&["generate", spec_arg, "--out", out_arg, "-v"]);
    let verbose = stderr(&third);
    assert!(
        verbose.contains("  breaking: enum value removed ×1"),
        "{verbose}"
    );
    assert!(
        verbose.contains("models::ConversationState `Archived`"),
        "{verbose}"
    );
    assert!(
        verbose.contains("  breaking: optional field added ×"),
        "{verbose}"
    );
    assert!(
        verbose.contains("models::Conversation `socket_id`"),
        "{verbose}"
    );

    // Regenerating what is already there says nothing.
    let fourth = desk(&["generate", spec_arg, "--out", out_arg]);
    assert!(!stderr(&fourth).contains("public API changes"));
}
