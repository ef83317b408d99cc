//! `cargo xtask conformance PATH...`: do the generated types hold the data their schemas
//! describe?
//!
//! For every spec under the given files and folders (searched as `cargo xtask corpus` does):
//!
//! 1. generate models and request types in memory, with the [`TypeIndex`] that says which
//!    Rust type holds each component schema and each operation's JSON request and response
//!    body;
//! 2. make valid JSON instances of each of those schemas with the seeded generator in
//!    [`instances`] (a minimal one, a full one and three random ones; duplicates dropped),
//!    leaving read-only properties out of request bodies (by the generator's rule: `readOnly`
//!    on the property, on the component it references, on the component an array or map of
//!    it holds, or on an annotation-only `allOf` part; see [`instances`]) and `writeOnly` ones
//!    out of the rest;
//! 3. write one member crate per spec into a scratch workspace (`target/conformance/`, with a
//!    copy of our `Cargo.lock` and one target directory): the generated modules as the
//!    library, and a harness binary that decodes each instance into its type with
//!    `serde_json::from_str` and encodes it back with `serde_json::to_string`;
//! 4. build every harness with one `cargo build --keep-going` (dev profile without debug info,
//!    incremental compilation off: the code is run once) and run each; with `--clippy` every
//!    part is generated (the client too) and the members are compiled by `clippy-driver` with
//!    `-D warnings`, so this one build also does what `cargo xtask corpus` checks (code that
//!    compiles without warnings, clippy's included) instead of a separate `cargo clippy` pass;
//! 5. compare what came back with what was sent, after the normalisation documented in
//!    [`compare`].
//!
//! Output: one line per spec (`instances, decoded, round-tripped`, and what was skipped) and a
//! summary line. `-v` prints every failure with the schema's JSON pointer, the instance (cut
//! to 300 characters) and serde's message or the first difference. Skipped, each with its
//! reason: specs that do not generate (a clear error is an accepted outcome of generation,
//! e.g. for the strange specs that fail on purpose), bodies that are not JSON, and schemas
//! that have no instance. The exit status is non-zero on any failed instance, any harness
//! that does not compile, and any panic of the generator.

mod compare;
pub mod instances;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use desk_codegen::{Config, DiagnosticKind, IndexedType, Parts, TypeIndex, Usage};
use serde_json::Value;

use instances::{Direction, Generator, Shape};

/// Arguments of `cargo xtask conformance`.
#[derive(clap::Args)]
pub struct ConformanceArgs {
    /// Spec files and folders of specs (searched recursively for .json, .yaml and .yml files).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Only the specs whose file name contains this text.
    #[arg(long)]
    filter: Option<String>,
    /// Where to write the scratch workspace (default: target/conformance in this repository).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The target directory the scratch workspace builds into (default: `$CARGO_TARGET_DIR/conformance`
    /// when that is set, else `target` inside the scratch workspace).
    #[arg(long)]
    target_dir: Option<PathBuf>,
    /// Also lint: generate every part (models, requests and the client), and build through
    /// clippy with warnings denied, so the one build both checks the generated code as
    /// `cargo xtask corpus` does and produces the harnesses. A spec whose code has a warning
    /// is a failure.
    #[arg(long)]
    clippy: bool,
    /// Treat a spec that does not generate as a failure (by default it is listed as skipped,
    /// with the error: the strange specs fail on purpose).
    #[arg(long)]
    deny_errors: bool,
    /// Generate the instances and write the scratch workspace, but do not build or run the
    /// harnesses (to look at the instances, or at what a run would cost).
    #[arg(long)]
    no_build: bool,
    /// The seed of the instance generator.
    #[arg(long, default_value_t = 11)]
    seed: u64,
    /// Print every failure with the schema's pointer, the instance and serde's message.
    #[arg(long, short)]
    verbose: bool,
    /// For testing this command: decode the schema at POINTER into TYPE instead of the type
    /// the generator chose (`POINTER=TYPE`; repeatable).
    #[arg(long, value_name = "POINTER=TYPE", hide = true)]
    override_type: Vec<String>,
}

