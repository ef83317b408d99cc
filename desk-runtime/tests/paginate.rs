//! Page streams against wiremock on 127.0.0.1, one style at a time: three pages walked, the
//! requests on the wire (page numbers, offsets, tokens, ids, links), the stop condition, next
//! links on another origin, servers that loop, errors, caps and the deadline (the deadline with
//! an in-process transport and tokio's paused clock, so nothing depends on the machine's speed).
#![cfg(feature = "client")]

use std::time::Duration;

use desk_runtime::client::{
    ApiClient, Auth, BoxFuture, Error, Method, PageField, PageParam, Pages, Paging, PagingError,
    Request, Response, RetryPolicy, StreamExt, Transport, TransportError, TryStreamExt,
};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A list operation as generated code writes it: one request chain, then the status.
async fn list(
    client: ApiClient,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
) -> Result<Value, Error<()>> {
    let mut request = client.request(Method::GET, "/items", "listItems");
    for (key, value) in &query {
        request = request.query(key, Some(value));
    }
    for (key, value) in &headers {
        request = request.header(key, Some(value));
    }
    let response = request.send().await?;
    match response.status.as_u16() {
        200 => response.json(),
        _ => response.unexpected(),
    }
}

fn client(server: &MockServer) -> ApiClient {
    ApiClient::builder(server.uri())
        .bearer_token("key-1")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// The pages of `listItems` with these first-page parameters.
fn pages<'a>(
    client: &ApiClient,
    paging: Paging,
    query: &[(&'static str, &str)],
) -> Pages<'a, Value, Error<()>> {
    let query: Vec<(&'static str, String)> =
        query.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    Pages::new(client, paging, move |client| {
        list(client, query.clone(), Vec::new())
    })
}

/// The ids of every item of a stream over `items`.
async fn ids(pages: Pages<'_, Value, Error<()>>) -> Result<Vec<i64>, Error<()>> {
    pages
        .items(|page: Value| page["items"].as_array().cloned().unwrap_or_default())
        .map_ok(|item| item["id"].as_i64().unwrap())
        .try_collect()
        .await
}

/// What the server received, as `path?query` lines.
async fn wire(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| match r.url.query() {
            Some(query) => format!("{}?{query}", r.url.path()),
            None => r.url.path().to_owned(),
        })
        .collect()
}

fn page(ids: &[i64], more: Value) -> ResponseTemplate {
    let items: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
    let mut body = json!({"items": items});
    if let Value::Object(extra) = more {
        body.as_object_mut().unwrap().extend(extra);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

#[tokio::test]
async fn page_numbers_advance_until_the_flag_says_no_more() {
    let server = MockServer::start().await;
    for (n, more) in [(1, true), (2, true), (3, false)] {
        let matcher = if n == 1 {
            Mock::given(query_param_is_missing("page"))
        } else {
            Mock::given(query_param("page", n.to_string().as_str()))
        };
        matcher
            .and(path("/items"))
            .respond_with(page(
                &[n * 10, n * 10 + 1],
                json!({"meta": {"hasMore": more}}),
            ))
            .expect(1)
            .mount(&server)
            .await;
    }
    let paging = Paging::page_number("page", 1)
        .items(&["items"])
        .more(&[&["pagination", "hasMorePages"], &["meta", "hasMore"]]);
    let got = ids(pages(&client(&server), paging, &[("filter", "x")]))
        .await
        .unwrap();
    assert_eq!(got, [10, 11, 20, 21, 30, 31]);
    // The first page as the caller asked (no page number), then 2 and 3 with the filter kept.
    assert_eq!(
        wire(&server).await,
        [
            "/items?filter=x",
            "/items?filter=x&page=2",
            "/items?filter=x&page=3"
        ]
    );
}

#[tokio::test]
async fn page_numbers_start_where_the_caller_says_and_stop_at_the_total_or_a_short_page() {
    let server = MockServer::start().await;
    for n in 3..=5 {
        Mock::given(path("/items"))
            .and(query_param("page", n.to_string().as_str()))
            .respond_with(page(&[n], json!({"total_pages": 5})))
            .mount(&server)
            .await;
    }
    let paging = Paging::page_number("page", 1)
        .items(&["items"])
        .total_pages(PageField::Body(&["total_pages"]));
    let got = ids(pages(&client(&server), paging, &[("page", "3")]))
        .await
        .unwrap();
    assert_eq!(got, [3, 4, 5]);
    assert_eq!(wire(&server).await.len(), 3);

    // A short page (fewer than `per_page`) is the last.
    let server = MockServer::start().await;
    Mock::given(path("/items"))
        .and(query_param("page", "2"))
        .respond_with(page(&[3], json!({})))
        .mount(&server)
        .await;
    Mock::given(path("/items"))
        .respond_with(page(&[1, 2], json!({})))
        .mount(&server)
        .await;
    let paging = Paging::page_number("page", 1)
        .items(&["items"])
        .page_size("per_page");
    let got = ids(pages(&client(&server), paging, &[("per_page", "2")]))
        .await
        .unwrap();
    assert_eq!(got, [1, 2, 3]);
    assert_eq!(
        wire(&server).await,
        ["/items?per_page=2", "/items?per_page=2&page=2"]
    );
}

#[tokio::test]
async fn page_numbers_stop_on_an_empty_page_and_on_the_total_of_items() {
    let server = MockServer::start().await;
    Mock::given(path("/items"))
        .and(query_param("page", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    for n in [1, 2] {
        Mock::given(path("/items"))
            .and(query_param("page", n.to_string().as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": n}])))
            .mount(&server)
            .await;
    }
    // The body is the array.
    let got: Vec<Value> = Pages::new(&client(&server), Paging::page_number("page", 1), |client| {
        list(client, vec![("page", "1".into())], Vec::new())
    })
    .items(|page: Value| page.as_array().cloned().unwrap_or_default())
    .try_collect()
    .await
    .unwrap();
    assert_eq!(got, [json!({"id": 1}), json!({"id": 2})]);
    assert_eq!(wire(&server).await.len(), 3);

    // 5 items in all, 2 a page: the third page is the last.
    let server = MockServer::start().await;
    for n in 1..=3 {
        Mock::given(path("/items"))
            .and(query_param("page", n.to_string().as_str()))
            .respond_with(page(&[n * 2 - 1, n * 2], json!({"total": 5})))
            .mount(&server)
            .await;
    }
    let paging = Paging::page_number("page", 1)
        .items(&["items"])
        .total_items(PageField::Body(&["total"]));
    let got = ids(pages(&client(&server), paging, &[("page", "1")]))
        .await
        .unwrap();
    assert_eq!(got, [1, 2, 3, 4, 5, 6]);
    assert_eq!(wire(&server).await.len(), 3);
}

#[tokio::test]
async fn offsets_advance_by_the_items_received() {
    let server = MockServer::start().await;
    for (offset, ids) in [(0, [1, 2].as_slice()), (2, &[3, 4]), (4, &[5])] {
        let matcher = if offset == 0 {
            Mock::given(query_param_is_missing("offset"))
        } else {
            Mock::given(query_param("offset", offset.to_string().as_str()))
        };
        matcher
            .and(path("/items"))
            .respond_with(page(ids, json!({"total": 50})))
            .expect(1)
            .mount(&server)
            .await;
    }
    let paging = Paging::offset("offset", 0)
        .items(&["items"])
        .page_size("limit")
        .total_items(PageField::Body(&["total"]));
    let got = ids(pages(&client(&server), paging, &[("limit", "2")]))
        .await
        .unwrap();
    assert_eq!(got, [1, 2, 3, 4, 5]);
    // The third page is short: the walk stops although the total says 50.
    assert_eq!(
        wire(&server).await,
        [
            "/items?limit=2",
            "/items?limit=2&offset=2",
            "/items?limit=2&offset=4"
        ]
    );
}

#[tokio::test]
async fn body_tokens_go_back_as_the_query_parameter_until_there_is_none() {
    let server = MockServer::start().await;
    for (token, next, ids) in [
        (None, json!("t2"), [1, 2].as_slice()),
        (Some("t2"), json!("t3"), &[3]),
        (Some("t3"), json!(""), &[4]),
    ] {
        let matcher = match token {
            Some(token) => Mock::given(query_param("pageToken", token)),
            None => Mock::given(query_param_is_missing("pageToken")),
        };
        matcher
            .and(path("/items"))
            .respond_with(page(
                ids,
                json!({"response_metadata": {"next_cursor": next}}),
            ))
            .expect(1)
            .mount(&server)
            .await;
    }
    let paging = Paging::token(
        PageField::Body(&["response_metadata", "next_cursor"]),
        PageParam::Query("pageToken"),
    )
    .items(&["items"]);
    let got = ids(pages(&client(&server), paging, &[("pageSize", "2")]))
        .await
        .unwrap();
    assert_eq!(got, [1, 2, 3, 4]);
    assert_eq!(
        wire(&server).await,
        [
            "/items?pageSize=2",
            "/items?pageSize=2&pageToken=t2",
            "/items?pageSize=2&pageToken=t3"
        ]
    );
}

#[tokio::test]
async fn dropshot_tokens_keep_only_the_named_parameters() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("page_token"))
        .respond_with(page(&[1], json!({"next_page": "p2"})))
        .mount(&server)
        .await;
    Mock::given(query_param("page_token", "p2"))
        .respond_with(page(&[2], json!({"next_page": null})))
        .mount(&server)
        .await;
    let paging = Paging::token(
        PageField::Body(&["next_page"]),
        PageParam::Query("page_token"),
    )
    .items(&["items"])
    .keep_only(&["limit", "project"]);
    let query = [
        ("limit", "1"),
        ("project", "p"),
        ("sort_by", "name_ascending"),
    ];
    let got = ids(pages(&client(&server), paging, &query)).await.unwrap();
    assert_eq!(got, [1, 2]);
    assert_eq!(
        wire(&server).await,
        [
            "/items?limit=1&project=p&sort_by=name_ascending",
            "/items?limit=1&project=p&page_token=p2"
        ]
    );
}

#[tokio::test]
async fn header_tokens_go_back_as_a_request_header() {
    let server = MockServer::start().await;
    Mock::given(header("x-continuation", "c2"))
        .respond_with(page(&[2], json!({})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/items"))
        .respond_with(page(&[1], json!({})).insert_header("x-next-continuation", "c2"))
        .expect(1)
        .mount(&server)
        .await;
    let paging = Paging::token(
        PageField::Header("x-next-continuation"),
        PageParam::Header("x-continuation"),
    )
    .items(&["items"]);
    let got = ids(pages(&client(&server), paging, &[])).await.unwrap();
    assert_eq!(got, [1, 2]);
}

#[tokio::test]
async fn the_last_items_id_is_the_next_starting_after() {
    let server = MockServer::start().await;
    for (after, ids, more) in [
        (None, [1, 2].as_slice(), true),
        (Some("2"), &[3, 4], true),
        (Some("4"), &[5], false),
    ] {
        let items: Vec<Value> = ids.iter().map(|id| json!({"id": id.to_string()})).collect();
        let matcher = match after {
            Some(after) => Mock::given(query_param("starting_after", after)),
            None => Mock::given(query_param_is_missing("starting_after")),
        };
        matcher
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"object": "list", "data": items, "has_more": more})),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let paging = Paging::last_item("id", PageParam::Query("starting_after"))
        .items(&["data"])
        .more(&[&["has_more"]]);
    let got: Vec<String> = Pages::new(&client(&server), paging, |client| {
        list(client, vec![("limit", "2".into())], Vec::new())
    })
    .items(|page: Value| page["data"].as_array().cloned().unwrap_or_default())
    .map_ok(|item| item["id"].as_str().unwrap().to_owned())
    .try_collect()
    .await
    .unwrap();
    assert_eq!(got, ["1", "2", "3", "4", "5"]);
    assert_eq!(
        wire(&server).await,
        [
            "/items?limit=2",
            "/items?limit=2&starting_after=2",
            "/items?limit=2&starting_after=4"
        ]
    );
}

#[tokio::test]
async fn body_next_links_are_followed_relative_or_absolute_with_carried_parameters() {
    let server = MockServer::start().await;
    let absolute = format!("{}/items/more?$skiptoken=3", server.uri());
    Mock::given(path("/items"))
        .respond_with(page(&[1], json!({"nextLink": "/items/more?$skiptoken=2"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/items/more"))
        .and(query_param("$skiptoken", "2"))
        .respond_with(page(&[2], json!({"nextLink": absolute})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/items/more"))
        .and(query_param("$skiptoken", "3"))
        .respond_with(page(&[3], json!({"nextLink": null})))
        .expect(1)
        .mount(&server)
        .await;
    let paging = Paging::next_link(PageField::Body(&["nextLink"]))
        .items(&["items"])
        .carry(&["api-version"]);
    let query = [("api-version", "2020-01-01"), ("$filter", "x")];
    let got = ids(pages(&client(&server), paging, &query)).await.unwrap();
    assert_eq!(got, [1, 2, 3]);
    // The links are followed as given, with the missing `api-version` added; `$filter` is the
    // link's business.
    assert_eq!(
        wire(&server).await,
        [
            "/items?api-version=2020-01-01&%24filter=x",
            "/items/more?$skiptoken=2&api-version=2020-01-01",
            "/items/more?$skiptoken=3&api-version=2020-01-01"
        ]
    );
    // Every request on the client's origin carried the credentials.
    for request in server.received_requests().await.unwrap() {
        assert_eq!(
            request.headers.get("authorization").unwrap(),
            "Bearer key-1"
        );
    }
}

#[tokio::test]
async fn link_headers_are_followed_until_there_is_no_next() {
    let server = MockServer::start().await;
    let uri = server.uri();
    for (n, link) in [
        (
            1,
            Some(format!(
                r#"<{uri}/items?page=2&per_page=2>; rel="next", <{uri}/items?page=3&per_page=2>; rel="last""#
            )),
        ),
        (
            2,
            Some(format!(
                r#"<{uri}/items?page=1&per_page=2>; rel="prev", <{uri}/items?page=3&per_page=2>; rel="next""#
            )),
        ),
        (
            3,
            Some(format!(r#"<{uri}/items?page=2&per_page=2>; rel="prev""#)),
        ),
    ] {
        let body = json!([{"id": n}]);
        let mut response = ResponseTemplate::new(200).set_body_json(body);
        if let Some(link) = link {
            response = response.insert_header("link", link.as_str());
        }
        let matcher = if n == 1 {
            Mock::given(query_param_is_missing("page"))
        } else {
            Mock::given(query_param("page", n.to_string().as_str()))
        };
        matcher
            .and(method("GET"))
            .respond_with(response)
            .expect(1)
            .mount(&server)
            .await;
    }
    let got: Vec<Value> = Pages::new(
        &client(&server),
        Paging::next_link(PageField::LinkHeader),
        |client| list(client, vec![("per_page", "2".into())], Vec::new()),
    )
    .items(|page: Value| page.as_array().cloned().unwrap_or_default())
    .try_collect()
    .await
    .unwrap();
    assert_eq!(got, [json!({"id": 1}), json!({"id": 2}), json!({"id": 3})]);
    assert_eq!(
        wire(&server).await,
        [
            "/items?per_page=2",
            "/items?page=2&per_page=2",
            "/items?page=3&per_page=2"
        ]
    );
}

#[tokio::test]
async fn a_next_link_on_another_origin_is_sent_no_credentials() {
    let home = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(path("/items"))
        .respond_with(page(
            &[1],
            json!({"next": format!("{}/items?page=2", elsewhere.uri())}),
        ))
        .expect(1)
        .mount(&home)
        .await;
    Mock::given(path("/items"))
        .respond_with(page(&[2], json!({})))
        .expect(1)
        .mount(&elsewhere)
        .await;
    let paging = Paging::next_link(PageField::Body(&["next"])).items(&["items"]);
    let got = ids(Pages::new(&client(&home), paging, |client| {
        list(client, Vec::new(), vec![("x-api-key", "secret-2".into())])
    }))
    .await
    .unwrap();
    assert_eq!(got, [1, 2]);
    let first = &home.received_requests().await.unwrap()[0];
    assert_eq!(first.headers.get("authorization").unwrap(), "Bearer key-1");
    assert_eq!(first.headers.get("x-api-key").unwrap(), "secret-2");
    // Another port is another origin: neither the token nor the header parameter goes there.
    let second = &elsewhere.received_requests().await.unwrap()[0];
    assert!(second.headers.get("authorization").is_none());
    assert!(second.headers.get("x-api-key").is_none());
    assert_eq!(second.url.query(), Some("page=2"));
}

#[tokio::test]
async fn an_api_key_in_the_query_follows_next_links_on_the_same_origin_only() {
    let home = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    // The first next link echoes the key (as some servers do): it is replaced, not repeated.
    Mock::given(path("/items"))
        .and(query_param_is_missing("page"))
        .respond_with(page(
            &[1],
            json!({"next": format!("{}/items?page=2&api_key=echoed", home.uri())}),
        ))
        .mount(&home)
        .await;
    Mock::given(path("/items"))
        .and(query_param("page", "2"))
        .respond_with(page(
            &[2],
            json!({"next": format!("{}/items?page=3", elsewhere.uri())}),
        ))
        .mount(&home)
        .await;
    Mock::given(path("/items"))
        .respond_with(page(&[3], json!({})))
        .mount(&elsewhere)
        .await;
    let client = ApiClient::builder(home.uri())
        .auth(Auth::api_key_query("api_key", "secret-3"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let paging = Paging::next_link(PageField::Body(&["next"])).items(&["items"]);
    let got = ids(pages(&client, paging, &[])).await.unwrap();
    assert_eq!(got, [1, 2, 3]);
    assert_eq!(
        wire(&home).await,
        ["/items?api_key=secret-3", "/items?page=2&api_key=secret-3"]
    );
    assert_eq!(wire(&elsewhere).await, ["/items?page=3"]);
}

#[tokio::test]
async fn a_next_link_that_is_not_http_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(path("/items"))
        .respond_with(page(&[1], json!({"next": "file:///etc/passwd"})))
        .expect(1)
        .mount(&server)
        .await;
    let paging = Paging::next_link(PageField::Body(&["next"])).items(&["items"]);
    let got: Vec<Result<Value, Error<()>>> = pages(&client(&server), paging, &[]).collect().await;
    assert_eq!(got.len(), 2);
    assert!(got[0].is_ok());
    assert!(
        matches!(
            &got[1],
            Err(Error::Paging(PagingError::InvalidLink { page: 1, .. }))
        ),
        "{:?}",
        got[1]
    );
}

#[tokio::test]
async fn a_server_that_loops_ends_the_stream_with_an_error() {
    // A token that comes back: t1 → t2 → t1.
    let server = MockServer::start().await;
    Mock::given(query_param("cursor", "t2"))
        .respond_with(page(&[2], json!({"next_cursor": "t1"})))
        .mount(&server)
        .await;
    Mock::given(path("/items"))
        .respond_with(page(&[1], json!({"next_cursor": "t2"})))
        .mount(&server)
        .await;
    let paging = Paging::token(
        PageField::Body(&["next_cursor"]),
        PageParam::Query("cursor"),
    )
    .items(&["items"]);
    let got: Vec<Result<Value, Error<()>>> = pages(&client(&server), paging, &[]).collect().await;
    // Pages 1, 2 and 3 (t1 again), then the error: t2 would be followed a second time.
    assert_eq!(got.len(), 4);
    assert!(got[..3].iter().all(Result::is_ok));
    assert!(matches!(
        &got[3],
        Err(Error::Paging(PagingError::Repeated {
            page: 3,
            what: "next-page token"
        }))
    ));
    assert_eq!(wire(&server).await.len(), 3);

    // A page that links to itself.
    let server = MockServer::start().await;
    Mock::given(query_param("page", "2"))
        .respond_with(page(&[2], json!({"next": "/items?page=2"})))
        .mount(&server)
        .await;
    Mock::given(path("/items"))
        .respond_with(page(&[1], json!({"next": "/items?page=2"})))
        .mount(&server)
        .await;
    let paging = Paging::next_link(PageField::Body(&["next"])).items(&["items"]);
    let got: Vec<Result<Value, Error<()>>> = pages(&client(&server), paging, &[]).collect().await;
    assert_eq!(got.len(), 3);
    assert!(matches!(
        &got[2],
        Err(Error::Paging(PagingError::Repeated {
            page: 2,
            what: "next link"
        }))
    ));

    // A server that ignores the page number and keeps saying "more".
    let server = MockServer::start().await;
    Mock::given(path("/items"))
        .respond_with(page(&[1, 2], json!({"has_more": true})))
        .mount(&server)
        .await;
    let paging = Paging::page_number("page", 1)
        .items(&["items"])
        .more(&[&["has_more"]]);
    let got: Vec<Result<Value, Error<()>>> = pages(&client(&server), paging, &[]).collect().await;
    assert_eq!(got.len(), 3);
    let error = got[2].as_ref().unwrap_err();
    assert!(matches!(
        error,
        Error::Paging(PagingError::SameItems { page: 2 })
    ));
    assert_eq!(
        error.to_string(),
        "page 2 holds the same items as the page before (the server ignores the page parameter)"
    );
}

#[tokio::test]
async fn the_first_error_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/items"))
        .respond_with(page(&[1], json!({"has_more": true})))
        .expect(1)
        .mount(&server)
        .await;
    let paging = Paging::page_number("page", 1)
        .items(&["items"])
        .more(&[&["has_more"]]);
    let got: Vec<Result<i64, Error<()>>> = pages(&client(&server), paging, &[])
        .items(|page: Value| page["items"].as_array().cloned().unwrap_or_default())
        .map_ok(|item| item["id"].as_i64().unwrap())
        .collect()
        .await;
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].as_ref().ok(), Some(&1));
    assert_eq!(
        got[1].as_ref().unwrap_err().status().map(|s| s.as_u16()),
        Some(500)
    );
}

#[tokio::test]
async fn caps_stop_the_walk_without_fetching_more() {
    let server = MockServer::start().await;
    for n in 1..=5 {
        Mock::given(query_param("page", n.to_string().as_str()))
            .respond_with(page(&[n * 10, n * 10 + 1], json!({"has_more": true})))
            .mount(&server)
            .await;
    }
    let paging = Paging::page_number("page", 1)
        .items(&["items"])
        .more(&[&["has_more"]]);
    let first_pages: Vec<Value> = pages(&client(&server), paging, &[("page", "1")])
        .max_pages(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first_pages.len(), 2);
    assert_eq!(wire(&server).await.len(), 2);

    server.reset().await;
    for n in 1..=5 {
        Mock::given(query_param("page", n.to_string().as_str()))
            .respond_with(page(&[n * 10, n * 10 + 1], json!({"has_more": true})))
            .mount(&server)
            .await;
    }
    let items = pages(&client(&server), paging, &[("page", "1")])
        .items(|page: Value| page["items"].as_array().cloned().unwrap_or_default())
        .max_items(3);
    let got: Vec<Value> = items.try_collect().await.unwrap();
    assert_eq!(got.len(), 3);
    // Three items take two pages; the third page is never asked for.
    assert_eq!(wire(&server).await.len(), 2);

    server.reset().await;
    for n in 1..=5 {
        Mock::given(query_param("page", n.to_string().as_str()))
            .respond_with(page(&[n * 10, n * 10 + 1], json!({"has_more": true})))
            .mount(&server)
            .await;
    }
    let mut items = pages(&client(&server), paging, &[("page", "1")])
        .items(|page: Value| page["items"].as_array().cloned().unwrap_or_default())
        .max_pages(1);
    // Unpin: `next()` without pinning.
    assert!(items.next().await.is_some());
    assert!(items.next().await.is_some());
    assert!(items.next().await.is_none());
    assert_eq!(wire(&server).await.len(), 1);
}

/// Answers page 1 at once and never answers page 2.
struct SlowSecondPage;

impl Transport for SlowSecondPage {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, TransportError>> {
        Box::pin(async move {
            if request.url.contains("page=2") {
                tokio::time::sleep(Duration::from_secs(3600)).await;
            }
            Ok(Response {
                status: http::StatusCode::OK,
                headers: http::HeaderMap::new(),
                body: r#"{"items":[{"id":1}],"has_more":true}"#.into(),
            })
        })
    }
}

#[tokio::test(start_paused = true)]
async fn each_page_is_bounded_by_the_call_deadline() {
    let client = ApiClient::builder("http://127.0.0.1:9")
        .transport(SlowSecondPage)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
        .with_deadline(Duration::from_secs(5));
    let paging = Paging::page_number("page", 1)
        .items(&["items"])
        .more(&[&["has_more"]]);
    let got: Vec<Result<Value, Error<()>>> = Pages::new(&client, paging, |client| {
        list(client, Vec::new(), Vec::new())
    })
    .collect()
    .await;
    assert_eq!(got.len(), 2);
    assert!(got[0].is_ok());
    assert!(got[1].as_ref().unwrap_err().is_timeout());
}

#[test]
fn streams_are_send_and_static_when_they_borrow_nothing() {
    fn assert_send_static<T: Send + 'static>(_: &T) {}
    let client = ApiClient::builder("http://127.0.0.1:9").build().unwrap();
    let stream = Pages::new(&client, Paging::page_number("page", 1), |client| {
        list(client, Vec::new(), Vec::new())
    })
    .items(|page: Value| vec![page]);
    assert_send_static(&stream);
}
