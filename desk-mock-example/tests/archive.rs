//! `archive_empty_conversations` against the generated mock: two pages with `included`, a
//! PATCH checked by its decoded body, and a `429` before success on the first page and on one
//! PATCH. The canned bodies are built as any crate builds `desk-generated`'s types: through
//! their constructors and setters (the types are `#[non_exhaustive]`). This file and
//! `src/lib.rs` are the README's example.

// tests/archive.rs
use std::time::Duration;

use desk_generated::mock::MockServer;
use desk_generated::models::{
    Conversation, ConversationApiBody, ConversationInclude, ConversationIncluded,
    ConversationMessage, ConversationState, ConversationsApiBody, Pagination, Reference,
    ReferenceType,
};
use desk_generated::requests::{ConversationApiBodyPatch, ConversationPatch};
use desk_mock_example::archive_empty_conversations;

fn message_ref(id: i64) -> Reference {
    Reference::new()
        .id(id)
        .type_(ReferenceType::String("conversationmessages".into()))
}

fn conversation(id: i64, messages: &[i64]) -> Conversation {
    let messages: Vec<Reference> = messages.iter().copied().map(message_ref).collect();
    Conversation::new()
        .id(id)
        .state(ConversationState::Active)
        .messages(messages)
}

fn message(id: i64, state: &str) -> ConversationMessage {
    ConversationMessage::new().id(id).state(state)
}

fn page(
    conversations: Vec<Conversation>,
    messages: Vec<ConversationMessage>,
    more: bool,
) -> ConversationsApiBody {
    ConversationsApiBody::new()
        .conversations(conversations)
        .included(ConversationIncluded::new().conversationmessages(messages))
        .pagination(Pagination::new().has_more_pages(more))
}

#[tokio::test]
async fn archives_the_conversations_without_messages_left() {
    let server = MockServer::start();
    let client = server.client().bearer_token("test-key").build().unwrap();

    // Page 1 is rate limited once, then served: conversation 1 has a live message, 2 has only
    // a deleted one. Page 2: conversation 3 has no messages at all.
    let first = server.list_conversations(|when, then| {
        when.page(1)
            .includes([ConversationInclude::Conversationmessages])
            .with_auth();
        then.rate_limited(Duration::ZERO).ok(&page(
            vec![conversation(1, &[10]), conversation(2, &[20])],
            vec![message(10, "active"), message(20, "deleted")],
            true,
        ));
    });
    server.list_conversations(|when, then| {
        when.page(2);
        then.ok(&page(vec![conversation(3, &[])], vec![], false));
    });
    // Archiving is a PATCH that sets the state and nothing else; the first one is rate limited.
    let archive = server.update_conversation(|when, then| {
        when.body(ConversationPatch::new().state(ConversationState::Deleted));
        then.rate_limited(Duration::ZERO)
            .ok(&ConversationApiBody::new(Conversation::new()));
    });

    let archived = archive_empty_conversations(&client)
        .await
        .expect("archived");

    assert_eq!(archived, [2, 3]);
    assert_eq!(first.calls(), 2, "page 1: the 429, then the page");
    assert_eq!(
        archive.calls(),
        3,
        "conversation 2 twice (429, then 200), conversation 3 once"
    );
    let ids: Vec<i64> = archive
        .requests()
        .iter()
        .map(|r| r.path_param("id").unwrap())
        .collect();
    assert_eq!(ids, [2, 2, 3]);
    let sent =
        ConversationApiBodyPatch::from(ConversationPatch::new().state(ConversationState::Deleted));
    assert!(archive.bodies().iter().all(|body| *body == sent));
}
