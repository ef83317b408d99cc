//! The conformance harness behind `cargo xtask conformance PATH...`: do the generated types
//! hold the data their schemas describe? (An unpublished crate of this workspace: the xtask
//! is its command line.)
//!
//! For every spec under the given files and folders (searched as `cargo xtask corpus` does,
//! see [`specs`]):
//!
//! 1. generate models and request types in memory, with the [`TypeIndex`] that says which
//!    Rust type holds each component schema and each operation's JSON request and response
//!    body;
//! 2. make valid JSON instances of each of those schemas with the seeded generator in
//!    [`instances`] (a minimal one, a full one and three random ones; duplicates dropped),
//!    leaving out of request bodies the properties the generator's request forms leave out (as
//!    lowering decided them: [`TypeIndex::read_only`]) and `writeOnly` ones out of the rest;
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
//!    `compare`.
//!
//! Output: one line per spec (`instances, decoded, round-tripped`, and what was skipped) and a
//! summary line. `-v` prints every failure with the schema's JSON pointer, the instance (cut
//! to 300 characters) and serde's message or the first difference. Skipped, each with its
//! reason: specs that do not generate (a clear error is an accepted outcome of generation,
//! e.g. for the strange specs that fail on purpose), bodies that are not JSON, and schemas
//! that have no instance. The exit status is non-zero on any failed instance, any harness
//! that does not compile, and any panic of the generator.

mod compare;
mod harness;
pub mod instances;
mod report;
mod scratch;
pub mod specs;
pub mod workspace;

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use desk_codegen::{Config, DiagnosticKind, IndexedType, Parts, TypeIndex};
use serde_json::Value;

use instances::{Generator, Shape};
use report::Totals;

/// What to check and how (`cargo xtask conformance`'s options).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Spec files and folders of specs (searched recursively for .json, .yaml and .yml files).
    pub paths: Vec<PathBuf>,
    /// Only the specs whose file name contains this text.
    pub filter: Option<String>,
    /// Where to write the scratch workspace (default: `target/conformance` in the workspace).
    pub out: Option<PathBuf>,
    /// The target directory the scratch workspace builds into (default:
    /// `$CARGO_TARGET_DIR/conformance` when that is set, else `target` inside the scratch
    /// workspace).
    pub target_dir: Option<PathBuf>,
    /// Also lint: generate every part and build through clippy with warnings denied.
    pub clippy: bool,
    /// Treat a spec that does not generate as a failure.
    pub deny_errors: bool,
    /// Write the scratch workspace, but do not build or run the harnesses.
    pub no_build: bool,
    /// The seed of the instance generator.
    pub seed: u64,
    /// Print every failure with the schema's pointer, the instance and serde's message.
    pub verbose: bool,
    /// For testing the harness: decode the schema at a pointer into another type.
    pub override_type: BTreeMap<String, String>,
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
pub(crate) struct Case {
    /// Index into the spec's checked types.
    pub(crate) type_no: usize,
    pub(crate) instance: Value,
}

/// A failed instance.
pub(crate) struct Failure {
    pub(crate) pointer: String,
    pub(crate) usage: String,
    pub(crate) rust_type: String,
    pub(crate) instance: String,
    pub(crate) message: String,
}

/// What happened to one spec.
pub(crate) struct SpecRun {
    pub(crate) label: String,
    pub(crate) crate_name: String,
    /// Why the spec was not checked at all.
    pub(crate) not_checked: Option<String>,
    /// The generator panicked (a failure, unlike a clear error).
    pub(crate) panicked: bool,
    pub(crate) files: Vec<desk_codegen::GeneratedFile>,
    pub(crate) types: Vec<IndexedType>,
    pub(crate) cases: Vec<Case>,
    /// Skipped bodies and schemas, with reasons.
    pub(crate) skipped: Vec<String>,
    /// The harness did not compile or run (first error line).
    pub(crate) harness_error: Option<String>,
    pub(crate) decoded: usize,
    pub(crate) round_tripped: usize,
    pub(crate) failures: Vec<Failure>,
}

