//! [`ApiClient`], its builder and [`RequestSpec`].

use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde::Serialize;
use tokio::time::Instant;
use tracing::field::Empty;
use tracing::Instrument as _;

use super::auth::{Auth, Secret};
use super::encode::{encode_query_component, is_dot_segment};
use super::error::Error;
use super::paginate::PageSlot;
use super::request::RequestBuilder;
use super::retry::{RateLimit, RetryPolicy};
use super::transport::{Request, Response, Transport, TransportError};

/// The `User-Agent` sent when none is configured: `desk-runtime/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("desk-runtime/", env!("CARGO_PKG_VERSION"));

/// How long one attempt (connect, send, receive the whole body) may take unless configured:
/// 30 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a whole call (every attempt, and the waits between them) may take unless
/// configured: 2 minutes.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(120);

/// How long establishing a connection (TCP and TLS) may take with the default transport
/// unless configured: 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Everything a generated operation knows about one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestSpec {
    /// The HTTP method.
    pub method: Method,
    /// The path below the base URL, starting with `/`, every parameter
    /// already encoded with [`encode_path_segment`](super::encode_path_segment).
    pub path: String,
    /// Raw (not yet encoded) query parameters, in order;
    /// [`ApiClient::execute`] encodes them.
    pub query: Vec<(String, String)>,
    /// Extra request headers (header parameters, a non-JSON content type), in order.
    /// A header named here replaces the one the client would send by default.
    pub headers: Vec<(String, String)>,
    /// The request body, if any (JSON unless `headers` names another `Content-Type`).
    pub body: Option<Vec<u8>>,
    /// Whether to send the client's `Authorization` header.
    pub authenticated: bool,
    /// Whether the request may be repeated safely, which allows retries on
    /// `502`/`503`/`504`, timeouts and connection failures. (`429` is
    /// retried regardless.)
    pub idempotent: bool,
    /// Overrides the client-wide timeout of each attempt for this call.
    pub timeout: Option<Duration>,
    /// Overrides the client-wide deadline of the whole call (every attempt
    /// and the waits between them).
    pub deadline: Option<Duration>,
    /// The operation's id (for the `tracing` span), e.g. `listConversations`.
    pub operation_id: Option<&'static str>,
    /// The path template (`/conversations/{id}.json`), which the `tracing`
    /// span records instead of the path, so that parameter values (tokens,
    /// ids) stay out of logs.
    pub path_template: Option<&'static str>,
    /// An absolute URL to send the request to instead of the base URL, `path`
    /// and `query` (a page stream's next link; see [`Pages`](super::Pages)).
    pub url: Option<String>,
}

impl RequestSpec {
    /// A spec for `method` on `path` with no query and no body,
    /// `authenticated: true`, `idempotent` from the method's semantics
    /// (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`, `TRACE`) and no timeout
    /// override.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        RequestSpec {
            idempotent: method.is_idempotent(),
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            authenticated: true,
            timeout: None,
            deadline: None,
            operation_id: None,
            path_template: None,
            url: None,
        }
    }

    /// Names the operation and its path template for the `tracing` span.
    pub fn with_operation(
        mut self,
        operation_id: &'static str,
        path_template: &'static str,
    ) -> Self {
        self.operation_id = Some(operation_id);
        self.path_template = Some(path_template);
        self
    }

    /// Sets the timeout of each attempt of this call.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the deadline of this call (every attempt and the waits between
    /// them).
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Appends a raw query parameter.
    pub fn with_query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Sets the body to already-serialized bytes (JSON unless `headers` names another
    /// `Content-Type`).
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Serializes `value` as the JSON body ([`Error::Encode`] on failure).
    pub fn with_json<T: Serialize + ?Sized, E>(mut self, value: &T) -> Result<Self, Error<E>> {
        self.body = Some(serde_json::to_vec(value).map_err(Error::Encode)?);
        Ok(self)
    }
}