/// Shapes of the instances made per schema, in order.
const SHAPES: [Shape; 5] = [
    Shape::Minimal,
    Shape::Full,
    Shape::Random,
    Shape::Random,
    Shape::Random,
];

/// One instance to decode.
struct Case {
    /// Index into the spec's checked types.
    type_no: usize,
    instance: Value,
}

/// A failed instance.
struct Failure {
    pointer: String,
    usage: String,
    rust_type: String,
    instance: String,
    message: String,
}

/// What happened to one spec.
struct SpecRun {
    label: String,
    crate_name: String,
    /// Why the spec was not checked at all.
    not_checked: Option<String>,
    /// The generator panicked (a failure, unlike a clear error).
    panicked: bool,
    files: Vec<desk_codegen::GeneratedFile>,
    types: Vec<IndexedType>,
    cases: Vec<Case>,
    /// Skipped bodies and schemas, with reasons.
    skipped: Vec<String>,
    /// The harness did not compile or run (first error line).
    harness_error: Option<String>,
    decoded: usize,
    round_tripped: usize,
    failures: Vec<Failure>,
}

pub fn conformance(args: ConformanceArgs) -> ExitCode {
    let root = crate::workspace_root();
    let mut specs = Vec::new();
    for path in &args.paths {
        match crate::corpus::find_specs(path) {
            Ok(found) => specs.extend(found.into_iter().map(|spec| (path.clone(), spec))),
            Err(err) => {
                eprintln!("error: cannot read {}: {err}", path.display());
                return ExitCode::FAILURE;
            }
        }
    }
    specs.retain(|(_, p)| {
        args.filter.as_deref().is_none_or(|f| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(f))
        })
    });
    if specs.is_empty() {
        eprintln!("error: no .json, .yaml or .yml file in the given paths");
        return ExitCode::FAILURE;
    }
    let overrides: BTreeMap<String, String> = args
        .override_type
        .iter()
        .filter_map(|o| o.split_once('=').map(|(p, t)| (p.to_owned(), t.to_owned())))
        .collect();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| root.join("target/conformance"));
    let target_dir =
        args.target_dir
            .clone()
            .unwrap_or_else(|| match std::env::var_os("CARGO_TARGET_DIR") {
                Some(dir) => PathBuf::from(dir).join("conformance"),
                None => out.join("target"),
            });

    let started = Instant::now();
    let mut names = Vec::new();
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let mut runs: Vec<SpecRun> = specs
        .iter()
        .map(|(base, spec)| {
            let label = label_of(base, spec);
            let crate_name = crate::corpus::unique_crate_name(spec, &mut names);
            let parts = if args.clippy {
                Parts::ALL
            } else {
                Parts::TYPES
            };
            prepare(spec, label, crate_name, parts, args.seed, &overrides)
        })
        .collect();
    panic::set_hook(previous_hook);
    let generate_time = started.elapsed();

    let checked: Vec<&SpecRun> = runs
        .iter()
        .filter(|r| r.not_checked.is_none() && !r.types.is_empty())
        .collect();
    let mut build_time = std::time::Duration::ZERO;
    if !checked.is_empty() {
        if let Err(err) = write_workspace(&root, &out, &target_dir, &checked, args.clippy) {
            eprintln!(
                "error: cannot write the scratch workspace in {}: {err}",
                out.display()
            );
            return ExitCode::FAILURE;
        }
        if args.no_build {
            eprintln!(
                "not building (--no-build): the harnesses and instances are in {}",
                out.display()
            );
        } else {
            let build_started = Instant::now();
            let build_log = build(&out, &target_dir, args.clippy);
            build_time = build_started.elapsed();
            for run in runs
                .iter_mut()
                .filter(|r| r.not_checked.is_none() && !r.types.is_empty())
            {
                run_harness(run, &out, &target_dir, &build_log);
            }
        }
    }

    let width = runs.iter().map(|r| r.label.len()).max().unwrap_or(0);
    let mut totals = Totals::default();
    for run in &runs {
        println!("{:width$}  {}", run.label, totals.add(run));
        if args.verbose || run.not_checked.is_none() {
            for reason in &run.skipped {
                println!("{:width$}    skipped: {reason}", "");
            }
        }
        if args.verbose {
            for failure in &run.failures {
                println!(
                    "{:width$}    FAILED {} ({}, as `{}`)\n{:width$}      instance: {}\n{:width$}      {}",
                    "", failure.pointer, failure.usage, failure.rust_type, "", failure.instance, "", failure.message
                );
            }
        }
    }
    println!(
        "{} specs ({} checked, {} not generated): {} instances, {} decoded, {} round-tripped, {} failed; {} skipped; {} harnesses failed to build, {} panics ({:.1} s generating, {:.1} s building and running)",
        runs.len(),
        totals.checked,
        totals.not_generated,
        totals.instances,
        totals.decoded,
        totals.round_tripped,
        totals.failed,
        totals.skipped,
        totals.harness_errors,
        totals.panics,
        generate_time.as_secs_f64(),
        build_time.as_secs_f64(),
    );
    let denied = args.deny_errors && totals.not_generated > 0;
    if totals.failed > 0 || totals.harness_errors > 0 || totals.panics > 0 || denied {
        if !args.verbose && totals.failed > 0 {
            println!("(run with -v to see each failure)");
        }
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

#[derive(Default)]
struct Totals {
    checked: usize,
    not_generated: usize,
    instances: usize,
    decoded: usize,
    round_tripped: usize,
    failed: usize,
    skipped: usize,
    harness_errors: usize,
    panics: usize,
}

impl Totals {
    /// Adds `run` and returns its line.
    fn add(&mut self, run: &SpecRun) -> String {
        if let Some(reason) = &run.not_checked {
            if run.panicked {
                self.panics += 1;
                return format!("PANIC: {reason}");
            }
            self.not_generated += 1;
            return format!("skipped: {reason}");
        }
        self.checked += 1;
        self.skipped += run.skipped.len();
        let skipped = if run.skipped.is_empty() {
            String::new()
        } else {
            format!("; {} skipped", run.skipped.len())
        };
        if let Some(error) = &run.harness_error {
            self.harness_errors += 1;
            return format!(
                "{} instances of {} schemas; HARNESS FAILED: {error}{skipped}",
                run.cases.len(),
                run.types.len()
            );
        }
        self.instances += run.cases.len();
        self.decoded += run.decoded;
        self.round_tripped += run.round_tripped;
        self.failed += run.failures.len();
        let failed_schemas = {
            let mut pointers: Vec<&str> = run.failures.iter().map(|f| f.pointer.as_str()).collect();
            pointers.sort_unstable();
            pointers.dedup();
            pointers.len()
        };
        let failed = if run.failures.is_empty() {
            String::new()
        } else {
            format!(
                "; {} FAILED ({failed_schemas} of {} schemas)",
                run.failures.len(),
                run.types.len()
            )
        };
        format!(
            "{} instances of {} schemas: {} decoded, {} round-tripped{failed}{skipped}",
            run.cases.len(),
            run.types.len(),
            run.decoded,
            run.round_tripped
        )
    }
}

fn label_of(base: &Path, spec: &Path) -> String {
    match spec.strip_prefix(base) {
        Ok(relative) if !relative.as_os_str().is_empty() => {
            let dir = base
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            format!("{dir}/{}", relative.display())
        }
        _ => spec.display().to_string(),
    }
}

/// Generates one spec and its instances (nothing is compiled yet).
fn prepare(
    spec: &Path,
    label: String,
    crate_name: String,
    parts: Parts,
    seed: u64,
    overrides: &BTreeMap<String, String>,
) -> SpecRun {
    let mut run = SpecRun {
        label,
        crate_name,
        not_checked: None,
        panicked: false,
        files: Vec::new(),
        types: Vec::new(),
        cases: Vec::new(),
        skipped: Vec::new(),
        harness_error: None,
        decoded: 0,
        round_tripped: 0,
        failures: Vec::new(),
    };
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut config = Config::new();
        config
            .spec(spec)
            .parts(parts)
            .source_label(run.label.clone());
        let loaded = config.load()?;
        let rendered = config.render_spec(&loaded)?;
        Ok::<_, desk_codegen::Error>((loaded, rendered))
    }));
    let (loaded, rendered) = match result {
        Ok(Ok(done)) => done,
        Ok(Err(err)) => {
            let first = err
                .diagnostics()
                .first()
                .map_or_else(|| err.to_string(), |d| d.message.clone());
            let internal = err
                .diagnostics()
                .iter()
                .any(|d| d.kind == DiagnosticKind::Internal);
            run.not_checked = Some(format!(
                "does not generate{}: {first}",
                if internal { " (internal error)" } else { "" }
            ));
            run.panicked = internal;
            return run;
        }
        Err(_) => {
            run.not_checked = Some("the generator panicked".into());
            run.panicked = true;
            return run;
        }
    };
    let document = match loaded.to_json() {
        Ok(document) => document,
        Err(err) => {
            run.not_checked = Some(format!(
                "the parsed document does not convert to JSON: {err}"
            ));
            return run;
        }
    };
    let TypeIndex { types, skipped, .. } = rendered.types;
    run.skipped.extend(
        skipped
            .into_iter()
            .map(|s| format!("{}: {}", s.pointer, s.reason)),
    );
    for mut indexed in types {
        if let Some(wrong) = overrides.get(&indexed.pointer) {
            indexed.rust_type = wrong.clone();
        }
        let direction = match indexed.direction {
            desk_codegen::Direction::Request => Direction::Request,
            desk_codegen::Direction::Response => Direction::Response,
        };
        let mut made: Vec<Value> = Vec::new();
        for (n, shape) in SHAPES.iter().enumerate() {
            let key = format!("{}|{:?}|{n}", indexed.pointer, indexed.direction);
            let mut generator =
                Generator::new(&document, direction, *shape, instances::seed_of(&key, seed));
            if let Some(instance) = generator.instance_at(&indexed.pointer) {
                if !made.contains(&instance) {
                    made.push(instance);
                }
            }
        }
        if made.is_empty() {
            run.skipped.push(format!("{}: no instance (its required properties recurse without end, or its constraints contradict)", indexed.pointer));
            continue;
        }
        let type_no = run.types.len();
        run.types.push(indexed);
        run.cases
            .extend(made.into_iter().map(|instance| Case { type_no, instance }));
    }
    run.files = rendered.files;
    run
}

