//! `Config::diff` on a pair of small descriptions per change kind (`tests/diff/`), judged for
//! an exhaustive API and for a stable one (`Config::stable_api`): each report is an insta
//! snapshot (`snapshots/api_diff__*.snap`, `api_diff__stable__*.snap`), and the change the pair
//! is about has the expected kind and class in each mode.
//!
//! Each case is `tests/diff/base.yaml` → `tests/diff/<case>.yaml` unless it names another pair.

use std::path::{Path, PathBuf};

use desk_codegen::{ApiDiff, ApiMode, Bump, ChangeKind, Config, ReportFormat};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff")
}

/// The report of `old` → `new` (files in `tests/diff/`), located by file name only so the
/// snapshot does not depend on the checkout's path; judged for a stable API when `stable`.
fn diff_in(old: &str, new: &str, stable: bool) -> ApiDiff {
    let read = |name: &str| std::fs::read_to_string(dir().join(name)).expect(name);
    let (a, b) = (read(old), read(new));
    Config::new()
        .stable_api(stable)
        .diff_str((old, &a), (new, &b))
        .expect("both describe an API")
}

fn diff(old: &str, new: &str) -> ApiDiff {
    diff_in(old, new, false)
}

/// One case: the pair, the kind it is about, and the class of that change and the verdict for
/// an exhaustive API and for a stable one (`None`: a stable API does not change).
struct Case {
    name: &'static str,
    old: &'static str,
    /// `<name>.yaml` when empty.
    new: &'static str,
    kind: ChangeKind,
    exhaustive: (bool, Bump),
    stable: Option<(bool, Bump)>,
}

/// `base.yaml` → `<name>.yaml`, the same class in both modes.
const fn case(name: &'static str, kind: ChangeKind, breaking: bool, verdict: Bump) -> Case {
    Case {
        name,
        old: "base.yaml",
        new: "",
        kind,
        exhaustive: (breaking, verdict),
        stable: Some((breaking, verdict)),
    }
}

/// `base.yaml` → `<name>.yaml`: breaking for an exhaustive API, an addition for a stable one.
const fn addition(name: &'static str, kind: ChangeKind) -> Case {
    Case {
        stable: Some((false, Minor)),
        ..case(name, kind, true, Major)
    }
}

use Bump::{Major, Minor, Patch};
use ChangeKind as K;

const CASES: &[Case] = &[
    case("operation_added", K::OperationAdded, false, Minor),
    case("operation_removed", K::OperationRemoved, true, Major),
    case("operation_renamed", K::OperationRenamed, true, Major),
    case(
        "required_parameter_added",
        K::RequiredParameterAdded,
        true,
        Major,
    ),
    addition("optional_parameter_added", K::OptionalParameterAdded),
    case("parameter_removed", K::ParameterRemoved, true, Major),
    case(
        "parameter_type_changed",
        K::ParameterTypeChanged,
        true,
        Major,
    ),
    case("request_body_changed", K::RequestBodyChanged, true, Major),
    case("response_type_changed", K::ResponseTypeChanged, true, Major),
    case("status_added", K::StatusAdded, false, Minor),
    case("status_removed", K::StatusRemoved, true, Major),
    case("auth_required", K::AuthRequired, true, Major),
    case("auth_dropped", K::AuthDropped, false, Minor),
    case("type_added", K::TypeAdded, false, Minor),
    case("type_removed", K::TypeRemoved, true, Major),
    case("type_renamed", K::TypeRenamed, true, Major),
    case("required_field_added", K::RequiredFieldAdded, true, Major),
    addition("optional_field_added", K::OptionalFieldAdded),
    case("field_removed", K::FieldRemoved, true, Major),
    case("field_now_read_only", K::FieldNowReadOnly, true, Major),
    case("field_type_changed", K::FieldTypeChanged, true, Major),
    case("field_now_optional", K::FieldNowOptional, true, Major),
    case("field_now_required", K::FieldNowRequired, true, Major),
    addition("enum_value_added", K::EnumValueAdded),
    case("enum_value_removed", K::EnumValueRemoved, true, Major),
    // A stable API orders open enums by wire value: the declaration order does not matter.
    Case {
        stable: None,
        ..case("enum_values_reordered", K::EnumValuesReordered, true, Major)
    },
    // A tagged union kept unknown tags in its catch-all: a stable API absorbs the alternative.
    addition("union_variant_added", K::UnionVariantAdded),
    Case {
        name: "union_variant_removed",
        old: "union_variant_added.yaml",
        new: "base.yaml",
        ..case("", K::UnionVariantRemoved, true, Major)
    },
    // An untagged union keeps no unknown values: values another alternative took may decode
    // as the new one, which no compiler reports (breaking and silent in a stable API).
    Case {
        name: "untagged_variant_added",
        old: "untagged_union.yaml",
        ..case("", K::UnionVariantAdded, true, Major)
    },
    // A documented status that is a new variant of the operation's outcome enum.
    Case {
        name: "outcome_status_added",
        old: "untagged_union.yaml",
        ..addition("", K::StatusAdded)
    },
    // An `apiKey` scheme is a method of the client builder.
    case("api_key_added", K::MethodAdded, false, Minor),
    Case {
        name: "api_key_removed",
        old: "api_key_added.yaml",
        new: "base.yaml",
        ..case("", K::MethodRemoved, true, Major)
    },
];

