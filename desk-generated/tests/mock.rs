//! The generated mock (`desk_generated::mock`, feature `mock`) with the generated client: each
//! *when* part matches and mismatches, each *then* answer decodes on the client side into the
//! documented type, each fault reaches the client as the client documents it, verification
//! reads the requests back as the operation's types, and a request no mock matches fails with
//! a message naming the closest operation and what differs.
#![cfg(feature = "mock")]

use std::time::{Duration, Instant, SystemTime};

use desk_generated::client::{Client, GetConversationByTokenParams, ListConversationsParams};
use desk_generated::mock::MockServer;
use desk_generated::models::{
    Conversation, ConversationApiBody, ConversationFilter, ConversationInclude,
    ConversationOrderBy, ConversationState, ConversationsApiBody, OrderMode, StateFilter,
    Validator,
};
use desk_generated::requests::{ConversationCreate, ConversationPatch};
use desk_generated::runtime::client::{Error, RetryPolicy};
use serde_json::json;

/// Retries with short waits (`Retry-After` is honoured as sent).
fn retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        max_rate_limit_wait: Duration::from_secs(5),
        jitter: false,
    }
}

fn client(server: &MockServer) -> Client {
    server
        .client()
        .bearer_token("key-1")
        .retry_policy(retries(2))
        .build()
        .expect("a client")
}

fn conversation(id: i64, state: ConversationState) -> Conversation {
    Conversation::new()
        .id(id)
        .state(state)
        .token(format!("token-{id}"))
}

fn page(ids: &[i64]) -> ConversationsApiBody {
    let conversations: Vec<Conversation> = ids
        .iter()
        .map(|&id| conversation(id, ConversationState::Active))
        .collect();
    ConversationsApiBody::new().conversations(conversations)
}

fn validator(field: &str, message: &str) -> Validator {
    Validator::new().errors([(field.to_owned(), vec![message.to_owned()])])
}

// ---- when ----------------------------------------------------------------------------------

#[tokio::test]
async fn query_parameters_match_as_their_types() {
    let server = MockServer::start();
    let filter =
        ConversationFilter::default().state(StateFilter::default().eq(ConversationState::Active));
    let wanted = server.list_conversations(|when, then| {
        when.page(2)
            .page_size(50)
            .order_by(ConversationOrderBy::CreatedAt)
            .order_mode(OrderMode::Desc)
            .includes([ConversationInclude::Users, ConversationInclude::Contacts])
            .filter(filter.clone());
        then.ok(&page(&[3, 4]));
    });
    let client = client(&server);
    let params = ListConversationsParams::default()
        .page(2)
        .page_size(50)
        .order_by(ConversationOrderBy::CreatedAt)
        .order_mode(OrderMode::Desc)
        .includes([ConversationInclude::Contacts, ConversationInclude::Users])
        .filter(filter.clone());
    let body = client.list_conversations(&params).await.expect("matched");
    assert_eq!(body, page(&[3, 4]));
    // Read back as the operation's parameter type: what the client sent, typed.
    assert_eq!(wanted.params(), std::slice::from_ref(&params));

    // Each parameter on its own does not match when it differs.
    for (other, difference) in [
        (
            params.clone().page(3),
            r#"query parameter `page`: expected "2", got "3""#,
        ),
        (
            params.clone().order_mode(OrderMode::Asc),
            r#"query parameter `orderMode`: expected "desc", got "asc""#,
        ),
        (
            params.clone().includes([ConversationInclude::Users]),
            r#"query parameter `includes`: expected "contacts,users", got "users""#,
        ),
        (
            params.clone().filter(
                ConversationFilter::default()
                    .state(StateFilter::default().eq(ConversationState::Deleted)),
            ),
            r#"query parameter `filter`: expected {"state":{"$eq":"active"}}, got "{\"state\":{\"$eq\":\"deleted\"}}""#,
        ),
    ] {
        let err = client.list_conversations(&other).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(500), "{err}");
        let failures = server.take_failures();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(
            failures[0].contains("(operation `listConversations`); closest: the mock of `listConversations` registered at desk-generated/tests/mock.rs:"),
            "{}",
            failures[0]
        );
        assert!(
            failures[0].contains(difference),
            "{}\nlacks {difference}",
            failures[0]
        );
        // The client's error carries the message too: the test's own output says what missed.
        assert!(err.to_string().contains("no mock of"), "{err}");
    }
    assert_eq!(wanted.calls(), 1);
}

