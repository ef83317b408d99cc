//! The error type of every generated operation: [`Error<E>`].

use std::convert::Infallible;

use http::StatusCode;

use super::decode::excerpt;
use super::json_path::JsonPath;
use super::paginate::PagingError;
use super::retry::RateLimit;
use super::transport::TransportError;

/// Why an API call failed.
///
/// `E` is the operation's documented error body type (the schema of its 4xx /
/// 5xx responses); it only appears in [`Error::Api`]. `Display` does not
/// require `E: Display`; the `std::error::Error` impl requires `E: Debug`.
///
/// Messages never contain credentials. Transport failures keep their cause
/// chain ([`std::error::Error::source`]); [`Error::is_timeout`],
/// [`Error::is_connect`], [`Error::status`] and [`Error::rate_limit`] answer
/// the usual questions without matching.
///
/// The enum is `#[non_exhaustive]`: match with a `_` arm, so that a new kind
/// of failure is not a breaking change.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request could not be sent or its response not received.
    #[error(transparent)]
    Transport(#[from] TransportError),

    /// The server answered with a documented error status; `body` is the
    /// decoded error body. Build one with [`api_error`](super::api_error).
    ///
    /// `Display` shows the status and, when the body carries them, the
    /// server's messages, shortened (`API error (status 400 Bad Request):
    /// state: is not valid; token: is required`).
    #[error("API error (status {status}){}", summary_suffix(.summary))]
    #[non_exhaustive]
    Api {
        /// The response status.
        status: StatusCode,
        /// Rate-limit headers of the response.
        rate_limit: RateLimit,
        /// The decoded, typed error body.
        body: E,
        /// The messages of the body (field errors, `message`), shortened;
        /// `None` when it has none.
        summary: Option<String>,
    },

    /// The server answered with a status the operation does not document.
    #[error("unexpected status {status}: {}", excerpt(.body_text.as_bytes()))]
    UnexpectedStatus {
        /// The response status.
        status: StatusCode,
        /// Rate-limit headers of the response.
        rate_limit: RateLimit,
        /// The response body as text (invalid UTF-8 replaced).
        body_text: String,
    },

    /// The response body did not match the documented schema.
    ///
    /// `Display` names the failing value's place, what its type expected and the value:
    /// `could not decode the response body (status 200 OK) at conversations[3].createdAt:
    /// expected an RFC 3339 formatted date and time string, got "2024-07-26T20:26:26"
    /// (premature end of input at line 1 column 845)`; for a body that is not JSON, the start of
    /// the body instead.
    #[error("{}", decode_message(.status, .path, .expected, .value, .source, .excerpt))]
    #[non_exhaustive]
    Decode {
        /// The response status.
        status: StatusCode,
        /// The first ~200 characters of the body.
        excerpt: String,
        /// Where the failing value is (`conversations[3].createdAt`); the root when the body
        /// is not JSON or fails as a whole.
        path: JsonPath,
        /// What the type being decoded there expected (`i64`, `an RFC 3339 formatted date and
        /// time string`, `struct Conversation`), when known.
        expected: Option<String>,
        /// The failing value as JSON, shortened (`"2024-07-26T20:26:26"`); `None` when the
        /// body is not JSON.
        value: Option<String>,
        /// The JSON error.
        source: serde_json::Error,
    },

    /// The request body could not be serialized.
    #[error("could not encode the request body: {0}")]
    Encode(#[source] serde_json::Error),

    /// The base URL given to the client builder is not an absolute `http` or
    /// `https` URL.
    #[error("invalid base URL: {0}")]
    InvalidBaseUrl(String),

    /// The client configuration is unusable (no transport, a credential or
    /// user agent that is not a valid header value, ...).
    #[error("invalid client configuration: {0}")]
    Config(String),

    /// The request itself is malformed and was not sent (for example, its
    /// path contains a `.`/`..` segment or a raw `?`).
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// A page stream ended because going on would loop or follow a bad link.
    #[error(transparent)]
    Paging(#[from] PagingError),
}

impl<E> Error<E> {
    /// The HTTP status, for errors that come from a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The rate-limit headers, for [`Error::Api`] and
    /// [`Error::UnexpectedStatus`].
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        match self {
            Error::Api { rate_limit, .. } | Error::UnexpectedStatus { rate_limit, .. } => {
                Some(rate_limit)
            }
            _ => None,
        }
    }

    /// The typed error body of an [`Error::Api`].
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Consumes the error, returning the typed error body of an
    /// [`Error::Api`].
    pub fn into_api_body(self) -> Option<E> {
        match self {
            Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Whether the call timed out (an attempt's timeout, or the call's
    /// deadline).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(error) if error.is_timeout())
    }

    /// Whether no connection to the server could be established.
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Transport(error) if error.is_connect())
    }

    /// Converts the error body type with `f`; every other variant is kept.
    pub fn map_api<F, M: FnOnce(E) -> F>(self, f: M) -> Error<F> {
        match self {
            Error::Transport(e) => Error::Transport(e),
            Error::Api {
                status,
                rate_limit,
                body,
                summary,
            } => Error::Api {
                status,
                rate_limit,
                body: f(body),
                summary,
            },
            Error::UnexpectedStatus {
                status,
                rate_limit,
                body_text,
            } => Error::UnexpectedStatus {
                status,
                rate_limit,
                body_text,
            },
            Error::Decode {
                status,
                excerpt,
                path,
                expected,
                value,
                source,
            } => Error::Decode {
                status,
                excerpt,
                path,
                expected,
                value,
                source,
            },
            Error::Encode(e) => Error::Encode(e),
            Error::InvalidBaseUrl(s) => Error::InvalidBaseUrl(s),
            Error::Config(s) => Error::Config(s),
            Error::InvalidRequest(s) => Error::InvalidRequest(s),
            Error::Paging(e) => Error::Paging(e),
        }
    }
}

impl Error<Infallible> {
    /// Turns an error that cannot carry an API body (as returned by
    /// [`ApiClient::execute`](super::ApiClient::execute)) into an error with
    /// any body type. Typically `client.execute(spec).await.map_err(Error::into_any)?`.
    pub fn into_any<E>(self) -> Error<E> {
        self.map_api(|never| match never {})
    }
}

impl Error<()> {
    /// Turns a body-less error into an error with any body type. [`Error::Api`] (which `build` never returns)
    /// becomes [`Error::Config`].
    pub fn into_any_body<E>(self) -> Error<E> {
        match self {
            Error::Api { status, .. } => {
                Error::Config(format!("API error (status {status}) without a body"))
            }
            other => other.map_api(|()| unreachable!("Api is handled above")),
        }
    }
}

/// The message of [`Error::Decode`]: the place, what was expected and the value when the body
/// is JSON, else the start of the body.
fn decode_message(
    status: &StatusCode,
    path: &JsonPath,
    expected: &Option<String>,
    value: &Option<String>,
    source: &serde_json::Error,
    excerpt: &str,
) -> String {
    let mut message = format!("could not decode the response body (status {status})");
    if !path.is_root() {
        message.push_str(&format!(" at {path}"));
    }
    message.push_str(": ");
    match (expected, value) {
        (Some(expected), Some(value)) => {
            message.push_str(&format!("expected {expected}, got {value} ({source})"))
        }
        (Some(expected), None) => message.push_str(&format!(
            "expected {expected} ({source}); body starts with: {excerpt:?}"
        )),
        (None, _) => message.push_str(&format!("{source}; body starts with: {excerpt:?}")),
    }
    message
}

/// `": <summary>"`, or nothing.
fn summary_suffix(summary: &Option<String>) -> String {
    summary
        .as_deref()
        .map(|text| format!(": {text}"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct NotDisplay;

    #[test]
    fn display_does_not_need_display_bodies() {
        let e: Error<NotDisplay> = Error::Api {
            status: StatusCode::BAD_REQUEST,
            rate_limit: RateLimit::default(),
            body: NotDisplay,
            summary: None,
        };
        assert_eq!(e.to_string(), "API error (status 400 Bad Request)");
        assert_eq!(e.status(), Some(StatusCode::BAD_REQUEST));
        assert!(e.rate_limit().is_some());
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert!(boxed.to_string().contains("400"));
    }

    #[test]
    fn unexpected_status_shows_an_excerpt() {
        let e: Error<()> = Error::UnexpectedStatus {
            status: StatusCode::IM_A_TEAPOT,
            rate_limit: RateLimit::default(),
            body_text: "x".repeat(1000),
        };
        let msg = e.to_string();
        assert!(
            msg.starts_with("unexpected status 418 I'm a teapot: xxx"),
            "{msg}"
        );
        assert!(msg.len() < 300, "{msg}");
    }

    #[test]
    fn map_api_and_into_any() {
        let e: Error<u8> = Error::Api {
            status: StatusCode::CONFLICT,
            rate_limit: RateLimit::default(),
            body: 7,
            summary: Some("taken".into()),
        };
        assert_eq!(e.to_string(), "API error (status 409 Conflict): taken");
        let mapped = e.map_api(|b| b.to_string());
        assert_eq!(mapped.api_body().map(String::as_str), Some("7"));
        assert_eq!(mapped.into_api_body().as_deref(), Some("7"));

        let e: Error<Infallible> = Error::Transport(TransportError::timeout());
        let any: Error<String> = e.into_any();
        assert!(any.is_timeout());
        assert_eq!(any.to_string(), "the request timed out");

        let e: Error<()> = Error::InvalidBaseUrl("nope".into());
        let any: Error<u32> = e.into_any_body();
        assert!(matches!(any, Error::InvalidBaseUrl(_)));
        assert_eq!(any.status(), None);
        assert!(any.rate_limit().is_none());
    }
}
