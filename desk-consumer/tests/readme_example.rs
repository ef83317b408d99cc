//! The README's build-script example is this crate: its `Cargo.toml` dependencies and its
//! `build.rs`, with `path` where the README writes `git`. CI builds and tests this crate, so
//! the example in the README is known to build.

const README: &str = include_str!("../../README.md");
const MANIFEST: &str = include_str!("../Cargo.toml");
const BUILD_RS: &str = include_str!("../build.rs");

/// The fenced block of `lang` in the README's build-script section whose first line is `first`.
fn readme_block(lang: &str, first: &str) -> String {
    let section = README
        .split("### From a build script")
        .nth(1)
        .expect("the README has a build-script section");
    let fence = format!("```{lang}\n{first}\n");
    let start = section
        .find(&fence)
        .unwrap_or_else(|| panic!("no ```{lang} block starting with {first:?}"))
        + fence.len()
        - first.len()
        - 1;
    let body = &section[start..];
    body[..body.find("```").expect("a closing fence")].to_owned()
}

#[test]
fn the_readme_shows_this_crates_dependencies() {
    let shown = readme_block("toml", "# Cargo.toml").replacen("# Cargo.toml\n", "", 1);
    let ours = &MANIFEST[MANIFEST
        .find("[dependencies]")
        .expect("a [dependencies] table")..];
    let ours = ours
        .replace(
            "desk-runtime = { path = \"../desk-runtime\" }",
            "desk-runtime = { git = \"https://github.com/desk-rs/desk\" }",
        )
        .replace(
            "desk-codegen = { path = \"../desk-codegen\" }",
            "desk-codegen = { git = \"https://github.com/desk-rs/desk\" }",
        );
    assert_eq!(
        shown, ours,
        "README.md's Cargo.toml example and desk-consumer/Cargo.toml differ"
    );
    assert!(
        shown.contains("tokio"),
        "the example names tokio, which the client needs"
    );
}

#[test]
fn the_readme_shows_this_crates_build_script() {
    assert_eq!(
        readme_block("rust", "// build.rs"),
        BUILD_RS,
        "README.md's build.rs example and desk-consumer/build.rs differ"
    );
}
