//! Request and response bodies that are not JSON: `multipart/form-data` parts, urlencoded forms,
//! text and binary payloads.
//!
//! The multipart encoder is written here rather than taken from reqwest's `multipart` feature
//! because the [`Transport`](super::Transport) seam carries a complete body (`Bytes`): the same
//! bytes are resent on a retry, any transport can send them, and `client-core` has no HTTP
//! stack to borrow one from.

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use serde::Serialize;
use serde_json::Value;

use super::encode::{param_text, Collection};
use super::error::Error;
use super::transport::Response;

/// A file sent as one part of a `multipart/form-data` body (a `format: binary` property).
///
/// ```
/// use desk_runtime::client::FilePart;
/// let part = FilePart::new(&b"%PDF-1.7"[..])
///     .file_name("report.pdf")
///     .content_type("application/pdf");
/// assert_eq!(part.file_name.as_deref(), Some("report.pdf"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilePart {
    /// The file's content.
    pub bytes: Bytes,
    /// The `filename` of the part's `Content-Disposition`; `None` sends the property name, as
    /// servers often need some file name to treat a part as a file.
    pub file_name: Option<String>,
    /// The part's `Content-Type`; `None` sends the one the description gives for the property
    /// (`encoding.contentType`), else `application/octet-stream`.
    pub content_type: Option<String>,
}

impl FilePart {
    /// A file with this content, no file name and no content type of its own.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name.
    #[must_use]
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the content type.
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> Self {
        FilePart::new(bytes)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(bytes: &'static [u8]) -> Self {
        FilePart::new(bytes)
    }
}

/// One part of a [`Multipart`] body.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Bytes,
}

/// A `multipart/form-data` body under construction (RFC 7578), part by part in the order
/// added. Generated request types add their properties with [`Multipart::text`] and
/// [`Multipart::file`] (through [`ToMultipart`]).
///
/// ```
/// use desk_runtime::client::{FilePart, Multipart};
/// let mut form = Multipart::new();
/// form.text("title", &"Q3", None).unwrap();
/// form.file("report", &FilePart::new(&b"..."[..]).file_name("q3.pdf"), None);
/// let (content_type, body) = form.encode();
/// assert!(content_type.starts_with("multipart/form-data; boundary="));
/// assert!(String::from_utf8_lossy(&body).contains("filename=\"q3.pdf\""));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Multipart {
    parts: Vec<Part>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text part for a property value, as OpenAPI's default encoding says: a string as
    /// it is, a number or boolean in JSON notation (both `text/plain`, which is the default
    /// and so not written), an object or array as JSON (`Content-Type: application/json`).
    /// `null` adds nothing. `content_type` (the description's `encoding.contentType`)
    /// overrides the part's content type.
    pub fn text<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        content_type: Option<&str>,
    ) -> Result<&mut Self, serde_json::Error> {
        let value = serde_json::to_value(value)?;
        let (text, default_type) = match value {
            Value::Null => return Ok(self),
            Value::String(text) => (text, None),
            Value::Object(_) | Value::Array(_) => {
                (serde_json::to_string(&value)?, Some("application/json"))
            }
            scalar => (param_text(&scalar)?, None),
        };
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: None,
            content_type: content_type.or(default_type).map(str::to_owned),
            bytes: Bytes::from(text),
        });
        Ok(self)
    }

    /// Adds one text part per item of an array property (OpenAPI's default for arrays of
    /// primitive values: the items are repeated under the property's name).
    pub fn texts<'a, T: Serialize + 'a>(
        &mut self,
        name: &str,
        values: impl IntoIterator<Item = &'a T>,
        content_type: Option<&str>,
    ) -> Result<&mut Self, serde_json::Error> {
        for value in values {
            self.text(name, value, content_type)?;
        }
        Ok(self)
    }

    /// Adds the text parts of an array property as `collection` says: one part holding the
    /// items joined (`csv`, `ssv`, `tsv`, `pipes`), or one per item (`multi`).
    pub fn collection<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        values: &T,
        collection: Collection,
        content_type: Option<&str>,
    ) -> Result<&mut Self, serde_json::Error> {
        for text in collection.texts(values)? {
            self.text(name, &text, content_type)?;
        }
        Ok(self)
    }

    /// Adds a file part. `content_type` is the description's `encoding.contentType`, used when
    /// the file has none of its own (else `application/octet-stream`).
    pub fn file(&mut self, name: &str, file: &FilePart, content_type: Option<&str>) -> &mut Self {
        let content_type = file
            .content_type
            .clone()
            .or_else(|| content_type.map(str::to_owned))
            .unwrap_or_else(|| "application/octet-stream".to_owned());
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: Some(file.file_name.clone().unwrap_or_else(|| name.to_owned())),
            content_type: Some(content_type),
            bytes: file.bytes.clone(),
        });
        self
    }

    /// Adds one file part per file, all under `name`.
    pub fn files<'a>(
        &mut self,
        name: &str,
        files: impl IntoIterator<Item = &'a FilePart>,
        content_type: Option<&str>,
    ) -> &mut Self {
        for file in files {
            self.file(name, file, content_type);
        }
        self
    }

    /// The `Content-Type` header value (with a fresh random boundary that occurs in no part)
    /// and the encoded body.
    pub fn encode(&self) -> (String, Bytes) {
        let boundary = loop {
            let candidate = format!(
                "desk-boundary-{:016x}{:016x}",
                fastrand::u64(..),
                fastrand::u64(..)
            );
            let clash = self.parts.iter().any(|part| {
                part.bytes
                    .windows(candidate.len())
                    .any(|w| w == candidate.as_bytes())
            });
            if !clash {
                break candidate;
            }
        };
        (
            format!("multipart/form-data; boundary={boundary}"),
            self.encode_with(&boundary),
        )
    }

    /// The body with the given boundary (which must occur in no part).
    fn encode_with(&self, boundary: &str) -> Bytes {
        let mut out = Vec::new();
        for part in &self.parts {
            out.extend_from_slice(b"--");
            out.extend_from_slice(boundary.as_bytes());
            out.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
            out.extend_from_slice(quoted(&part.name).as_bytes());
            out.push(b'"');
            if let Some(file_name) = &part.file_name {
                out.extend_from_slice(b"; filename=\"");
                out.extend_from_slice(quoted(file_name).as_bytes());
                out.push(b'"');
            }
            if let Some(content_type) = &part.content_type {
                out.extend_from_slice(b"\r\nContent-Type: ");
                out.extend_from_slice(header_safe(content_type).as_bytes());
            }
            out.extend_from_slice(b"\r\n\r\n");
            out.extend_from_slice(&part.bytes);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"--\r\n");
        Bytes::from(out)
    }
}

