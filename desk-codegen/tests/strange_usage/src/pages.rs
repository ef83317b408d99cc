//! The pagination cases' generated page methods, walked over a scripted transport: the
//! requests they send (the URL of each page) and the items they yield, one style after another.
//! (The runtime's own loopback tests, `desk-runtime/tests/paginate.rs`, cover loops, other
//! origins, errors and deadlines.)

use std::sync::{Arc, Mutex};

use desk_runtime::client::{
    http, BoxFuture, Request, Response, Transport, TransportError, TryStreamExt,
};

const BASE: &str = "http://127.0.0.1:9";

/// Answers each URL (below `BASE`) with its JSON body and headers, anything else with 404;
/// records the requests.
#[derive(Clone)]
struct Script {
    answers: Arc<Vec<(String, Response)>>,
    sent: Arc<Mutex<Vec<Request>>>,
}

/// One scripted answer: the URL below `BASE`, response headers, and the JSON body.
type Answer<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);

impl Script {
    fn new(answers: &[Answer<'_>]) -> Self {
        let answers = answers
            .iter()
            .map(|(url, headers, body)| {
                let mut map = http::HeaderMap::new();
                map.insert(
                    "content-type",
                    http::HeaderValue::from_static("application/json"),
                );
                for (name, value) in *headers {
                    map.insert(
                        http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                        http::HeaderValue::from_str(value).unwrap(),
                    );
                }
                let response = Response {
                    status: http::StatusCode::OK,
                    headers: map,
                    body: desk_runtime::client::bytes::Bytes::copy_from_slice(body.as_bytes()),
                };
                (format!("{BASE}{url}"), response)
            })
            .collect();
        Script {
            answers: Arc::new(answers),
            sent: Arc::default(),
        }
    }

    /// The URLs sent, below `BASE`.
    fn urls(&self) -> Vec<String> {
        let sent = self.sent.lock().unwrap();
        sent.iter()
            .map(|r| r.url.trim_start_matches(BASE).to_owned())
            .collect()
    }

    fn methods(&self) -> Vec<String> {
        let sent = self.sent.lock().unwrap();
        sent.iter().map(|r| r.method.to_string()).collect()
    }
}

impl Transport for Script {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, TransportError>> {
        let answer = self
            .answers
            .iter()
            .find(|(url, _)| *url == request.url)
            .map(|(_, response)| response.clone())
            .unwrap_or(Response {
                status: http::StatusCode::NOT_FOUND,
                headers: http::HeaderMap::new(),
                body: Default::default(),
            });
        self.sent.lock().unwrap().push(request);
        Box::pin(async move { Ok(answer) })
    }
}

#[tokio::test]
async fn link_headers_are_followed_and_pages_are_the_success_enum() {
    use crate::paged_link_header::client::{
        Client, IssuesListForRepoParams, IssuesListForRepoResponse,
    };
    let next = |page: u32| format!("<{BASE}/repos/o/r/issues?per_page=2&page={page}>; rel=next");
    let (two, three) = (next(2), next(3));
    let script = Script::new(&[
        (
            "/repos/o/r/issues?per_page=2",
            &[("link", two.as_str())],
            r#"[{"number": 1}, {"number": 2}]"#,
        ),
        (
            "/repos/o/r/issues?per_page=2&page=2",
            &[("link", three.as_str())],
            r#"[{"number": 3}]"#,
        ),
        (
            "/repos/o/r/issues?per_page=2&page=3",
            &[],
            r#"[{"number": 4}]"#,
        ),
    ]);
    let client = Client::builder(BASE)
        .transport(script.clone())
        .build()
        .unwrap();
    let params = IssuesListForRepoParams::default().per_page(2);
    let numbers: Vec<i64> = client
        .issues_list_for_repo_stream("o", "r", params.clone())
        .map_ok(|issue| issue.number.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(numbers, [1, 2, 3, 4]);
    assert_eq!(
        script.urls(),
        [
            "/repos/o/r/issues?per_page=2",
            "/repos/o/r/issues?per_page=2&page=2",
            "/repos/o/r/issues?per_page=2&page=3"
        ]
    );
    let pages: Vec<IssuesListForRepoResponse> = client
        .issues_list_for_repo_pages("o", "r", params)
        .max_pages(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert!(matches!(&pages[0], IssuesListForRepoResponse::Ok(issues) if issues.len() == 2));
}

#[tokio::test]
async fn dropshot_tokens_keep_only_limit_and_the_required_parameters() {
    use crate::paged_dropshot::client::{Client, InstanceListParams};
    use crate::paged_dropshot::models::NameSortMode;
    let script = Script::new(&[
        (
            "/v1/instances?limit=1&project=p&sort_by=name_ascending",
            &[],
            r#"{"items": [{"name": "a"}], "next_page": "t2"}"#,
        ),
        (
            "/v1/instances?limit=1&project=p&page_token=t2",
            &[],
            r#"{"items": [{"name": "b"}], "next_page": null}"#,
        ),
    ]);
    let client = Client::builder(BASE)
        .transport(script.clone())
        .build()
        .unwrap();
    let params = InstanceListParams::default()
        .limit(1u32)
        .project("p")
        .sort_by(NameSortMode::NameAscending);
    let names: Vec<String> = client
        .instance_list_stream(params)
        .map_ok(|i| i.name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(script.urls().len(), 2);
}

#[tokio::test]
async fn azure_next_links_get_the_api_version_and_post_lists_go_on_with_get() {
    use crate::paged_ms_pageable::client::{Client, LogsQueryParams, WebAppsListParams};
    use crate::paged_ms_pageable::requests::LogsQueryRequestCreate;
    let script = Script::new(&[
        (
            "/subscriptions/s/providers/Microsoft.Web/sites?api-version=v1",
            &[],
            r#"{"value": [{"name": "a"}], "nextLink": "http://127.0.0.1:9/subscriptions/s/providers/Microsoft.Web/sites?$skiptoken=x"}"#,
        ),
        (
            "/subscriptions/s/providers/Microsoft.Web/sites?$skiptoken=x&api-version=v1",
            &[],
            r#"{"value": [{"name": "b"}]}"#,
        ),
        (
            "/subscriptions/s/providers/Microsoft.Insights/logs?api-version=v1",
            &[],
            r#"{"rows": [{"n": 1}], "@odata.nextLink": "logs?page=2&api-version=v1"}"#,
        ),
        (
            "/subscriptions/s/providers/Microsoft.Insights/logs?page=2&api-version=v1",
            &[],
            r#"{"rows": [{"n": 2}]}"#,
        ),
    ]);
    let client = Client::builder(BASE)
        .transport(script.clone())
        .build()
        .unwrap();
    let sites: Vec<Option<String>> = client
        .web_apps_list_stream(
            "s",
            WebAppsListParams {
                api_version: "v1".into(),
            },
        )
        .map_ok(|site| site.name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sites, [Some("a".to_owned()), Some("b".to_owned())]);
    let rows: Vec<_> = client
        .logs_query_stream(
            "s",
            LogsQueryParams {
                api_version: "v1".into(),
            },
            LogsQueryRequestCreate {
                query: Some("q".into()),
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(script.methods(), ["GET", "GET", "POST", "GET"]);
    let sent = script.sent.lock().unwrap();
    assert!(sent[2].body.is_some() && sent[3].body.is_none());
}

#[tokio::test]
async fn tokens_offsets_page_numbers_and_last_items_advance_on_the_wire() {
    let books = Script::new(&[
        (
            "/v1/shelves/s/books?pageSize=2",
            &[],
            r#"{"books": [{"name": "a"}], "nextPageToken": "t2"}"#,
        ),
        (
            "/v1/shelves/s/books?pageSize=2&pageToken=t2",
            &[],
            r#"{"books": [{"name": "b"}], "nextPageToken": ""}"#,
        ),
    ]);
    let client = crate::paged_token::client::Client::builder(BASE)
        .transport(books.clone())
        .build()
        .unwrap();
    let params = crate::paged_token::client::ListBooksParams::default().page_size(2);
    let names: Vec<_> = client
        .list_books_stream("s", params)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names.len(), 2);
    assert_eq!(books.urls().len(), 2);

    let events = Script::new(&[
        (
            "/events?limit=2",
            &[],
            r#"{"items": [{"id": "1"}, {"id": "2"}], "total": 5}"#,
        ),
        (
            "/events?limit=2&offset=2",
            &[],
            r#"{"items": [{"id": "3"}, {"id": "4"}], "total": 5}"#,
        ),
        (
            "/events?limit=2&offset=4",
            &[],
            r#"{"items": [{"id": "5"}], "total": 5}"#,
        ),
    ]);
    let client = crate::paged_offset::client::Client::builder(BASE)
        .transport(events.clone())
        .build()
        .unwrap();
    let params = crate::paged_offset::client::ListEventsParams::default().limit(2);
    let ids: Vec<Option<String>> = client
        .list_events_stream(params)
        .map_ok(|e| e.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids.len(), 5);
    assert_eq!(
        events.urls(),
        [
            "/events?limit=2",
            "/events?limit=2&offset=2",
            "/events?limit=2&offset=4"
        ]
    );

    let articles = Script::new(&[
        (
            "/boards/7/articles",
            &[],
            r#"{"data": [{"id": 1}], "meta": {"total_pages": 3}}"#,
        ),
        (
            "/boards/7/articles?page=1",
            &[],
            r#"{"data": [{"id": 2}], "meta": {"total_pages": 3}}"#,
        ),
        (
            "/boards/7/articles?page=2",
            &[],
            r#"{"data": [{"id": 3}], "meta": {"total_pages": 3}}"#,
        ),
    ]);
    let client = crate::paged_page_number::client::Client::builder(BASE)
        .transport(articles.clone())
        .build()
        .unwrap();
    let params = crate::paged_page_number::client::ListArticlesParams::default();
    let ids: Vec<Option<i64>> = client
        .list_articles_stream(7, params)
        .map_ok(|a| a.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [Some(1), Some(2), Some(3)]);
    assert_eq!(articles.urls().len(), 3);

    let customers = Script::new(&[
        (
            "/v1/customers?limit=2",
            &[],
            r#"{"data": [{"id": "c1"}, {"id": "c2"}], "has_more": true, "object": "list", "url": "/v1/customers"}"#,
        ),
        (
            "/v1/customers?limit=2&starting_after=c2",
            &[],
            r#"{"data": [{"id": "c3"}], "has_more": false, "object": "list", "url": "/v1/customers"}"#,
        ),
    ]);
    let client = crate::paged_last_item::client::Client::builder(BASE)
        .transport(customers.clone())
        .build()
        .unwrap();
    let params = crate::paged_last_item::client::GetCustomersParams::default().limit(2);
    let ids: Vec<String> = client
        .get_customers_stream(params)
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["c1", "c2", "c3"]);

    let orders = Script::new(&[
        (
            "/orders",
            &[],
            r#"{"_embedded": {"orders": [{"total": 1.0}]}, "_links": {"next": {"href": "/orders?page=2"}}}"#,
        ),
        (
            "/orders?page=2",
            &[],
            r#"{"_embedded": {"orders": [{"total": 2.0}]}, "_links": {}}"#,
        ),
    ]);
    let client = crate::paged_next_link::client::Client::builder(BASE)
        .transport(orders.clone())
        .build()
        .unwrap();
    let totals: Vec<Option<f64>> = client
        .list_orders_stream()
        .map_ok(|o| o.total)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(totals, [Some(1.0), Some(2.0)]);
}
