//! Decode throughput of the generated models against the practical limit, and patch
//! serialisation.
//!
//! - `decode/conversations_1000`: a list body of 1,000 conversations (built here, with varied
//!   fields: nested contacts, references with and without `meta`, timestamps with and without
//!   fractional seconds and offsets, deleted and unknown states, `null`s and unknown keys),
//!   decoded with `serde_json::from_slice` (what the client runtime does) into
//!   `desk_generated::models::ConversationsApiBody` (`generated`) and into the hand-written
//!   mirror in [`hand`] (`hand_written`): the same types field for field, with the enums'
//!   `Deserialize` written by hand with a borrowing visitor, i.e. the fastest a person would
//!   reasonably write for the same shape. `client_runtime` decodes the same bytes the way a
//!   generated operation does (`Response::json`), so the runtime's decoding is measured too.
//! - `patch/serialize`: serialising a typical `ConversationApiBodyPatch`; `patch/diff_serialize`:
//!   computing it with `ConversationPatch::diff` and serialising it.
//!
//! Run: `cargo bench -p desk-generated --bench decode` (see BENCHMARKS.md).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use desk_generated::models::{self, ConversationsApiBody};
use desk_generated::requests::{
    ConversationApiBodyPatch, ConversationPatch, CustomerContactPatch, RequestCommonsPatch,
};
use desk_generated::runtime::client::{bytes, http, Response};
use serde_json::{json, Map, Value};

/// The hand-written mirror of `ConversationsApiBody` and everything it reaches.
mod hand {
    use std::fmt;

    use chrono::{DateTime, FixedOffset};
    use serde::{Deserialize, Serialize};
    use serde_json::{Map, Value};

