//! Support for unions: `Deserialize` for untagged unions whose alternatives have guards (see
//! [`guarded_union!`](crate::guarded_union!)), and the objects of tagged-union variants that
//! hold one property besides the tag ([`variant_property`], [`property_object`]).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Decodes `property` of a tagged union's `object`: what a variant that holds one property
/// besides the tag keeps (`{"type": "bool", "datum": true}` is `Datum::Bool(true)`).
///
/// # Errors
/// The property is missing or does not decode as `T`.
pub fn variant_property<'de, T: Deserialize<'de>>(
    object: &'de Value,
    property: &'static str,
) -> Result<T, serde_json::Error> {
    match object.get(property) {
        Some(value) => T::deserialize(value),
        None => Err(serde::de::Error::missing_field(property)),
    }
}

/// `{}`: the object of a tagged-union variant that holds nothing besides the tag, to which the
/// union then adds its tag.
///
/// # Errors
/// Never; a `Result` like [`property_object`]'s, for the union's `Serialize`.
pub fn empty_object() -> Result<Value, serde_json::Error> {
    Ok(Value::Object(Map::new()))
}

/// `{property: value}`: the object of a tagged-union variant that holds one property besides
/// the tag, to which the union then adds its tag.
///
/// # Errors
/// `value` does not encode as JSON (a map with non-string keys).
pub fn property_object<T: Serialize + ?Sized>(
    property: &str,
    value: &T,
) -> Result<Value, serde_json::Error> {
    let mut object = Map::new();
    object.insert(property.to_owned(), serde_json::to_value(value)?);
    Ok(Value::Object(object))
}

/// `Deserialize` for an untagged union whose alternatives are tried under guards, in the order
/// given: the value is read once as `serde_json::Value`, and an attempt decodes it into its
/// alternative when the value has the attempt's JSON type, its keys (when listed) are all among
/// the given ones, and each listed property, when present as a string, holds one of the given
/// values. The first attempt that decodes wins; none decoding is an error naming the union.
///
/// `guarded_union!(Name { Variant: kind [keys..] "property" = [values..] ...; ... })`, where
/// `kind` is `object`, `array`, `string`, `number`, `boolean` or `any` and the key list is
/// optional. The calling crate depends on `serde_json` (the generated crates do).
#[macro_export]
macro_rules! guarded_union {
    ($name:ident {
        $($variant:ident : $kind:ident $([$($key:literal),* $(,)?])? $($property:literal = [$($value:literal),* $(,)?])*);* $(;)?
    }) => {
        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                let value =
                    <::serde_json::Value as $crate::__serde::Deserialize>::deserialize(deserializer)?;
                $(
                    if $crate::guarded_union!(@kind value $kind)
                        $(&& value.as_object().is_some_and(|object| {
                            object.keys().all(|key| [$($key),*].contains(&key.as_str()))
                        }))?
                        $(&& value
                            .get($property)
                            .and_then(::serde_json::Value::as_str)
                            .is_none_or(|v| [$($value),*].contains(&v)))*
                    {
                        if let ::core::result::Result::Ok(decoded) =
                            ::serde_json::from_value(value.clone())
                        {
                            return ::core::result::Result::Ok(Self::$variant(decoded));
                        }
                    }
                )*
                ::core::result::Result::Err(<D::Error as $crate::__serde::de::Error>::custom(
                    ::core::concat!(
                        "the value matches no alternative of `",
                        ::core::stringify!($name),
                        "`"
                    ),
                ))
            }
        }
    };
    (@kind $value:ident object) => { $value.is_object() };
    (@kind $value:ident array) => { $value.is_array() };
    (@kind $value:ident string) => { $value.is_string() };
    (@kind $value:ident number) => { $value.is_number() };
    (@kind $value:ident boolean) => { $value.is_boolean() };
    (@kind $value:ident any) => { true };
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Range {
        kind: String,
        end: i64,
    }

    #[derive(Debug, PartialEq, Serialize)]
    #[serde(untagged)]
    enum Value {
        Exact(Range),
        Open(serde_json::Map<String, serde_json::Value>),
        Text(String),
    }

    crate::guarded_union!(Value {
        Exact: object ["kind", "end"] "kind" = ["range", "to"];
        Open: object;
        Text: string;
        Exact: object
    });

    fn decode(json: serde_json::Value) -> Result<Value, serde_json::Error> {
        serde_json::from_value(json)
    }

    #[test]
    fn attempts_run_in_order_under_their_guards() {
        let exact = decode(serde_json::json!({"kind": "to", "end": 3})).expect("decodes");
        assert_eq!(
            exact,
            Value::Exact(Range {
                kind: "to".into(),
                end: 3
            })
        );
        // An unknown key fails the first guard: the open alternative keeps it.
        let extra = serde_json::json!({"kind": "to", "end": 3, "step": 1});
        assert!(matches!(decode(extra).expect("decodes"), Value::Open(_)));
        // An unlisted value fails the first guard too.
        let unlisted = serde_json::json!({"kind": "from", "end": 3});
        assert!(matches!(decode(unlisted).expect("decodes"), Value::Open(_)));
        assert_eq!(
            decode("a".into()).expect("decodes"),
            Value::Text("a".into())
        );
        let error = decode(serde_json::json!(1)).expect_err("no alternative is a number");
        assert!(
            error.to_string().contains("no alternative of `Value`"),
            "{error}"
        );
    }

    #[test]
    fn a_variant_property_is_read_and_written_without_the_tag() {
        let object = serde_json::json!({"type": "bool", "datum": true});
        assert!(super::variant_property::<bool>(&object, "datum").unwrap());
        let missing = super::variant_property::<bool>(&object, "count").unwrap_err();
        assert!(
            missing.to_string().contains("missing field `count`"),
            "{missing}"
        );
        assert!(super::variant_property::<i64>(&object, "datum").is_err());
        let written = super::property_object("datum", &true).unwrap();
        assert_eq!(written, serde_json::json!({"datum": true}));
        assert_eq!(super::empty_object().unwrap(), serde_json::json!({}));
    }
}
