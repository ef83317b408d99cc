//! The generated `Client` against a real HTTP server (wiremock) on 127.0.0.1.
//!
//! Every operation: method, path, query string, headers (auth, accept, content type) and the
//! exact request body; success decoding; `400` → `Validator`; other statuses → typed errors with
//! status, rate-limit headers and body text; bodies that are not the documented JSON → decode
//! errors. Then retries, timeouts, pagination, path encoding, constructors and the transport seam.
//! Credentials in `Debug` output and logs are covered in `client_redaction.rs`.
#![cfg(feature = "client")]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use desk_generated::client::{
    BulkUpdateConversationsParams, Client, GetConversationByTokenParams,
    ListConversationMessagesParams, ListConversationsParams,
};
use desk_generated::models::{
    BulkOpResponse, ConversationApiBody, ConversationFilter, ConversationInclude,
    ConversationOrderBy, ConversationState, ConversationsApiBody, DateTimeFilter, IntegerFilter,
    OrderMode, StateFilter, StringFilter, Validator,
};
use desk_generated::requests::{ConversationApiBodyCreate, ConversationCreate, ConversationPatch};
use desk_generated::runtime::client::{
    http, BoxFuture, Error, Request, ReqwestTransport, Response, RetryPolicy, Transport,
    TransportError, DEFAULT_USER_AGENT,
};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{any, body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "desk-api-key-7f3a9c";
const BASE: &str = "/desk/api/v2";

/// Retries with waits short enough to keep the suite fast.
fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        max_rate_limit_wait: Duration::from_secs(3),
        jitter: false,
    }
}

fn client_with(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder(server.uri())
        .bearer_token(TOKEN)
        .retry_policy(policy)
        .build()
        .expect("a valid client")
}

fn client(server: &MockServer) -> Client {
    client_with(server, fast_retries(2))
}

async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

fn header_value<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("ASCII header"))
}

fn body_value(request: &wiremock::Request) -> Value {
    serde_json::from_slice(&request.body).expect("the request body is JSON")
}

/// A conversation as the server sends it (keys in any order, a `null`, an unknown key).
fn conversation_json(id: i64, token: &str) -> Value {
    json!({
        "id": id,
        "token": token,
        "state": "active",
        "contactId": 501,
        "ticket_id": null,
        "socket_id": "1234.5678",
        "createdAt": "2024-12-05T12:31:07.476Z",
        "updatedAt": "2024-12-05T12:31:08Z",
        "createdBy": {"id": 2, "type": "users"},
        "users": [{"id": 2, "type": "users"}],
        "somethingNew": true
    })
}

fn validator_json() -> Value {
    json!({"errors": {"state": ["is not a valid state"], "contactId": ["is required"]}})
}

fn expected_validator() -> Validator {
    let mut errors = BTreeMap::new();
    errors.insert("contactId".to_owned(), vec!["is required".to_owned()]);
    errors.insert("state".to_owned(), vec!["is not a valid state".to_owned()]);
    Validator::new().errors(errors)
}

/// `{"state":{"$eq":"active"}}`.
fn state_active() -> ConversationFilter {
    ConversationFilter::default().state(StateFilter::default().eq(ConversationState::Active))
}

