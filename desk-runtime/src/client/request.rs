//! [`RequestBuilder`]: what a generated operation method fills in, one call per parameter.

use std::convert::Infallible;

use http::Method;
use serde::Serialize;

use super::api_client::{ApiClient, RequestSpec};
use super::encode::{encode_path_segment, param_text, Collection};
use super::error::Error;
use super::transport::Response;

/// One request of a generated operation, built step by step and sent with
/// [`send`](RequestBuilder::send); made by [`ApiClient::request`].
///
/// Values are encoded as they are added; the first value that cannot be
/// encoded is reported by `send` as [`Error::Encode`], before anything is
/// sent. Optional values (`None`) are left out.
///
/// The path is the template itself, unless the request spells it out piece by piece: the
/// template's text with [`path_text`](RequestBuilder::path_text) and its parameters with
/// [`path_param`](RequestBuilder::path_param), in order (a generator splits the template once,
/// so no call parses it).
///
/// ```no_run
/// # async fn f(client: desk_runtime::client::ApiClient) -> Result<(), desk_runtime::client::Error<()>> {
/// use desk_runtime::client::Method;
/// let response = client
///     .request(Method::GET, "/tickets/{id}.json", "getTicket")
///     .path_text("/tickets/")
///     .path_param(&42)
///     .path_text(".json")
///     .query("include", Some(&"users"))
///     .send::<()>()
///     .await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct RequestBuilder<'a> {
    client: &'a ApiClient,
    spec: RequestSpec,
    /// The path spelt out so far (text and encoded parameters); `None` while it is the
    /// template.
    path: Option<String>,
    /// The first value that could not be encoded.
    error: Option<serde_json::Error>,
}

/// Where a parameter goes.
#[derive(Clone, Copy)]
enum Target {
    Query,
    Header,
}

impl<'a> RequestBuilder<'a> {
    pub(crate) fn new(
        client: &'a ApiClient,
        method: Method,
        path_template: &'static str,
        operation_id: &'static str,
    ) -> Self {
        let mut spec =
            RequestSpec::new(method, path_template).with_operation(operation_id, path_template);
        spec.timeout = client.call_timeout();
        spec.deadline = client.call_deadline();
        RequestBuilder {
            client,
            spec,
            path: None,
            error: None,
        }
    }

    /// Keeps the value, or the first encoding error.
    fn encoded<T>(&mut self, value: Result<T, serde_json::Error>) -> Option<T> {
        match value {
            Ok(value) => Some(value),
            Err(error) => {
                self.error.get_or_insert(error);
                None
            }
        }
    }

    /// Appends text of the path template as it is written (the text between its parameters).
    pub fn path_text(mut self, text: &str) -> Self {
        self.path.get_or_insert_with(String::new).push_str(text);
        self
    }

    /// Appends a path parameter's `value` as one percent-encoded segment (see
    /// [`encode_path_segment`]; text as is, numbers and booleans in JSON notation, enums as
    /// their wire value).
    pub fn path_param<T: Serialize + ?Sized>(mut self, value: &T) -> Self {
        if let Some(text) = self.encoded(param_text(value)) {
            let segment = encode_path_segment(&text);
            self.path.get_or_insert_with(String::new).push_str(&segment);
        }
        self
    }

    /// Appends a path parameter's array `values` as one segment: each item percent-encoded as
    /// [`path_param`](RequestBuilder::path_param) encodes a value, joined with the collection's
    /// delimiter (a comma as it is, which may separate items in a segment; a space, tab or `|`
    /// percent-encoded).
    pub fn path_collection<T: Serialize + ?Sized>(
        mut self,
        values: &T,
        collection: Collection,
    ) -> Self {
        let Some(value) = self.encoded(serde_json::to_value(values)) else {
            return self;
        };
        let Some(items) = self.encoded(collection.items(&value)) else {
            return self;
        };
        let delimiter = match collection.delimiter().unwrap_or(",") {
            "," => ",".to_owned(),
            other => encode_path_segment(other),
        };
        let segments: Vec<String> = items.iter().map(|item| encode_path_segment(item)).collect();
        self.path
            .get_or_insert_with(String::new)
            .push_str(&segments.join(&delimiter));
        self
    }

