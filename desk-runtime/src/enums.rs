//! Open enums: string and integer enums that keep values the description does not list.
//!
//! A generated enum has one variant per listed value plus a catch-all holding anything else as
//! sent, so a value the server adds later decodes, and re-encodes unchanged. The machinery every
//! such enum needs (text and serde conversions) lives here once; the generated code is the enum's
//! definition followed by one invocation of [`string_enum!`](crate::string_enum) or
//! [`int_enum!`](crate::int_enum) that lists the wire value of each variant:
//!
//! ```
//! #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
//! pub enum State {
//!     Active,
//!     Closed,
//!     /// A value this description does not list.
//!     Other(String),
//! }
//! desk_runtime::string_enum!(State, Other { Active = "active", Closed = "closed" });
//!
//! assert_eq!(State::from("active"), State::Active);
//! assert_eq!(State::from("snoozed"), State::Other("snoozed".into()));
//! assert_eq!(serde_json::to_string(&State::Other("snoozed".into())).unwrap(), r#""snoozed""#);
//! assert_eq!(serde_json::from_str::<State>(r#""closed""#).unwrap(), State::Closed);
//! assert_eq!(State::Closed.to_string(), "closed");
//! assert_eq!(State::KNOWN, &[State::Active, State::Closed]);
//! ```
//!
//! The macros write only what needs the variant list (two `match`es) and one-line trait impls
//! that call the traits' provided methods, so the generated file stays short and the logic is
//! tested here, once.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serializer};

/// A string enum with a catch-all variant (see the [module documentation](self)).
///
/// Implemented by [`string_enum!`](crate::string_enum); the provided methods are what its trait
/// impls call.
pub trait StringEnum: Sized {
    /// The listed variant whose wire value is `value`, if any.
    fn known(value: &str) -> Option<Self>;
    /// The catch-all variant holding `value`.
    fn other(value: String) -> Self;
    /// The value on the wire.
    fn wire(&self) -> &str;

    /// The variant for `value`: a listed one, or the catch-all holding a copy of it.
    fn from_wire(value: &str) -> Self {
        Self::known(value).unwrap_or_else(|| Self::other(value.to_owned()))
    }

    /// The variant for `value`, reusing its allocation for the catch-all.
    fn from_wire_owned(value: String) -> Self {
        Self::known(&value).unwrap_or_else(|| Self::other(value))
    }

    /// Serialises the value as a JSON string.
    fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.wire())
    }

    /// Deserialises from any string, without copying a listed value.
    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(StringEnumVisitor(PhantomData))
    }
}

struct StringEnumVisitor<T>(PhantomData<T>);

impl<T: StringEnum> Visitor<'_> for StringEnumVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from_wire(value))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<T, E> {
        Ok(T::from_wire_owned(value))
    }
}

/// An integer enum with a catch-all variant (see the [module documentation](self)).
///
/// Implemented by [`int_enum!`](crate::int_enum).
pub trait IntEnum: Sized {
    /// The listed variant whose wire value is `value`, if any.
    fn known(value: i64) -> Option<Self>;
    /// The catch-all variant holding `value`.
    fn other(value: i64) -> Self;
    /// The value on the wire.
    fn wire(&self) -> i64;

    /// The variant for `value`: a listed one, or the catch-all holding it.
    fn from_wire(value: i64) -> Self {
        Self::known(value).unwrap_or_else(|| Self::other(value))
    }

    /// Serialises the value as a JSON integer.
    fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.wire())
    }

    /// Deserialises from any integer that fits an `i64`.
    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        i64::deserialize(deserializer).map(Self::from_wire)
    }
}

