//! `paginate` over fake pages and over a real paged endpoint.
#![cfg(feature = "client")]

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use desk_runtime::client::{
    decode_json, paginate, ApiClient, Error, RequestSpec, StreamExt, TryStreamExt,
};
use http::Method;
use serde::Deserialize;
use wiremock::matchers::{path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn pages() -> Vec<Vec<u32>> {
    vec![vec![1, 2, 3], vec![4, 5], vec![6]]
}

#[tokio::test]
async fn yields_every_item_of_every_page_once() {
    let calls = Arc::new(AtomicU32::new(0));
    let seen_pages = Arc::new(std::sync::Mutex::new(Vec::new()));
    let items: Vec<Result<u32, String>> = paginate(1, |page| {
        let calls = calls.clone();
        let seen_pages = seen_pages.clone();
        async move {
            calls.fetch_add(1, Ordering::SeqCst);
            seen_pages.lock().unwrap().push(page);
            let pages = pages();
            let items = pages[page as usize - 1].clone();
            Ok((items, (page as usize) < pages.len()))
        }
    })
    .collect()
    .await;
    assert_eq!(items, (1..=6).map(Ok).collect::<Vec<_>>());
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(*seen_pages.lock().unwrap(), vec![1, 2, 3]);
}

#[tokio::test]
async fn starts_at_the_given_page() {
    let items: Vec<u32> = paginate(0, |page| async move { Ok::<_, ()>((vec![page], page < 2)) })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, vec![0, 1, 2]);
}

#[tokio::test]
async fn stops_when_has_more_is_false_even_if_more_pages_exist() {
    let calls = AtomicU32::new(0);
    let items: Vec<Result<u32, ()>> = paginate(1, |page| {
        calls.fetch_add(1, Ordering::SeqCst);
        async move { Ok((vec![page], false)) }
    })
    .collect()
    .await;
    assert_eq!(items, vec![Ok(1)]);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn stops_on_an_empty_page_even_if_has_more() {
    let calls = AtomicU32::new(0);
    let items: Vec<Result<u32, ()>> = paginate(1, |page| {
        calls.fetch_add(1, Ordering::SeqCst);
        async move {
            if page == 1 {
                Ok((vec![1], true))
            } else {
                Ok((Vec::new(), true))
            }
        }
    })
    .collect()
    .await;
    assert_eq!(items, vec![Ok(1)]);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn stops_after_the_first_error() {
    let calls = AtomicU32::new(0);
    let items: Vec<Result<u32, String>> = paginate(1, |page| {
        calls.fetch_add(1, Ordering::SeqCst);
        async move {
            match page {
                1 => Ok((vec![1, 2], true)),
                2 => Err(format!("page {page} failed")),
                _ => Ok((vec![99], true)),
            }
        }
    })
    .collect()
    .await;
    assert_eq!(items, vec![Ok(1), Ok(2), Err("page 2 failed".to_string())]);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn can_be_consumed_lazily() {
    let calls = AtomicU32::new(0);
    let stream = paginate(1, |page| {
        calls.fetch_add(1, Ordering::SeqCst);
        async move { Ok::<_, ()>((vec![page * 10, page * 10 + 1], true)) }
    });
    let mut stream = std::pin::pin!(stream);
    assert_eq!(stream.next().await, Some(Ok(10)));
    assert_eq!(stream.next().await, Some(Ok(11)));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(stream.next().await, Some(Ok(20)));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[derive(Debug, Deserialize)]
struct Page {
    tickets: Vec<u32>,
    has_more: bool,
}

#[tokio::test]
async fn walks_a_paged_endpoint_through_the_client() {
    let server = MockServer::start().await;
    for (page, body) in [
        (1, r#"{"tickets":[1,2],"has_more":true}"#),
        (2, r#"{"tickets":[3,4],"has_more":true}"#),
        (3, r#"{"tickets":[5],"has_more":false}"#),
    ] {
        Mock::given(path("/tickets.json"))
            .and(query_param("page", page.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_string(body))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = ApiClient::builder(server.uri()).build().unwrap();

    let tickets: Vec<u32> = paginate(1, |page| {
        let client = client.clone();
        async move {
            let response = client
                .execute(
                    RequestSpec::new(Method::GET, "/tickets.json")
                        .with_query("page", page.to_string()),
                )
                .await
                .map_err(Error::into_any)?;
            let page: Page = decode_json::<_, ()>(&response)?;
            Ok::<_, Error<()>>((page.tickets, page.has_more))
        }
    })
    .try_collect()
    .await
    .unwrap();
    assert_eq!(tickets, vec![1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn whole_pages_are_yielded_while_the_fetch_says_more() {
    // Each "page" is a whole body: its number and its items.
    let bodies: Vec<Result<(u32, Vec<u32>), String>> = desk_runtime::client::pages(
        2,
        |page| async move { Ok(((page, vec![page * 10]), page < 4)) },
    )
    .collect()
    .await;
    assert_eq!(
        bodies,
        vec![Ok((2, vec![20])), Ok((3, vec![30])), Ok((4, vec![40]))]
    );

    // Items of whole pages, and an error passed on as the last element.
    let pages = desk_runtime::client::pages(1, |page| async move {
        if page == 3 {
            Err("page 3 failed".to_owned())
        } else {
            Ok((vec![page, page + 100], true))
        }
    });
    let items: Vec<Result<u32, String>> = desk_runtime::client::items(pages, |items| items)
        .collect()
        .await;
    assert_eq!(
        items,
        vec![
            Ok(1),
            Ok(101),
            Ok(2),
            Ok(102),
            Err("page 3 failed".to_owned())
        ]
    );
}