/// Writes the scratch workspace: one member per checked spec (library + harness binary + its
/// instances), a copy of our lock file, and nothing else.
fn write_workspace(
    root: &Path,
    out: &Path,
    target_dir: &Path,
    runs: &[&SpecRun],
    client: bool,
) -> std::io::Result<()> {
    std::fs::create_dir_all(out)?;
    for entry in std::fs::read_dir(out)? {
        let path = entry?.path();
        let is_member = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("corpus_"));
        if path.is_dir() && is_member {
            std::fs::remove_dir_all(&path)?;
        }
    }
    let mut manifest = String::from(
        "# Written by `cargo xtask conformance`: one member per spec, each a library (the generated\n\
         # code) and a harness binary.\n[workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for run in runs {
        let _ = writeln!(manifest, "    \"{}\",", run.crate_name);
    }
    manifest.push_str("]\n\n[workspace.dependencies]\n");
    let runtime = root.join("desk-runtime");
    let features = if client {
        "features = [\"client\"]"
    } else {
        "default-features = false"
    };
    let _ = writeln!(
        manifest,
        "desk-runtime = {{ path = {:?}, {features} }}",
        runtime.display().to_string()
    );
    manifest.push_str(
        "serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n\
         chrono = { version = \"0.4\", default-features = false, features = [\"std\", \"serde\", \"clock\"] }\n\n\
         # The harnesses run once: build them as cheaply as possible.\n\
         [profile.dev]\ndebug = 0\nopt-level = 0\nincremental = false\n",
    );
    std::fs::write(out.join("Cargo.toml"), manifest)?;
    let lock = out.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock)?;
    }
    for run in runs {
        // A binary left from an earlier run must not stand in for one that fails to build now.
        let _ = std::fs::remove_file(binary_path(target_dir, &run.crate_name));
        let dir = out.join(&run.crate_name);
        let src = dir.join("src");
        std::fs::create_dir_all(src.join("generated"))?;
        let package = format!(
            "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\ndesk-runtime.workspace = true\nserde.workspace = true\nserde_json.workspace = true\nchrono.workspace = true\n",
            run.crate_name
        );
        std::fs::write(dir.join("Cargo.toml"), package)?;
        let lib = format!(
            "//! Generated by `cargo xtask conformance` from {}.\n\npub mod generated;\n",
            run.label.replace('\\', "/")
        );
        std::fs::write(src.join("lib.rs"), lib)?;
        for file in &run.files {
            std::fs::write(src.join("generated").join(&file.path), &file.contents)?;
        }
        std::fs::write(src.join("main.rs"), harness_source(run))?;
        let mut instances = String::new();
        for case in &run.cases {
            let _ = writeln!(instances, "{} {}", case.type_no, case.instance);
        }
        std::fs::write(dir.join("instances.txt"), instances)?;
    }
    Ok(())
}

