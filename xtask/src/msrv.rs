//! `cargo xtask msrv`: checks the stated minimum Rust version without a second toolchain.
//!
//! Only one toolchain can be installed here, so the check has two halves that need none:
//! every package that the published crates build with (normal and build dependencies, as
//! locked) must declare a `rust-version` no newer than ours, and clippy's `incompatible_msrv`
//! lint (run by CI with `-D warnings`) rejects our own uses of newer std APIs.

use std::path::Path;
use std::process::{Command, ExitCode};

use serde_json::Value;

/// The crates users depend on; dev-only crates (xtask, test helpers) are not held to the MSRV.
const PUBLISHED: &[&str] = &["desk-codegen", "desk-runtime", "desk-generated", "desk-cli"];

fn parse_version(text: &str) -> Option<(u64, u64, u64)> {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().ok());
    Some((
        parts.next()??,
        parts.next().flatten().unwrap_or(0),
        parts.next().flatten().unwrap_or(0),
    ))
}

/// Runs the check; prints offenders and returns failure when there are any.
pub fn run(root: &Path) -> ExitCode {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root)
        .output();
    let metadata: Value = match output.map(|o| serde_json::from_slice(&o.stdout)) {
        Ok(Ok(value)) => value,
        other => {
            eprintln!("error: cannot read `cargo metadata`: {other:?}");
            return ExitCode::FAILURE;
        }
    };
    let packages = metadata["packages"].as_array().cloned().unwrap_or_default();
    let ours = packages
        .iter()
        .find(|p| p["name"] == "desk-codegen")
        .and_then(|p| p["rust_version"].as_str())
        .and_then(parse_version);
    let Some(msrv) = ours else {
        eprintln!("error: desk-codegen states no rust-version");
        return ExitCode::FAILURE;
    };
    // Walk the resolved graph from the published crates along normal and build edges.
    let nodes = metadata["resolve"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let id_of = |name: &str| {
        packages
            .iter()
            .find(|p| p["name"] == name)
            .and_then(|p| p["id"].as_str())
            .map(str::to_owned)
    };
    let mut pending: Vec<String> = PUBLISHED.iter().filter_map(|n| id_of(n)).collect();
    let mut seen = std::collections::BTreeSet::new();
    while let Some(id) = pending.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(node) = nodes.iter().find(|n| n["id"] == id.as_str()) else {
            continue;
        };
        for dep in node["deps"].as_array().into_iter().flatten() {
            let runtime_edge = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"].is_null() || k["kind"] == "build");
            if runtime_edge {
                if let Some(pkg) = dep["pkg"].as_str() {
                    pending.push(pkg.to_owned());
                }
            }
        }
    }
    let mut offenders = Vec::new();
    for package in packages
        .iter()
        .filter(|p| p["id"].as_str().is_some_and(|id| seen.contains(id)))
    {
        if let Some(needed) = package["rust_version"].as_str().and_then(parse_version) {
            if needed > msrv {
                offenders.push(format!(
                    "{} {} needs Rust {}",
                    package["name"], package["version"], package["rust_version"]
                ));
            }
        }
    }
    let (major, minor, patch) = msrv;
    if offenders.is_empty() {
        eprintln!(
            "msrv: {} packages checked; all build with Rust {major}.{minor}.{patch}",
            seen.len()
        );
        ExitCode::SUCCESS
    } else {
        for offender in &offenders {
            eprintln!("  {offender}");
        }
        eprintln!(
            "error: {} dependencies need a newer Rust than the stated {major}.{minor}.{patch}",
            offenders.len()
        );
        ExitCode::FAILURE
    }
}
