//! Bodies that are not JSON, on the wire: `multipart/form-data` and urlencoded requests as a
//! wiremock server on loopback receives them, and text and binary responses (and a text error
//! body) as the caller gets them. The request types are written the way desk generates them
//! (see `desk-codegen/src/emit/client/bodies.rs` and the `body_*.yaml` strange specs).
#![cfg(feature = "client")]

use std::convert::Infallible;

use desk_runtime::client::{
    api_error, decode_binary, decode_json, decode_text, unexpected, ApiClient, Binary, Error,
    FilePart, Multipart, RequestSpec, Text, ToMultipart,
};
use http::Method;
use serde::Serialize;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// As generated for `body_multipart.yaml`'s `uploadAvatar`.
#[derive(Debug, Clone, PartialEq)]
struct UploadAvatarMultipart {
    user_id: i64,
    caption: Option<String>,
    image: FilePart,
    thumbnails: Option<Vec<FilePart>>,
    tags: Option<Vec<String>>,
    crop: Option<Crop>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct Crop {
    x: i64,
    y: i64,
}

impl ToMultipart for UploadAvatarMultipart {
    fn to_multipart(&self) -> Result<Multipart, serde_json::Error> {
        let mut form = Multipart::new();
        form.text("user_id", &self.user_id, None)?;
        if let Some(value) = &self.caption {
            form.text("caption", value, None)?;
        }
        form.file("image", &self.image, Some("image/png"));
        if let Some(value) = &self.thumbnails {
            form.files("thumbnails", value, None);
        }
        if let Some(value) = &self.tags {
            form.texts("tags", value, None)?;
        }
        if let Some(value) = &self.crop {
            form.text("crop", value, Some("application/vnd.crop+json"))?;
        }
        Ok(form)
    }
}

async fn server_answering(status: u16, content_type: &str, body: &[u8]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/x"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_vec(), content_type))
        .mount(&server)
        .await;
    server
}

fn client_for(server: &MockServer) -> ApiClient {
    ApiClient::builder(format!("{}/api", server.uri()))
        .build()
        .expect("valid client")
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn header<'a>(request: &'a wiremock::Request, name: &str) -> &'a str {
    request
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .expect("a text header")
}

#[tokio::test]
async fn multipart_parts_reach_the_server_as_written() {
    let server = server_answering(201, "application/json", b"{}").await;
    let body = UploadAvatarMultipart {
        user_id: 42,
        caption: Some("me, \"smiling\"".into()),
        image: FilePart::new(&b"\x89PNG\r\n\x1a\n\x00"[..]).file_name("me.png"),
        thumbnails: Some(vec![
            FilePart::new(&b"small"[..])
                .file_name("s.jpg")
                .content_type("image/jpeg"),
            FilePart::new(&b"tiny"[..]),
        ]),
        tags: Some(vec!["a".into(), "b c".into()]),
        crop: Some(Crop { x: 1, y: 2 }),
    };
    let spec = RequestSpec::new(Method::POST, "/x")
        .with_multipart::<_, Infallible>(&body)
        .unwrap();
    let response = client_for(&server).execute(spec).await.unwrap();
    assert_eq!(response.status, 201);

    let request = only_request(&server).await;
    let content_type = header(&request, "content-type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    assert!(boundary.len() >= 30, "{boundary}");
    let expected = [
        "--B\r\nContent-Disposition: form-data; name=\"user_id\"\r\n\r\n42\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nme, \"smiling\"\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"image\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n\u{89}PNG\r\n\u{1a}\n\u{0}\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"thumbnails\"; filename=\"s.jpg\"\r\nContent-Type: image/jpeg\r\n\r\nsmall\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"thumbnails\"; filename=\"thumbnails\"\r\nContent-Type: application/octet-stream\r\n\r\ntiny\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\na\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nb c\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"crop\"\r\nContent-Type: application/vnd.crop+json\r\n\r\n{\"x\":1,\"y\":2}\r\n",
        "--B--\r\n",
    ]
    .concat()
    .replace("--B", &format!("--{boundary}"));
    // The PNG bytes are not UTF-8: compare bytes, with `\u{89}` written as the one byte 0x89.
    let expected: Vec<u8> = expected
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("one byte per char"))
        .collect();
    assert_eq!(
        request.body,
        expected,
        "{}",
        String::from_utf8_lossy(&request.body)
    );
}

