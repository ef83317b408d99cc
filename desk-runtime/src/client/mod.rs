//! The HTTP-client runtime that generated API clients are built on.
//!
//! Generated operation methods do roughly this:
//!
//! 1. start a [`RequestBuilder`] with [`ApiClient::request`] (method, path
//!    template, operation id) and add each parameter with one call: the
//!    path spelt out (the template's text, and each path parameter
//!    percent-encoded), query parameters and headers (scalars,
//!    lists, JSON text), and the body: JSON, a urlencoded form
//!    ([`RequestBuilder::form`]), `multipart/form-data` parts
//!    ([`RequestBuilder::multipart`] over [`ToMultipart`]), text or bytes
//!    (an encoding error becomes [`Error::Encode`]);
//! 2. [`RequestBuilder::send`] it: [`ApiClient::execute`] adds headers and
//!    authentication, sends the request through the [`Transport`] and
//!    retries on rate limits and transient failures;
//! 3. match on [`Response::status`]: [`Response::json`] for documented
//!    successes, [`Response::error_json`] (or [`api_error`]) for documented
//!    errors, [`decode_text`] and [`decode_binary`] for text and other media
//!    types (keeping the content type), [`Response::unexpected`] for anything
//!    else.
//!
//! List endpoints are walked page by page with [`Pages`], or item by item
//! with [`Items`], in every style the [`Paging`] description names (page
//! numbers, offsets, tokens, last item ids, next links); the [`paginate`]
//! module has the rules.
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
mod json_path;
pub mod paginate;
mod request;
mod retry;
mod transport;

pub use api_client::{
    ApiClient, ApiClientBuilder, RequestSpec, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE,
    DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
};
pub use auth::{Auth, KeyLocation, Secret};
pub use body::{
    decode_binary, decode_text, encode_form, encode_form_with, Binary, FilePart, Multipart, Text,
    ToMultipart,
};
#[cfg(feature = "mock")]
pub(crate) use decode::decode_body;
pub use decode::{api_error, body_excerpt, decode_json, unexpected};
pub use encode::{encode_path_segment, encode_query_component, param_text, Collection};
pub use error::Error;
#[cfg(feature = "mock")]
pub(crate) use json_path::shorten_value as shorten_json;
pub use json_path::{JsonPath, PathSegment};
pub use paginate::{Items, PageField, PageParam, Pages, Paging, PagingError};
pub use request::RequestBuilder;
pub use retry::{RateLimit, RetryPolicy};
#[cfg(feature = "reqwest")]
pub use transport::ReqwestTransport;
pub use transport::{BoxError, BoxFuture, Request, Response, Transport, TransportError};

/// Re-exported from `futures_util` so that generated code and its users can
/// consume page streams ([`Pages`], [`Items`]) without a direct dependency.
pub use futures_util::{Stream, StreamExt, TryStreamExt};

/// Re-exported so that generated code does not need direct dependencies on
/// these crates.
pub use {bytes, http, serde_json};

/// The HTTP method, re-exported for [`ApiClient::request`].
pub use http::Method;
