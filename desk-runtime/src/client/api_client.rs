//! [`ApiClient`], its builder and [`RequestSpec`].

use std::convert::Infallible;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde::Serialize;

use super::auth::{Auth, Secret};
use super::encode::{encode_query_component, is_dot_segment};
use super::error::Error;
use super::retry::{RateLimit, RetryPolicy};
use super::transport::{Request, Response, Transport, TransportError};

/// The `User-Agent` sent when none is configured: `desk-runtime/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("desk-runtime/", env!("CARGO_PKG_VERSION"));

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
    /// The JSON request body, if any.
    pub body: Option<Vec<u8>>,
    /// Whether to send the client's `Authorization` header.
    pub authenticated: bool,
    /// Whether the request may be repeated safely, which allows retries on
    /// `502`/`503`/`504`, timeouts and connection failures. (`429` is
    /// retried regardless.)
    pub idempotent: bool,
    /// Overrides the client-wide timeout for this request.
    pub timeout: Option<Duration>,
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
        }
    }

    /// Appends a raw query parameter.
    pub fn with_query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Sets the body to already-serialized JSON bytes.
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

/// Builds an [`ApiClient`]; see [`ApiClient::builder`].
pub struct ApiClientBuilder {
    base_url: String,
    auth: Auth,
    timeout: Option<Duration>,
    retry_policy: RetryPolicy,
    transport: Option<Arc<dyn Transport>>,
    user_agent: Option<String>,
}

impl ApiClientBuilder {
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

    /// Sets the default timeout of every request (connect to end of body).
    /// [`RequestSpec::timeout`] overrides it per request. No timeout by
    /// default.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
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

    /// Builds the client.
    ///
    /// Fails with [`Error::InvalidBaseUrl`] unless the base URL is an absolute
    /// `http://` or `https://` URL with a host and without credentials, query
    /// or fragment (trailing `/`s are removed), and with [`Error::Config`] if
    /// no transport is available or the user agent or credentials cannot be
    /// sent as header values.
    pub fn build(self) -> Result<ApiClient, Error<()>> {
        let base_url = normalize_base_url(&self.base_url).map_err(Error::InvalidBaseUrl)?;
        let auth_header = self.auth.try_header_value().map_err(Error::Config)?;
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| {
            Error::Config(format!(
                "invalid user agent {user_agent:?}: not a valid header value"
            ))
        })?;
        let transport = match self.transport {
            Some(transport) => transport,
            None => default_transport()?,
        };
        Ok(ApiClient {
            inner: Arc::new(Inner {
                base_url,
                auth: self.auth,
                auth_header,
                user_agent,
                timeout: self.timeout,
                retry_policy: self.retry_policy,
                transport,
            }),
        })
    }
}

#[cfg(feature = "reqwest")]
fn default_transport() -> Result<Arc<dyn Transport>, Error<()>> {
    Ok(Arc::new(super::transport::ReqwestTransport::new()))
}

#[cfg(not(feature = "reqwest"))]
fn default_transport() -> Result<Arc<dyn Transport>, Error<()>> {
    Err(Error::Config(
        "no transport configured: call ApiClientBuilder::transport or enable the `reqwest` feature"
            .to_owned(),
    ))
}

impl fmt::Debug for ApiClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClientBuilder")
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("retry_policy", &self.retry_policy)
            .field("transport", &self.transport.as_ref().map(|_| ".."))
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

