//! `cargo xtask corpus DIR`: runs the generator on every spec under `DIR` and compiles each
//! output as a crate.
//!
//! `DIR` may also be one file: the root of a description split across files (`cargo xtask corpus
//! ../shared/multifile/train-travel-split/openapi.yaml`), whose other files are fragments, not specs.
//! In a folder, a file that fails to generate and that another spec of the folder reads through
//! its `$ref`s is listed as that spec's fragment, not counted as an error (the split petstore
//! under `../shared/swagger2/oai-examples/`).
//!
//! Every `.json`, `.yaml` and `.yml` file under `DIR` (recursively, sorted by path) is rendered
//! in memory with every part (models, requests, client) inside `catch_unwind`, so a panic is
//! reported as such instead of ending the run. Each generated output becomes one member crate of
//! a scratch workspace (by default `target/corpus/`) that has its own lock file (a copy of this
//! repository's, so the dependency versions are the ones we test with and `--offline` works) and
//! one shared target directory. Each member is then checked with
//! `cargo clippy -p NAME -- -D warnings`: clippy runs every rustc check (so "compiles" means
//! type-checks and borrow-checks) plus the lints users would see, without paying for code
//! generation, which would not tell us anything more about the generated source. The members
//! have no tests or examples, so `--all-targets` would only check each library a second time
//! under `cfg(test)`: for GitHub's description (117,000 lines) that doubles two minutes.
//!
//! Cost on the 2-core machine: the dependencies (desk-runtime with its HTTP client) are
//! checked once, about a minute cold; then GitHub's description takes about two minutes,
//! nexus half a minute and the small ones seconds each.
//!
//! With `--no-compile` the scratch workspace is written but not checked (to look at the
//! output, or to check one member by hand).
//!
//! Output: one line per spec and a summary line
//! `N specs: G generated, E errors, P panics; C compile, F fail`. The exit status is non-zero
//! on any panic, any compile failure, any error of kind `Internal`, or (with `--deny-errors`)
//! any error at all.

use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use desk_codegen::{Config, DiagnosticKind, Error, Parts};
use desk_conformance::{specs, workspace};

/// Arguments of `cargo xtask corpus`.
#[derive(clap::Args)]
pub struct CorpusArgs {
    /// The folder of specs (searched recursively for .json, .yaml and .yml files), or one spec
    /// file: the root of a description split across files, whose other files are fragments.
    dir: PathBuf,
    /// Where to write the scratch workspace (default: target/corpus in this repository).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The target directory the scratch workspace builds into (default: `$CARGO_TARGET_DIR/corpus`
    /// when that is set, else `target` inside the scratch workspace).
    #[arg(long)]
    target_dir: Option<PathBuf>,
    /// Only generate (and write the scratch workspace); do not compile.
    #[arg(long)]
    no_compile: bool,
    /// Treat every generation error as a failure (by default a clear error for an unsupported
    /// feature is an accepted outcome).
    #[arg(long)]
    deny_errors: bool,
    /// Only the specs whose file name contains this text.
    #[arg(long)]
    filter: Option<String>,
    /// Generate only some operations of each spec, and the models they reach (as `desk
    /// generate`; a selector that matches nothing in a spec is that spec's error): e.g.
    /// `--filter api.github.com --operation repos/get` checks a selected crate with clippy.
    #[command(flatten)]
    select: desk_cli::SelectArgs,
    /// Print every error in full and every warning's location (by default each kind of warning
    /// is printed once per spec, with its count and the first three locations).
    #[arg(long, short)]
    verbose: bool,
}

/// What generating one spec gave.
enum Generation {
    /// Files, the number of warnings and the spec files read (the root first).
    Generated {
        files: Vec<desk_codegen::GeneratedFile>,
        warnings: usize,
        inputs: Vec<PathBuf>,
    },
    /// A diagnostic (or another error): the first line, its kind and the count.
    Error {
        first: String,
        internal: bool,
        count: usize,
    },
    /// The generator panicked.
    Panic(String),
    /// Not a description (it failed to generate), but a file another spec's `$ref`s read: the
    /// label of that spec.
    Fragment(String),
}

/// What compiling one generated crate gave.
enum Compilation {
    Skipped,
    Compiles,
    Fails(String),
}

