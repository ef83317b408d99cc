//! Turning a [`Response`] into a typed value or an [`Error`].

use serde::de::DeserializeOwned;

use super::error::Error;
use super::json_path::{locate, JsonPath, Located};
use super::transport::Response;
use http::StatusCode;

/// The decoding steps of a generated operation's `match` on the status.
impl Response {
    /// The documented success body: the JSON body decoded into `T`
    /// ([`Error::Decode`] when it does not decode).
    pub fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        decode_json(self)
    }

    /// A documented success held by a variant of the operation's response
    /// enum: the JSON body decoded and wrapped by `variant`.
    pub fn json_into<B: DeserializeOwned, T, E>(
        &self,
        variant: impl FnOnce(B) -> T,
    ) -> Result<T, Error<E>> {
        decode_json(self).map(variant)
    }

    /// A documented error: [`Error::Api`] with the JSON body decoded into
    /// `E` (or [`Error::Decode`] when it does not decode).
    pub fn error_json<T, E: DeserializeOwned>(&self) -> Result<T, Error<E>> {
        Err(api_error(self, decode_json(self)?))
    }

    /// A documented error held by a variant of the operation's error enum:
    /// [`Error::Api`] with the JSON body decoded and wrapped by `variant`.
    pub fn error_into<B: DeserializeOwned, T, E>(
        &self,
        variant: impl FnOnce(B) -> E,
    ) -> Result<T, Error<E>> {
        let body = decode_json::<B, E>(self)?;
        Err(api_error(self, variant(body)))
    }

    /// A documented error without a body type: [`Error::Api`] holding `body`.
    pub fn error<T, E>(&self, body: E) -> Result<T, Error<E>> {
        Err(api_error(self, body))
    }

    /// An undocumented status: [`Error::UnexpectedStatus`] (see [`unexpected`]).
    pub fn unexpected<T, E>(self) -> Result<T, Error<E>> {
        Err(unexpected(self))
    }
}

/// How many characters of a body go into error messages.
const EXCERPT_CHARS: usize = 200;

/// Decodes the JSON body of `response` into `T`.
///
/// On failure returns [`Error::Decode`] with the status, an excerpt of the body (see
/// [`body_excerpt`]), and the place of the failing value (`conversations[3].createdAt`), what its
/// type expected there and the value. Decoding runs at `serde_json`'s full speed; only a body that
/// fails is decoded a second time to find the place.
pub fn decode_json<T: DeserializeOwned, E>(response: &Response) -> Result<T, Error<E>> {
    decode_body(response.status, &response.body)
}

/// [`decode_json`] over a status and a body.
pub(crate) fn decode_body<T: DeserializeOwned, E>(
    status: StatusCode,
    body: &[u8],
) -> Result<T, Error<E>> {
    serde_json::from_slice(body).map_err(|source| decode_error(status, body, source, locate::<T>))
}

/// [`Error::Decode`] for `body`, which failed with `source`; `locate` finds the place.
#[cold]
pub(crate) fn decode_error<E>(
    status: StatusCode,
    body: &[u8],
    source: serde_json::Error,
    locate: impl FnOnce(&[u8]) -> Option<Located>,
) -> Error<E> {
    let (path, expected, value) = match locate(body) {
        Some(located) => (located.path, located.expected, located.value),
        None => (JsonPath::root(), None, None),
    };
    Error::Decode {
        status,
        excerpt: excerpt(body),
        path,
        expected,
        value,
        source,
    }
}

/// Builds [`Error::UnexpectedStatus`] from a response whose status the
/// operation does not document, keeping its rate-limit headers and its body
/// as text.
pub fn unexpected<E>(response: Response) -> Error<E> {
    Error::UnexpectedStatus {
        status: response.status,
        rate_limit: response.rate_limit(),
        body_text: response.text_lossy(),
    }
}

/// Builds [`Error::Api`] from a response with a documented error status and
/// its decoded `body`, keeping the status, the rate-limit headers and a short
/// summary of the messages the body carries (see [`Error::Api`]'s `Display`).
pub fn api_error<E>(response: &Response, body: E) -> Error<E> {
    Error::Api {
        status: response.status,
        rate_limit: response.rate_limit(),
        body,
        summary: summarize(&response.body),
    }
}

