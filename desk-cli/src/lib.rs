//! The `desk` command, and what `cargo xtask codegen` shares with it: the parts options and
//! how an outcome is reported.
//!
//! ```text
//! desk generate SPEC --out DIR                  # a module folder: mod.rs, models.rs, requests.rs, client.rs
//! desk generate SPEC --out DIR --crate NAME     # a complete crate: Cargo.toml, README.md, src/
//! desk generate SPEC --out DIR --check          # write nothing; fail naming the stale files
//! desk generate SPEC --out DIR --tag issues --operation users/get-authenticated --path '/repos/*/*'
//!                                               # only these operations and the models they reach
//! desk diff OLD NEW                             # what NEW changes in the generated Rust API, and the semver bump
//! desk diff OLD NEW --format markdown --fail-on breaking   # for a pull request; exit 1 if anything breaks
//! desk diff OLD NEW --stable-api                # judged for a stable API (what --crate writes)
//! ```
//!
//! `--crate` output is a stable API unless `--exhaustive-api` is given: every struct and enum is
//! `#[non_exhaustive]` and built through constructors and setters, so a new optional property,
//! enum value or operation is a minor change for the crate's users. Module output is exhaustive
//! unless `--stable-api` is given (`#[non_exhaustive]` binds only other crates). `desk diff`
//! judges an exhaustive API unless given `--stable-api`.
//!
//! `--tag`, `--operation` and `--path` may each be repeated; an operation is generated when any
//! of them matches it, and a model only when a generated operation reaches it. A `--path` is a
//! path key as the description writes it, where `*` matches within one segment and a segment
//! `**` any number of segments (`/repos/**` is a prefix), optionally after a method
//! (`'GET /user'`). One that matches no operation is an error naming it.
//!
//! Output depends only on the spec's bytes and the options: the header names the spec by its
//! file name, and `--runtime-path` is written relative to the generated crate.
//!
//! The library exists for `cargo xtask`; build scripts use `desk-codegen` and never compile
//! clap.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod warnings;

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use desk_codegen::{Config, CrateOptions, Error, Parts, Rendered, ReportFormat, RuntimeSource};

/// `desk`'s command line.
#[derive(Debug, Parser)]
#[command(
    name = "desk",
    version,
    about = "Generate typed Rust (models, PATCH types, an async client) from an OpenAPI description"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `desk`'s subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a module folder, or with --crate a complete crate, from an OpenAPI description.
    Generate(GenerateArgs),
    /// Report what a new description changes in the generated public Rust API, with the semver
    /// bump it needs.
    Diff(DiffArgs),
}

/// How `desk diff` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Indented text, for a terminal.
    Text,
    /// Markdown, for a changelog or a pull request comment.
    Markdown,
    /// JSON, for machines.
    Json,
}

/// When `desk diff` exits with status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// When any change is breaking (the verdict is `major`).
    Breaking,
    /// When anything in the public API changed.
    Any,
}

/// `desk diff`'s options.
#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The old description (root file; YAML or JSON, one file or split).
    pub old: PathBuf,
    /// The new description.
    pub new: PathBuf,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Exit with status 1 when the report has breaking changes (`breaking`) or any change
    /// (`any`). Errors exit with status 2.
    #[arg(long, value_enum, value_name = "WHEN")]
    pub fail_on: Option<FailOn>,
    /// Which parts are generated (the report covers those only).
    #[command(flatten)]
    pub parts: PartsArgs,
    /// Names the Rust type of a component schema, as for `desk generate`.
    #[arg(long, value_name = "SCHEMA=TYPE")]
    pub type_name: Vec<String>,
    /// Adds a derive to every generated struct, as for `desk generate`.
    #[arg(long, value_name = "PATH")]
    pub extra_derive: Vec<String>,
    /// Operations generated, as for `desk generate`.
    #[command(flatten)]
    pub select: SelectArgs,
    /// Judge a stable API (`desk generate --stable-api`, the default of `--crate`): structs and
    /// enums are `#[non_exhaustive]`, so new optional fields, enum values and operations are
    /// additions. Without it the API judged is exhaustive, where they break.
    #[arg(long)]
    pub stable_api: bool,
}