struct Outcome {
    label: String,
    crate_name: String,
    generation: Generation,
    generate_time: Duration,
    compilation: Compilation,
    compile_time: Duration,
}

pub fn corpus(root: &Path, args: CorpusArgs) -> ExitCode {
    let specs = match find(&args) {
        Ok(specs) => specs,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| root.join("target/corpus"));
    let mut outcomes = generate_all(&specs, &args);
    mark_fragments(&specs, &mut outcomes);
    if let Err(err) = write_workspace(root, &out, &outcomes) {
        eprintln!(
            "error: cannot write the scratch workspace in {}: {err}",
            out.display()
        );
        return ExitCode::FAILURE;
    }
    if args.no_compile {
        eprintln!(
            "not compiling (--no-compile): the crates are in {}",
            out.display()
        );
    } else {
        check_all(&mut outcomes, &out, &target_dir(&args, &out));
    }
    let tally = report(&outcomes);
    if tally.failed(args.deny_errors) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The specs `args` names (a folder searched recursively, or one file), filtered by name; an
/// error naming the path when it is missing or holds no spec.
fn find(args: &CorpusArgs) -> Result<Vec<PathBuf>, String> {
    let mut specs = specs::find_specs(&args.dir)
        .map_err(|err| format!("cannot read {}: {err}", args.dir.display()))?;
    specs::filter_by_name(&mut specs, args.filter.as_deref());
    if specs.is_empty() {
        return Err(format!(
            "no .json, .yaml or .yml file under {}",
            args.dir.display()
        ));
    }
    Ok(specs)
}

/// `--target-dir`, else `$CARGO_TARGET_DIR/corpus`, else `target` in the scratch workspace.
fn target_dir(args: &CorpusArgs, out: &Path) -> PathBuf {
    args.target_dir
        .clone()
        .unwrap_or_else(|| match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => PathBuf::from(dir).join("corpus"),
            None => out.join("target"),
        })
}

/// Generates every spec in memory, a panic caught and reported on its spec's line.
fn generate_all(specs: &[PathBuf], args: &CorpusArgs) -> Vec<Outcome> {
    let catcher = PanicCatcher::install();
    let mut names = Vec::new();
    let outcomes = specs
        .iter()
        .map(|spec| {
            let label = label_of(&args.dir, spec);
            let crate_name = specs::unique_crate_name(spec, &mut names);
            let started = Instant::now();
            let generation = generate(spec, &label, args, &catcher);
            Outcome {
                generate_time: started.elapsed(),
                label,
                crate_name,
                generation,
                compilation: Compilation::Skipped,
                compile_time: Duration::ZERO,
            }
        })
        .collect();
    drop(catcher);
    outcomes
}

/// Turns the errors of files that another generated spec read (its `$ref`s' targets) into
/// fragments of that spec.
fn mark_fragments(specs: &[PathBuf], outcomes: &mut [Outcome]) {
    let canonical = |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let mut read_by: Vec<(PathBuf, String)> = Vec::new();
    for outcome in outcomes.iter() {
        if let Generation::Generated { inputs, .. } = &outcome.generation {
            for input in inputs.iter().skip(1) {
                read_by.push((canonical(input), outcome.label.clone()));
            }
        }
    }
    for (spec, outcome) in specs.iter().zip(outcomes.iter_mut()) {
        if !matches!(outcome.generation, Generation::Error { .. }) {
            continue;
        }
        let spec = canonical(spec);
        if let Some((_, root)) = read_by.iter().find(|(input, _)| *input == spec) {
            outcome.generation = Generation::Fragment(root.clone());
        }
    }
}

/// The spec's path under the folder given, or its file name when the spec itself was given.
fn label_of(dir: &Path, spec: &Path) -> String {
    match spec.strip_prefix(dir) {
        Ok(relative) if !relative.as_os_str().is_empty() => relative.display().to_string(),
        _ => spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

/// Renders one spec with every part (and the selection of `args`); prints its warnings.
fn generate(spec: &Path, label: &str, args: &CorpusArgs, catcher: &PanicCatcher) -> Generation {
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut config = Config::new();
        config.spec(spec).parts(Parts::ALL).source_label(label);
        args.select.apply(&mut config);
        config.render()
    }));
    match result {
        Ok(Ok(rendered)) => {
            if !rendered.warnings.is_empty() {
                eprintln!("{label}:");
                eprint!(
                    "{}",
                    desk_cli::warnings::render(&rendered.warnings, args.verbose)
                );
            }
            Generation::Generated {
                warnings: rendered.warnings.len(),
                files: rendered.files,
                inputs: rendered.inputs,
            }
        }
        Ok(Err(err)) => {
            if args.verbose {
                eprintln!("{err}\n");
            }
            error_summary(&err, label)
        }
        Err(_) => Generation::Panic(catcher.take()),
    }
}

