//! Typed mock servers for generated clients (feature `mock`).
//!
//! A generated crate with its `mock` feature has a `mock` module: a `MockServer` with one method
//! per operation, whose *when* takes the operation's parameters as their Rust types and its
//! request body as its request type, and whose *then* has one method per documented response,
//! taking that response's type. That module is thin; the machinery is here:
//!
//! - [`MockServer`]: an HTTP/1.1 server on `127.0.0.1` (an ephemeral port), on a thread of its
//!   own, so it serves whatever runtime (or none) the test uses, paused clocks included.
//! - [`When`]: what a request must carry (path, query and header parameters, the body, auth).
//!   Values are encoded exactly as the client encodes them, so a match means the client would
//!   send that request.
//! - [`Then`]: the answers, used in order, each [`Then::times`] times, the last one for every
//!   further call (or all of them again, with [`Then::cycle`]); and the faults a client must
//!   survive: rate limits ([`Then::rate_limited`], [`Then::rate_limited_until`]), server errors,
//!   delays, a connection closed in the middle of the body, a connection reset.
//! - [`Mock`]: the handle a registration returns: how many calls it answered, the requests it
//!   received, decoded into the operation's request types.
//!
//! A request no mock matches is answered `500` with a message that names the closest operation
//! and what did not match (the path, the method, a query value, the body's first differing
//! field, with the same paths as [`Error::Decode`](crate::client::Error::Decode)), and fails the
//! test: [`MockServer::verify`], which runs when the server is dropped, panics with every such
//! message, every canned body that did not decode as its documented type, and every
//! [`Mock::expect`] not met.
//!
//! # Why not wiremock underneath
//!
//! wiremock (and httpmock) answer every request with a complete response: neither can stop in
//! the middle of a body or drop a connection without answering, and both answer a request no
//! mock matches with a bare `404`. Typed matching with useful mismatch messages needs a matcher
//! of its own anyway (the closest operation, the first differing body field), and what is left,
//! serving HTTP/1.1, is a few lines over hyper, which the client's reqwest already brings in.
//! So the server is hyper's, on the same tokio, and every fault is a real one on the socket.
//!
//! # Order and precedence
//!
//! Mocks are tried newest first: a mock registered later overrides an earlier one for the
//! requests both match, so a test can register a catch-all first and narrower mocks after it.

mod answer;
mod diff;
mod handle;
mod received;
mod routing;
mod server;
mod when;

pub use answer::Then;
pub use handle::{Mock, NoBody};
pub use received::{ReceivedError, ReceivedRequest};
pub use server::{ConnectionStats, MockServer};
pub use when::When;

/// How an array parameter or form field is written (the *when* methods of Swagger 2.0's
/// `collectionFormat`s take it).
pub use crate::client::Collection;

/// Where an API key the client can send goes: the places that count as credentials besides an
/// `Authorization` header ([`When::with_auth`]), and whose values mismatch messages never show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// A header (`X-API-Key`).
    Header(&'static str),
    /// A query parameter (`api_key`).
    Query(&'static str),
}

/// The operations of one API, as the generated `mock` module describes them: what the server
/// routes requests by and names in its messages.
#[derive(Debug)]
pub struct Api {
    /// `info.title`.
    pub title: &'static str,
    /// Every operation.
    pub operations: &'static [Operation],
    /// The API keys the client can send (its `apiKey` security schemes).
    pub credentials: &'static [Credential],
}

/// One operation of an [`Api`].
#[derive(Debug)]
pub struct Operation {
    /// The client method's name (unique within the API): `list_conversations`.
    pub name: &'static str,
    /// The operation id (the method's name when the description gives none):
    /// `listConversations`.
    pub id: &'static str,
    /// The HTTP method: `GET`.
    pub method: &'static str,
    /// The path template: `/conversations/{id}.json`.
    pub path: &'static str,
    /// Whether the client sends credentials.
    pub authenticated: bool,
    /// The documented responses.
    pub responses: &'static [Documented],
}

/// A documented response of an [`Operation`].
#[derive(Debug)]
pub struct Documented {
    /// The status; `None` for `default`.
    pub status: Option<u16>,
    /// Whether `status` stands for its hundred (`4XX`).
    pub range: bool,
    /// Checks a body against the documented JSON type ([`check`]), when there is one.
    pub check: Option<BodyCheck>,
}

/// A check of a JSON body sent with a status against a type: `Err` with the decode error's
/// message (which names the failing value's path) when it does not decode.
pub type BodyCheck = fn(u16, &[u8]) -> Result<(), String>;

/// Whether `body`, sent with `status`, decodes as `T` (the [`BodyCheck`] of a documented JSON
/// response).
pub fn check<T: serde::de::DeserializeOwned>(status: u16, body: &[u8]) -> Result<(), String> {
    let status = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    crate::client::decode_body::<T, ()>(status, body)
        .map(drop)
        .map_err(|error| error.to_string())
}

/// `status`, which must be one of the hundred `hundred` (`4` for a documented `4XX`).
///
/// # Panics
///
/// When it is not: the answer would not be the documented one.
#[track_caller]
pub fn status_in(status: u16, hundred: u16) -> u16 {
    assert!(
        status / 100 == hundred,
        "status {status} is not a {hundred}XX status"
    );
    status
}

impl Api {
    /// The operation whose client method is `name`.
    ///
    /// # Panics
    ///
    /// When there is none: the generated module only asks for its own operations.
    pub fn operation(&self, name: &str) -> &'static Operation {
        let operations: &'static [Operation] = self.operations;
        operations
            .iter()
            .find(|operation| operation.name == name)
            .unwrap_or_else(|| panic!("{} has no operation `{name}`", self.title))
    }
}