/// Checks the headers every authenticated request carries, and the body-dependent content type.
fn assert_standard_headers(request: &wiremock::Request, authenticated: bool, has_body: bool) {
    assert_eq!(header_value(request, "accept"), Some("application/json"));
    assert_eq!(
        header_value(request, "user-agent"),
        Some(DEFAULT_USER_AGENT)
    );
    let expected_auth = format!("Bearer {TOKEN}");
    if authenticated {
        assert_eq!(
            header_value(request, "authorization"),
            Some(expected_auth.as_str())
        );
    } else {
        assert_eq!(
            header_value(request, "authorization"),
            None,
            "a public endpoint got credentials"
        );
    }
    if has_body {
        assert_eq!(
            header_value(request, "content-type"),
            Some("application/json")
        );
    } else {
        assert_eq!(header_value(request, "content-type"), None);
        assert!(
            request.body.is_empty(),
            "unexpected body {:?}",
            String::from_utf8_lossy(&request.body)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// One test per operation: the exact request and the decoded success.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_conversations_sends_typed_query_and_decodes_the_page() {
    let server = MockServer::start().await;
    let page = json!({
        "conversations": [conversation_json(1, "tok-1"), conversation_json(2, "tok-2")],
        "included": {"users": [{"id": 2, "firstName": "Ada", "useDeskClient": true}]},
        "pagination": {"records": 2, "pageSize": 25, "pages": 1, "page": 3, "hasMorePages": false},
        "meta": {"page": {"count": 2, "pageSize": 25, "pageOffset": 50, "pages": 1, "hasMore": false}}
    });
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/conversations.json")))
        .respond_with(ResponseTemplate::new(200).set_body_json(&page))
        .expect(1)
        .mount(&server)
        .await;

    let params = ListConversationsParams::default()
        .filter(state_active())
        .order_by(ConversationOrderBy::UpdatedAt)
        .order_mode(OrderMode::Desc)
        .includes([
            ConversationInclude::Users,
            ConversationInclude::Customers,
            ConversationInclude::Users,
        ])
        .page(3)
        .page_size(25);
    let body: ConversationsApiBody = client(&server).list_conversations(&params).await.unwrap();

    let conversations = body.conversations.as_deref().unwrap();
    assert_eq!(conversations.len(), 2);
    assert_eq!(conversations[0].id, Some(1));
    assert_eq!(conversations[0].token.as_deref(), Some("tok-1"));
    assert_eq!(conversations[0].state, Some(ConversationState::Active));
    assert_eq!(conversations[0].contact_id, Some(501));
    assert_eq!(conversations[0].ticket_id, None);
    assert_eq!(conversations[1].id, Some(2));
    let users = body
        .included
        .as_ref()
        .and_then(|i| i.users.as_deref())
        .unwrap();
    assert_eq!(users.len(), 1);
    let pagination = body.pagination.as_ref().unwrap();
    assert_eq!(
        (pagination.page, pagination.has_more_pages),
        (Some(3), Some(false))
    );

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, http::Method::GET);
    assert_standard_headers(request, true, false);
    // Parameters in spec order, every key and value percent-encoded; `filter` is the JSON object
    // the API expects; `includes` is a set: deduplicated, in a fixed order, comma-separated.
    assert_eq!(
        request.url.query(),
        Some(
            "filter=%7B%22state%22%3A%7B%22%24eq%22%3A%22active%22%7D%7D\
             &orderBy=updatedAt&orderMode=desc&includes=customers%2Cusers&page=3&pageSize=25"
        )
    );
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("filter", r#"{"state":{"$eq":"active"}}"#),
            ("orderBy", "updatedAt"),
            ("orderMode", "desc"),
            ("includes", "customers,users"),
            ("page", "3"),
            ("pageSize", "25"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
}

#[tokio::test]
async fn list_conversations_without_parameters_sends_no_query() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/conversations.json")))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"conversations":null}"#))
        .expect(1)
        .mount(&server)
        .await;
    let body = client(&server)
        .list_conversations(&ListConversationsParams::default())
        .await
        .unwrap();
    assert_eq!(body.conversations, None);
    let requests = received(&server).await;
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn create_conversation_posts_the_wrapped_body_and_decodes_201() {
    let server = MockServer::start().await;
    let expected_body =
        json!({"conversation": {"contactId": 501, "socket_id": "1234.5678", "state": "active"}});
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/conversations.json")))
        .and(body_json(&expected_body))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"conversation": conversation_json(77, "room-77")})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let body = ConversationCreate::new()
        .contact_id(501)
        .socket_id("1234.5678")
        .state(ConversationState::Active);
    let created: ConversationApiBody = client(&server).create_conversation(body).await.unwrap();
    assert_eq!(created.conversation.id, Some(77));
    assert_eq!(created.conversation.token.as_deref(), Some("room-77"));
    assert_eq!(
        created.conversation.created_at.map(|t| t.to_rfc3339()),
        Some("2024-12-05T12:31:07.476+00:00".to_owned())
    );

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, http::Method::POST);
    assert_eq!(requests[0].url.query(), None);
    assert_standard_headers(&requests[0], true, true);
    assert_eq!(body_value(&requests[0]), expected_body);
}

#[tokio::test]
async fn update_conversation_patches_only_what_changes() {
    let server = MockServer::start().await;
    // Set `state`, clear `token` (explicit null), leave everything else out.
    let expected_body = json!({"conversation": {"state": "deleted", "token": null}});
    Mock::given(method("PATCH"))
        .and(path(format!("{BASE}/conversations/42.json")))
        .and(body_json(&expected_body))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"conversation": {"id": 42, "state": "deleted", "token": null}}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;

    let patch = ConversationPatch::new()
        .state(ConversationState::Deleted)
        .clear_token();
    let updated = client(&server)
        .update_conversation(42, patch)
        .await
        .unwrap();
    assert_eq!(updated.conversation.id, Some(42));
    assert_eq!(updated.conversation.state, Some(ConversationState::Deleted));
    assert_eq!(updated.conversation.token, None);

    let requests = received(&server).await;
    assert_eq!(requests[0].method, http::Method::PATCH);
    assert_eq!(requests[0].url.query(), None);
    assert_standard_headers(&requests[0], true, true);
    assert_eq!(body_value(&requests[0]), expected_body);
}