/// Checks every spec `options` names; prints one line per spec and the totals. `root` is the
/// desk workspace (its `desk-runtime/` and `Cargo.lock` are what the harnesses build with).
pub fn run(root: &Path, options: &Options) -> ExitCode {
    let specs = match find_all(options) {
        Ok(specs) => specs,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| root.join("target/conformance"));
    let target_dir =
        options
            .target_dir
            .clone()
            .unwrap_or_else(|| match std::env::var_os("CARGO_TARGET_DIR") {
                Some(dir) => PathBuf::from(dir).join("conformance"),
                None => out.join("target"),
            });

    let started = Instant::now();
    let mut runs = prepare_all(&specs, options);
    let generate_time = started.elapsed();

    let mut build_time = Duration::ZERO;
    let checked: Vec<&SpecRun> = runs.iter().filter(|r| r.is_checked()).collect();
    if !checked.is_empty() {
        if let Err(err) =
            scratch::write_workspace(root, &out, &target_dir, &checked, options.clippy)
        {
            eprintln!(
                "error: cannot write the scratch workspace in {}: {err}",
                out.display()
            );
            return ExitCode::FAILURE;
        }
        if options.no_build {
            eprintln!(
                "not building (--no-build): the harnesses and instances are in {}",
                out.display()
            );
        } else {
            let build_started = Instant::now();
            let build_log = harness::build(&out, &target_dir, options.clippy);
            build_time = build_started.elapsed();
            for run in runs.iter_mut().filter(|r| r.is_checked()) {
                harness::run_harness(run, &out, &target_dir, &build_log);
            }
        }
    }

    let totals = print_report(&runs, options.verbose);
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
    let denied = options.deny_errors && totals.not_generated > 0;
    if totals.failed > 0 || totals.harness_errors > 0 || totals.panics > 0 || denied {
        if !options.verbose && totals.failed > 0 {
            println!("(run with -v to see each failure)");
        }
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Every spec under the given paths, each with the path it was found under; an error naming a
/// path that does not exist or holds no spec.
fn find_all(options: &Options) -> Result<Vec<(PathBuf, PathBuf)>, String> {
    let mut specs = Vec::new();
    for path in &options.paths {
        let mut found = specs::find_specs(path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        specs::filter_by_name(&mut found, options.filter.as_deref());
        specs.extend(found.into_iter().map(|spec| (path.clone(), spec)));
    }
    if specs.is_empty() {
        return Err("no .json, .yaml or .yml file in the given paths".into());
    }
    Ok(specs)
}

/// Generates every spec and its instances, with panics caught (and reported per spec).
fn prepare_all(specs: &[(PathBuf, PathBuf)], options: &Options) -> Vec<SpecRun> {
    let parts = if options.clippy {
        Parts::ALL
    } else {
        Parts::TYPES
    };
    let mut names = Vec::new();
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let runs = specs
        .iter()
        .map(|(base, spec)| {
            let label = label_of(base, spec);
            let crate_name = specs::unique_crate_name(spec, &mut names);
            prepare(
                spec,
                label,
                crate_name,
                parts,
                options.seed,
                &options.override_type,
            )
        })
        .collect();
    panic::set_hook(previous_hook);
    runs
}

/// Prints one line per spec (and, with `verbose`, every failure); returns the totals.
fn print_report(runs: &[SpecRun], verbose: bool) -> Totals {
    let width = runs.iter().map(|r| r.label.len()).max().unwrap_or(0);
    let mut totals = Totals::default();
    for run in runs {
        println!("{:width$}  {}", run.label, totals.add(run));
        if verbose || run.not_checked.is_none() {
            for reason in &run.skipped {
                println!("{:width$}    skipped: {reason}", "");
            }
        }
        if verbose {
            for failure in &run.failures {
                println!(
                    "{:width$}    FAILED {} ({}, as `{}`)\n{:width$}      instance: {}\n{:width$}      {}",
                    "", failure.pointer, failure.usage, failure.rust_type, "", failure.instance, "", failure.message
                );
            }
        }
    }
    totals
}

impl SpecRun {
    /// Whether the spec generated and has types to check.
    fn is_checked(&self) -> bool {
        self.not_checked.is_none() && !self.types.is_empty()
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
    let TypeIndex {
        types,
        skipped,
        read_only,
        ..
    } = rendered.types;
    let document = instances::mark_read_only(document, &read_only);
    run.skipped.extend(
        skipped
            .into_iter()
            .map(|s| format!("{}: {}", s.pointer, s.reason)),
    );
    for mut indexed in types {
        if let Some(wrong) = overrides.get(&indexed.pointer) {
            indexed.rust_type = wrong.clone();
        }
        let mut made: Vec<Value> = Vec::new();
        for (n, shape) in SHAPES.iter().enumerate() {
            let key = format!("{}|{:?}|{n}", indexed.pointer, indexed.direction);
            let mut generator = Generator::new(
                &document,
                indexed.direction,
                *shape,
                instances::seed_of(&key, seed),
            );
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

/// Unescapes one JSON pointer segment (`~1` → `/`, `~0` → `~`).
pub fn unescape_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}
