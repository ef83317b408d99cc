//! End-to-end tests of `ApiClient` against a wiremock server on loopback.
#![cfg(feature = "client")]

use std::convert::Infallible;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use desk_runtime::client::{
    api_error, decode_json, encode_path_segment, unexpected, ApiClient, Error, RequestSpec,
    Response, RetryPolicy, TransportError, DEFAULT_USER_AGENT,
};
use http::Method;
use serde::Deserialize;
use wiremock::matchers::{any, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A retry policy with short waits so that tests stay fast.
fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        max_rate_limit_wait: Duration::from_secs(3),
        jitter: false,
    }
}

fn client_for(server: &MockServer) -> ApiClient {
    ApiClient::builder(format!("{}/api/", server.uri()))
        .retry_policy(fast_retries(3))
        .build()
        .expect("valid client")
}

async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("recording is on")
}

async fn get(client: &ApiClient, path: &str) -> Result<Response, Error<Infallible>> {
    client.execute(RequestSpec::new(Method::GET, path)).await
}

#[tokio::test]
async fn bearer_auth_and_standard_headers_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/me"))
        .and(header("authorization", "Bearer tok-123"))
        .and(header("accept", "application/json"))
        .and(header("user-agent", DEFAULT_USER_AGENT))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    let client = ApiClient::builder(server.uri())
        .bearer_token("tok-123")
        .build()
        .unwrap();

    let response = get(&client, "/api/me").await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.body, "{}");
    let requests = received(&server).await;
    assert!(requests[0].headers.get("content-type").is_none());
}

#[tokio::test]
async fn basic_auth_is_base64_of_user_and_password() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", "Basic YXBpLWtleTpY"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = ApiClient::builder(server.uri())
        .basic_auth("api-key", "X")
        .build()
        .unwrap();
    assert_eq!(get(&client, "/").await.unwrap().status, 204);
}

#[tokio::test]
async fn no_authorization_header_when_not_authenticated() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = ApiClient::builder(server.uri())
        .bearer_token("tok-123")
        .build()
        .unwrap();
    let spec = RequestSpec {
        authenticated: false,
        ..RequestSpec::new(Method::GET, "/public")
    };
    client.execute(spec).await.unwrap();
    let no_auth = ApiClient::builder(server.uri()).build().unwrap();
    get(&no_auth, "/also-public").await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in requests {
        assert!(request.headers.get("authorization").is_none());
    }
}

#[tokio::test]
async fn body_content_type_and_custom_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/tickets"))
        .and(header("content-type", "application/json"))
        .and(header("user-agent", "my-app/1.0"))
        .respond_with(ResponseTemplate::new(201).set_body_string(r#"{"id":7}"#))
        .expect(1)
        .mount(&server)
        .await;
    let client = ApiClient::builder(format!("{}/api", server.uri()))
        .user_agent("my-app/1.0")
        .build()
        .unwrap();
    let spec = RequestSpec::new(Method::POST, "/tickets")
        .with_json::<_, Infallible>(&serde_json::json!({"subject": "hi"}))
        .unwrap();
    let response = client.execute(spec).await.unwrap();

    #[derive(Deserialize)]
    struct Created {
        id: u64,
    }
    let created: Created = decode_json::<_, ()>(&response).unwrap();
    assert_eq!(created.id, 7);
    let requests = received(&server).await;
    assert_eq!(requests[0].body, br#"{"subject":"hi"}"#);
}

#[tokio::test]
async fn query_values_are_percent_encoded() {
    let server = MockServer::start().await;
    let filter = r#"{"state":{"$eq":"active"}}"#;
    Mock::given(path("/api/tickets.json"))
        .and(query_param("filter", filter))
        .and(query_param("page size", "a&b=c+d"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let spec = RequestSpec::new(Method::GET, "/tickets.json")
        .with_query("filter", filter)
        .with_query("page size", "a&b=c+d");
    let response = client_for(&server).execute(spec).await.unwrap();
    assert_eq!(response.status, 200);

    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.query(),
        Some(
            "filter=%7B%22state%22%3A%7B%22%24eq%22%3A%22active%22%7D%7D&page%20size=a%26b%3Dc%2Bd"
        )
    );
}

#[tokio::test]
async fn encoded_path_segments_stay_one_segment() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let values = [
        "../../x",
        "a/b?c#d",
        "%2F",
        "...",
        "a b+c",
        "日本語/ü",
        "x;y=z",
    ];
    for value in values {
        let segment = encode_path_segment(value);
        let response = get(&client, &format!("/items/{segment}/tail"))
            .await
            .unwrap();
        assert_eq!(response.status, 200, "{value}");
    }

    let requests = received(&server).await;
    assert_eq!(requests.len(), values.len());
    for (request, value) in requests.iter().zip(values) {
        let seen = request.url.path();
        let segments: Vec<&str> = seen.split('/').collect();
        assert_eq!(
            segments.len(),
            5,
            "{value:?} became {seen:?}: expected /api/items/<one segment>/tail"
        );
        assert_eq!(segments[..3], ["", "api", "items"], "{value:?}: {seen}");
        assert_eq!(segments[4], "tail", "{value:?}: {seen}");
        assert_eq!(segments[3], encode_path_segment(value));
        assert!(request.url.query().is_none() && request.url.fragment().is_none());
        // What the server decodes the segment to is exactly the original value.
        let decoded = percent_decode(segments[3]);
        assert_eq!(decoded, value);
    }
}

#[tokio::test]
async fn dot_segments_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = client_for(&server);
    for value in ["..", "."] {
        let segment = encode_path_segment(value);
        assert!(segment.chars().all(|c| c != '.'), "{segment}");
        let error = get(&client, &format!("/items/{segment}/tail"))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    }
    for raw in ["/items/../x", "/items/./x", "/a?b", "/a#b", "/a b"] {
        let error = get(&client, raw).await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest(_)),
            "{raw}: {error:?}"
        );
    }
    assert!(received(&server).await.is_empty());
}