#[tokio::test]
async fn update_conversation_from_a_diff_of_two_models() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!("{BASE}/conversations/7.json")))
        .and(body_json(json!({"conversation": {"ticket_id": 9001}})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"conversation": {"id": 7, "ticket_id": 9001}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let before: desk_generated::models::Conversation =
        serde_json::from_value(conversation_json(7, "t")).unwrap();
    let mut after = before.clone();
    after.ticket_id = Some(9001);
    let updated = client(&server)
        .update_conversation(7, ConversationPatch::diff(&before, &after))
        .await
        .unwrap();
    assert_eq!(updated.conversation.ticket_id, Some(9001));
}

#[tokio::test]
async fn bulk_update_conversations_sends_filter_and_body_and_decodes_the_job() {
    let server = MockServer::start().await;
    let expected_body = json!({"conversation": {"state": "deleted"}});
    Mock::given(method("PATCH"))
        .and(path(format!("{BASE}/conversations/update.json")))
        .and(query_param(
            "filter",
            r#"{"contactId":{"$in":[1,2,3]},"state":{"$eq":"active"}}"#,
        ))
        .and(body_json(&expected_body))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"jobId": "job-5f1e"})))
        .expect(1)
        .mount(&server)
        .await;

    let params = BulkUpdateConversationsParams::default()
        .filter(state_active().contact_id(IntegerFilter::default().in_(vec![1, 2, 3])));
    let job: BulkOpResponse = client(&server)
        .bulk_update_conversations(
            &params,
            ConversationPatch::new().state(ConversationState::Deleted),
        )
        .await
        .unwrap();
    assert_eq!(job.job_id.as_deref(), Some("job-5f1e"));

    let requests = received(&server).await;
    assert_eq!(requests[0].method, http::Method::PATCH);
    assert_eq!(
        requests[0].url.query(),
        Some("filter=%7B%22contactId%22%3A%7B%22%24in%22%3A%5B1%2C2%2C3%5D%7D%2C%22state%22%3A%7B%22%24eq%22%3A%22active%22%7D%7D")
    );
    assert_standard_headers(&requests[0], true, true);
    assert_eq!(body_value(&requests[0]), expected_body);
}

#[tokio::test]
async fn get_conversation_by_token_is_public_and_sends_includes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/conversations/token/room-abc.json")))
        .and(query_param("includes", "contacts,conversationmessages"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "conversation": conversation_json(3, "room-abc"),
            "somethingElse": {"ignored": true}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let params =
        GetConversationByTokenParams::default().includes(["conversationmessages", "contacts"]);
    // The client has credentials; the public endpoint must not send them.
    let found = client(&server)
        .get_conversation_by_token("room-abc", &params)
        .await
        .unwrap();
    assert_eq!(found.conversation.id, Some(3));
    assert_eq!(found.conversation.token.as_deref(), Some("room-abc"));

    let requests = received(&server).await;
    assert_eq!(requests[0].method, http::Method::GET);
    assert_eq!(
        requests[0].url.query(),
        Some("includes=contacts%2Cconversationmessages")
    );
    assert_standard_headers(&requests[0], false, false);
}

#[tokio::test]
async fn create_conversation_token_posts_and_decodes_201() {
    let server = MockServer::start().await;
    let expected_body = json!({"conversation": {"contactId": 501}});
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/conversations/token.json")))
        .and(body_json(&expected_body))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"conversation": {"id": 8, "token": "new-room"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let created = client(&server)
        .create_conversation_token(ConversationApiBodyCreate::new(
            ConversationCreate::new().contact_id(501),
        ))
        .await
        .unwrap();
    assert_eq!(created.conversation.token.as_deref(), Some("new-room"));
    let requests = received(&server).await;
    assert_eq!(requests[0].method, http::Method::POST);
    assert_standard_headers(&requests[0], true, true);
    assert_eq!(body_value(&requests[0]), expected_body);
}

#[tokio::test]
async fn reconnect_conversation_posts_and_decodes_201() {
    let server = MockServer::start().await;
    let expected_body = json!({"conversation": {"socket_id": "99.1", "token": "room-abc"}});
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/conversations/reconnect.json")))
        .and(body_json(&expected_body))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"conversation": conversation_json(3, "room-abc")})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let rejoined = client(&server)
        .reconnect_conversation(
            ConversationCreate::new()
                .token("room-abc")
                .socket_id("99.1"),
        )
        .await
        .unwrap();
    assert_eq!(rejoined.conversation.id, Some(3));
    let requests = received(&server).await;
    assert_eq!(requests[0].method, http::Method::POST);
    assert_standard_headers(&requests[0], true, true);
    assert_eq!(body_value(&requests[0]), expected_body);
}

