use crate::round_trip;
use crate::swagger2_nullable::models::*;

#[test]
fn x_nullable_fields_hold_null() {
    let record: Record = round_trip(
        r#"{"id": "r", "note": null, "owner": null, "labels": ["a", null], "tag": "t", "color": "red"}"#,
    );
    let _: Option<String> = record.note;
    let _: Option<Owner> = record.owner;
    assert_eq!(record.labels, Some(vec![Some("a".to_owned()), None]));
    let _: Record = round_trip(r#"{"id": "r", "note": "n", "owner": {"id": "o"}, "score": 1.5}"#);
}
