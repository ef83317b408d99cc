//! The model and request emitters build syntax trees, and formatting parses little.
//!
//! Generation speed rests on this (see BENCHMARKS.md): parsing `quote!` output back with `syn`
//! used to be about half of the time. These tests pin the design without timing anything: for
//! this repository's spec and for a spec that exercises every emitter path, no model or request
//! item is left as tokens for `format` to parse, except the serde impls of discriminated unions
//! and the `Deserialize` of guarded untagged unions. The client is written with `quote!`: its
//! operation methods are a few lines each over the runtime's request builder, so parsing them
//! costs little (BENCHMARKS.md, "The client emitter").

use std::path::Path;

use crate::emit::{self, EmitOptions};
use crate::{load, Config};

/// The items of each module; with `parse_client`, the client's items parsed from their tokens
/// (as `format` does).
fn emitted_with(file: &Path, parse_client: bool) -> [(&'static str, Vec<syn::Item>); 3] {
    let spec = load::read_file(file)
        .and_then(load::finish)
        .unwrap_or_else(|err| panic!("{err}"));
    let ir = Config::new()
        .lower_spec(&spec)
        .unwrap_or_else(|err| panic!("{err}"))
        .ir;
    let options = EmitOptions::new("::desk_runtime", vec!["Eq".into()]);
    [
        ("models", emit::models::emit(&ir, &options).0),
        ("requests", emit::requests::emit(&ir, &options).0),
        ("client", {
            let items = emit::client::emit(&ir, &options).0;
            if parse_client {
                items.into_iter().flat_map(parsed).collect()
            } else {
                items
            }
        }),
    ]
}

fn emitted(file: &Path) -> [(&'static str, Vec<syn::Item>); 2] {
    let [models, requests, _] = emitted_with(file, false);
    [models, requests]
}

/// `item`, or the items its tokens parse to.
fn parsed(item: syn::Item) -> Vec<syn::Item> {
    match item {
        syn::Item::Verbatim(tokens) => {
            syn::parse2::<syn::File>(tokens)
                .expect("the client's tokens parse")
                .items
        }
        built => vec![built],
    }
}

fn verbatim(items: &[syn::Item]) -> Vec<String> {
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Verbatim(tokens) => Some(tokens.to_string().chars().take(80).collect()),
            _ => None,
        })
        .collect()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
}

#[test]
fn the_conversation_api_is_emitted_as_syntax_trees_only() {
    for (module, items) in emitted(&root().join("spec/conversations.yaml")) {
        assert!(!items.is_empty(), "{module} is empty");
        assert_eq!(
            verbatim(&items),
            Vec::<String>::new(),
            "{module} left items as tokens"
        );
    }
}

#[test]
fn every_emitter_path_builds_trees_except_union_serde_impls() {
    // Nested objects, arrays, enums, nullable, read-only, write-only, allOf, a cycle,
    // additional properties (desk-consumer's spec), plus integer enums and unions of both kinds.
    let specs = [
        root().join("desk-consumer/specs/inventory.yaml"),
        root().join("desk-codegen/tests/strange/integer_enums.yaml"),
        root().join("desk-codegen/tests/strange/untagged_anyof.yaml"),
        root().join("desk-codegen/tests/strange/discriminated_oneof.yaml"),
    ];
    let mut serde_impls = 0;
    for spec in &specs {
        for (module, items) in emitted(spec) {
            let (impls, left): (Vec<String>, Vec<String>) =
                verbatim(&items).into_iter().partition(|t| {
                    t.starts_with("impl :: serde ::")
                        || t.starts_with("impl < 'de > :: serde :: Deserialize < 'de >")
                });
            serde_impls += impls.len();
            assert_eq!(
                left,
                Vec::<String>::new(),
                "{}: {module} left items as tokens",
                spec.display()
            );
        }
    }
    assert!(
        serde_impls > 0,
        "the unions' serde impls are the one exception, and they were seen"
    );
}

#[test]
fn built_trees_print_as_the_same_code_parsed_back() {
    // A tree built by hand can hold what no parser would produce (a missing comma, a bare
    // literal where a path belongs) and still print. Printing, parsing the text and printing
    // again must give the same text.
    for (module, items) in emitted_with(&root().join("spec/conversations.yaml"), true) {
        let file = syn::File {
            shebang: None,
            attrs: Vec::new(),
            items,
        };
        let printed = prettyplease::unparse(&file);
        let reparsed: syn::File = syn::parse_file(&printed)
            .unwrap_or_else(|err| panic!("{module} does not parse: {err}"));
        assert_eq!(
            prettyplease::unparse(&reparsed),
            printed,
            "{module} prints differently once parsed"
        );
    }
}

#[test]
fn any_runtime_path_is_accepted_or_refused_without_panicking() {
    // The runtime path is the user's text; it ends up in built paths, raw identifiers included.
    let text = std::fs::read_to_string(root().join("spec/conversations.yaml")).expect("the spec");
    for (runtime, expected) in [
        ("crate::r#type::rt", "use crate::r#type::rt::Patch;"),
        ("desk_runtime", "use desk_runtime::Patch;"),
    ] {
        let rendered = Config::new()
            .runtime_crate(runtime)
            .render_str("conversations.yaml", &text)
            .expect("renders");
        let requests = &rendered
            .files
            .iter()
            .find(|f| f.path.ends_with("requests.rs"))
            .expect("requests.rs")
            .contents;
        assert!(
            requests.contains(expected),
            "{runtime}: no `{expected}` in requests.rs"
        );
    }
    match Config::new()
        .runtime_crate("not a path")
        .render_str("conversations.yaml", &text)
    {
        Err(crate::Error::Config(message)) => assert!(
            message.contains("`not a path` is not a Rust path"),
            "{message}"
        ),
        other => panic!("expected a configuration error, got {other:?}"),
    }
}
