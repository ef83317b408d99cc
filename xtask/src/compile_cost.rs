//! `cargo xtask compile-cost`: what the generated code costs to compile.
//!
//! For `desk-generated` (this repository's generated crate, with and without its `client`
//! feature) and for the GitHub REST description from the shared corpus, prints the generated
//! line count and the time of `cargo check` on the generated crate **after its dependencies are
//! built**: each crate is checked once to warm (dependencies included), then its `lib.rs` is
//! touched and `cargo check` is timed again (`--runs` times; the median and the fastest are
//! shown). That is what a user pays each time the generated crate itself is rebuilt (a spec
//! change, a new toolchain, a clean clone with the dependencies cached).
//!
//! The GitHub description is measured twice: whole, and with only five common operations
//! selected (`repos/get`, `issues/list-for-repo`, `issues/create`, `pulls/list`,
//! `users/get-authenticated`: what a user who needs a few endpoints compiles; see
//! `Config::select_operation`). `--no-github-full` skips the whole one, whose check needs about
//! 11 GB of memory.
//!
//! Each GitHub output goes to a scratch crate in `target/compile-cost/github/` (or `github-selected/`; its own
//! `[workspace]`, a path dependency on `desk-runtime`, and a copy of this repository's
//! `Cargo.lock` so the versions are the ones we test with and `--offline` works). Its target
//! directory is `$CARGO_TARGET_DIR/compile-cost` when that is set, else
//! `target/compile-cost/target`.
//!
//! Speed is shown, never asserted: the command fails only when something does not generate or
//! does not compile.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime};

use desk_codegen::{Config, Layout, Parts};

/// Arguments of `cargo xtask compile-cost`.
#[derive(clap::Args)]
pub struct CompileCostArgs {
    /// How many timed `cargo check` runs per crate (the median and the fastest are shown).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// The GitHub description (default: ../shared/corpus/progenitor-samples/api.github.com.json
    /// beside this repository).
    #[arg(long)]
    github_spec: Option<PathBuf>,
    /// Skip the GitHub description (only `desk-generated`).
    #[arg(long)]
    no_github: bool,
    /// Skip the whole GitHub output (its check needs about 11 GB); still measure the five
    /// selected operations.
    #[arg(long)]
    no_github_full: bool,
}

/// The GitHub operations of the selected row: common ones, a few endpoints' worth.
const GITHUB_FIVE: [&str; 5] = [
    "repos/get",
    "issues/list-for-repo",
    "issues/create",
    "pulls/list",
    "users/get-authenticated",
];

/// One row of the table.
struct Row {
    name: String,
    lines: Option<usize>,
    outcome: Result<Timings, String>,
}

struct Timings {
    /// The first (warming) check: dependencies and the crate.
    cold: Duration,
    /// The timed checks after touching `lib.rs`.
    warm: Vec<Duration>,
}

impl Timings {
    fn median(&self) -> Duration {
        let mut sorted = self.warm.clone();
        sorted.sort();
        sorted[sorted.len() / 2]
    }
    fn min(&self) -> Duration {
        self.warm.iter().copied().min().unwrap_or_default()
    }
}

pub fn run(root: &Path, args: CompileCostArgs) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let runs = args.runs.max(1);
    let mut rows = Vec::new();

    // desk-generated, in this workspace and its target directory.
    let generated_lines = count_lines(&root.join("desk-generated/src/generated"));
    let lib = root.join("desk-generated/src/lib.rs");
    for (name, extra) in [
        ("desk-generated", &[][..]),
        (
            "desk-generated --no-default-features",
            &["--no-default-features"][..],
        ),
    ] {
        eprintln!("checking {name} ...");
        let mut check_args: Vec<OsString> = vec![
            "check".into(),
            "--offline".into(),
            "-p".into(),
            "desk-generated".into(),
        ];
        check_args.extend(extra.iter().map(OsString::from));
        let outcome = time_checks(&cargo, root, &check_args, None, &lib, runs);
        rows.push(Row {
            name: name.into(),
            lines: generated_lines.as_ref().ok().copied(),
            outcome,
        });
    }
    if let Err(err) = &generated_lines {
        eprintln!("warning: cannot count the lines of desk-generated/src/generated: {err}");
    }

    if !args.no_github {
        let spec = args.github_spec.clone().unwrap_or_else(|| {
            root.join("../shared/corpus/progenitor-samples/api.github.com.json")
        });
        if !args.no_github_full {
            rows.push(github(root, &cargo, &spec, runs, &[]));
        }
        rows.push(github(root, &cargo, &spec, runs, &GITHUB_FIVE));
    }

    print_table(&rows, runs);
    if rows.iter().any(|r| r.outcome.is_err()) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Generates the GitHub description (only the operations `selected`, when some are named) into
