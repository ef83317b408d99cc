//! A models-only user (`default-features = false`) compiles no HTTP stack and no async runtime.
//!
//! Asks the same `cargo` that runs the tests for the normal dependency graph, offline, from the
//! workspace root.

use std::path::Path;
use std::process::Command;

/// Crates that only the HTTP client needs.
const CLIENT_ONLY: [&str; 6] = [
    "reqwest",
    "tokio",
    "hyper",
    "rustls",
    "futures-util",
    "http",
];

fn cargo_tree(args: &[&str]) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("inside the workspace");
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "desk-generated",
            "--edges",
            "normal",
            "--offline",
            "--prefix",
            "none",
        ])
        .args(args)
        .current_dir(root)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// The crate names in `cargo tree --prefix none` output.
fn crate_names(tree: &str) -> Vec<String> {
    tree.lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn models_only_pulls_neither_reqwest_nor_tokio() {
    let tree = cargo_tree(&["--no-default-features"]);
    let names = crate_names(&tree);
    assert!(names.iter().any(|n| n == "desk-runtime"), "{tree}");
    assert!(names.iter().any(|n| n == "serde"), "{tree}");
    for forbidden in CLIENT_ONLY {
        assert!(
            !names.iter().any(|n| n == forbidden),
            "`{forbidden}` in the models-only graph:\n{tree}"
        );
    }
    // Also by substring, to catch relatives such as `hyper-util` or `tokio-rustls`.
    for fragment in ["reqwest", "tokio", "hyper", "rustls", "openssl"] {
        assert!(
            !tree.contains(fragment),
            "`{fragment}` in the models-only graph:\n{tree}"
        );
    }

    // The features that are on for desk-runtime: none of the client ones.
    let features = cargo_tree(&[
        "--no-default-features",
        "-e",
        "features",
        "-i",
        "desk-runtime",
    ]);
    assert!(
        !features.contains("desk-runtime feature \"client"),
        "{features}"
    );
    assert!(
        !features.contains("desk-runtime feature \"reqwest\""),
        "{features}"
    );
}

#[test]
fn the_default_client_uses_reqwest_with_rustls_and_no_openssl() {
    let tree = cargo_tree(&[]);
    let names = crate_names(&tree);
    for needed in ["reqwest", "tokio", "hyper", "rustls"] {
        assert!(
            names.iter().any(|n| n == needed),
            "`{needed}` missing from the client graph:\n{tree}"
        );
    }
    for fragment in ["openssl", "native-tls"] {
        assert!(
            !tree.contains(fragment),
            "`{fragment}` in the client graph:\n{tree}"
        );
    }
}

/// Without `mock`, the default and models-only graphs have nothing of the mock (hyper's server
/// half, the runtime's `mock` feature), which appears with it (so the check can fail).
/// BENCHMARKS.md ("The mock adds nothing unless asked for") records that both graphs are the
/// same, crate for crate and feature for feature, as before the mock existed.
#[test]
fn the_mock_feature_adds_nothing_unless_asked_for() {
    let features = |args: &[&str]| {
        let mut all = vec!["-e", "features"];
        all.extend_from_slice(args);
        let graph = cargo_tree(&all);
        all.extend_from_slice(&["-i", "desk-runtime"]);
        graph + &cargo_tree(&all)
    };
    let mock_only = ["hyper feature \"server\"", "desk-runtime feature \"mock\""];
    for args in [&[][..], &["--no-default-features"][..]] {
        let graph = features(args);
        for fragment in mock_only {
            assert!(
                !graph.contains(fragment),
                "{fragment} without the mock feature ({args:?}):\n{graph}"
            );
        }
    }
    let with_mock = features(&["--features", "mock"]);
    for fragment in mock_only {
        assert!(
            with_mock.contains(fragment),
            "{fragment} missing:\n{with_mock}"
        );
    }
}
