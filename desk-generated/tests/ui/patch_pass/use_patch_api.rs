// The patch API as a user writes it: build, clear, nest, diff, wrap, send.
use desk_generated::models::{Conversation, ConversationState};
use desk_generated::requests::{
    ConversationApiBodyPatch, ConversationPatch, CustomerContactPatch, RequestCommonsPatch,
};
use desk_generated::Patch;

#[cfg(feature = "client")]
#[allow(dead_code)]
async fn close(client: &desk_generated::client::Client, old: &Conversation) -> Result<(), Box<dyn std::error::Error>> {
    let mut new = old.clone();
    new.state = Some(ConversationState::Deleted);
    // A `ConversationPatch` goes wherever the `{"conversation": ...}` wrapper is expected.
    client.update_conversation(old.id.unwrap_or_default(), ConversationPatch::diff(old, &new)).await?;
    Ok(())
}

fn main() {
    let patch = ConversationPatch::new()
        .state(ConversationState::Active)
        .clear_socket_id()
        .contact(CustomerContactPatch::new().value("ada@example.com"))
        .filter_args(RequestCommonsPatch::new().page_size(50).ids(vec![2_i64]));
    assert!(!patch.is_empty());
    assert_eq!(patch.socket_id, Patch::Null);
    assert!(patch.token.is_absent());

    let body: ConversationApiBodyPatch = patch.into();
    let text = serde_json::to_string(&body).unwrap();
    assert_eq!(
        text,
        r#"{"conversation":{"contact":{"value":"ada@example.com"},"filter_args":{"ids":[2],"pageSize":50},"socket_id":null,"state":"active"}}"#
    );

    let old = Conversation::new().ticket_id(1).token("room");
    let new = old.clone().ticket_id(2);
    let diff = ConversationPatch::diff(&old, &new);
    assert_eq!(diff, ConversationPatch::new().ticket_id(2));
    let overwrite = ConversationPatch::from_model(new);
    assert_eq!(overwrite.token, Patch::Value("room".to_owned()));
}
