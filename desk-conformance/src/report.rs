//! What a run prints: one line per spec and the totals.

use desk_codegen::Usage;

use crate::SpecRun;

#[derive(Default)]
pub(crate) struct Totals {
    pub(crate) checked: usize,
    pub(crate) not_generated: usize,
    pub(crate) instances: usize,
    pub(crate) decoded: usize,
    pub(crate) round_tripped: usize,
    pub(crate) failed: usize,
    pub(crate) skipped: usize,
    pub(crate) harness_errors: usize,
    pub(crate) panics: usize,
}

impl Totals {
    /// Adds `run` and returns its line.
    pub(crate) fn add(&mut self, run: &SpecRun) -> String {
        if let Some(reason) = &run.not_checked {
            if run.panicked {
                self.panics += 1;
                return format!("PANIC: {reason}");
            }
            self.not_generated += 1;
            return format!("skipped: {reason}");
        }
        self.checked += 1;
        self.skipped += run.skipped.len();
        let skipped = if run.skipped.is_empty() {
            String::new()
        } else {
            format!("; {} skipped", run.skipped.len())
        };
        if let Some(error) = &run.harness_error {
            self.harness_errors += 1;
            return format!(
                "{} instances of {} schemas; HARNESS FAILED: {error}{skipped}",
                run.cases.len(),
                run.types.len()
            );
        }
        self.instances += run.cases.len();
        self.decoded += run.decoded;
        self.round_tripped += run.round_tripped;
        self.failed += run.failures.len();
        let failed_schemas = {
            let mut pointers: Vec<&str> = run.failures.iter().map(|f| f.pointer.as_str()).collect();
            pointers.sort_unstable();
            pointers.dedup();
            pointers.len()
        };
        let failed = if run.failures.is_empty() {
            String::new()
        } else {
            format!(
                "; {} FAILED ({failed_schemas} of {} schemas)",
                run.failures.len(),
                run.types.len()
            )
        };
        format!(
            "{} instances of {} schemas: {} decoded, {} round-tripped{failed}{skipped}",
            run.cases.len(),
            run.types.len(),
            run.decoded,
            run.round_tripped
        )
    }
}

pub(crate) fn usage_text(usage: &Usage) -> String {
    match usage {
        Usage::Component => "component schema".into(),
        Usage::RequestBody { method, path } => format!("request body of {method} {path}"),
        Usage::ResponseBody {
            method,
            path,
            status,
        } => match status {
            Some(status) => format!("{status} response of {method} {path}"),
            None => format!("default response of {method} {path}"),
        },
    }
}
