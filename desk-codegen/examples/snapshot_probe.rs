// Scratch: renders every known spec into a directory, to diff output before and after a change.
use std::path::Path;
fn main() {
    let out = std::env::args().nth(1).expect("out dir");
    let mut specs: Vec<std::path::PathBuf> = Vec::new();
    for dir in ["../shared/corpus/progenitor-samples", "desk-codegen/tests/strange", "spec", "desk-consumer/specs"] {
        for e in std::fs::read_dir(dir).unwrap() { specs.push(e.unwrap().path()); }
    }
    specs.sort();
    for spec in specs {
        for (layout, tag) in [(desk_codegen::Layout::Modules, "m"), (desk_codegen::Layout::SingleFile, "s")] {
            let mut config = desk_codegen::Config::new();
            config.spec(&spec).layout(layout).extra_derive("Eq").client_feature("client");
            let name = spec.file_name().unwrap().to_string_lossy().to_string();
            match config.render() {
                Ok(r) => for f in r.files {
                    let p = Path::new(&out).join(format!("{name}.{tag}.{}", f.path.display()));
                    std::fs::write(p, f.contents).unwrap();
                },
                Err(e) => std::fs::write(Path::new(&out).join(format!("{name}.{tag}.err")), e.to_string()).unwrap(),
            }
        }
    }
}