    fn push(&mut self, target: Target, key: &str, text: String) {
        let list = match target {
            Target::Query => &mut self.spec.query,
            Target::Header => &mut self.spec.headers,
        };
        list.push((key.to_owned(), text));
    }

    fn scalar<T: Serialize + ?Sized>(
        mut self,
        target: Target,
        key: &str,
        value: Option<&T>,
    ) -> Self {
        if let Some(text) = value.and_then(|value| self.encoded(param_text(value))) {
            self.push(target, key, text);
        }
        self
    }

    fn list<T: Serialize + ?Sized>(
        mut self,
        target: Target,
        key: &str,
        values: Option<&T>,
        explode: bool,
    ) -> Self {
        let Some(values) = values.and_then(|v| self.encoded(serde_json::to_value(v))) else {
            return self;
        };
        let items = match values {
            serde_json::Value::Array(items) => items,
            other => vec![other],
        };
        let mut texts = Vec::with_capacity(items.len());
        for item in &items {
            match self.encoded(param_text(item)) {
                Some(text) => texts.push(text),
                None => return self,
            }
        }
        if explode {
            for text in texts {
                self.push(target, key, text);
            }
        } else {
            self.push(target, key, texts.join(","));
        }
        self
    }

    fn collection<T: Serialize + ?Sized>(
        mut self,
        target: Target,
        key: &str,
        values: Option<&T>,
        collection: Collection,
    ) -> Self {
        let Some(texts) = values.and_then(|v| self.encoded(collection.texts(v))) else {
            return self;
        };
        for text in texts {
            self.push(target, key, text);
        }
        self
    }

    fn json_text<T: Serialize + ?Sized>(
        mut self,
        target: Target,
        key: &str,
        value: Option<&T>,
    ) -> Self {
        if let Some(text) = value.and_then(|value| self.encoded(serde_json::to_string(value))) {
            self.push(target, key, text);
        }
        self
    }

    /// Adds the query parameter `key` with `value`'s text (nothing for `None`).
    pub fn query<T: Serialize + ?Sized>(self, key: &str, value: Option<&T>) -> Self {
        self.scalar(Target::Query, key, value)
    }

    /// Adds the array query parameter `key`: one `key=item` per item when
    /// `explode`, else `key=a,b,c` (nothing for `None`).
    pub fn query_list<T: Serialize + ?Sized>(
        self,
        key: &str,
        values: Option<&T>,
        explode: bool,
    ) -> Self {
        self.list(Target::Query, key, values, explode)
    }

    /// Adds the array query parameter `key` as `collection` says (`key=a|b`, `key=a b`, or
    /// one `key=item` per item; see [`Collection`]; nothing for `None`).
    pub fn query_collection<T: Serialize + ?Sized>(
        self,
        key: &str,
        values: Option<&T>,
        collection: Collection,
    ) -> Self {
        self.collection(Target::Query, key, values, collection)
    }

    /// Adds the query parameter `key` with `value` written as JSON text
    /// (`content: application/json`; nothing for `None`).
    pub fn query_json<T: Serialize + ?Sized>(self, key: &str, value: Option<&T>) -> Self {
        self.json_text(Target::Query, key, value)
    }

    /// Adds the header `key` with `value`'s text (nothing for `None`).
    pub fn header<T: Serialize + ?Sized>(self, key: &str, value: Option<&T>) -> Self {
        self.scalar(Target::Header, key, value)
    }

    /// Adds the array header `key`: `a,b,c`, or one header per item when
    /// `explode` (nothing for `None`).
    pub fn header_list<T: Serialize + ?Sized>(
        self,
        key: &str,
        values: Option<&T>,
        explode: bool,
    ) -> Self {
        self.list(Target::Header, key, values, explode)
    }

    /// Adds the array header `key` as `collection` says (one header per item when exploded;
    /// nothing for `None`).
    pub fn header_collection<T: Serialize + ?Sized>(
        self,
        key: &str,
        values: Option<&T>,
        collection: Collection,
    ) -> Self {
        self.collection(Target::Header, key, values, collection)
    }

    /// Adds the header `key` with `value` written as JSON text (nothing for
    /// `None`).
    pub fn header_json<T: Serialize + ?Sized>(self, key: &str, value: Option<&T>) -> Self {
        self.json_text(Target::Header, key, value)
    }

