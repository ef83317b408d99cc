//! Where in a JSON document a value failed to decode: [`JsonPath`], and the tracking decoder
//! that finds it.
//!
//! Decoding runs at full speed with `serde_json` alone. Only when that fails is the body decoded
//! a second time through [`locate`], whose deserializer wraps `serde_json`'s at every level: it
//! keeps the path to the value being read, and when a value fails it records that path and what
//! the type being read expected there (the `expecting` text of its visitor: `an RFC 3339
//! formatted date and time string`, `i64`, `struct Conversation`). So the common case pays
//! nothing, and a failure says where and what in one read.
//!
//! `serde_path_to_error` keeps the path but not what was expected, and a wrapper cannot add that
//! from outside it, hence this module.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, Visitor};

/// A place in a JSON document: `conversations[3].createdAt`, `included.users[0]`,
/// `meta["odd key"]`. The empty path is the document itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct JsonPath(Vec<PathSegment>);

/// One step of a [`JsonPath`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PathSegment {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
}

impl JsonPath {
    /// The document itself.
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }

    /// Whether this is the document itself.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The steps from the document to the value.
    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }

    /// This path and then `key`.
    pub fn key(&self, key: impl Into<String>) -> Self {
        let mut path = self.clone();
        path.0.push(PathSegment::Key(key.into()));
        path
    }

    /// This path and then `index`.
    pub fn index(&self, index: usize) -> Self {
        let mut path = self.clone();
        path.0.push(PathSegment::Index(index));
        path
    }

    /// The value at this path in `value`, if it is there.
    pub fn find<'a>(&self, value: &'a serde_json::Value) -> Option<&'a serde_json::Value> {
        self.0
            .iter()
            .try_fold(value, |value, segment| match segment {
                PathSegment::Key(key) => value.as_object()?.get(key),
                PathSegment::Index(index) => value.as_array()?.get(*index),
            })
    }
}

impl fmt::Display for JsonPath {
    /// Keys that are identifiers after a `.` (none before the first), other keys as JSON
    /// strings in brackets, indices in brackets: `conversations[3].createdAt`,
    /// `included["odd key"]`. The root is written as `$`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("$");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Key(key) if is_identifier(key) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(key)?;
                }
                PathSegment::Key(key) => {
                    let quoted = serde_json::to_string(key).map_err(|_| fmt::Error)?;
                    write!(f, "[{quoted}]")?;
                }
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '-')
}

/// Where and why a value did not decode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Located {
    /// The failing value's place.
    pub path: JsonPath,
    /// What the type reading it expected (its visitor's `expecting` text).
    pub expected: Option<String>,
    /// The failing value as JSON, shortened; `None` when the body is not JSON.
    pub value: Option<String>,
}

/// How many characters of a failing value an error shows.
const VALUE_CHARS: usize = 80;

/// Decodes `body` as `T` once more, tracking the path, and says where it fails (`None` if it
/// decodes: then the failure was not in the value).
pub(crate) fn locate<T: DeserializeOwned>(body: &[u8]) -> Option<Located> {
    let state = State::default();
    let mut json = serde_json::Deserializer::from_slice(body);
    let outcome = T::deserialize(Tracked {
        de: &mut json,
        state: &state,
    })
    .and_then(|_| json.end());
    if outcome.is_ok() {
        return None;
    }
    let failure = state.failure.into_inner().unwrap_or_default();
    let value = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|document| failure.path.find(&document).map(shorten_value));
    Some(Located {
        path: failure.path,
        expected: failure.expected,
        value,
    })
}

/// `value` as compact JSON, cut to [`VALUE_CHARS`] characters with `…`.
pub(crate) fn shorten_value(value: &serde_json::Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(VALUE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[derive(Default)]
struct State {
    /// The keys and indices down to the value being read.
    path: RefCell<Vec<PathSegment>>,
    /// The last map key read (a key is read through the same wrappers as any value).
    key: RefCell<Option<String>>,
    /// The first (innermost) failure.
    failure: RefCell<Option<Failure>>,
}

#[derive(Default)]
struct Failure {
    path: JsonPath,
    expected: Option<String>,
}

impl State {
    fn record<T, E>(&self, result: Result<T, E>, expected: String) -> Result<T, E> {
        if result.is_err() {
            let mut failure = self.failure.borrow_mut();
            if failure.is_none() {
                *failure = Some(Failure {
                    path: JsonPath(self.path.borrow().clone()),
                    expected: Some(expected),
                });
            }
        }
        result
    }

    fn within<T>(&self, segment: PathSegment, read: impl FnOnce() -> T) -> T {
        self.path.borrow_mut().push(segment);
        let out = read();
        self.path.borrow_mut().pop();
        out
    }
}

/// A visitor's `expecting` text.
fn expecting<'de, V: Visitor<'de>>(visitor: &V) -> String {
    struct Expecting<'a, V>(&'a V);
    impl<'de, V: Visitor<'de>> fmt::Display for Expecting<'_, V> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.expecting(f)
        }
    }
    Expecting(visitor).to_string()
}

