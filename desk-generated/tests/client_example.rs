//! Runs the real `list_and_patch` example binary: without its environment it explains what is
//! missing and exits with code 2; with `DESK_BASE_URL` pointing at wiremock on 127.0.0.1 it lists
//! and patches.
//!
//! The binary is built with the same `cargo` that runs the tests (`cargo build --example`, which
//! is a no-op when `cargo test` has already built the examples).
#![cfg(feature = "client")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "example-token-93be1";
const VARS: [&str; 6] = [
    "DESK_SITE",
    "DESK_TOKEN",
    "DESK_EU",
    "DESK_BASE_URL",
    "DESK_CONVERSATION_ID",
    "DESK_SET_STATE",
];

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate is inside the workspace")
}

/// Builds the example (once per test binary) and returns the executable's path.
fn example_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .args([
                "build",
                "--offline",
                "-p",
                "desk-generated",
                "--example",
                "list_and_patch",
                "--message-format=json",
            ])
            .current_dir(workspace_root());
        // Drop what cargo sets for this test process: build scripts that watch these (ring
        // watches CARGO_MANIFEST_DIR) would otherwise rebuild half the graph, twice per run.
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            if [
                "CARGO_MANIFEST_",
                "CARGO_PKG_",
                "CARGO_CRATE_",
                "CARGO_BIN_",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "CARGO_RUSTC_CURRENT_DIR",
            ]
            .iter()
            .any(|prefix| name.starts_with(prefix))
            {
                cargo.env_remove(name.as_ref());
            }
        }
        let output = cargo.output().expect("cargo runs");
        assert!(
            output.status.success(),
            "building the example failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter(|message| {
                message["reason"] == "compiler-artifact"
                    && message["target"]["name"] == "list_and_patch"
            })
            .find_map(|message| message["executable"].as_str().map(PathBuf::from))
            .expect("cargo reports the example's executable")
    })
}

/// Runs the example with exactly `vars` from the `DESK_*` family set.
fn run_example(vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(example_binary());
    for name in VARS {
        command.env_remove(name);
    }
    command.envs(vars.iter().copied());
    command.output().expect("the example runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn without_environment_it_explains_and_exits_with_2() {
    let output = run_example(&[]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        stderr.starts_with("error: missing environment variables: DESK_SITE"),
        "{stderr}"
    );
    assert!(stderr.contains("DESK_TOKEN"), "{stderr}");
    assert!(
        stderr.contains("usage: DESK_SITE=yoursite DESK_TOKEN="),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.stdout.is_empty(), "{}", text(&output.stdout));

    // Empty values count as unset.
    let output = run_example(&[("DESK_SITE", "acme"), ("DESK_TOKEN", "  ")]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        stderr.starts_with("error: missing environment variable: DESK_TOKEN"),
        "{stderr}"
    );
    assert!(!stderr.contains("DESK_SITE ("), "{stderr}");
}

#[test]
fn invalid_configuration_exits_with_2_without_leaking_the_token() {
    for vars in [
        [
            ("DESK_SITE", "evil.test/"),
            ("DESK_TOKEN", TOKEN),
            ("DESK_CONVERSATION_ID", "1"),
        ],
        [
            ("DESK_SITE", "acme"),
            ("DESK_TOKEN", TOKEN),
            ("DESK_CONVERSATION_ID", "forty-two"),
        ],
    ] {
        let output = run_example(&vars);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{vars:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(
            !stderr.contains(TOKEN) && !text(&output.stdout).contains(TOKEN),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_environment_it_lists_and_patches() {
    let server = MockServer::start().await;
    let bearer = format!("Bearer {TOKEN}");
    Mock::given(method("GET"))
        .and(path("/desk/api/v2/conversations.json"))
        .and(query_param("filter", r#"{"state":{"$eq":"active"}}"#))
        .and(query_param("orderBy", "updatedAt"))
        .and(query_param("orderMode", "desc"))
        // The first page as the example asks for it: no page number.
        .and(query_param_is_missing("page"))
        .and(query_param("pageSize", "5"))
        .and(header("authorization", bearer.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "conversations": [
                {"id": 11, "state": "active", "token": "room-11", "updatedAt": "2024-12-05T12:31:07Z"},
                {"id": 12, "state": "active", "token": "room-12"}
            ],
            "pagination": {"hasMorePages": false}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/desk/api/v2/conversations/12.json"))
        .and(header("authorization", bearer.as_str()))
        .and(body_json(json!({"conversation": {"state": "deleted"}})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"conversation": {"id": 12, "state": "deleted"}})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let uri = server.uri();
    let output = tokio::task::spawn_blocking(move || {
        run_example(&[
            ("DESK_BASE_URL", uri.as_str()),
            ("DESK_TOKEN", TOKEN),
            ("DESK_CONVERSATION_ID", "12"),
            ("DESK_SET_STATE", "deleted"),
        ])
    })
    .await
    .unwrap();
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(
        stdout.contains("#11 state=active token=room-11"),
        "{stdout}"
    );
    assert!(
        stdout.contains("listed 2 active conversation(s)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("patched #12 (state=deleted): #12 state=deleted"),
        "{stdout}"
    );
    assert!(!stdout.contains(TOKEN) && !stderr.contains(TOKEN));
    server.verify().await;

    // The API's refusal is exit code 1 with the validation messages.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"errors": {"filter": ["is invalid"]}})),
        )
        .mount(&server)
        .await;
    let uri = server.uri();
    let output = tokio::task::spawn_blocking(move || {
        run_example(&[("DESK_BASE_URL", uri.as_str()), ("DESK_TOKEN", TOKEN)])
    })
    .await
    .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "listing conversations failed: the API refused the request (400 Bad Request)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("is invalid"), "{stderr}");
}