#[tokio::test]
async fn urlencoded_forms_reach_the_server_as_written() {
    #[derive(Serialize)]
    struct TokenRequestCreate {
        grant_type: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        scope: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        refresh_token: Option<String>,
        scopes: Vec<&'static str>,
    }
    let server = server_answering(204, "text/plain", b"").await;
    let spec = RequestSpec::new(Method::POST, "/x")
        .with_form::<_, Infallible>(&TokenRequestCreate {
            grant_type: "client_credentials",
            scope: Some("read write&admin=1".into()),
            refresh_token: None,
            scopes: vec!["a", "é"],
        })
        .unwrap();
    client_for(&server).execute(spec).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "grant_type=client_credentials&scope=read+write%26admin%3D1&scopes=a&scopes=%C3%A9"
    );
}

#[tokio::test]
async fn text_and_binary_requests_carry_their_media_type() {
    let server = server_answering(204, "text/plain", b"").await;
    let client = client_for(&server);
    let spec = RequestSpec::new(Method::POST, "/x").with_text("line 1\nline 2", "text/plain");
    client.execute(spec).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "text/plain");
    assert_eq!(request.body, b"line 1\nline 2");

    let server = server_answering(204, "text/plain", b"").await;
    let client = client_for(&server);
    let spec = RequestSpec::new(Method::POST, "/x").with_binary(
        Binary::new(vec![0u8, 159, 146, 150]).content_type("image/webp"),
        "image/*",
    );
    client.execute(spec).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "image/webp");
    assert_eq!(request.body, [0u8, 159, 146, 150]);
}

#[tokio::test]
async fn binary_and_text_responses_reach_the_caller_with_their_content_type() {
    let pdf = b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n";
    let server = server_answering(200, "application/pdf", pdf).await;
    let spec = RequestSpec::new(Method::POST, "/x").with_accept("application/pdf");
    let response = client_for(&server).execute(spec).await.unwrap();
    let binary = decode_binary(&response);
    assert_eq!(binary.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(&binary.bytes[..], pdf);
    assert_eq!(
        header(&only_request(&server).await, "accept"),
        "application/pdf"
    );

    let server = server_answering(200, "text/csv; charset=utf-8", "a,b\n1,é\n".as_bytes()).await;
    let response = client_for(&server)
        .execute(RequestSpec::new(Method::POST, "/x"))
        .await
        .unwrap();
    let text = decode_text(&response);
    assert_eq!(
        text.content_type.as_deref(),
        Some("text/csv; charset=utf-8")
    );
    assert_eq!(text.text, "a,b\n1,é\n");
}

#[tokio::test]
async fn error_bodies_that_are_not_json_are_kept_as_text() {
    // A documented `text/plain` error: `Error::Api` with the text and its content type.
    let server = server_answering(400, "text/plain", b"note is empty").await;
    let response = client_for(&server)
        .execute(RequestSpec::new(Method::POST, "/x"))
        .await
        .unwrap();
    let err: Error<Text> = api_error(&response, decode_text(&response));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    let body = err.api_body().expect("an API error");
    assert_eq!(body.text, "note is empty");
    assert_eq!(body.content_type.as_deref(), Some("text/plain"));
    assert_eq!(err.to_string(), "API error (status 400 Bad Request)");

    // An undocumented status with an HTML page: the whole text is kept.
    let page = format!("<html>{}</html>", "x".repeat(500));
    let server = server_answering(502, "text/html", page.as_bytes()).await;
    let response = client_for(&server)
        .execute(RequestSpec::new(Method::POST, "/x"))
        .await
        .unwrap();
    match unexpected::<Infallible>(response) {
        Error::UnexpectedStatus { body_text, .. } => assert_eq!(body_text, page),
        other => panic!("{other:?}"),
    }

    // A documented JSON error answered with text: a decode error naming the status and text.
    let server = server_answering(404, "text/plain", b"no such route").await;
    let response = client_for(&server)
        .execute(RequestSpec::new(Method::POST, "/x"))
        .await
        .unwrap();
    let err = decode_json::<serde_json::Value, ()>(&response).unwrap_err();
    assert!(err.to_string().contains("no such route"), "{err}");
}
