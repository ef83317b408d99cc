//! Choosing what to generate: operations selected by tag, operationId or path, and only the
//! models they reach.

use std::collections::BTreeSet;
use std::path::Path;

use crate::{Config, DiagnosticKind, Error, Selector};

/// Operations with tags, shared and component parameters, a body and a response by `$ref`,
/// and schemas reached through items, `allOf`, `oneOf` and `additionalProperties`.
const SPEC: &str = include_str!("../../tests/select/shop.yaml");

/// The operationIds and the type names lowering gives with `config`'s selection.
fn selected(config: &Config) -> (BTreeSet<String>, BTreeSet<String>) {
    let spec = config.load_str("shop.yaml", SPEC).expect("the spec loads");
    let lowered = config.lower_spec(&spec.loaded).expect("lowers");
    let operations = lowered
        .ir
        .operations
        .iter()
        .filter_map(|op| op.operation_id.clone())
        .collect();
    let types = lowered.ir.types.iter().map(|t| t.name.clone()).collect();
    (operations, types)
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// Every component schema but those in `absent`.
fn components_but(absent: &[&str]) -> BTreeSet<String> {
    let all = [
        "Order",
        "Line",
        "Product",
        "Book",
        "Game",
        "Extra",
        "NewOrder",
        "Region",
        "Stock",
        "WarehouseId",
        "Problem",
        "Orphan",
    ];
    all.iter()
        .filter(|n| !absent.contains(n))
        .map(|n| (*n).to_owned())
        .collect()
}

#[test]
fn without_a_selection_everything_is_lowered() {
    let (operations, types) = selected(&Config::new());
    assert_eq!(
        operations,
        set(&["listOrders", "createOrder", "getStock", "deleteStock"])
    );
    assert!(types.is_superset(&components_but(&[])), "{types:?}");
}

#[test]
fn a_tag_selects_its_operations_and_the_models_they_reach_however_deep() {
    let (operations, types) = selected(Config::new().select_tag("orders"));
    assert_eq!(operations, set(&["listOrders", "createOrder"]));
    // Order → items → allOf → Line → Product (oneOf Book, Game) and additionalProperties
    // Extra; the request body component → NewOrder; the path's shared parameter → Region.
    let components: BTreeSet<String> = types
        .iter()
        .filter(|t| components_but(&[]).contains(*t))
        .cloned()
        .collect();
    assert_eq!(
        components,
        components_but(&["Stock", "WarehouseId", "Problem", "Orphan"])
    );
}

#[test]
fn an_operation_id_selects_one_operation() {
    let (operations, types) = selected(Config::new().select_operation("getStock"));
    assert_eq!(operations, set(&["getStock"]));
    assert!(types.contains("Stock") && types.contains("WarehouseId"));
    // Used only by unselected operations.
    for absent in [
        "Order", "Line", "Product", "NewOrder", "Region", "Problem", "Orphan",
    ] {
        assert!(!types.contains(absent), "{absent} in {types:?}");
    }
}

#[test]
fn a_path_pattern_selects_by_prefix_glob_or_method() {
    let (operations, types) = selected(Config::new().select_path("/stock/**"));
    assert_eq!(operations, set(&["getStock", "deleteStock"]));
    assert!(types.contains("Problem"), "through the responses component");

    let (operations, _) = selected(Config::new().select_path("/*"));
    assert_eq!(operations, set(&["listOrders", "createOrder", "getStock"]));

    let (operations, types) = selected(Config::new().select_path("delete /stock/{id}"));
    assert_eq!(operations, set(&["deleteStock"]));
    assert!(!types.contains("Stock"));

    let (operations, _) = selected(Config::new().select_path("/orders"));
    assert_eq!(operations, set(&["listOrders", "createOrder"]));
}

#[test]
fn selectors_add_up() {
    let (operations, types) = selected(
        Config::new()
            .select_operation("createOrder")
            .select_tag("admin")
            .select(Selector::Path("GET /stock".into())),
    );
    assert_eq!(operations, set(&["createOrder", "deleteStock", "getStock"]));
    assert!(!types.contains("Order") && types.contains("NewOrder") && types.contains("Line"));
    assert!(!types.contains("Orphan"));
}

#[test]
fn the_rendered_models_hold_only_what_is_reached() {
    let rendered = Config::new()
        .select_operation("deleteStock")
        .render_str("shop.yaml", SPEC)
        .expect("renders");
    let models = &rendered
        .files
        .iter()
        .find(|f| f.path.ends_with("models.rs"))
        .expect("a models file")
        .contents;
    let defines = |name: &str| {
        models.lines().any(|line| {
            let line = line.trim_start();
            ["pub struct ", "pub enum ", "pub type "].iter().any(|kw| {
                line.strip_prefix(kw).is_some_and(|rest| {
                    rest.strip_prefix(name)
                        .is_some_and(|after| !after.starts_with(|c: char| c.is_alphanumeric()))
                })
            })
        })
    };
    assert!(defines("Problem"), "{models}");
    for absent in ["Order", "Stock", "Orphan", "Line", "WarehouseId"] {
        assert!(!defines(absent), "{absent} generated:\n{models}");
    }
}

#[test]
fn a_selector_that_matches_nothing_is_an_error_naming_it_and_close_matches() {
    let cases: [(Config, &str, &str); 4] = [
        (
            {
                let mut c = Config::new();
                c.select_operation("getstock");
                c
            },
            "the operationId selector `getstock` matches no operation",
            "did you mean `getStock`?",
        ),
        (
            {
                let mut c = Config::new();
                c.select_tag("order");
                c
            },
            "the tag selector `order` matches no operation",
            "did you mean `orders`?",
        ),
        (
            {
                let mut c = Config::new();
                c.select_path("/stocks");
                c
            },
            "the path selector `/stocks` matches no operation",
            "did you mean `/stock`",
        ),
        (
            {
                let mut c = Config::new();
                c.select_tag("billing");
                c
            },
            "the tag selector `billing` matches no operation",
            "the tags are: `admin`, `orders`, `stock`",
        ),
    ];
    for (config, message, help) in cases {
        let Err(Error::Spec(diagnostics)) = config.render_str("shop.yaml", SPEC) else {
            panic!("`{message}` renders");
        };
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let diagnostic = &diagnostics[0];
        assert_eq!(diagnostic.kind, DiagnosticKind::UnmatchedSelector);
        assert_eq!(diagnostic.message, message);
        let shown = diagnostic.help.as_deref().unwrap_or_default();
        assert!(shown.starts_with(help), "{shown}");
        assert_eq!(diagnostic.file, Path::new("shop.yaml"));
    }
}

#[test]
fn every_unmatched_selector_is_reported_at_once() {
    let err = Config::new()
        .select_tag("orders")
        .select_tag("nope")
        .select_operation("neither")
        .render_str("shop.yaml", SPEC)
        .unwrap_err();
    let messages: Vec<&str> = err
        .diagnostics()
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "the tag selector `nope` matches no operation",
            "the operationId selector `neither` matches no operation"
        ]
    );
}

