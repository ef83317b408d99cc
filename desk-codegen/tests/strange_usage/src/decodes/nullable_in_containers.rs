use crate::nullable_in_containers::models::*;
use crate::round_trip;

#[test]
fn null_entries_are_kept() {
    let slate: Slate = round_trip(
        r#"{"slots": ["x", null], "reasons": [null, "spam"], "names": [null, "n"],
            "files": {"a": {"size": 1}, "b": null}, "scores": {"s": null, "t": 2}, "nothing": null}"#,
    );
    assert_eq!(slate.slots, Some(vec![Some("x".to_owned()), None]));
    assert_eq!(slate.reasons, Some(vec![None, Some(Reason::Spam)]));
    let _: Option<Vec<Option<String>>> = slate.names;
    let _: Option<::std::collections::BTreeMap<String, Option<File>>> = slate.files;
    let _: Option<::std::collections::BTreeMap<String, Option<i64>>> = slate.scores;
    let tagged: Tagged = round_trip(r#"{"id": "i", "note": null, "other": "o"}"#);
    assert_eq!(tagged.additional_properties.get("note"), Some(&None));
    let () = round_trip::<()>("null");
    assert_eq!(round_trip::<Tree>("null"), Tree::String(None));
    let tree: Tree = round_trip(r#"{"child": {"child": "leaf"}, "size": 2}"#);
    assert!(matches!(tree, Tree::Branch(_)));
}