/// Builds an [`ApiClient`] (see [`ApiClient::builder`]), or a client `C` made from one: a
/// generated crate's `ClientBuilder` is `ApiClientBuilder<Client>`, whose
/// [`build`](ApiClientBuilder::build) gives its `Client`, so the settings are written once,
/// here, instead of forwarded by every generated client.
#[must_use]
pub struct ApiClientBuilder<C = ApiClient> {
    base_url: String,
    auth: Auth,
    timeout: Duration,
    deadline: Duration,
    connect_timeout: Duration,
    retry_policy: RetryPolicy,
    transport: Option<Arc<dyn Transport>>,
    user_agent: Option<String>,
    client: PhantomData<fn() -> C>,
}

impl<C> ApiClientBuilder<C> {
    /// Starts building a client for the API at `base_url` (for example
    /// `https://example.com/api/v2`); [`ApiClient::builder`] for an [`ApiClient`].
    pub fn new(base_url: impl Into<String>) -> Self {
        ApiClientBuilder {
            base_url: base_url.into(),
            auth: Auth::None,
            timeout: DEFAULT_TIMEOUT,
            deadline: DEFAULT_DEADLINE,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry_policy: RetryPolicy::default(),
            transport: None,
            user_agent: None,
            client: PhantomData,
        }
    }

    /// Sets the authentication used for operations that require it.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Shorthand for `auth(Auth::bearer(token))`.
    pub fn bearer_token(self, token: impl Into<Secret>) -> Self {
        self.auth(Auth::bearer(token))
    }

    /// Shorthand for `auth(Auth::basic(username, password))`.
    pub fn basic_auth(self, username: impl Into<Secret>, password: impl Into<Secret>) -> Self {
        self.auth(Auth::basic(username, password))
    }

    /// Sets the timeout of each attempt (connect to end of body);
    /// [`DEFAULT_TIMEOUT`] (30 s) unless set. [`RequestSpec::timeout`]
    /// overrides it per call. An attempt that times out answers
    /// [`Error::is_timeout`], and is retried for idempotent requests while
    /// the deadline allows.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the deadline of each call: every attempt, and every wait
    /// between attempts, ends by then; [`DEFAULT_DEADLINE`] (2 min) unless
    /// set. [`RequestSpec::deadline`] overrides it per call. A call that runs
    /// out of time fails with [`Error::is_timeout`]; a retry whose wait would
    /// pass the deadline is not made (the last response or error is
    /// returned), so the deadline also caps the total time spent retrying.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Sets how long establishing a connection (TCP and TLS) may take with
    /// the default transport; [`DEFAULT_CONNECT_TIMEOUT`] (10 s) unless set.
    /// A transport given to [`ApiClientBuilder::transport`] brings its own.
    pub fn connect_timeout(mut self, connect_timeout: Duration) -> Self {
        self.connect_timeout = connect_timeout;
        self
    }

    /// Sets the retry policy ([`RetryPolicy::default`] unless set).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// Sets the transport. Defaults to
    /// [`ReqwestTransport`](super::ReqwestTransport) when the `reqwest`
    /// feature is enabled; without it a transport is required.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Sets the `User-Agent` header ([`DEFAULT_USER_AGENT`] unless set).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }
}

