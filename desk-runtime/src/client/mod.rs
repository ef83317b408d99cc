//! The HTTP-client runtime that generated API clients are built on.
//!
//! Generated operation methods do roughly this:
//!
//! 1. build the path with [`encode_path_segment`] for every path parameter and
//!    collect raw query pairs;
//! 2. serialize the body with `serde_json` (an error becomes [`Error::Encode`]),
//!    or as a form ([`RequestSpec::with_form`]), `multipart/form-data` parts
//!    ([`RequestSpec::with_multipart`] over [`ToMultipart`]), text
//!    ([`RequestSpec::with_text`]) or bytes ([`RequestSpec::with_binary`]);
//! 3. call [`ApiClient::execute`] with a [`RequestSpec`], which adds headers
//!    and authentication, sends the request through the [`Transport`] and
//!    retries on rate limits and transient failures;
//! 4. match on [`Response::status`]: [`decode_json`] for documented statuses
//!    (into the success type, or into the error type wrapped in
//!    [`Error::Api`] by [`api_error`]), [`decode_text`] and [`decode_binary`]
//!    for text and other media types (keeping the content type), [`unexpected`]
//!    for anything else.
//!
//! List endpoints can be walked page by page with [`pages`], or item by item
//! with [`items`] (or [`paginate`]).
//!
//! # Time bounds
//!
//! Every call is bounded: each attempt by a timeout ([`DEFAULT_TIMEOUT`],
//! 30 s), the whole call — attempts and the waits between them — by a
//! deadline ([`DEFAULT_DEADLINE`], 2 min), and with the default transport
//! each connection by a connect timeout ([`DEFAULT_CONNECT_TIMEOUT`], 10 s).
//! Retries are capped by [`RetryPolicy::max_retries`] (3) and by the
//! deadline. All are settable on [`ApiClientBuilder`], and the timeout and
//! deadline per call on [`RequestSpec`].
//!
//! Nothing in this module logs headers, tokens or query strings: the
//! `tracing` span and events of [`ApiClient::execute`] carry the operation
//! id, the method, the path template, the attempt, the status and retry
//! waits only.

mod api_client;
mod auth;
mod body;
mod decode;
mod encode;
mod error;
mod paginate;
mod retry;
mod transport;

pub use api_client::{
    ApiClient, ApiClientBuilder, RequestSpec, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE,
    DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
};
pub use auth::{Auth, Secret};
pub use body::{
    decode_binary, decode_text, encode_form, Binary, FilePart, Multipart, Text, ToMultipart,
};
pub use decode::{api_error, body_excerpt, decode_json, unexpected};
pub use encode::{encode_path_segment, encode_query_component, param_text};
pub use error::Error;
pub use paginate::{items, pages, paginate};
pub use retry::{RateLimit, RetryPolicy};
#[cfg(feature = "reqwest")]
pub use transport::ReqwestTransport;
pub use transport::{BoxError, BoxFuture, Request, Response, Transport, TransportError};

/// Re-exported from `futures_util` so that generated code and its users can
/// consume [`paginate`] streams without a direct dependency.
pub use futures_util::{Stream, StreamExt, TryStreamExt};

/// Re-exported so that generated code does not need direct dependencies on
/// these crates.
pub use {bytes, http, serde_json};
