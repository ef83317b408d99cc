// A user builds models with their constructors and setters (the types are `#[non_exhaustive]`, so
// a new optional field in the description is not a breaking change) and reads the wrapped list
// body.
use desk_generated::models::{
    Conversation, ConversationApiBody, ConversationsApiBody, Pagination, Reference, ReferenceType,
};

fn main() {
    let body = ConversationApiBody::new(
        Conversation::new()
            .ticket_id(42)
            .users(vec![Reference::new().id(2).type_(ReferenceType::String("users".into()))]),
    );
    let text = serde_json::to_string(&body).unwrap();
    assert_eq!(text, r#"{"conversation":{"ticket_id":42,"users":[{"id":2,"type":"users"}]}}"#);

    let list: ConversationsApiBody = serde_json::from_str(
        r#"{"conversations":[{"id":1},{"id":2}],"pagination":{"page":1,"hasMorePages":false}}"#,
    )
    .unwrap();
    let ids: Vec<i64> = list.conversations.unwrap_or_default().iter().filter_map(|c| c.id).collect();
    assert_eq!(ids, [1, 2]);
    let Pagination { has_more_pages, .. } = list.pagination.unwrap();
    assert_eq!(has_more_pages, Some(false));
}