    type Time = DateTime<FixedOffset>;

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    pub struct ConversationsApiBody {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub conversations: Option<Vec<Conversation>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub included: Option<ConversationIncluded>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub pagination: Option<Pagination>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub meta: Option<Meta>,
    }

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    pub struct Conversation {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub contact: Option<CustomerContact>,
        #[serde(rename = "contactId", default, skip_serializing_if = "Option::is_none")]
        pub contact_id: Option<i64>,
        #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
        pub created_at: Option<Time>,
        #[serde(rename = "createdBy", default, skip_serializing_if = "Option::is_none")]
        pub created_by: Option<Reference>,
        #[serde(rename = "deletedAt", default, skip_serializing_if = "Option::is_none")]
        pub deleted_at: Option<Time>,
        #[serde(rename = "deletedBy", default, skip_serializing_if = "Option::is_none")]
        pub deleted_by: Option<Reference>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub filter_args: Option<RequestCommons>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub messages: Option<Vec<Reference>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub socket_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub state: Option<ConversationState>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub ticket_id: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub token: Option<String>,
        #[serde(rename = "updatedAt", default, skip_serializing_if = "Option::is_none")]
        pub updated_at: Option<Time>,
        #[serde(rename = "updatedBy", default, skip_serializing_if = "Option::is_none")]
        pub updated_by: Option<Reference>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub users: Option<Vec<Reference>>,
    }

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    pub struct ConversationIncluded {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub contacts: Option<Vec<CustomerContact>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub conversationmessages: Option<Vec<ConversationMessage>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub customers: Option<Vec<Customer>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub users: Option<Vec<User>>,
    }

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    pub struct ConversationMessage {
        #[serde(rename = "contactId", default, skip_serializing_if = "Option::is_none")]
        pub contact_id: Option<i64>,
        #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
        pub created_at: Option<Time>,
        #[serde(rename = "createdBy", default, skip_serializing_if = "Option::is_none")]
        pub created_by: Option<Reference>,
        #[serde(rename = "deletedAt", default, skip_serializing_if = "Option::is_none")]
        pub deleted_at: Option<Time>,
        #[serde(rename = "deletedBy", default, skip_serializing_if = "Option::is_none")]
        pub deleted_by: Option<Reference>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub files: Option<Vec<Reference>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub filter_args: Option<RequestCommons>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub message: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub state: Option<String>,
        #[serde(rename = "updatedAt", default, skip_serializing_if = "Option::is_none")]
        pub updated_at: Option<Time>,
        #[serde(rename = "updatedBy", default, skip_serializing_if = "Option::is_none")]
        pub updated_by: Option<Reference>,
        #[serde(rename = "userId", default, skip_serializing_if = "Option::is_none")]
        pub user_id: Option<i64>,
    }

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    pub struct Customer {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        #[serde(rename = "firstName", default, skip_serializing_if = "Option::is_none")]
        pub first_name: Option<String>,
        #[serde(rename = "lastName", default, skip_serializing_if = "Option::is_none")]
        pub last_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub email: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub contacts: Option<Vec<CustomerContact>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub organization: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub company: Option<Map<String, Value>>,
        #[serde(rename = "extraData", default, skip_serializing_if = "Option::is_none")]
        pub extra_data: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub notes: Option<String>,
        #[serde(
            rename = "verifiedEmail",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub verified_email: Option<bool>,
        #[serde(
            rename = "linkedinURL",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub linkedin_url: Option<String>,
        #[serde(
            rename = "facebookURL",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub facebook_url: Option<String>,
        #[serde(
            rename = "twitterHandle",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub twitter_handle: Option<String>,
        #[serde(
            rename = "numTickets",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub num_tickets: Option<i64>,
        #[serde(rename = "jobTitle", default, skip_serializing_if = "Option::is_none")]
        pub job_title: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub phone: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub mobile: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub address: Option<String>,
        #[serde(rename = "avatarURL", default, skip_serializing_if = "Option::is_none")]
        pub avatar_url: Option<String>,
        #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
        pub created_at: Option<Time>,
        #[serde(rename = "updatedAt", default, skip_serializing_if = "Option::is_none")]
        pub updated_at: Option<Time>,
        #[serde(rename = "createdBy", default, skip_serializing_if = "Option::is_none")]
        pub created_by: Option<Reference>,
        #[serde(rename = "updatedBy", default, skip_serializing_if = "Option::is_none")]
        pub updated_by: Option<Reference>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub state: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    pub struct CustomerContact {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
        pub type_: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub value: Option<String>,
        #[serde(rename = "isMain", default, skip_serializing_if = "Option::is_none")]
        pub is_main: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub state: Option<String>,
        #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
        pub created_at: Option<Time>,
        #[serde(rename = "updatedAt", default, skip_serializing_if = "Option::is_none")]
        pub updated_at: Option<Time>,
        #[serde(rename = "deletedAt", default, skip_serializing_if = "Option::is_none")]
        pub deleted_at: Option<Time>,
        #[serde(rename = "createdBy", default, skip_serializing_if = "Option::is_none")]
        pub created_by: Option<Reference>,
        #[serde(rename = "updatedBy", default, skip_serializing_if = "Option::is_none")]
        pub updated_by: Option<Reference>,
        #[serde(rename = "deletedBy", default, skip_serializing_if = "Option::is_none")]
        pub deleted_by: Option<Reference>,
    }

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    pub struct Meta {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub page: Option<MetaPage>,
    }

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    pub struct MetaPage {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub count: Option<i64>,
        #[serde(rename = "pageSize", default, skip_serializing_if = "Option::is_none")]
        pub page_size: Option<i32>,
        #[serde(
            rename = "pageOffset",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub page_offset: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub pages: Option<i64>,
        #[serde(rename = "hasMore", default, skip_serializing_if = "Option::is_none")]
        pub has_more: Option<bool>,
    }

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    pub struct Pagination {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub records: Option<i64>,
        #[serde(rename = "pageSize", default, skip_serializing_if = "Option::is_none")]
        pub page_size: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub pages: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub page: Option<i32>,
        #[serde(
            rename = "hasMorePages",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub has_more_pages: Option<bool>,
    }

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    pub struct Reference {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
        pub type_: Option<ReferenceType>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub delete: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub meta: Option<Map<String, Value>>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(untagged)]
    pub enum ReferenceType {
        String(String),
        Integer(i64),
    }

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    pub struct RequestAggregate {
        #[serde(rename = "Distinct", default, skip_serializing_if = "Option::is_none")]
        pub distinct: Option<bool>,
        #[serde(rename = "Field", default, skip_serializing_if = "Option::is_none")]
        pub field: Option<String>,
        #[serde(rename = "Operation", default, skip_serializing_if = "Option::is_none")]
        pub operation: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    pub struct RequestCommons {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub aggregate: Option<RequestAggregate>,
        #[serde(
            rename = "bulkDryExecute",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub bulk_dry_execute: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub fields: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub filter: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub ids: Option<Vec<i64>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub includes: Option<Vec<String>>,
        #[serde(rename = "orderBy", default, skip_serializing_if = "Option::is_none")]
        pub order_by: Option<String>,
        #[serde(rename = "orderMode", default, skip_serializing_if = "Option::is_none")]
        pub order_mode: Option<OrderMode>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub page: Option<i32>,
        #[serde(rename = "pageSize", default, skip_serializing_if = "Option::is_none")]
        pub page_size: Option<i32>,
    }

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    pub struct User {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub email: Option<String>,
        #[serde(rename = "firstName", default, skip_serializing_if = "Option::is_none")]
        pub first_name: Option<String>,
        #[serde(rename = "lastName", default, skip_serializing_if = "Option::is_none")]
        pub last_name: Option<String>,
        #[serde(rename = "avatarURL", default, skip_serializing_if = "Option::is_none")]
        pub avatar_url: Option<String>,
        #[serde(
            rename = "editMethod",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub edit_method: Option<String>,
        #[serde(
            rename = "isPartTime",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub is_part_time: Option<bool>,
        #[serde(
            rename = "ticketReplyRedirect",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub ticket_reply_redirect: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reviewer: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub role: Option<String>,
        #[serde(
            rename = "sendPushNotifications",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub send_push_notifications: Option<bool>,
        #[serde(
            rename = "sendWebNotifications",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub send_web_notifications: Option<bool>,
        #[serde(
            rename = "useDeskClient",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub use_desk_client: Option<bool>,
        #[serde(
            rename = "autoFollowOnCC",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub auto_follow_on_cc: Option<bool>,
        #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
        pub created_at: Option<Time>,
        #[serde(rename = "updatedAt", default, skip_serializing_if = "Option::is_none")]
        pub updated_at: Option<Time>,
        #[serde(rename = "deletedAt", default, skip_serializing_if = "Option::is_none")]
        pub deleted_at: Option<Time>,
        #[serde(rename = "createdBy", default, skip_serializing_if = "Option::is_none")]
        pub created_by: Option<Reference>,
        #[serde(rename = "updatedBy", default, skip_serializing_if = "Option::is_none")]
        pub updated_by: Option<Reference>,
        #[serde(rename = "deletedBy", default, skip_serializing_if = "Option::is_none")]
        pub deleted_by: Option<Reference>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub filter_args: Option<RequestCommons>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub state: Option<String>,
    }

    /// An open string enum (known values plus `Other`), as the generated ones, with a visitor
    /// that borrows the string and allocates only for unknown values.
    macro_rules! open_enum {
        ($name:ident { $($variant:ident = $wire:literal),* }) => {
            #[derive(Debug, Clone, PartialEq, Eq)]
            pub enum $name {
                $($variant,)*
                Other(String),
            }

            impl $name {
                pub fn as_str(&self) -> &str {
                    match self {
                        $(Self::$variant => $wire,)*
                        Self::Other(value) => value,
                    }
                }
            }

            impl Serialize for $name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    struct Visitor;
                    impl serde::de::Visitor<'_> for Visitor {
                        type Value = $name;
                        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                            f.write_str("a string")
                        }
                        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<$name, E> {
                            Ok(match value {
                                $($wire => $name::$variant,)*
                                other => $name::Other(other.to_owned()),
                            })
                        }
                        fn visit_string<E: serde::de::Error>(self, value: String) -> Result<$name, E> {
                            Ok(match value.as_str() {
                                $($wire => $name::$variant,)*
                                _ => $name::Other(value),
                            })
                        }
                    }
                    deserializer.deserialize_str(Visitor)
                }
            }
        };
    }

    open_enum!(ConversationState { Active = "active", Deleted = "deleted" });
    open_enum!(OrderMode { Asc = "asc", Desc = "desc" });
}

