//! The HTTP-client runtime that generated API clients are built on.
//!
//! Generated operation methods do roughly this:
//!
//! 1. build the path with [`encode_path_segment`] for every path parameter and
//!    collect raw query pairs;
//! 2. serialize the body with `serde_json` (an error becomes [`Error::Encode`]);
//! 3. call [`ApiClient::execute`] with a [`RequestSpec`], which adds headers
//!    and authentication, sends the request through the [`Transport`] and
//!    retries on rate limits and transient failures;
//! 4. match on [`Response::status`]: [`decode_json`] for documented statuses
//!    (into the success type, or into the error type wrapped in
//!    [`Error::Api`]), [`unexpected`] for anything else.
//!
//! List endpoints can be walked with [`paginate`].
//!
//! Nothing in this module logs headers, tokens or query strings: the
//! `tracing` events emitted by [`ApiClient::execute`] carry the method, the
//! path, the status and retry waits only.

mod api_client;
mod auth;
mod decode;
mod encode;
mod error;
mod paginate;
mod retry;
mod transport;

pub use api_client::{ApiClient, ApiClientBuilder, RequestSpec, DEFAULT_USER_AGENT};
pub use auth::{Auth, Secret};
pub use decode::{body_excerpt, decode_json, unexpected};
pub use encode::{encode_path_segment, encode_query_component, param_text};
pub use error::Error;
pub use paginate::paginate;
pub use retry::{RateLimit, RetryPolicy};
#[cfg(feature = "reqwest")]
pub use transport::ReqwestTransport;
pub use transport::{BoxFuture, Request, Response, Transport, TransportError};

/// Re-exported from `futures_util` so that generated code and its users can
/// consume [`paginate`] streams without a direct dependency.
pub use futures_util::{Stream, StreamExt, TryStreamExt};

/// Re-exported so that generated code does not need direct dependencies on
/// these crates.
pub use {bytes, http, serde_json};