impl<C: From<ApiClient>> ApiClientBuilder<C> {
    /// Builds the client.
    ///
    /// Fails with [`Error::InvalidBaseUrl`] unless the base URL is an absolute
    /// `http://` or `https://` URL with a host and without credentials, query
    /// or fragment (trailing `/`s are removed), and with [`Error::Config`] if
    /// no transport is available or the user agent or credentials cannot be
    /// sent as header values.
    pub fn build(self) -> Result<C, Error<Infallible>> {
        let base_url = normalize_base_url(&self.base_url).map_err(Error::InvalidBaseUrl)?;
        let auth_header = self.auth.try_header().map_err(Error::Config)?;
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| {
            Error::Config(format!(
                "invalid user agent {user_agent:?}: not a valid header value"
            ))
        })?;
        let transport = match self.transport {
            Some(transport) => transport,
            None => default_transport(self.connect_timeout)?,
        };
        let base =
            url::Url::parse(&base_url).map_err(|error| Error::InvalidBaseUrl(error.to_string()))?;
        let client = ApiClient {
            inner: Arc::new(Inner {
                base_url,
                base,
                auth: self.auth,
                auth_header,
                user_agent,
                timeout: self.timeout,
                deadline: self.deadline,
                retry_policy: self.retry_policy,
                transport,
            }),
            call_timeout: None,
            call_deadline: None,
            page_slot: None,
        };
        Ok(C::from(client))
    }
}

#[cfg(feature = "reqwest")]
fn default_transport(connect_timeout: Duration) -> Result<Arc<dyn Transport>, Error<Infallible>> {
    let transport = super::transport::ReqwestTransport::with_connect_timeout(connect_timeout)
        .map_err(|error| Error::Config(format!("could not set up the HTTP transport: {error}")))?;
    Ok(Arc::new(transport))
}

#[cfg(not(feature = "reqwest"))]
fn default_transport(_connect_timeout: Duration) -> Result<Arc<dyn Transport>, Error<Infallible>> {
    Err(Error::Config(
        "no transport configured: call ApiClientBuilder::transport or enable the `reqwest` feature"
            .to_owned(),
    ))
}

impl<C> fmt::Debug for ApiClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClientBuilder")
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry_policy", &self.retry_policy)
            .field("transport", &self.transport.as_ref().map(|_| ".."))
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

