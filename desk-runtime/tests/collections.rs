//! Array parameters and form fields on the wire, as a wiremock server on loopback receives
//! them from the default transport: every Swagger 2.0 `collectionFormat` (`csv`, `ssv`, `tsv`,
//! `pipes`, `multi`, and nested arrays) in the path, the query and headers, formData uploads
//! (urlencoded and multipart), and API keys in a header or the query. The calls are the ones
//! desk generates for `desk-codegen/tests/strange/swagger2_*.yaml` (its snapshots show them;
//! `strange_specs.rs` runs those generated clients against a recording transport).
#![cfg(feature = "client")]

use desk_runtime::client::{ApiClient, Auth, Collection, FilePart, Method, Multipart, ToMultipart};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, auth: Auth) -> ApiClient {
    ApiClient::builder(format!("{}/api", server.uri()))
        .auth(auth)
        .build()
        .expect("a valid client")
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn header<'a>(request: &'a wiremock::Request, name: &str) -> Vec<&'a str> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|value| value.to_str().expect("a text header"))
        .collect()
}

#[tokio::test]
async fn every_collection_format_in_the_path_query_and_headers() {
    let server = server().await;
    let nested = vec![vec![vec!["j", "k"], vec!["l"]], vec![vec!["m"]]];
    client(&server, Auth::None)
        .request(Method::GET, "/items/{ids}/{codes}", "listItems")
        .path_text("/items/")
        .path_collection(&[1, 2], Collection::joined(&[","]))
        .path_text("/")
        .path_collection(&["x y", "z"], Collection::joined(&["|"]))
        .query_list("csv", Some(&["a", "b,c"]), false)
        .query_collection("ssv", Some(&["f", "g"]), Collection::joined(&[" "]))
        .query_collection("tsv", Some(&[1.5, 2.0]), Collection::joined(&["\t"]))
        .query_collection("pipes", Some(&[true, false]), Collection::joined(&["|"]))
        .query_list("multi", Some(&["h", "i"]), true)
        .query_collection("nested", Some(&nested), Collection::exploded(&["|", ","]))
        .header_list("X-Csv", Some(&["n", "o"]), false)
        .header_collection("X-Ssv", Some(&["p", "q"]), Collection::joined(&[" "]))
        .header_collection("X-Tsv", Some(&["r", "s"]), Collection::joined(&["\t"]))
        .send::<()>()
        .await
        .expect("sent");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/api/items/1,2/x%20y%7Cz");
    assert_eq!(
        request.url.query(),
        Some(
            "csv=a%2Cb%2Cc&ssv=f%20g&tsv=1.5%092.0&pipes=true%7Cfalse&multi=h&multi=i\
             &nested=j%2Ck%7Cl&nested=m"
        )
    );
    let decoded: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    let value = |key: &str| -> Vec<&str> {
        decoded
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    assert_eq!(value("ssv"), ["f g"]);
    assert_eq!(value("tsv"), ["1.5\t2.0"]);
    assert_eq!(value("pipes"), ["true|false"]);
    assert_eq!(value("nested"), ["j,k|l", "m"]);
    assert_eq!(header(&request, "x-csv"), ["n,o"]);
    assert_eq!(header(&request, "x-ssv"), ["p q"]);
    assert_eq!(header(&request, "x-tsv"), ["r\ts"]);
}

#[tokio::test]
async fn urlencoded_form_fields_in_every_collection_format() {
    let server = server().await;
    let body = serde_json::json!({
        "q": "a b", "csv": ["1", "2"], "ssv": ["3", "4"], "tsv": ["5", "6"],
        "pipes": ["7", "8"], "multi": ["9", "0"]
    });
    client(&server, Auth::None)
        .request(Method::POST, "/search", "search")
        .form_with(
            Some(&body),
            &[
                ("csv", Collection::joined(&[","])),
                ("ssv", Collection::joined(&[" "])),
                ("tsv", Collection::joined(&["\t"])),
                ("pipes", Collection::joined(&["|"])),
            ],
        )
        .send::<()>()
        .await
        .expect("sent");
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        ["application/x-www-form-urlencoded"]
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "q=a+b&csv=1%2C2&ssv=3+4&tsv=5%096&pipes=7%7C8&multi=9&multi=0"
    );
}

/// As generated for `swagger2_form_upload.yaml`'s `uploadFile`.
struct UploadFileMultipart {
    file: FilePart,
    tags: Option<Vec<String>>,
    labels: Option<Vec<String>>,
    parts: Option<Vec<i64>>,
}

impl ToMultipart for UploadFileMultipart {
    fn to_multipart(&self) -> Result<Multipart, serde_json::Error> {
        let mut form = Multipart::new();
        form.file("file", &self.file, None);
        if let Some(value) = &self.tags {
            form.collection("tags", value, Collection::joined(&[","]), None)?;
        }
        if let Some(value) = &self.labels {
            form.collection("labels", value, Collection::joined(&["|"]), None)?;
        }
        if let Some(value) = &self.parts {
            form.texts("parts", value, None)?;
        }
        Ok(form)
    }
}

#[tokio::test]
async fn a_multipart_upload_with_collection_formats() {
    let server = server().await;
    let body = UploadFileMultipart {
        file: FilePart::new(&b"%PDF"[..]).file_name("a.pdf"),
        tags: Some(vec!["a".into(), "b".into()]),
        labels: Some(vec!["c".into(), "d".into()]),
        parts: Some(vec![1, 2]),
    };
    client(&server, Auth::None)
        .request(Method::POST, "/files", "uploadFile")
        .multipart(Some(&body))
        .send::<()>()
        .await
        .expect("sent");
    let request = only_request(&server).await;
    let content_type = header(&request, "content-type")[0].to_owned();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    let expected = [
        "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/octet-stream\r\n\r\n%PDF\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\na,b\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"labels\"\r\n\r\nc|d\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"parts\"\r\n\r\n1\r\n",
        "--B\r\nContent-Disposition: form-data; name=\"parts\"\r\n\r\n2\r\n",
        "--B--\r\n",
    ]
    .concat()
    .replace("--B", &format!("--{boundary}"));
    assert_eq!(String::from_utf8_lossy(&request.body), expected);
}

#[tokio::test]
async fn api_keys_in_the_query_and_in_a_header() {
    let server = server().await;
    client(&server, Auth::api_key_query("api_key", "k 1&x"))
        .request(Method::GET, "/me", "getMe")
        .query("page", Some(&2))
        .send::<()>()
        .await
        .expect("sent");
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("page=2&api_key=k%201%26x"));
    assert!(header(&request, "authorization").is_empty());

    let server = self::server().await;
    client(&server, Auth::api_key_header("X-Token", "t"))
        .request(Method::GET, "/me", "getMe")
        .send::<()>()
        .await
        .expect("sent");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "x-token"), ["t"]);
    assert_eq!(request.url.query(), None);

    // A public operation carries no key.
    let server = self::server().await;
    client(&server, Auth::api_key_query("api_key", "k"))
        .request(Method::GET, "/health", "health")
        .public()
        .send::<()>()
        .await
        .expect("sent");
    assert_eq!(only_request(&server).await.url.query(), None);
}