/// Runs `desk diff`: prints the report to standard output; the exit status is 0, 1 when
/// `--fail-on` is met, 2 on an error.
pub fn diff(args: &DiffArgs) -> ExitCode {
    let mut config = Config::new();
    config.parts(args.parts.parts());
    for pair in &args.type_name {
        let Some((schema, rust)) = pair.split_once('=') else {
            eprintln!("error: --type-name `{pair}`: write SCHEMA=TYPE, e.g. `order-line=LineItem`");
            return ExitCode::from(2);
        };
        config.type_name(schema, rust);
    }
    for derive in &args.extra_derive {
        config.extra_derive(derive);
    }
    args.select.apply(&mut config);
    config.stable_api(args.stable_api);
    let diff = match config.diff(&args.old, &args.new) {
        Ok(diff) => diff,
        Err(Error::Spec(diagnostics)) => {
            for diagnostic in &diagnostics {
                eprintln!("{diagnostic}\n");
            }
            eprintln!("error: a description could not be read; nothing was compared");
            return ExitCode::from(2);
        }
        Err(other) => {
            eprintln!("error: {other}");
            return ExitCode::from(2);
        }
    };
    let format = match args.format {
        FormatArg::Text => ReportFormat::Text,
        FormatArg::Markdown => ReportFormat::Markdown,
        FormatArg::Json => ReportFormat::Json,
    };
    print!("{}", diff.render(format));
    let failed = match args.fail_on {
        Some(FailOn::Breaking) => diff.is_breaking(),
        Some(FailOn::Any) => !diff.is_empty(),
        None => false,
    };
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Which parts of the API to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PartsArg {
    /// Models only.
    Models,
    /// Models and request (`*Create`, `*Patch`) types: no client, no HTTP stack.
    Types,
    /// Models, request types and the async client.
    All,
}

/// The parts options, shared by `desk generate` and `cargo xtask codegen`.
#[derive(Debug, Clone, Args)]
pub struct PartsArgs {
    /// Which parts to generate.
    #[arg(long, value_enum, default_value_t = PartsArg::All)]
    pub parts: PartsArg,
    /// Same as `--parts types`.
    #[arg(long, conflicts_with_all = ["parts", "models_only"])]
    pub no_client: bool,
    /// Same as `--parts models`.
    #[arg(long, conflicts_with = "parts")]
    pub models_only: bool,
}

impl PartsArgs {
    /// The parts asked for.
    pub fn parts(&self) -> Parts {
        match (self.models_only, self.no_client, self.parts) {
            (true, _, _) | (_, _, PartsArg::Models) => Parts::MODELS,
            (_, true, _) | (_, _, PartsArg::Types) => Parts::TYPES,
            (_, _, PartsArg::All) => Parts::ALL,
        }
    }

    /// The canonical option (`--parts types`), empty for the default.
    fn option(&self) -> &'static str {
        let parts = self.parts();
        if parts == Parts::MODELS {
            " --parts models"
        } else if parts == Parts::TYPES {
            " --parts types"
        } else {
            ""
        }
    }
}

/// The operation selection options, shared by `desk generate` and `cargo xtask corpus`.
#[derive(Debug, Clone, Default, Args)]
pub struct SelectArgs {
    /// Generate only the operations with this tag, and the models they reach (repeatable;
    /// with other --tag, --operation and --path options, an operation any of them matches is
    /// generated).
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// Generate only the operation with this operationId, and the models it reaches
    /// (repeatable).
    #[arg(long = "operation", value_name = "OPERATION_ID")]
    pub operation: Vec<String>,
    /// Generate only the operations under the paths this pattern matches, and the models they
    /// reach (repeatable): a path as the description writes it, with `*` within a segment and
    /// `**` for any number of segments (`/repos/**`), optionally after a method (`'GET /user'`).
    #[arg(long, value_name = "PATTERN")]
    pub path: Vec<String>,
}

