//! [`MockServer`]: hyper on a thread of its own, routing requests to the registered mocks and
//! carrying out their answers, faults included.

use std::convert::Infallible;
use std::fmt::Write as _;
use std::io;
use std::net::SocketAddr;
use std::panic::Location;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt as _;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use super::answer::{answer_for, Answer, Canned, Step};
use super::handle::{Mock, ParamsReader};
use super::received::ReceivedRequest;
use super::routing::{closest, route};
use super::{Api, Credential, Operation, Then, When};

type Body = http_body_util::combinators::UnsyncBoxBody<Bytes, io::Error>;

/// A mock HTTP server for one [`Api`] on `127.0.0.1`, serving the mocks registered with
/// [`MockServer::register`] (the generated `MockServer` does that, one typed method per
/// operation).
///
/// It runs on a thread of its own, with its own tokio runtime, so it answers whatever runtime
/// the test runs on (multi-threaded, current-thread, a paused clock) and needs none to start.
/// Dropping it stops it and runs [`MockServer::verify`] (unless the thread is already
/// panicking).
pub struct MockServer {
    shared: Arc<Shared>,
    address: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("api", &self.shared.api.title)
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

/// How many connections the server has had.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConnectionStats {
    /// Open now.
    pub open: usize,
    /// The most open at once.
    pub peak: usize,
    /// Accepted in all.
    pub accepted: usize,
}

pub(crate) struct Shared {
    api: &'static Api,
    state: Mutex<State>,
    open: AtomicUsize,
    peak: AtomicUsize,
    accepted: AtomicUsize,
}

#[derive(Default)]
struct State {
    mocks: Vec<Registered>,
    /// Every request received, unless recording is off.
    received: Vec<ReceivedRequest>,
    record: bool,
    /// Unmatched requests and canned bodies that failed their check, as messages.
    failures: Vec<String>,
}

struct Registered {
    when: When,
    steps: Vec<Step>,
    cycle: bool,
    calls: usize,
    /// Indices into `State::received` of the requests it answered.
    requests: Vec<usize>,
    expected: Option<usize>,
    location: &'static Location<'static>,
}

impl Registered {
    fn name(&self) -> String {
        format!(
            "the mock of `{}` registered at {}",
            self.when.operation().id,
            self.location
        )
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A test's predicates run under the lock, but their panics are caught (see `When`), and no
    // update of the state can be left half done: a poisoned lock still holds a whole state.
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    pub(crate) fn calls(&self, index: usize) -> usize {
        lock(&self.state).mocks[index].calls
    }

    pub(crate) fn requests_of(&self, index: usize) -> Vec<ReceivedRequest> {
        let state = lock(&self.state);
        state.mocks[index]
            .requests
            .iter()
            .map(|&i| state.received[i].clone())
            .collect()
    }

    pub(crate) fn expect(&self, index: usize, calls: usize) {
        lock(&self.state).mocks[index].expected = Some(calls);
    }
}

impl MockServer {
    /// Starts a server for `api` on `127.0.0.1` and an ephemeral port.
    ///
    /// # Panics
    ///
    /// When no loopback port or thread can be had.
    pub fn start(api: &'static Api) -> MockServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap_or_else(|error| panic!("the mock server cannot listen on 127.0.0.1: {error}"));
        listener
            .set_nonblocking(true)
            .unwrap_or_else(|error| panic!("the mock server's socket: {error}"));
        let address = listener
            .local_addr()
            .unwrap_or_else(|error| panic!("the mock server's address: {error}"));
        let shared = Arc::new(Shared {
            api,
            state: Mutex::new(State {
                record: true,
                ..State::default()
            }),
            open: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            accepted: AtomicUsize::new(0),
        });
        let (shutdown, stop) = tokio::sync::oneshot::channel();
        let serving = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(format!("desk-mock-server-{}", address.port()))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap_or_else(|error| panic!("the mock server's runtime: {error}"));
                runtime.block_on(serve(listener, serving, stop));
            })
            .unwrap_or_else(|error| panic!("the mock server's thread: {error}"));
        MockServer {
            shared,
            address,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// The base URL to give the client: `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The socket address.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The API this server mocks.
    pub fn api(&self) -> &'static Api {
        self.shared.api
    }