    /// Sends `value` as the JSON body (nothing for `None`).
    pub fn json<T: Serialize + ?Sized>(mut self, value: Option<&T>) -> Self {
        if let Some(bytes) = value.and_then(|value| self.encoded(serde_json::to_vec(value))) {
            self.spec.body = Some(bytes);
        }
        self
    }

    /// Sends `bytes` as the body, with `Content-Type: content_type`.
    pub fn body(mut self, bytes: impl Into<Vec<u8>>, content_type: &str) -> Self {
        self.spec.body = Some(bytes.into());
        self.spec
            .headers
            .push(("content-type".to_owned(), content_type.to_owned()));
        self
    }

    /// Sends `value` as an `application/x-www-form-urlencoded` body (see
    /// [`encode_form`](super::encode_form); nothing for `None`).
    pub fn form<T: Serialize + ?Sized>(mut self, value: Option<&T>) -> Self {
        if let Some(text) = value.and_then(|value| self.encoded(super::encode_form(value))) {
            self.spec = self
                .spec
                .with_content("application/x-www-form-urlencoded", text.into_bytes());
        }
        self
    }

    /// Sends `value` as an `application/x-www-form-urlencoded` body whose listed array fields
    /// go on the wire as their [`Collection`] says (see
    /// [`encode_form_with`](super::encode_form_with); nothing for `None`).
    pub fn form_with<T: Serialize + ?Sized>(
        mut self,
        value: Option<&T>,
        collections: &[(&str, Collection)],
    ) -> Self {
        if let Some(text) =
            value.and_then(|value| self.encoded(super::encode_form_with(value, collections)))
        {
            self.spec = self
                .spec
                .with_content("application/x-www-form-urlencoded", text.into_bytes());
        }
        self
    }

    /// Sends the parts of `value` as a `multipart/form-data` body (see
    /// [`Multipart`](super::Multipart); nothing for `None`).
    pub fn multipart<T: super::ToMultipart + ?Sized>(mut self, value: Option<&T>) -> Self {
        if let Some(form) = value.and_then(|value| self.encoded(value.to_multipart())) {
            let (content_type, body) = form.encode();
            self.spec = self.spec.with_content(&content_type, body.to_vec());
        }
        self
    }

    /// Sends a text body of the description's media type (`text/plain` for a wildcard such as
    /// `text/*`; nothing for `None`).
    pub fn text(mut self, text: Option<impl Into<String>>, media_type: &str) -> Self {
        if let Some(text) = text {
            self.spec = self.spec.with_text(text, media_type);
        }
        self
    }

    /// Sends a binary body with its own content type, else the description's media type
    /// (`application/octet-stream` for a wildcard such as `image/*`; nothing for `None`).
    pub fn binary(mut self, body: Option<impl Into<super::Binary>>, media_type: &str) -> Self {
        if let Some(body) = body {
            self.spec = self.spec.with_binary(body, media_type);
        }
        self
    }

    /// Asks for these media types (`Accept`) instead of `application/json`.
    pub fn accept(mut self, media_types: &str) -> Self {
        self.spec = self.spec.with_accept(media_types);
        self
    }

    /// Sends the request without the client's credentials (an operation
    /// with `security: []`).
    pub fn public(mut self) -> Self {
        self.spec.authenticated = false;
        self
    }

    /// The request as it would be sent: the path spelt out (or the template), the query and
    /// headers in order ([`Error::Encode`] when a value could not be encoded).
    pub fn into_spec<E>(self) -> Result<RequestSpec, Error<E>> {
        let RequestBuilder {
            mut spec,
            path,
            error,
            ..
        } = self;
        if let Some(error) = error {
            return Err(Error::Encode(error));
        }
        if let Some(path) = path {
            spec.path = path;
        }
        Ok(spec)
    }