/// Seeded, so the body is the same on every run.
struct Rng(fastrand::Rng);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0.u64(..)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0.u64(..n)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A timestamp: whole seconds or fractions (3, 6 or 9 digits), `Z` or an offset; now and then
/// the zero time system records carry.
fn timestamp(rng: &mut Rng) -> Value {
    if rng.chance(2) {
        return json!("0001-01-01T00:00:00Z");
    }
    let (month, day, hour, minute, second) = (
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60),
    );
    let fraction = match rng.below(4) {
        0 => String::new(),
        1 => format!(".{:03}", rng.below(1000)),
        2 => format!(".{:06}", rng.below(1_000_000)),
        _ => format!(".{:09}", rng.below(1_000_000_000)),
    };
    let offset = match rng.below(3) {
        0 => "Z",
        1 => "+02:00",
        _ => "-05:30",
    };
    json!(format!(
        "2024-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}{offset}"
    ))
}

fn reference(rng: &mut Rng, kind: &str) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), json!(1 + rng.below(100_000)));
    if rng.chance(3) {
        object.insert("type".into(), json!(rng.below(10)));
    } else {
        object.insert("type".into(), json!(kind));
    }
    if rng.chance(10) {
        object.insert(
            "meta".into(),
            json!({"role": "owner", "weight": rng.below(10), "tags": ["a", "b"]}),
        );
    }
    Value::Object(object)
}

