//! A stable API (`Config::stable_api`) used from another crate, as users of a generated crate use
//! it: this file is an integration test, so `#[non_exhaustive]` binds it (no struct literals, no
//! `..Default::default()`, a wildcard arm in every `match`). Every value is built through the
//! generated constructors and setters, and sent through the generated client over a transport
//! that records the request.

use std::sync::{Arc, Mutex};

use desk_runtime::client::{
    http, BoxFuture, FilePart, Request, Response, Transport, TransportError,
};
use strange_usage::stable_api::client::{
    Client, ListPetsParams, UpdatePetError, UploadPhotoMultipart,
};
use strange_usage::stable_api::models::{
    Circle, Filter, Label, Note, Pet, PetStatus, Priority, Problem, Shape,
};
use strange_usage::stable_api::requests::{NoteCreate, PetCreate, PetPatch};

/// Records every request; answers each with one response.
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

fn client_answering(status: u16, content_type: &str, body: &str) -> (Client, Recorder) {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_str(content_type).unwrap(),
    );
    let recorder = Recorder {
        requests: Arc::default(),
        answer: Response {
            status: http::StatusCode::from_u16(status).unwrap(),
            headers,
            body: desk_runtime::client::bytes::Bytes::copy_from_slice(body.as_bytes()),
        },
    };
    let client = Client::builder("http://127.0.0.1:9")
        .transport(recorder.clone())
        .build()
        .unwrap();
    (client, recorder)
}

impl Recorder {
    fn only(&self) -> Request {
        let requests = self.requests.lock().unwrap();
        assert_eq!(requests.len(), 1);
        requests[0].clone()
    }
}

fn json_body(request: &Request) -> serde_json::Value {
    serde_json::from_slice(request.body.as_deref().expect("a body")).expect("JSON")
}

#[test]
fn models_are_built_with_constructors_and_setters() {
    let pet = Pet::new("Rex")
        .id(7)
        .tag("dog")
        .nickname("Rexy")
        .status(PetStatus::Available)
        .priority(Priority::V2)
        .shape(Shape::Circle(Circle::new("circle", 1.5)));
    assert_eq!(pet.name, "Rex");
    assert_eq!(
        serde_json::to_value(&pet).unwrap(),
        serde_json::json!({
            "id": 7, "name": "Rex", "tag": "dog", "nickname": "Rexy", "status": "available",
            "priority": 2, "shape": {"kind": "circle", "radius": 1.5}
        })
    );
    // Fields stay public to read and to assign.
    let mut renamed = pet.clone();
    renamed.name = "Max".to_owned();
    assert_ne!(renamed, pet);
    // All-optional structs have `new()` and `Default`.
    assert_eq!(Problem::new().message("gone"), {
        let mut problem = Problem::default();
        problem.message = Some("gone".into());
        problem
    });
    assert_eq!(
        Filter::new().name("x").status(PetStatus::Sold).name,
        Some("x".into())
    );
}

#[test]
fn enums_and_unions_are_matched_with_a_wildcard_arm() {
    // A stable API's enums are `#[non_exhaustive]`: a later version may add values and
    // alternatives without breaking this code.
    fn word(status: &PetStatus) -> &str {
        match status {
            PetStatus::Available => "available",
            PetStatus::Sold => "sold",
            PetStatus::Other(other) => other,
            _ => "a value this version does not know",
        }
    }
    assert_eq!(word(&"sold".parse::<PetStatus>().unwrap()), "sold");
    assert_eq!(word(&PetStatus::from("archived")), "archived");
    let shape: Shape = serde_json::from_str(r#"{"kind": "hexagon", "side": 2}"#).unwrap();
    let kind = match &shape {
        Shape::Circle(_) => "circle",
        Shape::Square(_) => "square",
        Shape::Unknown(object) => object["kind"].as_str().unwrap_or_default(),
        _ => "an alternative this version does not know",
    };
    assert_eq!(kind, "hexagon");
    let label: Label = serde_json::from_str("42").unwrap();
    assert!(matches!(label, Label::Integer(42)));
}

#[tokio::test]
async fn request_forms_params_and_multipart_bodies_are_built_and_sent() {
    // A create form with a required field and setters.
    let (client, recorder) =
        client_answering(201, "application/json", r#"{"id": 1, "name": "Rex"}"#);
    let created = client
        .create_pet(PetCreate::new("Rex").tag("dog").clear_nickname())
        .await
        .unwrap();
    assert_eq!(created, Pet::new("Rex").id(1));
    assert_eq!(
        json_body(&recorder.only()),
        serde_json::json!({"name": "Rex", "tag": "dog", "nickname": null})
    );

    // A create form that is its model shares the model's constructor and setters.
    let (client, recorder) = client_answering(201, "application/json", r#"{"text": "hi"}"#);
    let note: NoteCreate = Note::new("hi").pinned(true);
    client.create_note(note).await.unwrap();
    assert_eq!(
        json_body(&recorder.only()),
        serde_json::json!({"text": "hi", "pinned": true})
    );

    // A patch, and an outcome enum matched with a wildcard arm.
    let (client, recorder) = client_answering(404, "application/json", r#"{"message": "no"}"#);
    let err = client
        .update_pet(7, PetPatch::new().name("Max").clear_tag())
        .await
        .unwrap_err();
    let reason = match err.api_body() {
        Some(UpdatePetError::NotFound(problem)) => problem.message.clone(),
        Some(_) => None,
        None => None,
    };
    assert_eq!(reason.as_deref(), Some("no"));
    assert_eq!(
        json_body(&recorder.only()),
        serde_json::json!({"name": "Max", "tag": null})
    );

    // Parameters: the required one in the constructor, the others by setters.
    let (client, recorder) = client_answering(200, "application/json", "[]");
    let params = ListPetsParams::new("alice")
        .limit(10)
        .tags(["a", "b"])
        .filter(Filter::new().status(PetStatus::Available))
        .x_trace("t-1");
    assert!(client.list_pets(&params).await.unwrap().is_empty());
    let request = recorder.only();
    let query = request.url.split_once('?').map_or("", |(_, query)| query);
    assert!(query.starts_with("owner=alice&limit=10&tags=a"), "{query}");
    assert_eq!(request.headers["x-trace"], "t-1");

    // A multipart body: the required part in the constructor.
    let (client, recorder) = client_answering(204, "text/plain", "");
    let body =
        UploadPhotoMultipart::new(FilePart::new(&b"PNG"[..]).file_name("rex.png")).caption("Rex");
    client.upload_photo(7, body).await.unwrap();
    let sent = String::from_utf8_lossy(recorder.only().body.as_deref().unwrap()).into_owned();
    assert!(sent.contains("filename=\"rex.png\""), "{sent}");
    assert!(sent.contains("name=\"caption\"\r\n\r\nRex"), "{sent}");
}
