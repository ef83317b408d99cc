//! Some 2.0 cases' generated clients against their generated mock modules over loopback: the
//! mock matches Swagger 2.0's collection formats (path, query, headers, urlencoded forms) as
//! the client writes them and reads them back as the parameters' types, and counts API keys
//! (header or query) as credentials without showing a query key in its messages.

#[tokio::test]
async fn every_collection_format_matches_and_reads_back() {
    use crate::swagger2_collection_formats::client::ListItemsParams;
    use crate::swagger2_collection_formats::mock::MockServer;
    let server = MockServer::start();
    let strings = |items: &[&str]| -> Vec<String> { items.iter().map(|s| s.to_string()).collect() };
    let nested = vec![
        vec![strings(&["a", "b"]), strings(&["c"])],
        vec![strings(&["d"])],
    ];
    let listed = server.list_items(|when, then| {
        when.ids(vec![1, 2])
            .codes(vec!["x y".into(), "z".into()])
            .csv(["a", "b"])
            .ssv(["c", "d"])
            .tsv([1.5, 2.0])
            .pipes([true, false])
            .multi(["e", "f"])
            .nested(nested.clone())
            .x_ssv(["g", "h"])
            .x_tsv(["i", "j"]);
        then.ok();
    });
    let client = server.client().build().unwrap();
    let params = ListItemsParams::default()
        .csv(["a", "b"])
        .ssv(["c", "d"])
        .tsv([1.5, 2.0])
        .pipes([true, false])
        .multi(["e", "f"])
        .nested(nested)
        .x_ssv(["g", "h"])
        .x_tsv(["i", "j"]);
    client
        .list_items(vec![1, 2], vec!["x y".into(), "z".into()], &params)
        .await
        .unwrap();
    assert_eq!(listed.calls(), 1);
    let received = &listed.params()[0];
    assert_eq!(received.ssv, params.ssv);
    assert_eq!(received.tsv, params.tsv);
    assert_eq!(received.pipes, params.pipes);
    assert_eq!(received.multi, params.multi);
    assert_eq!(received.nested, params.nested);
    assert_eq!(received.x_ssv, params.x_ssv);
    assert_eq!(received.x_tsv, params.x_tsv);
    let request = &listed.requests()[0];
    assert_eq!(request.path, "/items/1,2/x%20y%7Cz");
    assert_eq!(
        request.query_values("nested"),
        ["a,b|c", "d"],
        "multi of pipes of csv"
    );

    // Another format than the client's does not match, and the message says how it differs.
    server.list_items(|when, then| {
        when.pipes([false]);
        then.ok();
    });
    let other = ListItemsParams::default().pipes([true]);
    let codes = vec!["z".to_owned()];
    assert!(client.list_items(vec![1], codes, &other).await.is_err());
    let failures = server.take_failures();
    assert!(
        failures[0].contains(r#"query parameter `pipes`: expected "false", got "true""#),
        "{failures:?}"
    );
}

#[tokio::test]
async fn forms_with_collection_formats_match() {
    use crate::swagger2_form_upload::mock::MockServer;
    use crate::swagger2_form_upload::requests::SearchRequestCreate;
    let server = MockServer::start();
    let body = SearchRequestCreate {
        q: "a b".into(),
        csv: Some(vec!["1".into(), "2".into()]),
        ssv: Some(vec!["3".into(), "4".into()]),
        tsv: Some(vec!["5".into(), "6".into()]),
        pipes: Some(vec!["7".into(), "8".into()]),
        multi: Some(vec!["9".into(), "0".into()]),
    };
    let searched = server.search(|when, then| {
        when.body(body.clone());
        then.no_content();
    });
    let client = server.client().build().unwrap();
    client.search(body.clone()).await.unwrap();
    assert_eq!(searched.calls(), 1);
    let mut changed = body;
    changed.pipes = Some(vec!["8".into(), "7".into()]);
    assert!(client.search(changed).await.is_err());
    assert_eq!(searched.calls(), 1);
    assert_eq!(server.take_failures().len(), 1);
}

#[tokio::test]
async fn api_keys_are_credentials_and_query_keys_stay_hidden() {
    use crate::swagger2_security::client::ApiKeys;
    use crate::swagger2_security::mock::MockServer;
    let server = MockServer::start();
    server.get_me(|when, then| {
        when.with_auth();
        then.ok(&crate::swagger2_security::models::GetMeOkResponse { name: None });
    });
    server.health(|when, then| {
        when.without_auth();
        then.ok();
    });
    let by_query = server.client().api_key("hunter2").build().unwrap();
    by_query.get_me().await.unwrap();
    let by_header = server.client().token_key("hunter2").build().unwrap();
    by_header.get_me().await.unwrap();
    let anonymous = server.client().build().unwrap();
    anonymous.health().await.unwrap();
    assert!(anonymous.get_me().await.is_err());
    let failures = server.take_failures();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0].contains("credentials: expected an Authorization header or API key"),
        "{failures:?}"
    );

    // A request no mock matches is shown without the key.
    let server = MockServer::start();
    server.get_me(|when, then| {
        when.without_auth();
        then.ok(&crate::swagger2_security::models::GetMeOkResponse { name: None });
    });
    let by_query = server.client().api_key("hunter2").build().unwrap();
    assert!(by_query.get_me().await.is_err());
    let failures = server.take_failures();
    assert!(
        failures[0].contains("credentials: expected none, got an API key"),
        "{failures:?}"
    );
    assert!(failures[0].contains("api_key=***"), "{failures:?}");
    assert!(!failures[0].contains("hunter2"), "{failures:?}");
    for request in server.received() {
        assert!(!format!("{request:?}").contains("hunter2"), "{request:?}");
    }
}
