use crate::allof_recursive::models::*;
use crate::round_trip;

#[test]
fn recursive_expressions_decode() {
    let expression: Expression =
        round_trip(r#"{"Not": {"Or": [{"Dimensions": {"Key": "k", "Parent": {"And": []}}}, {}]}}"#);
    let _: Option<Box<Expression>> = expression.not;
}
