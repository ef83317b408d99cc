//! PATCH bodies on the wire: the exact JSON of the generated patch types (absent vs `null` vs a
//! value, nested patch types, arrays replaced whole), their round trip through serde, and the
//! minimal diff between two versions of a `Conversation`.

use desk_generated::models::{
    Conversation, ConversationApiBody, ConversationState, CustomerContact, Reference,
    ReferenceType, RequestAggregate, RequestCommons,
};
use desk_generated::requests::{
    ConversationApiBodyPatch, ConversationCreate, ConversationPatch, CustomerContactPatch,
    RequestAggregatePatch, RequestCommonsPatch,
};
use desk_generated::Patch;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("encodes")
}

/// Encodes, decodes and asserts the decoded value is the original (absent and null kept apart)
/// and re-encodes to the same JSON.
fn assert_round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let text = serde_json::to_string(value).expect("encodes");
    let back: T = serde_json::from_str(&text).expect("decodes its own JSON");
    assert_eq!(&back, value, "round trip through {text}");
    assert_eq!(serde_json::to_string(&back).expect("encodes"), text);
}

/// A conversation as the server sends it: read-only data everywhere, nested objects, arrays.
fn fetched() -> Conversation {
    serde_json::from_value(json!({
        "id": 501,
        "createdAt": "2024-12-05T12:31:07.476Z",
        "updatedAt": "2024-12-06T08:00:00Z",
        "createdBy": {"id": 7, "type": "users"},
        "updatedBy": {"id": 7, "type": "users"},
        "contact": {
            "id": 33,
            "type": "email",
            "value": "ada@example.com",
            "isMain": true,
            "state": "active",
            "createdAt": "2024-01-01T00:00:00Z",
            "createdBy": {"id": 7, "type": "users"}
        },
        "contactId": 33,
        "filter_args": {"aggregate": {"field": "id", "operation": "count"}, "page": 1, "pageSize": 50},
        "messages": [{"id": 9001, "type": "conversationmessages"}],
        "socket_id": "123.456",
        "state": "active",
        "ticket_id": 42,
        "token": "room-1",
        "users": [{"id": 2, "type": "users"}, {"id": 3, "type": "users"}]
    }))
    .expect("a valid conversation")
}

fn user(id: i64) -> Reference {
    Reference::new()
        .id(id)
        .type_(ReferenceType::String("users".into()))
}

// ---------------------------------------------------------------------------------------------
// Exact JSON.

#[test]
fn empty_patch_is_an_empty_object() {
    let patch = ConversationPatch::new();
    assert!(patch.is_empty());
    assert_eq!(patch, ConversationPatch::default());
    assert_eq!(serde_json::to_string(&patch).unwrap(), "{}");

    let body = ConversationApiBodyPatch::new();
    assert!(body.is_empty());
    assert_eq!(serde_json::to_string(&body).unwrap(), "{}");

    // An empty inner patch inside the wrapper is still sent as the wrapper's key.
    let wrapped = ConversationApiBodyPatch::from(ConversationPatch::new());
    assert!(!wrapped.is_empty());
    assert_eq!(to_json(&wrapped), json!({"conversation": {}}));
}

#[test]
fn one_field_set() {
    let patch = ConversationPatch::new().state(ConversationState::Deleted);
    assert!(!patch.is_empty());
    assert_eq!(patch.state, Patch::Value(ConversationState::Deleted));
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"state":"deleted"}"#
    );
    assert_eq!(
        to_json(&ConversationApiBodyPatch::from(patch)),
        json!({"conversation": {"state": "deleted"}})
    );

    // Setters take anything convertible: a `&str` for an enum, an `i32` literal for an `i64`.
    assert_eq!(
        to_json(&ConversationPatch::new().state("active")),
        json!({"state": "active"})
    );
    assert_eq!(
        to_json(&ConversationPatch::new().state("archived")),
        json!({"state": "archived"})
    );
    assert_eq!(
        to_json(&ConversationPatch::new().ticket_id(7)),
        json!({"ticket_id": 7})
    );
    // Wire names differ from Rust names where the spec says so.
    assert_eq!(
        to_json(&ConversationPatch::new().contact_id(33)),
        json!({"contactId": 33})
    );
}

