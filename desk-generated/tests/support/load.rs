//! The client under load and faults, against the generated mock: many calls, a fixed number
//! in flight, a tenth of the answers faults. Shared by `tests/load.rs` (a few hundred calls,
//! invariants asserted) and `examples/load.rs` (20,000 calls, figures printed for
//! BENCHMARKS.md).
//!
//! Faults, in a cycle of 40 answers per operation (10 %): a `429` with `Retry-After: 0`, a
//! `503`, a connection reset after the request is read, and a stall past the per-attempt
//! timeout. Four in five calls list conversations (a GET: idempotent), one in five creates one
//! (a POST: retried on `429` only). Every attempt is logged by a transport wrapped around the
//! default one, keyed by the call (the `page` of a GET, the `token` of a POST), so retries are
//! counted per call and what each retry followed is known.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use desk_generated::client::ListConversationsParams;
use desk_generated::mock::MockServer;
use desk_generated::models::{
    Conversation, ConversationApiBody, ConversationState, ConversationsApiBody,
};
use desk_generated::requests::ConversationCreate;
use desk_generated::runtime::client::{
    BoxFuture, Error, Request, ReqwestTransport, Response, RetryPolicy, Transport, TransportError,
};
use futures_util::StreamExt;

/// What to run.
#[derive(Clone, Debug)]
pub struct LoadConfig {
    /// Calls in all.
    pub calls: usize,
    /// Calls in flight at once.
    pub concurrency: usize,
    /// The client's timeout of each attempt.
    pub timeout: Duration,
    /// The client's deadline of each call.
    pub deadline: Duration,
    /// How long a stalled answer waits (more than `timeout`).
    pub stall: Duration,
}

impl LoadConfig {
    /// `calls` calls, `concurrency` in flight, a 250 ms attempt timeout, a 2 s deadline and
    /// stalls of 600 ms.
    pub fn new(calls: usize, concurrency: usize) -> Self {
        LoadConfig {
            calls,
            concurrency,
            timeout: Duration::from_millis(250),
            deadline: Duration::from_secs(2),
            stall: Duration::from_millis(600),
        }
    }

    /// The retry policy of the run: 3 retries, short backoffs.
    pub fn policy(&self) -> RetryPolicy {
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
            max_rate_limit_wait: Duration::from_secs(1),
            jitter: true,
        }
    }
}

/// How one attempt ended, as the transport saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Still running when the client gave up on it (its timeout).
    Cancelled,
    /// A response with this status.
    Status(u16),
    /// The transport's timeout.
    Timeout,
    /// No connection.
    Connect,
    /// Any other transport failure (a reset, a body cut short).
    Broken,
}

/// What a run measured.
#[derive(Debug, Default)]
pub struct LoadReport {
    /// Calls made.
    pub calls: usize,
    /// Calls that returned a value.
    pub ok: usize,
    /// Calls that returned an error, by kind.
    pub errors: BTreeMap<&'static str, usize>,
    /// Tasks that panicked.
    pub panics: usize,
    /// Attempts in all.
    pub attempts: usize,
    /// The most attempts one call made.
    pub max_attempts: usize,
    /// Retries that followed an answer the policy does not retry (for the method).
    pub retries_against_policy: usize,
    /// POST retries after anything but a `429`.
    pub post_retries_after_failure: usize,
    /// Calls that ended after their deadline plus `slack`.
    pub late_calls: usize,
    /// The longest call.
    pub longest_call: Duration,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// The most connections the server had open at once.
    pub peak_connections: usize,
    /// Connections the server accepted.
    pub accepted_connections: usize,
    /// Answers the mocks gave.
    pub answers: usize,
    /// Peak resident memory of the process (VmHWM), in KiB, where the OS tells.
    pub peak_rss_kib: Option<u64>,
    /// Resident memory at the end (VmRSS), in KiB.
    pub rss_kib: Option<u64>,
}

impl LoadReport {
    /// Calls per second.
    pub fn calls_per_second(&self) -> f64 {
        self.calls as f64 / self.elapsed.as_secs_f64()
    }
}

type Log = Arc<Mutex<BTreeMap<(bool, u64), Vec<Attempt>>>>;

/// The default transport, logging every attempt under its call.
struct Logging {
    inner: ReqwestTransport,
    log: Log,
}

