//! Pagination said by hand: `Config::pagination` and `x-desk-pagination`, and the located
//! errors of hints that do not fit (the styles themselves are strange specs, `paged_*.yaml`,
//! with snapshots; the generated methods run in `strange_specs.rs`).

use desk_codegen::{Config, DiagnosticKind, Error, PageHint, Parts};

const SPEC: &str = r#"openapi: 3.0.3
info: {title: Hints, version: "1"}
paths:
  /events:
    get:
      operationId: listEvents
      parameters:
        - {name: after, in: query, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer}}
      responses:
        "200":
          description: a page of events
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {type: string}}
                  paging:
                    type: object
                    properties:
                      cursors: {type: object, properties: {following: {type: string}}}
                  count: {type: integer}
"#;

fn client_of(config: &Config, spec: &str) -> Result<String, Error> {
    let rendered = config.render_str("hints.yaml", spec)?;
    Ok(rendered
        .files
        .into_iter()
        .find(|f| f.path.ends_with("client.rs"))
        .expect("a client")
        .contents)
}

fn paging_line(client: &str) -> String {
    let start = client.find("rt::Paging::").expect("page methods");
    client[start..]
        .split("move |client|")
        .next()
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn detection_pages_by_numbers_and_a_config_hint_wins() {
    let detected = client_of(Config::new().parts(Parts::ALL), SPEC).unwrap();
    assert!(
        paging_line(&detected).starts_with(r#"rt::Paging::page_number("page", 1)"#),
        "{}",
        paging_line(&detected)
    );

    let mut config = Config::new();
    config.pagination(
        "listEvents",
        PageHint::token("after", "paging.cursors.following")
            .items("data")
            .total_items("count"),
    );
    let hinted = client_of(&config, SPEC).unwrap();
    assert_eq!(
        paging_line(&hinted),
        r#"rt::Paging::token( rt::PageField::Body(&["paging", "cursors", "following"]), rt::PageParam::Query("after"), ) .items(&["data"]) .total_items(rt::PageField::Body(&["count"])),"#
    );
    assert!(hinted.contains("/// Paging rule: Config::pagination."));

    let mut config = Config::new();
    config.pagination("listEvents", PageHint::none());
    let none = client_of(&config, SPEC).unwrap();
    assert!(!none.contains("list_events_pages"));
}

#[test]
fn a_config_hint_for_an_unknown_operation_or_that_does_not_fit_is_an_error() {
    let mut config = Config::new();
    config.pagination("listEvent", PageHint::page_number("page"));
    let Err(Error::Spec(diagnostics)) = client_of(&config, SPEC) else {
        panic!("an unknown operationId must fail");
    };
    assert_eq!(diagnostics[0].kind, DiagnosticKind::UnmatchedSelector);
    assert!(diagnostics[0].message.contains("`listEvent`"));

    let mut config = Config::new();
    config.pagination("listEvents", PageHint::token("cursor", "paging.next"));
    let Err(Error::Spec(diagnostics)) = client_of(&config, SPEC) else {
        panic!("a hint that does not fit must fail");
    };
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic.kind, DiagnosticKind::InvalidDocument);
    assert_eq!(diagnostic.pointer.as_deref(), Some("/paths/~1events/get"));
    assert_eq!(diagnostic.position.map(|p| p.line), Some(5));
    assert!(
        diagnostic
            .message
            .starts_with("`Config::pagination` for `listEvents`: "),
        "{}",
        diagnostic.message
    );
}

/// The spec with `x-desk-pagination` (given as YAML lines) on the operation.
fn with_extension(lines: &str) -> String {
    let extension: String = lines.lines().map(|l| format!("      {l}\n")).collect();
    SPEC.replace(
        "      operationId: listEvents\n",
        &format!("      operationId: listEvents\n{extension}"),
    )
}

#[test]
fn a_wrong_extension_is_an_error_at_its_key_with_line_and_column() {
    let cases = [
        (
            "x-desk-pagination:\n  style: page-number\n  param: p",
            "/paths/~1events/get/x-desk-pagination/param",
            9,
            "no query parameter `p`",
        ),
        (
            "x-desk-pagination:\n  style: offset\n  param: page\n  items: count",
            "/paths/~1events/get/x-desk-pagination/items",
            10,
            "no array at `count`",
        ),
        (
            "x-desk-pagination:\n  style: token\n  param: after\n  next: paging.cursors",
            "/paths/~1events/get/x-desk-pagination/next",
            10,
            "`paging.cursors` is not a string or an integer",
        ),
        (
            "x-desk-pagination:\n  style: page-number\n  param: page\n  more: count",
            "/paths/~1events/get/x-desk-pagination/more",
            10,
            "`count` is not a boolean",
        ),
        (
            "x-desk-pagination:\n  style: sideways",
            "/paths/~1events/get/x-desk-pagination",
            7,
            "is not a pagination hint",
        ),
    ];
    for (extension, pointer, line, message) in cases {
        let spec = with_extension(extension);
        let Err(Error::Spec(diagnostics)) = client_of(&Config::new(), &spec) else {
            panic!("{extension}: must fail");
        };
        let diagnostic = &diagnostics[0];
        assert_eq!(diagnostic.pointer.as_deref(), Some(pointer), "{extension}");
        assert_eq!(
            diagnostic.position.map(|p| p.line),
            Some(line),
            "{extension}"
        );
        assert!(
            diagnostic.message.contains(message),
            "{extension}: {}",
            diagnostic.message
        );
    }
}

#[test]
fn the_extension_can_turn_detection_off_or_name_the_style() {
    let off = client_of(&Config::new(), &with_extension("x-desk-pagination: false")).unwrap();
    assert!(!off.contains("list_events_pages"));

    let spec = with_extension(
        "x-desk-pagination:\n  style: page-number\n  param: page\n  first: 0\n  total-pages: header:X-Pages",
    );
    let client = client_of(&Config::new(), &spec).unwrap();
    assert!(
        paging_line(&client).starts_with(
            r#"rt::Paging::page_number("page", 0) .items(&["data"]) .total_pages(rt::PageField::Header("X-Pages"))"#
        ),
        "{}",
        paging_line(&client)
    );
    assert!(client.contains("/// Paging rule: x-desk-pagination."));
}