/// Checks and normalizes a base URL with the `url` crate (WHATWG parsing: the scheme and host
/// are lower-cased, percent-escapes in the host decoded and checked); the error message is
/// the reason. The result has no trailing `/`.
fn normalize_base_url(raw: &str) -> Result<String, String> {
    let text = raw.trim();
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "{text:?} contains whitespace or control characters"
        ));
    }
    // WHATWG parsing forgives missing or extra slashes (`https:///api` has the host `api`);
    // a base URL must spell out `scheme://host`.
    let lower = text.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return Err(format!(
            "{text:?} is not an absolute http:// or https:// URL"
        ));
    };
    if rest.is_empty() || rest.starts_with(['/', '\\', ':']) {
        return Err(format!("{text:?} has no host"));
    }
    let url = url::Url::parse(text).map_err(|error| {
        // `url`'s messages do not echo the input, so credentials cannot leak through them.
        if text.contains('@') {
            format!("not a valid URL ({error})")
        } else {
            format!("{text:?} is not a valid absolute URL ({error})")
        }
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        // Do not echo the URL: it contains credentials.
        return Err(
            "the base URL must not contain credentials; use ApiClientBuilder::auth".to_owned(),
        );
    }
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "{text:?} is not an absolute http:// or https:// URL"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{text:?} must not have a query or fragment"));
    }
    let host = match url.host() {
        Some(url::Host::Domain(domain)) => domain,
        Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)) => "",
        None => return Err(format!("{text:?} has no host")),
    };
    // A host name: letters, digits, `-`, `_` and dots between non-empty labels. Anything
    // else (a `,`, a percent-decoded character) means a value was pasted into the host that
    // does not belong there (for example a site name containing `/`, percent-encoded by a
    // constructor).
    if let Some(bad) = host
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')))
    {
        return Err(format!(
            "{text:?} has an invalid character {bad:?} in its host"
        ));
    }
    if host.starts_with('.') || host.contains("..") {
        return Err(format!("{text:?} has an empty label in its host"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

struct Inner {
    base_url: String,
    base: url::Url,
    auth: Auth,
    /// The header that carries the credentials (`Authorization`, or an API key's own).
    auth_header: Option<(http::HeaderName, HeaderValue)>,
    user_agent: HeaderValue,
    timeout: Duration,
    deadline: Duration,
    retry_policy: RetryPolicy,
    transport: Arc<dyn Transport>,
}

/// The client every generated API client wraps: base URL, authentication,
/// timeouts, retries and a [`Transport`].
///
/// Cloning is cheap (the configuration is shared behind an `Arc`), and clones
/// share the transport's connection pool.
///
/// ```no_run
/// use std::time::Duration;
/// use desk_runtime::client::{ApiClient, RequestSpec};
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let client = ApiClient::builder("https://example.teamwork.com/desk/api/v2")
///     .bearer_token(std::env::var("DESK_TOKEN")?)
///     .timeout(Duration::from_secs(30))
///     .build()?;
/// let response = client
///     .execute(RequestSpec::new(http::Method::GET, "/tickets.json").with_query("page", "1"))
///     .await?;
/// println!("{}", response.status);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct ApiClient {
    inner: Arc<Inner>,
    /// This copy's timeout of each attempt, over the client-wide one (see [`ApiClient::with_timeout`]).
    call_timeout: Option<Duration>,
    /// This copy's deadline of each call, over the client-wide one.
    call_deadline: Option<Duration>,
    /// The page of a page stream this copy fetches: its request is rewritten and its
    /// response kept for the walk (see `paginate`).
    page_slot: Option<Arc<PageSlot>>,
}

impl fmt::Debug for ApiClient {
    /// Shows the base URL, the (redacted) authentication, the timeout and the
    /// retry policy; never a credential.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClient")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth)
            .field("timeout", &self.inner.timeout)
            .field("deadline", &self.inner.deadline)
            .field("retry_policy", &self.inner.retry_policy)
            .field("call_timeout", &self.call_timeout)
            .field("call_deadline", &self.call_deadline)
            .finish_non_exhaustive()
    }
}

impl ApiClient {
    /// Starts building a client for the API at `base_url` (for example
    /// `https://example.com/api/v2`).
    pub fn builder(base_url: impl Into<String>) -> ApiClientBuilder {
        ApiClientBuilder::new(base_url)
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The timeout of each attempt.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The deadline of each call.
    pub fn deadline(&self) -> Duration {
        self.inner.deadline
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry_policy
    }

    /// A copy of this client (sharing its connections) whose requests made
    /// with [`ApiClient::request`] give each attempt `timeout`, over the
    /// client-wide timeout.
    #[must_use]
    pub fn with_timeout(&self, timeout: Duration) -> Self {
        ApiClient {
            call_timeout: Some(timeout),
            ..self.clone()
        }
    }

    /// A copy of this client (sharing its connections) whose requests made
    /// with [`ApiClient::request`] end by `deadline`, retries and waits
    /// included, over the client-wide deadline.
    #[must_use]
    pub fn with_deadline(&self, deadline: Duration) -> Self {
        ApiClient {
            call_deadline: Some(deadline),
            ..self.clone()
        }
    }

    /// A copy whose requests are pages of a walk: `slot` rewrites them and keeps their
    /// responses.
    pub(crate) fn with_page_slot(&self, slot: Arc<PageSlot>) -> Self {
        ApiClient {
            page_slot: Some(slot),
            ..self.clone()
        }
    }

    /// The page slot of this copy, if it fetches a page of a walk.
    pub(crate) fn page_slot(&self) -> Option<&PageSlot> {
        self.page_slot.as_deref()
    }

    /// The origin (scheme, host, port) of the base URL: next links elsewhere are sent no
    /// credentials.
    pub(crate) fn base_origin(&self) -> url::Origin {
        self.inner.base.origin()
    }

    /// The timeout set by [`ApiClient::with_timeout`], if any.
    pub fn call_timeout(&self) -> Option<Duration> {
        self.call_timeout
    }

    /// The deadline set by [`ApiClient::with_deadline`], if any.
    pub fn call_deadline(&self) -> Option<Duration> {
        self.call_deadline
    }

    /// Starts the request of the operation `operation_id`: `method` on
    /// `path_template` (`/things/{id}.json`; a template with parameters is
    /// spelt out piece by piece with [`RequestBuilder::path_text`] and
    /// [`RequestBuilder::path_param`]), authenticated, with this client's
    /// per-call timeout and deadline.
    pub fn request(
        &self,
        method: Method,
        path_template: &'static str,
        operation_id: &'static str,
    ) -> RequestBuilder<'_> {
        RequestBuilder::new(self, method, path_template, operation_id)
    }

    /// The full URL for `path` (already encoded) and raw `query` pairs: the
    /// base URL's path, then `path` (joined with one `/`), then the query,
    /// each key and value encoded with
    /// [`encode_query_component`](super::encode_query_component).
    pub fn url(&self, path: &str, query: &[(String, String)]) -> String {
        let mut url = self.inner.base.clone();
        let base_path = url.path().trim_end_matches('/');
        let separator = if path.is_empty() || path.starts_with('/') {
            ""
        } else {
            "/"
        };
        let joined = format!("{base_path}{separator}{path}");
        url.set_path(&joined);
        if !query.is_empty() {
            let mut text = String::new();
            for (i, (key, value)) in query.iter().enumerate() {
                if i > 0 {
                    text.push('&');
                }
                text.push_str(&encode_query_component(key));
                text.push('=');
                text.push_str(&encode_query_component(value));
            }
            url.set_query(Some(&text));
        }
        let mut text = String::from(url);
        // The base URL's own form has no trailing `/`; keep that when nothing is appended.
        if path.is_empty() && query.is_empty() {
            text.truncate(text.trim_end_matches('/').len());
        }
        text
    }

    /// Sends the request described by `spec` and returns the response,
    /// whatever its status.
    ///
    /// * URL: base URL + `spec.path` + `?k=v&...` (keys and values encoded
    ///   with [`encode_query_component`](super::encode_query_component)).
    /// * Headers: `Accept: application/json`, `User-Agent`,
    ///   `Content-Type: application/json` when there is a body, and
    ///   `Authorization` only when `spec.authenticated`.
    /// * Time: each attempt may take the timeout
    ///   ([`ApiClientBuilder::timeout`], or `spec.timeout`), and the whole
    ///   call the deadline ([`ApiClientBuilder::deadline`], or
    ///   `spec.deadline`), which bounds every attempt and every wait between
    ///   attempts. Out of time, the call fails with [`Error::is_timeout`].
    /// * Retries (at most [`RetryPolicy::max_retries`]): `429` for any method,
    ///   after `Retry-After` (seconds or an HTTP date), else until
    ///   `X-Rate-Limit-Reset`, else the jittered backoff, capped at
    ///   [`RetryPolicy::max_rate_limit_wait`]; `502`/`503`/`504`, timeouts
    ///   and connection failures only when `spec.idempotent`, after the
    ///   jittered exponential backoff (or `Retry-After` when the response has
    ///   one) capped at [`RetryPolicy::max_backoff`]. A retry whose wait
    ///   would pass the deadline is not made.
    /// * When retries run out, the last response is returned as it is, even a
    ///   `429` or `5xx`: interpreting the status is the caller's job. The last
    ///   transport failure is returned as [`Error::Transport`], with its
    ///   cause chain.
    ///
    /// A path with a raw `?`, `#`, whitespace, non-ASCII characters or a
    /// `.`/`..` segment (also percent-encoded) is refused with
    /// [`Error::InvalidRequest`] without sending anything.
    ///
    /// Each call runs in one `tracing` span, `desk.request`, with the fields
    /// `operation` (the operation id), `method`, `path` (the path template
    /// when the spec names one, so parameter values stay out of logs),
    /// `attempt`, `status` (of the last response) and `retry_delay_ms` (the
    /// last wait before a retry); debug events mark each attempt and each
    /// retry. Headers, the query string, bodies and credentials are never
    /// recorded.
    pub async fn execute(&self, spec: RequestSpec) -> Result<Response, Error<Infallible>> {
        let path_field = spec.path_template.unwrap_or(spec.path.as_str()).to_owned();
        let span = tracing::info_span!(
            "desk.request",
            operation = spec.operation_id.unwrap_or(""),
            method = %spec.method,
            path = %path_field,
            attempt = Empty,
            status = Empty,
            retry_delay_ms = Empty,
        );
        self.execute_in_span(spec, span.clone())
            .instrument(span)
            .await
    }

    async fn execute_in_span(
        &self,
        spec: RequestSpec,
        span: tracing::Span,
    ) -> Result<Response, Error<Infallible>> {
        let inner = &*self.inner;
        // An API key in the query goes with every request that sends credentials, a next
        // link on the base URL's origin included (replacing one the link carries).
        let key = inner.auth.query_pair().filter(|_| spec.authenticated);
        let url = match spec.url {
            Some(url) => match key {
                Some((name, key)) => with_query_pair(&url, name, key.expose()),
                None => url,
            },
            None => {
                check_path(&spec.path).map_err(Error::InvalidRequest)?;
                match key {
                    Some((name, key)) => {
                        let mut query = spec.query.clone();
                        query.push((name.to_owned(), key.expose().to_owned()));
                        self.url(&spec.path, &query)
                    }
                    None => self.url(&spec.path, &spec.query),
                }
            }
        };

        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, inner.user_agent.clone());
        if spec.body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        for (name, value) in &spec.headers {
            let name = http::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::InvalidRequest(format!("invalid header name `{name}`")))?;
            let value = HeaderValue::from_str(value)
                .map_err(|_| Error::InvalidRequest(format!("invalid value for header `{name}`")))?;
            headers.insert(name, value);
        }
        if spec.authenticated {
            if let Some((name, value)) = &inner.auth_header {
                headers.insert(name.clone(), value.clone());
            }
        }
        let body = spec.body.map(Bytes::from);
        let attempt_timeout = spec.timeout.unwrap_or(inner.timeout);
        let deadline = Instant::now().checked_add(spec.deadline.unwrap_or(inner.deadline));
        let policy = &inner.retry_policy;
        let method = spec.method;

        let mut retry: u32 = 0;
        loop {
            let attempt = retry + 1;
            span.record("attempt", attempt);
            let left = deadline.map(|at| at.saturating_duration_since(Instant::now()));
            if left == Some(Duration::ZERO) {
                return Err(Error::Transport(TransportError::timeout()));
            }
            let timeout = left.map_or(attempt_timeout, |left| left.min(attempt_timeout));
            let request = Request {
                method: method.clone(),
                url: url.clone(),
                headers: headers.clone(),
                body: body.clone(),
                timeout: Some(timeout),
            };
            let started = Instant::now();
            // The transport is asked to honour the timeout; the client enforces it as well,
            // so that a transport that does not cannot hold a call past its deadline.
            let outcome = match tokio::time::timeout(timeout, inner.transport.send(request)).await {
                Ok(outcome) => outcome,
                Err(_elapsed) => Err(TransportError::timeout()),
            };
            let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);

            let wait = match &outcome {
                Ok(response) => {
                    span.record("status", response.status.as_u16());
                    tracing::debug!(
                        status = response.status.as_u16(),
                        attempt,
                        elapsed_ms,
                        "HTTP request completed"
                    );
                    retry_wait_for_response(policy, response, spec.idempotent, retry)
                }
                Err(error) => {
                    tracing::debug!(
                        error = error_kind(error),
                        attempt,
                        elapsed_ms,
                        "HTTP request failed"
                    );
                    (spec.idempotent && error.is_transient())
                        .then(|| (policy.jittered_backoff(retry), error_kind(error)))
                }
            };

            match wait {
                Some((wait, reason)) if retry < policy.max_retries => {
                    // A wait that ends at or after the deadline leaves no time for another
                    // attempt: end the call with what it has.
                    let fits = deadline.is_none_or(|at| {
                        Instant::now().checked_add(wait).is_some_and(|end| end < at)
                    });
                    if !fits {
                        return outcome.map_err(Error::Transport);
                    }
                    let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
                    span.record("retry_delay_ms", wait_ms);
                    tracing::debug!(reason, retry = attempt, wait_ms, "retrying HTTP request");
                    tokio::time::sleep(wait).await;
                    retry += 1;
                }
                _ => return outcome.map_err(Error::Transport),
            }
        }
    }
}

