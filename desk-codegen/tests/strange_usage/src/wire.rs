//! The body cases' generated clients, run against a transport that records each request and
//! answers with a canned response: the bytes and headers the generated methods hand to the
//! transport (what the default transport writes on the wire unchanged; the runtime's loopback
//! tests, `desk-runtime/tests/bodies.rs`, check that part), and what the caller gets back.

use std::sync::{Arc, Mutex};

use desk_runtime::client::{
    http, BoxFuture, Error, FilePart, Request, Response, Transport, TransportError,
};

/// Records every request; answers each with `answer`.
#[derive(Clone)]
struct Recorder {
    requests: Arc<Mutex<Vec<Request>>>,
    answer: Response,
}

impl Transport for Recorder {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, TransportError>> {
        self.requests.lock().unwrap().push(request);
        let answer = self.answer.clone();
        Box::pin(async move { Ok(answer) })
    }
}

fn answering(status: u16, content_type: &str, body: &[u8]) -> Recorder {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_str(content_type).unwrap(),
    );
    Recorder {
        requests: Arc::default(),
        answer: Response {
            status: http::StatusCode::from_u16(status).unwrap(),
            headers,
            body: desk_runtime::client::bytes::Bytes::copy_from_slice(body),
        },
    }
}

impl Recorder {
    fn only(&self) -> Request {
        let requests = self.requests.lock().unwrap();
        assert_eq!(requests.len(), 1);
        requests[0].clone()
    }
}

fn header(request: &Request, name: &str) -> String {
    request
        .headers
        .get(name)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned()
}

fn body_text(request: &Request) -> String {
    String::from_utf8_lossy(request.body.as_deref().unwrap_or_default()).into_owned()
}

