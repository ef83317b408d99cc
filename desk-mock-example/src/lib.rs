//! Code that uses the generated client: archive every active conversation that has no
//! messages left. Its test, against the generated mock, is `tests/archive.rs`; both are the
//! README's example ("Testing your code against the mock").

// src/lib.rs
use desk_generated::client::{Client, ListConversationsParams};
use desk_generated::models::{
    ConversationFilter, ConversationInclude, ConversationMessage, ConversationState, StateFilter,
    Validator,
};
use desk_generated::requests::ConversationPatch;
use desk_generated::runtime::client::{Error, TryStreamExt};

/// Archives (sets `deleted`) every active conversation none of whose messages is left (a
/// message counts unless the page's `included` shows it deleted); returns their ids.
pub async fn archive_empty_conversations(client: &Client) -> Result<Vec<i64>, Error<Validator>> {
    let params = ListConversationsParams::default()
        .filter(
            ConversationFilter::default()
                .state(StateFilter::default().eq(ConversationState::Active)),
        )
        .includes([ConversationInclude::Conversationmessages])
        .page(1)
        .page_size(50);
    let mut pages = client.list_conversations_pages(params);
    let mut archived = Vec::new();
    while let Some(page) = pages.try_next().await? {
        let included = page.included.unwrap_or_default();
        for conversation in page.conversations.unwrap_or_default() {
            let has_messages = conversation.messages.iter().flatten().any(|reference| {
                included
                    .get::<ConversationMessage>(reference)
                    .is_none_or(|message| message.state.as_deref() != Some("deleted"))
            });
            if let (false, Some(id)) = (has_messages, conversation.id) {
                client
                    .update_conversation(
                        id,
                        ConversationPatch::new().state(ConversationState::Deleted),
                    )
                    .await?;
                archived.push(id);
            }
        }
    }
    Ok(archived)
}