impl Operation {
    /// The documented response for `status`: an exact status first, then its range, then
    /// `default`.
    pub fn documented(&self, status: u16) -> Option<&Documented> {
        let responses: &'static [Documented] = self.responses;
        responses
            .iter()
            .find(|r| !r.range && r.status == Some(status))
            .or_else(|| {
                responses
                    .iter()
                    .find(|r| r.range && r.status == Some(status / 100 * 100))
            })
            .or_else(|| responses.iter().find(|r| r.status.is_none()))
    }
}

/// The fixed methods of a generated operation's *when* type (a newtype over [`When`]): auth
/// and a custom predicate. The typed ones (parameters, body) are generated.
#[macro_export]
macro_rules! mock_when {
    ($name:ident) => {
        impl $name {
            /// Matches requests that carry credentials (an `Authorization` header, or one of
            /// the API keys the description names).
            pub fn with_auth(&mut self) -> &mut Self {
                self.0.with_auth();
                self
            }

            /// Matches requests without credentials (no `Authorization` header, no API key).
            pub fn without_auth(&mut self) -> &mut Self {
                self.0.without_auth();
                self
            }

            /// Matches requests whose `Authorization` header is exactly `value`
            /// (`Bearer my-token`).
            pub fn authorization(&mut self, value: &str) -> &mut Self {
                self.0.authorization(value);
                self
            }

            /// Matches requests without the query parameter or header `name` (as the
            /// description spells it).
            pub fn absent(&mut self, name: &str) -> &mut Self {
                self.0.absent(name);
                self
            }

            /// Matches requests for which `predicate` holds; `description` names it in
            /// mismatch messages.
            pub fn matching(
                &mut self,
                description: &str,
                predicate: impl Fn(&$crate::mock::ReceivedRequest) -> bool + Send + Sync + 'static,
            ) -> &mut Self {
                self.0.matching(description, predicate);
                self
            }
        }
    };
}

/// The fixed methods of a generated operation's *then* type (a newtype over [`Then`]): faults,
/// repetition, headers and untyped answers. The typed ones (one per documented response) are
/// generated.
#[macro_export]
macro_rules! mock_then {
    ($name:ident) => {
        impl $name {
            /// Answers `429 Too Many Requests` with `Retry-After` (whole seconds, rounded up)
            /// and `X-Rate-Limit-Remaining: 0`.
            pub fn rate_limited(&mut self, retry_after: ::std::time::Duration) -> &mut Self {
                self.0.rate_limited(retry_after);
                self
            }

            /// Answers `429 Too Many Requests` with `X-Rate-Limit-Reset` (`reset` as epoch
            /// seconds) and `X-Rate-Limit-Remaining: 0`, without `Retry-After`.
            pub fn rate_limited_until(&mut self, reset: ::std::time::SystemTime) -> &mut Self {
                self.0.rate_limited_until(reset);
                self
            }

            /// Answers `status` (a `5xx`, such as `503`) with an empty body.
            pub fn server_error(&mut self, status: u16) -> &mut Self {
                self.0.server_error(status);
                self
            }

            /// Closes the connection without answering (a reset), after reading the request.
            pub fn reset_connection(&mut self) -> &mut Self {
                self.0.reset_connection();
                self
            }

            /// Sends the last answer after `delay` (longer than the client's timeout: a stall).
            pub fn delay(&mut self, delay: ::std::time::Duration) -> &mut Self {
                self.0.delay(delay);
                self
            }

            /// Sends the last answer's status, headers and half its body, then closes the
            /// connection.
            pub fn close_mid_body(&mut self) -> &mut Self {
                self.0.close_mid_body();
                self
            }

            /// Uses the last answer for `times` calls before the next one.
            pub fn times(&mut self, times: usize) -> &mut Self {
                self.0.times(times);
                self
            }

            /// After the last answer, starts again from the first (instead of repeating the
            /// last).
            pub fn cycle(&mut self) -> &mut Self {
                self.0.cycle();
                self
            }

            /// Adds a header to the last answer.
            pub fn header(&mut self, name: &str, value: &str) -> &mut Self {
                self.0.header(name, value);
                self
            }

            /// Answers `status` with a JSON body that is not typed: when the operation
            /// documents a JSON type for `status`, the body is checked against it when sent,
            /// and one that does not decode fails the test (naming the failing value's path).
            pub fn json_value(
                &mut self,
                status: u16,
                body: $crate::client::serde_json::Value,
            ) -> &mut Self {
                self.0.json_value(status, body);
                self
            }

            /// Answers `status` with `body` as it is, unchecked: for undocumented answers and
            /// bodies that are meant to be wrong.
            pub fn raw(
                &mut self,
                status: u16,
                content_type: &str,
                body: impl Into<$crate::client::bytes::Bytes>,
            ) -> &mut Self {
                self.0.raw(status, content_type, body);
                self
            }
        }
    };
}