#[test]
fn one_field_cleared_is_null() {
    let patch = ConversationPatch::new().clear_socket_id();
    assert_eq!(patch.socket_id, Patch::Null);
    assert!(!patch.is_empty(), "clearing is a change");
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"socket_id":null}"#
    );
    assert_eq!(
        to_json(&ConversationPatch::new().clear_contact_id()),
        json!({"contactId": null})
    );
    assert_eq!(
        to_json(&ConversationApiBodyPatch::from(
            ConversationPatch::new().clear_ticket_id()
        )),
        json!({"conversation": {"ticket_id": null}})
    );
}

#[test]
fn absent_null_and_value_are_three_different_bodies() {
    let absent = ConversationPatch::new();
    let null = ConversationPatch::new().clear_token();
    let value = ConversationPatch::new().token("room-2");
    assert_eq!(to_json(&absent), json!({}));
    assert_eq!(to_json(&null), json!({"token": null}));
    assert_eq!(to_json(&value), json!({"token": "room-2"}));
    assert_ne!(absent, null);
    assert_ne!(null, value);

    // The fields are plain `Patch` values: `From<Option<T>>` maps `None` to a clear.
    let mut by_field = ConversationPatch::new();
    by_field.token = None::<String>.into();
    by_field.ticket_id = 5.into();
    assert_eq!(to_json(&by_field), json!({"token": null, "ticket_id": 5}));

    // The last setter wins.
    let patch = ConversationPatch::new().token("a").clear_token();
    assert_eq!(to_json(&patch), json!({"token": null}));
}

#[test]
fn several_fields_in_one_patch() {
    let patch = ConversationPatch::new()
        .state("deleted")
        .clear_socket_id()
        .ticket_id(99)
        .token("room-9");
    assert_eq!(
        to_json(&patch),
        json!({"socket_id": null, "state": "deleted", "ticket_id": 99, "token": "room-9"})
    );
}

#[test]
fn nested_objects_get_their_own_patch_types() {
    let patch = ConversationPatch::new().contact(
        CustomerContactPatch::new()
            .value("grace@example.com")
            .clear_is_main(),
    );
    assert_eq!(
        to_json(&patch),
        json!({"contact": {"value": "grace@example.com", "isMain": null}})
    );

    // An empty nested patch is an empty object, not an absent key: it is what the user asked for.
    assert_eq!(
        to_json(&ConversationPatch::new().contact(CustomerContactPatch::new())),
        json!({"contact": {}})
    );
    // Clearing the nested object as a whole.
    assert_eq!(
        to_json(&ConversationPatch::new().clear_contact()),
        json!({"contact": null})
    );

    // Two levels down: `filter_args.aggregate` (whose keys are PascalCase on the wire).
    let patch = ConversationPatch::new().filter_args(
        RequestCommonsPatch::new()
            .aggregate(
                RequestAggregatePatch::new()
                    .field("ticket_id")
                    .clear_operation(),
            )
            .page_size(25),
    );
    assert_eq!(
        to_json(&patch),
        json!({"filter_args": {"aggregate": {"Field": "ticket_id", "Operation": null}, "pageSize": 25}})
    );
    assert_eq!(
        to_json(
            &ConversationPatch::new().filter_args(RequestCommonsPatch::new().clear_aggregate())
        ),
        json!({"filter_args": {"aggregate": null}})
    );
}