#[tokio::test]
async fn basic_auth_sends_base64_of_key_and_password() {
    let server = MockServer::start().await;
    Mock::given(header(
        "authorization",
        "Basic ZGVzay1hcGkta2V5LTdmM2E5YzpY",
    ))
    .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
    .expect(1)
    .mount(&server)
    .await;
    let client = Client::builder(server.uri())
        .basic_auth(TOKEN, "X")
        .build()
        .unwrap();
    client
        .list_conversations(&ListConversationsParams::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn base_url_with_a_prefix_and_custom_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/proxy/desk{BASE}/conversations.json")))
        .and(header("user-agent", "support-sync/2.1"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(format!("{}/proxy/desk/", server.uri()))
        .user_agent("support-sync/2.1")
        .build()
        .unwrap();
    client
        .list_conversations(&ListConversationsParams::default())
        .await
        .unwrap();
}

// ---------------------------------------------------------------------------------------------
// The filter builder and the includes set, as they go on the wire.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn filter_builder_serialises_the_documented_operators() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let since = chrono::DateTime::parse_from_rfc3339("2024-01-31T08:00:00+01:00").unwrap();
    let filter = ConversationFilter::default()
        .created_at(DateTimeFilter::default().gte(since))
        .or(vec![
            ConversationFilter::default().token(StringFilter::default().contains("vip")),
            ConversationFilter::default().ticket_id(IntegerFilter::default().ne(0).lt(100)),
            ConversationFilter::default().state(StateFilter::default().in_(vec![
                ConversationState::Active,
                ConversationState::from("archived"),
            ])),
        ]);
    let params = ListConversationsParams::default()
        .filter(filter)
        .includes([ConversationInclude::All]);
    client(&server).list_conversations(&params).await.unwrap();

    let requests = received(&server).await;
    let pairs: BTreeMap<String, String> = requests[0].url.query_pairs().into_owned().collect();
    let sent: Value = serde_json::from_str(&pairs["filter"]).unwrap();
    assert_eq!(
        sent,
        json!({
            "createdAt": {"$gte": "2024-01-31T08:00:00+01:00"},
            "$or": [
                {"token": {"$contains": "vip"}},
                {"ticket_id": {"$ne": 0, "$lt": 100}},
                {"state": {"$in": ["active", "archived"]}}
            ]
        })
    );
    assert_eq!(pairs["includes"], "all");
}

// ---------------------------------------------------------------------------------------------
// Errors, for every operation.
// ---------------------------------------------------------------------------------------------

/// Calls every operation once with valid arguments, in a fixed order, keeping only the errors.
async fn call_every_operation(
    client: &Client,
) -> Vec<(&'static str, Result<(), Error<Validator>>)> {
    let list = ListConversationsParams::default().filter(state_active());
    let bulk = BulkUpdateConversationsParams::default().filter(state_active());
    let by_token = GetConversationByTokenParams::default();
    vec![
        (
            "list_conversations",
            client.list_conversations(&list).await.map(drop),
        ),
        (
            "create_conversation",
            client
                .create_conversation(ConversationCreate::new().contact_id(1))
                .await
                .map(drop),
        ),
        (
            "update_conversation",
            client
                .update_conversation(1, ConversationPatch::new().ticket_id(2))
                .await
                .map(drop),
        ),
        (
            "bulk_update_conversations",
            client
                .bulk_update_conversations(
                    &bulk,
                    ConversationPatch::new().state(ConversationState::Deleted),
                )
                .await
                .map(drop),
        ),
        (
            "get_conversation_by_token",
            client
                .get_conversation_by_token("room-1", &by_token)
                .await
                .map(drop),
        ),
        (
            "create_conversation_token",
            client
                .create_conversation_token(ConversationCreate::new())
                .await
                .map(drop),
        ),
        (
            "reconnect_conversation",
            client
                .reconnect_conversation(ConversationCreate::new().token("room-1"))
                .await
                .map(drop),
        ),
        (
            "list_conversation_messages",
            client
                .list_conversation_messages("room-1", &ListConversationMessagesParams::default())
                .await
                .map(drop),
        ),
    ]
}

/// The documented success status of each operation, in the order of `call_every_operation`.
const SUCCESS_STATUS: [u16; 8] = [200, 201, 200, 200, 200, 201, 201, 200];

fn rate_limit_headers(template: ResponseTemplate) -> ResponseTemplate {
    template
        .insert_header("X-Rate-Limit-Limit", "120")
        .insert_header("X-Rate-Limit-Remaining", "117")
        .insert_header("X-Rate-Limit-Reset", "1733401867")
}

#[tokio::test]
async fn status_400_decodes_to_validator_for_every_operation() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(rate_limit_headers(
            ResponseTemplate::new(400).set_body_json(validator_json()),
        ))
        .mount(&server)
        .await;
    let results = call_every_operation(&client(&server)).await;
    assert_eq!(results.len(), 8);
    for (name, result) in results {
        match result {
            Err(error @ Error::Api { .. }) => {
                // Display carries the field messages.
                assert_eq!(
                    error.to_string(),
                    "API error (status 400 Bad Request): state: is not a valid state; contactId: is required",
                    "{name}"
                );
                let Error::Api {
                    status,
                    rate_limit,
                    body,
                    ..
                } = error
                else {
                    unreachable!()
                };
                assert_eq!(status, 400, "{name}");
                assert_eq!(body, expected_validator(), "{name}");
                assert_eq!(
                    (rate_limit.limit, rate_limit.remaining, rate_limit.reset),
                    (Some(120), Some(117), Some(1_733_401_867)),
                    "{name}"
                );
            }
            other => panic!("{name}: expected Error::Api, got {other:?}"),
        }
    }
    // 400 is not retried.
    assert_eq!(received(&server).await.len(), 8);
}

#[tokio::test]
async fn undocumented_statuses_keep_status_rate_limit_and_body_text_for_every_operation() {
    for (status, text) in [
        (404, ""),
        (404, "Not Found"),
        (500, "<html>internal error</html>"),
        (401, r#"{"message":"bad key"}"#),
        (403, "forbidden"),
    ] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(rate_limit_headers(
                ResponseTemplate::new(status).set_body_string(text),
            ))
            .mount(&server)
            .await;
        for (name, result) in call_every_operation(&client(&server)).await {
            match result {
                Err(Error::UnexpectedStatus {
                    status: got,
                    rate_limit,
                    body_text,
                }) => {
                    assert_eq!(got, status, "{name}");
                    assert_eq!(body_text, text, "{name}");
                    assert_eq!(rate_limit.remaining, Some(117), "{name}");
                    assert_eq!(rate_limit.reset, Some(1_733_401_867), "{name}");
                }
                other => {
                    panic!("{name} with {status}: expected Error::UnexpectedStatus, got {other:?}")
                }
            }
        }
        // 404, 500, 401, 403 are not retried.
        assert_eq!(received(&server).await.len(), 8, "{status}");
    }
}

#[tokio::test]
async fn success_status_of_another_operation_is_unexpected() {
    // 200 is not documented for a create (201 is), and 201 is not documented for a list.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"conversation": {"id": 1}})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(201).set_body_string("{}"))
        .mount(&server)
        .await;
    let client = client(&server);
    match client.create_conversation(ConversationCreate::new()).await {
        Err(Error::UnexpectedStatus {
            status, body_text, ..
        }) => {
            assert_eq!(status, 200);
            assert_eq!(body_text, r#"{"conversation":{"id":1}}"#);
        }
        other => panic!("{other:?}"),
    }
    let err = client
        .list_conversations(&ListConversationsParams::default())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(201));
}

#[tokio::test]
async fn bodies_that_are_not_the_documented_json_are_decode_errors_for_every_operation() {
    // Each body, and the operations for which it happens to be valid JSON of the documented type
    // (unknown keys are ignored and every field of the list and job bodies is optional).
    let bodies: [(&str, &[&str]); 5] = [
        (
            "<html><body>Bad gateway page from a proxy</body></html>",
            &[],
        ),
        ("", &[]),
        (
            r#"{"conversation": "not an object"}"#,
            &[
                "list_conversations",
                "bulk_update_conversations",
                "list_conversation_messages",
            ],
        ),
        (
            r#"{"conversations": [{"id": "seven"}]}"#,
            &["bulk_update_conversations", "list_conversation_messages"],
        ),
        (r#"{"conversation": {"id": 1}"#, &[]),
    ];
    for (text, valid_for) in bodies {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(201).set_body_string(text))
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_string(text))
            .mount(&server)
            .await;
        let results = call_every_operation(&client(&server)).await;
        for ((name, result), expected) in results.into_iter().zip(SUCCESS_STATUS) {
            match result {
                Ok(()) => assert!(valid_for.contains(&name), "{name} accepted {text:?}"),
                Err(Error::Decode {
                    status, excerpt, ..
                }) => {
                    assert!(!valid_for.contains(&name), "{name} refused {text:?}");
                    assert_eq!(status, expected, "{name}");
                    assert_eq!(excerpt, text, "{name}");
                }
                Err(other) => panic!("{name} with {text:?}: expected Error::Decode, got {other:?}"),
            }
        }
    }

    // A 400 whose body is not a Validator is a decode error too, with its status.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_string("Bad Request"))
        .mount(&server)
        .await;
    for (name, result) in call_every_operation(&client(&server)).await {
        match result {
            Err(Error::Decode {
                status, excerpt, ..
            }) => {
                assert_eq!(status, 400, "{name}");
                assert_eq!(excerpt, "Bad Request");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}

/// A timestamp without an offset (`2024-07-26T20:26:26`) cannot be a `DateTime<FixedOffset>`:
/// the error names the value's place, what was expected there and the value, so a server quirk
/// reads differently from a spec gap.
#[tokio::test]
async fn a_value_that_does_not_decode_is_named_by_its_json_path() {
    let server = MockServer::start().await;
    let mut conversations: Vec<Value> = (1..=5)
        .map(|id| json!({"id": id, "createdAt": "2024-07-26T20:26:26Z", "state": "active"}))
        .collect();
    conversations[3]["createdAt"] = json!("2024-07-26T20:26:26");
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"conversations": conversations, "included": {}})),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .list_conversations(&ListConversationsParams::default())
        .await
        .unwrap_err();
    let Error::Decode {
        status,
        path,
        expected,
        value,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 200);
    assert_eq!(path.to_string(), "conversations[3].createdAt");
    assert_eq!(
        expected.as_deref(),
        Some("an RFC 3339 formatted date and time string")
    );
    assert_eq!(value.as_deref(), Some("\"2024-07-26T20:26:26\""));
    let message = err.to_string();
    assert!(
        message.starts_with("could not decode the response body (status 200 OK) at conversations[3].createdAt: expected an RFC 3339 formatted date and time string, got \"2024-07-26T20:26:26\" (premature end of input"),
        "{message}"
    );
}