#[tokio::test]
async fn an_absent_parameter_and_the_newest_mock_first() {
    let server = MockServer::start();
    let first_page = server.list_conversations(|when, then| {
        when.absent("page");
        then.ok(&page(&[1]));
    });
    let any_page = server.list_conversations(|_, then| {
        then.ok(&page(&[9]));
    });
    let second_page = server.list_conversations(|when, then| {
        when.page(2);
        then.ok(&page(&[2]));
    });
    let client = client(&server);
    let get = |params: ListConversationsParams| {
        let client = client.clone();
        async move { client.list_conversations(&params).await.unwrap() }
    };
    // Newest first: `any_page` (registered after `first_page`) answers a request without
    // `page` too; `second_page` (newest) answers page 2.
    assert_eq!(
        get(ListConversationsParams::default().page(2)).await,
        page(&[2])
    );
    assert_eq!(get(ListConversationsParams::default()).await, page(&[9]));
    assert_eq!(
        get(ListConversationsParams::default().page(5)).await,
        page(&[9])
    );
    assert_eq!(
        (first_page.calls(), any_page.calls(), second_page.calls()),
        (0, 2, 1)
    );
}

#[tokio::test]
async fn path_parameters_patch_bodies_and_credentials_match() {
    let server = MockServer::start();
    let patch = ConversationPatch::new()
        .state(ConversationState::Deleted)
        .clear_socket_id();
    let updated = ConversationApiBody::new(conversation(42, ConversationState::Deleted));
    let update = server.update_conversation(|when, then| {
        when.id(42).body(patch.clone()).with_auth();
        then.ok(&updated);
    });
    let client = client(&server);
    let got = client
        .update_conversation(42, patch.clone())
        .await
        .expect("matched");
    assert_eq!(got, updated);
    // The body read back as the request type: set, cleared and absent kept apart.
    let bodies = update.bodies();
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0].conversation.as_value(), Some(&patch));
    assert_eq!(update.requests()[0].path_param::<i64>("id").unwrap(), 42);

    // Another id, a field not cleared, an extra field, no credentials: each misses, and the
    // message names the first difference.
    let anonymous = server
        .client()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let expect_miss = |result: Result<ConversationApiBody, Error<Validator>>, difference: &str| {
        assert!(result.is_err());
        let failures = server.take_failures();
        assert!(
            failures.len() == 1 && failures[0].contains(difference),
            "{failures:?}\nlacks {difference}"
        );
    };
    expect_miss(
        client.update_conversation(7, patch.clone()).await,
        r#"path parameter `id`: expected "42", got "7""#,
    );
    expect_miss(
        client
            .update_conversation(
                42,
                ConversationPatch::new().state(ConversationState::Deleted),
            )
            .await,
        "body at conversation.socket_id: expected null (cleared), got nothing (the key is absent)",
    );
    expect_miss(
        client
            .update_conversation(42, patch.clone().token("t"))
            .await,
        r#"body at conversation.token: expected nothing (the key absent), got "t""#,
    );
    expect_miss(
        anonymous.update_conversation(42, patch.clone()).await,
        "credentials: expected an Authorization header, got none",
    );

    // A public operation is sent without credentials, and a mock can say so.
    server.get_conversation_by_token(|when, then| {
        when.token("a b/c").without_auth();
        then.ok(&updated);
    });
    let got = client
        .get_conversation_by_token("a b/c", &GetConversationByTokenParams::default())
        .await
        .expect("matched: the token is compared decoded");
    assert_eq!(got, updated);
}

#[tokio::test]
async fn a_body_predicate_sees_the_request_type() {
    let server = MockServer::start();
    let created = ConversationApiBody::new(conversation(5, ConversationState::Active));
    let create = server.create_conversation(|when, then| {
        when.body_matching(|body| body.conversation.contact_id.as_value() == Some(&9));
        then.created(&created);
    });
    let client = client(&server);
    let got = client
        .create_conversation(ConversationCreate::new().contact_id(9))
        .await
        .expect("matched");
    assert_eq!(got, created);
    assert!(client
        .create_conversation(ConversationCreate::new().contact_id(8))
        .await
        .is_err());
    assert_eq!(
        server.take_failures()[0].lines().last(),
        Some("   - body: the body predicate does not hold")
    );
    assert_eq!(
        create.bodies()[0].conversation.contact_id.as_value(),
        Some(&9)
    );
}

