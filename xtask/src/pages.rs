//! `cargo xtask pages PATH...`: how many operations get page methods, by rule and by style,
//! over every spec under the paths, with lowering only (no code is emitted or compiled), so it
//! runs over the whole APIs.guru collection in minutes.
//!
//! Each spec is loaded and lowered inside `catch_unwind`; one that does not load or lower is
//! counted (with the first line of its error) and skipped. An API is one spec file. The summary
//! gives the specs read, the operations, the operations with page methods and the APIs with
//! any, then one line per rule and per style (operations and APIs). `--list` prints every
//! paged operation (`spec<TAB>method<TAB>rule<TAB>style<TAB>endpoint<TAB>summary`), for
//! sampling by hand.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use desk_codegen::{Config, PagedOperation};

/// Arguments of `cargo xtask pages`.
#[derive(clap::Args)]
pub struct PagesArgs {
    /// Folders of specs (searched recursively for .json, .yaml and .yml files) or spec files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print every operation that gets page methods, one a line.
    #[arg(long)]
    list: bool,
    /// Print each spec that does not load or lower, with the first line of its error.
    #[arg(long, short)]
    verbose: bool,
}

/// Counts for one rule or style: operations, and the specs they are in.
#[derive(Default)]
struct Tally {
    operations: usize,
    apis: usize,
}

/// What lowering one spec gave.
enum Outcome {
    Lowered {
        operations: usize,
        paged: Vec<PagedOperation>,
    },
    Failed(String),
    Panicked,
}

fn lower(spec: &PathBuf) -> Outcome {
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut config = Config::new();
        config.spec(spec);
        let loaded = config.load()?;
        config.lower(&loaded)
    }));
    match result {
        Ok(Ok(lowered)) => Outcome::Lowered {
            operations: lowered.operation_count(),
            paged: lowered.paged_operations(),
        },
        Ok(Err(error)) => Outcome::Failed(
            error
                .to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned(),
        ),
        Err(_) => Outcome::Panicked,
    }
}

pub fn pages(args: PagesArgs) -> ExitCode {
    let mut specs = Vec::new();
    for path in &args.paths {
        match desk_conformance::specs::find_specs(path) {
            Ok(found) => specs.extend(found),
            Err(err) => {
                eprintln!("error: cannot read {}: {err}", path.display());
                return ExitCode::FAILURE;
            }
        }
    }
    // Stay quiet about panics: each is counted, and the hook would print a backtrace apiece.
    panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let (mut lowered, mut failed, mut panicked) = (0, 0, 0);
    let (mut operations, mut paged_operations, mut paged_apis) = (0, 0, 0);
    let mut by_rule: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut by_style: BTreeMap<&str, Tally> = BTreeMap::new();
    for spec in &specs {
        let label = spec.display();
        match lower(spec) {
            Outcome::Lowered {
                operations: count,
                paged,
            } => {
                lowered += 1;
                operations += count;
                paged_operations += paged.len();
                paged_apis += usize::from(!paged.is_empty());
                for (tallies, key) in [
                    (
                        &mut by_rule,
                        (|p: &PagedOperation| p.rule) as fn(&PagedOperation) -> &'static str,
                    ),
                    (&mut by_style, |p: &PagedOperation| p.style),
                ] {
                    let mut seen: Vec<&str> = Vec::new();
                    for op in &paged {
                        let tally = tallies.entry(key(op)).or_default();
                        tally.operations += 1;
                        if !seen.contains(&key(op)) {
                            seen.push(key(op));
                            tally.apis += 1;
                        }
                    }
                }
                if args.list {
                    for op in &paged {
                        println!(
                            "{label}\t{}\t{}\t{}\t{}\t{}",
                            op.method, op.rule, op.style, op.endpoint, op.summary
                        );
                    }
                }
            }
            Outcome::Failed(first) => {
                failed += 1;
                if args.verbose {
                    eprintln!("{label}: {first}");
                }
            }
            Outcome::Panicked => {
                panicked += 1;
                eprintln!("{label}: PANIC");
            }
        }
    }
    let _ = panic::take_hook();
    println!(
        "{} specs: {lowered} lowered, {failed} did not load or lower, {panicked} panicked ({:.0} s)",
        specs.len(),
        started.elapsed().as_secs_f64()
    );
    println!("{operations} operations; {paged_operations} get page methods, in {paged_apis} APIs");
    for (title, tallies) in [("by rule", &by_rule), ("by style", &by_style)] {
        println!("{title}:");
        for (name, tally) in tallies {
            println!(
                "  {name:<32} {:>6} operations {:>5} APIs",
                tally.operations, tally.apis
            );
        }
    }
    if panicked > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
