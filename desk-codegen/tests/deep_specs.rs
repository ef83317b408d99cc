//! Depth costs a loop, never the stack: specs thousands of levels deep, made in memory, are
//! generated on a thread with a small stack (a build script's main thread has 8 MiB, but
//! threads spawned by tools often have far less; a stack overflow aborts the process, which no
//! panic handler catches).

use desk_codegen::{Config, Parts};

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
