//! The two readings of the public API model agree: for every spec desk owns, the model read
//! from the IR equals the model read from the generated code (so `desk diff OLD NEW` and the
//! regeneration summary judge the same API).

use std::path::Path;

use super::model::{ApiModel, Role, Shape};
use super::{from_ir, from_rust};
use crate::{load, Config, Layout, Parts};

/// The model without what only the IR knows (identities and pointers).
fn without_ir_facts(mut model: ApiModel) -> ApiModel {
    for item in model.items.values_mut() {
        item.identity = None;
        item.pointer = None;
        match &mut item.shape {
            Shape::Struct(fields) => fields.iter_mut().for_each(|f| f.pointer = None),
            Shape::Enum { variants, .. } => variants.iter_mut().for_each(|v| v.pointer = None),
            Shape::Alias(_) => {}
        }
        for method in item.methods.values_mut() {
            if let Some(endpoint) = &mut method.endpoint {
                endpoint.pointer = None;
            }
        }
    }
    model
}

fn readings(config: &Config, name: &str, text: &str) -> Option<(ApiModel, ApiModel)> {
    let loaded = load::load_str(Path::new(name), text.to_owned()).ok()?;
    let lowered = config.lower_spec(&loaded).ok()?;
    let from_ir = from_ir::from_ir(
        &lowered.ir,
        &crate::render::emit_options(config),
        config.parts,
    );
    let rendered = config.render_str(name, text).ok()?;
    let from_rust = from_rust::from_files(
        rendered
            .files
            .iter()
            .map(|f| (f.path.to_str().unwrap(), f.contents.as_str())),
    )
    .expect("generated code parses");
    Some((without_ir_facts(from_ir), from_rust))
}

fn assert_same(label: &str, from_ir: &ApiModel, from_rust: &ApiModel) {
    let ir_paths: Vec<&String> = from_ir.items.keys().collect();
    let rust_paths: Vec<&String> = from_rust.items.keys().collect();
    assert_eq!(ir_paths, rust_paths, "{label}: items");
    for (path, item) in &from_ir.items {
        let other = &from_rust.items[path];
        assert_eq!(item.role, other.role, "{label}: {path}: role");
        assert_eq!(item.owner, other.owner, "{label}: {path}: owner");
        assert_eq!(item.shape, other.shape, "{label}: {path}: shape");
        assert_eq!(
            item.non_exhaustive, other.non_exhaustive,
            "{label}: {path}: #[non_exhaustive]"
        );
        assert_eq!(item.derives, other.derives, "{label}: {path}: derives");
        for (name, method) in &item.methods {
            assert_eq!(
                Some(method),
                other.methods.get(name),
                "{label}: {path}::{name}"
            );
        }
        assert_eq!(
            item.methods.keys().collect::<Vec<_>>(),
            other.methods.keys().collect::<Vec<_>>(),
            "{label}: {path}: methods"
        );
    }
}

fn specs() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut specs = vec![(
        "conversations.yaml".to_owned(),
        std::fs::read_to_string(root.join("../spec/conversations.yaml")).expect("spec/"),
    )];
    let mut strange: Vec<_> = std::fs::read_dir(root.join("tests/strange"))
        .expect("strange specs")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    strange.sort();
    for path in strange {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Ok(text) = std::fs::read_to_string(&path) {
            specs.push((name, text));
        }
    }
    specs
}

#[test]
fn the_ir_and_the_generated_code_give_the_same_model() {
    let mut compared = 0;
    for (name, text) in specs() {
        for (parts, stable) in [
            (Parts::ALL, false),
            (Parts::MODELS, false),
            (Parts::ALL, true),
        ] {
            let mut config = Config::new();
            config
                .parts(parts)
                .layout(Layout::Modules)
                .stable_api(stable);
            let Some((from_ir, from_rust)) = readings(&config, &name, &text) else {
                continue;
            };
            let label = format!("{name} (stable: {stable})");
            assert_same(&label, &from_ir, &from_rust);
            let has_data = from_rust
                .items
                .values()
                .any(|item| !matches!(item.shape, Shape::Alias(_)) && item.role != Role::Client);
            assert_eq!(
                from_rust.mode(),
                if stable && has_data {
                    super::ApiMode::Stable
                } else {
                    super::ApiMode::Exhaustive
                },
                "{label}"
            );
            compared += 1;
        }
    }
    assert!(compared > 90, "only {compared} specs generated");
}

#[test]
fn extra_derives_and_a_single_file_read_the_same() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/conversations.yaml"),
    )
    .unwrap();
    let mut config = Config::new();
    config.extra_derive("Eq").layout(Layout::SingleFile);
    let (from_ir, from_rust) = readings(&config, "conversations.yaml", &text).expect("renders");
    assert!(from_rust.items["models::Conversation"]
        .derives
        .contains("Eq"));
    assert_same("single file", &from_ir, &from_rust);
}