/// An error's first diagnostic (with its place), whether it is the generator's fault, and the
/// number of diagnostics.
fn error_summary(err: &Error, label: &str) -> Generation {
    let diagnostics = err.diagnostics();
    let internal = diagnostics
        .iter()
        .any(|d| d.kind == DiagnosticKind::Internal)
        || !matches!(err, Error::Spec(_));
    let first = match diagnostics.first() {
        Some(d) => {
            let mut line = d.message.clone();
            if let Some(pos) = d.position {
                let _ = write!(line, " ({}:{}:{})", label, pos.line, pos.column);
            } else if let Some(pointer) = &d.pointer {
                let _ = write!(line, " (at {pointer})");
            }
            line
        }
        None => err.to_string(),
    };
    Generation::Error {
        first,
        internal,
        count: diagnostics.len().max(1),
    }
}

/// While installed, a panic's message and place are kept for [`PanicCatcher::take`] instead
/// of being printed (each is reported on its spec's line); dropping it restores the default.
struct PanicCatcher {
    last: Arc<Mutex<Option<String>>>,
}

impl PanicCatcher {
    fn install() -> Self {
        let last: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
        let slot = Arc::clone(&last);
        panic::set_hook(Box::new(move |info| {
            let payload = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(non-string payload)".into());
            let location = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            if let Ok(mut slot) = slot.lock() {
                *slot = Some(format!("{payload}{location}"));
            }
        }));
        PanicCatcher { last }
    }

    /// The last panic's message.
    fn take(&self) -> String {
        self.last
            .lock()
            .ok()
            .and_then(|mut s| s.take())
            .unwrap_or_else(|| "unknown panic".into())
    }
}

impl Drop for PanicCatcher {
    fn drop(&mut self) {
        let _ = panic::take_hook();
    }
}

/// Checks every generated member of the scratch workspace `out`, one `cargo clippy` each.
fn check_all(outcomes: &mut [Outcome], out: &Path, target_dir: &Path) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    for outcome in outcomes
        .iter_mut()
        .filter(|o| matches!(o.generation, Generation::Generated { .. }))
    {
        eprintln!("checking {} ...", outcome.label);
        let started = Instant::now();
        outcome.compilation = check_crate(&cargo, out, target_dir, &outcome.crate_name);
        outcome.compile_time = started.elapsed();
    }
}

/// The counts of a run.
#[derive(Default)]
struct Tally {
    generated: usize,
    fragments: usize,
    errors: usize,
    internal_errors: usize,
    panics: usize,
    compiles: usize,
    fails: usize,
}

impl Tally {
    /// A panic, a compile failure or an internal error fails the run; with `deny_errors`, any
    /// error does.
    fn failed(&self, deny_errors: bool) -> bool {
        self.panics > 0
            || self.fails > 0
            || self.internal_errors > 0
            || (deny_errors && self.errors > 0)
    }
}

/// Prints one line per spec and the summary line; returns the counts.
fn report(outcomes: &[Outcome]) -> Tally {
    let width = outcomes.iter().map(|o| o.label.len()).max().unwrap_or(0);
    let mut tally = Tally::default();
    for outcome in outcomes {
        let generation = generation_text(outcome, &mut tally);
        let compilation = compilation_text(outcome, &mut tally);
        println!("{:width$}  {generation}{compilation}", outcome.label);
    }
    println!(
        "{} specs: {} generated, {}{} errors, {} panics; {} compile, {} fail",
        outcomes.len(),
        tally.generated,
        match tally.fragments {
            0 => String::new(),
            n => format!("{n} fragments, "),
        },
        tally.errors,
        tally.panics,
        tally.compiles,
        tally.fails
    );
    tally
}

