//! The client under load and faults: 20,000 calls (or the first argument), 64 in flight (or
//! the second), against the generated mock with a tenth of its answers faults; prints what
//! BENCHMARKS.md reports ("The client under load and faults") and fails when an invariant
//! does not hold.
//!
//! ```text
//! cargo run --release -p desk-generated --features mock --example load -- 20000 64
//! ```

use std::process::ExitCode;

#[path = "../tests/support/load.rs"]
mod load;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let calls = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let concurrency = args.next().and_then(|a| a.parse().ok()).unwrap_or(64);
    let config = load::LoadConfig::new(calls, concurrency);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let report = runtime.block_on(load::run(&config));
    println!("{report:#?}");
    println!(
        "{} calls, {} in flight: {:.0} calls/s ({:.2} s); {} ok, errors {:?}; {} attempts (at most {} per call); peak {} connections ({} accepted); peak RSS {} KiB",
        report.calls,
        config.concurrency,
        report.calls_per_second(),
        report.elapsed.as_secs_f64(),
        report.ok,
        report.errors,
        report.attempts,
        report.max_attempts,
        report.peak_connections,
        report.accepted_connections,
        report.peak_rss_kib.unwrap_or(0),
    );
    let holds = report.panics == 0
        && report.late_calls == 0
        && report.max_attempts <= 4
        && report.retries_against_policy == 0
        && report.post_retries_after_failure == 0
        && report.answers == report.attempts;
    if holds {
        ExitCode::SUCCESS
    } else {
        eprintln!("an invariant does not hold");
        ExitCode::FAILURE
    }
}
