//! [`Patch<T>`]: the tri-state value used in PATCH request bodies.
//!
//! JSON merge-style PATCH endpoints distinguish three cases for every field:
//!
//! * the field is **absent** — leave the stored value untouched;
//! * the field is **`null`** — clear the stored value;
//! * the field has a **value** — replace the stored value.
//!
//! `Option<T>` can only express two of those, so generated PATCH bodies use
//! [`Patch<T>`] for their fields, always together with these serde attributes:
//!
//! ```
//! use desk_runtime::Patch;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize, Default)]
//! struct UpdateTicket {
//!     #[serde(default, skip_serializing_if = "Patch::is_absent")]
//!     subject: Patch<String>,
//!     #[serde(default, skip_serializing_if = "Patch::is_absent")]
//!     assignee_id: Patch<u64>,
//! }
//!
//! let body = UpdateTicket {
//!     subject: Patch::Absent,
//!     assignee_id: Patch::Null,
//! };
//! assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"assignee_id":null}"#);
//! ```
//!
//! `skip_serializing_if = "Patch::is_absent"` is what keeps an absent field out
//! of the output; `#[serde(default)]` is what turns a missing field back into
//! [`Patch::Absent`] when deserializing.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A tri-state field value for PATCH bodies: absent, explicitly `null`, or a
/// value.
///
/// See the [module documentation](self) for the serde attributes every
/// `Patch` field must carry.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Patch<T> {
    /// The field is not sent: the server keeps its current value.
    #[default]
    Absent,
    /// The field is sent as `null`: the server clears its value.
    Null,
    /// The field is sent with this value: the server replaces its value.
    Value(T),
}

impl<T> Patch<T> {
    /// Returns `true` for [`Patch::Absent`].
    ///
    /// Used as `#[serde(skip_serializing_if = "Patch::is_absent")]`.
    pub const fn is_absent(&self) -> bool {
        matches!(self, Patch::Absent)
    }

    /// Returns `true` for [`Patch::Null`].
    pub const fn is_null(&self) -> bool {
        matches!(self, Patch::Null)
    }

    /// Returns `true` for [`Patch::Value`].
    pub const fn is_value(&self) -> bool {
        matches!(self, Patch::Value(_))
    }

    /// Returns the value, if there is one.
    pub const fn as_value(&self) -> Option<&T> {
        match self {
            Patch::Value(v) => Some(v),
            Patch::Absent | Patch::Null => None,
        }
    }

    /// Converts into a nested option: `Absent` → `None`, `Null` →
    /// `Some(None)`, `Value(v)` → `Some(Some(v))`.
    pub fn into_option(self) -> Option<Option<T>> {
        match self {
            Patch::Absent => None,
            Patch::Null => Some(None),
            Patch::Value(v) => Some(Some(v)),
        }
    }

    /// Maps the value with `f`, keeping `Absent` and `Null` as they are.
    pub fn map<U, F: FnOnce(T) -> U>(self, f: F) -> Patch<U> {
        match self {
            Patch::Absent => Patch::Absent,
            Patch::Null => Patch::Null,
            Patch::Value(v) => Patch::Value(f(v)),
        }
    }

    /// Borrows the value: `&Patch<T>` → `Patch<&T>`.
    pub const fn as_ref(&self) -> Patch<&T> {
        match self {
            Patch::Absent => Patch::Absent,
            Patch::Null => Patch::Null,
            Patch::Value(v) => Patch::Value(v),
        }
    }

    /// Mutably borrows the value: `&mut Patch<T>` → `Patch<&mut T>`.
    pub fn as_mut(&mut self) -> Patch<&mut T> {
        match self {
            Patch::Absent => Patch::Absent,
            Patch::Null => Patch::Null,
            Patch::Value(v) => Patch::Value(v),
        }
    }
}

impl<T: Clone + PartialEq> Patch<T> {
    /// The patch that turns `old` into `new` for a required field:
    /// [`Patch::Absent`] when they are equal, otherwise
    /// `Patch::Value(new.clone())`.
    pub fn diff(old: &T, new: &T) -> Patch<T> {
        if old == new {
            Patch::Absent
        } else {
            Patch::Value(new.clone())
        }
    }

