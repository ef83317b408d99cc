//! What a mock server received: [`ReceivedRequest`], and reading its parameters and body back
//! into typed values.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, Method};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Credential;
use crate::client::Collection;

/// One request as the mock server received it.
///
/// `Debug` and the mock's messages show neither credentials (header values are marked
/// sensitive) nor an API key in the query (`***`).
#[derive(Clone)]
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
    /// The API keys the client can send: they count as credentials, and
    /// [`line`](ReceivedRequest::line) does not show the query ones.
    pub(crate) credentials: &'static [Credential],
}

impl fmt::Debug for ReceivedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceivedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.shown_query())
            .field("headers", &self.headers)
            .field("body", &self.body)
            .field("operation", &self.operation)
            .field("path_params", &self.path_params)
            .finish()
    }
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
    from_tree(Value::Array(strings.collect()))
}

/// Arrays (nested or not) of texts as a `T`: the texts as strings first, then each text that
/// is JSON (numbers, booleans) as its value.
fn from_tree<T: DeserializeOwned>(tree: Value) -> Result<T, serde_json::Error> {
    fn parsed(value: Value) -> Value {
        match value {
            Value::Array(items) => Value::Array(items.into_iter().map(parsed).collect()),
            Value::String(text) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
            other => other,
        }
    }
    serde_json::from_value(tree.clone())
        .or_else(|as_strings| serde_json::from_value(parsed(tree)).map_err(|_| as_strings))
}

/// `text` split at `delimiters[0]`, each part at the next delimiter, and so on (an empty text
/// is no items); the text itself when there are no delimiters left.
fn split_levels(text: &str, delimiters: &[&str]) -> Value {
    match delimiters.split_first() {
        None => Value::String(text.to_owned()),
        Some(_) if text.is_empty() => Value::Array(Vec::new()),
        Some((delimiter, inner)) => Value::Array(
            text.split(delimiter)
                .map(|part| split_levels(part, inner))
                .collect(),
        ),
    }
}

/// `values` (every value under one name) read back as `collection` wrote them.
fn collection_values<C: DeserializeOwned>(
    values: &[&str],
    collection: Collection,
    what: impl Fn() -> String,
) -> Result<Option<C>, ReceivedError> {
    let tree = match values {
        [] => return Ok(None),
        values if collection.is_exploded() => Value::Array(
            values
                .iter()
                .map(|value| split_levels(value, collection.delimiters()))
                .collect(),
        ),
        [value, ..] => split_levels(value, collection.delimiters()),
    };
    from_tree(tree)
        .map(Some)
        .map_err(|e| ReceivedError::new(what(), e))
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

    /// Every value of the header `name` that is text, in order.
    fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect()
    }

    /// The header `name` as text.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Whether the request carried credentials (an `Authorization` header, or one of the API
    /// keys the description names).
    pub fn is_authenticated(&self) -> bool {
        self.headers.contains_key(http::header::AUTHORIZATION)
            || self.credentials.iter().any(|credential| match credential {
                Credential::Header(name) => self.headers.contains_key(*name),
                Credential::Query(key) => self.query_value(key).is_some(),
            })
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

    /// The array query parameter `key` as a collection `C`, read as `collection` wrote it
    /// (Swagger 2.0's `collectionFormat`s, nested arrays included; `None` when absent).
    pub fn query_collection<C: DeserializeOwned>(
        &self,
        key: &str,
        collection: Collection,
    ) -> Result<Option<C>, ReceivedError> {
        collection_values(&self.query_values(key), collection, || {
            format!("query parameter `{key}`")
        })
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
        list(&self.header_values(name), explode, || {
            format!("header `{name}`")
        })
    }

    /// The array header `name` as a collection `C`, read as `collection` wrote it (`None`
    /// when absent).
    pub fn header_collection<C: DeserializeOwned>(
        &self,
        name: &str,
        collection: Collection,
    ) -> Result<Option<C>, ReceivedError> {
        collection_values(&self.header_values(name), collection, || {
            format!("header `{name}`")
        })
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

    /// `METHOD /path?query` for messages; an API key in the query shows as `***`.
    pub(crate) fn line(&self) -> String {
        if self.query.is_empty() {
            format!("{} {}", self.method, self.path)
        } else {
            let query: Vec<String> = self
                .shown_query()
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            format!("{} {}?{}", self.method, self.path, query.join("&"))
        }
    }

    /// The query pairs, an API key's value as `***`.
    fn shown_query(&self) -> Vec<(&str, &str)> {
        let secret = |key: &str| {
            self.credentials
                .iter()
                .any(|c| matches!(c, Credential::Query(q) if *q == key))
        };
        self.query
            .iter()
            .map(|(k, v)| (k.as_str(), if secret(k) { "***" } else { v.as_str() }))
            .collect()
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
        credentials: &[],
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
    fn collections_read_back_as_they_were_written() {
        let r = request(
            &[
                ("pipes", "1|2|3"),
                ("ssv", "a b"),
                ("multi", "x"),
                ("multi", "y"),
                ("nested", "1,2|3"),
                ("nested", "4"),
                ("empty", ""),
            ],
            "",
        );
        let pipes = Collection::joined(&["|"]);
        assert_eq!(
            r.query_collection::<Vec<i32>>("pipes", pipes).unwrap(),
            Some(vec![1, 2, 3])
        );
        assert_eq!(
            r.query_collection::<Vec<String>>("ssv", Collection::joined(&[" "]))
                .unwrap(),
            Some(vec!["a".to_owned(), "b".to_owned()])
        );
        assert_eq!(
            r.query_collection::<Vec<String>>("multi", Collection::exploded(&[]))
                .unwrap(),
            Some(vec!["x".to_owned(), "y".to_owned()])
        );
        // `multi` of `pipes` of `csv`, as `Collection::texts` writes it.
        assert_eq!(
            r.query_collection::<Vec<Vec<Vec<i64>>>>("nested", Collection::exploded(&["|", ","]))
                .unwrap(),
            Some(vec![vec![vec![1, 2], vec![3]], vec![vec![4]]])
        );
        assert_eq!(
            r.query_collection::<Vec<i32>>("empty", pipes).unwrap(),
            Some(vec![])
        );
        assert_eq!(
            r.query_collection::<Vec<i32>>("absent", pipes).unwrap(),
            None
        );
        let err = r.query_collection::<Vec<bool>>("pipes", pipes).unwrap_err();
        assert_eq!(err.what, "query parameter `pipes`");
    }

    #[test]
    fn api_keys_count_as_credentials_and_are_not_shown() {
        let mut r = request(&[("api_key", "hunter2"), ("page", "2")], "");
        assert!(!r.is_authenticated());
        r.credentials = &[Credential::Query("api_key")];
        assert!(r.is_authenticated());
        assert_eq!(r.line(), "GET /things/7.json?api_key=***&page=2");
        assert!(!format!("{r:?}").contains("hunter2"));
        let mut r = request(&[], "");
        r.credentials = &[Credential::Header("X-API-Key")];
        assert!(!r.is_authenticated());
        r.headers.insert("x-api-key", "hunter2".parse().unwrap());
        assert!(r.is_authenticated());
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
