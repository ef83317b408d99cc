// build.rs
use desk_codegen::{Config, Parts};

fn main() {
    // Everything (the default `Parts::ALL`): models, request types and the client, which
    // needs desk-runtime's `client` feature.
    Config::new()
        .spec("../spec/conversations.yaml")
        .file_name("conversations.rs")
        .generate_or_exit();
    // Models and request types only: this part works with `default-features = false`.
    Config::new()
        .spec("specs/inventory.yaml")
        .parts(Parts::TYPES)
        .file_name("inventory.rs")
        .generate_or_exit();
}