    /// A blank *when* for the operation whose client method is `operation`.
    pub fn when(&self, operation: &str) -> When {
        When::new(self.shared.api.operation(operation))
    }

    /// A blank *then* for the operation whose client method is `operation`.
    pub fn then(&self, operation: &str) -> Then {
        Then::new(self.shared.api.operation(operation))
    }

    /// Registers a mock: requests of `when`'s operation that match it get `then`'s answers.
    /// `params` reads a request's parameters back for [`Mock::params`]. Mocks registered later
    /// are tried first.
    ///
    /// # Panics
    ///
    /// When `when` and `then` are for different operations, or `then` has no answer.
    #[track_caller]
    pub fn register<P, B>(&self, when: When, then: Then, params: ParamsReader<P>) -> Mock<P, B> {
        let operation = when.operation();
        assert!(
            std::ptr::eq(operation, then.operation()),
            "a mock's when and then must be for one operation"
        );
        let (steps, cycle) = then.into_steps();
        assert!(
            !steps.is_empty(),
            "the mock of `{}` has no answer: give its *then* one (`ok(..)`, a fault, ...)",
            operation.id
        );
        let mut state = lock(&self.shared.state);
        state.mocks.push(Registered {
            when,
            steps,
            cycle,
            calls: 0,
            requests: Vec::new(),
            expected: None,
            location: Location::caller(),
        });
        let index = state.mocks.len() - 1;
        drop(state);
        Mock::new(Arc::clone(&self.shared), index, params)
    }

    /// Whether to keep every request received (on by default). Off, the server keeps only
    /// counts, so memory stays flat under load; [`Mock::requests`], [`Mock::params`],
    /// [`Mock::bodies`] and [`MockServer::received`] then see the requests received while it
    /// was on.
    pub fn record_requests(&self, record: bool) {
        lock(&self.shared.state).record = record;
    }

    /// Every request received (while recording), in order.
    pub fn received(&self) -> Vec<ReceivedRequest> {
        lock(&self.shared.state).received.clone()
    }

    /// What fails [`MockServer::verify`]: a message per request no mock matched, per canned
    /// body that did not decode as its documented type, and per [`Mock::expect`] not met.
    pub fn failures(&self) -> Vec<String> {
        let state = lock(&self.shared.state);
        let mut failures = state.failures.clone();
        for mock in &state.mocks {
            if let Some(expected) = mock.expected.filter(|&n| n != mock.calls) {
                failures.push(format!(
                    "{} expected {expected} call{}, got {}",
                    mock.name(),
                    if expected == 1 { "" } else { "s" },
                    mock.calls
                ));
            }
        }
        failures
    }

    /// Returns [`MockServer::failures`] and forgets them (and the expectations not met), so
    /// that a test that provokes them on purpose can check them and still end cleanly.
    pub fn take_failures(&self) -> Vec<String> {
        let failures = self.failures();
        let mut state = lock(&self.shared.state);
        state.failures.clear();
        for mock in &mut state.mocks {
            mock.expected = None;
        }
        failures
    }

    /// Panics with every [`MockServer::failures`] message, if there are any.
    #[track_caller]
    pub fn verify(&self) {
        let failures = self.failures();
        if failures.is_empty() {
            return;
        }
        let mut message = format!(
            "desk mock of {}: {} problem{}:",
            self.shared.api.title,
            failures.len(),
            if failures.len() == 1 { "" } else { "s" }
        );
        for (i, failure) in failures.iter().enumerate() {
            let _ = write!(message, "\n{}. {failure}", i + 1);
        }
        panic!("{message}");
    }

