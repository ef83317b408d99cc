//! [`Mock`]: what a registered mock was asked, for verification.

use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::received::{ReceivedError, ReceivedRequest};
use super::server::Shared;

/// Reads a request's query and header parameters into the operation's parameter type.
pub type ParamsReader<P> = fn(&ReceivedRequest) -> Result<P, ReceivedError>;

/// A registered mock: how often it answered, and what it received, decoded into the
/// operation's request types: `P` its query and header parameters (`()` when it has none),
/// `B` its JSON request body ([`NoBody`] when it has none).
///
/// Dropping the handle keeps the mock registered.
pub struct Mock<P, B> {
    shared: Arc<Shared>,
    index: usize,
    params: ParamsReader<P>,
    _body: PhantomData<fn() -> B>,
}

impl<P, B> std::fmt::Debug for Mock<P, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mock")
            .field("index", &self.index)
            .field("calls", &self.calls())
            .finish()
    }
}

/// The request body type of an operation that has no JSON body: [`Mock::bodies`] is not
/// available.
#[derive(Debug)]
pub enum NoBody {}

impl<P, B> Mock<P, B> {
    pub(crate) fn new(shared: Arc<Shared>, index: usize, params: ParamsReader<P>) -> Self {
        Mock {
            shared,
            index,
            params,
            _body: PhantomData,
        }
    }

    /// How many requests this mock answered.
    pub fn calls(&self) -> usize {
        self.shared.calls(self.index)
    }

    /// The requests this mock answered, in order.
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.shared.requests_of(self.index)
    }

    /// The query and header parameters of each request this mock answered, as the
    /// operation's parameter type.
    ///
    /// # Panics
    ///
    /// When a request's parameters do not read back as their types (the message says which
    /// and why).
    #[track_caller]
    pub fn params(&self) -> Vec<P> {
        self.requests()
            .iter()
            .map(|request| {
                (self.params)(request)
                    .unwrap_or_else(|error| panic!("{} (request `{}`)", error, request.line()))
            })
            .collect()
    }

    /// Fails [`MockServer::verify`](super::MockServer::verify) (and so the test, when the
    /// server is dropped) unless this mock answers exactly `calls` requests.
    pub fn expect(self, calls: usize) -> Self {
        self.shared.expect(self.index, calls);
        self
    }
}

impl<P, B: DeserializeOwned> Mock<P, B> {
    /// The body of each request this mock answered, as the operation's request type.
    ///
    /// # Panics
    ///
    /// When a body does not decode (the message names the failing value's path).
    #[track_caller]
    pub fn bodies(&self) -> Vec<B> {
        self.requests()
            .iter()
            .map(|request| {
                request
                    .json()
                    .unwrap_or_else(|error| panic!("{} (request `{}`)", error, request.line()))
            })
            .collect()
    }
}