impl SelectArgs {
    /// Adds the selection to `config`.
    pub fn apply(&self, config: &mut Config) {
        for tag in &self.tag {
            config.select_tag(tag);
        }
        for id in &self.operation {
            config.select_operation(id);
        }
        for pattern in &self.path {
            config.select_path(pattern);
        }
    }

    /// The options as typed on a command line (each after a space), for the README of a crate.
    fn options(&self) -> String {
        let quote = |value: &str| {
            if value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./{}".contains(c))
            {
                value.to_owned()
            } else {
                format!("'{}'", value.replace('\'', r"'\''"))
            }
        };
        let mut options = String::new();
        for (flag, values) in [
            ("--tag", &self.tag),
            ("--operation", &self.operation),
            ("--path", &self.path),
        ] {
            for value in values {
                options.push_str(&format!(" {flag} {}", quote(value)));
            }
        }
        options
    }
}

/// `desk generate`'s options.
#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// The OpenAPI description (`.yaml`, `.yml` or `.json`; OpenAPI 3.0 or 3.1, or Swagger 2.0).
    pub spec: PathBuf,
    /// The folder to write: the module folder, or with --crate the crate's root.
    #[arg(long)]
    pub out: PathBuf,
    /// Compare with the files on disk instead of writing; exit 1 naming the stale files.
    #[arg(long)]
    pub check: bool,
    /// Which parts to generate.
    #[command(flatten)]
    pub parts: PartsArgs,
    /// Write a complete crate with this package name: Cargo.toml, README.md, src/lib.rs and the
    /// modules. The client (if generated) is behind the crate's default feature `client`.
    #[arg(long = "crate", value_name = "NAME")]
    pub crate_name: Option<String>,
    /// Also write the `mock` module (typed mocks for tests) behind this feature; --crate
    /// output has it behind the feature `mock` unless this names another.
    #[arg(long, value_name = "FEATURE")]
    pub mock_feature: Option<String>,
    /// With --crate: take desk-runtime from this folder (a checkout's `desk-runtime/`); written
    /// into Cargo.toml relative to the crate.
    #[arg(
        long,
        value_name = "DIR",
        requires = "crate_name",
        conflicts_with = "runtime_git"
    )]
    pub runtime_path: Option<PathBuf>,
    /// With --crate: take desk-runtime from this git repository (desk's workspace).
    #[arg(long, value_name = "URL", requires = "crate_name")]
    pub runtime_git: Option<String>,
    /// With --runtime-git: the commit, tag or branch.
    #[arg(long, value_name = "REV", requires = "runtime_git")]
    pub runtime_rev: Option<String>,
    /// Names the Rust type of a component schema: `--type-name order-line=LineItem`.
    #[arg(long, value_name = "SCHEMA=TYPE")]
    pub type_name: Vec<String>,
    /// Adds a derive to every generated struct: `--extra-derive Eq`.
    #[arg(long, value_name = "PATH")]
    pub extra_derive: Vec<String>,
    /// Generate a stable API (the default with --crate): every struct and enum
    /// `#[non_exhaustive]`, structs built through `new` and chained setters, so that a new
    /// optional property, enum value or operation in the description is a minor change for code
    /// in other crates.
    #[arg(long, conflicts_with = "exhaustive_api")]
    pub stable_api: bool,
    /// Generate an exhaustive API (the default without --crate): plain structs and enums that
    /// other crates may build with literals and match exhaustively, so any new field or value
    /// breaks them.
    #[arg(long)]
    pub exhaustive_api: bool,
    /// Operations to generate, and the models they reach (by default: all of them).
    #[command(flatten)]
    pub select: SelectArgs,
    /// Print only errors (no warnings, no dependency list).
    #[arg(long, short)]
    pub quiet: bool,
    /// Print every warning's location (by default each kind of warning is printed once, with
    /// its count and the first three locations).
    #[arg(long, short)]
    pub verbose: bool,
}