#[tokio::test]
async fn long_bodies_are_cut_to_an_excerpt_in_decode_errors() {
    let server = MockServer::start().await;
    let long = format!("<html>{}</html>", "é".repeat(5000));
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string(long.clone()))
        .mount(&server)
        .await;
    let err = client(&server)
        .list_conversations(&ListConversationsParams::default())
        .await
        .unwrap_err();
    let Error::Decode { excerpt, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(excerpt.chars().count() <= 201, "{}", excerpt.len());
    assert!(long.starts_with(excerpt.trim_end_matches('…')));
    let message = err.to_string();
    assert!(
        message.contains("200") && message.contains("<html>"),
        "{message}"
    );
    assert!(message.len() < 1500, "{}", message.len());
}

// ---------------------------------------------------------------------------------------------
// Retries.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn status_429_then_200_retries_once_after_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"conversations": [conversation_json(1, "a")]})),
        )
        .mount(&server)
        .await;
    let started = Instant::now();
    let body = client(&server)
        .list_conversations(&ListConversationsParams::default())
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(body.conversations.unwrap().len(), 1);
    assert_eq!(received(&server).await.len(), 2);
    assert!(
        elapsed >= Duration::from_millis(950),
        "did not wait for Retry-After: {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_secs(3),
        "waited too long: {elapsed:?}"
    );
}