#[test]
fn regeneration_compares_with_the_code_on_disk_and_build_scripts_print_it() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet: {type: object, properties: {name: {type: string}, tag: {type: string}}}\n";
    let dir = tempfile::tempdir().expect("a scratch folder");
    let mut config = Config::new();
    config.parts(Parts::MODELS).layout(Layout::SingleFile);
    let first = config.render_str("pets.yaml", spec).expect("renders");
    assert!(
        super::on_regeneration(dir.path(), &first.files).is_none(),
        "nothing on disk"
    );
    crate::render::write::write_all(dir.path(), &first.files).expect("writes");
    assert!(
        super::on_regeneration(dir.path(), &first.files).is_none(),
        "nothing changed"
    );

    let second = config
        .render_str("pets.yaml", &spec.replace(", tag: {type: string}", ""))
        .expect("renders");
    let changes = super::on_regeneration(dir.path(), &second.files).expect("a change");
    assert_eq!(changes.verdict, super::Bump::Major);
    assert_eq!(changes.changes.len(), 1);
    assert_eq!(changes.changes[0].kind, super::ChangeKind::FieldRemoved);
    let lines = crate::render::build_script::api_change_lines(
        &changes,
        crate::render::build_script::Directives::Modern,
    );
    assert_eq!(
        lines,
        "cargo::warning=desk-codegen: public API changes: verdict: major (1 breaking, 0 compatible)\n\
         cargo::warning=desk-codegen:   breaking: field removed ×1\n"
    );
}

/// On regeneration the mode is read from the code: switching a module to a stable API is
/// breaking (every struct and enum becomes `#[non_exhaustive]`), and in a stable API a new
/// optional field is an addition.
#[test]
fn regeneration_reads_the_mode_from_the_code() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet: {type: object, required: [name], properties: {name: {type: string}}}\n";
    let dir = tempfile::tempdir().expect("a scratch folder");
    let render = |stable: bool, text: &str| {
        let mut config = Config::new();
        config
            .parts(Parts::MODELS)
            .layout(Layout::SingleFile)
            .stable_api(stable);
        config.render_str("pets.yaml", text).expect("renders")
    };
    let exhaustive = render(false, spec);
    crate::render::write::write_all(dir.path(), &exhaustive.files).expect("writes");
    let stable = render(true, spec);
    let switched = super::on_regeneration(dir.path(), &stable.files).expect("a change");
    assert_eq!(switched.mode, super::ApiMode::Stable);
    assert_eq!(switched.verdict, super::Bump::Major);
    let kinds: Vec<_> = switched.changes.iter().map(|c| c.kind).collect();
    assert!(
        kinds.contains(&super::ChangeKind::TypeNowNonExhaustive),
        "{kinds:?}"
    );

    crate::render::write::write_all(dir.path(), &stable.files).expect("writes");
    let added = render(
        true,
        &spec.replace(
            "{name: {type: string}}",
            "{name: {type: string}, tag: {type: string}}",
        ),
    );
    let changes = super::on_regeneration(dir.path(), &added.files).expect("a change");
    assert_eq!(changes.mode, super::ApiMode::Stable);
    assert_eq!(changes.verdict, super::Bump::Minor, "{changes:?}");
    assert_eq!(
        changes.changes[0].kind,
        super::ChangeKind::OptionalFieldAdded
    );
}

/// Lowering may give one inline schema a type per use, all with the schema's pointer: such an
/// identity names no single item, and those items are paired by path instead.
#[test]
fn a_shared_identity_pairs_by_path() {
    use super::model::Item;
    let item = |name: &str, identity: &str| Item {
        module: "models".into(),
        name: name.into(),
        role: Role::Model,
        owner: None,
        identity: Some(identity.into()),
        pointer: None,
        shape: Shape::Alias("String".into()),
        non_exhaustive: false,
        derives: Default::default(),
        methods: Default::default(),
    };
    let model = |items: Vec<Item>| ApiModel {
        items: items
            .into_iter()
            .map(|i| (format!("models::{}", i.name), i))
            .collect(),
    };
    let shared = "/components/parameters/status/schema";
    let old = model(vec![item("GetStatus", shared), item("ListStatus", shared)]);
    let new = model(vec![
        item("GetStatus", shared),
        item("ListStatus", shared),
        item("PutStatus", shared),
    ]);
    let found = super::engine::compare(&old, &new);
    let kinds: Vec<_> = found
        .iter()
        .map(|f| (f.change.kind, f.change.item.as_str()))
        .collect();
    assert_eq!(kinds, [(super::ChangeKind::TypeAdded, "models::PutStatus")]);
}

/// Output of an earlier desk spelt the tri-state type in full; regenerating must not report
/// every patch field as changed.
#[test]
fn the_runtime_patch_type_has_one_spelling() {
    let text = |ty: &str| from_rust::type_text(&syn::parse_str(ty).expect("a type"));
    assert_eq!(text("::desk_runtime::Patch<i64>"), "Patch<i64>");
    assert_eq!(
        text("crate::runtime::Patch<Option<::std::string::String>>"),
        text("Patch<Option<::std::string::String>>")
    );
    assert_eq!(text("Vec<::desk_runtime::Patch<i64>>"), "Vec<Patch<i64>>");
}
