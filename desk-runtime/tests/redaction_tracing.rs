//! Credentials never show up in `tracing` logs.
//!
//! This test is alone in its binary on purpose: `tracing` caches each callsite's interest
//! globally, and a test on another thread reaching the same callsites while no subscriber is
//! set there can make this thread's scoped subscriber miss events (the log then stops short
//! and the test fails now and then).
#![cfg(feature = "client")]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use desk_runtime::client::{ApiClient, Auth, RequestSpec, RetryPolicy};
use http::Method;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok-SUPER-secret-4711";
const PASSWORD: &str = "pw-VERY-secret-0815";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// `flavor = "current_thread"` (the default) keeps every task of the request on
// this thread, where the subscriber below is the default.
#[tokio::test]
async fn tracing_output_never_contains_credentials() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;

    for auth in [Auth::bearer(TOKEN), Auth::basic(TOKEN, PASSWORD)] {
        let client = ApiClient::builder(server.uri())
            .auth(auth)
            .retry_policy(RetryPolicy {
                initial_backoff: Duration::from_millis(5),
                ..RetryPolicy::default()
            })
            .build()
            .unwrap();
        let spec = RequestSpec::new(Method::POST, "/tickets/42")
            .with_query("search", "query-value-not-logged")
            .with_body(format!(r#"{{"note":"{TOKEN}"}}"#).into_bytes());
        let response = client.execute(spec).await.unwrap();
        assert_eq!(response.status, 200);
    }

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // The capture works, and it has what it should.
    assert!(log.contains("HTTP request completed"), "{log}");
    assert!(log.contains("retrying HTTP request"), "{log}");
    assert!(log.contains("/tickets/42"), "{log}");
    assert!(log.contains("status=429"), "{log}");
    assert!(log.contains("status=200"), "{log}");
    assert!(log.contains("POST"), "{log}");
    // And nothing it should not.
    assert!(!log.contains(TOKEN), "{log}");
    assert!(!log.contains(PASSWORD), "{log}");
    assert!(!log.contains("Bearer"), "{log}");
    assert!(!log.contains("Basic "), "{log}");
    assert!(!log.to_ascii_lowercase().contains("authorization"), "{log}");
    assert!(!log.contains("query-value-not-logged"), "{log}");
}