#[tokio::test]
async fn status_429_then_201_waits_until_x_rate_limit_reset_even_for_post() {
    let server = MockServer::start().await;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    // The reset is whole epoch seconds: two seconds ahead is a wait of more than one second.
    let reset = now.as_secs() + 2;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("X-Rate-Limit-Limit", "120")
                .insert_header("X-Rate-Limit-Remaining", "0")
                .insert_header("X-Rate-Limit-Reset", reset.to_string().as_str()),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"conversation": {"id": 5}})))
        .mount(&server)
        .await;
    let started = Instant::now();
    let created = client(&server)
        .create_conversation(ConversationCreate::new().contact_id(1))
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(created.conversation.id, Some(5));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].body, requests[1].body,
        "the retry sends the same body"
    );
    let reset_at = UNIX_EPOCH + Duration::from_secs(reset);
    assert!(
        SystemTime::now() >= reset_at - Duration::from_millis(50),
        "retried before the reset"
    );
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
}

#[tokio::test]
async fn rate_limit_waits_are_capped_by_the_policy() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let policy = RetryPolicy {
        max_rate_limit_wait: Duration::from_millis(100),
        ..fast_retries(2)
    };
    let started = Instant::now();
    client_with(&server, policy)
        .list_conversations(&ListConversationsParams::default())
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn retries_stop_at_their_bound() {
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
    let err = client_with(&server, fast_retries(3))
        .update_conversation(1, ConversationPatch::new().ticket_id(2))
        .await
        .unwrap_err();
    match err {
        Error::UnexpectedStatus {
            status,
            rate_limit,
            body_text,
        } => {
            assert_eq!(status, 429);
            assert_eq!(rate_limit.retry_after, Some(Duration::ZERO));
            assert_eq!(rate_limit.remaining, Some(0));
            assert_eq!(body_text, "slow down");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(received(&server).await.len(), 4, "1 attempt + 3 retries");

    // No retries at all.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429))
        .mount(&server)
        .await;
    let err = client_with(&server, RetryPolicy::none())
        .list_conversations(&ListConversationsParams::default())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn gateway_errors_are_retried_for_get_until_success_or_the_bound() {
    for status in [502, 503, 504] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status))
            .up_to_n_times(2)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"conversation": {"id": 9}})),
            )
            .mount(&server)
            .await;
        let found = client_with(&server, fast_retries(2))
            .get_conversation_by_token("room-9", &GetConversationByTokenParams::default())
            .await
            .unwrap();
        assert_eq!(found.conversation.id, Some(9));
        assert_eq!(received(&server).await.len(), 3, "{status}");

        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status).set_body_string("upstream down"))
            .mount(&server)
            .await;
        let err = client_with(&server, fast_retries(2))
            .list_conversations(&ListConversationsParams::default())
            .await
            .unwrap_err();
        match err {
            Error::UnexpectedStatus {
                status: got,
                body_text,
                ..
            } => {
                assert_eq!(got, status);
                assert_eq!(body_text, "upstream down");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            received(&server).await.len(),
            3,
            "{status}: 1 attempt + 2 retries"
        );
    }
}

#[tokio::test]
async fn gateway_errors_are_not_retried_for_patch_and_post() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client_with(&server, fast_retries(3));
    let results = call_every_operation(&client).await;
    for (name, result) in &results {
        assert_eq!(
            result.as_ref().unwrap_err().status().map(|s| s.as_u16()),
            Some(503),
            "{name}"
        );
    }
    let requests = received(&server).await;
    let count = |m: &str| requests.iter().filter(|r| r.method.as_str() == m).count();
    // 3 GET operations × 4 attempts; 2 PATCH and 3 POST operations × 1 attempt.
    assert_eq!((count("GET"), count("PATCH"), count("POST")), (12, 2, 3));
}

