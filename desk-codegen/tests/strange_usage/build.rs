//! Generates the strange specs this crate's tests use, from `desk-codegen/tests/strange/`,
//! one file each in `OUT_DIR` (see `src/lib.rs`).

use desk_codegen::{Config, Parts};

/// Composition cases: models and request types, whose sample bodies `src/decodes/` decodes.
const DECODED: &[&str] = &[
    "allof_single_part",
    "allof_agreeing_parts",
    "empty_objects",
    "nullable_in_containers",
    "allof_union_cycle",
    "implicit_tag",
    "union_by_enum_property",
    "extra_properties_kept",
    "allof_recursive",
    "reference_ring",
    "swagger2_nullable",
    "swagger2_discriminator",
];

/// Body and pagination cases: every part, whose clients `src/wire.rs` and `src/pages.rs` run
/// over a recording transport.
const CALLED: &[&str] = &[
    "body_multipart",
    "body_form",
    "body_binary",
    "body_text",
    "paged_link_header",
    "paged_dropshot",
    "paged_ms_pageable",
    "paged_token",
    "paged_offset",
    "paged_page_number",
    "paged_last_item",
    "paged_next_link",
    "swagger2",
    "swagger2_collection_formats",
    "swagger2_form_upload",
    "swagger2_security",
    "swagger2_file_response",
];

/// Body cases whose mock modules (feature `mock`) `src/mock.rs` runs their clients against.
const MOCKED: &[&str] = &[
    "swagger2_collection_formats",
    "swagger2_form_upload",
    "swagger2_security",
];

/// Stable API cases (`Config::stable_api`): `tests/stable_api.rs` builds and matches their
/// values from another crate, as users of a generated crate do.
const STABLE: &[&str] = &["stable_api"];

fn main() {
    for (cases, parts, stable) in [
        (DECODED, Parts::TYPES, false),
        (CALLED, Parts::ALL, false),
        (STABLE, Parts::ALL, true),
    ] {
        for case in cases {
            // `generate`, not `generate_or_exit`: the warnings some of these cases give on
            // purpose are checked by `strange_specs.rs`, and would be noise in every build.
            let mut config = Config::new();
            config
                .spec(format!("../strange/{case}.yaml"))
                .parts(parts)
                .stable_api(stable)
                .file_name(format!("{case}.rs"));
            if MOCKED.contains(case) {
                config.mock_feature("mock");
            }
            config
                .generate()
                .unwrap_or_else(|err| panic!("{case} must generate:\n{err}"));
        }
    }
}
