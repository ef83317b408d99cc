//! Credentials never show up in `Debug` output or in `tracing` logs.
#![cfg(feature = "client")]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use desk_runtime::client::{
    ApiClient, Auth, BoxFuture, Request, RequestSpec, Response, RetryPolicy, Secret, Transport,
    TransportError,
};
use http::Method;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok-SUPER-secret-4711";
const PASSWORD: &str = "pw-VERY-secret-0815";

#[test]
fn secret_debug_and_display_are_redacted() {
    let secret = Secret::from(TOKEN);
    assert_eq!(format!("{secret:?}"), "Secret(***)");
    assert_eq!(secret.to_string(), "Secret(***)");
    assert_eq!(format!("{secret:#?}"), "Secret(***)");
    assert_eq!(secret.expose(), TOKEN);
    assert_eq!(Secret::from(TOKEN.to_string()).expose(), TOKEN);
}

#[test]
fn auth_debug_is_redacted() {
    for auth in [
        Auth::bearer(TOKEN),
        Auth::basic(TOKEN, PASSWORD),
        Auth::Bearer(Secret::from(TOKEN)),
    ] {
        for rendered in [format!("{auth:?}"), format!("{auth:#?}")] {
            assert!(!rendered.contains(TOKEN), "{rendered}");
            assert!(!rendered.contains(PASSWORD), "{rendered}");
        }
        let header = auth.header_value().unwrap();
        assert!(header.is_sensitive());
        assert!(!format!("{header:?}").contains(TOKEN));
    }
}

#[test]
fn api_client_debug_is_redacted() {
    for auth in [Auth::bearer(TOKEN), Auth::basic(TOKEN, PASSWORD)] {
        let client = ApiClient::builder("https://desk.example.test/api/v2")
            .auth(auth.clone())
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let builder = ApiClient::builder("https://desk.example.test").auth(auth);
        for rendered in [
            format!("{client:?}"),
            format!("{client:#?}"),
            format!("{builder:?}"),
        ] {
            assert!(!rendered.contains(TOKEN), "{rendered}");
            assert!(!rendered.contains(PASSWORD), "{rendered}");
        }
        let rendered = format!("{client:?}");
        assert!(
            rendered.contains("https://desk.example.test/api/v2"),
            "{rendered}"
        );
        assert!(rendered.contains("Secret(***)"), "{rendered}");
        assert!(rendered.contains("5s"), "{rendered}");
        assert!(rendered.contains("max_retries: 3"), "{rendered}");
    }
}

/// A middleware-style transport that logs the `Debug` of every request it
/// sees, as a careless one might.
struct DebugRecorder(Arc<Mutex<Vec<String>>>);

impl Transport for DebugRecorder {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, TransportError>> {
        self.0.lock().unwrap().push(format!("{request:?}"));
        Box::pin(async {
            Ok(Response {
                status: http::StatusCode::OK,
                headers: http::HeaderMap::new(),
                body: bytes::Bytes::new(),
            })
        })
    }
}

#[tokio::test]
async fn request_debug_hides_the_authorization_header() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let client = ApiClient::builder("https://desk.example.test")
        .bearer_token(TOKEN)
        .transport(DebugRecorder(seen.clone()))
        .build()
        .unwrap();
    client
        .execute(RequestSpec::new(Method::GET, "/me"))
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].contains("authorization"), "{}", seen[0]);
    assert!(seen[0].contains("Sensitive"), "{}", seen[0]);
    assert!(!seen[0].contains(TOKEN), "{}", seen[0]);
}

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
