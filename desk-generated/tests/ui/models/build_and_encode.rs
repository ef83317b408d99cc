// A user builds models with struct update syntax and reads the wrapped list body.
use desk_generated::models::{
    Conversation, ConversationApiBody, ConversationsApiBody, Pagination, Reference, ReferenceType,
};

fn main() {
    let body = ConversationApiBody {
        conversation: Conversation {
            ticket_id: Some(42),
            users: Some(vec![Reference { id: Some(2), type_: Some(ReferenceType::String("users".into())), ..Default::default() }]),
            ..Default::default()
        },
        included: None,
    };
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
