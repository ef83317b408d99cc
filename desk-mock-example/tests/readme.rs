//! The README's mock example is this crate: its `src/lib.rs` and `tests/archive.rs` from their
//! `// path` lines on. CI builds and tests this crate, so the example in the README runs.

const README: &str = include_str!("../../README.md");
const LIB: &str = include_str!("../src/lib.rs");
const TEST: &str = include_str!("archive.rs");

/// The fenced Rust block of the README's mock section that starts with `first`.
fn readme_block(first: &str) -> &'static str {
    let section = README
        .split("## Testing your code against the mock")
        .nth(1)
        .expect("the README has a mock section");
    let fence = format!("```rust\n{first}\n");
    let start = section
        .find(&fence)
        .unwrap_or_else(|| panic!("no ```rust block starting with {first:?}"))
        + "```rust\n".len();
    let body = &section[start..];
    &body[..body.find("```").expect("a closing fence")]
}

/// `text` from its `first` line on.
fn from_line<'a>(text: &'a str, first: &str) -> &'a str {
    &text[text.find(first).expect("the file has its path line")..]
}

#[test]
fn the_readme_shows_this_crates_code_and_test() {
    for (first, file) in [("// src/lib.rs", LIB), ("// tests/archive.rs", TEST)] {
        assert_eq!(
            readme_block(first),
            from_line(file, first),
            "README.md's mock example and desk-mock-example ({first}) differ"
        );
    }
}