/// How many messages, and how many characters of each, a summary keeps.
const SUMMARY_ENTRIES: usize = 5;
const SUMMARY_MESSAGE_CHARS: usize = 120;

/// The messages of a JSON error body, shortened: field errors
/// (`{"errors": {"field": ["message", ...]}}`, or a list of messages or of
/// objects with `message`), else a top-level `message`, `error` or `detail`
/// string. At most [`SUMMARY_ENTRIES`] entries, each cut at
/// [`SUMMARY_MESSAGE_CHARS`] characters, then `(and N more)`.
pub(crate) fn summarize(body: &[u8]) -> Option<String> {
    use serde_json::Value;
    let value: Value = serde_json::from_slice(body).ok()?;
    let object = value.as_object()?;
    let text_of = |value: &Value| -> Option<String> {
        match value {
            Value::String(text) => Some(text.clone()),
            Value::Array(items) => {
                let texts: Vec<String> = items
                    .iter()
                    .filter_map(|item| match item {
                        Value::String(text) => Some(text.clone()),
                        Value::Object(o) => {
                            o.get("message").and_then(Value::as_str).map(str::to_owned)
                        }
                        _ => None,
                    })
                    .collect();
                (!texts.is_empty()).then(|| texts.join(", "))
            }
            Value::Object(o) => o.get("message").and_then(Value::as_str).map(str::to_owned),
            _ => None,
        }
    };
    let mut entries: Vec<String> = Vec::new();
    match object.get("errors") {
        Some(Value::Object(fields)) => {
            for (field, messages) in fields {
                if let Some(text) = text_of(messages) {
                    entries.push(format!("{field}: {text}"));
                }
            }
        }
        Some(Value::Array(items)) => {
            for item in items {
                let text = match item {
                    Value::Object(o) => {
                        let message = o.get("message").and_then(Value::as_str);
                        let field = o.get("field").and_then(Value::as_str);
                        match (field, message) {
                            (Some(field), Some(message)) => Some(format!("{field}: {message}")),
                            (None, Some(message)) => Some(message.to_owned()),
                            _ => None,
                        }
                    }
                    other => text_of(other),
                };
                entries.extend(text);
            }
        }
        _ => {}
    }
    if entries.is_empty() {
        entries.extend(
            ["message", "error", "detail"]
                .iter()
                .find_map(|key| object.get(*key).and_then(Value::as_str))
                .map(str::to_owned),
        );
    }
    if entries.is_empty() {
        return None;
    }
    let more = entries.len().saturating_sub(SUMMARY_ENTRIES);
    let mut parts: Vec<String> = entries
        .into_iter()
        .take(SUMMARY_ENTRIES)
        .map(|entry| shorten(&entry, SUMMARY_MESSAGE_CHARS))
        .collect();
    if more > 0 {
        parts.push(format!("(and {more} more)"));
    }
    Some(parts.join("; "))
}

/// `text` cut to `max` characters (on a character boundary, control characters replaced by
/// spaces), with `…` when cut.
fn shorten(text: &str, max: usize) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match clean.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &clean[..cut]),
        None => clean,
    }
}

/// The first ~200 characters of `response`'s body, decoded as lossy UTF-8 and
/// cut on a character boundary; `…` is appended when the body was longer.
pub fn body_excerpt(response: &Response) -> String {
    excerpt(&response.body)
}

