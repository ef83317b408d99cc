//! Decodes every sample body in `spec/payloads/` (copies of the reference's samples, see its
//! README) that the spec covers, asserts the decoded values, and round-trips each through serde.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use desk_generated::models::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

fn payload(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/payloads")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// Decodes, re-encodes and decodes again; the two decoded values must be equal.
fn decode_round_trip<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(
    text: &str,
) -> T {
    let value: T = serde_json::from_str(text).expect("decodes");
    let encoded = serde_json::to_string(&value).expect("encodes");
    let again: T = serde_json::from_str(&encoded).expect("decodes its own encoding");
    assert_eq!(
        value, again,
        "round trip changed the value; encoded as {encoded}"
    );
    value
}

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("valid RFC 3339")
}

fn generated_reference() -> Reference {
    Reference::new()
        .delete(true)
        .id(0)
        .meta(
            json!({"additionalProp": "Unknown Type: any"})
                .as_object()
                .cloned()
                .expect("object"),
        )
        .type_(ReferenceType::Integer(0))
}

#[test]
fn bulk_op_response() {
    let body: BulkOpResponse = decode_round_trip(&payload("bulkopresponse-200.json"));
    assert_eq!(body.job_id.as_deref(), Some("string"));
}

#[test]
fn conversation_by_token() {
    let body: ConversationApiBody =
        decode_round_trip(&payload("conversation-get-by-token-200.truncated.json"));
    let contact = body.conversation.contact.expect("contact");
    assert_eq!(contact.created_at, Some(at("2024-12-05T12:31:07.476Z")));
    assert_eq!(contact.deleted_at, Some(at("2024-12-05T12:31:07.476Z")));
    assert_eq!(contact.created_by, Some(generated_reference()));
    // This sample's `deletedBy` has no `type`.
    let deleted_by = contact.deleted_by.expect("deletedBy");
    assert_eq!(deleted_by.type_, None);
    assert_eq!(deleted_by.delete, Some(true));
    assert_eq!(body.conversation.id, None);
}

#[test]
fn conversations_list() {
    let body: ConversationsApiBody =
        decode_round_trip(&payload("conversations-list-200.2024-12.truncated.json"));
    let conversations = body.conversations.expect("conversations");
    assert_eq!(conversations.len(), 1);
    let contact = conversations[0].contact.as_ref().expect("contact");
    assert_eq!(contact.created_at, Some(at("2024-12-30T11:51:50.183Z")));
    assert_eq!(contact.created_by, Some(generated_reference()));
    assert!(body.pagination.is_none());
}

#[test]
fn customers_with_included_users_real_sample() {
    let text = payload("customers-includes-users.guide-sample.syntax-repaired.json");
    // The list body of another resource: `included` and `pagination` have the shapes the
    // conversation list uses, and its customer is the spec's `Customer`.
    let body: ConversationsApiBody = decode_round_trip(&text);
    assert!(
        body.conversations.is_none(),
        "the `customers` key is not a conversation list"
    );
    let pagination = body.pagination.expect("pagination");
    assert_eq!(pagination.records, Some(456_441));
    assert_eq!(pagination.page_size, Some(1));
    assert_eq!(pagination.pages, Some(456_441));
    assert_eq!(pagination.page, Some(1));
    assert_eq!(pagination.has_more_pages, Some(true));

    let users = body.included.expect("included").users.expect("users");
    let user = &users[0];
    assert_eq!(user.id, Some(2));
    assert_eq!(user.email.as_deref(), Some("brandon@teamwork.com"));
    assert_eq!(user.first_name.as_deref(), Some("Brandon"));
    assert_eq!(
        user.avatar_url.as_deref(),
        Some("1/userAvatar/userlogo1493205327729946000.jpg")
    );
    assert_eq!(user.edit_method.as_deref(), Some("markdown"));
    assert_eq!(user.is_part_time, Some(false));
    assert_eq!(user.ticket_reply_redirect.as_deref(), Some("Stay"));
    assert_eq!(user.use_desk_client, Some(true));
    assert_eq!(user.created_at, Some(at("2015-12-01T20:39:10Z")));
    assert_eq!(
        user.created_by,
        Some(
            Reference::new()
                .id(999_999_999)
                .type_(ReferenceType::String("users".into()))
        )
    );

    let raw: serde_json::Value = serde_json::from_str(&text).expect("json");
    let customer: Customer = decode_round_trip(&raw["customers"][0].to_string());
    assert_eq!(customer.id, Some(125_482));
    assert_eq!(customer.first_name.as_deref(), Some("Joe"));
    assert_eq!(customer.contacts, None, "`contacts: null` decodes as None");
    assert_eq!(customer.company, None, "`company: null` decodes as None");
    assert_eq!(customer.verified_email, Some(false));
    assert_eq!(customer.num_tickets, Some(4));
    assert_eq!(customer.linkedin_url.as_deref(), Some(""));
    assert_eq!(customer.created_at, Some(at("2015-11-18T18:56:08Z")));
    assert_eq!(
        customer.updated_by.and_then(|r| r.type_),
        Some(ReferenceType::String("users".into()))
    );
    assert_eq!(customer.state.as_deref(), Some("active"));
}