/// a scratch crate and times its checks.
fn github(root: &Path, cargo: &OsString, spec: &Path, runs: usize, selected: &[&str]) -> Row {
    let (name, crate_name) = if selected.is_empty() {
        ("GitHub (api.github.com.json)".to_owned(), "github")
    } else {
        (
            format!("GitHub, {} operations selected", selected.len()),
            "github-selected",
        )
    };
    let mut config = Config::new();
    for id in selected {
        config.select_operation(*id);
    }
    let rendered = config
        .spec(spec)
        .parts(Parts::ALL)
        .layout(Layout::Modules)
        .source_label("api.github.com.json")
        .rerun_if_changed(false)
        .render();
    let rendered = match rendered {
        Ok(rendered) => rendered,
        Err(err) => {
            eprintln!("error: the GitHub description does not generate:\n{err}");
            return Row {
                name,
                lines: None,
                outcome: Err("does not generate (see above)".into()),
            };
        }
    };
    let lines = rendered
        .files
        .iter()
        .map(|f| f.contents.lines().count())
        .sum();
    let dir = root.join("target/compile-cost").join(crate_name);
    let target_dir = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir).join("compile-cost"),
        None => root.join("target/compile-cost/target"),
    };
    if let Err(err) = write_crate(root, &dir, crate_name, &rendered.files) {
        return Row {
            name,
            lines: Some(lines),
            outcome: Err(format!("cannot write {}: {err}", dir.display())),
        };
    }
    eprintln!("checking the GitHub output in {} ...", dir.display());
    let check_args: Vec<OsString> = vec!["check".into(), "--offline".into()];
    let outcome = time_checks(
        cargo,
        &dir,
        &check_args,
        Some(&target_dir),
        &dir.join("src/lib.rs"),
        runs,
    );
    if let Err(err) = &outcome {
        eprintln!("error: the GitHub output does not compile: {err}");
    }
    Row {
        name,
        lines: Some(lines),
        outcome,
    }
}

/// The scratch crate: manifest, a copy of the lock file, `lib.rs` and the generated modules.
fn write_crate(
    root: &Path,
    dir: &Path,
    crate_name: &str,
    files: &[desk_codegen::GeneratedFile],
) -> std::io::Result<()> {
    let generated = dir.join("src/generated");
    if generated.exists() {
        std::fs::remove_dir_all(&generated)?;
    }
    std::fs::create_dir_all(&generated)?;
    let runtime = root.join("desk-runtime");
    let manifest = format!(
        "# Written by `cargo xtask compile-cost`.\n[package]\nname = \"compile-cost-{crate_name}\"\nversion = \"0.0.0\"\n\
         edition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\n\
         desk-runtime = {{ path = {:?}, features = [\"client\"] }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = {{ version = \"1\", features = [\"preserve_order\"] }}\n\
         chrono = {{ version = \"0.4\", default-features = false, features = [\"std\", \"serde\", \"clock\"] }}\n\n\
         [profile.dev]\ndebug = false\n",
        runtime.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock)?;
    }
    std::fs::write(dir.join("src/lib.rs"), "//! Generated by `cargo xtask compile-cost` from api.github.com.json.\n\npub mod generated;\n")?;
    for file in files {
        std::fs::write(generated.join(&file.path), &file.contents)?;
    }
    Ok(())
}

/// Runs `cargo ARGS` once to warm, then `runs` times after touching `touch`, timing each.
fn time_checks(
    cargo: &OsString,
    dir: &Path,
    args: &[OsString],
    target_dir: Option<&Path>,
    touch: &Path,
    runs: usize,
) -> Result<Timings, String> {
    let started = Instant::now();
    check(cargo, dir, args, target_dir)?;
    let cold = started.elapsed();
    let mut warm = Vec::with_capacity(runs);
    for _ in 0..runs {
        touch_file(touch).map_err(|err| format!("cannot touch {}: {err}", touch.display()))?;
        let started = Instant::now();
        check(cargo, dir, args, target_dir)?;
        warm.push(started.elapsed());
    }
    Ok(Timings { cold, warm })
}

fn check(
    cargo: &OsString,
    dir: &Path,
    args: &[OsString],
    target_dir: Option<&Path>,
) -> Result<(), String> {
    let mut command = Command::new(cargo);
    command
        .current_dir(dir)
        .args(args)
        .args(["--quiet", "--message-format", "short"])
        .stdin(Stdio::null());
    if let Some(target_dir) = target_dir {
        command
            .arg("--target-dir")
            .arg(target_dir)
            .env_remove("CARGO_TARGET_DIR");
    }
    let output = command
        .output()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("error"))
        .take(5)
        .collect();
    let shown = if errors.is_empty() {
        stderr.lines().take(5).collect::<Vec<_>>().join("\n")
    } else {
        errors.join("\n")
    };
    Err(format!(
        "`cargo {}` failed in {}:\n{shown}",
        args.iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" "),
        dir.display()
    ))
}

/// Sets the modification time to now, so Cargo rebuilds the crate (and only it).
fn touch_file(path: &Path) -> std::io::Result<()> {
    std::fs::File::options()
        .append(true)
        .open(path)?
        .set_modified(SystemTime::now())
}

/// The lines of the `.rs` files directly in `dir`.
fn count_lines(dir: &Path) -> std::io::Result<usize> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "rs") {
            total += std::fs::read_to_string(&path)?.lines().count();
        }
    }
    Ok(total)
}

fn print_table(rows: &[Row], runs: usize) {
    let width = rows
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(0)
        .max("crate".len());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:width$}  {:>9}  {:>14}  {:>13}  {:>13}",
        "crate", "lines", "check (cold)", "check median", "check fastest"
    );
    for row in rows {
        let lines = row.lines.map_or_else(|| "-".to_owned(), |l| l.to_string());
        match &row.outcome {
            Ok(t) => {
                let _ = writeln!(
                    out,
                    "{:width$}  {lines:>9}  {:>14}  {:>13}  {:>13}",
                    row.name,
                    format!("{:.1} s", t.cold.as_secs_f64()),
                    format!("{:.2} s", t.median().as_secs_f64()),
                    format!("{:.2} s", t.min().as_secs_f64()),
                );
            }
            Err(err) => {
                let first = err.lines().next().unwrap_or_default();
                let _ = writeln!(out, "{:width$}  {lines:>9}  FAILED: {first}", row.name);
            }
        }
    }
    let _ = writeln!(
        out,
        "\n`check (cold)` includes building the dependencies (once); the median and fastest are of {runs} \
         `cargo check` run(s) after touching the crate's lib.rs, dependencies already built."
    );
    print!("{out}");
}