/// Runs `desk generate`; the exit code says whether it succeeded (and with --check, whether
/// the output was fresh).
pub fn generate(args: &GenerateArgs) -> ExitCode {
    let (config, runtime) = match configure(args) {
        Ok(configured) => configured,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let result = if args.check {
        config.check()
    } else {
        config.generate()
    };
    let rendered = result.as_ref().ok().cloned();
    let code = report(
        result,
        &Report {
            check: args.check,
            quiet: args.quiet,
            verbose: args.verbose,
            regenerate: "desk generate (without --check)",
            root: None,
        },
    );
    let Some(rendered) = rendered else {
        return code;
    };
    if args.quiet || args.check {
        return code;
    }
    let requirements = config.requirements(&rendered, &runtime);
    let needs_runtime = requirements
        .dependencies
        .iter()
        .any(|d| d.name == "desk-runtime");
    let unpublished = matches!(runtime, RuntimeSource::Registry(_)) && needs_runtime;
    if args.crate_name.is_none() {
        println!(
            "# The generated module needs, in the Cargo.toml of the crate that holds it:\n{}",
            requirements.toml()
        );
    }
    if unpublished {
        eprintln!(
            "note: desk-runtime is not on crates.io yet: take it from git or from a checkout of desk (with --crate: --runtime-git URL or --runtime-path DIR)"
        );
    }
    code
}

/// Builds the configuration `args` ask for, and where the runtime comes from.
fn configure(args: &GenerateArgs) -> Result<(Config, RuntimeSource), String> {
    let mut config = Config::new();
    config
        .spec(&args.spec)
        .out_dir(&args.out)
        .parts(args.parts.parts())
        .rerun_if_changed(false)
        .regenerate_command("desk generate");
    for pair in &args.type_name {
        let Some((schema, rust)) = pair.split_once('=') else {
            return Err(format!(
                "--type-name `{pair}`: write SCHEMA=TYPE, e.g. `order-line=LineItem`"
            ));
        };
        config.type_name(schema, rust);
    }
    for derive in &args.extra_derive {
        config.extra_derive(derive);
    }
    if let Some(feature) = &args.mock_feature {
        config.mock_feature(feature);
    }
    if args.stable_api || args.exhaustive_api {
        config.stable_api(args.stable_api);
    }
    args.select.apply(&mut config);
    let runtime = match (&args.runtime_path, &args.runtime_git) {
        (Some(path), _) => RuntimeSource::Path(relative_path(path, &args.out)?),
        (None, Some(url)) => RuntimeSource::Git {
            url: url.clone(),
            rev: args.runtime_rev.clone(),
        },
        (None, None) => RuntimeSource::default(),
    };
    if let Some(name) = &args.crate_name {
        let mut options = CrateOptions::new(name);
        options.runtime = runtime.clone();
        options.command = Some(crate_command(args, name, &runtime));
        config.package(options);
    }
    Ok((config, runtime))
}

/// The command that generated a crate, for its README: the spec by file name and the options
/// that shape the output, with placeholders for the paths (which differ per machine).
fn crate_command(args: &GenerateArgs, name: &str, runtime: &RuntimeSource) -> String {
    let file = args
        .spec
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "SPEC".into());
    let mut command = format!(
        "desk generate path/to/{file} --out path/to/{name} --crate {name}{}",
        args.parts.option()
    );
    match runtime {
        RuntimeSource::Path(_) => command.push_str(" --runtime-path path/to/desk/desk-runtime"),
        RuntimeSource::Git { url, rev } => {
            command.push_str(&format!(" --runtime-git {url}"));
            if let Some(rev) = rev {
                command.push_str(&format!(" --runtime-rev {rev}"));
            }
        }
        RuntimeSource::Registry(_) => {}
    }
    for pair in &args.type_name {
        command.push_str(&format!(" --type-name {pair}"));
    }
    for derive in &args.extra_derive {
        command.push_str(&format!(" --extra-derive {derive}"));
    }
    if let Some(feature) = &args.mock_feature {
        command.push_str(&format!(" --mock-feature {feature}"));
    }
    if args.exhaustive_api {
        command.push_str(" --exhaustive-api");
    }
    command.push_str(&args.select.options());
    command
}