/// Why the runtime refuses `%2E%2E` segments instead of sending them: the URL
/// parser under reqwest (WHATWG rules) resolves them like `..`, so the
/// request would reach the parent resource. A raw TCP listener shows the
/// request line that actually goes over the wire.
#[tokio::test]
async fn reqwest_would_resolve_encoded_dot_segments() {
    use desk_runtime::client::{Request, ReqwestTransport, Transport};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 4096];
        let n = socket.read(&mut buf).await.unwrap();
        socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&buf[..n]).into_owned();
        text.lines().next().unwrap_or_default().to_owned()
    });
    let request = Request {
        method: Method::GET,
        url: format!("http://{addr}/items/%2E%2E/admin"),
        headers: http::HeaderMap::new(),
        body: None,
        timeout: Some(Duration::from_secs(2)),
    };
    ReqwestTransport::new().send(request).await.unwrap();
    let request_line = server.await.unwrap();
    assert_eq!(request_line, "GET /admin HTTP/1.1");
}

#[tokio::test]
async fn retry_after_is_honoured_once() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = client_for(&server);

    let started = Instant::now();
    // POST: 429 is retried whatever the method.
    let response = client
        .execute(RequestSpec::new(Method::POST, "/things").with_body(b"{}".to_vec()))
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(response.status, 200);
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].body, b"{}");
}

#[tokio::test]
async fn rate_limit_reset_is_waited_for() {
    let server = MockServer::start().await;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let reset = now + 1;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("X-Rate-Limit-Limit", "150")
                .insert_header("X-Rate-Limit-Remaining", "0")
                .insert_header("X-Rate-Limit-Reset", reset.to_string().as_str()),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;

    let response = get(&client_for(&server), "/x").await.unwrap();
    assert_eq!(response.status, 200);
    let finished = SystemTime::now();
    assert!(
        finished >= UNIX_EPOCH + Duration::from_secs(reset),
        "retried before the reset time"
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn rate_limit_retries_stop_at_the_bound_and_return_the_last_response() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "0")
                .insert_header("X-Rate-Limit-Remaining", "0")
                .set_body_string("slow down"),
        )
        .mount(&server)
        .await;
    let client = ApiClient::builder(server.uri())
        .retry_policy(fast_retries(2))
        .build()
        .unwrap();
    let response = client
        .execute(RequestSpec::new(Method::POST, "/x"))
        .await
        .unwrap();
    assert_eq!(response.status, 429);
    assert_eq!(received(&server).await.len(), 3);

    // What generated code does with an undocumented status.
    let error: Error<()> = unexpected(response);
    assert_eq!(error.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(error.rate_limit().unwrap().remaining, Some(0));
    assert!(error.to_string().contains("slow down"), "{error}");
}

#[tokio::test]
async fn no_retries_with_retry_policy_none() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = ApiClient::builder(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(get(&client, "/x").await.unwrap().status, 503);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn unavailable_is_retried_for_idempotent_requests_up_to_the_bound() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let response = get(&client_for(&server), "/x").await.unwrap();
    assert_eq!(response.status, 503);
    assert_eq!(received(&server).await.len(), 4);
}

