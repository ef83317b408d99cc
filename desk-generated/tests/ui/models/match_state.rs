// A user matches on an open enum: the `Other` arm keeps the raw value, and a wildcard arm (the enum
// is `#[non_exhaustive]`) takes the values a later version of the API adds.
use desk_generated::models::{Conversation, ConversationState};

fn describe(conversation: &Conversation) -> String {
    match &conversation.state {
        Some(ConversationState::Active) => "active".to_owned(),
        Some(ConversationState::Deleted) => "deleted".to_owned(),
        Some(ConversationState::Other(value)) => format!("new state {value}"),
        Some(_) => "a state a later version added".to_owned(),
        None => "unknown".to_owned(),
    }
}

fn main() {
    let conversation: Conversation = serde_json::from_str(r#"{"state":"snoozed","id":1}"#).unwrap();
    assert_eq!(describe(&conversation), "new state snoozed");
    assert_eq!(conversation.id, Some(1));
}
