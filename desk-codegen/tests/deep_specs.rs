//! Depth costs a loop, never the stack: specs thousands of levels deep, made in memory, are
//! generated on a thread with a small stack (a build script's main thread has 8 MiB, but
//! threads spawned by tools often have far less; a stack overflow aborts the process, which no
//! panic handler catches).

use std::path::Path;
use std::process::Command;

use desk_codegen::{Config, CrateOptions, Parts, RuntimeSource};

/// The stack the generator gets: far below the default 2 MiB of a spawned thread.
const SMALL_STACK: usize = 512 * 1024;

/// `Level{i}` is `allOf` of `Level{i+1}` and an annotation or object part; the last level is an
/// object with one property.
fn chain(levels: usize, part: &str) -> String {
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: Deep, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    for i in 0..levels {
        spec.push_str(&format!(
            "    Level{i}:\n      allOf:\n        - $ref: '#/components/schemas/Level{}'\n        - {part}\n",
            i + 1
        ));
    }
    spec.push_str(&format!(
        "    Level{levels}:\n      type: object\n      properties:\n        id: {{type: string}}\n"
    ));
    spec
}

fn render_on_small_stack(spec: String) -> desk_codegen::Rendered {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(move || {
            let mut config = Config::new();
            config.parts(Parts::MODELS);
            config.render_str("deep.yaml", &spec)
        })
        .expect("spawn a thread")
        .join()
        .expect("the generator does not panic")
        .unwrap_or_else(|err| panic!("the deep spec generates:\n{err}"))
}

fn models(rendered: &desk_codegen::Rendered) -> &str {
    rendered
        .files
        .iter()
        .find(|f| f.path.ends_with("models.rs"))
        .map(|f| f.contents.as_str())
        .expect("models.rs")
}

/// 10,000 levels of "a reference plus a description": each level is the next one's type.
#[test]
fn ten_thousand_levels_of_annotated_references() {
    let rendered = render_on_small_stack(chain(10_000, "{description: one more level}"));
    let text = models(&rendered);
    assert!(text.contains("pub type Level0 = Level1;"));
    assert!(text.contains("pub type Level9999 = Level10000;"));
    assert!(text.contains("pub struct Level10000 {"));
}

/// 2,000 levels where each merges the next with an object part: every level is a struct with
/// the last level's field, and merging is linear (each level copies the fields once).
#[test]
fn two_thousand_levels_of_merged_objects() {
    let rendered =
        render_on_small_stack(chain(2_000, "{type: object, description: one more level}"));
    let text = models(&rendered);
    assert!(text.contains("pub struct Level0 {"));
    assert!(text.contains("pub struct Level1999 {"));
    assert_eq!(text.matches("pub id: Option<String>,").count(), 2_001);
}

/// `count` object schemas `S{i}`, each with a property `next` of `S{i+1}` (the last one's is
/// `S0` when `ring`, else it has none), written as `holder` gives (`{ref}` is replaced by the
/// reference).
fn linked(count: usize, ring: bool, holder: &str) -> String {
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: Ring, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    for i in 0..count {
        spec.push_str(&format!(
            "    S{i}:\n      type: object\n      properties:\n        label: {{type: string}}\n"
        ));
        if ring || i + 1 < count {
            let target = format!("{{$ref: '#/components/schemas/S{}'}}", (i + 1) % count);
            spec.push_str(&format!(
                "        next: {}\n",
                holder.replace("{ref}", &target)
            ));
        }
    }
    spec
}

/// The type of `S{i}`'s `next` field in the generated models.
fn next_of(text: &str, i: usize) -> &str {
    let start = text
        .find(&format!("pub struct S{i} {{"))
        .unwrap_or_else(|| panic!("S{i} is generated"));
    let field = start
        + text[start..]
            .find("pub next: ")
            .unwrap_or_else(|| panic!("S{i} has next"));
    let line = &text[field + "pub next: ".len()..];
    &line[..line.find(",\n").expect("a field line")]
}

/// A ring of 1,500 schemas, each holding the next: every walk of rustc's drop-check and
/// auto-trait checks is bounded by a `desk_runtime::Link` (the closing edge, then one in
/// every few dozen), while the inline depth is still bounded by `Box`es between them.
#[test]
fn a_ring_of_1500_schemas_is_cut_by_links() {
    for (holder, closing) in [
        ("{ref}", "Option<::desk_runtime::Link<S0>>"),
        (
            "{type: array, items: {ref}}",
            "Option<Vec<::desk_runtime::Link<S0>>>",
        ),
    ] {
        let rendered = render_on_small_stack(linked(1_500, true, holder));
        let text = models(&rendered);
        assert_eq!(next_of(text, 1_499), closing, "{holder}");
        let links = text.matches("::desk_runtime::Link<").count();
        assert!((30..=80).contains(&links), "{holder}: {links} links");
        // Between two links, no more than a budget's worth of steps.
        let mut since = 0;
        for i in 0..1_500 {
            since = if next_of(text, i).contains("Link<") {
                0
            } else {
                since + 1
            };
            assert!(since <= 48, "{holder}: S{i} is {since} steps past a link");
        }
    }
}

/// A chain of 1,500 (no cycle) is cut the same way; a ring of 10 keeps its one `Box`.
#[test]
fn a_chain_is_cut_and_a_small_ring_is_not() {
    let rendered = render_on_small_stack(linked(1_500, false, "{ref}"));
    let text = models(&rendered);
    let links = text.matches("::desk_runtime::Link<").count();
    assert!((30..=50).contains(&links), "{links} links");
    assert_eq!(next_of(text, 0), "Option<S1>");
    let rendered = render_on_small_stack(linked(10, true, "{ref}"));
    let text = models(&rendered);
    assert!(!text.contains("Link<"));
    assert_eq!(next_of(text, 9), "Option<Box<S0>>");
}

