use crate::allof_union_cycle::models::*;
use crate::round_trip;

#[test]
fn keys_one_alternative_lacks_go_to_the_one_that_keeps_them() {
    let x: X = round_trip(r#"{"id": "o", "b": "9"}"#);
    assert!(matches!(x, X::U2(Xu2::B(_))));
    let a: X = round_trip(r#"{"id": "o", "a": "1"}"#);
    assert!(matches!(a, X::A(_)));
    let _: X = round_trip(r#"{"id": "o", "z": [1]}"#);
}