/// The call an attempt belongs to: (is a POST, its number).
fn call_of(request: &Request) -> (bool, u64) {
    if let Some(body) = &request.body {
        let value: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
        let token = value["conversation"]["token"].as_str().unwrap_or("0");
        return (true, token.parse().unwrap_or(0));
    }
    let page = request
        .url
        .split(['?', '&'])
        .find_map(|pair| pair.strip_prefix("page="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    (false, page)
}

impl Transport for Logging {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, TransportError>> {
        let key = call_of(&request);
        let index = {
            let mut log = self.log.lock().unwrap();
            let attempts = log.entry(key).or_default();
            attempts.push(Attempt::Cancelled);
            attempts.len() - 1
        };
        Box::pin(async move {
            let result = self.inner.send(request).await;
            let attempt = match &result {
                Ok(response) => Attempt::Status(response.status.as_u16()),
                Err(error) if error.is_timeout() => Attempt::Timeout,
                Err(error) if error.is_connect() => Attempt::Connect,
                Err(_) => Attempt::Broken,
            };
            self.log.lock().unwrap().get_mut(&key).unwrap()[index] = attempt;
            result
        })
    }
}

/// Whether the policy retries after `attempt` (`idempotent`: for a GET).
fn retried_after(attempt: Attempt, idempotent: bool) -> bool {
    match attempt {
        Attempt::Status(429) => true,
        Attempt::Status(502..=504) | Attempt::Cancelled | Attempt::Timeout | Attempt::Connect => {
            idempotent
        }
        _ => false,
    }
}

fn memory(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn error_kind(error: &Error<desk_generated::models::Validator>) -> &'static str {
    match error {
        _ if error.is_timeout() => "timeout",
        _ if error.is_connect() => "connect",
        Error::Transport(_) => "transport",
        Error::UnexpectedStatus { status, .. } if status.as_u16() == 429 => "429",
        Error::UnexpectedStatus { status, .. } if status.is_server_error() => "5xx",
        Error::UnexpectedStatus { .. } => "other status",
        Error::Api { .. } => "api",
        Error::Decode { .. } => "decode",
        _ => "other",
    }
}

/// Runs `config` on the current tokio runtime (a multi-threaded one) and reports.
pub async fn run(config: &LoadConfig) -> LoadReport {
    let server = MockServer::start();
    // Counts only: memory stays flat however many calls are made.
    server.record_requests(false);
    let conversations: Vec<Conversation> = (1..=5)
        .map(|id| {
            Conversation::new()
                .id(id)
                .state(ConversationState::Active)
                .token(format!("t{id}"))
        })
        .collect();
    let page = ConversationsApiBody::new().conversations(conversations);
    let created = ConversationApiBody::new(Conversation::new().id(1));
    let stall = config.stall;
    let list = server.list_conversations(|_, then| {
        then.ok(&page).times(36);
        then.rate_limited(Duration::ZERO).server_error(503);
        then.reset_connection().ok(&page).delay(stall).cycle();
    });
    let create = server.create_conversation(|_, then| {
        then.created(&created).times(36);
        then.rate_limited(Duration::ZERO).server_error(503);
        then.reset_connection()
            .created(&created)
            .delay(stall)
            .cycle();
    });
    let log: Log = Arc::default();
    let transport = Logging {
        inner: ReqwestTransport::with_connect_timeout(Duration::from_secs(1)).unwrap(),
        log: Arc::clone(&log),
    };
    let client = server
        .client()
        .bearer_token("load-test")
        .timeout(config.timeout)
        .deadline(config.deadline)
        .retry_policy(config.policy())
        .transport(transport)
        .build()
        .unwrap();

    let started = Instant::now();
    let deadline = config.deadline;
    let slack = Duration::from_secs(1);
    let mut report = LoadReport {
        calls: config.calls,
        ..LoadReport::default()
    };
    // Each call's attempts are taken out of the log when it ends, and only counts are kept:
    // the harness's own memory stays flat however many calls are made.
    let calls = futures_util::stream::iter(1..=config.calls as u64).map(|call| {
        let client = client.clone();
        let log = Arc::clone(&log);
        tokio::spawn(async move {
            let began = Instant::now();
            let post = call % 5 == 0;
            let result = if post {
                client
                    .create_conversation(ConversationCreate::new().token(call.to_string()))
                    .await
                    .map(drop)
            } else {
                let params = ListConversationsParams::default().page(call as i32);
                client.list_conversations(&params).await.map(drop)
            };
            let took = began.elapsed();
            let attempts = log
                .lock()
                .unwrap()
                .remove(&(post, call))
                .unwrap_or_default();
            (post, took, result.map_err(|e| error_kind(&e)), attempts)
        })
    });
    let mut calls = std::pin::pin!(calls.buffer_unordered(config.concurrency));
    while let Some(joined) = calls.next().await {
        let Ok((post, took, outcome, attempts)) = joined else {
            report.panics += 1;
            continue;
        };
        report.longest_call = report.longest_call.max(took);
        if took > deadline + slack {
            report.late_calls += 1;
        }
        match outcome {
            Ok(()) => report.ok += 1,
            Err(kind) => *report.errors.entry(kind).or_default() += 1,
        }
        report.attempts += attempts.len();
        report.max_attempts = report.max_attempts.max(attempts.len());
        for before in attempts.iter().take(attempts.len().saturating_sub(1)) {
            if !retried_after(*before, !post) {
                report.retries_against_policy += 1;
            }
            if post && *before != Attempt::Status(429) {
                report.post_retries_after_failure += 1;
            }
        }
    }
    report.elapsed = started.elapsed();
    let connections = server.connections();
    report.peak_connections = connections.peak;
    report.accepted_connections = connections.accepted;
    report.answers = list.calls() + create.calls();
    report.peak_rss_kib = memory("VmHWM:");
    report.rss_kib = memory("VmRSS:");
    report
}