// ---- then ----------------------------------------------------------------------------------

#[tokio::test]
async fn each_documented_answer_decodes_as_its_type() {
    let server = MockServer::start();
    let rejected = validator("conversation.state", "is not valid");
    server.update_conversation(|when, then| {
        when.id(1);
        then.bad_request(&rejected);
    });
    server.create_conversation(|_, then| {
        then.created(&ConversationApiBody::new(conversation(
            2,
            ConversationState::Active,
        )));
    });
    let client = client(&server);
    let err = client
        .update_conversation(1, ConversationPatch::new())
        .await
        .unwrap_err();
    assert_eq!(err.api_body(), Some(&rejected));
    assert_eq!(
        err.to_string(),
        "API error (status 400 Bad Request): conversation.state: is not valid"
    );
    let created = client
        .create_conversation(ConversationCreate::new())
        .await
        .unwrap();
    assert_eq!(created.conversation.id, Some(2));
}

#[tokio::test]
async fn untyped_answers_are_checked_when_sent_and_raw_ones_are_not() {
    let server = MockServer::start();
    server.list_conversations(|when, then| {
        when.page(1);
        then.json_value(
            200,
            json!({"conversations": [{"id": 1}, {"id": 2, "createdAt": "2024-07-26T20:26:26"}]}),
        );
    });
    server.list_conversations(|when, then| {
        when.page(2);
        then.raw(418, "text/plain", "short and stout");
    });
    let client = client(&server);
    let err = client
        .list_conversations(&ListConversationsParams::default().page(1))
        .await
        .unwrap_err();
    let Error::Decode { path, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path.to_string(), "conversations[1].createdAt");
    // The same place in the server's failure: the canned body is not the documented type.
    let failures = server.take_failures();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0].contains("answered 200 with a body that is not the documented type: could not decode the response body (status 200 OK) at conversations[1].createdAt: expected an RFC 3339 formatted date and time string, got \"2024-07-26T20:26:26\""),
        "{}",
        failures[0]
    );
    // Raw answers are the escape hatch: unchecked, and an undocumented status stays one.
    let err = client
        .list_conversations(&ListConversationsParams::default().page(2))
        .await
        .unwrap_err();
    match err {
        Error::UnexpectedStatus {
            status, body_text, ..
        } => assert_eq!(
            (status.as_u16(), body_text.as_str()),
            (418, "short and stout")
        ),
        other => panic!("{other:?}"),
    }
    assert!(server.take_failures().is_empty());
}

// ---- faults --------------------------------------------------------------------------------

#[tokio::test]
async fn rate_limited_twice_then_ok_is_retried_after_retry_after() {
    let server = MockServer::start();
    let mock = server.list_conversations(|_, then| {
        then.rate_limited(Duration::from_secs(1))
            .times(2)
            .ok(&page(&[1]));
    });
    let started = Instant::now();
    let body = client(&server)
        .list_conversations(&ListConversationsParams::default())
        .await
        .expect("the third attempt succeeds");
    assert_eq!(body, page(&[1]));
    assert_eq!(mock.calls(), 3);
    // Two waits of the `Retry-After` the mock sent (a lower bound only: no upper timing).
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );

    // Out of retries, the 429 reaches the caller with its rate-limit headers.
    let server = MockServer::start();
    let reset = SystemTime::now() + Duration::from_secs(3600);
    server.list_conversations(|_, then| {
        then.rate_limited_until(reset);
    });
    let client = server
        .client()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client
        .list_conversations(&ListConversationsParams::default())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    let rate_limit = err.rate_limit().expect("rate-limit headers");
    assert_eq!(rate_limit.remaining, Some(0));
    assert!(rate_limit.reset.is_some());
}

