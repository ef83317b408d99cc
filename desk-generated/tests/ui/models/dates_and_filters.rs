// Date-times are real chrono values; filters are built with typed setters.
use chrono::{DateTime, FixedOffset};
use desk_generated::models::{Conversation, ConversationFilter, ConversationState, IntegerFilter, StateFilter};

fn main() {
    let conversation: Conversation = serde_json::from_str(r#"{"createdAt":"2015-11-18T18:56:08Z"}"#).unwrap();
    let created: DateTime<FixedOffset> = conversation.created_at.unwrap();
    assert_eq!(created.timestamp(), 1_447_872_968);

    let filter = ConversationFilter::default()
        .state(StateFilter::default().eq(ConversationState::Active))
        .ticket_id(IntegerFilter::default().gt(10_i64));
    assert_eq!(serde_json::to_string(&filter).unwrap(), r#"{"state":{"$eq":"active"},"ticket_id":{"$gt":10}}"#);
}
