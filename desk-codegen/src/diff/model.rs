//! The public API model: what a user of generated code can name, build, match and call.
//!
//! One model, read two ways: from the IR of a description ([`super::from_ir`], with the
//! description's JSON pointers, so changes can be located and renamed items recognised) and from
//! generated Rust on disk ([`super::from_rust`], with `syn`). The engine ([`super::engine`])
//! compares two models whichever way they were read; a test checks that both readings of the
//! same output are equal.
//!
//! Types are written as text in one canonical spelling ([`super::from_rust::type_text`]), so
//! comparing two types is comparing two strings.

use std::collections::{BTreeMap, BTreeSet};

/// A generated API: its public items by path (`models::Conversation`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ApiModel {
    pub items: BTreeMap<String, Item>,
}

impl ApiModel {
    /// The mode the code was generated in: stable when its structs and enums are
    /// `#[non_exhaustive]` (desk marks all or none).
    pub fn mode(&self) -> super::ApiMode {
        let data = self
            .items
            .values()
            .filter(|item| item.role != Role::Client && !matches!(item.shape, Shape::Alias(_)));
        let mut any = false;
        for item in data {
            if !item.non_exhaustive {
                return super::ApiMode::Exhaustive;
            }
            any = true;
        }
        if any {
            super::ApiMode::Stable
        } else {
            super::ApiMode::Exhaustive
        }
    }
}

/// What an item is for, as the report groups it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Role {
    /// A type of `models`: what the server sends.
    Model,
    /// A `*Create` request form.
    Create,
    /// A `*Patch` request form.
    Patch,
    /// An operation's query and header parameters (`*Params`).
    Params,
    /// An operation's `multipart/form-data` body (`*Multipart`).
    Multipart,
    /// An operation's documented successes (`*Response`).
    Response,
    /// An operation's documented errors (`*Error`).
    Error,
    /// The client: one method per operation, and the server constructors.
    Client,
}

impl Role {
    /// Whether users build values of this item to send them (so a new required field breaks).
    pub fn is_request(self) -> bool {
        matches!(
            self,
            Role::Create | Role::Patch | Role::Params | Role::Multipart
        )
    }
}

/// One public item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    /// The module (`models`, `requests`, `client`).
    pub module: String,
    /// The Rust name.
    pub name: String,
    pub role: Role,
    /// The client method of the operation this item belongs to (params, bodies, outcomes).
    pub owner: Option<String>,
    /// What stays the same when the Rust name changes: the schema's JSON pointer and form
    /// (known from the IR only).
    pub identity: Option<String>,
    /// The JSON pointer of the schema (or operation) in the description (IR only).
    pub pointer: Option<String>,
    pub shape: Shape,
    /// `#[non_exhaustive]`: code outside the crate can neither build it with a literal nor
    /// match it exhaustively, so a new field or variant is an addition.
    pub non_exhaustive: bool,
    /// The standard traits it derives (`Debug`, `Clone`, `Default`, ...) and extra derives, and
    /// the order traits `wire_order!` implements.
    pub derives: BTreeSet<String>,
    /// Its public inherent methods, by name.
    pub methods: BTreeMap<String, Method>,
}

/// What an item is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A struct with public fields, in declaration order.
    Struct(Vec<Field>),
    /// An enum: of listed values (`values`: a string or integer enum), else a union's
    /// alternatives or an operation's outcomes. `catch_all` is the variant unknown values (an
    /// open enum's `Other`) or unknown tags (a tagged union's `Unknown`) decode into, if any.
    /// `wire_order`: its `PartialOrd`/`Ord` (in [`Item::derives`]) order by wire value, not by
    /// declaration.
    Enum {
        variants: Vec<Variant>,
        values: bool,
        catch_all: Option<String>,
        wire_order: bool,
    },
    /// `pub type Name = Target;`.
    Alias(String),
}

impl Shape {
    /// What kind of item it is, in words.
    pub fn noun(&self) -> &'static str {
        match self {
            Shape::Struct(_) => "struct",
            Shape::Enum { .. } => "enum",
            Shape::Alias(_) => "type alias",
        }
    }
}

/// A public field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    pub name: String,
    /// The whole Rust type, `Option`/`Patch` included.
    pub ty: String,
    /// The property name on the wire.
    pub wire: String,
    pub presence: Presence,
    /// The methods that set or clear this field (its setter, `clear_*`).
    pub accessors: BTreeSet<String>,
    /// The property's JSON pointer (IR only).
    pub pointer: Option<String>,
}

/// How a field is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    /// `T`: always there.
    Required,
    /// `Option<T>`, absent from the wire when `None`.
    Optional,
    /// `Option<T>`, sent as `null` when `None`: the key is required and nullable.
    Nullable,
    /// `Patch<T>`: absent, null or a value.
    TriState,
}

/// An enum variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Variant {
    pub name: String,
    /// The type it holds (a tuple variant of one field), or `None` for a unit variant.
    pub payload: Option<String>,
    /// The JSON pointer of the value or alternative (IR only).
    pub pointer: Option<String>,
}

/// A public method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Method {
    /// `self`, `&self`, `mut self`, or empty for an associated function.
    pub receiver: String,
    /// Parameters after the receiver: name and type.
    pub params: Vec<(String, String)>,
    /// The return type (`()` when none).
    pub output: String,
    pub is_async: bool,
    /// For a method that calls an operation: what it sends and how it decodes the answer.
    pub endpoint: Option<Endpoint>,
}

/// What an operation method does on the wire, beyond its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    /// `GET /path/{id}`: the operation's identity, whatever its method is called.
    pub http: String,
    /// Sent without credentials.
    pub public: bool,
    /// The statuses the method decodes (as a success or a documented error), as ranges of
    /// codes merged where they touch; `None` stands for `default` (every other status).
    pub statuses: Vec<Option<(u16, u16)>>,
    /// The operation's JSON pointer (IR only).
    pub pointer: Option<String>,
}

/// The statuses a list of ranges covers, merged: sorted, touching ranges joined, `default` last.
pub(crate) fn merge_statuses(mut statuses: Vec<Option<(u16, u16)>>) -> Vec<Option<(u16, u16)>> {
    statuses.sort();
    statuses.dedup();
    let default = statuses.first() == Some(&None);
    let mut merged: Vec<Option<(u16, u16)>> = Vec::new();
    for (first, last) in statuses.into_iter().flatten() {
        match merged.last_mut() {
            Some(Some((_, end))) if first <= *end + 1 => *end = (*end).max(last),
            _ => merged.push(Some((first, last))),
        }
    }
    if default {
        merged.push(None);
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_merge_where_they_touch() {
        assert_eq!(
            merge_statuses(vec![
                Some((404, 404)),
                None,
                Some((200, 200)),
                Some((201, 201)),
                Some((400, 499))
            ]),
            vec![Some((200, 201)), Some((400, 499)), None]
        );
    }
}