#[tokio::test]
async fn unavailable_then_success() {
    let server = MockServer::start().await;
    for status in [502, 504] {
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let response = client_for(&server)
        .execute(RequestSpec::new(Method::PUT, "/x").with_body(b"1".to_vec()))
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn unavailable_is_not_retried_when_not_idempotent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let post = RequestSpec::new(Method::POST, "/x");
    assert!(!post.idempotent);
    assert_eq!(client.execute(post).await.unwrap().status, 503);
    let get_not_idempotent = RequestSpec {
        idempotent: false,
        ..RequestSpec::new(Method::GET, "/y")
    };
    assert_eq!(
        client.execute(get_not_idempotent).await.unwrap().status,
        503
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn per_request_timeout_is_a_transport_timeout() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(1500)))
        .mount(&server)
        .await;
    // The client-wide timeout is generous; the request's own one applies.
    let client = ApiClient::builder(server.uri())
        .timeout(Duration::from_secs(10))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let spec = RequestSpec {
        timeout: Some(Duration::from_millis(200)),
        ..RequestSpec::new(Method::GET, "/slow")
    };
    let started = Instant::now();
    let error = client.execute(spec).await.unwrap_err();
    assert!(
        matches!(error, Error::Transport(TransportError::Timeout(_))),
        "{error:?}"
    );
    assert!(error.is_timeout());
    assert!(started.elapsed() < Duration::from_millis(1200));
}

#[tokio::test]
async fn client_timeout_is_retried_for_idempotent_requests() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(1500)))
        .mount(&server)
        .await;
    let client = ApiClient::builder(server.uri())
        .timeout(Duration::from_millis(150))
        .retry_policy(fast_retries(1))
        .build()
        .unwrap();
    let error = get(&client, "/slow").await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(received(&server).await.len(), 2);

    let error = client
        .execute(RequestSpec::new(Method::POST, "/slow"))
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn refused_connection_is_a_connect_error() {
    // Bind and drop to get a loopback port with nothing listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = ApiClient::builder(format!("http://127.0.0.1:{port}"))
        .retry_policy(fast_retries(1))
        .build()
        .unwrap();
    let error = client
        .execute(RequestSpec::new(Method::GET, "/x").with_query("q", "private"))
        .await
        .unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert!(!error.is_timeout());
    assert_eq!(error.status(), None);
    // The cause chain is kept: the HTTP stack's error, down to the OS's "connection refused".
    let mut chain = Vec::new();
    let mut refused = false;
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        chain.push(cause.to_string());
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            refused |= io.kind() == std::io::ErrorKind::ConnectionRefused;
        }
        source = cause.source();
    }
    assert!(
        refused,
        "no io::Error ConnectionRefused in the chain: {chain:?}"
    );
    let text = chain.join(": ");
    assert!(
        !text.contains("private"),
        "the query stays out of messages: {text}"
    );
    assert_eq!(error.to_string(), "could not connect to the server");
}

#[test]
fn every_call_is_bounded_by_default() {
    let client = ApiClient::builder("http://127.0.0.1:1").build().unwrap();
    assert_eq!(client.timeout(), desk_runtime::client::DEFAULT_TIMEOUT);
    assert_eq!(client.timeout(), Duration::from_secs(30));
    assert_eq!(client.deadline(), desk_runtime::client::DEFAULT_DEADLINE);
    assert_eq!(client.deadline(), Duration::from_secs(120));
    assert_eq!(
        desk_runtime::client::DEFAULT_CONNECT_TIMEOUT,
        Duration::from_secs(10)
    );
    let client = ApiClient::builder("http://127.0.0.1:1")
        .timeout(Duration::from_secs(5))
        .deadline(Duration::from_secs(20))
        .connect_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    assert_eq!(
        (client.timeout(), client.deadline()),
        (Duration::from_secs(5), Duration::from_secs(20))
    );
}