/// Checks and normalizes a base URL; the error message is the reason.
fn normalize_base_url(raw: &str) -> Result<String, String> {
    let url = raw.trim();
    let lower = url.to_ascii_lowercase();
    let scheme_len = if lower.starts_with("https://") {
        "https://".len()
    } else if lower.starts_with("http://") {
        "http://".len()
    } else {
        return Err(format!(
            "{url:?} is not an absolute http:// or https:// URL"
        ));
    };
    let authority = url[scheme_len..].split('/').next().unwrap_or_default();
    if authority.contains('@') {
        // Do not echo the URL: it contains credentials.
        return Err(
            "the base URL must not contain credentials; use ApiClientBuilder::auth".to_owned(),
        );
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{url:?} contains whitespace or control characters"));
    }
    if url.contains(['?', '#']) {
        return Err(format!("{url:?} must not have a query or fragment"));
    }
    if authority.is_empty() || authority.starts_with(':') {
        return Err(format!("{url:?} has no host"));
    }
    // A host name, an IPv4 address or a bracketed IPv6 address, and a port: a percent sign or
    // any other character here means a value was pasted into the host that does not belong
    // there (for example a site name containing `/`, percent-encoded by a constructor).
    if let Some(bad) = authority
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':' | '[' | ']')))
    {
        return Err(format!("{url:?} has an invalid character {bad:?} in its host"));
    }
    if authority.starts_with('.') || authority.contains("..") {
        return Err(format!("{url:?} has an empty label in its host"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

struct Inner {
    base_url: String,
    auth: Auth,
    auth_header: Option<HeaderValue>,
    user_agent: HeaderValue,
    timeout: Option<Duration>,
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
}

impl fmt::Debug for ApiClient {
    /// Shows the base URL, the (redacted) authentication, the timeout and the
    /// retry policy; never a credential.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClient")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth)
            .field("timeout", &self.inner.timeout)
            .field("retry_policy", &self.inner.retry_policy)
            .finish_non_exhaustive()
    }
}

impl ApiClient {
    /// Starts building a client for the API at `base_url` (for example
    /// `https://example.com/api/v2`).
    pub fn builder(base_url: impl Into<String>) -> ApiClientBuilder {
        ApiClientBuilder {
            base_url: base_url.into(),
            auth: Auth::None,
            timeout: None,
            retry_policy: RetryPolicy::default(),
            transport: None,
            user_agent: None,
        }
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The client-wide default timeout.
    pub fn timeout(&self) -> Option<Duration> {
        self.inner.timeout
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry_policy
    }

    /// The full URL for `path` (already encoded) and raw `query` pairs.
    pub fn url(&self, path: &str, query: &[(String, String)]) -> String {
        let mut url = String::with_capacity(self.inner.base_url.len() + path.len() + 16);
        url.push_str(&self.inner.base_url);
        if !path.is_empty() && !path.starts_with('/') {
            url.push('/');
        }
        url.push_str(path);
        for (i, (key, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&encode_query_component(key));
            url.push('=');
            url.push_str(&encode_query_component(value));
        }
        url
    }

    /// Sends the request described by `spec` and returns the response,
    /// whatever its status.
    ///
    /// * URL: base URL + `spec.path` + `?k=v&...` (keys and values encoded
    ///   with [`encode_query_component`](super::encode_query_component)).
    /// * Headers: `Accept: application/json`, `User-Agent`,
    ///   `Content-Type: application/json` when there is a body, and
    ///   `Authorization` only when `spec.authenticated`.
    /// * Retries (at most [`RetryPolicy::max_retries`]): `429` for any method,
    ///   after `Retry-After`, else until `X-Rate-Limit-Reset`, else the
    ///   exponential backoff, capped at [`RetryPolicy::max_rate_limit_wait`];
    ///   `502`/`503`/`504`, timeouts and connection failures only when
    ///   `spec.idempotent`, after the exponential backoff (or `Retry-After`
    ///   when the response has one) capped at [`RetryPolicy::max_backoff`].
    /// * When retries run out, the last response is returned as it is, even a
    ///   `429` or `5xx`: interpreting the status is the caller's job. The last
    ///   transport failure is returned as [`Error::Transport`].
    ///
    /// A path with a raw `?`, `#`, whitespace, non-ASCII characters or a
    /// `.`/`..` segment (also percent-encoded) is refused with
    /// [`Error::InvalidRequest`] without sending anything.
    ///
    /// Emits one `tracing` debug event per attempt (method, path, status) and
    /// one per retry (the wait); never headers, the query string or
    /// credentials.
    pub async fn execute(&self, spec: RequestSpec) -> Result<Response, Error<Infallible>> {
        let inner = &*self.inner;
        check_path(&spec.path).map_err(Error::InvalidRequest)?;
        let url = self.url(&spec.path, &spec.query);

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
            if let Some(value) = &inner.auth_header {
                headers.insert(AUTHORIZATION, value.clone());
            }
        }
        let body = spec.body.map(Bytes::from);
        let timeout = spec.timeout.or(inner.timeout);
        let policy = &inner.retry_policy;
        let method = spec.method;
        let path = spec.path;

        let mut retry: u32 = 0;
        loop {
            let request = Request {
                method: method.clone(),
                url: url.clone(),
                headers: headers.clone(),
                body: body.clone(),
                timeout,
            };
            let started = Instant::now();
            let outcome = inner.transport.send(request).await;
            let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let attempt = retry + 1;

            let wait = match &outcome {
                Ok(response) => {
                    tracing::debug!(
                        method = %method,
                        path = %path,
                        status = response.status.as_u16(),
                        attempt,
                        elapsed_ms,
                        "HTTP request completed"
                    );
                    retry_wait_for_response(policy, response, spec.idempotent, retry)
                }
                Err(error) => {
                    tracing::debug!(
                        method = %method,
                        path = %path,
                        error = error_kind(error),
                        attempt,
                        elapsed_ms,
                        "HTTP request failed"
                    );
                    (spec.idempotent && error.is_transient())
                        .then(|| (policy.backoff(retry), error_kind(error)))
                }
            };

            match wait {
                Some((wait, reason)) if retry < policy.max_retries => {
                    tracing::debug!(
                        method = %method,
                        path = %path,
                        reason,
                        retry = attempt,
                        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        "retrying HTTP request"
                    );
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
    match error {
        TransportError::Timeout => "timeout",
        TransportError::Connect(_) => "connect",
        TransportError::Other(_) => "other",
    }
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
            normalize_base_url(" HTTPS://x.test// ").unwrap(),
            "HTTPS://x.test"
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
            Box::pin(async { Err(TransportError::Connect("no transport in unit tests".into())) })
        }
    }
}