/// The deserializer of one value, wrapped.
struct Tracked<'s, D> {
    de: D,
    state: &'s State,
}

/// A visitor, wrapped so that what it reads inside is wrapped too.
struct TrackedVisitor<'s, V> {
    visitor: V,
    state: &'s State,
}

macro_rules! forward_deserialize {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            let expected = expecting(&visitor);
            let state = self.state;
            let result = self.de.$method($($arg,)* TrackedVisitor { visitor, state });
            state.record(result, expected)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Tracked<'_, D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
        deserialize_ignored_any();
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

macro_rules! forward_scalar {
    ($($method:ident($ty:ty) $key:expr;)*) => {$(
        fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
            if let Some(key) = $key(&value) {
                *self.state.key.borrow_mut() = Some(key);
            }
            self.visitor.$method(value)
        }
    )*};
}

fn no_key<T>(_: &T) -> Option<String> {
    None
}

fn text_key(value: &&str) -> Option<String> {
    Some((*value).to_owned())
}

fn number_key<T: ToString>(value: &T) -> Option<String> {
    Some(value.to_string())
}

impl<'de, V: Visitor<'de>> Visitor<'de> for TrackedVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    forward_scalar! {
        visit_bool(bool) no_key;
        visit_i8(i8) number_key;
        visit_i16(i16) number_key;
        visit_i32(i32) number_key;
        visit_i64(i64) number_key;
        visit_i128(i128) number_key;
        visit_u8(u8) number_key;
        visit_u16(u16) number_key;
        visit_u32(u32) number_key;
        visit_u64(u64) number_key;
        visit_u128(u128) number_key;
        visit_f32(f32) no_key;
        visit_f64(f64) no_key;
        visit_char(char) number_key;
        visit_str(&str) text_key;
        visit_bytes(&[u8]) no_key;
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<V::Value, E> {
        *self.state.key.borrow_mut() = Some(value.to_owned());
        self.visitor.visit_borrowed_str(value)
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<V::Value, E> {
        *self.state.key.borrow_mut() = Some(value.clone());
        self.visitor.visit_string(value)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, value: &'de [u8]) -> Result<V::Value, E> {
        self.visitor.visit_borrowed_bytes(value)
    }

    fn visit_byte_buf<E: de::Error>(self, value: Vec<u8>) -> Result<V::Value, E> {
        self.visitor.visit_byte_buf(value)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(Tracked {
            de,
            state: self.state,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(Tracked {
            de,
            state: self.state,
        })
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(TrackedSeq {
            seq,
            state: self.state,
            index: 0,
        })
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(TrackedMap {
            map,
            state: self.state,
            key: None,
        })
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_enum(TrackedEnum {
            data,
            state: self.state,
        })
    }
}

/// A seed whose value is read through a [`Tracked`] deserializer.
struct TrackedSeed<'s, S> {
    seed: S,
    state: &'s State,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for TrackedSeed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Tracked {
            de,
            state: self.state,
        })
    }
}

struct TrackedSeq<'s, A> {
    seq: A,
    state: &'s State,
    index: usize,
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for TrackedSeq<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let state = self.state;
        let index = self.index;
        self.index += 1;
        state.within(PathSegment::Index(index), || {
            self.seq.next_element_seed(TrackedSeed { seed, state })
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

struct TrackedMap<'s, A> {
    map: A,
    state: &'s State,
    key: Option<String>,
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for TrackedMap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let state = self.state;
        *state.key.borrow_mut() = None;
        let key = self.map.next_key_seed(TrackedSeed { seed, state });
        self.key = state.key.borrow_mut().take();
        key
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let state = self.state;
        let key = self.key.take().unwrap_or_else(|| "?".to_owned());
        state.within(PathSegment::Key(key), || {
            self.map.next_value_seed(TrackedSeed { seed, state })
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

struct TrackedEnum<'s, A> {
    data: A,
    state: &'s State,
}

impl<'s, 'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for TrackedEnum<'s, A> {
    type Error = A::Error;
    type Variant = TrackedVariant<'s, A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), A::Error> {
        let state = self.state;
        *state.key.borrow_mut() = None;
        let (value, variant) = self.data.variant_seed(TrackedSeed { seed, state })?;
        let name = state.key.borrow_mut().take();
        Ok((
            value,
            TrackedVariant {
                variant,
                name,
                state,
            },
        ))
    }
}

/// The contents of an enum variant, read under the variant's name (`{"Variant": ...}`).
struct TrackedVariant<'s, A> {
    variant: A,
    name: Option<String>,
    state: &'s State,
}