fn generation_text(outcome: &Outcome, tally: &mut Tally) -> String {
    match &outcome.generation {
        Generation::Generated {
            files, warnings, ..
        } => {
            tally.generated += 1;
            let lines: usize = files.iter().map(|f| f.contents.lines().count()).sum();
            format!(
                "generated ({:.2} s, {lines} lines, {warnings} warning{})",
                outcome.generate_time.as_secs_f64(),
                if *warnings == 1 { "" } else { "s" }
            )
        }
        Generation::Error {
            first,
            internal,
            count,
        } => {
            tally.errors += 1;
            if *internal {
                tally.internal_errors += 1;
            }
            let more = if *count > 1 {
                format!(" (+{} more)", count - 1)
            } else {
                String::new()
            };
            format!(
                "{}: {first}{more}",
                if *internal { "internal error" } else { "error" }
            )
        }
        Generation::Panic(message) => {
            tally.panics += 1;
            format!("PANIC: {message}")
        }
        Generation::Fragment(root) => {
            tally.fragments += 1;
            format!("fragment of {root} (read through its $refs; not a description)")
        }
    }
}

fn compilation_text(outcome: &Outcome, tally: &mut Tally) -> String {
    let seconds = outcome.compile_time.as_secs_f64();
    match &outcome.compilation {
        Compilation::Skipped => String::new(),
        Compilation::Compiles => {
            tally.compiles += 1;
            format!("; compiles ({seconds:.0} s)")
        }
        Compilation::Fails(first) => {
            tally.fails += 1;
            format!("; FAILS ({seconds:.0} s): {first}")
        }
    }
}

/// Writes the scratch workspace: one member per generated spec, a copy of our lock file, and
/// nothing else (stale members from earlier runs are removed so they are not checked).
fn write_workspace(root: &Path, out: &Path, outcomes: &[Outcome]) -> std::io::Result<()> {
    workspace::clear_members(out)?;
    let members: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| matches!(o.generation, Generation::Generated { .. }))
        .collect();
    let names: Vec<&str> = members.iter().map(|m| m.crate_name.as_str()).collect();
    let manifest = workspace::manifest(
        "# Written by `cargo xtask corpus`: one member per generated spec.",
        &names,
        root,
        // `link`: for generated code that holds `desk_runtime::Link` (see lower::nesting).
        "features = [\"client\", \"link\"]",
        "[profile.dev]\ndebug = false\n",
    );
    std::fs::write(out.join("Cargo.toml"), manifest)?;
    workspace::copy_lock_file(root, out)?;
    for member in members {
        let Generation::Generated { files, .. } = &member.generation else {
            continue;
        };
        workspace::write_member(
            out,
            &member.crate_name,
            "cargo xtask corpus",
            &member.label,
            files,
        )?;
    }
    Ok(())
}

/// `cargo clippy -p NAME -- -D warnings` in the scratch workspace; the first
/// error line on failure. Runs `--offline` first (the lock file is this repository's, whose
/// dependencies building it has fetched) and online only if Cargo says it needs the network.
fn check_crate(
    cargo: &std::ffi::OsStr,
    workspace: &Path,
    target_dir: &Path,
    name: &str,
) -> Compilation {
    let run = |offline: bool| {
        let mut command = Command::new(cargo);
        command.current_dir(workspace).arg("clippy");
        if offline {
            command.arg("--offline");
        }
        command
            .args(["--quiet", "--message-format", "short", "-p", name])
            .arg("--target-dir")
            .arg(target_dir)
            .args(["--", "-D", "warnings"])
            .env_remove("CARGO_TARGET_DIR")
            .stdin(Stdio::null())
            .output()
    };
    let result = workspace::offline_first(run);
    match result {
        Ok(output) if output.status.success() => Compilation::Compiles,
        Ok(output) => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr
                .lines()
                .find(|l| l.contains("error") || l.contains("warning"))
                .or_else(|| stderr.lines().find(|l| !l.trim().is_empty()))
                .unwrap_or("cargo clippy failed without output")
                .trim()
                .to_owned();
            Compilation::Fails(first)
        }
        Err(err) => Compilation::Fails(format!("cannot run cargo: {err}")),
    }
}