#[test]
fn included_user_generated_sample() {
    let user: User = decode_round_trip(&payload("included-user.generated.truncated.json"));
    assert_eq!(user.auto_follow_on_cc, Some(true));
    assert_eq!(user.avatar_url.as_deref(), Some("string"));
    assert_eq!(user.deleted_at, Some(at("2024-12-19T16:02:34.102Z")));
    assert_eq!(user.deleted_by, Some(generated_reference()));
    let args = user.filter_args.expect("filter_args");
    let aggregate = args.aggregate.expect("aggregate (PascalCase keys inside)");
    assert_eq!(aggregate.distinct, Some(true));
    assert_eq!(aggregate.field.as_deref(), Some("string"));
    assert_eq!(aggregate.operation.as_deref(), Some("string"));
    assert_eq!(args.order_mode, Some(OrderMode::Asc));
}

#[test]
fn references_generated_and_real() {
    let generated: Reference = decode_round_trip(&payload("relationship-ref.generated.json"));
    assert_eq!(generated, generated_reference());
    let real: Reference = decode_round_trip(&payload("relationship-ref.real-guide-sample.json"));
    assert_eq!(real.id, Some(2));
    assert_eq!(real.type_, Some(ReferenceType::String("users".into())));
    assert_eq!(
        serde_json::to_value(&real).expect("encodes"),
        json!({"id": 2, "type": "users"})
    );
}

#[test]
fn request_commons() {
    let args: RequestCommons =
        decode_round_trip(&payload("request-commons-filter_args.truncated.json"));
    assert_eq!(args.bulk_dry_execute, Some(true));
    assert_eq!(args.fields, Some(vec!["string".to_owned()]));
    assert_eq!(args.filter, Some(vec!["string".to_owned()]));
    assert_eq!(args.id, Some(0));
    assert_eq!(args.ids, Some(vec![0]));
    assert_eq!(args.includes, Some(vec!["string".to_owned()]));
    assert_eq!(args.order_by.as_deref(), Some("string"));
    assert_eq!(args.order_mode, Some(OrderMode::Asc));
    assert_eq!(args.aggregate.and_then(|a| a.distinct), Some(true));
}

#[test]
fn every_wire_name_and_rename_of_a_conversation() {
    let conversation = Conversation::new()
        .contact(
            CustomerContact::new()
                .is_main(true)
                .type_("email")
                .value("a@b.c"),
        )
        .contact_id(7)
        .created_at(at("2024-12-05T12:31:07.476Z"))
        .created_by(
            Reference::new()
                .id(2)
                .type_(ReferenceType::String("users".into())),
        )
        .deleted_at(at("0001-01-01T00:00:00Z"))
        .filter_args(RequestCommons::new().page_size(50))
        .id(12)
        .messages(vec![Reference::new().id(3)])
        .socket_id("sock")
        .state(ConversationState::Active)
        .ticket_id(99)
        .token("tok")
        .updated_at(at("2015-11-18T18:56:08Z"))
        .users(vec![]);
    let value = serde_json::to_value(&conversation).expect("encodes");
    let keys: Vec<&str> = value
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    // Mixed casing on the wire: camelCase next to snake_case; `None` fields are left out.
    assert_eq!(
        keys,
        [
            "contact",
            "contactId",
            "createdAt",
            "createdBy",
            "deletedAt",
            "filter_args",
            "id",
            "messages",
            "socket_id",
            "state",
            "ticket_id",
            "token",
            "updatedAt",
            "users"
        ]
    );
    assert_eq!(
        value["contact"],
        json!({"isMain": true, "type": "email", "value": "a@b.c"})
    );
    assert_eq!(value["filter_args"], json!({"pageSize": 50}));
    assert_eq!(value["state"], json!("active"));
    let back: Conversation = serde_json::from_value(value).expect("decodes");
    assert_eq!(back, conversation);
}

