//! What a mock server received: [`ReceivedRequest`], and reading its parameters and body back
//! into typed values.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, Method};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// One request as the mock server received it.
#[derive(Clone, Debug)]
pub struct ReceivedRequest {
    /// The method.
    pub method: Method,
    /// The path as sent (percent-encoded), without the query.
    pub path: String,
    /// The query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// The client method of the operation the method and path select (`list_conversations`),
    /// if any.
    pub operation: Option<&'static str>,
    /// The path parameters under that operation's template, decoded.
    pub path_params: Vec<(String, String)>,
}

/// A received value that could not be read as the type asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedError {
    /// What was read: `query parameter `page``, `the body`.
    pub what: String,
    /// Why it could not be read.
    pub reason: String,
}

impl fmt::Display for ReceivedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not read {}: {}", self.what, self.reason)
    }
}

impl std::error::Error for ReceivedError {}

impl ReceivedError {
    fn new(what: impl Into<String>, reason: impl fmt::Display) -> Self {
        ReceivedError {
            what: what.into(),
            reason: reason.to_string(),
        }
    }
}

/// `text` as a `T`: as a JSON string first (strings, enums, dates), then as JSON text (numbers,
/// booleans), the two ways a parameter's text is written (see
/// [`param_text`](crate::client::param_text)).
fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_value(Value::String(text.to_owned()))
        .or_else(|as_string| serde_json::from_str(text).map_err(|_| as_string))
}

/// Items as a collection `C` of some item type: strings first, then JSON text.
fn from_texts<C: DeserializeOwned>(items: &[&str]) -> Result<C, serde_json::Error> {
    let strings = items.iter().map(|item| Value::String((*item).to_owned()));
    serde_json::from_value(Value::Array(strings.collect())).or_else(|as_strings| {
        let values: Result<Vec<Value>, _> = items
            .iter()
            .map(|item| {
                serde_json::from_str(item).or_else(|_| Ok(Value::String((*item).to_owned())))
            })
            .collect::<Result<_, serde_json::Error>>();
        values
            .and_then(|values| serde_json::from_value(Value::Array(values)))
            .map_err(|_| as_strings)
    })
}

