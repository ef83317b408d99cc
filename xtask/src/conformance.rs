//! `cargo xtask conformance PATH...`: the command line of the conformance harness
//! (`desk-conformance`, where what it checks and how is documented).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

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

pub fn conformance(root: &Path, args: ConformanceArgs) -> ExitCode {
    let options = desk_conformance::Options {
        override_type: args
            .override_type
            .iter()
            .filter_map(|o| o.split_once('=').map(|(p, t)| (p.to_owned(), t.to_owned())))
            .collect(),
        paths: args.paths,
        filter: args.filter,
        out: args.out,
        target_dir: args.target_dir,
        clippy: args.clippy,
        deny_errors: args.deny_errors,
        no_build: args.no_build,
        seed: args.seed,
        verbose: args.verbose,
    };
    desk_conformance::run(root, &options)
}
