//! Feeds mutated specs to the generator: it must answer `Ok` or `Err`, never panic.
//!
//! Seeds are real descriptions (this repository's spec, small ones from progenitor's corpus in
//! `tests/fuzz_seeds/` and strange ones from `tests/strange/`); a missing seed fails the test.
//! Each case applies a few structural mutations to the parsed document (delete or replace a
//! node, change a `type`, rename a key to an odd name, break or redirect a `$ref`, wrap a schema
//! in `allOf`/`oneOf`/an array, copy a subtree elsewhere), writes it back as JSON or YAML, sometimes damages the text, and renders it with
//! every part enabled. Errors must be diagnostics that say what is wrong.
//!
//! The default run is bounded for CI (`PROPTEST_CASES`, default 256). To search longer:
//!
//! ```text
//! PROPTEST_CASES=100000 cargo test -p desk-codegen --test fuzz --release
//! ```

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use desk_codegen::{Config, Error, Parts};
use proptest::prelude::*;
use serde_json::{json, Value};

fn seed_paths() -> Vec<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = vec![manifest.join("../spec/conversations.yaml")];
    // Small descriptions of progenitor's test corpus, copied from ../shared/corpus (see the
    // folder's README).
    for name in [
        "keeper.json",
        "param-collision.json",
        "param-overrides.yaml",
        "cli-gen.json",
        "buildomat.json",
    ] {
        paths.push(manifest.join("tests/fuzz_seeds").join(name));
    }
    for name in [
        "recursive.yaml",
        "discriminated_oneof.yaml",
        "allof_merge.yaml",
        "additional_properties.yaml",
        "header_params.yaml",
        "openapi31.yaml",
        "keyword_names.yaml",
        "nested_inline.yaml",
    ] {
        paths.push(manifest.join("tests/strange").join(name));
    }
    paths
}

/// Every seed, parsed; a seed that is missing or does not parse fails the test, naming it
/// (a fuzz run over fewer seeds than it says would pass while searching less).
fn seeds() -> &'static [(String, Value)] {
    static SEEDS: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        seed_paths()
            .iter()
            .map(|path| {
                let text = std::fs::read_to_string(path)
                    .unwrap_or_else(|err| panic!("seed {}: {err}", path.display()));
                let value: Value = if path.extension().is_some_and(|e| e == "json") {
                    serde_json::from_str(&text)
                        .unwrap_or_else(|err| panic!("seed {}: {err}", path.display()))
                } else {
                    serde_yaml::from_str(&text)
                        .unwrap_or_else(|err| panic!("seed {}: {err}", path.display()))
                };
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (name, value)
            })
            .collect()
    })
}

const ODD_NAMES: &[&str] = &[
    "",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "1st",
    "-1",
    "café",
    "日本",
    "a/b",
    "~0",
    "Option",
    "Result",
    "Box",
    "Client",
    "Value",
    "additional_properties",
    "$ref",
    "x-y z",
    "__",
    "new",
    "Patch",
    "default",
    "clone",
];
const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "array", "object", "null", "file", "",
];
const REFS: &[&str] = &[
    "#/components/schemas/Nope",
    "#/components/schemas/",
    "#/components/parameters/X",
    "#/components/responses/X",
    "other.yaml#/Thing",
    "https://example.com/spec.json#/components/schemas/A",
    "#",
    "",
    "#/components/schemas/a~1b",
    "#/paths/~1x",
];

