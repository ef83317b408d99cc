//! The token never shows up in `Debug` output of the generated client, its builder or its errors,
//! nor in the `tracing` logs of requests, retries and failures (against wiremock on 127.0.0.1).
#![cfg(feature = "client")]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use desk_generated::client::{Client, ClientBuilder, ListConversationsParams};
use desk_generated::requests::ConversationPatch;
use desk_generated::runtime::client::RetryPolicy;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::util::SubscriberInitExt;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok-SUPER-secret-4711";
const PASSWORD: &str = "pw-VERY-secret-0815";

/// Every form a credential could leak in: the raw values, and the Basic header's base64.
fn forbidden() -> Vec<String> {
    vec![
        TOKEN.to_owned(),
        PASSWORD.to_owned(),
        // base64("tok-SUPER-secret-4711:pw-VERY-secret-0815") and base64("tok-SUPER-secret-4711:X")
        "dG9rLVNVUEVSLXNlY3JldC00NzExOnB3LVZFUlktc2VjcmV0LTA4MTU=".to_owned(),
        "dG9rLVNVUEVSLXNlY3JldC00NzExOlg=".to_owned(),
        // Fragments of the secrets, in case something truncates.
        "SUPER-secret".to_owned(),
        "VERY-secret".to_owned(),
    ]
}

fn assert_clean(text: &str, context: &str) {
    for secret in forbidden() {
        assert!(
            !text.contains(&secret),
            "{context} leaks {secret:?}:\n{text}"
        );
    }
}

fn fast() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        max_rate_limit_wait: Duration::from_millis(50),
        jitter: false,
    }
}

fn builders(base: &str) -> Vec<(&'static str, ClientBuilder)> {
    vec![
        ("bearer", Client::builder(base).bearer_token(TOKEN)),
        ("basic", Client::builder(base).basic_auth(TOKEN, PASSWORD)),
        (
            "basic with X",
            Client::for_site("acme").basic_auth(TOKEN, "X"),
        ),
        (
            "eu bearer",
            Client::for_eu_site("acme").bearer_token(TOKEN.to_owned()),
        ),
    ]
}

#[test]
fn debug_of_client_and_builder_never_shows_the_token() {
    for (name, builder) in builders("https://acme.teamwork.com") {
        let builder_debug = format!("{builder:?} {builder:#?}");
        assert_clean(&builder_debug, name);
        assert!(
            builder_debug.contains("Secret(***)"),
            "{name}: {builder_debug}"
        );
        let client = builder
            .timeout(Duration::from_secs(5))
            .retry_policy(fast())
            .build()
            .unwrap();
        let client_debug = format!(
            "{client:?} {client:#?} {:?}",
            client.with_timeout(Duration::from_secs(1))
        );
        assert_clean(&client_debug, name);
        assert!(
            client_debug.contains("Secret(***)"),
            "{name}: {client_debug}"
        );
        assert!(
            client_debug.contains("acme"),
            "{name}: the Debug output is still useful: {client_debug}"
        );
    }
    // A credential that cannot be a header value is refused without echoing it.
    let err = Client::builder("https://acme.teamwork.com")
        .bearer_token(format!("{TOKEN}\n"))
        .build()
        .unwrap_err();
    assert_clean(&format!("{err} {err:?}"), "config error");
}

/// A `MakeWriter` that appends every log line to a shared buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_of_requests_retries_and_failures_never_show_the_token() {
    let capture = Capture::default();
    let writer = capture.clone();
    let _guard = tracing_subscriber::fmt()
        .with_max_level(LevelFilter::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish()
        .set_default();

    let server = MockServer::start().await;
    // GET: 429, then 503, then 200. PATCH: 400. Everything else: 401 echoing nothing secret.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"conversations":[]}"#))
        .with_priority(3)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(400).set_body_string(r#"{"errors":{"state":["invalid"]}}"#),
        )
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401))
        .with_priority(10)
        .mount(&server)
        .await;

    // A port nothing listens on: connection failures (retried for GET).
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);

    let mut rendered_errors = String::new();
    for (name, builder) in builders(&server.uri()) {
        let client = builder.retry_policy(fast()).build().unwrap();
        let result = client
            .list_conversations(&ListConversationsParams::default())
            .await;
        rendered_errors.push_str(&format!("{name}: {result:?}\n"));
        let err = client
            .update_conversation(1, ConversationPatch::new().ticket_id(3))
            .await
            .unwrap_err();
        rendered_errors.push_str(&format!("{err} {err:?}\n"));
    }
    for (name, builder) in builders(&closed_url) {
        let client = builder.retry_policy(fast()).build().unwrap();
        let err = client
            .list_conversations(&ListConversationsParams::default())
            .await
            .unwrap_err();
        rendered_errors.push_str(&format!("{name}: {err} {err:?}\n"));
        let err = client
            .with_timeout(Duration::from_millis(1))
            .update_conversation(1, ConversationPatch::new())
            .await
            .unwrap_err();
        rendered_errors.push_str(&format!("{err} {err:?}\n"));
    }

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    // The logs are real: attempts, statuses and retries are there.
    assert!(logs.contains("HTTP request completed"), "{logs}");
    assert!(logs.contains("retrying HTTP request"), "{logs}");
    assert!(
        logs.contains("status=429") && logs.contains("status=503") && logs.contains("status=400"),
        "{logs}"
    );
    assert!(logs.contains("HTTP request failed"), "{logs}");
    assert_clean(&logs, "tracing logs");
    assert!(
        !logs.to_ascii_lowercase().contains("authorization"),
        "{logs}"
    );
    assert_clean(&rendered_errors, "errors");
    // The requests did carry the credentials.
    let requests = server.received_requests().await.unwrap();
    assert!(requests
        .iter()
        .all(|r| r.headers.contains_key("authorization")));
}
