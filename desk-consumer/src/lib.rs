//! Two APIs generated at build time by `desk-codegen` (see `build.rs`): the Conversation API from
//! the workspace's `spec/conversations.yaml`, and a small inventory API from
//! `specs/inventory.yaml` that exercises the request types on a spec of a different shape
//! (nested objects, arrays of objects, enums, `allOf`, nullable, required, read-only and
//! write-only properties).
#![forbid(unsafe_code)]

/// Teamwork Desk's Conversation API: models, request types and the async client.
#[allow(missing_docs)]
pub mod conversations {
    include!(concat!(env!("OUT_DIR"), "/conversations.rs"));
}

/// The inventory API of `specs/inventory.yaml`: models and request types.
#[allow(missing_docs)]
pub mod inventory {
    include!(concat!(env!("OUT_DIR"), "/inventory.rs"));
}
