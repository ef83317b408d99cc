//! `desk`: generate typed Rust from an OpenAPI description. See `desk --help`.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = desk_cli::Cli::parse();
    match cli.command {
        desk_cli::Command::Generate(args) => desk_cli::generate(&args),
        desk_cli::Command::Diff(args) => desk_cli::diff(&args),
    }
}