    /// How many connections the server has open now, at most, and in all.
    pub fn connections(&self) -> ConnectionStats {
        ConnectionStats {
            open: self.shared.open.load(Ordering::SeqCst),
            peak: self.shared.peak.load(Ordering::SeqCst),
            accepted: self.shared.accepted.load(Ordering::SeqCst),
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        if !std::thread::panicking() {
            self.verify();
        }
    }
}

/// Accepts connections until `stop`; dropping the runtime afterwards ends every connection.
async fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    stop: tokio::sync::oneshot::Receiver<()>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    let accepting = tokio::spawn(async move {
        loop {
            match listener.accept().await {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(connection(stream, Arc::clone(&shared)));
                }
                // Out of file descriptors, or the like: wait a little and go on.
                Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
            }
        }
    });
    let _ = stop.await;
    accepting.abort();
}

/// One connection, counted while open.
async fn connection(stream: TcpStream, shared: Arc<Shared>) {
    let open = shared.open.fetch_add(1, Ordering::SeqCst) + 1;
    shared.peak.fetch_max(open, Ordering::SeqCst);
    shared.accepted.fetch_add(1, Ordering::SeqCst);
    let reset = Arc::new(AtomicBool::new(false));
    let io = TokioIo::new(Connection {
        stream,
        reset: Arc::clone(&reset),
    });
    let handler = Arc::clone(&shared);
    let service = service_fn(move |request| {
        let shared = Arc::clone(&handler);
        let reset = Arc::clone(&reset);
        async move { respond(&shared, &reset, request).await }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(io, service)
        .await;
    shared.open.fetch_sub(1, Ordering::SeqCst);
}

/// The TCP stream, which on drop resets the connection (`SO_LINGER` 0: the peer gets an RST
/// instead of a FIN) when an answer said so.
struct Connection {
    stream: TcpStream,
    reset: Arc<AtomicBool>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        if self.reset.load(Ordering::SeqCst) {
            let _ = self.stream.set_zero_linger();
        }
    }
}

impl AsyncRead for Connection {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Why a connection ends without an answer.
#[derive(Debug)]
struct ResetByMock;

impl std::fmt::Display for ResetByMock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by the mock")
    }
}

impl std::error::Error for ResetByMock {}

async fn respond(
    shared: &Shared,
    reset: &AtomicBool,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<Body>, ResetByMock> {
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Err(ResetByMock),
    };
    let received = received_request(shared.api, parts, body);
    match answer(shared, received) {
        Answer::Reset { delay } => {
            tokio::time::sleep(delay).await;
            reset.store(true, Ordering::SeqCst);
            Err(ResetByMock)
        }
        Answer::Respond(canned) => {
            tokio::time::sleep(canned.delay).await;
            Ok(response(canned))
        }
    }
}