/// Whether and how long to wait before retrying after `response`.
fn retry_wait_for_response(
    policy: &RetryPolicy,
    response: &Response,
    idempotent: bool,
    retry: u32,
) -> Option<(Duration, &'static str)> {
    match response.status {
        StatusCode::TOO_MANY_REQUESTS => {
            let rate_limit = RateLimit::from_headers(&response.headers);
            Some((
                policy.rate_limit_wait(&rate_limit, retry, SystemTime::now()),
                "rate limited",
            ))
        }
        StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT
            if idempotent =>
        {
            let wait = RateLimit::from_headers(&response.headers)
                .retry_after
                .unwrap_or_else(|| policy.backoff(retry))
                .min(policy.max_backoff);
            Some((wait, "server unavailable"))
        }
        _ => None,
    }
}

fn error_kind(error: &TransportError) -> &'static str {
    if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connect"
    } else {
        "other"
    }
}

/// `url` with the query parameter `name` set to `value` (any it had removed); `url` as it is
/// when it does not parse (it was checked when the link was read).
fn with_query_pair(url: &str, name: &str, value: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.to_owned();
    };
    let kept: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(key, _)| key != name)
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    parsed
        .query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair(name, value);
    parsed.into()
}

/// Refuses paths that could escape their segments or the path itself.
fn check_path(path: &str) -> Result<(), String> {
    if let Some(c) = path.chars().find(|&c| {
        c == '?' || c == '#' || !c.is_ascii() || c.is_ascii_whitespace() || c.is_ascii_control()
    }) {
        return Err(format!(
            "the path contains {c:?}; path parameters must be encoded with encode_path_segment"
        ));
    }
    if path.split('/').any(is_dot_segment) {
        return Err(
            "the path contains a '.' or '..' segment (possibly percent-encoded), which URL parsers and servers would resolve to another resource"
                .to_owned(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            normalize_base_url("https://x.test/api/").unwrap(),
            "https://x.test/api"
        );
        assert_eq!(
            normalize_base_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            normalize_base_url(" HTTPS://X.test// ").unwrap(),
            "https://x.test"
        );
        assert_eq!(
            normalize_base_url("http://[::1]:8080/api").unwrap(),
            "http://[::1]:8080/api"
        );
        assert_eq!(
            normalize_base_url("https://my_site-1.eu.teamwork.com").unwrap(),
            "https://my_site-1.eu.teamwork.com"
        );
        for bad in [
            "",
            "x.test",
            "ftp://x.test",
            "/api",
            "https://",
            "https:///api",
            "https://:80",
            "https://x.test/a b",
            "https://x.test/?q=1",
            "https://x.test/#f",
            "https://evil.test%2F.example.com",
            "https://ex ample.com",
            "https://a,b.test",
            "https://.teamwork.com",
            "https://a..teamwork.com",
        ] {
            assert!(normalize_base_url(bad).is_err(), "{bad:?}");
        }
        let err = normalize_base_url("https://user:hunter2@x.test").unwrap_err();
        assert!(!err.contains("hunter2"));
    }

    #[test]
    fn urls() {
        let client = ApiClient::builder("https://x.test/api/")
            .transport(Arc::new(NoTransport))
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://x.test/api");
        assert_eq!(client.url("/a", &[]), "https://x.test/api/a");
        assert_eq!(client.url("a", &[]), "https://x.test/api/a");
        assert_eq!(client.url("", &[]), "https://x.test/api");
        assert_eq!(
            client.url(
                "/a",
                &[("k 1".into(), "v&=".into()), ("k2".into(), String::new())]
            ),
            "https://x.test/api/a?k%201=v%26%3D&k2="
        );
    }

    #[test]
    fn paths() {
        assert!(check_path("/tickets/12/messages.json").is_ok());
        assert!(check_path("/a/..%2Fb").is_ok());
        assert!(check_path("").is_ok());
        for bad in [
            "/a/../b",
            "/a/%2E%2E",
            "/a/%2e",
            "/.",
            "/a?b",
            "/a#b",
            "/a b",
            "/é",
        ] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn request_spec_defaults() {
        let get = RequestSpec::new(Method::GET, "/x");
        assert!(get.idempotent && get.authenticated && get.body.is_none());
        let post = RequestSpec::new(Method::POST, "/x")
            .with_query("a", "b")
            .with_json::<_, ()>(&serde_json::json!({"k": 1}))
            .unwrap();
        assert!(!post.idempotent);
        assert_eq!(post.query, vec![("a".to_owned(), "b".to_owned())]);
        assert_eq!(post.body.as_deref(), Some(&br#"{"k":1}"#[..]));
    }

    #[test]
    fn builder_rejects_bad_configuration() {
        let bad_ua = ApiClient::builder("https://x.test")
            .transport(NoTransport)
            .user_agent("a\nb")
            .build();
        assert!(matches!(bad_ua, Err(Error::Config(_))));
        let bad_token = ApiClient::builder("https://x.test")
            .transport(NoTransport)
            .bearer_token("a\nsecret")
            .build();
        match bad_token {
            Err(Error::Config(msg)) => assert!(!msg.contains("secret")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            ApiClient::builder("x.test").build(),
            Err(Error::InvalidBaseUrl(_))
        ));
    }

    #[cfg(not(feature = "reqwest"))]
    #[test]
    fn a_transport_is_required_without_reqwest() {
        let result = ApiClient::builder("https://x.test").build();
        assert!(matches!(result, Err(Error::Config(_))), "{result:?}");
    }

    #[cfg(feature = "reqwest")]
    #[test]
    fn reqwest_is_the_default_transport() {
        assert!(ApiClient::builder("https://x.test").build().is_ok());
    }

    #[test]
    fn retry_decisions() {
        let policy = RetryPolicy::default();
        let response = |status: u16| Response {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
        };
        assert!(retry_wait_for_response(&policy, &response(429), false, 0).is_some());
        assert!(retry_wait_for_response(&policy, &response(503), true, 0).is_some());
        assert!(retry_wait_for_response(&policy, &response(502), true, 0).is_some());
        assert!(retry_wait_for_response(&policy, &response(504), true, 0).is_some());
        assert!(retry_wait_for_response(&policy, &response(503), false, 0).is_none());
        assert!(retry_wait_for_response(&policy, &response(500), true, 0).is_none());
        assert!(retry_wait_for_response(&policy, &response(200), true, 0).is_none());
    }

    #[test]
    fn client_is_send_sync_and_execute_is_send() {
        fn assert_send_sync<T: Send + Sync>(_: &T) {}
        fn assert_send<T: Send>(_: &T) {}
        let client = ApiClient::builder("https://x.test")
            .transport(NoTransport)
            .build()
            .unwrap();
        assert_send_sync(&client);
        let fut = client.execute(RequestSpec::new(Method::GET, "/"));
        assert_send(&fut);
    }

    struct NoTransport;

    impl Transport for NoTransport {
        fn send(
            &self,
            _request: Request,
        ) -> super::super::BoxFuture<'_, Result<Response, TransportError>> {
            Box::pin(async { Err(TransportError::connect("no transport in unit tests")) })
        }
    }
}