/// `target` as seen from the folder `base` (both relative to the working directory or
/// absolute), with `/` separators: what a `path = "..."` dependency in `base/Cargo.toml` says.
fn relative_path(target: &Path, base: &Path) -> Result<String, String> {
    let cwd = std::env::current_dir()
        .map_err(|err| format!("cannot read the working directory: {err}"))?;
    let target = normalize(&cwd.join(target));
    let base = normalize(&cwd.join(base));
    let common = target
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        // Different roots (another drive): only an absolute path can say it.
        return Ok(target.display().to_string().replace('\\', "/"));
    }
    let mut parts: Vec<String> = base
        .components()
        .skip(common)
        .map(|_| "..".to_owned())
        .collect();
    parts.extend(
        target
            .components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Ok(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

/// `path` with `.` and `..` resolved by their spelling (no symlinks followed).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// How to report an outcome.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// Whether the run compared instead of writing.
    pub check: bool,
    /// Print only errors.
    pub quiet: bool,
    /// Print every warning's location (by default each kind once, with a count and the first
    /// three locations).
    pub verbose: bool,
    /// What to run to bring stale output up to date.
    pub regenerate: &'a str,
    /// Stale paths are shown relative to this folder when under it.
    pub root: Option<&'a Path>,
}

/// Prints the outcome of a generation or check to standard error: warnings, a summary, stale
/// files or the diagnostics. Success is exit status 0, anything else 1.
pub fn report(result: Result<Rendered, Error>, how: &Report<'_>) -> ExitCode {
    match result {
        Ok(rendered) => {
            if !how.quiet {
                eprint!("{}", warnings::render(&rendered.warnings, how.verbose));
                if let Some(changes) = &rendered.api_changes {
                    eprint!("{}", changes.summary(how.verbose));
                }
                let verb = if how.check { "up to date" } else { "generated" };
                eprintln!("{verb}: {} file(s)", rendered.files.len());
            }
            ExitCode::SUCCESS
        }
        Err(Error::Stale(paths)) => {
            eprintln!(
                "error: the generated code is stale; run `{}` and commit the result.",
                how.regenerate
            );
            for path in paths {
                let shown = how
                    .root
                    .and_then(|root| path.strip_prefix(root).ok())
                    .unwrap_or(&path);
                eprintln!("  stale: {}", shown.display());
            }
            ExitCode::FAILURE
        }
        Err(Error::Spec(diagnostics)) => {
            for diagnostic in &diagnostics {
                eprintln!("{diagnostic}\n");
            }
            eprintln!(
                "error: generation failed with {} error(s); no file was written",
                diagnostics.len()
            );
            ExitCode::FAILURE
        }
        Err(other) => {
            eprintln!("error: {other}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_paths_are_written_relative_to_the_crate() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            relative_path(Path::new("desk/desk-runtime"), Path::new("api")).unwrap(),
            "../desk/desk-runtime"
        );
        assert_eq!(
            relative_path(Path::new("./x/../desk-runtime"), Path::new("out/api/")).unwrap(),
            "../../desk-runtime"
        );
        assert_eq!(
            relative_path(&cwd.join("a/b"), Path::new("a/c")).unwrap(),
            "../b"
        );
        assert_eq!(relative_path(Path::new("a"), Path::new("a")).unwrap(), ".");
    }

    #[test]
    fn parts_options_agree() {
        let parse = |args: &[&str]| {
            let mut all = vec!["desk", "generate", "api.yaml", "--out", "x"];
            all.extend_from_slice(args);
            let Command::Generate(args) = Cli::try_parse_from(all).expect("parses").command else {
                panic!("parsed as generate")
            };
            args.parts.parts()
        };
        assert_eq!(parse(&[]), Parts::ALL);
        assert_eq!(parse(&["--parts", "types"]), Parts::TYPES);
        assert_eq!(parse(&["--no-client"]), Parts::TYPES);
        assert_eq!(parse(&["--parts", "models"]), Parts::MODELS);
        assert_eq!(parse(&["--models-only"]), Parts::MODELS);
        assert!(
            Cli::try_parse_from([
                "desk",
                "generate",
                "a.yaml",
                "--out",
                "x",
                "--runtime-path",
                "r"
            ])
            .is_err(),
            "--runtime-path needs --crate"
        );
    }
}