#[tokio::test]
async fn server_errors_are_retried_for_idempotent_calls_only() {
    let server = MockServer::start();
    let list = server.list_conversations(|_, then| {
        then.server_error(503).ok(&page(&[1]));
    });
    let create = server.create_conversation(|_, then| {
        then.server_error(503)
            .created(&ConversationApiBody::new(conversation(
                1,
                ConversationState::Active,
            )));
    });
    let client = client(&server);
    assert!(client
        .list_conversations(&ListConversationsParams::default())
        .await
        .is_ok());
    assert_eq!(list.calls(), 2);
    let err = client
        .create_conversation(ConversationCreate::new())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(create.calls(), 1, "a POST is not retried on a 503");
}

#[tokio::test]
async fn resets_closed_bodies_and_stalls_are_transport_errors() {
    let server = MockServer::start();
    server.list_conversations(|when, then| {
        when.page(1);
        then.reset_connection();
    });
    server.list_conversations(|when, then| {
        when.page(2);
        then.ok(&page(&(1..200).collect::<Vec<_>>()))
            .close_mid_body();
    });
    let stalled = server.list_conversations(|when, then| {
        when.page(3);
        then.ok(&page(&[1])).delay(Duration::from_secs(2));
    });
    let client = server
        .client()
        .retry_policy(retries(1))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    for page_number in [1, 2] {
        let err = client
            .list_conversations(&ListConversationsParams::default().page(page_number))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Transport(_)) && !err.is_timeout(),
            "page {page_number}: {err:?}"
        );
    }
    let err = client
        .list_conversations(&ListConversationsParams::default().page(3))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(stalled.calls(), 2, "a timed-out GET is retried once");
    assert!(server.connections().accepted >= 3);
}

// ---- verification and mismatches ------------------------------------------------------------

#[tokio::test]
async fn unmet_expectations_and_requests_for_no_operation_are_failures() {
    let server = MockServer::start();
    let _once = server
        .list_conversations(|_, then| {
            then.ok(&page(&[]));
        })
        .expect(2);
    let client = client(&server);
    client
        .list_conversations(&ListConversationsParams::default())
        .await
        .unwrap();
    // No mock of this operation at all.
    assert!(client
        .update_conversation(3, ConversationPatch::new())
        .await
        .is_err());
    let failures = server.take_failures();
    assert_eq!(failures.len(), 2, "{failures:?}");
    assert!(
        failures[0].starts_with("no mock of Teamwork Desk API v2 — Conversations matches `PATCH /desk/api/v2/conversations/3.json` (operation `updateConversation`); it has no mock (mocks are registered for `listConversations`)"),
        "{}",
        failures[0]
    );
    assert!(
        failures[1].ends_with("expected 2 calls, got 1"),
        "{}",
        failures[1]
    );

    // A path no operation has, and a method the path does not take.
    let raw = reqwest_like_get(&server, "/desk/api/v2/conversation.json").await;
    assert_eq!(raw, 500);
    let failures = server.take_failures();
    assert!(
        failures[0].ends_with("closest operation: `listConversations` (`GET /desk/api/v2/conversations.json`): path: expected `/desk/api/v2/conversations.json`, got `/desk/api/v2/conversation.json`"),
        "{}",
        failures[0]
    );
}

#[test]
fn a_request_no_mock_matches_fails_the_test_when_the_server_is_dropped() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dropped = std::panic::catch_unwind(|| {
        let server = MockServer::start();
        server.list_conversations(|when, then| {
            when.page(1);
            then.ok(&page(&[]));
        });
        let client = client(&server);
        runtime.block_on(async {
            let _ = client
                .list_conversations(&ListConversationsParams::default().page(4))
                .await;
        });
        drop(server);
    });
    let message = dropped.expect_err("the drop panics");
    let text = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(
        text.starts_with("desk mock of Teamwork Desk API v2 — Conversations: 1 problem:\n1. no mock of Teamwork Desk API v2 — Conversations matches `GET /desk/api/v2/conversations.json?page=4`"),
        "{text}"
    );
    assert!(
        text.contains(r#"query parameter `page`: expected "1", got "4""#),
        "{text}"
    );
}

/// A GET of `path` with nothing but the HTTP client, for requests the generated client cannot
/// make (a path no operation has); the status.
async fn reqwest_like_get(server: &MockServer, path: &str) -> u16 {
    let api = desk_generated::runtime::client::ApiClient::builder(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let spec = desk_generated::runtime::client::RequestSpec::new(
        desk_generated::runtime::client::Method::GET,
        path,
    );
    api.execute(spec).await.unwrap().status.as_u16()
}