#[tokio::test]
async fn multipart_parts_are_sent_in_property_order() {
    use crate::body_multipart::client::{Client, PutDocumentMultipart, UploadAvatarMultipart};
    use crate::body_multipart::models::Crop;
    let recorder = answering(201, "application/json", br#"{"x":3,"y":4}"#);
    let client = Client::builder("http://127.0.0.1:9")
        .transport(recorder.clone())
        .build()
        .unwrap();
    let crop = client
        .upload_avatar(UploadAvatarMultipart {
            user_id: 7,
            caption: None,
            public: Some(true),
            image: FilePart::new(&b"PNG"[..]).file_name("me.png"),
            thumbnails: Some(vec![FilePart::new(&b"t"[..]).content_type("image/jpeg")]),
            tags: Some(vec!["a".into(), "b".into()]),
            crop: Some(Crop { x: 1, y: 2 }),
            meta: None,
        })
        .await
        .unwrap();
    assert_eq!(crop, Crop { x: 3, y: 4 });
    let request = recorder.only();
    let content_type = header(&request, "content-type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let expected = [
        "--B\r\nContent-Disposition: form-data; name=\"user_id\"\r\n\r\n7\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"public\"\r\n\r\ntrue\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"image\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\nPNG\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"thumbnails\"; filename=\"thumbnails\"\r\nContent-Type: image/jpeg\r\n\r\nt\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\na\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nb\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"crop\"\r\nContent-Type: application/vnd.crop+json\r\n\r\n{\"x\":1,\"y\":2}\r\n",
        "--B--\r\n",
    ]
    .concat()
    .replace("--B", &format!("--{boundary}"));
    assert_eq!(body_text(&request), expected);

    let recorder = answering(204, "text/plain", b"");
    let client = Client::builder("http://127.0.0.1:9")
        .transport(recorder.clone())
        .build()
        .unwrap();
    client.put_document(None).await.unwrap();
    assert!(recorder.only().body.is_none());
    let recorder = answering(204, "text/plain", b"");
    let client = Client::builder("http://127.0.0.1:9")
        .transport(recorder.clone())
        .build()
        .unwrap();
    client
        .put_document(Some(PutDocumentMultipart {
            title: Some("T".into()),
            ..Default::default()
        }))
        .await
        .unwrap();
    assert!(body_text(&recorder.only()).contains("name=\"title\"\r\n\r\nT\r\n"));
}

#[tokio::test]
async fn forms_are_sent_urlencoded() {
    use crate::body_form::client::Client;
    use crate::body_form::models::TokenRequestGrantType;
    use crate::body_form::requests::TokenRequestCreate;
    let recorder = answering(200, "application/json", br#"{"access_token":"t"}"#);
    let client = Client::builder("http://127.0.0.1:9")
        .transport(recorder.clone())
        .build()
        .unwrap();
    let token = client
        .create_token(TokenRequestCreate {
            grant_type: TokenRequestGrantType::ClientCredentials,
            scope: Some("read write".into()),
            refresh_token: None,
        })
        .await
        .unwrap();
    assert_eq!(token.access_token.as_deref(), Some("t"));
    let request = recorder.only();
    assert_eq!(
        header(&request, "content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        body_text(&request),
        "grant_type=client_credentials&scope=read+write"
    );
}

#[tokio::test]
async fn binary_bodies_keep_their_content_type() {
    use crate::body_binary::client::{Client, GetReportResponse};
    let recorder = answering(204, "text/plain", b"");
    let client = Client::builder("http://127.0.0.1:9")
        .transport(recorder.clone())
        .build()
        .unwrap();
    client.put_file("a b", vec![0u8, 255]).await.unwrap();
    let request = recorder.only();
    assert!(request.url.ends_with("/files/a%20b"), "{}", request.url);
    assert_eq!(header(&request, "content-type"), "application/octet-stream");
    assert_eq!(request.body.as_deref(), Some(&[0u8, 255][..]));

    let recorder = answering(200, "application/zip", b"PK\x03\x04");
    let client = Client::builder("http://127.0.0.1:9")
        .transport(recorder.clone())
        .build()
        .unwrap();
    let file = client.get_file("x").await.unwrap();
    assert_eq!(file.content_type.as_deref(), Some("application/zip"));
    assert_eq!(&file.bytes[..], b"PK\x03\x04");
    assert_eq!(
        header(&recorder.only(), "accept"),
        "application/octet-stream, application/json"
    );

    let recorder = answering(200, "application/pdf", b"%PDF");
    let client = Client::builder("http://127.0.0.1:9")
        .transport(recorder.clone())
        .build()
        .unwrap();
    match client.get_report(1).await.unwrap() {
        GetReportResponse::Ok(pdf) => {
            assert_eq!(pdf.content_type.as_deref(), Some("application/pdf"));
            assert_eq!(&pdf.bytes[..], b"%PDF");
        }
        other => panic!("{other:?}"),
    }

    let recorder = answering(200, "image/webp", b"RIFF");
    let client = Client::builder("http://127.0.0.1:9")
        .transport(recorder.clone())
        .build()
        .unwrap();
    let image = desk_runtime::client::Binary::new(vec![1u8]).content_type("image/gif");
    let stored = client.post_image(Some(image)).await.unwrap();
    assert_eq!(stored.content_type.as_deref(), Some("image/webp"));
    assert_eq!(header(&recorder.only(), "content-type"), "image/gif");
}

#[tokio::test]
async fn text_bodies_and_text_errors() {
    use crate::body_text::client::{Client, ExportCsvError};
    let recorder = answering(200, "text/html; charset=utf-8", "<p>é</p>".as_bytes());
    let client = Client::builder("http://127.0.0.1:9")
        .transport(recorder.clone())
        .build()
        .unwrap();
    let html = client.post_note("é\n").await.unwrap();
    assert_eq!(html.text, "<p>é</p>");
    assert_eq!(
        html.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
    let request = recorder.only();
    assert_eq!(header(&request, "content-type"), "text/plain");
    assert_eq!(body_text(&request), "é\n");

    let recorder = answering(400, "text/plain", b"empty note");
    let client = Client::builder("http://127.0.0.1:9")
        .transport(recorder.clone())
        .build()
        .unwrap();
    match client.post_note("").await {
        Err(Error::Api { body, status, .. }) => {
            assert_eq!(status.as_u16(), 400);
            assert_eq!(body.text, "empty note");
        }
        other => panic!("{other:?}"),
    }

    let recorder = answering(418, "text/plain", b"down for maintenance");
    let client = Client::builder("http://127.0.0.1:9")
        .transport(recorder.clone())
        .build()
        .unwrap();
    match client.export_csv().await {
        Err(Error::Api {
            body: ExportCsvError::Default(text),
            ..
        }) => {
            assert_eq!(text.text, "down for maintenance");
        }
        other => panic!("{other:?}"),
    }
}

// The Swagger 2.0 cases' generated clients: every `collectionFormat` in the path, the query
// and headers, formData uploads (multipart and urlencoded), API keys, servers and `Accept`.

fn query(request: &Request) -> &str {
    request.url.split_once('?').map_or("", |(_, query)| query)
}

#[tokio::test]
async fn collection_formats_are_sent_as_written() {
    use crate::swagger2_collection_formats::client::{Client, ListItemsParams};
    let recorder = answering(200, "application/json", b"");
    let client = Client::builder("http://127.0.0.1:9/api")
        .transport(recorder.clone())
        .build()
        .unwrap();
    let params = ListItemsParams::default()
        .csv(["a", "b,c"])
        .plain(["d", "e"])
        .ssv(["f", "g"])
        .tsv([1.5, 2.0])
        .pipes([true, false])
        .multi(["h", "i"])
        .nested([
            vec![vec!["j".to_owned(), "k".to_owned()], vec!["l".to_owned()]],
            vec![vec!["m".to_owned()]],
        ])
        .x_csv(["n", "o"])
        .x_ssv(["p", "q"])
        .x_tsv(["r", "s"]);
    client
        .list_items(vec![1, 2], vec!["x y".into(), "z".into()], &params)
        .await
        .unwrap();
    let request = recorder.only();
    let (path, _) = request.url.split_once('?').unwrap();
    // csv: the items joined with a comma; pipes: with `|` (percent-encoded in a path).
    assert_eq!(path, "http://127.0.0.1:9/api/items/1,2/x%20y%7Cz");
    assert_eq!(
        query(&request),
        [
            "csv=a%2Cb%2Cc",             // csv (an item's own comma cannot be told apart)
            "plain=d%2Ce",               // no collectionFormat: csv
            "ssv=f%20g",                 // ssv
            "tsv=1.5%092.0",             // tsv
            "pipes=true%7Cfalse",        // pipes
            "multi=h&multi=i",           // multi
            "nested=j%2Ck%7Cl&nested=m", // multi of pipes of csv
        ]
        .join("&")
    );
    assert_eq!(header(&request, "x-csv"), "n,o");
    assert_eq!(header(&request, "x-ssv"), "p q");
    assert_eq!(header(&request, "x-tsv"), "r\ts");
}

#[tokio::test]
async fn form_data_uploads_are_sent_as_written() {
    use crate::swagger2_form_upload::client::{Client, UploadFileMultipart};
    use crate::swagger2_form_upload::requests::SearchRequestCreate;
    let recorder = answering(204, "text/plain", b"");
    let client = Client::builder("http://127.0.0.1:9")
        .transport(recorder.clone())
        .build()
        .unwrap();
    client
        .upload_file(UploadFileMultipart {
            file: FilePart::new(&b"%PDF"[..])
                .file_name("a.pdf")
                .content_type("application/pdf"),
            note: Some("hi".into()),
            size: Some(4),
            tags: Some(vec!["a".into(), "b".into()]),
            labels: Some(vec!["c".into(), "d".into()]),
            parts: Some(vec![1, 2]),
        })
        .await
        .unwrap();
    let request = recorder.only();
    let content_type = header(&request, "content-type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let expected = [
        "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"size\"\r\n\r\n4\r\n",
        // csv (the default): one part holding the items joined.
        "--B\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\na,b\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"labels\"\r\n\r\nc|d\r\n",
        // multi: one part per item.
        "--B\r\nContent-Disposition: form-data; name=\"parts\"\r\n\r\n1\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"parts\"\r\n\r\n2\r\n",
        "--B--\r\n",
    ]
    .concat()
    .replace("--B", &format!("--{boundary}"));
    assert_eq!(body_text(&request), expected);

    let recorder = answering(204, "text/plain", b"");
    let client = Client::builder("http://127.0.0.1:9")
        .transport(recorder.clone())
        .build()
        .unwrap();
    client
        .search(SearchRequestCreate {
            q: "a b".into(),
            csv: Some(vec!["1".into(), "2".into()]),
            ssv: Some(vec!["3".into(), "4".into()]),
            tsv: Some(vec!["5".into(), "6".into()]),
            pipes: Some(vec!["7".into(), "8".into()]),
            multi: Some(vec!["9".into(), "0".into()]),
        })
        .await
        .unwrap();
    let request = recorder.only();
    assert_eq!(
        header(&request, "content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        body_text(&request),
        "q=a+b&csv=1%2C2&ssv=3+4&tsv=5%096&pipes=7%7C8&multi=9&multi=0"
    );
}

#[tokio::test]
async fn api_keys_go_where_the_description_says() {
    use crate::swagger2_security::client::{ApiKeys, Client};
    let recorder = answering(200, "application/json", br#"{"name":"n"}"#);
    let client = Client::builder("http://127.0.0.1:9")
        .api_key("k 1")
        .transport(recorder.clone())
        .build()
        .unwrap();
    client.get_me().await.unwrap();
    assert_eq!(query(&recorder.only()), "api_key=k%201");
    // `security: []`: no key.
    let recorder = answering(200, "application/json", b"");
    let client = Client::builder("http://127.0.0.1:9")
        .api_key("k")
        .transport(recorder.clone())
        .build()
        .unwrap();
    client.health().await.unwrap();
    assert!(!recorder.only().url.contains('?'));
    let recorder = answering(200, "application/json", br#"{}"#);
    let client = Client::builder("http://127.0.0.1:9")
        .token_key("t")
        .transport(recorder.clone())
        .build()
        .unwrap();
    client.get_me().await.unwrap();
    assert_eq!(header(&recorder.only(), "x-token"), "t");
}

#[tokio::test]
async fn servers_media_types_and_file_responses() {
    use crate::swagger2::client::Client;
    // https first, then http; basePath's trailing slash dropped.
    let recorder = answering(200, "text/plain", b"hello");
    let client = Client::for_server_0()
        .transport(recorder.clone())
        .build()
        .unwrap();
    let note = client.get_note_text(7).await.unwrap();
    assert_eq!(note.text, "hello");
    let request = recorder.only();
    assert_eq!(request.url, "https://api.example.com/v1/notes/7.txt");
    assert_eq!(header(&request, "accept"), "text/plain");
    let client = Client::for_server_1()
        .transport(recorder.clone())
        .build()
        .unwrap();
    assert_eq!(client.api().base_url(), "http://api.example.com/v1");

    use crate::swagger2_file_response::client::Client as Files;
    let recorder = answering(200, "application/pdf", b"%PDF");
    let client = Files::builder("http://127.0.0.1:9")
        .transport(recorder.clone())
        .build()
        .unwrap();
    let report = client.get_report("r").await.unwrap();
    assert_eq!(&report.bytes[..], b"%PDF");
    assert_eq!(header(&recorder.only(), "accept"), "application/pdf");
}
