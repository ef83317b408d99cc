//! The whole response: page streams (items, `included`, paging; `pagination.hasMorePages` and
//! `meta.page.hasMore`), `included` on get-by-token, typed lookups from references, the
//! messages history endpoint, and the call deadline, all against wiremock on 127.0.0.1.
#![cfg(feature = "client")]

use std::time::{Duration, Instant};

use desk_generated::client::{
    Client, GetConversationByTokenParams, ListConversationMessagesParams, ListConversationsParams,
};
use desk_generated::models::{
    ConversationInclude, ConversationMessage, ConversationMessageFilter,
    ConversationMessageInclude, ConversationMessageOrderBy, ConversationsApiBody, IntegerFilter,
    OrderMode, User,
};
use desk_generated::runtime::client::RetryPolicy;
use futures_util::TryStreamExt;
use serde_json::{json, Value};
use wiremock::matchers::{any, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const BASE: &str = "/desk/api/v2";

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri())
        .bearer_token("key-1")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn user_json(id: i64, first_name: &str) -> Value {
    json!({"id": id, "firstName": first_name, "email": format!("{first_name}@example.com"), "useDeskClient": true})
}

/// Matches page `page` of a list: `page=N`, or for the first page no `page` at all (a page
/// stream sends the first page's parameters as the caller gives them).
fn page_is(page: i64) -> impl Fn(&Request) -> bool + Send + Sync {
    move |request: &Request| {
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

/// Three pages of two, two and one conversations; every page includes the users its
/// conversations refer to.
async fn mount_three_pages_with_included(server: &MockServer) {
    for (page, ids, more) in [
        (1, [1, 2].as_slice(), true),
        (2, &[3, 4], true),
        (3, &[5], false),
    ] {
        let conversations: Vec<Value> =
            ids.iter().map(|id| json!({"id": id, "token": format!("t{id}"), "users": [{"id": id * 10, "type": "users"}]})).collect();
        let users: Vec<Value> = ids
            .iter()
            .map(|id| user_json(id * 10, &format!("agent{id}")))
            .collect();
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/conversations.json")))
            .and(page_is(page))
            .and(query_param("includes", "users"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "conversations": conversations,
                "included": {"users": users},
                "pagination": {"records": 5, "pageSize": 2, "pages": 3, "page": page, "hasMorePages": more},
                "meta": {"page": {"count": 5, "pageSize": 2, "pageOffset": (page - 1) * 2, "pages": 3, "hasMore": more}}
            })))
            .expect(1)
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn the_page_stream_yields_three_whole_pages_with_included() {
    let server = MockServer::start().await;
    mount_three_pages_with_included(&server).await;
    let client = client(&server);
    let params = ListConversationsParams::default().includes([ConversationInclude::Users]);
    let pages: Vec<ConversationsApiBody> = client
        .list_conversations_pages(params)
        .try_collect()
        .await
        .unwrap();

    assert_eq!(pages.len(), 3);
    let mut resolved = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let pagination = page.pagination.as_ref().unwrap();
        assert_eq!(pagination.page, Some(index as i32 + 1));
        assert_eq!(
            page.meta
                .as_ref()
                .and_then(|m| m.page.as_ref())
                .and_then(|p| p.page_offset),
            Some(index as i64 * 2)
        );
        let included = page.included.as_ref().expect("included is kept");
        for conversation in page.conversations.as_deref().unwrap() {
            // A typed lookup from the reference to the included object.
            let reference = &conversation.users.as_ref().unwrap()[0];
            let user: &User = included
                .get(reference)
                .expect("the referenced user is included");
            resolved.push((conversation.id.unwrap(), user.first_name.clone().unwrap()));
        }
    }
    let expected: Vec<(i64, String)> = (1..=5).map(|id| (id, format!("agent{id}"))).collect();
    assert_eq!(resolved, expected);
}

#[tokio::test]
async fn the_item_stream_is_built_on_the_page_stream() {
    let server = MockServer::start().await;
    mount_three_pages_with_included(&server).await;
    let params = ListConversationsParams::default().includes([ConversationInclude::Users]);
    let ids: Vec<i64> = client(&server)
        .list_conversations_stream(params)
        .map_ok(|c| c.id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    // The first page as the caller asked for it (no page number), then pages 2 and 3.
    let pages: Vec<Option<String>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(key, _)| key == "page")
                .map(|(_, value)| value.into_owned())
        })
        .collect();
    assert_eq!(pages, [None, Some("2".into()), Some("3".into())]);
}