#[test]
fn null_is_accepted_for_every_optional_property() {
    let nulls = json!({
        "contact": null, "contactId": null, "createdAt": null, "createdBy": null, "deletedAt": null,
        "deletedBy": null, "filter_args": null, "id": null, "messages": null, "socket_id": null,
        "state": null, "ticket_id": null, "token": null, "updatedAt": null, "updatedBy": null, "users": null
    });
    let conversation: Conversation = serde_json::from_value(nulls).expect("nulls decode");
    assert_eq!(conversation, Conversation::default());
    let reference: Reference =
        serde_json::from_value(json!({"id": null, "type": null, "meta": null, "delete": null}))
            .expect("nulls decode");
    assert_eq!(reference, Reference::default());
}

#[test]
fn unknown_fields_are_ignored() {
    let conversation: Conversation =
        serde_json::from_value(json!({"id": 5, "brandNewField": {"x": [1, 2]}, "anotherOne": 3}))
            .expect("decodes");
    assert_eq!(conversation.id, Some(5));
}

#[test]
fn unknown_enum_values_are_kept_and_reserialised_unchanged() {
    let conversation: Conversation =
        serde_json::from_value(json!({"state": "archived"})).expect("decodes");
    assert_eq!(
        conversation.state,
        Some(ConversationState::Other("archived".into()))
    );
    assert_eq!(
        serde_json::to_value(&conversation).expect("encodes"),
        json!({"state": "archived"})
    );
    let known: ConversationState = serde_json::from_value(json!("deleted")).expect("decodes");
    assert_eq!(known, ConversationState::Deleted);
    assert_eq!(ConversationState::Deleted.as_str(), "deleted");
    assert_eq!("asc".parse::<OrderMode>(), Ok(OrderMode::Asc));
    assert_eq!(
        OrderMode::from("sideways"),
        OrderMode::Other("sideways".into())
    );
}

#[test]
fn date_times_with_and_without_fractions_and_year_one() {
    for (text, expected) in [
        ("2015-11-18T18:56:08Z", "2015-11-18T18:56:08+00:00"),
        ("2024-12-05T12:31:07.476Z", "2024-12-05T12:31:07.476+00:00"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00+00:00"),
        ("2024-12-05T13:31:07+01:00", "2024-12-05T13:31:07+01:00"),
    ] {
        let conversation: Conversation =
            serde_json::from_value(json!({"createdAt": text})).expect(text);
        let parsed = conversation.created_at.expect("createdAt");
        assert_eq!(parsed.to_rfc3339(), expected, "{text}");
        let again: Conversation =
            serde_json::from_value(serde_json::to_value(&conversation).expect("encodes"))
                .expect("decodes");
        assert_eq!(again.created_at, Some(parsed));
    }
    let bad = serde_json::from_value::<Conversation>(json!({"createdAt": "yesterday"}));
    assert!(
        bad.is_err(),
        "a malformed timestamp is an error, not a silent None"
    );
}

#[test]
fn validator_errors() {
    let body: Validator = decode_round_trip(
        r#"{"errors": {"state": ["must be one of active, deleted"], "token": ["is required", "too short"]}}"#,
    );
    let errors = body.errors.expect("errors");
    assert_eq!(errors["token"], ["is required", "too short"]);
    assert_eq!(errors.len(), 2);
}