/// A name or file name inside a quoted `Content-Disposition` parameter, escaped as the HTML
/// standard's form encoder does (`"` → `%22`, CR → `%0D`, LF → `%0A`), so that no value can end
/// the parameter or the header.
fn quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A header value without line breaks.
fn header_safe(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, '\r' | '\n')).collect()
}

/// A request body type generated for a `multipart/form-data` request: it lists its parts.
pub trait ToMultipart {
    /// The parts of this value, in property order.
    fn to_multipart(&self) -> Result<Multipart, serde_json::Error>;
}

/// Encodes `value` (an object) as an `application/x-www-form-urlencoded` body, as OpenAPI's
/// default form encoding (`style: form`, `explode: true`) says: one `key=value` pair per
/// property in order; strings as they are, numbers and booleans in JSON notation; arrays as one
/// pair per item; objects (and objects inside arrays) as JSON text; `null` and absent
/// properties left out. Keys and values are percent-encoded (spaces as `+`).
///
/// ```
/// use desk_runtime::client::encode_form;
/// let body = encode_form(&serde_json::json!({"q": "a b&c", "n": 2, "tag": ["x", "y"], "none": null}))
///     .unwrap();
/// assert_eq!(body, "q=a+b%26c&n=2&tag=x&tag=y");
/// ```
pub fn encode_form<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    encode_form_with(value, &[])
}

