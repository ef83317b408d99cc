use crate::allof_single_part::models::*;
use crate::round_trip;

#[test]
fn each_field_has_its_part_type() {
    let run: Run = round_trip(
        r#"{"dryRun": true, "name": "n", "count": 3, "tags": ["a", "b"], "mode": "fast",
            "owner": {"id": "o"}, "previous": {"id": "p"}, "createdBy": {"id": "c"},
            "inlineLimit": 5, "history": ["safe", "later"], "byName": {"x": 1}, "either": 7}"#,
    );
    let _: Option<bool> = run.dry_run;
    let _: Option<String> = run.name;
    let _: Option<i32> = run.count;
    let _: Option<Vec<String>> = run.tags;
    assert_eq!(run.mode, Some(Mode::Fast));
    let _: Option<Owner> = run.owner;
    let _: Option<Owner> = run.previous;
    let _: Option<Owner> = run.created_by;
    let _: Option<i64> = run.inline_limit;
    assert_eq!(
        run.history,
        Some(vec![Mode::Safe, Mode::Other("later".into())])
    );
    let _: Option<::std::collections::BTreeMap<String, i32>> = run.by_name;
    assert_eq!(run.either, Some(RunEither::Count(7)));
    let list: Run = round_trip(r#"{"either": ["a"]}"#);
    assert_eq!(list.either, Some(RunEither::Names(vec!["a".into()])));
    let _: bool = round_trip::<Flag>("false");
}