// ---------------------------------------------------------------------------------------------
// Timeouts.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn client_wide_timeout_applies_and_with_timeout_overrides_it() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string("{}")
                .set_delay(Duration::from_millis(600)),
        )
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .timeout(Duration::from_millis(150))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .list_conversations(&ListConversationsParams::default())
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_millis(550),
        "{:?}",
        started.elapsed()
    );

    // A longer per-request timeout lets the slow response through.
    client
        .with_timeout(Duration::from_secs(5))
        .list_conversations(&ListConversationsParams::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn per_request_timeout_without_a_client_wide_one() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_string("{}")
                .set_delay(Duration::from_millis(600)),
        )
        .mount(&server)
        .await;
    let client = client_with(&server, fast_retries(3));
    let started = Instant::now();
    let err = client
        .with_timeout(Duration::from_millis(100))
        .create_conversation(ConversationCreate::new())
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(550));
    // A POST that timed out is not retried: the server may have acted on it.
    assert_eq!(received(&server).await.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Pagination.
// ---------------------------------------------------------------------------------------------

/// Matches page `page` of a list: `page=N`, or for the first page no `page` at all (a page
/// stream sends the first page's parameters as the caller gives them).
fn page_is(page: i64) -> impl Fn(&wiremock::Request) -> bool + Send + Sync {
    move |request: &wiremock::Request| {
        let sent = request
            .url
            .query_pairs()
            .find(|(key, _)| key == "page")
            .map(|(_, value)| value.into_owned());
        match sent {
            Some(value) => value == page.to_string(),
            None => page == 1,
        }
    }
}

async fn mount_three_pages(server: &MockServer) {
    for (page, ids, more) in [
        (1, vec![1, 2], true),
        (2, vec![3, 4], true),
        (3, vec![5], false),
    ] {
        let conversations: Vec<Value> = ids
            .iter()
            .map(|id| conversation_json(*id, &format!("t{id}")))
            .collect();
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/conversations.json")))
            .and(page_is(page))
            .and(query_param("pageSize", "2"))
            .and(query_param("filter", r#"{"state":{"$eq":"active"}}"#))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "conversations": conversations,
                "pagination": {"records": 5, "pageSize": 2, "pages": 3, "page": page, "hasMorePages": more}
            })))
            .expect(1)
            .named(format!("page {page}"))
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn a_three_page_listing_streams_every_item_once() {
    let server = MockServer::start().await;
    mount_three_pages(&server).await;
    let client = client(&server);
    let params = ListConversationsParams::default()
        .filter(state_active())
        .page_size(2);
    let ids: Vec<i64> = client
        .list_conversations_stream(params)
        .map_ok(|c| c.id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    // The first page as the caller asked for it (no page number), then pages 2 and 3.
    let pages: Vec<Option<String>> = received(&server)
        .await
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "page")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    assert_eq!(pages, [None, Some("2".into()), Some("3".into())]);
    server.verify().await;
}

#[tokio::test]
async fn the_stream_starts_at_the_given_page_and_can_stop_early() {
    let server = MockServer::start().await;
    for (page, more) in [(2, true), (3, true)] {
        Mock::given(query_param("page", page.to_string().as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "conversations": [conversation_json(page * 10, "x"), conversation_json(page * 10 + 1, "y")],
                "pagination": {"hasMorePages": more}
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let params = ListConversationsParams::default().page(2);
    let stream = client.list_conversations_stream(params);
    // Taking three items needs two pages and no more.
    let ids: Vec<i64> = stream
        .take(3)
        .map(|r| r.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, [20, 21, 30]);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn the_stream_ends_after_an_error_or_without_pagination() {
    let server = MockServer::start().await;
    Mock::given(page_is(1))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "conversations": [conversation_json(1, "a")],
            "pagination": {"hasMorePages": true}
        })))
        .mount(&server)
        .await;
    Mock::given(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(400).set_body_json(validator_json()))
        .mount(&server)
        .await;
    let client = client(&server);
    let items: Vec<_> = client
        .list_conversations_stream(ListConversationsParams::default())
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().id, Some(1));
    assert_eq!(
        items[1].as_ref().unwrap_err().api_body(),
        Some(&expected_validator())
    );
    assert_eq!(received(&server).await.len(), 2);

    // No `pagination` object: one page only.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"conversations": [conversation_json(1, "a")]})),
        )
        .mount(&server)
        .await;
    let items: Vec<_> = client_with(&server, fast_retries(0))
        .list_conversations_stream(ListConversationsParams::default())
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert_eq!(received(&server).await.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Path parameters stay inside their segment.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn path_traversal_attempts_stay_encoded_in_their_segment() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"conversation": {"id": 1}})))
        .mount(&server)
        .await;
    let client = client(&server);
    let cases = [
        ("../../x", "..%2F..%2Fx"),
        ("a/b?c#d", "a%2Fb%3Fc%23d"),
        ("..", "%2E%2E"),
        ("%2F..%2F", "%252F..%252F"),
        ("room 1&admin=1", "room%201%26admin%3D1"),
        ("\\..\\", "%5C..%5C"),
        ("日本", "%E6%97%A5%E6%9C%AC"),
    ];
    for (token, _) in cases {
        client
            .get_conversation_by_token(token, &GetConversationByTokenParams::default())
            .await
            .unwrap();
    }
    let requests = received(&server).await;
    assert_eq!(requests.len(), cases.len());
    for (request, (token, encoded)) in requests.iter().zip(cases) {
        assert_eq!(
            request.url.path(),
            format!("{BASE}/conversations/token/{encoded}.json"),
            "{token}"
        );
        assert_eq!(request.url.query(), None, "{token}");
        assert_eq!(request.url.fragment(), None, "{token}");
        assert_eq!(request.url.path_segments().unwrap().count(), 6, "{token}");
    }
}