/// [`encode_form`], with the array fields listed in `collections` sent as their
/// [`Collection`] says instead (`tags=a|b` rather than `tags=a&tags=b`): Swagger 2.0's
/// `collectionFormat` of a formData parameter, 3.0's `encoding.{field}.style`/`explode`.
///
/// ```
/// use desk_runtime::client::{encode_form_with, Collection};
/// let body = serde_json::json!({"tags": ["x", "y"], "ids": [1, 2]});
/// let encoded = encode_form_with(&body, &[("tags", Collection::joined(&["|"]))]).unwrap();
/// assert_eq!(encoded, "tags=x%7Cy&ids=1&ids=2");
/// ```
pub fn encode_form_with<T: Serialize + ?Sized>(
    value: &T,
    collections: &[(&str, Collection)],
) -> Result<String, serde_json::Error> {
    let value = serde_json::to_value(value)?;
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    let mut pair = |key: &str, value: &Value| -> Result<(), serde_json::Error> {
        match value {
            Value::Null => {}
            Value::String(text) => {
                out.append_pair(key, text);
            }
            Value::Object(_) | Value::Array(_) => {
                out.append_pair(key, &serde_json::to_string(value)?);
            }
            scalar => {
                out.append_pair(key, &param_text(scalar)?);
            }
        }
        Ok(())
    };
    match &value {
        Value::Object(fields) => {
            for (key, field) in fields {
                if let Some((_, collection)) = collections.iter().find(|(name, _)| name == key) {
                    for text in collection.texts(field)? {
                        pair(key, &Value::String(text))?;
                    }
                    continue;
                }
                match field {
                    Value::Array(items) => {
                        for item in items {
                            pair(key, item)?;
                        }
                    }
                    other => pair(key, other)?,
                }
            }
        }
        Value::Null => {}
        other => {
            return Err(serde::ser::Error::custom(format!(
                "a form body must be an object, not {other}"
            )))
        }
    }
    Ok(out.finish())
}

/// A text body (`text/*`) with its media type: a `text/*` response, or a documented error
/// body that is not JSON, reaches the caller as one.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Text {
    /// The `Content-Type` the server sent, when it sent one.
    pub content_type: Option<String>,
    /// The body, decoded as UTF-8 (invalid sequences replaced by `U+FFFD`).
    pub text: String,
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// A body of any other media type (`application/octet-stream`, `image/png`, a type the
/// description does not name...) with its media type. As a request body, a `content_type` of
/// `None` sends the description's media type (or `application/octet-stream` when that is a
/// wildcard such as `image/*`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Binary {
    /// The `Content-Type`: the one the server sent, or the one to send.
    pub content_type: Option<String>,
    /// The bytes of the body.
    pub bytes: Bytes,
}

impl Binary {
    /// These bytes, with no content type of their own.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Binary {
            content_type: None,
            bytes: bytes.into(),
        }
    }

    /// Sets the content type.
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary::new(bytes)
    }
}

impl From<Bytes> for Binary {
    fn from(bytes: Bytes) -> Self {
        Binary::new(bytes)
    }
}

impl From<&'static [u8]> for Binary {
    fn from(bytes: &'static [u8]) -> Self {
        Binary::new(bytes)
    }
}

impl From<FilePart> for Binary {
    fn from(file: FilePart) -> Self {
        Binary {
            content_type: file.content_type,
            bytes: file.bytes,
        }
    }
}