#[tokio::test]
async fn meta_page_has_more_is_honoured_without_pagination() {
    let server = MockServer::start().await;
    for (page, more) in [(1, true), (2, false)] {
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/conversations.json")))
            .and(page_is(page))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "conversations": [{"id": page}],
                "meta": {"page": {"hasMore": more}}
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let ids: Vec<i64> = client(&server)
        .list_conversations_stream(ListConversationsParams::default())
        .map_ok(|c| c.id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [1, 2]);
}

#[tokio::test]
async fn get_by_token_keeps_included() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/conversations/token/room-9.json")))
        .and(query_param("includes", "customers,users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "conversation": {"id": 9, "token": "room-9", "users": [{"id": 2, "type": "users"}]},
            "included": {"users": [user_json(2, "ada")], "customers": [{"id": 4, "firstName": "Cy", "contacts": null, "company": null}]}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let params = GetConversationByTokenParams::default()
        .includes([ConversationInclude::Users, ConversationInclude::Customers]);
    let body = client(&server)
        .get_conversation_by_token("room-9", &params)
        .await
        .unwrap();
    let included = body.included.as_ref().unwrap();
    let reference = &body.conversation.users.as_ref().unwrap()[0];
    assert_eq!(
        included
            .get::<User>(reference)
            .and_then(|u| u.email.as_deref()),
        Some("ada@example.com")
    );
    assert_eq!(
        included.customers.as_ref().unwrap()[0]
            .first_name
            .as_deref(),
        Some("Cy")
    );
}

fn message_json(id: i64, user_id: i64) -> Value {
    json!({
        "id": id,
        "message": format!("message {id}"),
        "userId": user_id,
        "state": "active",
        "createdAt": "2024-12-05T12:31:07.476Z",
        "createdBy": {"id": user_id, "type": "users"},
        "files": [{"id": 70 + id, "type": "files"}]
    })
}

#[tokio::test]
async fn the_messages_history_is_public_typed_and_streams_page_by_page() {
    let server = MockServer::start().await;
    for (page, ids, more) in [(1, [1, 2].as_slice(), true), (2, &[3], false)] {
        let messages: Vec<Value> = ids.iter().map(|id| message_json(*id, 2)).collect();
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/conversationmessages/history/room%2F7.json")))
            .and(page_is(page))
            .and(query_param("filter", r#"{"userId":{"$eq":2}}"#))
            .and(query_param("orderBy", "createdAt"))
            .and(query_param("orderMode", "asc"))
            .and(query_param("includes", "files,users"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "conversationmessages": messages,
                "included": {"users": [user_json(2, "ada")], "files": [{"id": 71, "name": "a.png"}]},
                "pagination": {"page": page, "hasMorePages": more}
            })))
            .expect(if page == 1 { 2 } else { 1 })
            .mount(&server)
            .await;
    }
    let params = ListConversationMessagesParams::default()
        .filter(ConversationMessageFilter::default().user_id(IntegerFilter::default().eq(2)))
        .order_by(ConversationMessageOrderBy::CreatedAt)
        .order_mode(OrderMode::Asc)
        .includes([
            ConversationMessageInclude::Users,
            ConversationMessageInclude::Files,
        ]);
    let client = client(&server);

    // One page, whole.
    let first = client
        .list_conversation_messages("room/7", &params.clone().page(1))
        .await
        .unwrap();
    let included = first.included.as_ref().unwrap();
    let message = &first.conversationmessages.as_ref().unwrap()[0];
    let author: &User = included.get(message.created_by.as_ref().unwrap()).unwrap();
    assert_eq!(author.first_name.as_deref(), Some("ada"));
    assert_eq!(included.files.as_ref().unwrap()[0]["name"], "a.png");

    // Every message, page after page.
    let messages: Vec<ConversationMessage> = client
        .list_conversation_messages_stream("room/7", params.clone())
        .try_collect()
        .await
        .unwrap();
    let texts: Vec<&str> = messages
        .iter()
        .filter_map(|m| m.message.as_deref())
        .collect();
    assert_eq!(texts, ["message 1", "message 2", "message 3"]);

    // Public: no credentials are sent.
    let requests: Vec<Request> = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert!(requests
        .iter()
        .all(|r| !r.headers.contains_key("authorization")));
}

#[tokio::test]
async fn the_deadline_ends_a_call_to_a_stalling_server() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string("{}")
                .set_delay(Duration::from_secs(30)),
        )
        .mount(&server)
        .await;
    // One attempt may take 1 s and GETs are retried three times, but the call has 300 ms.
    let client = Client::builder(server.uri())
        .timeout(Duration::from_secs(1))
        .deadline(Duration::from_millis(300))
        .retry_policy(RetryPolicy {
            initial_backoff: Duration::from_millis(10),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client
        .list_conversations(&ListConversationsParams::default())
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        elapsed >= Duration::from_millis(280) && elapsed < Duration::from_millis(1000),
        "took {elapsed:?}"
    );

    // Per call.
    let started = Instant::now();
    let error = client
        .with_deadline(Duration::from_millis(100))
        .get_conversation_by_token("t", &Default::default())
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_millis(800),
        "took {:?}",
        started.elapsed()
    );
}