    /// Sends the request through [`ApiClient::execute`] and returns the
    /// response, whatever its status.
    ///
    /// When the client copy fetches a page of a page stream, the stream's next-page change
    /// (a page number, a token, a next link) is made first, and the response is kept for it.
    pub async fn send<E>(self) -> Result<Response, Error<E>> {
        let client = self.client;
        let mut spec = self.into_spec::<Infallible>().map_err(Error::into_any)?;
        let Some(slot) = client.page_slot() else {
            return client.execute(spec).await.map_err(Error::into_any);
        };
        slot.prepare(&mut spec, client);
        let response = client.execute(spec).await.map_err(Error::into_any)?;
        slot.record(&response);
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> ApiClient {
        ApiClient::builder("http://127.0.0.1:9").build().unwrap()
    }

    #[test]
    fn spells_the_path_out_with_encoded_segments() {
        let client = client();
        let spec = client
            .request(Method::GET, "/a/{id}/b/{name}.json", "op")
            .path_text("/a/")
            .path_param(&7)
            .path_text("/b/")
            .path_param("x/y z")
            .path_text(".json")
            .into_spec::<()>()
            .unwrap();
        assert_eq!(spec.path, "/a/7/b/x%2Fy%20z.json");
        assert_eq!(spec.path_template, Some("/a/{id}/b/{name}.json"));
        assert_eq!(spec.operation_id, Some("op"));
        assert!(spec.authenticated);
        // Without pieces, the path is the template (which then has no parameters).
        let plain = client
            .request(Method::GET, "/a/b", "op")
            .into_spec::<()>()
            .unwrap();
        assert_eq!(plain.path, "/a/b");
    }

    #[test]
    fn query_scalars_lists_json_and_headers() {
        let client = client();
        let none: Option<&i32> = None;
        let spec = client
            .request(Method::POST, "/x", "op")
            .query("page", Some(&2))
            .query("skipped", none)
            .query_list("ids", Some(&vec![1, 2]), false)
            .query_list("tag", Some(&["a", "b"]), true)
            .query_json("filter", Some(&serde_json::json!({"state": "open"})))
            .header("x-one", Some(&true))
            .header_list("x-list", Some(&vec!["a", "b"]), false)
            .json(Some(&serde_json::json!({"k": 1})))
            .public()
            .into_spec::<()>()
            .unwrap();
        let pairs = |list: &[(String, String)]| {
            list.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            pairs(&spec.query),
            [
                "page=2",
                "ids=1,2",
                "tag=a",
                "tag=b",
                r#"filter={"state":"open"}"#
            ]
        );
        assert_eq!(pairs(&spec.headers), ["x-one=true", "x-list=a,b"]);
        assert_eq!(spec.body.as_deref(), Some(&br#"{"k":1}"#[..]));
        assert!(!spec.authenticated);
    }

    #[test]
    fn collections_in_the_path_query_and_headers() {
        let client = client();
        let spec = client
            .request(Method::GET, "/a/{csv}/{pipes}", "op")
            .path_text("/a/")
            .path_collection(&["x y", "z,w"], Collection::joined(&[","]))
            .path_text("/")
            .path_collection(&[1, 2], Collection::joined(&["|"]))
            .query_collection("ssv", Some(&["a", "b"]), Collection::joined(&[" "]))
            .query_collection(
                "multi",
                Some(&[["a", "b"], ["c", "d"]]),
                Collection::exploded(&["\t"]),
            )
            .header_collection("x-tsv", Some(&[1, 2]), Collection::joined(&["\t"]))
            .into_spec::<()>()
            .unwrap();
        assert_eq!(spec.path, "/a/x%20y,z%2Cw/1%7C2");
        assert_eq!(
            spec.query,
            [
                ("ssv".to_owned(), "a b".to_owned()),
                ("multi".to_owned(), "a\tb".to_owned()),
                ("multi".to_owned(), "c\td".to_owned()),
            ]
        );
        assert_eq!(spec.headers, [("x-tsv".to_owned(), "1\t2".to_owned())]);
    }

    #[test]
    fn an_unencodable_value_is_an_encode_error() {
        let client = client();
        let bad: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        let result = client
            .request(Method::GET, "/x", "op")
            .query_json("bad", Some(&bad))
            .query("page", Some(&1))
            .into_spec::<()>();
        assert!(matches!(result, Err(Error::Encode(_))), "{result:?}");
    }

    #[test]
    fn per_call_timeouts_come_from_the_client() {
        let client = client().with_timeout(std::time::Duration::from_secs(3));
        let client = client.with_deadline(std::time::Duration::from_secs(9));
        let spec = client
            .request(Method::GET, "/x", "op")
            .into_spec::<()>()
            .unwrap();
        assert_eq!(spec.timeout, Some(std::time::Duration::from_secs(3)));
        assert_eq!(spec.deadline, Some(std::time::Duration::from_secs(9)));
    }
}
