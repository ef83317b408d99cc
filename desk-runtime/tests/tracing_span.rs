//! The `tracing` span of a call: its fields, and that no secret reaches it.
#![cfg(feature = "client")]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use desk_runtime::client::{ApiClient, RequestSpec, RetryPolicy};
use http::Method;
use tracing::field::{Field, Visit};
use tracing::span;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

type Fields = BTreeMap<String, String>;

/// Records every span (name and fields, updated by `record`) and every event's fields.
#[derive(Clone, Default)]
struct Capture {
    spans: Arc<Mutex<BTreeMap<u64, (String, Fields)>>>,
    events: Arc<Mutex<Vec<Fields>>>,
}

struct Collect<'a>(&'a mut Fields);

impl Visit for Collect<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), value.to_string());
    }
}

impl<S: tracing::Subscriber> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &span::Attributes<'_>, id: &span::Id, _: Context<'_, S>) {
        let mut fields = Fields::new();
        attrs.record(&mut Collect(&mut fields));
        self.spans
            .lock()
            .unwrap()
            .insert(id.into_u64(), (attrs.metadata().name().to_owned(), fields));
    }

    fn on_record(&self, id: &span::Id, values: &span::Record<'_>, _: Context<'_, S>) {
        if let Some((_, fields)) = self.spans.lock().unwrap().get_mut(&id.into_u64()) {
            values.record(&mut Collect(fields));
        }
    }

    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields::new();
        event.record(&mut Collect(&mut fields));
        self.events.lock().unwrap().push(fields);
    }
}

#[tokio::test]
async fn one_span_per_call_with_operation_method_template_attempt_status_and_delay() {
    let capture = Capture::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let client = ApiClient::builder(server.uri())
        .bearer_token("tok-SECRET-1")
        .retry_policy(RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(50),
            max_rate_limit_wait: Duration::from_secs(1),
            jitter: false,
        })
        .build()
        .unwrap();
    let spec = RequestSpec::new(Method::GET, "/things/room-SECRET-2.json")
        .with_query("filter", "query-SECRET-3")
        .with_operation("getThingByToken", "/things/{token}.json");
    let response = client.execute(spec).await.unwrap();
    assert_eq!(response.status, 200);

    let spans: Vec<(String, Fields)> = capture
        .spans
        .lock()
        .unwrap()
        .values()
        .filter(|(name, _)| name == "desk.request")
        .cloned()
        .collect();
    assert_eq!(spans.len(), 1, "one span per call: {spans:?}");
    let fields = &spans[0].1;
    let expected: Fields = [
        ("operation", "getThingByToken"),
        ("method", "GET"),
        ("path", "/things/{token}.json"),
        ("attempt", "2"),
        ("status", "200"),
        ("retry_delay_ms", "20"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(fields, &expected);

    let events = capture.events.lock().unwrap().clone();
    assert!(events.len() >= 3, "two attempts and one retry: {events:?}");
    let everything = format!("{spans:?} {events:?}");
    assert!(!everything.contains("SECRET"), "{everything}");
}
