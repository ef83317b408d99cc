//! [`When`]: what a request must carry for a mock to answer it.

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::diff::first_difference;
use super::received::ReceivedRequest;
use super::Operation;
use crate::client::{encode_form, encode_form_with, param_text, Collection};

/// What a request must carry for a mock of one operation to answer it: its path, query and
/// header parameters, its body and its credentials. The generated *when* types wrap one and
/// take each parameter as its Rust type.
///
/// Values are encoded as the client encodes them (the same text for scalars, lists and JSON
/// parameters, the same JSON for bodies), so a mock matches exactly the requests the client
/// sends for those values. A parameter given as `None` must be absent; parameters not
/// mentioned may be anything.
///
/// # Panics
///
/// The methods panic when a value cannot be encoded (a map with non-string keys as a JSON
/// parameter): the client could not send it either.
pub struct When {
    operation: &'static Operation,
    expectations: Vec<Expectation>,
}

impl fmt::Debug for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("When")
            .field("operation", &self.operation.id)
            .field("expectations", &self.expectations.len())
            .finish()
    }
}

type RequestPredicate = Arc<dyn Fn(&ReceivedRequest) -> bool + Send + Sync>;
type BodyPredicate = Arc<dyn Fn(&ReceivedRequest) -> Result<bool, String> + Send + Sync>;

#[derive(Clone)]
enum Expectation {
    Path {
        name: String,
        value: String,
    },
    Query {
        key: String,
        value: Expected,
    },
    Header {
        name: String,
        value: Expected,
    },
    JsonBody(Value),
    FormBody(Vec<(String, String)>),
    TextBody(String),
    BytesBody(bytes::Bytes),
    BodyMatching(BodyPredicate),
    Auth(bool),
    Authorization(String),
    Matching {
        description: String,
        predicate: RequestPredicate,
    },
}

/// One parameter's expected value(s).
#[derive(Clone, Debug, PartialEq)]
enum Expected {
    Absent,
    Text(String),
    Texts(Vec<String>),
    Json(Value),
}

fn encoded<T>(what: &str, result: Result<T, serde_json::Error>) -> T {
    result.unwrap_or_else(|error| panic!("the mock's {what} cannot be encoded: {error}"))
}

fn scalar<T: Serialize + ?Sized>(what: &str, value: Option<&T>) -> Expected {
    match value {
        None => Expected::Absent,
        Some(value) => Expected::Text(encoded(what, param_text(value))),
    }
}

fn list<T: Serialize + ?Sized>(what: &str, values: Option<&T>, explode: bool) -> Expected {
    let Some(values) = values else {
        return Expected::Absent;
    };
    let items = match encoded(what, serde_json::to_value(values)) {
        Value::Array(items) => items,
        other => vec![other],
    };
    let texts: Vec<String> = items
        .iter()
        .map(|item| encoded(what, param_text(item)))
        .collect();
    // As the client writes it: exploded, one entry per item (none for no items); else one
    // comma-separated entry.
    match (explode, texts.is_empty()) {
        (true, true) => Expected::Absent,
        (true, false) => Expected::Texts(texts),
        (false, _) => Expected::Text(texts.join(",")),
    }
}

/// As the client writes `values` with `collection`: one joined text, or one per item when
/// exploded (none for no items).
fn collection<T: Serialize + ?Sized>(
    what: &str,
    values: Option<&T>,
    collection: Collection,
) -> Expected {
    let Some(values) = values else {
        return Expected::Absent;
    };
    let mut texts = encoded(what, collection.texts(values));
    match (collection.is_exploded(), texts.len()) {
        (_, 0) => Expected::Absent,
        (true, _) => Expected::Texts(texts),
        (false, _) => Expected::Text(texts.swap_remove(0)),
    }
}

fn json<T: Serialize + ?Sized>(what: &str, value: Option<&T>) -> Expected {
    match value {
        None => Expected::Absent,
        Some(value) => Expected::Json(encoded(what, serde_json::to_value(value))),
    }
}

impl When {
    pub(crate) fn new(operation: &'static Operation) -> Self {
        When {
            operation,
            expectations: Vec::new(),
        }
    }

