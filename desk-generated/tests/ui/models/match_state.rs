// A user matches on an open enum: the `Other` arm is required, and keeps the raw value.
use desk_generated::models::{Conversation, ConversationState};

fn describe(conversation: &Conversation) -> String {
    match &conversation.state {
        Some(ConversationState::Active) => "active".to_owned(),
        Some(ConversationState::Deleted) => "deleted".to_owned(),
        Some(ConversationState::Other(value)) => format!("new state {value}"),
        None => "unknown".to_owned(),
    }
}

fn main() {
    let conversation: Conversation = serde_json::from_str(r#"{"state":"snoozed","id":1}"#).unwrap();
    assert_eq!(describe(&conversation), "new state snoozed");
    assert_eq!(conversation.id, Some(1));
}