#[test]
fn arrays_are_replaced_whole() {
    let patch =
        ConversationPatch::new().filter_args(RequestCommonsPatch::new().ids(vec![2_i64, 5]));
    assert_eq!(to_json(&patch), json!({"filter_args": {"ids": [2, 5]}}));

    // The empty array and `null` are different requests.
    let empty = RequestCommonsPatch::new().ids(Vec::<i64>::new());
    assert_eq!(to_json(&empty), json!({"ids": []}));
    assert_eq!(
        to_json(&RequestCommonsPatch::new().clear_ids()),
        json!({"ids": null})
    );

    // Arrays of scalars too, inside a nested patch.
    let patch = ConversationPatch::new().filter_args(
        RequestCommonsPatch::new()
            .ids(vec![1_i64, 2, 3])
            .fields(vec!["id".to_owned()]),
    );
    assert_eq!(
        to_json(&patch),
        json!({"filter_args": {"fields": ["id"], "ids": [1, 2, 3]}})
    );
}

#[test]
fn read_only_fields_cannot_be_sent() {
    // Keys the server owns are not fields of the patch type: decoding drops them, so they never
    // reach the wire even when a body is built from JSON.
    let patch: ConversationPatch = serde_json::from_value(json!({
        "id": 1,
        "createdAt": "2024-12-05T12:31:07Z",
        "updatedBy": {"id": 7},
        "state": "active",
        "contact": {"id": 3, "createdAt": "2024-12-05T12:31:07Z", "value": "x"}
    }))
    .unwrap();
    assert_eq!(
        to_json(&patch),
        json!({"state": "active", "contact": {"value": "x"}})
    );

    // The overwrite built from a whole model carries every writable field and no read-only one.
    let overwrite = ConversationPatch::from_model(fetched());
    let sent = to_json(&overwrite);
    let mut keys: Vec<&str> = sent
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "contact",
            "contactId",
            "filter_args",
            "socket_id",
            "state",
            "ticket_id",
            "token"
        ]
    );
    assert_eq!(
        sent["contact"],
        json!({"type": "email", "value": "ada@example.com", "isMain": true, "state": "active"})
    );
}

// ---------------------------------------------------------------------------------------------
// Round trip.