    pub(crate) fn operation(&self) -> &'static Operation {
        self.operation
    }

    fn push(&mut self, expectation: Expectation) -> &mut Self {
        self.expectations.push(expectation);
        self
    }

    /// The path parameter `name` is `value`.
    pub fn path<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        let what = format!("path parameter `{name}`");
        let value = encoded(&what, param_text(value));
        self.push(Expectation::Path {
            name: name.to_owned(),
            value,
        })
    }

    /// The array path parameter `name` holds `values`, joined as `collection` says (Swagger
    /// 2.0's `collectionFormat`; see [`Collection`]).
    pub fn path_collection<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        values: &T,
        collection: Collection,
    ) -> &mut Self {
        let what = format!("path parameter `{name}`");
        let value = encoded(&what, serde_json::to_value(values));
        let items = encoded(&what, collection.items(&value));
        self.push(Expectation::Path {
            name: name.to_owned(),
            value: items.join(collection.delimiter().unwrap_or(",")),
        })
    }

    /// The query parameter `key` is `value` (absent for `None`).
    pub fn query<T: Serialize + ?Sized>(&mut self, key: &str, value: Option<&T>) -> &mut Self {
        let value = scalar(&format!("query parameter `{key}`"), value);
        self.push(Expectation::Query {
            key: key.to_owned(),
            value,
        })
    }

    /// The array query parameter `key` holds `values` (absent for `None`), one entry per item
    /// when `explode`, else comma-separated.
    pub fn query_list<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        values: Option<&T>,
        explode: bool,
    ) -> &mut Self {
        let value = list(&format!("query parameter `{key}`"), values, explode);
        self.push(Expectation::Query {
            key: key.to_owned(),
            value,
        })
    }

    /// The array query parameter `key` holds `values` (absent for `None`), written as
    /// `collection` says (`key=a|b`, `key=a b`, or one `key=item` per item).
    pub fn query_collection<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        values: Option<&T>,
        collection: Collection,
    ) -> &mut Self {
        let value = self::collection(&format!("query parameter `{key}`"), values, collection);
        self.push(Expectation::Query {
            key: key.to_owned(),
            value,
        })
    }

    /// The query parameter `key` is `value` written as JSON (compared as JSON: key order and
    /// spacing do not matter; absent for `None`).
    pub fn query_json<T: Serialize + ?Sized>(&mut self, key: &str, value: Option<&T>) -> &mut Self {
        let value = json(&format!("query parameter `{key}`"), value);
        self.push(Expectation::Query {
            key: key.to_owned(),
            value,
        })
    }

    /// The header `name` is `value` (absent for `None`).
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &str, value: Option<&T>) -> &mut Self {
        let value = scalar(&format!("header `{name}`"), value);
        self.push(Expectation::Header {
            name: name.to_owned(),
            value,
        })
    }

    /// The array header `name` holds `values` (absent for `None`).
    pub fn header_list<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        values: Option<&T>,
        explode: bool,
    ) -> &mut Self {
        let value = list(&format!("header `{name}`"), values, explode);
        self.push(Expectation::Header {
            name: name.to_owned(),
            value,
        })
    }

    /// The array header `name` holds `values` (absent for `None`), written as `collection`
    /// says (one header per item when exploded).
    pub fn header_collection<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        values: Option<&T>,
        collection: Collection,
    ) -> &mut Self {
        let value = self::collection(&format!("header `{name}`"), values, collection);
        self.push(Expectation::Header {
            name: name.to_owned(),
            value,
        })
    }

    /// The header `name` is `value` written as JSON (absent for `None`).
    pub fn header_json<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: Option<&T>,
    ) -> &mut Self {
        let value = json(&format!("header `{name}`"), value);
        self.push(Expectation::Header {
            name: name.to_owned(),
            value,
        })
    }

    /// The body is `body` as JSON, exactly: the same keys (an absent key differs from a
    /// `null` one, so a patch matches the fields it sets, the ones it clears, and no other)
    /// and the same values.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, body: &T) -> &mut Self {
        let value = encoded("body", serde_json::to_value(body));
        self.push(Expectation::JsonBody(value))
    }

    /// The body decodes from JSON as a `T` for which `predicate` holds.
    pub fn json_body_matching<T: DeserializeOwned>(
        &mut self,
        predicate: impl Fn(&T) -> bool + Send + Sync + 'static,
    ) -> &mut Self {
        let check = move |request: &ReceivedRequest| {
            request
                .json::<T>()
                .map(|body| predicate(&body))
                .map_err(|error| error.to_string())
        };
        self.push(Expectation::BodyMatching(Arc::new(check)))
    }

    /// The body is `body` as an `application/x-www-form-urlencoded` form, the same pairs in
    /// the same order.
    pub fn form_body<T: Serialize + ?Sized>(&mut self, body: &T) -> &mut Self {
        let text = encoded("body", encode_form(body));
        self.push(Expectation::FormBody(form_pairs(text.as_bytes())))
    }

    /// The body is `body` as an `application/x-www-form-urlencoded` form whose listed array
    /// fields are written as their [`Collection`] says (as the client sends a Swagger 2.0
    /// form with `collectionFormat`s), the same pairs in the same order.
    pub fn form_body_with<T: Serialize + ?Sized>(
        &mut self,
        body: &T,
        collections: &[(&str, Collection)],
    ) -> &mut Self {
        let text = encoded("body", encode_form_with(body, collections));
        self.push(Expectation::FormBody(form_pairs(text.as_bytes())))
    }

    /// The body is this text.
    pub fn text_body(&mut self, text: impl Into<String>) -> &mut Self {
        self.push(Expectation::TextBody(text.into()))
    }

    /// The body is these bytes.
    pub fn bytes_body(&mut self, body: impl Into<bytes::Bytes>) -> &mut Self {
        self.push(Expectation::BytesBody(body.into()))
    }

    /// Neither a query parameter nor a header `name` is sent.
    pub fn absent(&mut self, name: &str) -> &mut Self {
        self.push(Expectation::Query {
            key: name.to_owned(),
            value: Expected::Absent,
        });
        self.push(Expectation::Header {
            name: name.to_owned(),
            value: Expected::Absent,
        })
    }

    /// The request carries credentials (an `Authorization` header, or one of the API keys the
    /// description names).
    pub fn with_auth(&mut self) -> &mut Self {
        self.push(Expectation::Auth(true))
    }

    /// The request carries no credentials.
    pub fn without_auth(&mut self) -> &mut Self {
        self.push(Expectation::Auth(false))
    }

    /// The `Authorization` header is exactly `value`.
    pub fn authorization(&mut self, value: &str) -> &mut Self {
        self.push(Expectation::Authorization(value.to_owned()))
    }

    /// `predicate` holds for the request; `description` names it in mismatch messages.
    pub fn matching(
        &mut self,
        description: &str,
        predicate: impl Fn(&ReceivedRequest) -> bool + Send + Sync + 'static,
    ) -> &mut Self {
        self.push(Expectation::Matching {
            description: description.to_owned(),
            predicate: Arc::new(predicate),
        })
    }

    /// Whether `request` (routed to this mock's operation) is what this mock expects.
    pub(crate) fn matches(&self, request: &ReceivedRequest) -> bool {
        self.expectations
            .iter()
            .all(|expectation| expectation.difference(request).is_none())
    }

    /// Every way `request` (routed to this mock's operation) differs from what this mock
    /// expects, each as one line of a mismatch message.
    pub(crate) fn differences(&self, request: &ReceivedRequest) -> Vec<String> {
        self.expectations
            .iter()
            .filter_map(|expectation| expectation.difference(request))
            .collect()
    }
}

fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| text.to_owned())
}

/// How `got` (every value under one name) differs from `expected`, if it does.
fn compare(what: &str, expected: &Expected, got: &[&str]) -> Option<String> {
    let shown = |values: &[&str]| match values {
        [] => "nothing".to_owned(),
        [one] => quoted(one),
        many => format!(
            "[{}]",
            many.iter()
                .map(|v| quoted(v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let same = match expected {
        Expected::Absent => got.is_empty(),
        Expected::Text(text) => got.first() == Some(&text.as_str()),
        Expected::Texts(texts) => got.iter().copied().eq(texts.iter().map(String::as_str)),
        Expected::Json(value) => got
            .first()
            .and_then(|text| serde_json::from_str::<Value>(text).ok())
            .is_some_and(|got| first_difference(value, &got).is_none()),
    };
    if same {
        return None;
    }
    let wanted = match expected {
        Expected::Absent => "nothing".to_owned(),
        Expected::Text(text) => quoted(text),
        Expected::Texts(texts) => shown(&texts.iter().map(String::as_str).collect::<Vec<_>>()),
        Expected::Json(value) => crate::client::shorten_json(value),
    };
    Some(format!("{what}: expected {wanted}, got {}", shown(got)))
}

impl Expectation {
    fn difference(&self, request: &ReceivedRequest) -> Option<String> {
        match self {
            Expectation::Path { name, value } => {
                let got = request
                    .path_params
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.as_str());
                (got != Some(value.as_str())).then(|| {
                    format!(
                        "path parameter `{name}`: expected {}, got {}",
                        quoted(value),
                        got.map_or_else(|| "nothing".to_owned(), quoted)
                    )
                })
            }
            Expectation::Query { key, value } => compare(
                &format!("query parameter `{key}`"),
                value,
                &request.query_values(key),
            ),
            Expectation::Header { name, value } => {
                let got: Vec<&str> = request
                    .headers
                    .get_all(name.as_str())
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .collect();
                compare(&format!("header `{name}`"), value, &got)
            }
            Expectation::JsonBody(expected) => match serde_json::from_slice::<Value>(&request.body)
            {
                Ok(got) => first_difference(expected, &got),
                Err(_) if request.body.is_empty() => {
                    Some("body: expected JSON, got no body".to_owned())
                }
                Err(_) => Some(format!(
                    "body: expected JSON, got {}",
                    quoted(&String::from_utf8_lossy(
                        &request.body[..request.body.len().min(120)]
                    ))
                )),
            },
            Expectation::FormBody(expected) => {
                let got = form_pairs(&request.body);
                let index = expected
                    .iter()
                    .zip(&got)
                    .position(|(a, b)| a != b)
                    .unwrap_or(expected.len().min(got.len()));
                (expected != &got).then(|| {
                    let show = |pair: Option<&(String, String)>| {
                        pair.map_or_else(
                            || "nothing".to_owned(),
                            |(k, v)| quoted(&format!("{k}={v}")),
                        )
                    };
                    format!(
                        "body field {}: expected {}, got {}",
                        index + 1,
                        show(expected.get(index)),
                        show(got.get(index))
                    )
                })
            }
            Expectation::TextBody(text) => {
                let got = String::from_utf8_lossy(&request.body);
                (got != text.as_str())
                    .then(|| format!("body: expected {}, got {}", quoted(text), quoted(&got)))
            }
            Expectation::BytesBody(bytes) => (request.body != *bytes).then(|| {
                format!(
                    "body: expected {} bytes, got {} different ones",
                    bytes.len(),
                    request.body.len()
                )
            }),
            Expectation::BodyMatching(check) => {
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(request))) {
                    Ok(Ok(true)) => None,
                    Ok(Ok(false)) => Some("body: the body predicate does not hold".to_owned()),
                    Ok(Err(error)) => Some(format!("body: {error}")),
                    Err(_) => Some("body: the body predicate panicked".to_owned()),
                }
            }
            Expectation::Auth(expected) => {
                let got = request.is_authenticated();
                let keys = !request.credentials.is_empty();
                let header = request.headers.contains_key(http::header::AUTHORIZATION);
                (got != *expected).then(|| match (expected, keys, header) {
                    (true, false, _) => {
                        "credentials: expected an Authorization header, got none".to_owned()
                    }
                    (true, true, _) => {
                        "credentials: expected an Authorization header or API key, got none"
                            .to_owned()
                    }
                    (false, _, true) => {
                        "credentials: expected none, got an Authorization header".to_owned()
                    }
                    (false, _, false) => "credentials: expected none, got an API key".to_owned(),
                })
            }
            Expectation::Authorization(value) => {
                let got = request.header_value("authorization");
                // Never show credentials: say whether they differ, not what they are.
                (got != Some(value.as_str())).then(|| match got {
                    None => "credentials: expected an Authorization header, got none".to_owned(),
                    Some(_) => "credentials: the Authorization header differs".to_owned(),
                })
            }
            Expectation::Matching {
                description,
                predicate,
            } => {
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| predicate(request)))
                {
                    Ok(true) => None,
                    Ok(false) => Some(format!("`{description}` does not hold")),
                    Err(_) => Some(format!("`{description}` panicked")),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::received::test_request as request;
    use crate::mock::Documented;

    static OPERATION: Operation = Operation {
        name: "get",
        id: "getThing",
        method: "GET",
        path: "/things/{id}.json",
        authenticated: true,
        responses: &[] as &[Documented],
    };

    #[test]
    fn each_kind_of_expectation_matches_and_mismatches() {
        let r = request(
            &[
                ("page", "2"),
                ("ids", "1,2"),
                ("filter", r#"{"b":2, "a":1}"#),
            ],
            r#"{"x":{"y":null}}"#,
        );
        let mut when = When::new(&OPERATION);
        when.path("id", &7)
            .query("page", Some(&2))
            .query::<i32>("pageSize", None)
            .query_list("ids", Some(&[1, 2]), false)
            .query_json("filter", Some(&serde_json::json!({"a": 1, "b": 2})))
            .json_body(&serde_json::json!({"x": {"y": null}}))
            .without_auth();
        assert_eq!(when.differences(&r), Vec::<String>::new());

        let mut other = When::new(&OPERATION);
        other
            .path("id", &8)
            .query("page", Some(&3))
            .query("pageSize", Some(&10))
            .query_list("ids", Some(&[1]), true)
            .json_body(&serde_json::json!({"x": {}}))
            .with_auth()
            .matching("never", |_| false);
        assert_eq!(
            other.differences(&r),
            [
                r#"path parameter `id`: expected "8", got "7""#,
                r#"query parameter `page`: expected "3", got "2""#,
                r#"query parameter `pageSize`: expected "10", got nothing"#,
                r#"query parameter `ids`: expected "1", got "1,2""#,
                r#"body at x.y: expected nothing (the key absent), got null (cleared)"#,
                "credentials: expected an Authorization header, got none",
                "`never` does not hold",
            ]
        );
    }

    #[test]
    fn collections_match_as_the_client_writes_them() {
        let mut r = request(&[("pipes", "1|2"), ("multi", "a,b"), ("multi", "c")], "");
        r.path_params = vec![("id".into(), "7 8".into())];
        let mut when = When::new(&OPERATION);
        when.path_collection("id", &[7, 8], Collection::joined(&[" "]))
            .query_collection("pipes", Some(&[1, 2]), Collection::joined(&["|"]))
            .query_collection(
                "multi",
                Some(&vec![vec!["a", "b"], vec!["c"]]),
                Collection::exploded(&[","]),
            )
            .query_collection::<[i32]>("absent", None, Collection::joined(&[","]));
        assert_eq!(when.differences(&r), Vec::<String>::new());

        let mut other = When::new(&OPERATION);
        other
            .path_collection("id", &[7], Collection::joined(&[" "]))
            .query_collection("pipes", Some(&[1, 2]), Collection::joined(&[","]))
            .query_collection("multi", Some(&["a,b"]), Collection::exploded(&[]));
        assert_eq!(
            other.differences(&r),
            [
                r#"path parameter `id`: expected "7", got "7 8""#,
                r#"query parameter `pipes`: expected "1,2", got "1|2""#,
                r#"query parameter `multi`: expected "a,b", got ["a,b", "c"]"#,
            ]
        );
    }

    #[test]
    fn api_keys_are_credentials() {
        let mut r = request(&[("api_key", "k")], "");
        r.credentials = &[crate::mock::Credential::Query("api_key")];
        let mut when = When::new(&OPERATION);
        when.with_auth();
        assert!(when.matches(&r));
        let mut when = When::new(&OPERATION);
        when.without_auth();
        assert_eq!(
            when.differences(&r),
            ["credentials: expected none, got an API key"]
        );
        r.query.clear();
        let mut when = When::new(&OPERATION);
        when.with_auth();
        assert_eq!(
            when.differences(&r),
            ["credentials: expected an Authorization header or API key, got none"]
        );
    }

    #[test]
    fn typed_body_predicates_report_decode_failures() {
        #[derive(serde::Deserialize)]
        struct Body {
            n: u8,
        }
        let mut when = When::new(&OPERATION);
        when.json_body_matching(|body: &Body| body.n == 1);
        assert!(when.differences(&request(&[], r#"{"n":1}"#)).is_empty());
        assert_eq!(
            when.differences(&request(&[], r#"{"n":2}"#)),
            ["body: the body predicate does not hold"]
        );
        assert_eq!(
            when.differences(&request(&[], r#"{"n":"x"}"#)),
            [r#"body: could not read the body: at n: expected u8, got "x""#]
        );
    }
}