#[test]
fn a_selection_is_deterministic_and_keeps_names() {
    let full = Config::new()
        .render_str("shop.yaml", SPEC)
        .expect("renders");
    let mut config = Config::new();
    config.select_tag("orders");
    let once = config.render_str("shop.yaml", SPEC).expect("renders");
    let again = config.render_str("shop.yaml", SPEC).expect("renders");
    assert_eq!(once.files, again.files);
    let full_models = &full
        .files
        .iter()
        .find(|f| f.path.ends_with("models.rs"))
        .unwrap()
        .contents;
    let models = &once
        .files
        .iter()
        .find(|f| f.path.ends_with("models.rs"))
        .unwrap()
        .contents;
    // The type a selected model gets is the type the full output gives it.
    let order = |text: &str| {
        let start = text.find("pub struct Order {").expect("Order is generated");
        text[start..start + text[start..].find("\n}\n").unwrap()].to_owned()
    };
    assert_eq!(order(models), order(full_models));
}

#[test]
fn a_selection_works_across_files_and_through_a_cycle_between_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/multifile/split/openapi.yaml");
    let models = |config: &mut Config| {
        let rendered = config.spec(&root).render().expect("renders");
        assert!(
            rendered.inputs.len() > 1,
            "every file read is still an input"
        );
        rendered
            .files
            .iter()
            .find(|f| f.path.ends_with("models.rs"))
            .expect("a models file")
            .contents
            .clone()
    };
    // Team (paths/teams.json → schemas/Team.json) → Person (schemas/Person.yaml) → Team again.
    let teams = models(Config::new().select_operation("listTeams"));
    assert!(
        teams.contains("pub struct Team {") && teams.contains("pub struct Person {"),
        "{teams}"
    );
    assert!(
        !teams.contains("pub struct Problem"),
        "only getPerson's 404 (responses.yaml) reaches it:\n{teams}"
    );
    let person = models(Config::new().select_operation("getPerson"));
    assert!(
        person.contains("pub struct Problem") && person.contains("pub struct Team {"),
        "{person}"
    );
}