/// The response's `Content-Type` header, when it has a readable one.
fn content_type(response: &Response) -> Option<String> {
    response
        .headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// The body of `response` as [`Text`] with its content type.
pub fn decode_text(response: &Response) -> Text {
    Text {
        content_type: content_type(response),
        text: response.text_lossy(),
    }
}

/// The body of `response` as [`Binary`] with its content type.
pub fn decode_binary(response: &Response) -> Binary {
    Binary {
        content_type: content_type(response),
        bytes: response.body.clone(),
    }
}

impl super::RequestSpec {
    /// Sets the body to `value` encoded as a urlencoded form (see [`encode_form`]), with
    /// `Content-Type: application/x-www-form-urlencoded`.
    pub fn with_form<T: Serialize + ?Sized, E>(self, value: &T) -> Result<Self, Error<E>> {
        let body = encode_form(value).map_err(Error::Encode)?;
        Ok(self.with_content("application/x-www-form-urlencoded", body.into_bytes()))
    }

    /// Sets the body to the parts of `value` as `multipart/form-data` (see [`Multipart`]).
    pub fn with_multipart<T: ToMultipart + ?Sized, E>(self, value: &T) -> Result<Self, Error<E>> {
        let (content_type, body) = value.to_multipart().map_err(Error::Encode)?.encode();
        Ok(self.with_content(&content_type, body.to_vec()))
    }

    /// Sets a text body of the media type `media_type` (the description's; `text/plain` when
    /// it is a wildcard such as `text/*`).
    pub fn with_text(self, text: impl Into<String>, media_type: &str) -> Self {
        let media_type = if media_type.contains('*') {
            "text/plain"
        } else {
            media_type
        };
        self.with_content(media_type, text.into().into_bytes())
    }

    /// Sets a binary body: its own content type, else `media_type` (the description's;
    /// `application/octet-stream` when that is a wildcard such as `image/*`).
    pub fn with_binary(self, body: impl Into<Binary>, media_type: &str) -> Self {
        let body = body.into();
        let media_type = match &body.content_type {
            Some(own) => own.clone(),
            None if media_type.contains('*') => "application/octet-stream".to_owned(),
            None => media_type.to_owned(),
        };
        self.with_content(&media_type, body.bytes.to_vec())
    }

    /// Sets the body and its `Content-Type`.
    pub(crate) fn with_content(mut self, content_type: &str, body: Vec<u8>) -> Self {
        self.headers
            .retain(|(name, _)| !name.eq_ignore_ascii_case("content-type"));
        self.headers
            .push(("content-type".to_owned(), header_safe(content_type)));
        self.body = Some(body);
        self
    }

    /// Asks for these media types (`Accept`), instead of `application/json`.
    pub fn with_accept(mut self, media_types: &str) -> Self {
        self.headers
            .retain(|(name, _)| !name.eq_ignore_ascii_case("accept"));
        self.headers
            .push(("accept".to_owned(), header_safe(media_types)));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue, StatusCode};

    #[test]
    fn multipart_wire_format() {
        let mut form = Multipart::new();
        form.text("title", &"Q3 \"final\"", None).unwrap();
        form.text("count", &3, None).unwrap();
        form.text("meta", &serde_json::json!({"a": 1}), None)
            .unwrap();
        form.text("skipped", &Option::<u8>::None, None).unwrap();
        form.file(
            "doc",
            &FilePart::new(&b"\x00\x01"[..]).file_name("a\r\nb.pdf"),
            Some("application/pdf"),
        );
        let body = form.encode_with("XyZ");
        let expected = "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nQ3 \"final\"\r\n\
             --XyZ\r\nContent-Disposition: form-data; name=\"count\"\r\n\r\n3\r\n\
             --XyZ\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\r\n\
             --XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a%0D%0Ab.pdf\"\r\nContent-Type: application/pdf\r\n\r\n\x00\x01\r\n\
             --XyZ--\r\n";
        assert_eq!(String::from_utf8_lossy(&body), expected);
    }

    #[test]
    fn boundary_never_occurs_in_a_part() {
        let mut form = Multipart::new();
        form.text("a", &"desk-boundary-", None).unwrap();
        let (content_type, body) = form.encode();
        let boundary = content_type.split("boundary=").nth(1).unwrap();
        assert_eq!(boundary.len(), "desk-boundary-".len() + 32);
        let text = String::from_utf8_lossy(&body);
        assert_eq!(text.matches(boundary).count(), 2, "{text}");
    }

    #[test]
    fn forms_follow_the_default_encoding() {
        #[derive(Serialize)]
        struct Search {
            q: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            page: Option<u32>,
            tags: Vec<String>,
            filter: serde_json::Value,
            exact: bool,
        }
        let body = encode_form(&Search {
            q: "é =&+".into(),
            page: None,
            tags: vec!["a".into(), "b c".into()],
            filter: serde_json::json!({"x": [1]}),
            exact: true,
        })
        .unwrap();
        assert_eq!(
            body,
            "q=%C3%A9+%3D%26%2B&tags=a&tags=b+c&filter=%7B%22x%22%3A%5B1%5D%7D&exact=true"
        );
        assert!(encode_form(&[1, 2]).is_err());
    }

    #[test]
    fn decoded_bodies_keep_their_content_type() {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("image/png"));
        let response = Response {
            status: StatusCode::OK,
            headers,
            body: Bytes::from_static(b"\x89PNG"),
        };
        let binary = decode_binary(&response);
        assert_eq!(binary.content_type.as_deref(), Some("image/png"));
        assert_eq!(&binary.bytes[..], b"\x89PNG");
        let text = decode_text(&response);
        assert_eq!(text.text, "\u{FFFD}PNG");
    }

    #[test]
    fn request_bodies_set_their_content_type() {
        use super::super::RequestSpec;
        let spec = RequestSpec::new(http::Method::POST, "/x")
            .with_text("hi", "text/*")
            .with_binary(vec![1u8], "image/*");
        assert_eq!(
            spec.headers,
            vec![(
                "content-type".to_owned(),
                "application/octet-stream".to_owned()
            )]
        );
        assert_eq!(spec.body.as_deref(), Some(&[1u8][..]));
        let spec = RequestSpec::new(http::Method::POST, "/x")
            .with_binary(Binary::new(vec![2u8]).content_type("image/png"), "image/*");
        assert_eq!(spec.headers[0].1, "image/png");
    }
}