fn received_request(api: &Api, parts: http::request::Parts, body: Bytes) -> ReceivedRequest {
    let path = parts.uri.path().to_owned();
    let query = parts
        .uri
        .query()
        .map(|query| {
            url::form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let routed = route(api, parts.method.as_str(), &path);
    let mut headers = parts.headers;
    // Credentials stay out of `Debug` output, as they do in the client's requests.
    let secret_headers = api.credentials.iter().filter_map(|c| match c {
        Credential::Header(name) => Some(*name),
        Credential::Query(_) => None,
    });
    for name in std::iter::once("authorization").chain(secret_headers) {
        if let Ok(name) = http::HeaderName::from_bytes(name.as_bytes()) {
            if let http::header::Entry::Occupied(mut entry) = headers.entry(name) {
                entry.iter_mut().for_each(|value| value.set_sensitive(true));
            }
        }
    }
    ReceivedRequest {
        operation: routed.as_ref().map(|r| r.operation.name),
        path_params: routed.map(|r| r.params).unwrap_or_default(),
        method: parts.method,
        path,
        query,
        headers,
        body,
        credentials: api.credentials,
    }
}

/// Picks the answer for `received` (recording it), or records why none matched and answers
/// `500` with that message.
fn answer(shared: &Shared, received: ReceivedRequest) -> Answer {
    let mut state = lock(&shared.state);
    let state = &mut *state;
    let chosen = received.operation.and_then(|name| {
        state
            .mocks
            .iter()
            .rposition(|mock| mock.when.operation().name == name && mock.when.matches(&received))
    });
    let Some(index) = chosen else {
        let message = unmatched(shared.api, &state.mocks, &received);
        state.failures.push(message.clone());
        if state.record {
            state.received.push(received);
        }
        return Answer::Respond(Canned::plain_text(500, message));
    };
    if state.record {
        state.received.push(received);
        let at = state.received.len() - 1;
        state.mocks[index].requests.push(at);
    }
    let mock = &mut state.mocks[index];
    let call = mock.calls;
    mock.calls += 1;
    let operation = mock.when.operation();
    let Some(position) = answer_for(&mock.steps, mock.cycle, call) else {
        unreachable!("a registered mock has an answer")
    };
    if let Answer::Respond(canned) = &mut mock.steps[position].answer {
        if canned.check {
            // Each body is checked once, the first time it is sent.
            canned.check = false;
            if let Err(message) = check(operation, canned) {
                let failure = format!("{} answered {message}", mock.name());
                state.failures.push(failure);
            }
        }
    }
    state.mocks[index].steps[position].answer.clone()
}

/// Whether a JSON body decodes as the type documented for its status.
fn check(operation: &Operation, canned: &Canned) -> Result<(), String> {
    let status = canned.status.as_u16();
    let Some(check) = operation.documented(status).and_then(|d| d.check) else {
        return Ok(());
    };
    check(status, &canned.body)
        .map_err(|error| format!("{status} with a body that is not the documented type: {error}"))
}

fn response(canned: Canned) -> hyper::Response<Body> {
    let length = canned.body.len();
    let body = if canned.cut {
        // Half the body, a moment for it to leave, then an error: hyper closes the connection
        // with the `Content-Length` promised and not delivered.
        let half = Frame::data(canned.body.slice(..length / 2));
        let error = async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Err(io::Error::other("closed mid-body by the mock"))
        };
        let frames =
            futures_util::stream::iter([Ok(half)]).chain(futures_util::stream::once(error));
        BodyExt::boxed_unsync(StreamBody::new(frames))
    } else {
        BodyExt::boxed_unsync(Full::new(canned.body).map_err(|never: Infallible| match never {}))
    };
    let mut response = hyper::Response::new(body);
    *response.status_mut() = canned.status;
    let headers = response.headers_mut();
    for (name, value) in canned.headers {
        headers.append(name, value);
    }
    headers.insert(
        http::header::CONTENT_LENGTH,
        http::HeaderValue::from(length),
    );
    response
}

/// The message for a request no mock matched: the request, the closest operation and what
/// did not match.
fn unmatched(api: &Api, mocks: &[Registered], received: &ReceivedRequest) -> String {
    let mut message = format!("no mock of {} matches `{}`", api.title, received.line());
    let Some(name) = received.operation else {
        match closest(api, received.method.as_str(), &received.path) {
            Some((operation, why)) => {
                let _ = write!(
                    message,
                    "; closest operation: `{}` (`{} {}`): {why}",
                    operation.id, operation.method, operation.path
                );
            }
            None => message.push_str("; the API has no operations"),
        }
        return message;
    };
    let operation = api.operation(name);
    let _ = write!(message, " (operation `{}`)", operation.id);
    // The mock of this operation with the fewest differences (the newest among equals).
    let closest = mocks
        .iter()
        .rev()
        .filter(|mock| mock.when.operation().name == name)
        .map(|mock| (mock, mock.when.differences(received)))
        .min_by_key(|(_, differences)| differences.len());
    match closest {
        Some((mock, differences)) => {
            let _ = write!(message, "; closest: {}:", mock.name());
            for difference in differences {
                let _ = write!(message, "\n   - {difference}");
            }
        }
        None => {
            let others: Vec<&str> = mocks.iter().map(|mock| mock.when.operation().id).collect();
            if others.is_empty() {
                message.push_str("; no mock is registered");
            } else {
                let _ = write!(
                    message,
                    "; it has no mock (mocks are registered for `{}`)",
                    others.join("`, `")
                );
            }
        }
    }
    message
}
