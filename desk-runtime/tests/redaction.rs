//! Credentials never show up in `Debug` output (for `tracing` logs see `redaction_tracing.rs`).
#![cfg(feature = "client")]

use desk_runtime::client::{
    ApiClient, Auth, BoxFuture, Request, RequestSpec, Response, Secret, Transport, TransportError,
};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::Method;

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

#[tokio::test]
async fn request_debug_hides_api_keys() {
    for auth in [
        Auth::api_key_query("api_key", TOKEN),
        Auth::api_key_header("X-Token", TOKEN),
    ] {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let client = ApiClient::builder("https://desk.example.test")
            .auth(auth.clone())
            .transport(DebugRecorder(seen.clone()))
            .build()
            .unwrap();
        for rendered in [format!("{auth:?}"), format!("{client:?}")] {
            assert!(!rendered.contains(TOKEN), "{rendered}");
        }
        client
            .execute(RequestSpec::new(Method::GET, "/me").with_query("page", "2"))
            .await
            .unwrap();
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        assert!(!seen[0].contains(TOKEN), "{}", seen[0]);
    }
}
