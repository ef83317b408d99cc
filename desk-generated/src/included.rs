//! Following a relationship to the full object the server sent under `included`.
//!
//! Objects refer to each other with references (`{"id": 2, "type": "users"}`,
//! [`Reference`]); with `includes` the full objects come back in the body's `included`, one
//! array per type name. [`Reference::resolve`] (or `included.get(&reference)`) finds the
//! object a reference points at, typed:
//!
//! ```
//! use desk_generated::models::{ConversationIncluded, Reference, ReferenceType, User};
//!
//! let included: ConversationIncluded = serde_json::from_str(
//!     r#"{"users": [{"id": 2, "firstName": "Ada"}, {"id": 3, "firstName": "Brian"}]}"#,
//! ).unwrap();
//! let reference: Reference = serde_json::from_str(r#"{"id": 2, "type": "users"}"#).unwrap();
//!
//! let user: Option<&User> = reference.resolve(&included);
//! assert_eq!(user.and_then(|u| u.first_name.as_deref()), Some("Ada"));
//! // The same, from the container's side.
//! assert_eq!(included.get::<User>(&reference), user);
//! ```

use crate::models::{
    ConversationIncluded, ConversationMessage, ConversationMessageIncluded, Customer,
    CustomerContact, Reference, ReferenceType, User,
};

/// A type that comes back under `included`, with the type name references use for it.
pub trait Included {
    /// The name of the type in references and as the key under `included` (`"users"`).
    const TYPE_NAME: &'static str;

    /// The object's id.
    fn id(&self) -> Option<i64>;
}

/// An `included` container that holds objects of type `T`.
pub trait Holds<T: Included> {
    /// Every included object of type `T` (empty when the server sent none, or `null`).
    fn all(&self) -> &[T];
}

impl Reference {
    /// Whether the reference points at a `T`: its `type` is `T`'s type name. A reference
    /// without a textual `type` (the reference documentation's examples send an integer)
    /// cannot be told apart and is taken to match.
    pub fn points_at<T: Included>(&self) -> bool {
        match &self.type_ {
            Some(ReferenceType::String(name)) => name == T::TYPE_NAME,
            Some(ReferenceType::Integer(_)) | None => true,
        }
    }

    /// The object of type `T` this reference points at, from `included`; `None` when the
    /// reference has no id, points at another type, or the object was not included.
    pub fn resolve<'a, T, C>(&self, included: &'a C) -> Option<&'a T>
    where
        T: Included,
        C: Holds<T>,
    {
        let id = self.id?;
        if !self.points_at::<T>() {
            return None;
        }
        included.all().iter().find(|object| object.id() == Some(id))
    }
}

macro_rules! included {
    ($($ty:ty => $name:literal),* $(,)?) => {$(
        impl Included for $ty {
            const TYPE_NAME: &'static str = $name;
            fn id(&self) -> Option<i64> {
                self.id
            }
        }
    )*};
}

included! {
    User => "users",
    Customer => "customers",
    CustomerContact => "contacts",
    ConversationMessage => "conversationmessages",
}

macro_rules! holds {
    ($container:ty { $($field:ident: $ty:ty),* $(,)? }) => {
        $(
            impl Holds<$ty> for $container {
                fn all(&self) -> &[$ty] {
                    self.$field.as_deref().unwrap_or_default()
                }
            }
        )*

        impl $container {
            /// The included object `reference` points at (see [`Reference::resolve`]).
            pub fn get<T: Included>(&self, reference: &Reference) -> Option<&T>
            where
                Self: Holds<T>,
            {
                reference.resolve(self)
            }
        }
    };
}

holds!(ConversationIncluded {
    users: User,
    customers: Customer,
    contacts: CustomerContact,
    conversationmessages: ConversationMessage,
});

holds!(ConversationMessageIncluded {
    users: User,
    customers: Customer,
    contacts: CustomerContact,
});

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(json: &str) -> Reference {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn references_resolve_to_objects_of_their_type_only() {
        let included: ConversationIncluded = serde_json::from_str(
            r#"{"users": [{"id": 2, "firstName": "Ada"}], "customers": [{"id": 2, "firstName": "Cy"}],
                "conversationmessages": null}"#,
        )
        .unwrap();
        let user = reference(r#"{"id": 2, "type": "users"}"#);
        let customer = reference(r#"{"id": 2, "type": "customers"}"#);
        assert_eq!(
            included
                .get::<User>(&user)
                .and_then(|u| u.first_name.as_deref()),
            Some("Ada")
        );
        assert_eq!(
            included.get::<Customer>(&user),
            None,
            "a user reference is not a customer"
        );
        assert_eq!(
            included
                .get::<Customer>(&customer)
                .and_then(|c| c.first_name.as_deref()),
            Some("Cy")
        );
        assert_eq!(
            included.get::<User>(&reference(r#"{"id": 9, "type": "users"}"#)),
            None
        );
        assert_eq!(
            included.get::<User>(&reference(r#"{"type": "users"}"#)),
            None
        );
        assert_eq!(
            included.get::<ConversationMessage>(&reference(r#"{"id": 1}"#)),
            None
        );
        // An integer type (as in the reference's examples) matches on the id alone.
        assert!(included
            .get::<User>(&reference(r#"{"id": 2, "type": 0}"#))
            .is_some());
    }
}