/// The harness: reads `TYPE_NO JSON` lines and prints, per line, `ok JSON` (what decoding into
/// the type and encoding again gave) or `err MESSAGE` (serde's message).
fn harness_source(run: &SpecRun) -> String {
    let mut checks = String::new();
    for indexed in &run.types {
        let _ = writeln!(
            checks,
            "    check::<{}>, // {}",
            indexed.rust_type,
            indexed.pointer.replace('\n', " ")
        );
    }
    format!(
        r#"//! Generated by `cargo xtask conformance`: decodes each instance into the type the generator
//! chose for its schema and prints what encoding it again gives.
#![allow(unused_imports)]

use std::io::Write as _;

use {name}::generated::models::*;
use {name}::generated::requests::*;

type Check = fn(&str) -> Result<String, String>;

fn check<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(json: &str) -> Result<String, String> {{
    let value: T = ::serde_json::from_str(json).map_err(|err| err.to_string())?;
    ::serde_json::to_string(&value).map_err(|err| format!("decoded, but encoding failed: {{err}}"))
}}

const CHECKS: &[Check] = &[
{checks}];

fn main() {{
    let path = std::env::args().nth(1).expect("usage: harness INSTANCES");
    let text = std::fs::read_to_string(&path).expect("a readable instances file");
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in text.lines() {{
        let (type_no, json) = line.split_once(' ').expect("`TYPE_NO JSON` lines");
        let check = CHECKS[type_no.parse::<usize>().expect("a type number")];
        let result = match check(json) {{
            Ok(encoded) => writeln!(out, "ok {{encoded}}"),
            Err(message) => writeln!(out, "err {{}}", message.replace('\n', " ")),
        }};
        result.expect("stdout is writable");
    }}
}}
"#,
        name = run.crate_name
    )
}

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

fn binary_path(target_dir: &Path, crate_name: &str) -> PathBuf {
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
fn build(workspace: &Path, target_dir: &Path, clippy: bool) -> String {
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
    let mut result = run(true);
    if let Ok(output) = &result {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success()
            && (stderr.contains("--offline") || stderr.contains("offline mode"))
        {
            result = run(false);
        }
    }
    match result {
        Ok(output) => String::from_utf8_lossy(&output.stderr).into_owned(),
        Err(err) => format!("error: cannot run cargo: {err}"),
    }
}

/// Runs one spec's harness and compares what came back.
fn run_harness(run: &mut SpecRun, workspace: &Path, target_dir: &Path, build_log: &str) {
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
            usage: usage_text(&indexed.usage),
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

fn usage_text(usage: &Usage) -> String {
    match usage {
        Usage::Component => "component schema".into(),
        Usage::RequestBody { method, path } => format!("request body of {method} {path}"),
        Usage::ResponseBody {
            method,
            path,
            status,
        } => match status {
            Some(status) => format!("{status} response of {method} {path}"),
            None => format!("default response of {method} {path}"),
        },
    }
}

/// Unescapes one JSON pointer segment (`~1` → `/`, `~0` → `~`).
pub fn unescape_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}
