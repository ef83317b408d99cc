//! Generates both APIs into `OUT_DIR`, as a crate using `desk-codegen` from its build script would.

use desk_codegen::{Config, Parts};

fn main() {
    // The Conversation API: models, request types and the client.
    Config::new()
        .spec("../spec/conversations.yaml")
        .parts(Parts::ALL)
        .file_name("conversations.rs")
        .generate()
        .unwrap_or_else(|err| panic!("conversations: {err}"));
    // This crate's own spec: models and request types only.
    Config::new()
        .spec("specs/inventory.yaml")
        .parts(Parts::TYPES)
        .file_name("inventory.rs")
        .generate()
        .unwrap_or_else(|err| panic!("inventory: {err}"));
}
