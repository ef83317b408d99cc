//! The [`Transport`] seam between [`ApiClient`](super::ApiClient) and an HTTP
//! stack, and the default [`ReqwestTransport`].

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};

use super::retry::RateLimit;

/// A boxed, `Send` future, as returned by [`Transport::send`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One fully-built HTTP request, as handed to a [`Transport`].
///
/// `headers` may contain `Authorization` (or an API key's header); its value
/// is marked sensitive, so `http`'s `Debug` output (and therefore this type's)
/// does not show it. `Debug` shows the URL without its query, which may hold an
/// API key. A transport must never log header values or the query.
#[derive(Clone)]
pub struct Request {
    /// The HTTP method.
    pub method: Method,
    /// The absolute URL, path and query already percent-encoded.
    pub url: String,
    /// Request headers, including `Accept`, `User-Agent`, `Content-Type` (when
    /// there is a body) and possibly `Authorization`.
    pub headers: HeaderMap,
    /// The request body (JSON), if any.
    pub body: Option<Bytes>,
    /// How long the whole exchange (connect, send, receive the full body) may
    /// take; `None` for no limit.
    pub timeout: Option<Duration>,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = match self.url.split_once('?') {
            Some((before, _)) => format!("{before}?…"),
            None => self.url.clone(),
        };
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &shown)
            .field("headers", &self.headers)
            .field("body", &self.body)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// A complete HTTP response with its body read into memory.
#[derive(Clone, Debug)]
pub struct Response {
    /// The status code.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The full response body.
    pub body: Bytes,
}

impl Response {
    /// The rate-limit information carried by this response's headers.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }

    /// The body as text, with invalid UTF-8 replaced by `U+FFFD`.
    pub fn text_lossy(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one HTTP request and reads the full response.
///
/// This is the seam for plugging in another HTTP stack, or middleware
/// (recording, signing, fault injection) around an existing one. A transport
/// does not retry: [`ApiClient::execute`](super::ApiClient::execute) does.
///
/// A transport must honour [`Request::timeout`] and report its expiry as
/// [`TransportError::Timeout`], report failures to connect as
/// [`TransportError::Connect`] (both are retried for idempotent requests), and
/// must never log header values.
///
/// ```
/// use desk_runtime::client::{BoxFuture, Request, Response, Transport, TransportError};
///
/// /// Answers every request with `204 No Content`.
/// struct NoContent;
///
/// impl Transport for NoContent {
///     fn send(&self, _request: Request) -> BoxFuture<'_, Result<Response, TransportError>> {
///         Box::pin(async {
///             Ok(Response {
///                 status: http::StatusCode::NO_CONTENT,
///                 headers: http::HeaderMap::new(),
///                 body: bytes::Bytes::new(),
///             })
///         })
///     }
/// }
/// ```
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` and returns the response with its whole body.
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, TransportError>>;
}

impl<T: Transport + ?Sized> Transport for Arc<T> {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, TransportError>> {
        (**self).send(request)
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, TransportError>> {
        (**self).send(request)
    }
}

/// A boxed error, the cause kept by [`TransportError`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why a [`Transport`] could not produce a response.
///
/// The underlying error (from the HTTP stack, the OS) is kept as the
/// [`source`](std::error::Error::source), so the whole chain can be printed
/// or inspected (`downcast_ref::<std::io::Error>()`); `Display` shows this
/// level only.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The request did not complete within its timeout or the call's
    /// deadline. The source is the HTTP stack's error, when it reported the
    /// timeout; `None` when the client's own deadline ended the attempt.
    #[error("the request timed out")]
    Timeout(#[source] Option<BoxError>),
    /// No connection could be established (DNS, TCP, TLS handshake).
    #[error("could not connect to the server")]
    Connect(#[source] BoxError),
    /// Any other failure while sending the request or reading the response.
    #[error("HTTP transport error")]
    Other(#[source] BoxError),
}

impl TransportError {
    /// A timeout without an underlying error (the client's own clock).
    pub fn timeout() -> Self {
        TransportError::Timeout(None)
    }

    /// A connection failure caused by `cause`.
    pub fn connect(cause: impl Into<BoxError>) -> Self {
        TransportError::Connect(cause.into())
    }

    /// Any other failure, caused by `cause`.
    pub fn other(cause: impl Into<BoxError>) -> Self {
        TransportError::Other(cause.into())
    }

    /// Whether this failure may go away on a retry (timeouts and connection
    /// failures). [`ApiClient::execute`](super::ApiClient::execute) retries
    /// these for idempotent requests only.
    pub fn is_transient(&self) -> bool {
        self.is_timeout() || self.is_connect()
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, TransportError::Timeout(_))
    }

    /// Whether no connection could be established.
    pub fn is_connect(&self) -> bool {
        matches!(self, TransportError::Connect(_))
    }
}

#[cfg(feature = "reqwest")]
pub use self::reqwest_transport::ReqwestTransport;

#[cfg(feature = "reqwest")]
mod reqwest_transport {
    use std::time::Duration;

    use super::{BoxFuture, Request, Response, Transport, TransportError};

    /// The default [`Transport`], built on `reqwest` (rustls, HTTP/1.1 and
    /// HTTP/2).
    ///
    /// Cloning is cheap; clones share the connection pool.
    #[derive(Clone, Debug, Default)]
    pub struct ReqwestTransport {
        client: reqwest::Client,
    }

    impl ReqwestTransport {
        /// A transport with a default `reqwest::Client` (no connect timeout
        /// of its own: [`Request::timeout`] bounds every attempt).
        pub fn new() -> Self {
            Self::default()
        }

        /// A transport whose connections must be established (TCP and TLS)
        /// within `connect_timeout`. Fails only if the TLS backend cannot be
        /// initialised.
        pub fn with_connect_timeout(connect_timeout: Duration) -> Result<Self, TransportError> {
            let client = reqwest::Client::builder()
                .connect_timeout(connect_timeout)
                .build()
                .map_err(TransportError::other)?;
            Ok(ReqwestTransport { client })
        }

        /// A transport around an existing, configured `reqwest::Client`
        /// (proxies, root certificates, connection-pool settings, ...).
        pub fn from_client(client: reqwest::Client) -> Self {
            ReqwestTransport { client }
        }

        /// The underlying `reqwest::Client`.
        pub fn client(&self) -> &reqwest::Client {
            &self.client
        }
    }

    impl Transport for ReqwestTransport {
        fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, TransportError>> {
            Box::pin(async move {
                let mut builder = self
                    .client
                    .request(request.method, request.url)
                    .headers(request.headers);
                if let Some(body) = request.body {
                    builder = builder.body(body);
                }
                if let Some(timeout) = request.timeout {
                    builder = builder.timeout(timeout);
                }
                let response = builder.send().await.map_err(map_error)?;
                let status = response.status();
                let headers = response.headers().clone();
                let body = response.bytes().await.map_err(map_error)?;
                Ok(Response {
                    status,
                    headers,
                    body,
                })
            })
        }
    }

    /// Classifies `error`, keeping it (and so its whole cause chain) as the source.
    fn map_error(mut error: reqwest::Error) -> TransportError {
        // reqwest puts the URL into its messages; keep the query string (which
        // may carry user data) out of them.
        if let Some(url) = error.url_mut() {
            url.set_query(None);
            url.set_fragment(None);
        }
        if error.is_timeout() {
            TransportError::Timeout(Some(Box::new(error)))
        } else if error.is_connect() {
            TransportError::Connect(Box::new(error))
        } else {
            TransportError::Other(Box::new(error))
        }
    }
}