#[tokio::test]
async fn a_path_that_would_resolve_as_a_dot_segment_is_never_sent() {
    // Generated paths cannot produce one (`.json` follows every parameter), but the runtime
    // refuses a `.`/`..` segment, even percent-encoded, outright.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let api = client(&server).api().clone();
    let spec = desk_generated::runtime::client::RequestSpec::new(
        http::Method::GET,
        format!("{BASE}/conversations/token/%2E%2E/x.json"),
    );
    let err = api.execute(spec).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(received(&server).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Construction, and the transport seam.
// ---------------------------------------------------------------------------------------------

#[test]
fn site_constructors_build_teamwork_urls() {
    let client = Client::for_site("acme")
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    assert_eq!(client.api().base_url(), "https://acme.teamwork.com");
    let client = Client::for_eu_site("acme-eu").build().unwrap();
    assert_eq!(client.api().base_url(), "https://acme-eu.eu.teamwork.com");
}

#[test]
fn a_site_name_cannot_move_the_host() {
    for site in [
        "evil.test/",
        "evil.test/x?",
        "evil.test#",
        "user:pw@evil.test",
        "evil test",
        "a\nb",
        "",
    ] {
        let result = Client::for_site(site).bearer_token(TOKEN).build();
        match result {
            Err(Error::InvalidBaseUrl(message)) => assert!(!message.contains(TOKEN), "{message}"),
            other => panic!("{site:?}: expected InvalidBaseUrl, got {other:?}"),
        }
    }
    assert!(matches!(
        Client::builder("not a url").build(),
        Err(Error::InvalidBaseUrl(_))
    ));
}

/// Middleware around the default transport: counts requests and adds a header.
struct Tagging {
    inner: ReqwestTransport,
    sent: Arc<AtomicUsize>,
}

impl Transport for Tagging {
    fn send(&self, mut request: Request) -> BoxFuture<'_, Result<Response, TransportError>> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        request.headers.insert(
            "x-request-source",
            http::HeaderValue::from_static("support-sync"),
        );
        self.inner.send(request)
    }
}

#[tokio::test]
async fn a_middleware_transport_sees_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(header("x-request-source", "support-sync"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(header("x-request-source", "support-sync"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let sent = Arc::new(AtomicUsize::new(0));
    let client = Client::builder(server.uri())
        .bearer_token(TOKEN)
        .retry_policy(fast_retries(2))
        .transport(Tagging {
            inner: ReqwestTransport::new(),
            sent: sent.clone(),
        })
        .build()
        .unwrap();
    client
        .list_conversations(&ListConversationsParams::default())
        .await
        .unwrap();
    assert_eq!(sent.load(Ordering::SeqCst), 2);
    assert_eq!(received(&server).await.len(), 2);
}

/// Another HTTP stack: here, answers from memory (no socket at all).
struct Canned(Arc<std::sync::Mutex<Vec<Request>>>);

impl Transport for Canned {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, TransportError>> {
        self.0.lock().unwrap().push(request);
        Box::pin(async {
            Ok(Response {
                status: http::StatusCode::OK,
                headers: http::HeaderMap::new(),
                body: r#"{"jobId":"from-memory"}"#.into(),
            })
        })
    }
}

#[tokio::test]
async fn another_http_stack_gets_the_fully_built_request() {
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let client = Client::for_site("acme")
        .bearer_token(TOKEN)
        .transport(Canned(seen.clone()))
        .build()
        .unwrap();
    let job = client
        .bulk_update_conversations(
            &BulkUpdateConversationsParams::default()
                .filter(ConversationFilter::default().id(IntegerFilter::default().eq(4))),
            ConversationPatch::new().clear_ticket_id(),
        )
        .await
        .unwrap();
    assert_eq!(job.job_id.as_deref(), Some("from-memory"));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    let request = &seen[0];
    assert_eq!(request.method, http::Method::PATCH);
    assert_eq!(
        request.url,
        "https://acme.teamwork.com/desk/api/v2/conversations/update.json?filter=%7B%22id%22%3A%7B%22%24eq%22%3A4%7D%7D"
    );
    assert_eq!(
        request.headers["authorization"],
        format!("Bearer {TOKEN}").as_str()
    );
    assert!(request.headers["authorization"].is_sensitive());
    assert_eq!(request.headers["content-type"], "application/json");
    assert_eq!(
        request.body.as_deref(),
        Some(&br#"{"conversation":{"ticket_id":null}}"#[..])
    );
}
