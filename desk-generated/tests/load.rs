//! The client under load and faults, short: a few hundred calls, 64 in flight, a tenth of the
//! answers faults (see `support/load.rs`). Invariants only, no timings: `cargo run --release -p
//! desk-generated --features mock --example load` runs 20,000 calls and prints the figures
//! (BENCHMARKS.md, "The client under load and faults").
#![cfg(feature = "mock")]

#[allow(dead_code)]
#[path = "support/load.rs"]
mod load;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_under_faults_keep_every_promise() {
    let config = load::LoadConfig::new(400, 64);
    let report = load::run(&config).await;
    println!("{report:#?}");
    assert_eq!(report.panics, 0, "{report:#?}");
    assert_eq!(
        report.ok + report.errors.values().sum::<usize>(),
        report.calls,
        "every call returns a value or a typed error"
    );
    assert_eq!(
        report.late_calls, 0,
        "calls past their deadline: {report:#?}"
    );
    assert!(
        report.max_attempts <= 4,
        "more attempts than 1 + 3 retries: {report:#?}"
    );
    assert_eq!(report.retries_against_policy, 0, "{report:#?}");
    assert_eq!(
        report.post_retries_after_failure, 0,
        "a POST retried on a 5xx or a broken connection: {report:#?}"
    );
    assert_eq!(
        report.answers, report.attempts,
        "every attempt reached the server and was logged"
    );
    // The faults reached the callers as the client documents them: resets and cut connections
    // as transport errors (not retried), a POST's 503 as the status.
    assert!(report.errors.contains_key("transport"), "{report:#?}");
    assert!(report.errors.contains_key("5xx"), "{report:#?}");
    assert!(report.ok > report.calls / 2, "{report:#?}");
    // Bounded: the calls in flight, and the stalled ones the client gave up on until their
    // stall ends.
    assert!(
        report.peak_connections <= 2 * config.concurrency,
        "{report:#?}"
    );
}