pub(crate) fn excerpt(body: &[u8]) -> String {
    // 200 characters take at most 800 bytes of UTF-8; look at a little more
    // so that a character cut at the end of the window lands after the 200th.
    let window = &body[..body.len().min(EXCERPT_CHARS * 4 + 4)];
    let text = String::from_utf8_lossy(window);
    let mut chars = text.char_indices();
    match chars.nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None if window.len() < body.len() => format!("{text}…"),
        None => text.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use http::{HeaderMap, StatusCode};

    fn response(status: u16, body: impl Into<Bytes>) -> Response {
        Response {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }

    #[test]
    fn excerpt_cuts_on_char_boundaries() {
        assert_eq!(excerpt(b"short"), "short");
        assert_eq!(excerpt(b""), "");
        let long = "é".repeat(500);
        let ex = excerpt(long.as_bytes());
        assert_eq!(ex.chars().count(), EXCERPT_CHARS + 1);
        assert!(ex.ends_with('…'));
        let four = "😀".repeat(300);
        let ex = excerpt(four.as_bytes());
        assert_eq!(ex, format!("{}…", "😀".repeat(200)));
        let exact = "a".repeat(EXCERPT_CHARS);
        assert_eq!(excerpt(exact.as_bytes()), exact);
        assert_eq!(excerpt(&[b'a', 0xff, b'b']), "a\u{FFFD}b");
    }

    #[test]
    fn decode_json_ok_and_err() {
        let ok: Vec<u32> = decode_json::<_, ()>(&response(200, "[1,2]")).unwrap();
        assert_eq!(ok, vec![1, 2]);
        let err = decode_json::<Vec<u32>, ()>(&response(201, "<html>oops</html>")).unwrap_err();
        match &err {
            Error::Decode {
                status, excerpt, ..
            } => {
                assert_eq!(*status, StatusCode::CREATED);
                assert_eq!(excerpt, "<html>oops</html>");
            }
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().contains("201"), "{err}");
        assert!(err.to_string().contains("<html>oops</html>"), "{err}");
    }

    #[test]
    fn decode_errors_name_the_place_the_expectation_and_the_value() {
        let body = r#"{"items":[{"n":1},{"n":2},{"n":"three"}]}"#;
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Page {
            items: Vec<Item>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            n: u32,
        }
        let err = decode_json::<Page, ()>(&response(200, body)).unwrap_err();
        let Error::Decode {
            path,
            expected,
            value,
            ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(path.to_string(), "items[2].n");
        assert_eq!(expected.as_deref(), Some("u32"));
        assert_eq!(value.as_deref(), Some(r#""three""#));
        assert_eq!(
            err.to_string(),
            r#"could not decode the response body (status 200 OK) at items[2].n: expected u32, got "three" (invalid type: string "three", expected u32 at line 1 column 38)"#
        );
    }

    #[test]
    fn summaries_of_error_bodies() {
        let validator = br#"{"errors":{"conversation.state":["is not one of active, deleted"],"token":["is required","is too short"]}}"#;
        assert_eq!(
            summarize(validator).as_deref(),
            Some("conversation.state: is not one of active, deleted; token: is required, is too short")
        );
        assert_eq!(
            summarize(br#"{"message":"Not Found"}"#).as_deref(),
            Some("Not Found")
        );
        assert_eq!(
            summarize(br#"{"errors":[{"field":"a","message":"bad"},"worse"]}"#).as_deref(),
            Some("a: bad; worse")
        );
        assert_eq!(summarize(b"<html>"), None);
        assert_eq!(summarize(br#"{"errors":null}"#), None);
        let many: serde_json::Map<String, serde_json::Value> = (0..9)
            .map(|i| (format!("f{i}"), serde_json::json!(["x".repeat(500)])))
            .collect();
        let text = summarize(&serde_json::to_vec(&serde_json::json!({ "errors": many })).unwrap())
            .unwrap();
        assert!(text.ends_with("(and 4 more)"), "{text}");
        assert!(
            text.chars().count() < 5 * (SUMMARY_MESSAGE_CHARS + 3) + 20,
            "{text}"
        );
    }

    #[test]
    fn api_error_keeps_status_rate_limit_body_and_summary() {
        let resp = response(400, r#"{"errors":{"state":["is invalid"]}}"#);
        let err = api_error(&resp, 7u8);
        assert_eq!(
            err.to_string(),
            "API error (status 400 Bad Request): state: is invalid"
        );
        assert_eq!(err.api_body(), Some(&7));
    }

    #[test]
    fn unexpected_keeps_status_rate_limit_and_text() {
        let mut resp = response(418, "short and stout");
        resp.headers.insert(
            "x-rate-limit-remaining",
            http::HeaderValue::from_static("4"),
        );
        let err: Error<()> = unexpected(resp);
        match err {
            Error::UnexpectedStatus {
                status,
                rate_limit,
                body_text,
            } => {
                assert_eq!(status.as_u16(), 418);
                assert_eq!(rate_limit.remaining, Some(4));
                assert_eq!(body_text, "short and stout");
            }
            other => panic!("{other:?}"),
        }
    }
}
