//! The models as a user writes against them: these programs must compile and run.

#[test]
fn models_are_usable_as_documented() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/models/*.rs");
}