#[tokio::test]
async fn the_deadline_bounds_the_whole_call_against_a_stalling_server() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    // Each attempt may take 1 s and there are 3 retries: without a deadline the call would
    // take over 4 s. The deadline ends it after 300 ms.
    let client = ApiClient::builder(server.uri())
        .timeout(Duration::from_secs(1))
        .deadline(Duration::from_millis(300))
        .retry_policy(fast_retries(3))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = get(&client, "/stall").await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        elapsed >= Duration::from_millis(280) && elapsed < Duration::from_millis(300 + 700),
        "the call took {elapsed:?}"
    );

    // Per call, the deadline can be shortened further.
    let started = Instant::now();
    let error = client
        .execute(RequestSpec::new(Method::GET, "/stall").with_deadline(Duration::from_millis(100)))
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_millis(100 + 700),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_retry_whose_wait_passes_the_deadline_is_not_made() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "2"))
        .mount(&server)
        .await;
    let client = ApiClient::builder(server.uri())
        .deadline(Duration::from_millis(500))
        .retry_policy(RetryPolicy {
            max_backoff: Duration::from_secs(5),
            ..fast_retries(3)
        })
        .build()
        .unwrap();
    let started = Instant::now();
    let response = get(&client, "/busy").await.unwrap();
    assert_eq!(response.status, 503);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn rate_limited_with_an_http_date_retry_after() {
    let server = MockServer::start().await;
    // Two seconds ahead, in IMF-fixdate: HTTP dates have whole seconds, so the wait is
    // between one and two seconds.
    let at = SystemTime::now() + Duration::from_secs(2);
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(429).insert_header("retry-after", httpdate::fmt_http_date(at)),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let started = Instant::now();
    let response = client
        .execute(RequestSpec::new(Method::POST, "/things"))
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(response.status, 200);
    assert_eq!(received(&server).await.len(), 2);
    assert!(
        elapsed >= Duration::from_millis(900) && elapsed < Duration::from_millis(2900),
        "waited {elapsed:?}"
    );
}

#[tokio::test]
async fn decode_failure_reports_status_and_excerpt() {
    let server = MockServer::start().await;
    let long_html = format!("<html>{}</html>", "é".repeat(400));
    Mock::given(path("/api/html"))
        .respond_with(ResponseTemplate::new(200).set_body_string(long_html.clone()))
        .mount(&server)
        .await;
    Mock::given(path("/api/short"))
        .respond_with(ResponseTemplate::new(202).set_body_string("not json"))
        .mount(&server)
        .await;
    let client = client_for(&server);

    let response = get(&client, "/short").await.unwrap();
    let error = decode_json::<Vec<u32>, ()>(&response).unwrap_err();
    match &error {
        Error::Decode {
            status, excerpt, ..
        } => {
            assert_eq!(*status, 202);
            assert_eq!(excerpt, "not json");
        }
        other => panic!("{other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains("202") && message.contains("not json"),
        "{message}"
    );

    let response = get(&client, "/html").await.unwrap();
    match decode_json::<serde_json::Value, ()>(&response).unwrap_err() {
        Error::Decode {
            status, excerpt, ..
        } => {
            assert_eq!(status, 200);
            assert!(excerpt.starts_with("<html>éé"));
            assert!(excerpt.ends_with('…'));
            assert_eq!(excerpt.chars().count(), 201);
            assert!(long_html.starts_with(excerpt.trim_end_matches('…')));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn documented_error_status_becomes_a_typed_api_error() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct ApiProblem {
        message: String,
    }

    /// What a generated operation does with the response.
    async fn operation(client: &ApiClient) -> Result<serde_json::Value, Error<ApiProblem>> {
        let response = client
            .execute(RequestSpec::new(Method::GET, "/thing"))
            .await
            .map_err(Error::into_any)?;
        match response.status.as_u16() {
            200 => decode_json(&response),
            400 => Err(api_error(&response, decode_json(&response)?)),
            _ => Err(unexpected(response)),
        }
    }

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-rate-limit-remaining", "9")
                .set_body_string(r#"{"message":"bad"}"#),
        )
        .mount(&server)
        .await;
    let error = operation(&client_for(&server)).await.unwrap_err();
    assert_eq!(error.status(), Some(http::StatusCode::BAD_REQUEST));
    assert_eq!(error.rate_limit().unwrap().remaining, Some(9));
    assert_eq!(error.to_string(), "API error (status 400 Bad Request): bad");
    assert_eq!(
        error.into_api_body(),
        Some(ApiProblem {
            message: "bad".into()
        })
    );
}

#[tokio::test]
async fn invalid_base_urls_are_rejected() {
    for bad in [
        "",
        "localhost:8080",
        "ftp://127.0.0.1",
        "http://",
        "https://h/?x",
    ] {
        let result = ApiClient::builder(bad).build();
        assert!(
            matches!(result, Err(Error::InvalidBaseUrl(_))),
            "{bad:?}: {result:?}"
        );
    }
    let client = ApiClient::builder("http://127.0.0.1:1/api/")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:1/api");
}

/// Minimal percent-decoding for assertions.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