/// The ring (or chain) with an operation that returns `S0` and two that send it (POST and
/// PATCH), so the client and both request forms are generated too.
fn linked_with_operations(count: usize, ring: bool) -> String {
    let body = "{content: {application/json: {schema: {$ref: '#/components/schemas/S0'}}}}";
    let ok = "responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/S0'}}}}}";
    let paths = format!(
        "paths:\n  /s0:\n    get: {{operationId: getS0, {ok}}}\n    post: {{operationId: postS0, requestBody: {body}, {ok}}}\n    patch: {{operationId: patchS0, requestBody: {body}, {ok}}}\n"
    );
    linked(count, ring, "{ref}").replace("paths: {}\n", &paths)
}

/// Generates the crate `ring` from `spec` (its `parts`) in `target/deep_specs/{folder}`, with
/// the test files `tests` (from `tests/deep_specs/`) and `serde_json` to run them, and runs
/// each `cargo` command in it (in a target folder the scratch crates share, so the workspace's
/// build is not locked), asserting that each passes.
fn build_generated(folder: &str, spec: &str, parts: Parts, tests: &[&str], commands: &[&[&str]]) {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here.parent().expect("the workspace root");
    let scratch = root.join("target/deep_specs").join(folder);
    let dir = scratch.join("ring");
    std::fs::create_dir_all(&dir).expect("create the scratch folder");
    std::fs::write(
        scratch.join("Cargo.toml"),
        "[workspace]\nmembers = [\"ring\"]\nresolver = \"2\"\n",
    )
    .expect("write the scratch workspace");
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).expect("copy Cargo.lock");
    let spec_file = scratch.join("ring.yaml");
    std::fs::write(&spec_file, spec).expect("write the spec");
    let runtime = root.join("desk-runtime").display().to_string();
    let mut package = CrateOptions::new("ring");
    package.runtime = RuntimeSource::Path(runtime);
    let mut config = Config::new();
    config
        .spec(&spec_file)
        .out_dir(&dir)
        .parts(parts)
        .package(package)
        .rerun_if_changed(false);
    config.generate().expect("the spec generates");
    let manifest = dir.join("Cargo.toml");
    let mut toml = std::fs::read_to_string(&manifest).expect("read Cargo.toml");
    toml.push_str("\n[dev-dependencies]\nserde_json = \"1\"\n");
    std::fs::write(&manifest, toml).expect("add serde_json for the tests");
    std::fs::create_dir_all(dir.join("tests")).expect("create tests/");
    for test in tests {
        std::fs::copy(
            here.join("tests/deep_specs").join(test),
            dir.join("tests").join(test.replace("ring_", "")),
        )
        .expect("copy a test file");
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for args in commands {
        let status = Command::new(&cargo)
            .args(*args)
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", root.join("target/deep_specs/target"))
            // Built once: incremental state would be gigabytes for nothing.
            .env("CARGO_INCREMENTAL", "0")
            .status()
            .expect("run cargo");
        assert!(status.success(), "`cargo {}` passes", args.join(" "));
    }
}

/// The monomorphization limit: decoding (and encoding, and converting to request forms) a ring
/// of types generically nests serde's functions once per type, and rustc refuses to
/// instantiate one generic function nested more than 128 times. A ring of 300, with links
/// where lowering puts them, builds (it did not before the links' decoders and conversions
/// were found at run time), and its values decode and re-encode through links byte for byte.
/// Models and request forms only (no HTTP stack to build): 1 to 2 minutes on 2 busy cores.
#[test]
fn a_ring_of_300_schemas_builds_and_round_trips_through_links() {
    let spec = linked_with_operations(300, true);
    let rendered = render_on_small_stack(linked(300, true, "{ref}"));
    let first_link = (0..300).find(|&i| next_of(models(&rendered), i).contains("Link<"));
    assert!(
        first_link.is_some_and(|i| i < 59),
        "a 60-level value passes a link: {first_link:?}"
    );
    build_generated(
        "ring300",
        &spec,
        Parts::TYPES,
        &["ring_roundtrip.rs"],
        &[&["test", "--quiet"]],
    );
}

/// What no unit test can show: rustc accepts the ring of 1,500. The generated crate (models,
/// request forms, the client) passes `cargo clippy --all-targets -- -D warnings`, with tests
/// that need its types `Send + Sync` and a client call's future `Send`; it builds, and its
/// values decode, re-encode and convert through links. Run with
/// `cargo test -p desk-codegen --test deep_specs -- --ignored`.
#[test]
#[ignore = "checks and builds 178,000 generated lines: about 6 minutes on 2 busy cores; run with --ignored"]
fn a_ring_of_1500_schemas_passes_clippy_and_builds() {
    build_generated(
        "ring1500",
        &linked_with_operations(1_500, true),
        Parts::ALL,
        &["ring_roundtrip.rs", "send.rs"],
        &[
            &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
            &["test", "--quiet"],
        ],
    );
}

/// A chain of 1,500 (no cycle), cut by links the same way, builds and round-trips too. Run with
/// `--ignored`, like the ring.
#[test]
#[ignore = "builds 178,000 generated lines: about 5 minutes on 2 busy cores; run with --ignored"]
fn a_chain_of_1500_schemas_builds() {
    build_generated(
        "chain1500",
        &linked_with_operations(1_500, false),
        Parts::ALL,
        &["ring_roundtrip.rs"],
        &[&["test", "--quiet"]],
    );
}
