//! Comparing an instance with what the generated type encoded it back to.
//!
//! The normalisation, applied to both sides before comparing:
//!
//! - an object member whose value is `null` is the same as no member (an optional property
//!   that is `null` may come back absent, and an absent one as `null`);
//! - numbers are compared by value (`1` and `1.0` are equal; integers exactly, others as
//!   `f64`);
//! - strings that are RFC 3339 date-times are compared as instants (`…T10:00:00Z` and
//!   `…T12:00:00+02:00` are equal; `Z` may come back as `+00:00`, and trailing zeros of a
//!   fraction may go);
//! - everything else must be equal: same keys, arrays in the same order, same strings.

use serde_json::Value;

/// Where `sent` and `received` first differ after normalisation, as
/// `at /pointer: sent X, got back Y`, or `None` when they agree.
pub fn difference(sent: &Value, received: &Value) -> Option<String> {
    let mut path = String::new();
    diff(sent, received, &mut path)
}

fn diff(sent: &Value, received: &Value, path: &mut String) -> Option<String> {
    match (sent, received) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a.iter().filter(|(_, v)| !v.is_null()) {
                let length = path.len();
                path.push('/');
                path.push_str(&key.replace('~', "~0").replace('/', "~1"));
                let found = match b.get(key) {
                    Some(other) if !other.is_null() => diff(value, other, path),
                    _ => Some(format!(
                        "at {path}: sent {}, got back nothing",
                        short(value)
                    )),
                };
                if found.is_some() {
                    return found;
                }
                path.truncate(length);
            }
            b.iter()
                .find(|(key, value)| !value.is_null() && a.get(*key).is_none_or(Value::is_null))
                .map(|(key, value)| {
                    format!("at {path}/{key}: sent nothing, got back {}", short(value))
                })
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!(
                    "at {}: sent {} items, got back {}",
                    shown(path),
                    a.len(),
                    b.len()
                ));
            }
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                let length = path.len();
                path.push('/');
                path.push_str(&index.to_string());
                if let Some(found) = diff(x, y, path) {
                    return Some(found);
                }
                path.truncate(length);
            }
            None
        }
        (Value::Number(a), Value::Number(b)) => {
            let same = match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
                (Some(x), Some(y), ..) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => a.as_f64() == b.as_f64(),
            };
            (!same).then(|| mismatch(path, sent, received))
        }
        (Value::String(a), Value::String(b)) if a != b => match (instant(a), instant(b)) {
            (Some(x), Some(y)) if x == y => None,
            _ => Some(mismatch(path, sent, received)),
        },
        _ if sent == received => None,
        _ => Some(mismatch(path, sent, received)),
    }
}

fn shown(path: &str) -> &str {
    if path.is_empty() {
        "the top"
    } else {
        path
    }
}

fn mismatch(path: &str, sent: &Value, received: &Value) -> String {
    format!(
        "at {}: sent {}, got back {}",
        shown(path),
        short(sent),
        short(received)
    )
}

/// `value` as JSON, cut to 200 characters.
pub fn short(value: &Value) -> String {
    truncate(&value.to_string(), 200)
}

/// `text` cut to `max` characters, with `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The instant of an RFC 3339 date-time, in nanoseconds since the epoch.
fn instant(text: &str) -> Option<i128> {
    let parsed = chrono::DateTime::parse_from_rfc3339(text).ok()?;
    Some(
        i128::from(parsed.timestamp()) * 1_000_000_000
            + i128::from(parsed.timestamp_subsec_nanos()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn normalises_nulls_numbers_and_instants() {
        assert_eq!(
            difference(&json!({"a": null, "b": 1}), &json!({"b": 1.0, "c": null})),
            None
        );
        assert_eq!(
            difference(
                &json!({"t": "2024-01-02T10:00:00Z"}),
                &json!({"t": "2024-01-02T12:00:00.000+02:00"})
            ),
            None
        );
        assert_eq!(
            difference(&json!([1, {"x": "y"}]), &json!([1, {"x": "y"}])),
            None
        );
    }

    #[test]
    fn names_the_first_difference() {
        assert_eq!(
            difference(&json!({"a": {"b": [1, 2]}}), &json!({"a": {"b": [1, 3]}})).as_deref(),
            Some("at /a/b/1: sent 2, got back 3")
        );
        assert_eq!(
            difference(&json!({"a": true}), &json!({})).as_deref(),
            Some("at /a: sent true, got back nothing")
        );
        assert_eq!(
            difference(&json!({}), &json!({"z": 0})).as_deref(),
            Some("at /z: sent nothing, got back 0")
        );
        assert_eq!(
            difference(&json!([]), &json!({})).as_deref(),
            Some("at the top: sent [], got back {}")
        );
        assert_eq!(
            difference(
                &json!("2024-01-02T10:00:00Z"),
                &json!("2024-01-02T10:00:01Z")
            )
            .as_deref(),
            Some("at the top: sent \"2024-01-02T10:00:00Z\", got back \"2024-01-02T10:00:01Z\"")
        );
        assert!(difference(&json!(9007199254740993_i64), &json!(9007199254740992_i64)).is_some());
    }
}