fn contact(rng: &mut Rng, id: u64) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), json!(id));
    let email = rng.chance(70);
    object.insert("type".into(), json!(if email { "email" } else { "phone" }));
    object.insert(
        "value".into(),
        if email {
            json!(format!("customer{id}@example{}.com", rng.below(50)))
        } else {
            json!(format!("+353 1 {:07}", rng.below(10_000_000)))
        },
    );
    object.insert("isMain".into(), json!(rng.chance(60)));
    object.insert("state".into(), json!("active"));
    object.insert("createdAt".into(), timestamp(rng));
    object.insert("updatedAt".into(), timestamp(rng));
    object.insert("createdBy".into(), reference(rng, "users"));
    object.insert("updatedBy".into(), reference(rng, "users"));
    Value::Object(object)
}

fn conversation(rng: &mut Rng, id: u64) -> Value {
    let mut object = Map::new();
    let contact_id = 10_000 + rng.below(5_000);
    if rng.chance(60) {
        object.insert("contact".into(), contact(rng, contact_id));
    }
    object.insert("contactId".into(), json!(contact_id));
    object.insert("createdAt".into(), timestamp(rng));
    object.insert("createdBy".into(), reference(rng, "users"));
    let state = match rng.below(20) {
        0..=15 => "active",
        16..=18 => "deleted",
        _ => "archived",
    };
    if state == "deleted" {
        object.insert("deletedAt".into(), timestamp(rng));
        object.insert("deletedBy".into(), reference(rng, "users"));
    }
    match rng.below(4) {
        0 => {
            object.insert("filter_args".into(), Value::Null);
        }
        1 => {
            object.insert(
                "filter_args".into(),
                json!({"page": 1, "pageSize": 50, "orderBy": "createdAt", "orderMode": if rng.chance(50) { "asc" } else { "desc" }, "includes": ["users"], "ids": [1, 2, 3]}),
            );
        }
        _ => {}
    }
    object.insert("id".into(), json!(id));
    let messages: Vec<Value> = (0..rng.below(6))
        .map(|_| reference(rng, "conversationmessages"))
        .collect();
    object.insert("messages".into(), Value::Array(messages));
    object.insert(
        "socket_id".into(),
        if rng.chance(30) {
            json!(format!("{}.{}", rng.below(1_000_000), rng.below(1_000_000)))
        } else {
            Value::Null
        },
    );
    object.insert("state".into(), json!(state));
    if rng.chance(70) {
        object.insert("ticket_id".into(), json!(rng.below(1_000_000)));
    }
    object.insert(
        "token".into(),
        json!(format!("conv-{id:08x}-{:016x}", rng.next())),
    );
    object.insert("updatedAt".into(), timestamp(rng));
    object.insert("updatedBy".into(), reference(rng, "users"));
    let users: Vec<Value> = (0..rng.below(4)).map(|_| reference(rng, "users")).collect();
    object.insert("users".into(), Value::Array(users));
    if rng.chance(5) {
        // A key this description does not know: ignored.
        object.insert(
            "legacyRouting".into(),
            json!({"queue": "priority", "weights": [1, 2, 3]}),
        );
    }
    Value::Object(object)
}

fn user(rng: &mut Rng, id: u64) -> Value {
    json!({
        "id": id,
        "email": format!("agent{id}@desk.example.com"),
        "firstName": "Agent",
        "lastName": format!("Number {id}"),
        "avatarURL": format!("https://cdn.example.com/avatars/{id}.png"),
        "editMethod": "html",
        "isPartTime": rng.chance(20),
        "role": if rng.chance(20) { "admin" } else { "agent" },
        "sendPushNotifications": true,
        "sendWebNotifications": rng.chance(50),
        "useDeskClient": true,
        "autoFollowOnCC": false,
        "createdAt": timestamp(rng),
        "updatedAt": timestamp(rng),
        "createdBy": reference(rng, "users"),
        "updatedBy": reference(rng, "users"),
        "state": "active",
    })
}