impl ReceivedRequest {
    /// The first value of the query parameter `key`.
    pub fn query_value(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of the query parameter `key`, in order.
    pub fn query_values(&self, key: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The header `name` as text.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Whether the request carried credentials (an `Authorization` header).
    pub fn is_authenticated(&self) -> bool {
        self.headers.contains_key(http::header::AUTHORIZATION)
    }

    /// The path parameter `name` as a `T`.
    pub fn path_param<T: DeserializeOwned>(&self, name: &str) -> Result<T, ReceivedError> {
        let what = || format!("path parameter `{name}`");
        let (_, text) = self
            .path_params
            .iter()
            .find(|(n, _)| n == name)
            .ok_or_else(|| {
                ReceivedError::new(what(), "the operation's path has no such parameter")
            })?;
        from_text(text).map_err(|e| ReceivedError::new(what(), e))
    }

    /// The query parameter `key` as a `T` (`None` when absent).
    pub fn query<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, ReceivedError> {
        self.query_value(key)
            .map(|text| {
                from_text(text)
                    .map_err(|e| ReceivedError::new(format!("query parameter `{key}`"), e))
            })
            .transpose()
    }

    /// The array query parameter `key` as a collection `C` (`Vec<T>`, `BTreeSet<T>`): one
    /// `key=item` per item when `explode`, else `key=a,b,c` (`None` when absent).
    pub fn query_list<C: DeserializeOwned>(
        &self,
        key: &str,
        explode: bool,
    ) -> Result<Option<C>, ReceivedError> {
        let values = self.query_values(key);
        list(&values, explode, || format!("query parameter `{key}`"))
    }

    /// The query parameter `key`, written as JSON text, as a `T` (`None` when absent).
    pub fn query_json<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, ReceivedError> {
        self.query_value(key)
            .map(|text| {
                serde_json::from_str(text)
                    .map_err(|e| ReceivedError::new(format!("query parameter `{key}`"), e))
            })
            .transpose()
    }

    /// The header `name` as a `T` (`None` when absent).
    pub fn header<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, ReceivedError> {
        self.header_value(name)
            .map(|text| {
                from_text(text).map_err(|e| ReceivedError::new(format!("header `{name}`"), e))
            })
            .transpose()
    }

    /// The array header `name` as a collection `C` (`a,b,c`, or one header per item when
    /// `explode`; `None` when absent).
    pub fn header_list<C: DeserializeOwned>(
        &self,
        name: &str,
        explode: bool,
    ) -> Result<Option<C>, ReceivedError> {
        let values: Vec<&str> = self
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        list(&values, explode, || format!("header `{name}`"))
    }

    /// The header `name`, written as JSON text, as a `T` (`None` when absent).
    pub fn header_json<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, ReceivedError> {
        self.header_value(name)
            .map(|text| {
                serde_json::from_str(text)
                    .map_err(|e| ReceivedError::new(format!("header `{name}`"), e))
            })
            .transpose()
    }

    /// `value`, or an error saying the required parameter `name` is missing.
    pub fn require<T>(&self, value: Option<T>, name: &str) -> Result<T, ReceivedError> {
        value.ok_or_else(|| {
            ReceivedError::new(format!("parameter `{name}`"), "it is required but absent")
        })
    }

    /// The body, decoded from JSON as a `T`; the error names the failing value's path.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ReceivedError> {
        crate::client::decode_body::<T, ()>(http::StatusCode::OK, &self.body).map_err(|error| {
            let reason = match &error {
                crate::client::Error::Decode {
                    path,
                    expected: Some(expected),
                    value: Some(value),
                    ..
                } if !path.is_root() => format!("at {path}: expected {expected}, got {value}"),
                crate::client::Error::Decode { source, .. } => source.to_string(),
                other => other.to_string(),
            };
            ReceivedError::new("the body", reason)
        })
    }

    /// `METHOD /path?query` for messages.
    pub(crate) fn line(&self) -> String {
        if self.query.is_empty() {
            format!("{} {}", self.method, self.path)
        } else {
            let query: Vec<String> = self.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{} {}?{}", self.method, self.path, query.join("&"))
        }
    }
}

fn list<C: DeserializeOwned>(
    values: &[&str],
    explode: bool,
    what: impl Fn() -> String,
) -> Result<Option<C>, ReceivedError> {
    if values.is_empty() {
        return Ok(None);
    }
    let items: Vec<&str> = if explode {
        values.to_vec()
    } else {
        values[0].split(',').collect()
    };
    from_texts(&items)
        .map(Some)
        .map_err(|e| ReceivedError::new(what(), e))
}

/// `GET /things/7.json` (operation `get`, `id` 7) with `query` and `body`, for unit tests.
#[cfg(test)]
pub(crate) fn test_request(query: &[(&str, &str)], body: &str) -> ReceivedRequest {
    ReceivedRequest {
        method: Method::GET,
        path: "/things/7.json".into(),
        query: query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        headers: HeaderMap::new(),
        body: Bytes::from(body.to_owned()),
        operation: Some("get"),
        path_params: vec![("id".into(), "7".into())],
    }
}

#[cfg(test)]
mod tests {
    use super::test_request as request;
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn parameters_read_back_as_their_types() {
        let r = request(
            &[
                ("page", "2"),
                ("name", "007"),
                ("ids", "1,2"),
                ("tag", "b"),
                ("tag", "a"),
                ("filter", r#"{"state":"active"}"#),
            ],
            "",
        );
        assert_eq!(r.query::<i32>("page").unwrap(), Some(2));
        assert_eq!(r.query::<String>("name").unwrap().as_deref(), Some("007"));
        assert_eq!(r.query::<i32>("absent").unwrap(), None);
        assert_eq!(
            r.query_list::<Vec<i64>>("ids", false).unwrap(),
            Some(vec![1, 2])
        );
        assert_eq!(
            r.query_list::<BTreeSet<String>>("tag", true).unwrap(),
            Some(["a".to_owned(), "b".to_owned()].into())
        );
        assert_eq!(
            r.query_json::<Value>("filter").unwrap(),
            Some(serde_json::json!({"state": "active"}))
        );
        assert_eq!(r.path_param::<i64>("id").unwrap(), 7);
        let err = r.query::<bool>("page").unwrap_err();
        assert_eq!(err.what, "query parameter `page`");
        assert!(r.require(None::<i32>, "x").is_err());
    }

    #[test]
    fn bodies_read_back_with_the_failing_path() {
        let r = request(&[], r#"{"a":{"b":"x"}}"#);
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct A {
            a: B,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct B {
            b: u8,
        }
        let err = r.json::<A>().unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"could not read the body: at a.b: expected u8, got "x""#
        );
        assert_eq!(r.line(), "GET /things/7.json");
    }
}
