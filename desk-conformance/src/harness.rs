//! Building the harnesses (one `cargo build` for the scratch workspace) and running each.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::{compare, report, workspace, Failure, SpecRun};

/// `clippy-driver` beside the `cargo` that runs us (rustup installs them together), else the
/// one on `PATH`.
fn clippy_driver(cargo: &Path) -> PathBuf {
    let name = format!("clippy-driver{}", std::env::consts::EXE_SUFFIX);
    let beside = cargo.with_file_name(&name);
    if cargo.parent().is_some_and(|p| !p.as_os_str().is_empty()) && beside.exists() {
        beside
    } else {
        PathBuf::from(name)
    }
}

pub(crate) fn binary_path(target_dir: &Path, crate_name: &str) -> PathBuf {
    target_dir
        .join("debug")
        .join(format!("{crate_name}{}", std::env::consts::EXE_SUFFIX))
}

/// `cargo build --workspace --keep-going` in the scratch workspace; returns cargo's messages.
/// `--offline` first (the lock file is ours), online only if Cargo says it needs the network.
///
/// With `clippy`, the members are compiled by `clippy-driver` (Cargo's
/// `RUSTC_WORKSPACE_WRAPPER`, as `cargo clippy` does, but for a build rather than a check) with
/// `-D warnings`: rustc's checks, clippy's default lints and code generation in one pass.
/// Dependencies are compiled by rustc; registry crates have their lints capped as usual.
pub(crate) fn build(workspace: &Path, target_dir: &Path, clippy: bool) -> String {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let run = |offline: bool| {
        let mut command = Command::new(&cargo);
        command.current_dir(workspace).arg("build");
        if offline {
            command.arg("--offline");
        }
        command.env_remove("RUSTC_WORKSPACE_WRAPPER");
        if clippy {
            command
                .env("RUSTC_WORKSPACE_WRAPPER", clippy_driver(Path::new(&cargo)))
                .env("RUSTFLAGS", "-D warnings");
        }
        eprintln!(
            "building the conformance harnesses in {} ...",
            workspace.display()
        );
        command
            .args([
                "--workspace",
                "--bins",
                "--keep-going",
                "--message-format",
                "short",
                "--quiet",
            ])
            .arg("--target-dir")
            .arg(target_dir)
            .env_remove("CARGO_TARGET_DIR")
            .stdin(Stdio::null());
        if !clippy {
            command.env_remove("RUSTFLAGS");
        }
        command.output()
    };
    let result = workspace::offline_first(run);
    match result {
        Ok(output) => String::from_utf8_lossy(&output.stderr).into_owned(),
        Err(err) => format!("error: cannot run cargo: {err}"),
    }
}

/// Runs one spec's harness and compares what came back.
pub(crate) fn run_harness(run: &mut SpecRun, workspace: &Path, target_dir: &Path, build_log: &str) {
    let binary = binary_path(target_dir, &run.crate_name);
    if !binary.exists() {
        let marker = format!("{}/", run.crate_name);
        let first = build_log
            .lines()
            .find(|l| l.contains(&marker) && l.contains("error"))
            .or_else(|| build_log.lines().find(|l| l.starts_with("error")))
            .unwrap_or("the harness did not build")
            .trim();
        run.harness_error = Some(compare::truncate(first, 300));
        return;
    }
    let output = Command::new(&binary)
        .arg(workspace.join(&run.crate_name).join("instances.txt"))
        .stdin(Stdio::null())
        .output();
    let output = match output {
        Ok(output) if output.status.success() => output,
        Ok(output) => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("no message");
            run.harness_error = Some(format!(
                "the harness failed ({}): {}",
                output.status,
                compare::truncate(first, 300)
            ));
            return;
        }
        Err(err) => {
            run.harness_error = Some(format!("cannot run the harness: {err}"));
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines = stdout.lines();
    for case in &run.cases {
        let indexed = &run.types[case.type_no];
        let fail = |message: String| Failure {
            pointer: indexed.pointer.clone(),
            usage: report::usage_text(&indexed.usage),
            rust_type: indexed.rust_type.clone(),
            instance: compare::truncate(&case.instance.to_string(), 300),
            message,
        };
        let line = lines
            .next()
            .unwrap_or("err the harness printed nothing for this instance");
        if let Some(encoded) = line.strip_prefix("ok ") {
            run.decoded += 1;
            let back: Value = match serde_json::from_str(encoded) {
                Ok(back) => back,
                Err(err) => {
                    run.failures
                        .push(fail(format!("re-encoded to text that is not JSON: {err}")));
                    continue;
                }
            };
            match compare::difference(&case.instance, &back) {
                None => run.round_tripped += 1,
                Some(difference) => run.failures.push(fail(format!(
                    "decoded, but does not round-trip: {difference}"
                ))),
            }
        } else {
            let message = line.strip_prefix("err ").unwrap_or(line);
            run.failures
                .push(fail(format!("does not decode: {message}")));
        }
    }
}