    /// The patch that turns `old` into `new` for a nullable field:
    /// [`Patch::Absent`] when they are equal, [`Patch::Null`] when `new` is
    /// `None`, otherwise `Patch::Value(new.clone())`.
    pub fn diff_option(old: &Option<T>, new: &Option<T>) -> Patch<T> {
        if old == new {
            return Patch::Absent;
        }
        match new {
            None => Patch::Null,
            Some(v) => Patch::Value(v.clone()),
        }
    }
}

impl<T: PartialEq> Patch<T> {
    /// The patch for a required field whose sent form differs from the model's (`into`
    /// converts a model value): the two are compared as they would be sent, so a change only in
    /// data the request form leaves out (read-only fields) does not count.
    pub fn diff_into<M: Clone>(old: &M, new: &M, into: impl Fn(M) -> T) -> Patch<T> {
        let new = into(new.clone());
        if into(old.clone()) == new {
            Patch::Absent
        } else {
            Patch::Value(new)
        }
    }

    /// [`Patch::diff_into`] for an optional field: [`Patch::Null`] when `new` is `None`.
    pub fn diff_option_into<M: Clone>(
        old: &Option<M>,
        new: &Option<M>,
        into: impl Fn(M) -> T,
    ) -> Patch<T> {
        match (old, new) {
            (None, None) => Patch::Absent,
            (Some(_), None) => Patch::Null,
            (None, Some(new)) => Patch::Value(into(new.clone())),
            (Some(old), Some(new)) => Patch::diff_into(old, new, into),
        }
    }
}

impl<T> Patch<T> {
    /// The patch for a required nested object: `diff(old, new)` (the nested patch), absent when
    /// `is_empty` says nothing in it changed.
    pub fn diff_nested<M>(
        old: &M,
        new: &M,
        diff: impl FnOnce(&M, &M) -> T,
        is_empty: impl FnOnce(&T) -> bool,
    ) -> Patch<T> {
        let nested = diff(old, new);
        if is_empty(&nested) {
            Patch::Absent
        } else {
            Patch::Value(nested)
        }
    }

    /// [`Patch::diff_nested`] for an optional nested object: [`Patch::Null`] when `new` is
    /// `None`, and `from_model(new)` (every field set) when `old` is `None`.
    pub fn diff_option_nested<M: Clone>(
        old: &Option<M>,
        new: &Option<M>,
        from_model: impl FnOnce(M) -> T,
        diff: impl FnOnce(&M, &M) -> T,
        is_empty: impl FnOnce(&T) -> bool,
    ) -> Patch<T> {
        match (old, new) {
            (None, None) => Patch::Absent,
            (Some(_), None) => Patch::Null,
            (None, Some(new)) => Patch::Value(from_model(new.clone())),
            (Some(old), Some(new)) => Patch::diff_nested(old, new, diff, is_empty),
        }
    }
}

/// The per-key patch of a map of additional properties (a flattened
/// `BTreeMap<String, Option<T>>` in a patch body): a key that is new or whose
/// value changed maps to `Some(into(value))`, a key that disappeared to `None`
/// (sent as `null`: clear it), and unchanged keys are left out.
pub fn diff_map<M: Clone + PartialEq, T>(
    old: &BTreeMap<String, M>,
    new: &BTreeMap<String, M>,
    into: impl Fn(M) -> T,
) -> BTreeMap<String, Option<T>> {
    let mut patch = BTreeMap::new();
    for (key, value) in new {
        if old.get(key) != Some(value) {
            patch.insert(key.clone(), Some(into(value.clone())));
        }
    }
    for key in old.keys() {
        if !new.contains_key(key) {
            patch.insert(key.clone(), None);
        }
    }
    patch
}

impl<T> From<T> for Patch<T> {
    /// `v` → `Patch::Value(v)`.
    fn from(value: T) -> Self {
        Patch::Value(value)
    }
}

impl<T> From<Option<T>> for Patch<T> {
    /// `None` → [`Patch::Null`] (clear the field), `Some(v)` →
    /// `Patch::Value(v)`.
    fn from(value: Option<T>) -> Self {
        match value {
            None => Patch::Null,
            Some(v) => Patch::Value(v),
        }
    }
}