/// Implements an open string enum's conversions: `KNOWN` and `as_str`, `From<&str>`,
/// `From<String>`, `FromStr`, `Display`, `Serialize`, `Deserialize` and [`StringEnum`].
///
/// `string_enum!(Name, Catchall { Variant = "wire value", ... })`: `Name` is an enum with the
/// listed unit variants and a `Catchall(String)` variant, defined beside the invocation.
#[macro_export]
macro_rules! string_enum {
    ($name:ident, $other:ident { $($variant:ident = $value:literal),* $(,)? }) => {
        impl $name {
            /// Every value the description lists.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant),*];

            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::$other(value) => value,
                }
            }
        }
        impl $crate::StringEnum for $name {
            fn known(value: &str) -> ::core::option::Option<Self> {
                match value {
                    $($value => ::core::option::Option::Some(Self::$variant),)*
                    _ => ::core::option::Option::None,
                }
            }
            fn other(value: ::std::string::String) -> Self {
                Self::$other(value)
            }
            fn wire(&self) -> &str {
                self.as_str()
            }
        }
        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                <Self as $crate::StringEnum>::from_wire(value)
            }
        }
        impl ::core::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                <Self as $crate::StringEnum>::from_wire_owned(value)
            }
        }
        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(<Self as $crate::StringEnum>::from_wire(value))
            }
        }
        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                <Self as $crate::StringEnum>::serialize_wire(self, serializer)
            }
        }
        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                <Self as $crate::StringEnum>::deserialize_wire(deserializer)
            }
        }
    };
}

/// Orders an open enum by its wire value, so that adding a value to the description changes no
/// comparison: a value that used to decode into the catch-all compares as its listed variant
/// does. A listed variant comes before the catch-all holding the same value (only code builds
/// such a value: decoding never does), which keeps the order consistent with `Eq`.
///
/// `wire_order!(string Name, Catchall)` after [`string_enum!`](crate::string_enum),
/// `wire_order!(int Name, Catchall)` after [`int_enum!`](crate::int_enum), for an enum that does
/// not derive `PartialOrd` and `Ord` (whose derived order is the declaration order, which a new
/// value changes).
///
/// ```
/// #[derive(Debug, Clone, PartialEq, Eq, Hash)]
/// pub enum State {
///     Closed,
///     Active,
///     Other(String),
/// }
/// desk_runtime::string_enum!(State, Other { Closed = "closed", Active = "active" });
/// desk_runtime::wire_order!(string State, Other);
///
/// assert!(State::Active < State::Closed);
/// assert!(State::Active < State::Other("archived".into()));
/// assert!(State::Other("archived".into()) < State::Closed);
/// assert!(State::Active < State::Other("active".into()));
/// ```
#[macro_export]
macro_rules! wire_order {
    (string $name:ident, $other:ident) => {
        $crate::wire_order!(@impl $name, $other, <$name as $crate::StringEnum>::wire);
    };
    (int $name:ident, $other:ident) => {
        $crate::wire_order!(@impl $name, $other, <$name as $crate::IntEnum>::wire);
    };
    (@impl $name:ident, $other:ident, $wire:expr) => {
        impl ::core::cmp::Ord for $name {
            fn cmp(&self, other: &Self) -> ::core::cmp::Ordering {
                let caught = |value: &Self| ::core::matches!(value, Self::$other(_));
                $wire(self)
                    .cmp(&$wire(other))
                    .then_with(|| caught(self).cmp(&caught(other)))
            }
        }
        impl ::core::cmp::PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> ::core::option::Option<::core::cmp::Ordering> {
                ::core::option::Option::Some(::core::cmp::Ord::cmp(self, other))
            }
        }
    };
}

