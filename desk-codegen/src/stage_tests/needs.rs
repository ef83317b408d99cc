//! What the IR says each module needs ([`crate::ir::Needs`]) is what the printed module names:
//! checked over every strange spec that generates and over `spec/`, so that the emitters and
//! the rules in `lower::needs` cannot drift apart.

use std::path::{Path, PathBuf};

use crate::emit::EmitOptions;
use crate::ir::{Module, Needs};
use crate::render::{module_file, Header};
use crate::Config;

/// What a printed module names: the runtime's paths (its client as `rt`, or the `Patch` the
/// requests module imports: the import itself does not count), `::serde_json` (the runtime's
/// re-export `rt::serde_json` is reached through the runtime) or the runtime's
/// `guarded_union!` (which expands to `::serde_json` paths), and `::chrono`.
fn named_in(text: &str) -> Needs {
    let text = text.replace("use ::desk_runtime::Patch;", "");
    let serde_json = text
        .match_indices("::serde_json::")
        .any(|(at, _)| !text[..at].ends_with("rt"));
    let patch = text.match_indices("Patch").any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = &text[at + "Patch".len()..];
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && (after.starts_with('<') || after.starts_with("::"))
    });
    Needs {
        runtime: text.contains("::desk_runtime::") || patch,
        serde_json: serde_json || text.contains("guarded_union!("),
        chrono: text.contains("::chrono::"),
        link: text.contains("Link<"),
        patch,
    }
}

fn specs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join("tests/strange"))
        .expect("tests/strange")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    specs.sort();
    specs.push(root.join("../spec/conversations.yaml"));
    specs
}

#[test]
fn each_module_needs_what_it_names() {
    let options = EmitOptions::new("::desk_runtime", Vec::new());
    let mut checked = 0;
    for path in specs() {
        let mut config = Config::new();
        config.spec(&path);
        let Ok(spec) = config.load() else { continue };
        let Ok(lowered) = config.lower_spec(&spec.loaded) else {
            continue;
        };
        for module in [
            Module::Models,
            Module::Requests,
            Module::Client,
            Module::Mock,
        ] {
            let text = module_file(
                &lowered.ir,
                &options,
                module,
                &Header::new("spec.yaml"),
                &path,
            )
            .expect("prints");
            assert_eq!(
                lowered.ir.needs.of(module),
                named_in(&text),
                "{} {}",
                path.display(),
                module.name()
            );
        }
        checked += 1;
    }
    assert!(checked > 40, "{checked} specs checked");
}