#[derive(Debug, Clone)]
enum Leaf {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(&'static str),
    EmptyObject,
    EmptyArray,
}

impl Leaf {
    fn value(&self) -> Value {
        match self {
            Leaf::Null => Value::Null,
            Leaf::Bool(b) => json!(b),
            Leaf::Int(i) => json!(i),
            Leaf::Float(f) => json!(f),
            Leaf::Text(s) => json!(s),
            Leaf::EmptyObject => json!({}),
            Leaf::EmptyArray => json!([]),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Wrapper {
    AllOf,
    OneOf,
    AnyOfWithNull,
    Array,
    MapOf,
    Nullable,
    Discriminated,
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(Vec<u16>),
    Replace(Vec<u16>, Leaf),
    SetType(Vec<u16>, &'static str),
    SetEnum(Vec<u16>, Leaf),
    RenameKey(Vec<u16>, &'static str),
    BreakRef(Vec<u16>, &'static str),
    SelfRef(Vec<u16>),
    Wrap(Vec<u16>, Wrapper),
    Copy(Vec<u16>, Vec<u16>),
}

#[derive(Debug, Clone)]
enum TextDamage {
    None,
    Truncate(usize),
    Insert(usize, char),
}

fn leaf() -> impl Strategy<Value = Leaf> {
    prop_oneof![
        Just(Leaf::Null),
        any::<bool>().prop_map(Leaf::Bool),
        prop_oneof![
            Just(0i64),
            Just(-1),
            Just(i64::MAX),
            Just(i64::MIN),
            any::<i64>()
        ]
        .prop_map(Leaf::Int),
        prop_oneof![Just(0.5f64), Just(1e300), Just(-0.0)].prop_map(Leaf::Float),
        proptest::sample::select(ODD_NAMES).prop_map(Leaf::Text),
        Just(Leaf::EmptyObject),
        Just(Leaf::EmptyArray),
    ]
}

fn path() -> impl Strategy<Value = Vec<u16>> {
    proptest::collection::vec(any::<u16>(), 2..10)
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => path().prop_map(Mutation::Delete),
        3 => (path(), leaf()).prop_map(|(p, l)| Mutation::Replace(p, l)),
        3 => (path(), proptest::sample::select(TYPES)).prop_map(|(p, t)| Mutation::SetType(p, t)),
        1 => (path(), leaf()).prop_map(|(p, l)| Mutation::SetEnum(p, l)),
        3 => (path(), proptest::sample::select(ODD_NAMES)).prop_map(|(p, n)| Mutation::RenameKey(p, n)),
        2 => (path(), proptest::sample::select(REFS)).prop_map(|(p, r)| Mutation::BreakRef(p, r)),
        2 => path().prop_map(Mutation::SelfRef),
        3 => (path(), prop_oneof![
            Just(Wrapper::AllOf),
            Just(Wrapper::OneOf),
            Just(Wrapper::AnyOfWithNull),
            Just(Wrapper::Array),
            Just(Wrapper::MapOf),
            Just(Wrapper::Nullable),
            Just(Wrapper::Discriminated),
        ])
            .prop_map(|(p, w)| Mutation::Wrap(p, w)),
        2 => (path(), path()).prop_map(|(from, to)| Mutation::Copy(from, to)),
    ]
}

fn text_damage() -> impl Strategy<Value = TextDamage> {
    prop_oneof![
        8 => Just(TextDamage::None),
        1 => any::<usize>().prop_map(TextDamage::Truncate),
        1 => (any::<usize>(), prop_oneof![Just('{'), Just('}'), Just(':'), Just('"'), Just('\n'), Just('\t'), Just('[')])
            .prop_map(|(at, c)| TextDamage::Insert(at, c)),
    ]
}

/// Follows `selectors` down, choosing a child by index modulo the count; stops at a leaf.
/// The first selector picks where to start, so most mutations land where the generator does
/// its work: the component schemas (half the time), the paths (four in ten) or the root.
/// Returns the path as keys/indices.
fn resolve(root: &Value, selectors: &[u16]) -> Vec<PathStep> {
    let Some((anchor, selectors)) = selectors.split_first() else {
        return Vec::new();
    };
    let start: &[&str] = match anchor % 10 {
        0 => &[],
        1..=5 => &["components", "schemas"],
        _ => &["paths"],
    };
    let mut steps = Vec::new();
    let mut node = root;
    for key in start {
        match node.get(*key) {
            Some(child) => {
                steps.push(PathStep::Key((*key).to_owned()));
                node = child;
            }
            None => break,
        }
    }
    for &selector in selectors {
        match node {
            Value::Object(map) if !map.is_empty() => {
                let index = usize::from(selector) % map.len();
                let Some((key, child)) = map.iter().nth(index) else {
                    break;
                };
                steps.push(PathStep::Key(key.clone()));
                node = child;
            }
            Value::Array(items) if !items.is_empty() => {
                let index = usize::from(selector) % items.len();
                steps.push(PathStep::Index(index));
                node = &items[index];
            }
            _ => break,
        }
    }
    steps
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn node_mut<'v>(root: &'v mut Value, steps: &[PathStep]) -> Option<&'v mut Value> {
    let mut node = root;
    for step in steps {
        node = match (step, node) {
            (PathStep::Key(key), Value::Object(map)) => map.get_mut(key)?,
            (PathStep::Index(index), Value::Array(items)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The name of some component schema, for self references.
fn some_schema_name(root: &Value, selector: u16) -> Option<String> {
    let schemas = root.get("components")?.get("schemas")?.as_object()?;
    if schemas.is_empty() {
        return None;
    }
    schemas
        .keys()
        .nth(usize::from(selector) % schemas.len())
        .cloned()
}

fn apply(root: &mut Value, mutation: &Mutation) {
    match mutation {
        Mutation::Delete(selectors) => {
            let steps = resolve(root, selectors);
            let Some((last, parent_steps)) = steps.split_last() else {
                return;
            };
            match (last, node_mut(root, parent_steps)) {
                (PathStep::Key(key), Some(Value::Object(map))) => {
                    map.remove(key);
                }
                (PathStep::Index(index), Some(Value::Array(items))) if *index < items.len() => {
                    items.remove(*index);
                }
                _ => {}
            }
        }
        Mutation::Replace(selectors, leaf) => {
            let steps = resolve(root, selectors);
            if let Some(node) = node_mut(root, &steps) {
                *node = leaf.value();
            }
        }
        Mutation::SetType(selectors, ty) => {
            let steps = resolve(root, selectors);
            if let Some(Value::Object(map)) = node_mut(root, &steps) {
                map.insert("type".into(), json!(ty));
            }
        }
        Mutation::SetEnum(selectors, leaf) => {
            let steps = resolve(root, selectors);
            if let Some(Value::Object(map)) = node_mut(root, &steps) {
                map.insert("enum".into(), json!([leaf.value(), "x", 1]));
            }
        }
        Mutation::RenameKey(selectors, name) => {
            let steps = resolve(root, selectors);
            let Some((PathStep::Key(key), parent_steps)) = steps.split_last() else {
                return;
            };
            if let Some(Value::Object(map)) = node_mut(root, parent_steps) {
                if let Some(value) = map.remove(key) {
                    map.insert((*name).to_owned(), value);
                }
            }
        }
        Mutation::BreakRef(selectors, reference) => {
            let steps = resolve(root, selectors);
            if let Some(node) = node_mut(root, &steps) {
                *node = json!({"$ref": reference});
            }
        }
        Mutation::SelfRef(selectors) => {
            let name = some_schema_name(root, selectors.first().copied().unwrap_or_default());
            let steps = resolve(root, selectors);
            if let (Some(name), Some(node)) = (name, node_mut(root, &steps)) {
                *node = json!({"$ref": format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1"))});
            }
        }
        Mutation::Wrap(selectors, wrapper) => {
            let steps = resolve(root, selectors);
            if let Some(node) = node_mut(root, &steps) {
                let inner = node.take();
                *node = match wrapper {
                    Wrapper::AllOf => {
                        json!({"allOf": [inner, {"type": "object", "properties": {"extra": {"type": "string"}}}]})
                    }
                    Wrapper::OneOf => json!({"oneOf": [inner.clone(), inner]}),
                    Wrapper::AnyOfWithNull => json!({"anyOf": [inner, {"type": "null"}]}),
                    Wrapper::Array => json!({"type": "array", "items": inner}),
                    Wrapper::MapOf => json!({"type": "object", "additionalProperties": inner}),
                    Wrapper::Nullable => json!({"nullable": true, "allOf": [inner]}),
                    Wrapper::Discriminated => {
                        json!({"oneOf": [inner], "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/A"}}})
                    }
                };
            }
        }
        Mutation::Copy(from, to) => {
            let source = resolve(root, from);
            let Some(copied) = node_mut(root, &source).map(|n| n.clone()) else {
                return;
            };
            let target = resolve(root, to);
            if let Some(node) = node_mut(root, &target) {
                *node = copied;
            }
        }
    }
}

fn damage(text: &mut String, damage: &TextDamage) {
    let boundary = |text: &str, at: usize| {
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match damage {
        TextDamage::None => {}
        TextDamage::Truncate(at) => {
            let at = boundary(text, *at);
            text.truncate(at);
        }
        TextDamage::Insert(at, ch) => {
            let at = boundary(text, *at);
            text.insert(at, *ch);
        }
    }
}

fn check(name: &str, text: &str) {
    let result = Config::new().parts(Parts::ALL).render_str(name, text);
    match result {
        Ok(rendered) => {
            assert!(!rendered.files.is_empty());
            for file in &rendered.files {
                assert!(
                    file.contents.starts_with("// @generated"),
                    "{}",
                    file.path.display()
                );
            }
        }
        Err(Error::Spec(diagnostics)) => {
            assert!(!diagnostics.is_empty(), "an error without diagnostics");
            for diagnostic in &diagnostics {
                assert!(!diagnostic.message.is_empty());
                assert_ne!(
                    diagnostic.kind,
                    desk_codegen::DiagnosticKind::Internal,
                    "the generator produced code that does not parse:\n{diagnostic}\n--- input ---\n{text}"
                );
            }
        }
        Err(other) => panic!("render_str can only fail on the spec, got {other}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_specs_never_panic(
        seed in any::<prop::sample::Index>(),
        mutations in proptest::collection::vec(mutation(), 1..6),
        as_yaml in any::<bool>(),
        text_damage in text_damage(),
    ) {
        let seeds = seeds();
        let (name, value) = &seeds[seed.index(seeds.len())];
        let mut value = value.clone();
        for mutation in &mutations {
            apply(&mut value, mutation);
        }
        let (file, mut text) = if as_yaml {
            (format!("{name}.yaml"), serde_yaml::to_string(&value).unwrap_or_default())
        } else {
            (format!("{name}.json"), serde_json::to_string_pretty(&value).unwrap_or_default())
        };
        damage(&mut text, &text_damage);
        check(&file, &text);
    }
}

/// Every seed renders as it is (so mutations start from working specs).
#[test]
fn seeds_render() {
    for (name, value) in seeds() {
        let text = serde_json::to_string_pretty(value).unwrap_or_default();
        let result = Config::new()
            .parts(Parts::ALL)
            .render_str(&format!("{name}.json"), &text);
        assert!(
            result.is_ok(),
            "{name}: {}",
            result.err().map(|e| e.to_string()).unwrap_or_default()
        );
    }
}