#[test]
fn round_trip_keeps_absent_and_null_apart() {
    let text = r#"{"contact":{"value":"a@b.c","isMain":null},"socket_id":null,"state":"active"}"#;
    let patch: ConversationPatch = serde_json::from_str(text).unwrap();
    assert_eq!(patch.socket_id, Patch::Null);
    assert_eq!(patch.state, Patch::Value(ConversationState::Active));
    assert_eq!(patch.token, Patch::Absent);
    assert_eq!(patch.ticket_id, Patch::Absent);
    let Patch::Value(contact) = &patch.contact else {
        panic!("contact is set: {patch:?}")
    };
    assert_eq!(contact.is_main, Patch::Null);
    assert_eq!(contact.value, Patch::Value("a@b.c".to_owned()));
    assert_eq!(contact.state, Patch::Absent);
    // Byte for byte back (fields are written in declaration order, as in `text`).
    assert_eq!(serde_json::to_string(&patch).unwrap(), text);

    let empty: ConversationPatch = serde_json::from_str("{}").unwrap();
    assert!(empty.is_empty());

    let wrapped: ConversationApiBodyPatch =
        serde_json::from_str(r#"{"conversation":{"token":null}}"#).unwrap();
    assert_eq!(
        wrapped,
        ConversationApiBodyPatch::from(ConversationPatch::new().clear_token())
    );
    let cleared: ConversationApiBodyPatch =
        serde_json::from_str(r#"{"conversation":null}"#).unwrap();
    assert_eq!(cleared.conversation, Patch::Null);
}

#[test]
fn built_patches_round_trip() {
    assert_round_trip(&ConversationPatch::new());
    assert_round_trip(&ConversationPatch::new().clear_socket_id().state("deleted"));
    assert_round_trip(&ConversationPatch::new().contact(CustomerContactPatch::new()));
    assert_round_trip(
        &ConversationPatch::new().filter_args(
            RequestCommonsPatch::new()
                .ids(Vec::<i64>::new())
                .clear_fields(),
        ),
    );
    assert_round_trip(
        &ConversationPatch::new().filter_args(
            RequestCommonsPatch::new()
                .aggregate(RequestAggregatePatch::new().clear_field().distinct(true))
                .page(2),
        ),
    );
    assert_round_trip(&ConversationPatch::from_model(fetched()));
    assert_round_trip(&ConversationApiBodyPatch::from(
        ConversationPatch::new().clear_contact(),
    ));
    assert_round_trip(&ConversationPatch::diff(
        &fetched(),
        &Conversation::default(),
    ));
}

// ---------------------------------------------------------------------------------------------
// Diff.

#[test]
fn diff_of_two_conversations_sends_exactly_the_changed_fields() {
    let old = fetched();
    let mut new = old.clone();
    new.state = Some(ConversationState::Deleted);
    new.ticket_id = Some(99);

    let patch = ConversationPatch::diff(&old, &new);
    let body = ConversationApiBodyPatch::from(patch.clone());
    assert_eq!(
        to_json(&body),
        json!({"conversation": {"state": "deleted", "ticket_id": 99}})
    );
    assert_eq!(
        patch,
        ConversationPatch::new().state("deleted").ticket_id(99)
    );

    // The wrapper's own diff agrees.
    let wrapped_old = ConversationApiBody::new(old.clone());
    let wrapped_new = ConversationApiBody::new(new.clone());
    assert_eq!(
        ConversationApiBodyPatch::diff(&wrapped_old, &wrapped_new),
        body
    );
}

#[test]
fn diff_of_equal_conversations_is_empty() {
    let old = fetched();
    assert!(ConversationPatch::diff(&old, &old.clone()).is_empty());
    let wrapped = ConversationApiBody::new(old);
    let patch = ConversationApiBodyPatch::diff(&wrapped, &wrapped.clone());
    assert!(patch.is_empty());
    assert_eq!(to_json(&patch), json!({}));
}

#[test]
fn diff_ignores_read_only_changes() {
    let old = fetched();
    let mut new = old.clone();
    new.id = Some(502);
    new.updated_at = Some(chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z").unwrap());
    new.updated_by = Some(user(8));
    // Read-only data inside a nested object does not make the object "changed" either.
    new.contact.as_mut().unwrap().updated_at = new.updated_at;
    new.contact.as_mut().unwrap().id = Some(34);
    let patch = ConversationPatch::diff(&old, &new);
    assert!(patch.is_empty(), "{patch:?}");
    let wrapped = ConversationApiBodyPatch::diff(
        &ConversationApiBody::new(old),
        &ConversationApiBody::new(new),
    );
    assert_eq!(
        to_json(&wrapped),
        json!({}),
        "nothing writable changed, so nothing is sent"
    );
}

#[test]
fn diff_clears_what_became_empty() {
    let old = fetched();
    let mut new = old.clone();
    new.socket_id = None;
    new.contact = None;
    assert_eq!(
        to_json(&ConversationPatch::diff(&old, &new)),
        json!({"contact": null, "socket_id": null})
    );

    // And sets what appeared, as a whole object without read-only fields.
    let patch = ConversationPatch::diff(&new, &old);
    assert_eq!(
        to_json(&patch),
        json!({
            "contact": {"type": "email", "value": "ada@example.com", "isMain": true, "state": "active"},
            "socket_id": "123.456"
        })
    );
}

#[test]
fn diff_recurses_into_nested_objects() {
    let old = fetched();
    let mut new = old.clone();
    let contact = new.contact.as_mut().unwrap();
    contact.value = Some("grace@example.com".into());
    contact.is_main = None;
    new.filter_args
        .as_mut()
        .unwrap()
        .aggregate
        .as_mut()
        .unwrap()
        .operation = Some("sum".into());
    let patch = ConversationPatch::diff(&old, &new);
    assert_eq!(
        to_json(&patch),
        json!({
            "contact": {"value": "grace@example.com", "isMain": null},
            "filter_args": {"aggregate": {"Operation": "sum"}}
        })
    );

    // Nested types diff on their own as well.
    let a = RequestCommons::new().aggregate(RequestAggregate::new().field("id"));
    let b = RequestCommons::new().page(3);
    assert_eq!(
        to_json(&RequestCommonsPatch::diff(&a, &b)),
        json!({"aggregate": null, "page": 3})
    );
    let c = CustomerContact::new().state("deleted");
    assert_eq!(
        to_json(&CustomerContactPatch::diff(&CustomerContact::default(), &c)),
        json!({"state": "deleted"})
    );
}

#[test]
fn diff_replaces_arrays_whole() {
    let mut old = fetched();
    old.filter_args = Some(RequestCommons::new().ids(vec![2, 3]));
    let mut new = old.clone();
    new.filter_args
        .as_mut()
        .unwrap()
        .ids
        .as_mut()
        .unwrap()
        .push(4);
    assert_eq!(
        to_json(&ConversationPatch::diff(&old, &new)),
        json!({"filter_args": {"ids": [2, 3, 4]}})
    );

    // Removing the last element sends the empty array, not `null`.
    let mut emptied = old.clone();
    emptied.filter_args.as_mut().unwrap().ids = Some(Vec::new());
    assert_eq!(
        to_json(&ConversationPatch::diff(&old, &emptied)),
        json!({"filter_args": {"ids": []}})
    );

    // A reordered array is sent whole.
    let mut reordered = old.clone();
    reordered
        .filter_args
        .as_mut()
        .unwrap()
        .ids
        .as_mut()
        .unwrap()
        .reverse();
    assert_eq!(
        to_json(&ConversationPatch::diff(&old, &reordered)),
        json!({"filter_args": {"ids": [3, 2]}})
    );

    // Arrays of read-only references (`users`, `messages`) are not part of a patch at all.
    let mut more_users = fetched();
    more_users.users.as_mut().unwrap().push(user(4));
    more_users.messages = None;
    assert!(ConversationPatch::diff(&fetched(), &more_users).is_empty());
}

#[test]
fn create_types_share_the_read_only_rule() {
    let create = ConversationCreate::from(fetched());
    let sent = to_json(&create);
    for key in [
        "id",
        "createdAt",
        "createdBy",
        "updatedAt",
        "updatedBy",
        "deletedAt",
        "deletedBy",
        "users",
        "messages",
    ] {
        assert!(sent.get(key).is_none(), "{key} must not be sent: {sent}");
    }
    assert!(
        sent["contact"].get("id").is_none() && sent["contact"].get("createdAt").is_none(),
        "{sent}"
    );
    assert_eq!(sent["ticket_id"], json!(42));

    // Built by hand: setters and clearers (not required + nullable = tri-state in a create body).
    let create = ConversationCreate::new().token("room-3").clear_socket_id();
    assert_eq!(
        to_json(&create),
        json!({"socket_id": null, "token": "room-3"})
    );
    assert_eq!(to_json(&ConversationCreate::new()), json!({}));
}

// ---------------------------------------------------------------------------------------------
// End to end: fetch, change two fields, send; the server receives exactly those two.

#[cfg(feature = "client")]
#[tokio::test]
async fn fetch_change_two_fields_send() {
    use desk_generated::client::Client;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let fetched_body = json!({"conversation": to_json(&fetched())});
    Mock::given(method("GET"))
        .and(path("/desk/api/v2/conversations/token/room-1.json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&fetched_body))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/desk/api/v2/conversations/501.json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&fetched_body))
        .mount(&server)
        .await;

    let client = Client::builder(server.uri())
        .bearer_token("secret")
        .build()
        .unwrap();
    let old = client
        .get_conversation_by_token("room-1", &Default::default())
        .await
        .unwrap()
        .conversation;
    assert_eq!(old, fetched());

    let mut new = old.clone();
    new.state = Some(ConversationState::Deleted);
    new.socket_id = None;
    client
        .update_conversation(old.id.unwrap(), ConversationPatch::diff(&old, &new))
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let patch = requests
        .iter()
        .find(|r| r.method.as_str() == "PATCH")
        .expect("a PATCH was sent");
    let sent: Value = serde_json::from_slice(&patch.body).unwrap();
    assert_eq!(
        sent,
        json!({"conversation": {"socket_id": null, "state": "deleted"}})
    );
}
