//! Copied into the crate generated from a ring of schemas with its client by `deep_specs.rs`,
//! as `tests/send.rs`: its types are `Send + Sync` and a client call's future is `Send`.

fn send_sync<T: Send + Sync>() {}

fn send<T: Send>(_: T) {}

#[test]
fn types_and_futures_are_send() {
    send_sync::<ring::models::S0>();
    send_sync::<ring::requests::S0Patch>();
    let client = ring::client::Client::builder("http://127.0.0.1:9")
        .build()
        .expect("a client");
    send(async move { client.get_s0().await });
}