/// The list body: 1,000 conversations, their included users and contacts, pagination and meta.
fn list_body(count: u64) -> Vec<u8> {
    let mut rng = Rng(fastrand::Rng::with_seed(0x9E37_79B9_7F4A_7C15));
    let conversations: Vec<Value> = (0..count)
        .map(|i| conversation(&mut rng, 1_000_000 + i))
        .collect();
    let users: Vec<Value> = (0..25).map(|i| user(&mut rng, 500 + i)).collect();
    let contacts: Vec<Value> = (0..50).map(|i| contact(&mut rng, 10_000 + i * 7)).collect();
    let body = json!({
        "conversations": conversations,
        "included": {"users": users, "contacts": contacts},
        "pagination": {"records": 5_234, "pageSize": count, "pages": 6, "page": 1, "hasMorePages": true},
        "meta": {"page": {"count": 5_234, "pageSize": count, "pageOffset": 0, "pages": 6, "hasMore": true}},
    });
    serde_json::to_vec(&body).expect("serialisable")
}

fn decode(c: &mut Criterion) {
    let body = list_body(1_000);
    // The two decoders must agree on what they read, or the comparison means nothing.
    let generated: ConversationsApiBody =
        serde_json::from_slice(&body).expect("the generated types decode the body");
    let hand_written: hand::ConversationsApiBody =
        serde_json::from_slice(&body).expect("the hand-written types decode the body");
    assert_eq!(generated.conversations.as_ref().map(Vec::len), Some(1_000));
    assert_eq!(
        serde_json::to_value(&generated).unwrap(),
        serde_json::to_value(&hand_written).unwrap(),
        "the generated and hand-written types read the body differently"
    );
    assert!(generated.conversations.iter().flatten().any(
        |c| matches!(c.state, Some(models::ConversationState::Other(ref s)) if s == "archived")
    ));

    let mut group = c.benchmark_group("decode/conversations_1000");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("generated", |b| {
        b.iter(|| serde_json::from_slice::<ConversationsApiBody>(black_box(&body)).unwrap())
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| serde_json::from_slice::<hand::ConversationsApiBody>(black_box(&body)).unwrap())
    });
    // What a generated operation does with a `200`: `Response::json` (the runtime's decoding,
    // with its error handling) over the same bytes.
    let response = Response {
        status: http::StatusCode::OK,
        headers: http::HeaderMap::new(),
        body: bytes::Bytes::from(body.clone()),
    };
    group.bench_function("client_runtime", |b| {
        b.iter(|| {
            black_box(&response)
                .json::<ConversationsApiBody, ()>()
                .unwrap()
        })
    });
    group.finish();
}

fn patch(c: &mut Criterion) {
    // A typical edit: a new state, a cleared token, a replaced array, a contact change.
    let body = ConversationApiBodyPatch::from(
        ConversationPatch::new()
            .state(models::ConversationState::Deleted)
            .clear_token()
            .filter_args(RequestCommonsPatch::new().ids(vec![501_i64, 502, 503]))
            .contact(
                CustomerContactPatch::new()
                    .value("new@example.com")
                    .is_main(true),
            ),
    );
    let json = serde_json::to_string(&body).unwrap();
    assert!(
        json.starts_with(r#"{"conversation":{"#) && json.contains(r#""token":null"#),
        "unexpected patch body: {json}"
    );

    let before: models::Conversation = serde_json::from_value(json!({
        "id": 1, "state": "active", "token": "t", "ticket_id": 7, "socket_id": "s",
        "users": [{"id": 501, "type": "users"}], "createdAt": "2024-01-02T03:04:05Z"
    }))
    .unwrap();
    let mut after = before.clone();
    after.state = Some(models::ConversationState::Deleted);
    after.token = None;
    after.filter_args = Some(models::RequestCommons::new().ids(vec![502]));

    let mut group = c.benchmark_group("patch");
    group.bench_function("serialize", |b| {
        b.iter(|| serde_json::to_vec(black_box(&body)).unwrap())
    });
    group.bench_function("diff_serialize", |b| {
        b.iter(|| {
            serde_json::to_vec(&ConversationApiBodyPatch::from(ConversationPatch::diff(
                black_box(&before),
                black_box(&after),
            )))
            .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, decode, patch);
criterion_main!(benches);
