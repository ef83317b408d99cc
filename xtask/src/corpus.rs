//! `cargo xtask corpus DIR`: runs the generator on every spec under `DIR` and compiles each
//! output as a crate.
//!
//! `DIR` may also be one file: the root of a description split across files (`cargo xtask corpus
//! ../shared/multifile/train-travel-split/openapi.yaml`), whose other files are fragments, not specs.
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
    /// Only generate; do not compile.
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
    /// Files and the number of warnings.
    Generated {
        files: Vec<desk_codegen::GeneratedFile>,
        warnings: usize,
    },
    /// A diagnostic (or another error): the first line, its kind and the count.
    Error {
        first: String,
        internal: bool,
        count: usize,
    },
    /// The generator panicked.
    Panic(String),
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

pub fn corpus(args: CorpusArgs) -> ExitCode {
    let root = crate::workspace_root();
    let specs = match find_specs(&args.dir) {
        Ok(specs) => specs,
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", args.dir.display());
            return ExitCode::FAILURE;
        }
    };
    let specs: Vec<PathBuf> = specs
        .into_iter()
        .filter(|p| {
            args.filter.as_deref().is_none_or(|f| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().contains(f))
            })
        })
        .collect();
    if specs.is_empty() {
        eprintln!(
            "error: no .json, .yaml or .yml file under {}",
            args.dir.display()
        );
        return ExitCode::FAILURE;
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| root.join("target/corpus"));
    let target_dir =
        args.target_dir
            .clone()
            .unwrap_or_else(|| match std::env::var_os("CARGO_TARGET_DIR") {
                Some(dir) => PathBuf::from(dir).join("corpus"),
                None => out.join("target"),
            });

    // Panics are caught and reported on the spec's line; the default hook would print them too.
    let last_panic: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
    {
        let last_panic = Arc::clone(&last_panic);
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
            if let Ok(mut slot) = last_panic.lock() {
                *slot = Some(format!("{payload}{location}"));
            }
        }));
    }

    let mut names = Vec::new();
    let mut outcomes = Vec::new();
    for spec in &specs {
        let label = match spec.strip_prefix(&args.dir) {
            Ok(relative) if !relative.as_os_str().is_empty() => relative.display().to_string(),
            _ => spec
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        let crate_name = unique_crate_name(spec, &mut names);
        let started = Instant::now();
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            let mut config = Config::new();
            config
                .spec(spec)
                .parts(Parts::ALL)
                .source_label(label.clone());
            args.select.apply(&mut config);
            config.render()
        }));
        let generate_time = started.elapsed();
        let generation = match result {
            Ok(Ok(rendered)) => {
                if !rendered.warnings.is_empty() {
                    eprintln!("{label}:");
                    eprint!(
                        "{}",
                        desk_cli::warnings::render(&rendered.warnings, args.verbose)
                    );
                }
                Generation::Generated {
                    files: rendered.files,
                    warnings: rendered.warnings.len(),
                }
            }
            Ok(Err(err)) => {
                if args.verbose {
                    eprintln!("{err}\n");
                }
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
            Err(_) => {
                let message = last_panic
                    .lock()
                    .ok()
                    .and_then(|mut s| s.take())
                    .unwrap_or_else(|| "unknown panic".into());
                Generation::Panic(message)
            }
        };
        outcomes.push(Outcome {
            label,
            crate_name,
            generation,
            generate_time,
            compilation: Compilation::Skipped,
            compile_time: Duration::ZERO,
        });
    }
    let _ = panic::take_hook();

    if !args.no_compile {
        if let Err(err) = write_workspace(&root, &out, &outcomes) {
            eprintln!(
                "error: cannot write the scratch workspace in {}: {err}",
                out.display()
            );
            return ExitCode::FAILURE;
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        for outcome in outcomes
            .iter_mut()
            .filter(|o| matches!(o.generation, Generation::Generated { .. }))
        {
            eprintln!("checking {} ...", outcome.label);
            let started = Instant::now();
            outcome.compilation = check_crate(&cargo, &out, &target_dir, &outcome.crate_name);
            outcome.compile_time = started.elapsed();
        }
    }

    let width = outcomes.iter().map(|o| o.label.len()).max().unwrap_or(0);
    let (mut generated, mut errors, mut panics, mut compiles, mut fails, mut internal_errors) =
        (0, 0, 0, 0, 0, 0);
    for outcome in &outcomes {
        let generation = match &outcome.generation {
            Generation::Generated { files, warnings } => {
                generated += 1;
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
                errors += 1;
                if *internal {
                    internal_errors += 1;
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
                panics += 1;
                format!("PANIC: {message}")
            }
        };
        let compilation = match &outcome.compilation {
            Compilation::Skipped => String::new(),
            Compilation::Compiles => {
                compiles += 1;
                format!("; compiles ({:.0} s)", outcome.compile_time.as_secs_f64())
            }
            Compilation::Fails(first) => {
                fails += 1;
                format!(
                    "; FAILS ({:.0} s): {first}",
                    outcome.compile_time.as_secs_f64()
                )
            }
        };
        println!("{:width$}  {generation}{compilation}", outcome.label);
    }
    println!(
        "{} specs: {generated} generated, {errors} errors, {panics} panics; {compiles} compile, {fails} fail",
        outcomes.len()
    );
    let failed = panics > 0 || fails > 0 || internal_errors > 0 || (args.deny_errors && errors > 0);
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Every spec file under `dir`, sorted by path.
pub(crate) fn find_specs(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        if current.is_file() {
            found.push(current);
            continue;
        }
        for entry in std::fs::read_dir(&current)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["json", "yaml", "yml"].contains(&e.to_ascii_lowercase().as_str()))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// `corpus_<file name in snake case>`, unique among `taken`.
pub(crate) fn unique_crate_name(spec: &Path, taken: &mut Vec<String>) -> String {
    let file = spec
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut base = String::from("corpus_");
    for ch in file.chars() {
        base.push(if ch.is_ascii_alphanumeric() {
            ch.to_ascii_lowercase()
        } else {
            '_'
        });
    }
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// Writes the scratch workspace: one member per generated spec, a copy of our lock file, and
/// nothing else (stale members from earlier runs are removed so they are not checked).
fn write_workspace(root: &Path, out: &Path, outcomes: &[Outcome]) -> std::io::Result<()> {
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
    let runtime = root.join("desk-runtime");
    let members: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| matches!(o.generation, Generation::Generated { .. }))
        .collect();
    let mut manifest = String::from(
        "# Written by `cargo xtask corpus`: one member per generated spec.\n[workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for member in &members {
        let _ = writeln!(manifest, "    \"{}\",", member.crate_name);
    }
    manifest.push_str("]\n\n[workspace.dependencies]\n");
    let _ = writeln!(
        manifest,
        "desk-runtime = {{ path = {:?}, features = [\"client\"] }}",
        runtime.display().to_string()
    );
    manifest.push_str(
        "serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n\
         chrono = { version = \"0.4\", default-features = false, features = [\"std\", \"serde\", \"clock\"] }\n\n\
         [profile.dev]\ndebug = false\n",
    );
    std::fs::write(out.join("Cargo.toml"), manifest)?;
    // Same versions as this repository: copy the lock file unless one is already there (cargo
    // keeps it up to date as members come and go).
    let lock = out.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock)?;
    }
    for member in members {
        let Generation::Generated { files, .. } = &member.generation else {
            continue;
        };
        let dir = out.join(&member.crate_name);
        let src = dir.join("src");
        std::fs::create_dir_all(src.join("generated"))?;
        let package = format!(
            "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [lib]\npath = \"src/lib.rs\"\n\n[dependencies]\n\
             desk-runtime.workspace = true\nserde.workspace = true\nserde_json.workspace = true\nchrono.workspace = true\n",
            member.crate_name
        );
        std::fs::write(dir.join("Cargo.toml"), package)?;
        let lib = format!(
            "//! Generated by `cargo xtask corpus` from {}.\n\npub mod generated;\n",
            member.label.replace('\\', "/")
        );
        std::fs::write(src.join("lib.rs"), lib)?;
        for file in files {
            std::fs::write(src.join("generated").join(&file.path), &file.contents)?;
        }
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