impl<T> From<Patch<T>> for Option<Option<T>> {
    /// Same as [`Patch::into_option`].
    fn from(value: Patch<T>) -> Self {
        value.into_option()
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    /// `Value(v)` serializes as `v`, `Null` as `null`.
    ///
    /// `Absent` also serializes as `null`: a serializer cannot omit a field by
    /// itself, so every `Patch` field must carry
    /// `#[serde(default, skip_serializing_if = "Patch::is_absent")]`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Value(v) => serializer.serialize_some(v),
            Patch::Null | Patch::Absent => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    /// Deserializes through `Option<T>`: `null` → `Null`, a value → `Value`.
    ///
    /// A missing field never reaches this impl; `#[serde(default)]` turns it
    /// into `Absent`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Patch::from)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::Patch;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Body {
        #[serde(default, skip_serializing_if = "Patch::is_absent")]
        a: Patch<u32>,
        #[serde(default, skip_serializing_if = "Patch::is_absent")]
        b: Patch<u32>,
        #[serde(default, skip_serializing_if = "Patch::is_absent")]
        c: Patch<u32>,
    }

    #[test]
    fn serializes_absent_null_and_value() {
        let body = Body {
            a: Patch::Absent,
            b: Patch::Null,
            c: Patch::Value(1),
        };
        assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"b":null,"c":1}"#);
    }

    #[test]
    fn deserializes_keeping_absent_and_null_apart() {
        let body: Body = serde_json::from_str(r#"{"b":null,"c":1}"#).unwrap();
        assert_eq!(
            body,
            Body {
                a: Patch::Absent,
                b: Patch::Null,
                c: Patch::Value(1),
            }
        );
        // And back again, byte for byte.
        assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"b":null,"c":1}"#);
    }

    #[test]
    fn nested_and_structured_values_round_trip() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Outer {
            #[serde(default, skip_serializing_if = "Patch::is_absent")]
            tags: Patch<Vec<String>>,
        }
        let json = r#"{"tags":["x","y"]}"#;
        let outer: Outer = serde_json::from_str(json).unwrap();
        assert_eq!(outer.tags, Patch::Value(vec!["x".into(), "y".into()]));
        assert_eq!(serde_json::to_string(&outer).unwrap(), json);
        let empty: Outer = serde_json::from_str("{}").unwrap();
        assert!(empty.tags.is_absent());
        assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
    }

    #[test]
    fn bare_serialization_of_each_state() {
        assert_eq!(serde_json::to_string(&Patch::Value(5)).unwrap(), "5");
        assert_eq!(serde_json::to_string(&Patch::<u8>::Null).unwrap(), "null");
        assert_eq!(serde_json::to_string(&Patch::<u8>::Absent).unwrap(), "null");
    }

    #[test]
    fn predicates_and_accessors() {
        let absent: Patch<i32> = Patch::default();
        assert!(absent.is_absent() && !absent.is_null() && !absent.is_value());
        let null: Patch<i32> = Patch::Null;
        assert!(!null.is_absent() && null.is_null() && !null.is_value());
        let value = Patch::Value(7);
        assert!(!value.is_absent() && !value.is_null() && value.is_value());

        assert_eq!(absent.as_value(), None);
        assert_eq!(null.as_value(), None);
        assert_eq!(value.as_value(), Some(&7));

        assert_eq!(value.as_ref(), Patch::Value(&7));
        assert_eq!(value.clone().map(|v| v * 2), Patch::Value(14));
        assert_eq!(null.clone().map(|v| v * 2), Patch::Null);
        assert_eq!(absent.clone().map(|v| v * 2), Patch::Absent);

        let mut m = Patch::Value(1);
        if let Patch::Value(v) = m.as_mut() {
            *v += 1;
        }
        assert_eq!(m, Patch::Value(2));

        assert_eq!(absent.into_option(), None);
        assert_eq!(null.into_option(), Some(None));
        assert_eq!(value.into_option(), Some(Some(7)));
    }

    #[test]
    fn conversions() {
        assert_eq!(Patch::from(3), Patch::Value(3));
        assert_eq!(Patch::from(Some(3)), Patch::Value(3));
        assert_eq!(Patch::<i32>::from(None::<i32>), Patch::Null);
        let p: Patch<String> = "x".to_string().into();
        assert_eq!(p, Patch::Value("x".to_string()));
        let o: Option<Option<i32>> = Patch::Null.into();
        assert_eq!(o, Some(None));
    }

    #[test]
    fn diff_of_required_fields() {
        assert_eq!(Patch::diff(&1, &1), Patch::Absent);
        assert_eq!(Patch::diff(&1, &2), Patch::Value(2));
        assert_eq!(
            Patch::diff(&"a".to_string(), &"b".to_string()),
            Patch::Value("b".to_string())
        );
    }

    #[test]
    fn diff_compares_what_is_sent() {
        // The sent form keeps only the first character: "ab" → "ax" changes nothing sent.
        let first = |s: String| s.chars().next();
        assert_eq!(
            Patch::diff_into(&"ab".to_string(), &"ax".to_string(), first),
            Patch::Absent
        );
        assert_eq!(
            Patch::diff_into(&"ab".to_string(), &"xb".to_string(), first),
            Patch::Value(Some('x'))
        );
        let some = |s: &str| Some(s.to_string());
        assert_eq!(Patch::diff_option_into(&None, &None, first), Patch::Absent);
        assert_eq!(
            Patch::diff_option_into(&some("a"), &None, first),
            Patch::Null
        );
        assert_eq!(
            Patch::diff_option_into(&None, &some("a"), first),
            Patch::Value(Some('a'))
        );
        assert_eq!(
            Patch::diff_option_into(&some("ab"), &some("ac"), first),
            Patch::Absent
        );
    }

    #[test]
    fn nested_diffs_are_absent_when_nothing_changed() {
        // A "patch" of a pair: the positions that changed.
        let diff = |old: &(u8, u8), new: &(u8, u8)| {
            let mut changed = Vec::new();
            if old.0 != new.0 {
                changed.push(0);
            }
            if old.1 != new.1 {
                changed.push(1);
            }
            changed
        };
        let empty = |changed: &Vec<u8>| changed.is_empty();
        let all = |_: (u8, u8)| vec![0, 1];
        assert_eq!(
            Patch::diff_nested(&(1, 2), &(1, 2), diff, empty),
            Patch::Absent
        );
        assert_eq!(
            Patch::diff_nested(&(1, 2), &(1, 3), diff, empty),
            Patch::Value(vec![1])
        );
        let cases = [
            (None, None, Patch::Absent),
            (Some((1, 2)), None, Patch::Null),
            (None, Some((1, 2)), Patch::Value(vec![0, 1])),
            (Some((1, 2)), Some((1, 2)), Patch::Absent),
            (Some((1, 2)), Some((5, 2)), Patch::Value(vec![0])),
        ];
        for (old, new, expected) in cases {
            assert_eq!(
                Patch::diff_option_nested(&old, &new, all, diff, empty),
                expected,
                "{old:?} → {new:?}"
            );
        }
    }

    #[test]
    fn map_diffs_set_changed_keys_and_clear_removed_ones() {
        let map = |entries: &[(&str, u8)]| -> BTreeMap<String, u8> {
            entries.iter().map(|(k, v)| (k.to_string(), *v)).collect()
        };
        let old = map(&[("kept", 1), ("changed", 2), ("removed", 3)]);
        let new = map(&[("kept", 1), ("changed", 5), ("added", 4)]);
        let patch = super::diff_map(&old, &new, u16::from);
        let expected: BTreeMap<String, Option<u16>> = [
            ("added".to_string(), Some(4)),
            ("changed".to_string(), Some(5)),
            ("removed".to_string(), None),
        ]
        .into_iter()
        .collect();
        assert_eq!(patch, expected);
        assert!(super::diff_map(&old, &old, u16::from).is_empty());
    }

    #[test]
    fn diff_of_nullable_fields() {
        assert_eq!(Patch::diff_option(&None::<i32>, &None), Patch::Absent);
        assert_eq!(Patch::diff_option(&Some(1), &Some(1)), Patch::Absent);
        assert_eq!(Patch::diff_option(&Some(1), &None), Patch::Null);
        assert_eq!(Patch::diff_option(&None, &Some(2)), Patch::Value(2));
        assert_eq!(Patch::diff_option(&Some(1), &Some(2)), Patch::Value(2));
    }
}
