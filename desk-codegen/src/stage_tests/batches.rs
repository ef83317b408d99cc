//! The models module is emitted and printed in batches of types (to bound memory); the text
//! must be the one printing all of it at once gives.

use std::fmt::Write as _;
use std::path::Path;

use crate::emit::{self, EmitOptions};
use crate::ir::Module;
use crate::render::{format_items, module_file, module_inner, Header};
use crate::{load, Config};

/// A spec with `count` component schemas of a few kinds (structs with nested inline objects,
/// string enums, aliases), so that the models span several batches.
fn many_types(count: usize) -> String {
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: Many, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    for n in 0..count {
        let _ = match n % 3 {
            0 => writeln!(
                spec,
                "    T{n}:\n      description: Type {n}.\n      type: object\n      required: [id]\n      properties:\n        id: {{type: integer}}\n        inner: {{type: object, properties: {{x: {{type: string, nullable: true}}}}}}"
            ),
            1 => writeln!(spec, "    T{n}: {{type: string, enum: [a, b, c{n}]}}"),
            _ => writeln!(spec, "    T{n}: {{type: array, items: {{$ref: '#/components/schemas/T{}'}}}}", n - 2),
        };
    }
    spec
}

#[test]
fn models_printed_in_batches_read_as_if_printed_at_once() {
    let spec = load::load_str(Path::new("many.yaml"), many_types(700)).expect("loads");
    let lowered = Config::new().lower_spec(&spec).expect("lowers");
    assert!(lowered.ir.types.len() > 2 * 256, "several batches");
    let options = EmitOptions::new("::desk_runtime", Vec::new());
    let header = Header::new("many.yaml");
    let batched =
        module_file(&lowered.ir, &options, Module::Models, &header, &spec.path).expect("prints");
    let whole = format_items(
        module_inner(Module::Models),
        emit::emit_module(&lowered.ir, &options, Module::Models),
        &header,
        &spec.path,
    )
    .expect("prints");
    assert!(batched.contains("pub struct T699 {"), "{batched}");
    assert_eq!(batched, whole);
}