impl<A> TrackedVariant<'_, A> {
    fn inside<T>(self, read: impl FnOnce(A, &State) -> T) -> T {
        let state = self.state;
        match self.name {
            Some(name) => state.within(PathSegment::Key(name), || read(self.variant, state)),
            None => read(self.variant, state),
        }
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for TrackedVariant<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.variant.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.inside(|variant, state| variant.newtype_variant_seed(TrackedSeed { seed, state }))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.inside(|variant, state| {
            let expected = expecting(&visitor);
            let result = variant.tuple_variant(len, TrackedVisitor { visitor, state });
            state.record(result, expected)
        })
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.inside(|variant, state| {
            let expected = expecting(&visitor);
            let result = variant.struct_variant(fields, TrackedVisitor { visitor, state });
            state.record(result, expected)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        conversations: Vec<Conversation>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Conversation {
        id: i64,
        #[serde(rename = "createdAt")]
        created_at: Option<Stamp>,
        #[serde(default)]
        tags: std::collections::BTreeMap<String, u8>,
    }

    /// Stands in for a date-time: a string type with its own `expecting` and a custom error.
    #[derive(Debug)]
    struct Stamp;

    impl<'de> Deserialize<'de> for Stamp {
        fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Stamp;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a date-time with an offset")
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Stamp, E> {
                    if v.ends_with('Z') {
                        Ok(Stamp)
                    } else {
                        Err(E::custom("premature end of input"))
                    }
                }
            }
            de.deserialize_str(V)
        }
    }

    #[test]
    fn paths_read_as_written() {
        let path = JsonPath::root()
            .key("conversations")
            .index(3)
            .key("createdAt");
        assert_eq!(path.to_string(), "conversations[3].createdAt");
        assert_eq!(
            JsonPath::root().key("meta").key("odd key").to_string(),
            r#"meta["odd key"]"#
        );
        assert_eq!(JsonPath::root().to_string(), "$");
        assert_eq!(JsonPath::root().index(0).to_string(), "[0]");
    }

    #[test]
    fn a_custom_error_is_located_with_what_was_expected() {
        let body = br#"{"conversations":[{"id":1,"createdAt":"2024-07-26T20:26:26Z"},{"id":2},{"id":3,"createdAt":null},{"id":4,"createdAt":"2024-07-26T20:26:26"}]}"#;
        assert!(serde_json::from_slice::<Page>(body).is_err());
        let located = locate::<Page>(body).expect("fails");
        assert_eq!(located.path.to_string(), "conversations[3].createdAt");
        assert_eq!(
            located.expected.as_deref(),
            Some("a date-time with an offset")
        );
        assert_eq!(located.value.as_deref(), Some(r#""2024-07-26T20:26:26""#));
    }

    #[test]
    fn invalid_types_missing_fields_and_map_entries() {
        let wrong_type = br#"{"conversations":[{"id":"7"}]}"#;
        let located = locate::<Page>(wrong_type).expect("fails");
        assert_eq!(located.path.to_string(), "conversations[0].id");
        assert_eq!(located.expected.as_deref(), Some("i64"));
        assert_eq!(located.value.as_deref(), Some(r#""7""#));

        let missing = br#"{"conversations":[{"id":1},{"createdAt":null}]}"#;
        let located = locate::<Page>(missing).expect("fails");
        assert_eq!(located.path.to_string(), "conversations[1]");
        assert_eq!(located.expected.as_deref(), Some("struct Conversation"));

        let in_map = br#"{"conversations":[{"id":1,"tags":{"a b":1,"c":300}}]}"#;
        let located = locate::<Page>(in_map).expect("fails");
        assert_eq!(located.path.to_string(), "conversations[0].tags.c");
        assert_eq!(located.expected.as_deref(), Some("u8"));
        assert_eq!(located.value.as_deref(), Some("300"));
    }

    #[test]
    fn a_body_that_is_not_json_is_located_without_a_value() {
        let located = locate::<Page>(b"<html>").expect("fails");
        assert!(located.path.is_root());
        assert_eq!(located.value, None);
        assert!(locate::<Page>(br#"{"conversations":[]}"#).is_none());
        // Trailing garbage fails after the value decoded.
        let located = locate::<Page>(br#"{"conversations":[]} x"#).expect("fails");
        assert!(located.path.is_root());
    }

    #[test]
    fn long_values_are_shortened() {
        let long = serde_json::Value::String("x".repeat(500));
        let text = shorten_value(&long);
        assert_eq!(text.chars().count(), VALUE_CHARS + 1);
        assert!(text.ends_with('…'));
    }
}
