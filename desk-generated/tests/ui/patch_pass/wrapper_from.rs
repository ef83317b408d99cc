// A `*Patch` or `*Create` goes wherever its `{"conversation": ...}` wrapper is expected, though
// the wrapper has a second key (`included`, which the server sends): the README's examples.
use desk_generated::models::ConversationState;
use desk_generated::requests::{
    ConversationApiBodyCreate, ConversationApiBodyPatch, ConversationCreate, ConversationPatch,
};

#[cfg(feature = "client")]
#[allow(dead_code)]
async fn readme(client: &desk_generated::client::Client) -> Result<(), Box<dyn std::error::Error>> {
    let patch = ConversationPatch::new()
        .state(ConversationState::Deleted)
        .clear_socket_id();
    client.update_conversation(42, patch).await?;
    client
        .create_conversation(ConversationCreate::new().contact_id(7))
        .await?;
    client
        .reconnect_conversation(ConversationCreate::new().token("room"))
        .await?;
    Ok(())
}

fn main() {
    let body = ConversationApiBodyPatch::from(ConversationPatch::new().ticket_id(3));
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"conversation":{"ticket_id":3}}"#
    );
    let body: ConversationApiBodyCreate = ConversationCreate::new().token("room").into();
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"conversation":{"token":"room"}}"#
    );
    // The required key can be set, or left out of a patch.
    let body = ConversationApiBodyPatch::new().conversation(ConversationPatch::new());
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"conversation":{}}"#
    );
}
