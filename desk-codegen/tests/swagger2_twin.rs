//! Our own API both ways: `spec/conversations.yaml` (OpenAPI 3.0) and its Swagger 2.0 twin
//! `spec/conversations.swagger2.yaml` (written as Teamwork publishes Desk's description:
//! Go-qualified definition names, `basePath`, body parameters, `x-nullable`,
//! `collectionFormat: csv`) generate the same public Rust API: the same types, fields,
//! variants, methods and signatures, item for item. Docs may differ, and so may method bodies
//! (the 2.0 paths are relative to `basePath`, which the servers carry).

use std::path::{Path, PathBuf};

use desk_codegen::{Config, Parts};

fn spec(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec")
        .join(file)
}

/// Each generated module as its items with docs and function bodies removed, printed.
fn api(file: &str) -> Vec<(String, String)> {
    let rendered = Config::new()
        .spec(spec(file))
        .parts(Parts::ALL)
        .render()
        .unwrap_or_else(|err| panic!("{file} must generate:\n{err}"));
    assert!(
        rendered.warnings.is_empty(),
        "{file}: {:?}",
        rendered.warnings
    );
    rendered
        .files
        .iter()
        .map(|generated| {
            let mut syntax = syn::parse_file(&generated.contents)
                .unwrap_or_else(|err| panic!("{}: {err}", generated.path.display()));
            syntax.attrs.retain(|a| !a.path().is_ident("doc"));
            for item in &mut syntax.items {
                signature_only(item);
            }
            (
                generated.path.display().to_string(),
                prettyplease::unparse(&syntax),
            )
        })
        .collect()
}

fn undocumented(attrs: &mut Vec<syn::Attribute>) {
    attrs.retain(|a| !a.path().is_ident("doc"));
}

/// The item without its docs, and every function in it without its body.
fn signature_only(item: &mut syn::Item) {
    let empty: syn::Block = syn::parse_quote!({});
    match item {
        syn::Item::Struct(item) => {
            undocumented(&mut item.attrs);
            for field in item.fields.iter_mut() {
                undocumented(&mut field.attrs);
            }
        }
        syn::Item::Enum(item) => {
            undocumented(&mut item.attrs);
            for variant in &mut item.variants {
                undocumented(&mut variant.attrs);
                for field in variant.fields.iter_mut() {
                    undocumented(&mut field.attrs);
                }
            }
        }
        syn::Item::Impl(item) => {
            undocumented(&mut item.attrs);
            for member in &mut item.items {
                match member {
                    syn::ImplItem::Fn(function) => {
                        undocumented(&mut function.attrs);
                        function.block = empty.clone();
                    }
                    syn::ImplItem::Const(constant) => undocumented(&mut constant.attrs),
                    syn::ImplItem::Type(alias) => undocumented(&mut alias.attrs),
                    _ => {}
                }
            }
        }
        syn::Item::Fn(item) => {
            undocumented(&mut item.attrs);
            *item.block = empty;
        }
        syn::Item::Type(item) => undocumented(&mut item.attrs),
        syn::Item::Const(item) => undocumented(&mut item.attrs),
        syn::Item::Macro(item) => undocumented(&mut item.attrs),
        syn::Item::Mod(item) => {
            undocumented(&mut item.attrs);
            for inner in item.content.iter_mut().flat_map(|(_, items)| items) {
                signature_only(inner);
            }
        }
        syn::Item::Trait(item) => undocumented(&mut item.attrs),
        _ => {}
    }
}

#[test]
fn both_descriptions_generate_the_same_public_api() {
    let openapi = api("conversations.yaml");
    let swagger = api("conversations.swagger2.yaml");
    let names = |files: &[(String, String)]| -> Vec<String> {
        files.iter().map(|(name, _)| name.clone()).collect()
    };
    assert_eq!(names(&openapi), names(&swagger));
    for ((name, three), (_, two)) in openapi.iter().zip(&swagger) {
        if three != two {
            let first = three
                .lines()
                .zip(two.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            let around = |text: &str| -> String {
                text.lines()
                    .skip(first.saturating_sub(5))
                    .take(15)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            panic!(
                "{name} differs from line {}:\n--- 3.0\n{}\n--- 2.0\n{}",
                first + 1,
                around(three),
                around(two)
            );
        }
    }
    // The comparison compares something: the client and its types are there.
    let client = &openapi
        .iter()
        .find(|(n, _)| n == "client.rs")
        .expect("a client")
        .1;
    for expected in [
        "pub fn for_site(site: &str) -> ClientBuilder",
        "pub async fn list_conversations(",
        "pub struct ConversationApiBody",
    ] {
        let found = openapi.iter().any(|(_, text)| text.contains(expected));
        assert!(found, "{expected} is generated:\n{client}");
    }
}
