//! The first difference between an expected JSON value and a received one, at a [`JsonPath`]
//! (the paths decode errors use).

use serde_json::Value;

use crate::client::JsonPath;

/// Where `got` first differs from `expected` and how (`None` when they are equal). Object keys
/// are compared in the expected value's order, then the received value's extra keys; a key
/// that is absent differs from one that is `null` (for a patch: "leave unchanged" is not
/// "clear").
pub(crate) fn first_difference(expected: &Value, got: &Value) -> Option<String> {
    difference(&JsonPath::root(), expected, got)
}

fn difference(path: &JsonPath, expected: &Value, got: &Value) -> Option<String> {
    let at = |path: &JsonPath| {
        if path.is_root() {
            String::new()
        } else {
            format!(" at {path}")
        }
    };
    match (expected, got) {
        (Value::Object(want), Value::Object(have)) => {
            for (key, want_value) in want {
                let inner = path.key(key.clone());
                match have.get(key) {
                    Some(have_value) => {
                        if let Some(found) = difference(&inner, want_value, have_value) {
                            return Some(found);
                        }
                    }
                    None => {
                        return Some(format!(
                            "body{}: expected {}, got nothing (the key is absent)",
                            at(&inner),
                            describe(want_value)
                        ))
                    }
                }
            }
            have.iter()
                .find(|(key, _)| !want.contains_key(*key))
                .map(|(key, value)| {
                    format!(
                        "body{}: expected nothing (the key absent), got {}",
                        at(&path.key(key.clone())),
                        describe(value)
                    )
                })
        }
        (Value::Array(want), Value::Array(have)) => {
            for (index, (want_item, have_item)) in want.iter().zip(have).enumerate() {
                if let Some(found) = difference(&path.index(index), want_item, have_item) {
                    return Some(found);
                }
            }
            (want.len() != have.len()).then(|| {
                format!(
                    "body{}: expected {} items, got {}",
                    at(path),
                    want.len(),
                    have.len()
                )
            })
        }
        (Value::Number(want), Value::Number(have)) if want.as_f64() == have.as_f64() => None,
        _ if expected == got => None,
        _ => Some(format!(
            "body{}: expected {}, got {}",
            at(path),
            describe(expected),
            describe(got)
        )),
    }
}

/// A value as a message shows it: `null (cleared)` for null, else shortened JSON.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null (cleared)".to_owned(),
        other => crate::client::shorten_json(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_cleared_and_absent_fields_differ() {
        let expected = json!({"conversation": {"state": "deleted", "socket_id": null}});
        assert_eq!(first_difference(&expected, &expected.clone()), None);
        assert_eq!(
            first_difference(
                &expected,
                &json!({"conversation": {"state": "active", "socket_id": null}})
            )
            .as_deref(),
            Some(r#"body at conversation.state: expected "deleted", got "active""#)
        );
        assert_eq!(
            first_difference(&expected, &json!({"conversation": {"state": "deleted"}}))
                .as_deref(),
            Some("body at conversation.socket_id: expected null (cleared), got nothing (the key is absent)")
        );
        assert_eq!(
            first_difference(
                &expected,
                &json!({"conversation": {"state": "deleted", "socket_id": null, "token": "t"}})
            )
            .as_deref(),
            Some(r#"body at conversation.token: expected nothing (the key absent), got "t""#)
        );
    }

    #[test]
    fn arrays_numbers_and_roots() {
        assert_eq!(
            first_difference(&json!({"ids": [1, 2]}), &json!({"ids": [1, 3]})).as_deref(),
            Some("body at ids[1]: expected 2, got 3")
        );
        assert_eq!(
            first_difference(&json!([1]), &json!([1, 2])).as_deref(),
            Some("body: expected 1 items, got 2")
        );
        assert_eq!(first_difference(&json!(1.0), &json!(1)), None);
        assert_eq!(
            first_difference(&json!({"a": 1}), &json!("x")).as_deref(),
            Some(r#"body: expected {"a":1}, got "x""#)
        );
    }
}
