//! `cargo xtask`: the project's own commands.
//!
//! - `cargo xtask codegen` regenerates `desk-generated/src/generated/` from `spec/`;
//! - `cargo xtask codegen --check` fails (and writes nothing) when the checked-in output is stale;
//! - `cargo xtask codegen --spec PATH --out DIR [--check]` does the same for any spec and folder;
//! - `cargo xtask corpus DIR` generates and compiles every spec in a folder;
//! - `cargo xtask pages PATH...` counts the operations that get page methods, by rule and
//!   style, with lowering only (see `pages`);
//! - `cargo xtask conformance PATH...` checks that the generated types decode and re-encode
//!   valid instances of every schema (the harness is the `desk-conformance` crate).
//!
//! Every command works on the checkout it runs in (found from the current directory, see
//! `workspace`), whichever checkout the binary was built in.
//!
//! Outside this repository the same generator is the `desk` program (`desk-cli`); both share
//! the parts options and the reporting (warnings grouped by kind) in `desk_cli`.

mod compile_cost;
mod conformance;
mod corpus;
mod msrv;
mod pages;
mod workspace;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use desk_cli::{PartsArgs, Report};
use desk_codegen::Config;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "desk's developer commands")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate Rust from an OpenAPI description (by default: spec/ → desk-generated/).
    Codegen(CodegenArgs),
    /// Generate and compile every spec in a folder; one line per spec and a summary.
    Corpus(corpus::CorpusArgs),
    /// Decode valid instances of every schema of every spec into the generated types, and back.
    Conformance(conformance::ConformanceArgs),
    /// Count the operations that get page methods, by rule and style (lowering only).
    Pages(pages::PagesArgs),
    /// Check that the published crates' dependencies build with the stated rust-version.
    Msrv,
    /// Time `cargo check` of the generated code (desk-generated, the GitHub spec) with dependencies built.
    CompileCost(compile_cost::CompileCostArgs),
}

#[derive(clap::Args)]
struct CodegenArgs {
    /// Compare with the files on disk instead of writing; exit 1 naming the stale files.
    #[arg(long)]
    check: bool,
    /// The spec to read (default: spec/conversations.yaml). Relative paths are taken from the
    /// current directory.
    #[arg(long, requires = "out")]
    spec: Option<PathBuf>,
    /// The folder to write (default: desk-generated/src/generated).
    #[arg(long, requires = "spec")]
    out: Option<PathBuf>,
    #[command(flatten)]
    parts: PartsArgs,
    /// Print every warning's location (by default each kind of warning is printed once, with
    /// its count and the first three locations).
    #[arg(long, short)]
    verbose: bool,
}

/// The configuration `cargo xtask codegen` uses for this repository's own crate.
///
/// `desk-generated` is a crate other crates depend on, as `desk generate --crate` writes them:
/// so it is a stable API too (`#[non_exhaustive]` types built through constructors and
/// setters), and a new optional property, enum value or operation in `spec/` is a minor
/// release of it.
pub fn repo_config(root: &Path) -> Config {
    let mut config = Config::new();
    config
        .spec(root.join("spec/conversations.yaml"))
        .out_dir(root.join("desk-generated/src/generated"))
        .regenerate_command("cargo xtask codegen")
        .client_feature("client")
        .mock_feature("mock")
        .stable_api(true)
        .rerun_if_changed(false);
    config
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = match workspace::root() {
        Ok(root) => root,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Command::Codegen(args) => codegen(&root, args),
        Command::Corpus(args) => corpus::corpus(&root, args),
        Command::Conformance(args) => conformance::conformance(&root, args),
        Command::Pages(args) => pages::pages(args),
        Command::Msrv => msrv::run(&root),
        Command::CompileCost(args) => compile_cost::run(&root, args),
    }
}

fn codegen(root: &Path, args: CodegenArgs) -> ExitCode {
    let mut config = match (&args.spec, &args.out) {
        // The repository's configuration (features, stable API) for another spec and folder.
        (Some(spec), Some(out)) => {
            let mut config = repo_config(root);
            config.spec(spec).out_dir(out);
            config
        }
        _ => repo_config(root),
    };
    config.parts(args.parts.parts());
    let result = if args.check {
        config.check()
    } else {
        config.generate()
    };
    desk_cli::report(
        result,
        &Report {
            check: args.check,
            quiet: false,
            verbose: args.verbose,
            regenerate: "cargo xtask codegen",
            root: Some(root),
        },
    )
}
