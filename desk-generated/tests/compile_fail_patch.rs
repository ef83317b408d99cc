//! What the generated types must refuse at compile time: read-only fields, a whole model where a
//! patch is expected, values of the wrong type, struct literals of the `#[non_exhaustive]` types
//! (`model_literal.rs`). And the patch API as a user writes it.

#[test]
fn patch_and_create_types_reject_misuse() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/patch/*.rs");
}

#[test]
fn patch_api_is_usable_as_documented() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/patch_pass/*.rs");
}