#[test]
fn each_pair_reports_its_change_with_its_class() {
    for case in CASES {
        let new = match case.new {
            "" => format!("{}.yaml", case.name),
            new => new.to_owned(),
        };
        for (stable, class) in [(false, Some(case.exhaustive)), (true, case.stable)] {
            let report = diff_in(case.old, &new, stable);
            let label = format!("{} (stable: {stable})", case.name);
            let Some((breaking, verdict)) = class else {
                assert!(report.is_empty(), "{label}: {report:?}");
                assert_eq!(report.verdict, Patch);
                continue;
            };
            let found: Vec<_> = report
                .changes
                .iter()
                .filter(|c| c.kind == case.kind)
                .collect();
            assert!(
                !found.is_empty(),
                "{label}: no {:?} in\n{}",
                case.kind,
                report.render(ReportFormat::Text)
            );
            for change in found {
                assert_eq!(change.breaking, breaking, "{label}: {change:?}");
                assert!(!change.reason.is_empty());
            }
            assert_eq!(report.verdict, verdict, "{label}");
            let expected_mode = if stable {
                ApiMode::Stable
            } else {
                ApiMode::Exhaustive
            };
            assert_eq!(report.mode, expected_mode, "{label}");
            let snapshot = if stable {
                format!("stable__{}", case.name)
            } else {
                case.name.to_owned()
            };
            insta::assert_snapshot!(snapshot, report.render(ReportFormat::Text));
        }
    }
}

#[test]
fn the_same_description_changes_nothing() {
    let report = diff("base.yaml", "base.yaml");
    assert!(report.is_empty());
    assert_eq!(report.verdict, Bump::Patch);
}

#[test]
fn changes_are_located_in_both_descriptions() {
    let report = diff("base.yaml", "field_type_changed.yaml");
    let change = report
        .changes
        .iter()
        .find(|c| c.item == "models::Pet" && c.kind == ChangeKind::FieldTypeChanged)
        .expect("Pet.tag changed");
    let old = change.old.location.as_ref().expect("old location");
    let new = change.new.location.as_ref().expect("new location");
    assert_eq!(old.pointer, "/components/schemas/Pet/properties/tag");
    assert_eq!((old.line, old.column), (Some(13), Some(9)));
    assert_eq!(new.pointer, old.pointer);
    assert_eq!(old.file, Path::new("base.yaml"));
    assert_eq!(new.file, Path::new("field_type_changed.yaml"));
}

#[test]
fn the_json_report_carries_kind_class_verdict_and_mode() {
    let report = diff("base.yaml", "enum_value_added.yaml");
    let json: serde_json::Value =
        serde_json::from_str(&report.render(ReportFormat::Json)).expect("JSON");
    assert_eq!(json["verdict"], "major");
    assert_eq!(json["mode"], "exhaustive");
    let change = &json["changes"][0];
    assert_eq!(change["kind"], "enum_value_added");
    assert_eq!(change["breaking"], true);
    assert_eq!(change["item"], "models::PetStatus");
    assert_eq!(change["member"], "Pending");
    assert_eq!(change["group"]["by"], "type");
    assert_eq!(
        change["new"]["location"]["pointer"],
        "/components/schemas/PetStatus/enum/1"
    );
}

#[test]
fn split_and_single_file_descriptions_mix() {
    // `split/` is base.yaml with `Pet` in a file of its own: the same API.
    let split = dir().join("split/openapi.yaml");
    let same = Config::new()
        .diff(dir().join("base.yaml"), &split)
        .expect("both load");
    assert!(same.is_empty(), "{}", same.render(ReportFormat::Text));
    let changed = Config::new()
        .diff(&split, dir().join("field_type_changed.yaml"))
        .expect("both load");
    let change = changed
        .changes
        .iter()
        .find(|c| c.item == "models::Pet")
        .expect("Pet.tag changed");
    let old = change.old.location.as_ref().expect("located in Pet.yaml");
    assert!(old.file.ends_with("split/Pet.yaml"), "{old:?}");
    assert_eq!(
        (old.pointer.as_str(), old.line),
        ("/properties/tag", Some(6))
    );
}