/// Implements an open integer enum's conversions: `value`, `From<i64>`, `Display`,
/// `Serialize`, `Deserialize` and [`IntEnum`].
///
/// `int_enum!(Name, Catchall { Variant = 1, ... })`: `Name` is a `Copy` enum with the listed unit
/// variants and a `Catchall(i64)` variant, defined beside the invocation.
#[macro_export]
macro_rules! int_enum {
    ($name:ident, $other:ident { $($variant:ident = $value:literal),* $(,)? }) => {
        impl $name {
            /// The value on the wire.
            pub fn value(self) -> i64 {
                match self {
                    $(Self::$variant => $value,)*
                    Self::$other(value) => value,
                }
            }
        }
        impl $crate::IntEnum for $name {
            fn known(value: i64) -> ::core::option::Option<Self> {
                match value {
                    $($value => ::core::option::Option::Some(Self::$variant),)*
                    _ => ::core::option::Option::None,
                }
            }
            fn other(value: i64) -> Self {
                Self::$other(value)
            }
            fn wire(&self) -> i64 {
                self.value()
            }
        }
        impl ::core::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                <Self as $crate::IntEnum>::from_wire(value)
            }
        }
        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.value(), f)
            }
        }
        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                <Self as $crate::IntEnum>::serialize_wire(self, serializer)
            }
        }
        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                <Self as $crate::IntEnum>::deserialize_wire(deserializer)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    enum Mode {
        Fast,
        Slow,
        Other(String),
    }
    crate::string_enum!(Mode, Other { Fast = "fast", Slow = "slow" });

    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Empty {
        Catchall(String),
    }
    crate::string_enum!(Empty, Catchall {});

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    enum Level {
        Low,
        MinusOne,
        Other(i64),
    }
    crate::int_enum!(Level, Other { Low = 1, MinusOne = -1 });

    /// `Level` ordered by wire value, as a stable API's enums are.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    enum Rank {
        High,
        Low,
        Other(i64),
    }
    crate::int_enum!(Rank, Other { High = 9, Low = 1 });
    crate::wire_order!(int Rank, Other);

    #[test]
    fn wire_order_is_the_order_of_the_values() {
        let mut ranks = vec![
            Rank::High,
            Rank::Other(5),
            Rank::Low,
            Rank::Other(1),
            Rank::Other(-3),
        ];
        ranks.sort();
        assert_eq!(
            ranks,
            [
                Rank::Other(-3),
                Rank::Low,
                Rank::Other(1),
                Rank::Other(5),
                Rank::High
            ]
        );
        // `9` in the catch-all (a description that did not list it yet) compares as `High`.
        for other in [Rank::Low, Rank::Other(5), Rank::Other(12)] {
            assert_eq!(Rank::Other(9).cmp(&other), Rank::High.cmp(&other));
        }
    }

    #[test]
    fn listed_and_unlisted_strings_round_trip() {
        for (json, value) in [
            (r#""fast""#, Mode::Fast),
            (r#""slow""#, Mode::Slow),
            (r#""warp""#, Mode::Other("warp".into())),
            (r#""""#, Mode::Other(String::new())),
            (r#""caf\u00e9""#, Mode::Other("café".into())),
        ] {
            let decoded: Mode = serde_json::from_str(json).unwrap();
            assert_eq!(decoded, value);
            let again = serde_json::to_string(&decoded).unwrap();
            assert_eq!(serde_json::from_str::<Mode>(&again).unwrap(), value);
        }
        // Borrowed and owned strings both decode (a reader gives owned strings).
        let owned: Mode = serde_json::from_reader(&b"\"warp\""[..]).unwrap();
        assert_eq!(owned, Mode::Other("warp".into()));
        assert!(serde_json::from_str::<Mode>("1").is_err());
    }

    #[test]
    fn string_conversions() {
        assert_eq!(Mode::from("fast"), Mode::Fast);
        assert_eq!(Mode::from(String::from("x")), Mode::Other("x".into()));
        assert_eq!("slow".parse::<Mode>(), Ok(Mode::Slow));
        assert_eq!(Mode::Other("x".into()).as_str(), "x");
        assert_eq!(Mode::Fast.to_string(), "fast");
        assert_eq!(Mode::KNOWN, &[Mode::Fast, Mode::Slow]);
        assert_eq!(Empty::KNOWN, &[] as &[Empty]);
        assert_eq!(Empty::from("a"), Empty::Catchall("a".into()));
        // As map keys too (serde_json maps keys through the same str impls).
        let map: BTreeMap<Mode, u8> = serde_json::from_str(r#"{"fast":1,"new":2}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&map).unwrap(),
            r#"{"fast":1,"new":2}"#
        );
    }

    #[test]
    fn listed_and_unlisted_integers_round_trip() {
        for (json, value) in [
            ("1", Level::Low),
            ("-1", Level::MinusOne),
            ("7", Level::Other(7)),
        ] {
            let decoded: Level = serde_json::from_str(json).unwrap();
            assert_eq!(decoded, value);
            assert_eq!(serde_json::to_string(&decoded).unwrap(), json);
        }
        assert_eq!(Level::from(1), Level::Low);
        assert_eq!(Level::Other(9).value(), 9);
        assert_eq!(Level::MinusOne.to_string(), "-1");
        assert!(serde_json::from_str::<Level>(r#""1""#).is_err());
    }
}
