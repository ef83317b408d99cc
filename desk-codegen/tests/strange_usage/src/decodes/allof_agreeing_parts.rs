use crate::allof_agreeing_parts::models::*;
use crate::round_trip;

#[test]
fn agreeing_parts_merge_and_contradictions_keep_the_value() {
    let limits: Limits = round_trip(
        r#"{"code": "ab", "level": "high", "whole": 3, "word": "abc", "broken": {"a": "x"}}"#,
    );
    let _: Option<String> = limits.code;
    assert_eq!(limits.level, Some(Level::High));
    let _: Option<i64> = limits.whole;
    let _: Option<String> = limits.word;
    let _: Option<::serde_json::Value> = limits.broken;
    let _: Limits = round_trip(r#"{"broken": "just a string"}"#);
}
